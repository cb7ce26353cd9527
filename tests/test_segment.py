"""Splitting a written number into digits."""

import numpy as np
import pytest
from conftest import REPO

from py.io import weights
from py.page import app, segment
from harness.browser import load_strokes



def styles(digit: str, style: int) -> list:
    """The strokes of one of our drawn styles of `digit` (any number: they repeat)."""
    mine = load_strokes()[digit]
    return mine[style % len(mine)]


def write(text: str, style: int, gap: float = 0.1, size: float = 100) -> list[np.ndarray]:
    drawn = []
    for i, d in enumerate(text):
        offset = np.float32([i * size * (1 + gap), 0])
        drawn += [np.array(s, np.float32) * size + offset for s in styles(d, style)]
    return drawn


def expected_groups(text: str, style: int) -> list[list[int]]:
    groups, i = [], 0
    for d in text:
        n = len(styles(d, style))
        groups.append(list(range(i, i + n)))
        i += n
    return groups


@pytest.mark.parametrize("text", ["2026", "4510", "7741", "1111", "45", "9"])
@pytest.mark.parametrize("style", [0, 1, 2])
@pytest.mark.parametrize("gap", [0.0, 0.1, 0.4])
def test_digits_are_grouped_with_all_their_strokes(text, style, gap):
    assert segment.group(write(text, style, gap)) == expected_groups(text, style)


def test_strokes_written_out_of_order_are_grouped_by_place():
    strokes = write("45", 1)           # 4: two strokes, 5: body then bar
    shuffled = [strokes[3], strokes[0], strokes[2], strokes[1]]
    assert segment.group(shuffled) == [[1, 3], [0, 2]]


def test_empty():
    assert segment.group([]) == []


@pytest.fixture(scope="module")
def model():
    app.models["mlp"] = weights.load(REPO / "weights" / "mlp.npz")
    return "mlp"


@pytest.mark.parametrize("text", ["2026", "31415", "987"])
def test_number_is_read(model, text):
    strokes = write(text, 0, size=80)
    points = np.concatenate(strokes).ravel()
    ends = np.cumsum([len(s) for s in strokes])
    result = app.predict_number(model, points, ends, 80 * 6)
    assert result["text"] == text
    assert [d["best"] for d in result["digits"]] == [int(c) for c in text]
    # Each digit names its strokes: read alone, they are the same digit, the same image.
    assert sorted(i for d in result["digits"] for i in d["strokes"]) == list(range(len(strokes)))
    for d in result["digits"]:
        alone = [strokes[i] for i in d["strokes"]]
        single = app.predict(model, np.concatenate(alone).ravel(), np.cumsum([len(s) for s in alone]), 80 * 6)
        assert single["image"] == d["image"] and single["best"] == d["best"]
