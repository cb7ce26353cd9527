"""The page's built files (py/site.py): the shipped networks as float16,
half the bytes, answering as the float32 files do; the standard library and
numpy trimmed to what the page imports; zips stored, for brotli."""

import io
import json
import zipfile
from pathlib import Path

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


def page_archives(build: dict) -> dict[str, Path]:
    """The standard library's zip, numpy's wheel and ours, as the page loads them at start-up."""
    runtime = REPO / "web" / build["runtime"]
    lock = json.loads((REPO / "web" / build["lock"]).read_text())["packages"]
    return {"stdlib": runtime / "python_stdlib.zip", "numpy": (runtime / lock["numpy"]["file_name"]).resolve(),
            "ours": (runtime / lock["digits"]["file_name"]).resolve()}


@pytest.mark.site
def test_the_standard_library_and_numpy_hold_what_the_page_imports_stored_for_brotli(build):
    """What the page's flows import stays (tests/test_wheel.py runs them on
    these very files): what the first answer imports in the zip and the
    wheels, the rest in build.json's `rest`, once; what nothing of the page
    imports is gone."""
    modules = {}
    for name, path in {**page_archives(build), "rest": REPO / "web" / build["rest"]}.items():
        with zipfile.ZipFile(path) as z:
            assert {i.compress_type for i in z.infolist()} == {zipfile.ZIP_STORED}, name
            modules[name] = {n.rsplit(".", 1)[0] for n in z.namelist() if not n.endswith("/")}
        assert path.with_name(path.name + ".br").stat().st_size < 0.5 * path.stat().st_size, name
    rest = {n.removeprefix("site-packages/") for n in modules["rest"]}
    stdlib, numpy = modules["stdlib"] | rest, modules["numpy"] | rest
    assert not (modules["stdlib"] | modules["numpy"] | modules["ours"]) & rest
    assert {"json/__init__", "zipfile/__init__", "csv", "asyncio/__init__"} <= stdlib
    assert "dataclasses" in rest                      # the sessions' settings: not before the first answer
    assert not {"unittest/__init__", "pydoc", "http/server", "xml/dom/minidom"} & stdlib
    assert "numpy/__init__" in numpy and "numpy/linalg/_linalg" in numpy
    assert not [m for m in numpy if "/tests/" in m or m.startswith(("numpy/f2py/", "numpy/ma/"))]


@pytest.mark.site
def test_the_standard_library_and_numpy_ship_without_docstrings_but_where_they_are_read(build):
    """tools/compile_lean.py: a third fewer bytes. Pyodide's packages read
    their docstrings at start-up, and numpy hands those of its dispatchers
    to its C functions, so these stay (the page's start proves the rest)."""
    archives = page_archives(build)
    with zipfile.ZipFile(archives["stdlib"]) as z:
        json_module, pyodide_docstring = z.read("json/__init__.pyc"), z.read("_pyodide/docstring.pyc")
    with zipfile.ZipFile(archives["numpy"]) as z:
        fromnumeric, multiarray = z.read("numpy/_core/fromnumeric.pyc"), z.read("numpy/_core/multiarray.pyc")
    assert b"JSON (JavaScript Object Notation)" not in json_module and b"JSONDecoder" in json_module
    assert b"This removes initial spaces from the lines of the docstring." in pyodide_docstring
    assert b"Take elements from an array along an axis." not in fromnumeric and b"take" in fromnumeric
    assert b"Return a new array with the same shape and type as a given array." in multiarray
