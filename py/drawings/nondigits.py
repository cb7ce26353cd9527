"""Drawings that are not digits, put through the page's own preprocessing, for
outlier exposure: training shows them with a uniform target ("no digit is
likely"), and calibration measures how often the network declines them.

Four groups, each drawn with a hand's irregularities (`distort`):
    synthetic  dots, flat lines, scribbles, filled blobs, scattered strokes, hatching
    letter     the training fonts' letters (py/drawings/glyphs.npz, made by python -m py.glyphs)
    symbol     their punctuation and math symbols
    shape      hearts, stars, smileys, arrows, spirals ... (py/drawings/shapes.py), and the fonts' shapes

The same fonts' digits, drawn the same way, are extra training digits
(`font_digits`): other hands than MNIST's, so that a 1 with a flag and a foot
is a 1 and not a 7.

The synthetic kinds avoid shapes that are digits in some hands: no
near-vertical line (a 1), no single open curve or loop (a 0, 6, 7 …). What
the fonts leave out, and why, is in py/drawings/fonts.py.
"""

import functools

import numpy as np

from ..io import progress
from ..page.preprocess import from_strokes
from . import fonts, shapes, strokeset

KINDS = ("dots", "line", "scribble", "blob", "scatter", "hatch")
GROUPS = ("synthetic", "letter", "symbol", "shape")
SHARE = (0.25, 0.35, 0.2, 0.2)      # of every set made, per group
FONT_SHAPES = 0.3                    # of the shapes, the fonts' (the rest from py/drawings/shapes.py)
TRAINING_SET = 4000                  # drawings made for a training run (about a minute)


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


@functools.cache
def font_glyphs() -> dict[str, list[strokeset.Drawing]]:
    """The training glyphs (py/drawings/glyphs.npz) by group."""
    drawings = strokeset.load(fonts.TRAIN_FILE)
    return {g: [d for d in drawings if d.group == g] for g in strokeset.GROUPS}


def distort(strokes: list[np.ndarray], rng: np.random.Generator) -> list[np.ndarray]:
    """A glyph or shape (unit box) as a hand would draw it: slanted, rotated,
    wider or narrower, its lines wavy or shaky, its strokes not quite meeting."""
    angle, slant, wide = rng.uniform(-0.25, 0.25), rng.uniform(-0.35, 0.35), np.exp(rng.uniform(-0.35, 0.35))
    c, s = np.cos(angle), np.sin(angle)
    affine = np.array([[c, -s], [s, c]]) @ np.array([[wide, -slant], [0, 1]])
    wave = rng.uniform(0, 0.025)                     # slow waviness, in units of the drawing's size
    shake = rng.uniform(0, 0.008) if rng.random() < 0.4 else 0.0
    out = []
    for stroke in strokes:
        p = _densify(stroke.astype(np.float64))
        along = np.concatenate([[0], np.cumsum(np.hypot(*np.diff(p, axis=0).T))])[:, None]
        phase, freq = rng.uniform(0, 2 * np.pi, 2), rng.uniform(1, 3, 2)
        p = p + wave * np.sin(freq * 2 * np.pi * along + phase) + shake * rng.normal(size=p.shape)
        p = p + rng.normal(0, 0.015, 2)              # each stroke lands a little off
        out.append(((p - 0.5) @ affine.T + 0.5).astype(np.float32))
    return out


def _densify(stroke: np.ndarray, step: float = 0.04) -> np.ndarray:
    """Points at most `step` apart along a polyline (so wobble bends the lines;
    about a pixel in the 28×28 field: finer costs rendering time for nothing)."""
    if len(stroke) < 2:
        return stroke
    pieces = [np.linspace(a, b, max(int(np.ceil(np.abs(b - a).max() / step)), 1), endpoint=False)
              for a, b in zip(stroke[:-1], stroke[1:])]
    return np.concatenate(pieces + [stroke[-1:]])


def _drawing(group: str, rng: np.random.Generator) -> tuple[list[np.ndarray], float]:
    """Strokes in a unit box of one drawing of `group`, and its size relative to a letter's."""
    if group == "synthetic":
        return MAKERS[KINDS[rng.integers(len(KINDS))]](rng), 1.0
    if group == "shape" and rng.random() >= FONT_SHAPES:
        return distort(shapes.make(rng)[1], rng), 1.0
    pool = font_glyphs()[group]
    d = pool[rng.integers(len(pool))]
    return distort(d.strokes, rng), d.extent


def _image(strokes: list[np.ndarray], extent: float, rng: np.random.Generator) -> np.ndarray:
    """(784,) float32: the strokes (unit box) drawn at the size a person writes a
    character of this extent (a "." stays small), through the page's preprocessing."""
    size = min(extent * rng.uniform(0.4, 0.9), 1.0)
    return from_strokes([s * np.float32(size) for s in strokes], 1.0).ravel()


def font_digits(copies: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Every training font's digits, each drawn `copies` times by a different
    hand (`distort`): images (n, 784) float32 and their digits (n,) int64."""
    pool = font_glyphs()["digit"] * copies
    images = np.array([_image(distort(d.strokes, rng), d.extent, rng)
                       for d in progress.track(pool, what="drawing the fonts' digits", unit="drawings")],
                      np.float32).reshape(-1, 784)
    return images, np.array([int(d.label) for d in pool], np.int64)


def make(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n non-digit images (n, 784) float32, in the proportions SHARE, and the
    group (index into GROUPS) of each (n,). Each is drawn on a unit canvas at
    the size a person writes a character (a "." stays small)."""
    groups = np.repeat(np.arange(len(GROUPS)), np.round(np.array(SHARE) * n).astype(int))[:n]
    groups = np.concatenate([groups, np.zeros(n - len(groups), int)])
    images = np.empty((n, 784), np.float32)
    for i, g in enumerate(progress.track(groups, what="drawing non-digits", unit="drawings")):
        images[i] = _image(*_drawing(GROUPS[g], rng), rng)
    return images, groups
