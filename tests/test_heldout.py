"""The shipped networks on drawings they never trained or were tuned on,
answered natively through the page's own door (py.page.app.classify_many:
its preprocessing, the pen's path network joined, its "not sure"), as
`./build.sh bench drawn` draws them with the mouse on the page. The floors
are what the shipped files achieve (docs/networks.md, "Measured on what it never saw")."""

import numpy as np
import pytest
from conftest import REPO

from harness import heldout
from py import evaluate
from py.drawings import strokeset, unipenset
from py.io import weights
from py.page import app

pytestmark = pytest.mark.slow      # renders some two thousand drawings

# name -> (held-out non-digits "not sure" at least, other hands' digits right at least, wrong at most)
# The goals (0.90, 0.985, 0.005) are not met yet: these are what the
# shipped files achieve joined with the pen's path, less a margin for
# another machine's last bits.
FLOORS = {"cnn": (0.75, 0.96, 0.025), "mlp": (0.73, 0.955, 0.035)}
# name -> held-out non-digits "not sure" at least, per group: none left behind
GROUP_FLOORS = {"cnn": {"letter": 0.79, "symbol": 0.73, "shape": 0.47},
                "mlp": {"letter": 0.78, "symbol": 0.69, "shape": 0.41}}
MAX_TURNED_AWAY = 0.015          # digits answered "not sure", on validation and on our own drawn stroke set


@pytest.fixture(scope="module", autouse=True)
def shipped():
    """The shipped networks and the pen's path network, loaded as the page loads them."""
    for name in (*FLOORS, app.PATH):
        app.models[name] = weights.load(REPO / "weights" / f"{name}.npz")
    yield
    for name in (*FLOORS, app.PATH):
        app.models.pop(name)


@pytest.fixture(scope="module")
def drawn() -> dict[str, list]:
    return {"own": heldout.digit_cases("own"), "hands": heldout.digit_cases("held-out"),
            "nondigits": heldout.nondigit_cases()}


@pytest.mark.parametrize("name", FLOORS)
def test_held_out_non_digits_get_not_sure(drawn, name):
    cases = drawn["nondigits"]
    unsure = heldout.answers(name, cases) == -1
    assert unsure.mean() >= FLOORS[name][0], unsure.mean()
    for group, floor in GROUP_FLOORS[name].items():
        mine = np.array([c.group == group for c in cases])
        assert unsure[mine].mean() >= floor, (group, unsure[mine].mean())


@pytest.mark.parametrize("name", FLOORS)
def test_other_hands_digits_are_read(drawn, name):
    cases = drawn["hands"]
    got, expected = heldout.answers(name, cases), np.array([int(c.expected) for c in cases])
    right, wrong = (got == expected).mean(), ((got != expected) & (got != -1)).mean()
    assert right >= FLOORS[name][1] and wrong <= FLOORS[name][2], (right, wrong)


@pytest.mark.parametrize("name", FLOORS)
def test_few_digits_are_turned_away(drawn, name):
    _, meta = weights.load(REPO / "weights" / f"{name}.npz")
    assert meta["calibration"]["digits_rejected"] <= MAX_TURNED_AWAY
    assert (heldout.answers(name, drawn["own"]) == -1).mean() <= MAX_TURNED_AWAY


# Real writers nobody here knows (py/drawings/unipen.npz, held-out part), as
# `python -m py.evaluate --data unipen` reads them.
# name -> (digits right at least, wrong at most, "not sure" at most, letters and symbols "not sure" at least)
# The goals (0.99, 0.005, 0.01, 0.95) are not met yet: these are what the
# shipped files achieve joined with the pen's path (on this sample: CNN
# 96.6% / 2.2% / 1.2%, 92.3%), less a margin for another machine's last bits.
WRITER_FLOORS = {"cnn": (0.955, 0.03, 0.02, 0.90), "mlp": (0.955, 0.03, 0.02, 0.855)}


@pytest.fixture(scope="module")
def writers() -> dict[str, dict]:
    # Every other held-out digit, and a tenth of their letters and symbols
    # (some 4,000 drawings in all: this runs inside Pyodide too, where each
    # takes milliseconds); py.evaluate reads them all.
    held_out = [d for d in strokeset.load(unipenset.FILE) if d.part == "held-out"]
    drawn = [d for i, d in enumerate(held_out) if i % (2 if d.group == "digit" else 10) == 0]
    return evaluate.writers_report(list(WRITER_FLOORS), drawn)


@pytest.mark.parametrize("name", WRITER_FLOORS)
def test_held_out_writers_digits_are_read(writers, name):
    r, (right, wrong, unsure, _) = writers[name], WRITER_FLOORS[name]
    assert r["writers"] >= 25
    assert r["right"] >= right and r["wrong"] <= wrong and r["not_sure"] <= unsure, r


@pytest.mark.parametrize("name", WRITER_FLOORS)
def test_held_out_writers_letters_and_symbols_get_not_sure(writers, name):
    r, floor = writers[name], WRITER_FLOORS[name][3]
    assert r["nondigits_not_sure"] >= floor, r
    assert min(r["by_group"].values()) >= floor - 0.15, r["by_group"]    # symbols as well as letters
