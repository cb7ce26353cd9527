"""Augmentation changes the shape of a digit, not the geometry the page gives it."""

import numpy as np

from py.nn.distort import _longer_side, augment
from py.page.preprocess import CENTERS


def test_augmented_digits_keep_the_pages_box_and_center(embedded):
    """The page scales a drawing so its longer side fills 20 px and centers its
    mass; augmented digits, wide or narrow, look the same way (give or take
    SCALE and SHIFT)."""
    x = embedded.train[0][:600]
    out = augment(x, np.random.default_rng(0))
    assert out.shape == x.shape and out.dtype == np.float32 and out.min() >= 0 and out.max() <= 1
    sides = _longer_side(out.reshape(-1, 28, 28))
    assert 19 <= np.median(sides) <= 21 and np.percentile(sides, 5) >= 16 and np.percentile(sides, 95) <= 24
    mass = out.sum(axis=1, keepdims=True)
    centers = (out @ CENTERS) / mass - 14
    assert np.percentile(np.abs(centers), 95) < 2.0


def test_proportions_change(embedded):
    """Wide and narrow versions of the same digits: the ink box's aspect ratio
    spreads far more than MNIST's own."""
    x = embedded.train[0][:600]

    def aspect(images):
        ink = images.reshape(-1, 28, 28) > 0.1
        rows, cols = ink.any(axis=2).sum(axis=1), ink.any(axis=1).sum(axis=1)
        return np.log(cols / rows)

    change = aspect(augment(x, np.random.default_rng(0))) - aspect(x)
    assert np.std(change) > 0.15 and (change > 0.2).mean() > 0.1 and (change < -0.2).mean() > 0.1


def test_augmentation_follows_the_seed(embedded):
    x = embedded.train[0][:50]
    assert np.array_equal(augment(x, np.random.default_rng(3)), augment(x, np.random.default_rng(3)))
    assert not np.array_equal(augment(x, np.random.default_rng(3)), augment(x, np.random.default_rng(4)))
