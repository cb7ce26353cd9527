"""Turn a drawing into the 28×28 image the network expects, the way MNIST made
its images: the ink is scaled so its bounding box fits 20×20 preserving the
aspect ratio, anti-aliased, and placed so its center of mass is at the center
of the 28×28 field.

The drawing arrives as strokes (the pointer's path), not pixels: we scale the
path, then paint it with a pen of MNIST's typical stroke width (PEN px in the
28-px field). So a digit drawn small or large, with any brush, gives strokes of
the same thickness, which a fixed canvas brush cannot (scaling a small drawing
up thickens its strokes; scaling a large one down thins them).

Each pixel's value is the fraction of it the pen covers (area averaging, not
nearest neighbour), from its distance to the nearest stroke segment.
"""

import numpy as np

from ..nn.model import COLS, ROWS

BOX = 20.0      # MNIST fits the ink into 20×20 ...
PEN = 2.6       # ... with strokes ~2.6 px wide (ink area / skeleton length on MNIST)
MIN_SIDE = 0.08  # a drawing smaller than this fraction of the canvas is not blown up further

# Pixel centers of the 28×28 field, (784, 2) as (x, y).
_ys, _xs = np.mgrid[0:ROWS, 0:COLS].astype(np.float32) + np.float32(0.5)
CENTERS = np.stack([_xs.ravel(), _ys.ravel()], axis=1)


def split_strokes(points: np.ndarray, ends: np.ndarray) -> list[np.ndarray]:
    """Flat points [x0, y0, x1, y1, …] and the index one past each stroke's last
    point -> a list of (n_i, 2) arrays, one per stroke."""
    xy = np.asarray(points, np.float32).reshape(-1, 2)
    starts = np.concatenate([[0], np.asarray(ends[:-1], np.int64)])
    return [xy[s:e] for s, e in zip(starts, np.asarray(ends, np.int64)) if e > s]


def too_small(strokes: list[np.ndarray], canvas_size: float) -> bool:
    """True for a mark smaller than MIN_SIDE of the canvas (a dot, a tick):
    too little ink to read as a digit, whatever the network says."""
    every = np.concatenate([s for s in strokes if len(s)] or [np.zeros((1, 2), np.float32)])
    return float(np.ptp(every, axis=0).max()) < MIN_SIDE * canvas_size


def from_strokes(strokes: list[np.ndarray], canvas_size: float) -> np.ndarray | None:
    """Strokes in canvas pixels (list of (n, 2) arrays of x, y) -> (28, 28)
    float32 in [0, 1], ink = 1; None for a blank drawing. `canvas_size` (the
    canvas's longer side, same units) bounds how far a tiny mark is enlarged."""
    strokes = [s for s in strokes if len(s)]
    if not strokes:
        return None
    every = np.concatenate(strokes)
    low, high = every.min(axis=0), every.max(axis=0)
    side = max(float((high - low).max()), MIN_SIDE * canvas_size, 1e-6)
    scale = (BOX - PEN) / side      # the ink box is the path's box plus the pen's width
    mid = (low + high) / 2
    placed = [(s - mid) * scale + np.float32(ROWS / 2) for s in strokes]
    image = render(placed)
    # Move the center of mass to the field's center, exactly, by repainting.
    mass = image.sum()
    shift = np.float32(ROWS / 2) - (image.reshape(-1, 1) * CENTERS).sum(axis=0) / mass
    return render([s + shift for s in placed])


def render(strokes: list[np.ndarray], pen: float = PEN) -> np.ndarray:
    """Paint polylines (in 28-px field coordinates) with a round pen of width
    `pen` -> (28, 28) float32 coverage in [0, 1]."""
    a, b = _segments(strokes)
    ab = b - a                                                      # (S, 2)
    length2 = np.maximum((ab * ab).sum(axis=1), np.float32(1e-12))
    ap = CENTERS[:, None, :] - a[None]                              # (784, S, 2)
    t = np.clip((ap * ab).sum(axis=2) / length2, 0, 1)
    nearest = ap - t[..., None] * ab
    dist = np.sqrt((nearest * nearest).sum(axis=2).min(axis=1))    # (784,)
    # A pixel fully inside the pen is 1, fully outside 0, linear across its width.
    return np.clip(np.float32(pen / 2 + 0.5) - dist, 0, 1).reshape(ROWS, COLS).astype(np.float32)


def _segments(strokes: list[np.ndarray], step: float = 0.35) -> tuple[np.ndarray, np.ndarray]:
    """Segment ends (S, 2) and (S, 2). A pointer path has far more points than
    the pen resolves, so each stroke keeps one point per `step` px of its length
    (and both ends); a one-point stroke becomes a zero-length segment: a dot."""
    starts, stops = [], []
    for s in strokes:
        along = np.concatenate([[0], np.cumsum(np.abs(np.diff(s, axis=0)).sum(axis=1))])
        keep = np.concatenate([[True], np.diff(np.floor(along / step)) > 0])
        keep[-1] = True
        k = s[keep] if len(s) > 1 else np.concatenate([s, s])
        starts.append(k[:-1])
        stops.append(k[1:])
    return np.concatenate(starts), np.concatenate(stops)
