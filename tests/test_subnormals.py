"""No subnormal weights: they slow every engine's arithmetic (Model.flush_subnormals),
so training ends without them and loading removes them."""

import numpy as np
import pytest
from conftest import NO_EXTRAS

from py import train
from py.io import weights
from py.nn.model import from_spec, mlp_spec

SUBNORMAL = np.float32(1e-40)                 # below float32's smallest normal number, 1.18e-38
SMALLEST_NORMAL = np.finfo(np.float32).tiny


def test_loading_flushes_subnormal_weights_and_keeps_the_rest():
    model = from_spec(mlp_spec([784, 20, 10]), seed=1)
    W = model.layers[0].params["W"]
    W[:3, 0] = [SUBNORMAL, -SUBNORMAL, SMALLEST_NORMAL]
    data = weights.to_bytes(model, {})
    loaded = weights.from_bytes(data)[0].layers[0].params["W"]
    assert loaded[0, 0] == 0 and loaded[1, 0] == 0
    assert loaded[2, 0] == SMALLEST_NORMAL                  # the smallest normal number stays
    assert np.array_equal(loaded[3:], W[3:]) and np.array_equal(loaded[:, 1:], W[:, 1:])


@pytest.mark.slow
def test_training_ends_with_no_subnormal_weights(tmp_path, monkeypatch):
    """Pixel 0 is blank in every training image, so its first-layer weights
    get no gradient and would leave training as subnormal as they started."""
    build = train.build_model

    def with_subnormals(args):
        model = build(args)
        model.layers[0].params["W"][0] = SUBNORMAL
        return model

    monkeypatch.setattr(train, "build_model", with_subnormals)
    rng = np.random.default_rng(0)
    rows = [[i % 10, 0, *rng.integers(0, 256, 783)] for i in range(200)]
    data = tmp_path / "d.csv"
    data.write_text("\n".join(",".join(map(str, r)) for r in rows))
    out = tmp_path / "w.npz"
    train.main(["--data", str(data), "--layers", "784,16,10", "--epochs", "1", "--weight-decay", "0",
                "--no-augment", *NO_EXTRAS, "--dropout", "0", "--out", str(out)])
    with np.load(out) as npz:                   # the file as written, not through the flushing loader
        W = npz["0.W"]
    assert (W[0] == 0).all()
    assert (np.abs(W[1:]) >= SMALLEST_NORMAL).all()      # trained weights are untouched
