"""Hostile and unlucky input (the catalogue in harness/hostile.py) never gets a
traceback nor damages a good file, and bombs are refused in little memory:
through the command-line tools, and through the page's Import
(py.page.app.load_model), which must keep the model it has unless the new
file loads and answers. How fast bombs are refused: `./build.sh bench hostile`."""

import tracemalloc

import numpy as np
import pytest
from conftest import REPO
from harness.hostile import WEIGHTS, cases, run, zip64_bomb

from py.io import weights
from py.io.errors import BadInput
from py.page import app

CASES = cases()


@pytest.mark.processes
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_command_line(case):
    o = run(case)
    assert not o.problems, (o.problems, o.err[-3000:])
    if case.bomb:        # at most twice the input's size on disk, and 200 MB
        assert o.peak_mb <= 2 * o.disk_mb + 200, o.peak_mb


@pytest.fixture(scope="module")
def shipped():
    return weights.load(REPO / "weights" / "mlp.npz")


@pytest.fixture
def shipped_mlp(shipped):
    """The page's "mlp" is the shipped one during the test, as it was after."""
    before = app.models.get("mlp")
    app.models["mlp"] = shipped
    yield shipped
    if before is None:
        app.models.pop("mlp")
    else:
        app.models["mlp"] = before


STROKE = np.array([0.5, 0.15, 0.5, 0.5, 0.5, 0.85], np.float32), np.array([3], np.int32)   # a 1


@pytest.mark.parametrize("name", WEIGHTS)
def test_page_import(name, shipped_mlp):
    """A refused file leaves the page's model as it was and answering; a good one replaces it."""
    case = WEIGHTS[name]
    data = case.build()
    if case.bomb:
        tracemalloc.start()
    if case.loads:
        described = app.load_model("mlp", memoryview(data), "import.npz")
        assert app.models["mlp"] is not shipped_mlp and described["name"] == "mlp"
    else:
        with pytest.raises(BadInput) as e:
            app.load_model("mlp", memoryview(data), "import.npz")
        assert str(e.value).startswith("import.npz: ") and "\n" not in str(e.value)
        assert app.models["mlp"] is shipped_mlp
    if case.bomb:        # nothing inflated or allocated as the file asks: at most twice its size, and 20 MB
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak <= 2 * len(data) + (20 << 20), peak
    answer = app.predict("mlp", *STROKE, 1.0)
    assert len(answer["probs"]) == 10 and np.isfinite(answer["probs"]).all()


def test_a_zip64_bomb_is_refused_for_what_its_member_claims():
    """Zip64 end records are no sign of "too many members" (the reason once
    given): the member claiming 6 GiB, far more than the model's array
    needs, is the reason."""
    with pytest.raises(BadInput, match=r"^bomb\.npz: 0\.W\.npy: inflates to 6,442,451,072 bytes, more than the "
                                       r"54,272 it may hold$"):
        weights.from_bytes(zip64_bomb(), "bomb.npz")


@pytest.mark.parametrize("name", ["x" * 292 + ".csv", "..", "."])
def test_page_samples_import_of_any_name(name):
    """The page's Import samples reads the file's bytes as they are: a name
    too long for a file system, or "..", is only a name (writing a copy of
    the file under it was an OSError), and errors name the file."""
    row = ",".join(["3"] + ["0"] * 784) + "\n"
    assert list(app.read_samples(row.encode(), name)["labels"]) == [3]
    with pytest.raises(BadInput) as e:
        app.read_samples(b"1,2,3\n", name)
    assert str(e.value) == f"{name}: line 1: expected 785 values (label and 784 pixels), got 3"
