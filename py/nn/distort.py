"""Data augmentation, on the fly per batch and seeded: slant, rotation,
proportions (wide and narrow, the middle moved up or down), elastic and shaky
distortion and stroke thickness, then the size and place restored as the page
restores them, so the network meets digits drawn the many ways people draw
them, as the page shows them to it (`python -m py.augment` shows examples).
"""

import numpy as np

from .model import COLS, ROWS

ROTATE = 15.0       # degrees either way
SHEAR = 0.3         # slant: x moves by up to 0.3 × y
ASPECT = 0.2        # width / height changes by a factor up to e^±0.2 (0.82 .. 1.22): wide and narrow digits
PROPORTION = 0.2    # the middle moves up or down by up to this fraction of half the height (and
                    # half as much sideways): small or large top loops, long or short stems
ELASTIC = 1.0       # typical displacement of the elastic field, pixels ...
SMOOTH = 4.0        # ... smoothed over this many pixels (Simard et al., 2003)
SHAKY = 0.5         # a shaky hand: a finer field (pixels) ...
SHAKY_SMOOTH = 1.2  # ... smoothed over this many pixels, on a third of the images
THICKEN = 0.8       # up to this much dilation; thinning up to half as much
SCALE = 0.1         # after the size is restored: ± fraction of size ...
SHIFT = 1.5         # ... and pixels either way

_i = np.arange(ROWS, dtype=np.float32)
CENTER = (ROWS - 1) / 2
_YS, _XS = np.mgrid[0:ROWS, 0:COLS].astype(np.float32) - np.float32(CENTER)


def _smoothing(sigma: float) -> np.ndarray:
    g = np.exp(-((_i[:, None] - _i[None]) ** 2) / (2 * sigma ** 2))
    return g / g.sum(axis=1, keepdims=True)


_GAUSS, _GAUSS_FINE = _smoothing(SMOOTH), _smoothing(SHAKY_SMOOTH)


def augment(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(N, 784) images in [0, 1] -> (N, 784) randomly distorted copies (float32).

    Two passes, as a drawing reaches the network on the page: first the
    shape changes (slant, rotation, proportions, wobble), then its size and
    place are restored the way py/page/preprocess.py would (a digit drawn wide
    still fills the 20-pixel box, its center of mass at the center), give or
    take a little."""
    n = len(x)
    original = x.reshape(n, ROWS, COLS)
    images = thickness(original, rng.uniform(-THICKEN / 2, THICKEN, n).astype(np.float32))
    warped = bilinear(images, *_warp(n, rng))
    return np.clip(bilinear(warped, *_restore(original, warped, rng)), 0, 1).reshape(n, -1).astype(np.float32)


def _warp(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """For every output pixel, where to read in the source (N, 28, 28) x and y:
    an affine map about the center (rotation, slant, aspect), a smooth
    up-or-down move of the middle, and random displacement fields."""
    angle = np.radians(rng.uniform(-ROTATE, ROTATE, n))
    shear, aspect = rng.uniform(-SHEAR, SHEAR, n), np.exp(rng.uniform(-ASPECT, ASPECT, n))
    cos, sin = np.cos(angle), np.sin(angle)
    # Source = [[cos, -sin], [sin, cos]] @ [[1, shear], [0, 1]] @ diag(aspect, 1) @ (p - c) + c
    a, b = cos * aspect, cos * shear - sin
    c, d = sin * aspect, sin * shear + cos
    # The middle moves: u -> u + m (1 - u²) over the 20-pixel box (u in -1..1),
    # monotone while |m| <= 0.5, so strokes never fold over.
    half = np.float32(10)
    move_y = rng.uniform(-PROPORTION, PROPORTION, (n, 1, 1)).astype(np.float32)
    move_x = rng.uniform(-PROPORTION / 2, PROPORTION / 2, (n, 1, 1)).astype(np.float32)
    uy, ux = np.clip(_YS / half, -1, 1), np.clip(_XS / half, -1, 1)
    ys, xs = _YS + half * move_y * (1 - uy ** 2), _XS + half * move_x * (1 - ux ** 2)
    field = _GAUSS @ rng.uniform(-1, 1, (2, n, ROWS, COLS)).astype(np.float32) @ _GAUSS.T
    field *= ELASTIC / (field.std() + 1e-8)
    shaky = _GAUSS_FINE @ rng.uniform(-1, 1, (2, n, ROWS, COLS)).astype(np.float32) @ _GAUSS_FINE.T
    shaky *= (SHAKY / (shaky.std() + 1e-8)) * (rng.random((n, 1, 1)) < 1 / 3)
    src_x = a[:, None, None] * xs + b[:, None, None] * ys + CENTER + field[0] + shaky[0]
    src_y = c[:, None, None] * xs + d[:, None, None] * ys + CENTER + field[1] + shaky[1]
    return src_x, src_y


def _restore(before: np.ndarray, after: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Where to read in `after` (N, 28, 28) so that its ink box has the longer
    side `before` had (a thicker pen does not make a digit larger, on the page
    or in MNIST) and its center of mass sits at the center, then a small
    random scale and shift."""
    n = len(after)
    scale = np.clip(_longer_side(before) / _longer_side(after), 0.5, 2.0) * (1 + rng.uniform(-SCALE, SCALE, n))
    mass = after.sum(axis=(1, 2)) + 1e-6
    com_y = (after.sum(axis=2) * _i).sum(axis=1) / mass
    com_x = (after.sum(axis=1) * _i).sum(axis=1) / mass
    shift = rng.uniform(-SHIFT, SHIFT, (2, n))
    inv = (1 / scale)[:, None, None].astype(np.float32)
    return (_XS * inv + (com_x + shift[0])[:, None, None]).astype(np.float32), \
        (_YS * inv + (com_y + shift[1])[:, None, None]).astype(np.float32)


def _longer_side(images: np.ndarray, ink: float = 0.3) -> np.ndarray:
    """(N, H, W) -> (N,) the longer side of each image's ink box, in pixels (1 if blank)."""
    rows, cols = (images > ink).any(axis=2), (images > ink).any(axis=1)
    height = rows.shape[1] - rows[:, ::-1].argmax(axis=1) - rows.argmax(axis=1)
    width = cols.shape[1] - cols[:, ::-1].argmax(axis=1) - cols.argmax(axis=1)
    return np.maximum(np.maximum(height, width) * (rows.any(axis=1)), 1).astype(np.float32)


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
