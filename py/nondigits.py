"""Synthetic drawings that are not digits, put through the page's own
preprocessing: dots, flat lines, scribbles, filled blobs, scattered strokes and
hatching. Training shows them with a uniform target ("no digit is likely"), and
the evaluation checks that the network declines to name a digit for them.

Shapes that are digits in some hands are avoided on purpose: no near-vertical
line (a 1), no single open curve or loop (a 0, 6, 7 …).
"""

import numpy as np

from .preprocess import from_strokes

KINDS = ("dots", "line", "scribble", "blob", "scatter", "hatch")


def _dots(rng):
    return [rng.uniform(0, 1, (1, 2)) for _ in range(rng.integers(1, 4))]


def _line(rng):
    angle = rng.uniform(-35, 35) * np.pi / 180          # flat-ish: a steep line would be a 1
    half = rng.uniform(0.2, 0.45) * np.array([np.cos(angle), np.sin(angle)])
    mid = rng.uniform(0.3, 0.7, 2)
    return [np.linspace(mid - half, mid + half, 12)]


def _scribble(rng):
    return [rng.uniform(0, 1, (rng.integers(12, 25), 2))]


def _blob(rng):
    # A filled disk, drawn as a dense zigzag across it.
    t = np.linspace(0, 1, 60)
    radius = rng.uniform(0.25, 0.45)
    y = (2 * t - 1) * radius
    x = np.sqrt(np.maximum(radius ** 2 - y ** 2, 0)) * np.where(np.arange(60) % 2, 1, -1)
    return [np.stack([x, y], axis=1) + 0.5]


def _scatter(rng):
    strokes = []
    for _ in range(rng.integers(4, 9)):
        start = rng.uniform(0, 1, 2)
        strokes.append(np.stack([start, start + rng.uniform(-0.12, 0.12, 2)]))
    return strokes


def _hatch(rng):
    n = rng.integers(3, 6)
    angle = rng.uniform(0, np.pi)
    direction = np.array([np.cos(angle), np.sin(angle)])
    normal = np.array([-direction[1], direction[0]])
    offsets = np.linspace(-0.3, 0.3, n)
    return [np.stack([0.5 + o * normal - 0.35 * direction, 0.5 + o * normal + 0.35 * direction]) for o in offsets]


MAKERS = dict(zip(KINDS, (_dots, _line, _scribble, _blob, _scatter, _hatch)))


def make(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n non-digit images (n, 784) float32, cycling through KINDS, and the kind
    index of each (n,)."""
    kinds = np.arange(n) % len(KINDS)
    images = np.empty((n, 784), np.float32)
    for i, k in enumerate(kinds):
        strokes = [(s * 300).astype(np.float32) for s in MAKERS[KINDS[k]](rng)]
        images[i] = from_strokes(strokes, 300).ravel()
    return images, kinds
