"""Data augmentation, on the fly per batch and seeded: random affine transforms
(shift, rotation, scale, shear), elastic distortion and stroke thickness
changes, so the network meets digits drawn the many ways people draw them.

    python -m py.augment --out augmented.png     # look at what training sees

The PNG shows, row after row, one real digit followed by augmented copies.
"""

import argparse

import numpy as np

from .model import COLS, ROWS

ROTATE = 15.0       # degrees either way
SCALE = 0.12        # ± fraction of size
SHEAR = 0.3         # slant: x moves by up to 0.3 × y
SHIFT = 2.0         # pixels either way
ELASTIC = 1.0       # typical displacement of the elastic field, pixels ...
SMOOTH = 4.0        # ... smoothed over this many pixels (Simard et al., 2003)
THICKEN = 0.8       # up to this much dilation; thinning up to half as much

_i = np.arange(ROWS, dtype=np.float32)
_GAUSS = np.exp(-((_i[:, None] - _i[None]) ** 2) / (2 * SMOOTH ** 2))
_GAUSS /= _GAUSS.sum(axis=1, keepdims=True)


def augment(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(N, 784) images in [0, 1] -> (N, 784) randomly distorted copies (float32)."""
    n = len(x)
    images = thickness(x.reshape(n, ROWS, COLS), rng.uniform(-THICKEN / 2, THICKEN, n).astype(np.float32))
    # For every output pixel, where to read in the source: an affine map about
    # the center, plus a smooth random displacement field.
    angle = np.radians(rng.uniform(-ROTATE, ROTATE, n))
    scale = 1 + rng.uniform(-SCALE, SCALE, n)
    shear = rng.uniform(-SHEAR, SHEAR, n)
    cos, sin = np.cos(angle) / scale, np.sin(angle) / scale
    # Source = [[cos, -sin], [sin, cos]] / scale @ [[1, shear], [0, 1]] @ (p - c) + c + shift
    a, b = cos, cos * shear - sin
    c, d = sin, sin * shear + cos
    shift = rng.uniform(-SHIFT, SHIFT, (n, 2))
    center = (ROWS - 1) / 2
    ys, xs = np.mgrid[0:ROWS, 0:COLS].astype(np.float32) - np.float32(center)
    field = _GAUSS @ rng.uniform(-1, 1, (2, n, ROWS, COLS)).astype(np.float32) @ _GAUSS.T
    field *= ELASTIC / (field.std() + 1e-8)
    src_x = a[:, None, None] * xs + b[:, None, None] * ys + center + shift[:, 0, None, None] + field[0]
    src_y = c[:, None, None] * xs + d[:, None, None] * ys + center + shift[:, 1, None, None] + field[1]
    return np.clip(bilinear(images, src_x, src_y), 0, 1).reshape(n, -1).astype(np.float32)


def bilinear(images: np.ndarray, sx: np.ndarray, sy: np.ndarray) -> np.ndarray:
    """Sample (N, H, W) images at fractional source pixel coordinates sx, sy
    (each (N, H, W)); outside the image is 0."""
    n, h, w = images.shape
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    x0, y0 = np.floor(sx), np.floor(sy)
    fx, fy = (sx - x0).astype(np.float32), (sy - y0).astype(np.float32)
    # +1 for the padding; anything further out lands on the zero border.
    x0 = np.clip(x0.astype(np.int64) + 1, 0, w + 1)
    y0 = np.clip(y0.astype(np.int64) + 1, 0, h + 1)
    x1, y1 = np.minimum(x0 + 1, w + 1), np.minimum(y0 + 1, h + 1)
    k = np.arange(n)[:, None, None]
    return (padded[k, y0, x0] * (1 - fx) * (1 - fy) + padded[k, y0, x1] * fx * (1 - fy)
            + padded[k, y1, x0] * (1 - fx) * fy + padded[k, y1, x1] * fx * fy)


def thickness(images: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """Thicken (amount > 0) or thin (amount < 0) strokes of (N, H, W) images by
    blending with a grey-level dilation or erosion (a 3×3 cross)."""
    h, w = images.shape[1:]
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    cross = [padded[:, 1 + i:1 + i + h, 1 + j:1 + j + w] for i, j in ((0, 0), (-1, 0), (1, 0), (0, -1), (0, 1))]
    a = amount[:, None, None]
    target = np.where(a > 0, np.max(cross, axis=0), np.min(cross, axis=0))
    return images + np.abs(a) * (target - images)


def main(argv: list[str] | None = None) -> None:
    from . import data, files, plot
    from .errors import ArgumentParser, BadInput
    ap = ArgumentParser(prog="python -m py.augment", description=__doc__,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="augmented.png")
    ap.add_argument("--rows", type=int, default=10, help="1 to 100")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if not 1 <= args.rows <= 100:
        raise BadInput(f"--rows {args.rows}: expected 1 to 100")
    if args.seed < 0:
        raise BadInput(f"--seed {args.seed}: expected a whole number from 0 up")
    files.check_output(args.out, "--out")
    x, y = data.load("embedded").train
    rng = np.random.default_rng(args.seed)
    picks = [rng.choice(np.flatnonzero(y == d % 10)) for d in range(args.rows)]
    rows = [np.concatenate([x[i:i + 1], augment(np.repeat(x[i:i + 1], 9, axis=0), rng)]) for i in picks]
    files.write_atomically(args.out, plot.png(plot.grid(np.concatenate(rows), columns=10)))
    print(f"wrote {args.out}: {args.rows} rows, each a real digit then 9 augmented copies")


if __name__ == "__main__":
    from .errors import run
    run(main)
