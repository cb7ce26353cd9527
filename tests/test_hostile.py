"""Issue 13: hostile and unlucky input (the catalogue in tests/hostile.py)
never gets a traceback nor damages a good file, and bombs are refused
quickly, in little memory: through the command-line tools, and through the
page's Import (py.app.load_model), which must keep the model it has unless
the new file loads and answers."""

import time

import numpy as np
import pytest
from conftest import REPO
from hostile import WEIGHTS, cases, run

from py import app, weights
from py.errors import BadInput

CASES = cases()


@pytest.mark.processes
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_command_line(case):
    o = run(case)
    assert not o.problems, (o.problems, o.err[-3000:])
    if case.bomb:        # the goal: at most 2× the input's size on disk + 200 MB, refused within 2 s
        assert o.peak_mb <= 2 * o.disk_mb + 200, o.peak_mb
        assert o.seconds < 2, o.seconds


@pytest.fixture(scope="module")
def shipped():
    return weights.load(REPO / "weights" / "mlp.npz")


@pytest.fixture
def page(shipped):
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
def test_page_import(name, page):
    """A refused file leaves the page's model as it was and answering; a good one replaces it."""
    case = WEIGHTS[name]
    data = case.build()
    started = time.perf_counter()
    if case.loads:
        described = app.load_model("mlp", memoryview(data), "import.npz")
        assert app.models["mlp"] is not page and described["name"] == "mlp"
    else:
        with pytest.raises(BadInput) as e:
            app.load_model("mlp", memoryview(data), "import.npz")
        assert str(e.value).startswith("import.npz: ") and "\n" not in str(e.value)
        assert app.models["mlp"] is page
    if case.bomb:
        assert time.perf_counter() - started < 2
    answer = app.predict("mlp", *STROKE, 1.0)
    assert len(answer["probs"]) == 10 and np.isfinite(answer["probs"]).all()
