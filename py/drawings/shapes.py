"""Simple shapes people draw on a digit pad to test it, made at random the way
a hand would draw them: hearts, stars, smileys, arrows, spirals, check marks,
crosses, polygons, houses, suns, flowers, lightning bolts, clouds, waves.
Every call gives another variant (proportions, number of strokes, where a
stroke starts). Used for training only (outlier exposure); the held-out shapes
are drawn by hand in tests/data/strokes.json.

Not made: circles and ovals (a 0), single straight strokes (a 1).
Coordinates: x right, y down, roughly in the unit box (the page rescales anyway).
"""

import numpy as np

Strokes = list[np.ndarray]


def _arc(cx: float, cy: float, rx: float, ry: float, a0: float, a1: float, n: int = 24) -> np.ndarray:
    t = np.linspace(a0, a1, n)
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], axis=1)


def _poly(*points) -> np.ndarray:
    return np.array(points, np.float64)


def heart(rng: np.random.Generator) -> Strokes:
    # Two lobes and a point: one stroke, or two halves meeting at the bottom.
    r, tip = rng.uniform(0.18, 0.26), rng.uniform(0.85, 1.1)
    left = np.concatenate([_arc(0.5 - r, 0.3, r, 0.22, 0, -np.pi, 16), [[0.5, tip]]])
    right = left * [-1, 1] + [1, 0]
    return [np.concatenate([left, right[::-1]])] if rng.random() < 0.5 else [left, right]


def star(rng: np.random.Generator) -> Strokes:
    # Five points: the one-stroke pentagram, or the outline of ten corners.
    turn = rng.uniform(-0.2, 0.2)
    if rng.random() < 0.5:
        a = -np.pi / 2 + turn + np.arange(6) * (4 * np.pi / 5)
        r = np.full(6, 0.5)
    else:
        a = -np.pi / 2 + turn + np.arange(11) * np.pi / 5
        r = np.where(np.arange(11) % 2, rng.uniform(0.15, 0.25), 0.5)
    return [np.stack([0.5 + r * np.cos(a), 0.5 + r * np.sin(a)], axis=1)]


def smiley(rng: np.random.Generator) -> Strokes:
    # Eyes (dots or short strokes) and a smile or frown, with or without the
    # face's outline.
    eye_y, eye_dx = rng.uniform(0.3, 0.42), rng.uniform(0.12, 0.2)
    eye_height = 0.0 if rng.random() < 0.6 else 0.08
    eyes = [_poly([0.5 + dx, eye_y], [0.5 + dx, eye_y + eye_height]) for dx in (-eye_dx, eye_dx)]
    smile = rng.random() < 0.75
    mouth = _arc(0.5, 0.55 if smile else 0.8, 0.2, 0.15 if smile else -0.12, 0.15 * np.pi, 0.85 * np.pi, 14)
    start = rng.uniform(0, 2 * np.pi)
    face = [_arc(0.5, 0.5, 0.45, 0.47, start, start + 2 * np.pi, 40)] if rng.random() < 0.7 else []
    return face + eyes + [mouth]


def arrow(rng: np.random.Generator) -> Strokes:
    # A shaft and a head, pointing any way; the head drawn apart or in one go.
    angle = rng.choice([0, 0.5, 1, 1.5]) * np.pi + rng.uniform(-0.3, 0.3)
    d = np.array([np.cos(angle), np.sin(angle)])
    n = np.array([-d[1], d[0]])
    head, spread = rng.uniform(0.2, 0.35), rng.uniform(0.6, 1.0)
    tip, tail = 0.5 + 0.45 * d, 0.5 - 0.45 * d
    wing1, wing2 = tip - head * d + head * spread * n, tip - head * d - head * spread * n
    if rng.random() < 0.5:
        return [_poly(tail, tip), _poly(wing1, tip, wing2)]
    return [_poly(tail, tip, wing1), _poly(tip, wing2)]


def spiral(rng: np.random.Generator) -> Strokes:
    turns, way = rng.uniform(1.6, 3.2), rng.choice([1, -1])
    t = np.linspace(0, turns * 2 * np.pi, 80)
    r = 0.05 + 0.45 * t / t[-1]
    return [np.stack([0.5 + r * np.cos(way * t), 0.5 + r * np.sin(way * t)], axis=1)]


def check(rng: np.random.Generator) -> Strokes:
    low = rng.uniform(0.3, 0.5)
    return [_poly([0, rng.uniform(0.45, 0.65)], [low, 1], [1, rng.uniform(0, 0.2)])]


def cross(rng: np.random.Generator) -> Strokes:
    # An x, or a + (one stroke across, one down).
    if rng.random() < 0.5:
        return [_poly([0, 0], [1, 1]), _poly([1, 0], [0, 1])]
    arm = rng.uniform(0.3, 0.7)
    return [_poly([0, arm], [1, arm]), _poly([0.5, 0], [0.5, 1])]


