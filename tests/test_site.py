"""The page's built files (py/site.py): the shipped networks as float16,
half the bytes, answering as the float32 files do."""

import io
import zipfile

import numpy as np
import pytest
from conftest import REPO

from py.io import weights
from py.nn.model import from_spec, mlp_spec


def test_float16_weights_load_as_float32_and_answer_alike():
    model = from_spec(mlp_spec([784, 64, 10]), seed=3)
    half, meta = weights.from_bytes(weights.to_bytes(model, {}, dtype=np.float16, compress=False), "half.npz")
    assert meta["format"] == weights.FORMAT
    for (_, p, _), (_, q, _) in zip(model.parameters(), half.parameters()):
        assert q.dtype == np.float32 and np.array_equal(q, p.astype(np.float16).astype(np.float32))
    x = np.random.default_rng(0).random((200, 784), dtype=np.float32)
    assert np.abs(half.predict_proba(x) - model.predict_proba(x)).max() < 1e-3


@pytest.mark.site
@pytest.mark.parametrize("name", ["cnn", "mlp"])
def test_the_page_gets_each_shipped_network_as_float16_reading_digits_as_trained(build, embedded, name):
    page_copy = (REPO / "web" / build["weights"][name]).read_bytes()
    with zipfile.ZipFile(io.BytesIO(page_copy)) as z:
        dtypes = {np.load(io.BytesIO(z.read(n))).dtype for n in z.namelist() if n != "meta.npy"}
    assert dtypes == {np.dtype(np.float16)}
    trained = (REPO / "weights" / f"{name}.npz")
    assert (REPO / "web" / (build["weights"][name] + ".br")).stat().st_size < 0.55 * trained.stat().st_size
    x, y = embedded.val
    accuracy = {kind: (model.logits(x).argmax(axis=1) == y).mean() for kind, (model, _) in
                {"float32": weights.load(trained), "float16": weights.from_bytes(page_copy)}.items()}
    assert abs(accuracy["float16"] - accuracy["float32"]) <= 1 / len(y), accuracy
