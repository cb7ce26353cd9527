"""The pen's own path, as the second network reads it.

A picture cannot tell a 7 with a crossbar from a 2, nor a 1 with a flag from
a 7; the pen can: the crossed 7 is two strokes, the bar short and drawn
last, and a flagged 1 starts with a short stroke up. So besides the 28×28
image, the page reads the drawing's strokes, in order, with their direction:

1. The strokes are joined into one path, the pen's jumps between them
   included as straight "air" segments (pen up).
2. The path is moved to its box's center and scaled so its longer side is 1
   (the aspect ratio kept: a 1 stays thin).
3. It is resampled to POINTS points evenly spaced along its length, ink and
   air alike, so a drawing's speed and number of pointer events do not count.
4. Each point gives CHANNELS numbers: x, y, pen (1 on ink, 0 in the air),
   and the direction of travel to the next point (cos, sin).

    features(strokes) -> (POINTS * CHANNELS,) float32, or None

None when the path cannot be trusted (`trusted`): no ink length (dots
only), or more than MAX_STROKES strokes (hatching, a scribble, a number
written as one drawing): the image network then answers alone.
"""

import numpy as np

from ..nn.model import PATH_CHANNELS as CHANNELS, PATH_POINTS as POINTS

MAX_STROKES = 6       # real writers' digits take 1 to 4 strokes; more is no digit the path can tell


def trusted(strokes: list[np.ndarray]) -> bool:
    """Whether `strokes` make a path the path network can read (module docstring)."""
    strokes = [s for s in strokes if len(s)]
    return 1 <= len(strokes) <= MAX_STROKES and any(_length(s) > 0 for s in strokes)


def features(strokes: list[np.ndarray]) -> np.ndarray | None:
    """Strokes (list of (n, 2) arrays of x, y, y down, any units) ->
    (POINTS * CHANNELS,) float32: POINTS rows of (x, y, pen, cos, sin),
    x and y within -0.5..0.5; None when the path cannot be trusted."""
    strokes = [np.asarray(s, np.float64) for s in strokes if len(s)]
    if not trusted(strokes):
        return None
    # The path: every stroke's points, pen down, then a jump (pen up) to the next.
    xy = np.concatenate(strokes)
    pen = np.concatenate([np.r_[np.ones(len(s) - 1), 0.0] for s in strokes])[:-1]   # of each segment
    low, high = xy.min(axis=0), xy.max(axis=0)
    xy = (xy - (low + high) / 2) / max(float((high - low).max()), 1e-9)
    step = np.hypot(*np.diff(xy, axis=0).T)                      # (segments,)
    along = np.concatenate([[0.0], np.cumsum(step)])
    at = np.linspace(0, along[-1], POINTS)
    # Each sample point falls in one segment: interpolate within it.
    seg = np.clip(np.searchsorted(along, at, side="right") - 1, 0, len(step) - 1)
    t = np.where(step[seg] > 0, (at - along[seg]) / np.where(step[seg] > 0, step[seg], 1), 0)[:, None]
    points = xy[seg] + t * (xy[seg + 1] - xy[seg])
    direction = np.diff(points, axis=0, append=points[-1:] + (points[-1:] - points[-2:-1]))
    direction /= np.maximum(np.hypot(*direction.T), 1e-9)[:, None]
    return np.column_stack([points, pen[seg], direction]).astype(np.float32).ravel()


def _length(stroke: np.ndarray) -> float:
    return float(np.hypot(*np.diff(stroke, axis=0).T).sum()) if len(stroke) > 1 else 0.0


# Each of the path network's probabilities counts as at least FLOOR (the rest
# scaled to make room): it learned from 97 writers, and a stroke order none
# of them used (a 6's loop drawn clockwise reads to it as a 5, at 100%) must
# not overrule a sure picture. It can shift the odds between two digits by
# at most (1 - 9 * FLOOR) / FLOOR = 41 times (to the power `weight`).
FLOOR = 0.02


def combine(image_probs: np.ndarray, path_probs: np.ndarray, weight: float) -> np.ndarray:
    """(..., 10) and (..., 10) -> (..., 10): the product of the two networks'
    calibrated probabilities, the path's floored at FLOOR and raised to
    `weight` (0: the image alone), made to sum to 1. Where both agree the
    answer sharpens; a drawing that is no digit, which both answer near
    uniformly, stays unsure."""
    floored = path_probs * (1 - 10 * FLOOR) + FLOOR
    log = np.log(np.maximum(image_probs, 1e-12)) + weight * np.log(floored)
    p = np.exp(log - log.max(axis=-1, keepdims=True))
    return p / p.sum(axis=-1, keepdims=True)