def polygon(rng: np.random.Generator) -> Strokes:
    # A triangle, square, diamond or pentagon in one stroke, from any corner
    # (no hexagon: drawn narrow, it is a 0).
    sides = rng.choice([3, 4, 4, 5])
    start = -np.pi / 2 + (np.pi / 4 if sides == 4 and rng.random() < 0.5 else 0)
    a = start + np.arange(sides + 1) * 2 * np.pi / sides
    shape = np.stack([np.cos(a), np.sin(a)], axis=1) * [rng.uniform(0.4, 0.5), 0.5] + 0.5
    return [np.roll(shape[:-1], rng.integers(sides), axis=0)[np.r_[0:sides, 0]]]


def house(rng: np.random.Generator) -> Strokes:
    eave = rng.uniform(0.3, 0.5)
    walls = _poly([0.1, eave], [0.1, 1], [0.9, 1], [0.9, eave])
    roof = _poly([0, eave + 0.05], [0.5, 0], [1, eave + 0.05])
    return [walls, roof] if rng.random() < 0.7 else [walls, roof, _poly([0.4, 1], [0.4, 0.7], [0.6, 0.7], [0.6, 1])]


def sun(rng: np.random.Generator) -> Strokes:
    # A small disk and rays around it.
    rays = rng.integers(5, 10)
    start = rng.uniform(0, 2 * np.pi)
    disk = _arc(0.5, 0.5, 0.2, 0.2, start, start + 2 * np.pi, 24)
    a = start + np.arange(rays) * 2 * np.pi / rays
    return [disk] + [_poly(0.5 + 0.3 * np.array([np.cos(x), np.sin(x)]), 0.5 + 0.5 * np.array([np.cos(x), np.sin(x)]))
                     for x in a]


def flower(rng: np.random.Generator) -> Strokes:
    # Petals around a center on a stem.
    petals = rng.integers(4, 8)
    t = np.linspace(0, 2 * np.pi, 12 * petals)
    r = 0.18 + 0.1 * np.abs(np.sin(petals * t / 2))
    head = np.stack([0.5 + r * np.cos(t), 0.3 + r * np.sin(t)], axis=1)
    return [head, _poly([0.5, 0.58], [0.5 + rng.uniform(-0.1, 0.1), 1]),
            _poly([0.5, 0.8], [0.5 + rng.choice([-1, 1]) * 0.2, 0.7])]


def lightning(rng: np.random.Generator) -> Strokes:
    x = rng.uniform(0.1, 0.3, 4)
    return [_poly([0.6, 0], [0.3 - x[0] / 3, 0.5], [0.7 + x[1] / 3, 0.45], [0.35, 1])]


def cloud(rng: np.random.Generator) -> Strokes:
    # A row of bumps on a flat base.
    bumps = rng.integers(3, 6)
    xs = np.linspace(0.1, 0.9, bumps + 1)
    top = [_arc((a + b) / 2, 0.5, (b - a) / 2, rng.uniform(0.2, 0.35), np.pi, 2 * np.pi, 12) for a, b in zip(xs, xs[1:])]
    return [np.concatenate(top + [_poly([0.9, 0.5], [0.9, 0.7], [0.1, 0.7], [0.1, 0.5])])]


def wave(rng: np.random.Generator) -> Strokes:
    # A sine or a zigzag, wider than tall.
    periods = rng.uniform(1.5, 3.5)
    x = np.linspace(0, 1, 40 if rng.random() < 0.5 else int(2 * periods) + 1)
    return [np.stack([x, 0.5 + rng.uniform(0.1, 0.25) * np.sin(2 * np.pi * periods * x)], axis=1)]


def hashtag(rng: np.random.Generator) -> Strokes:
    s = rng.uniform(0, 0.15)
    return [_poly([0.35 + s, 0], [0.3 - s, 1]), _poly([0.7 + s, 0], [0.65 - s, 1]),
            _poly([0, 0.35], [1, 0.35]), _poly([0, 0.65], [1, 0.65])]


def stick_figure(rng: np.random.Generator) -> Strokes:
    head = _arc(0.5, 0.15, 0.12, 0.12, 0, 2 * np.pi, 16)
    arms = rng.uniform(0.3, 0.5)
    return [head, _poly([0.5, 0.27], [0.5, 0.65]), _poly([0.15, arms], [0.85, arms]),
            _poly([0.25, 1], [0.5, 0.65], [0.75, 1])]


MAKERS = {f.__name__: f for f in (heart, star, smiley, arrow, spiral, check, cross, polygon, house, sun, flower,
                                  lightning, cloud, wave, hashtag, stick_figure)}


def make(rng: np.random.Generator) -> tuple[str, Strokes]:
    """One shape of a random kind: (its name, its strokes as float32 (n, 2) arrays)."""
    name = list(MAKERS)[rng.integers(len(MAKERS))]
    return name, [s.astype(np.float32) for s in MAKERS[name](rng)]
