"""The drawing -> 28×28 pipeline: MNIST's rules, whatever size and place the drawing has."""

import numpy as np
import pytest

from py.page import preprocess
from harness.browser import load_strokes
from py.page.preprocess import BOX, PEN, from_strokes, split_strokes

CANVAS = 400.0
DIGITS = list("0123456789")


def drawn(digit: str, style: int = 0, size: float = 300, at=(50, 50)) -> list[np.ndarray]:
    return [np.array(s, np.float32) * size + np.float32(at) for s in load_strokes()[digit][style]]


def check_image(image: np.ndarray) -> None:
    assert image.shape == (28, 28) and image.dtype == np.float32
    assert image.min() >= 0 and image.max() <= 1


def center_of_mass(image: np.ndarray) -> np.ndarray:
    return (image.reshape(-1, 1) * preprocess.CENTERS).sum(axis=0) / image.sum()


@pytest.mark.parametrize("digit", DIGITS)
def test_small_in_a_corner_equals_large_in_the_middle(digit):
    large = from_strokes(drawn(digit, size=320, at=(40, 40)), CANVAS)
    small = from_strokes(drawn(digit, size=70, at=(5, 310)), CANVAS)
    check_image(large)
    assert np.abs(large - small).max() < 1e-3


@pytest.mark.parametrize("digit", DIGITS)
def test_mnist_geometry(digit):
    """Ink fits 20×20 with the longer side filling it; center of mass at the center."""
    image = from_strokes(drawn(digit), CANVAS)
    rows, cols = np.nonzero(image > 0.05)
    longest = max(rows.max() - rows.min(), cols.max() - cols.min()) + 1
    assert BOX - 1 <= longest <= BOX + 1
    assert np.abs(center_of_mass(image) - 14).max() < 0.05


def test_stroke_width_does_not_depend_on_drawing_size():
    """A line's ink per unit length is the pen width, however large it was drawn."""
    for size in (40, 120, 390):      # from a tenth of the canvas to all of it
        line = [np.array([[0, 0], [0.3, 0], [0.6, 0], [1, 0]], np.float32) * size]
        image = from_strokes(line, CANVAS)
        length = BOX - PEN          # the path's length in the 28-px field
        ink = PEN * length + np.pi * (PEN / 2) ** 2      # a pen-wide band plus its two round caps
        assert image.sum() == pytest.approx(ink, rel=0.03)
        column = image[:, 14]
        assert (column > 0.5).sum() in (2, 3)     # 2.6 px across


def test_aspect_ratio_is_kept():
    image = from_strokes([np.array([[100, 20], [100, 380]], np.float32)], CANVAS)   # a 1
    cols = np.nonzero(image.max(axis=0) > 0.05)[0]
    assert cols.max() - cols.min() + 1 <= 5


def test_blank_drawing_is_none():
    assert from_strokes([], CANVAS) is None
    assert from_strokes([np.zeros((0, 2), np.float32)], CANVAS) is None
    assert split_strokes(np.zeros(0, np.float32), np.zeros(0, np.int32)) == []


def test_a_dot_stays_a_small_dot_in_the_center():
    image = from_strokes([np.array([[200, 200]], np.float32)], CANVAS)
    check_image(image)
    assert 2 < image.sum() < 10
    assert np.abs(center_of_mass(image) - 14).max() < 0.05


def test_full_canvas_scribble():
    rng = np.random.default_rng(0)
    image = from_strokes([rng.uniform(0, CANVAS, (400, 2)).astype(np.float32)], CANVAS)
    check_image(image)
    rows, cols = np.nonzero(image > 0.05)
    assert rows.max() - rows.min() < 21 and cols.max() - cols.min() < 21
    assert image.mean() > 0.3


def test_split_strokes_round_trip():
    strokes = drawn("4")
    points = np.concatenate(strokes).ravel()
    ends = np.cumsum([len(s) for s in strokes])
    again = split_strokes(points, ends)
    assert len(again) == 2 and all(np.array_equal(a, b) for a, b in zip(again, strokes))
