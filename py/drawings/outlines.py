"""Outline fonts (a glyph is a filled shape) turned into pen strokes, the way
the page receives a drawing: the glyph is filled on a 64×64 grid, thinned to
a one-pixel skeleton (Zhang & Suen, 1984), and the skeleton traced into
polylines. Handwriting fonts come out as a pen would have drawn them.
Used by fonts.py (with fontTools, a dev dependency) to build the glyph sets.
"""

import numpy as np

GRID = 64       # pixels across the filled glyph: a stroke of a 28×28 digit is ~3 of them
MARGIN = 3


def flatten(recording: list[tuple[str, tuple]]) -> list[np.ndarray]:
    """A fontTools RecordingPen's value (moveTo, lineTo, curveTo, qCurveTo,
    closePath, in font units, y up) -> closed polygons (n, 2), curves as short
    segments."""
    contours, current = [], None
    for op, args in recording:
        if op == "moveTo":
            current = [np.array(args[0], np.float64)]
            contours.append(current)
        elif op == "lineTo":
            current.append(np.array(args[0], np.float64))
        elif op == "curveTo":                   # cubic Bézier, possibly several (implied on-curve points)
            current += _bezier([current[-1], *map(np.array, args)])
        elif op == "qCurveTo" and args[-1] is None:     # a closed loop of off-curve points only
            points = [np.array(p, np.float64) for p in args[:-1]]
            current = [(points[-1] + points[0]) / 2]
            contours.append(current)
            for i, control in enumerate(points):
                current += _bezier([current[-1], control, (control + points[(i + 1) % len(points)]) / 2])
        elif op == "qCurveTo":                  # TrueType quadratic spline: implied on-curve midpoints
            points = [np.array(p, np.float64) for p in args]
            for i, control in enumerate(points[:-1]):
                end = points[i + 1] if i == len(points) - 2 else (control + points[i + 1]) / 2
                current += _bezier([current[-1], control, end])
        elif op in ("closePath", "endPath") and current:
            current.append(current[0])
    return [np.array(c) for c in contours if len(c) > 2]


def _bezier(control: list[np.ndarray], n: int = 8) -> list[np.ndarray]:
    """Points along a Bézier curve of any degree (de Casteljau), start excluded."""
    out = []
    for t in np.linspace(0, 1, n + 1)[1:]:
        p = [np.asarray(c, np.float64) for c in control]
        while len(p) > 1:
            p = [(1 - t) * a + t * b for a, b in zip(p, p[1:])]
        out.append(p[0])
    return out


def fill(contours: list[np.ndarray]) -> np.ndarray:
    """Polygons (font units, y up) -> (GRID, GRID) bool image, y down, the
    glyph's longer side spanning the grid less its margins (even-odd rule)."""
    every = np.concatenate(contours)
    low, high = every.min(axis=0), every.max(axis=0)
    scale = (GRID - 2 * MARGIN) / max(float((high - low).max()), 1e-9)
    ys, xs = np.mgrid[0:GRID, 0:GRID] + 0.5
    inside = np.zeros((GRID, GRID), bool)
    for c in contours:
        p = (c - low) * scale + MARGIN
        p[:, 1] = GRID - p[:, 1]
        a, b = p[:-1], p[1:]
        # A horizontal ray from each pixel to the right crosses the edge?
        spans = (a[:, 1] > ys[..., None]) != (b[:, 1] > ys[..., None])
        dy = np.where(b[:, 1] == a[:, 1], 1e-12, b[:, 1] - a[:, 1])
        x_cross = a[:, 0] + (ys[..., None] - a[:, 1]) * (b[:, 0] - a[:, 0]) / dy
        inside ^= (spans & (xs[..., None] < x_cross)).sum(axis=-1) % 2 == 1
    return inside


def thin(image: np.ndarray) -> np.ndarray:
    """Zhang-Suen thinning of a bool image to a skeleton one pixel wide."""
    img = image.astype(np.uint8)
    while True:
        changed = False
        for step in (0, 1):
            p = np.pad(img, 1)
            # The 8 neighbours clockwise from the top: P2 .. P9.
            n = [p[:-2, 1:-1], p[:-2, 2:], p[1:-1, 2:], p[2:, 2:], p[2:, 1:-1], p[2:, :-2], p[1:-1, :-2], p[:-2, :-2]]
            count = sum(x.astype(int) for x in n)
            transitions = sum(((n[i] == 0) & (n[(i + 1) % 8] == 1)).astype(int) for i in range(8))
            p2, p4, p6, p8 = n[0], n[2], n[4], n[6]
            if step == 0:
                corner = (p2 * p4 * p6 == 0) & (p4 * p6 * p8 == 0)
            else:
                corner = (p2 * p4 * p8 == 0) & (p2 * p6 * p8 == 0)
            remove = (img == 1) & (count >= 2) & (count <= 6) & (transitions == 1) & corner
            if remove.any():
                img[remove] = 0
                changed = True
        if not changed:
            return img.astype(bool)


def trace(skeleton: np.ndarray) -> list[np.ndarray]:
    """Skeleton pixels -> polylines (n, 2) of pixel centers (x, y): walks start
    at the line ends and follow unused links between 8-neighbours."""
    pixels = sorted(zip(*map(lambda a: a.tolist(), np.nonzero(skeleton))))
    on = set(pixels)
    steps = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx]
    neighbours = {p: [(p[0] + dy, p[1] + dx) for dy, dx in steps if (p[0] + dy, p[1] + dx) in on] for p in pixels}
    used, lines = set(), []
    # Line ends first, so that a stroke is walked from one end to the other.
    for start in sorted(pixels, key=lambda p: len(neighbours[p]) != 1):
        if not neighbours[start]:
            lines.append([start])                       # a dot
        for first in neighbours[start]:
            if frozenset((start, first)) in used:
                continue
            line, here = [start, first], first
            used.add(frozenset(line))
            while True:
                ahead = [q for q in neighbours[here] if frozenset((here, q)) not in used]
                if not ahead:
                    break
                # Straight on where the skeleton allows: an orthogonal step first.
                nxt = min(ahead, key=lambda q: abs(q[0] - here[0]) + abs(q[1] - here[1]))
                used.add(frozenset((here, nxt)))
                line.append(nxt)
                here = nxt
            lines.append(line)
    return [np.array([(x + 0.5, y + 0.5) for y, x in line], np.float32) for line in lines]


def strokes(recording: list[tuple[str, tuple]]) -> tuple[list[np.ndarray], float]:
    """A glyph's outline (RecordingPen value) -> its strokes (pixels of the
    grid, y down) and the longer side of its outline, in font units."""
    contours = flatten(recording)
    return trace(thin(fill(contours))), float(np.ptp(np.concatenate(contours), axis=0).max())
