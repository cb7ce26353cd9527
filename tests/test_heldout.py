"""The shipped networks on drawings they never trained or were tuned on,
rendered natively through the page's own preprocessing (py/page/preprocess.py),
as `./build.sh bench drawn` draws them with the mouse on the page. The floors
are what the shipped files achieve (docs/networks.md, "Measured on what it never saw")."""

import numpy as np
import pytest
from conftest import REPO

import heldout
from py.io import weights

pytestmark = pytest.mark.slow      # renders some two thousand drawings

# name -> (held-out non-digits "not sure" at least, other hands' digits right at least, wrong at most)
# The goals (0.90, 0.985, 0.005) are not met yet: these are what the
# shipped files achieve, less a margin for another machine's last bits.
FLOORS = {"cnn": (0.76, 0.96, 0.03), "mlp": (0.50, 0.95, 0.03)}
MAX_TURNED_AWAY = 0.015          # digits answered "not sure", on validation and on our own drawn stroke set


@pytest.fixture(scope="module")
def drawn() -> dict[str, tuple[list, np.ndarray]]:
    parts = {"own": heldout.digit_cases("own"), "hands": heldout.digit_cases("held-out"),
             "nondigits": heldout.nondigit_cases()}
    return {k: (cases, np.array([heldout.render(c).ravel() for c in cases])) for k, cases in parts.items()}


def answers(name: str, images: np.ndarray) -> np.ndarray:
    """The page's answers: the digit, or -1 for "not sure"."""
    model, meta = weights.load(REPO / "weights" / f"{name}.npz")
    probs = model.predict_proba(images, meta["temperature"])
    return np.where(probs.max(axis=1) >= meta["reject_below"], probs.argmax(axis=1), -1)


@pytest.mark.parametrize("name", FLOORS)
def test_held_out_non_digits_get_not_sure(drawn, name):
    cases, images = drawn["nondigits"]
    unsure = answers(name, images) == -1
    assert unsure.mean() >= FLOORS[name][0], unsure.mean()
    for group in ("letter", "symbol", "shape"):            # no group left behind
        mine = np.array([c.group == group for c in cases])
        assert unsure[mine].mean() >= FLOORS[name][0] - 0.1, (group, unsure[mine].mean())


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
