"""Outline glyphs become pen strokes: fill, thin, trace."""

import numpy as np

from py.drawings import outlines


def square(low: float, high: float) -> list[tuple[str, tuple]]:
    corners = [(low, low), (high, low), (high, high), (low, high)]
    return [("moveTo", (corners[0],))] + [("lineTo", (c,)) for c in corners[1:]] + [("closePath", ())]


def test_a_thick_bar_becomes_one_line():
    bar = [("moveTo", ((0, 0),)), ("lineTo", ((1000, 0),)), ("lineTo", ((1000, 120),)), ("lineTo", ((0, 120),)),
           ("closePath", ())]
    strokes, side = outlines.strokes(bar)
    assert side == 1000
    points = np.concatenate(strokes)
    assert np.ptp(points[:, 0]) > 0.75 * outlines.GRID and np.ptp(points[:, 1]) <= 2    # long, one pixel thin
    assert len(strokes) <= 3                                                            # walked, not scattered


def test_a_ring_is_traced_round_its_middle():
    ring = square(0, 1000) + square(200, 800)         # even-odd: the inner square is a hole
    filled = outlines.fill(outlines.flatten(ring))
    assert filled[outlines.GRID // 2, outlines.GRID // 2] == 0 and filled[outlines.GRID // 2, 6] == 1
    skeleton = outlines.thin(filled)
    assert 0 < skeleton.sum() < filled.sum() / 3
    points = np.concatenate(outlines.trace(skeleton))
    # Every skeleton pixel is on a traced line; the lines run between the two squares.
    assert len({(int(x), int(y)) for x, y in points}) == skeleton.sum()
    middle = outlines.MARGIN + 0.1 * (outlines.GRID - 2 * outlines.MARGIN)
    assert np.abs(np.minimum(points, outlines.GRID - points).min(axis=1) - middle).max() < 3


def test_quadratic_loops_with_no_point_on_the_curve():
    """TrueType may describe a round contour by control points alone (fontTools
    ends such a qCurveTo with None); it is a closed loop through their midpoints."""
    contour = outlines.flatten([("qCurveTo", ((0, 0), (100, 0), (100, 100), (0, 100), None))])[0]
    assert np.allclose(contour[0], contour[-1]) and np.allclose(contour[0], (0, 50))
    for midpoint in ((50, 0), (100, 50), (50, 100)):
        assert np.abs(contour - midpoint).sum(axis=1).min() < 1e-9
    assert contour.min() >= 0 and contour.max() <= 100 and np.abs(contour - 50).max(axis=1).min() > 30
