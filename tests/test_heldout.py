"""The shipped networks on drawings they never trained or were tuned on,
rendered natively through the page's own preprocessing (py/page/preprocess.py),
as `./build.sh bench drawn` draws them with the mouse on the page. The floors
are what the shipped files achieve (docs/networks.md, "Measured on what it never saw")."""

import numpy as np
import pytest
from conftest import REPO

import heldout
from py import evaluate
from py.drawings import strokeset, unipen
from py.io import weights
from py.page import app, preprocess

pytestmark = pytest.mark.slow      # renders some two thousand drawings

# name -> (held-out non-digits "not sure" at least, other hands' digits right at least, wrong at most)
# The goals (0.90, 0.985, 0.005) are not met yet: these are what the
# shipped files achieve, less a margin for another machine's last bits.
FLOORS = {"cnn": (0.74, 0.97, 0.03), "mlp": (0.66, 0.975, 0.02)}
# name -> held-out non-digits "not sure" at least, per group: none left behind
GROUP_FLOORS = {"cnn": {"letter": 0.79, "symbol": 0.70, "shape": 0.52},
                "mlp": {"letter": 0.71, "symbol": 0.62, "shape": 0.52}}
MAX_TURNED_AWAY = 0.015          # digits answered "not sure", on validation and on our own drawn stroke set


@pytest.fixture(scope="module")
def drawn() -> dict[str, tuple[list, np.ndarray]]:
    parts = {"own": heldout.digit_cases("own"), "hands": heldout.digit_cases("held-out"),
             "nondigits": heldout.nondigit_cases()}
    return {k: (cases, np.array([heldout.render(c).ravel() for c in cases])) for k, cases in parts.items()}


def answers(name: str, images: np.ndarray) -> np.ndarray:
    """The page's answers: the digit, or -1 for "not sure"."""
    return heldout.answers(*weights.load(REPO / "weights" / f"{name}.npz"), images)


@pytest.mark.parametrize("name", FLOORS)
def test_held_out_non_digits_get_not_sure(drawn, name):
    cases, images = drawn["nondigits"]
    unsure = answers(name, images) == -1
    assert unsure.mean() >= FLOORS[name][0], unsure.mean()
    for group, floor in GROUP_FLOORS[name].items():
        mine = np.array([c.group == group for c in cases])
        assert unsure[mine].mean() >= floor, (group, unsure[mine].mean())


@pytest.mark.parametrize("name", FLOORS)
def test_other_hands_digits_are_read(drawn, name):
    cases, images = drawn["hands"]
    got, expected = answers(name, images), np.array([int(c.expected) for c in cases])
    right, wrong = (got == expected).mean(), ((got != expected) & (got != -1)).mean()
    assert right >= FLOORS[name][1] and wrong <= FLOORS[name][2], (right, wrong)


@pytest.mark.parametrize("name", FLOORS)
def test_few_digits_are_turned_away(drawn, name):
    _, meta = weights.load(REPO / "weights" / f"{name}.npz")
    assert meta["calibration"]["digits_rejected"] <= MAX_TURNED_AWAY
    assert (answers(name, drawn["own"][1]) == -1).mean() <= MAX_TURNED_AWAY


# Real writers nobody here knows (py/drawings/unipen.npz, held-out part), as
# `python -m py.evaluate --data unipen` reads them.
# name -> (digits right at least, wrong at most, "not sure" at most, letters and symbols "not sure" at least)
# The goals (0.99, 0.005, 0.01, 0.95) are not met yet: these are what the
# shipped files achieve, less a margin for another machine's last bits.
WRITER_FLOORS = {"cnn": (0.945, 0.035, 0.025, 0.875), "mlp": (0.945, 0.04, 0.02, 0.78)}


@pytest.fixture(scope="module")
def writers() -> dict[str, dict]:
    drawn = [d for d in strokeset.load(unipen.FILE) if d.part == "held-out"]
    return evaluate.writers_report({name: weights.load(REPO / "weights" / f"{name}.npz") for name in WRITER_FLOORS},
                                   drawn)


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


def test_the_report_answers_as_the_page_does():
    """evaluate.page_answers, which reads thousands at once, is the page's
    classify: the same answer for each of a sample of drawings, small ones
    and "not sure" ones included."""
    drawn = [d for d in strokeset.load(unipen.FILE) if d.part == "held-out"][::50]
    model, meta = weights.load(REPO / "weights" / "cnn.npz")
    images = unipen.images(drawn)
    small = np.array([preprocess.too_small(unipen.placed(d), 1.0) for d in drawn])
    app.models["held-out check"] = (model, meta)
    try:
        page = [app.classify("held-out check", unipen.placed(d), 1.0)["digit"] for d in drawn]
    finally:
        app.models.pop("held-out check")
    assert list(evaluate.page_answers(model, meta, images, small)) == [-1 if p is None else p for p in page]
    assert small.any() and None in page
