"""Finite-difference checks of every layer's backward pass and of the loss, in float64."""

import numpy as np
import pytest

from py.nn import layers
from py.nn.layers import Conv2D, Dense, Dropout, Flatten, MaxPool2D, ReLU
from py.nn.model import Model, cnn_spec, cross_entropy, from_spec, mlp_spec, softmax

EPS = 1e-6


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12))


def numeric_grad(f, x: np.ndarray) -> np.ndarray:
    """Central differences of the scalar f() with respect to every entry of x (in place)."""
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + EPS
        up = f()
        x[i] = old - EPS
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * EPS)
    return g


def check_layer(layer, x: np.ndarray) -> None:
    rng = np.random.default_rng(1)
    for k in layer.params:
        layer.params[k] = layer.params[k].astype(np.float64)

    def f() -> float:
        if isinstance(layer, Dropout):
            layer.rng = np.random.default_rng(7)   # the same mask on every call
        return float((layer.forward(x, train=True) * weights).sum())

    weights = rng.standard_normal(layer.forward(x, train=True).shape)
    f()
    dx = layer.backward(weights)
    assert rel_error(dx, numeric_grad(f, x)) < 1e-6
    for k, p in layer.params.items():
        f()
        layer.backward(weights)
        assert rel_error(layer.grads[k], numeric_grad(f, p)) < 1e-6, k


LAYERS = [
    (lambda: Dense(6, 4), (5, 6)),
    (lambda: ReLU(), (4, 7)),
    (lambda: Flatten(), (3, 4, 4, 2)),
    (lambda: Dropout(0.4), (6, 8)),
    (lambda: Conv2D(2, 3, 3), (2, 6, 6, 2)),
    (lambda: Conv2D(1, 2, 5), (2, 7, 7, 1)),
    (lambda: MaxPool2D(), (2, 6, 4, 3)),
]


@pytest.mark.parametrize("make, shape", LAYERS)
def test_what_a_layer_declares_is_what_it_does(make, shape):
    """A layer's SETTINGS are what its spec() holds, and its declared shapes
    (what weights files are checked against) are those of its output and parameters."""
    layer = make()
    spec = layer.spec()
    assert set(spec) == {"type", *type(layer).SETTINGS} and layers.LAYER_TYPES[spec["type"]] is type(layer)
    out = layer.forward(np.zeros(shape, np.float32))
    assert type(layer).shapes(spec, shape[1:]) == (out.shape[1:], {k: p.shape for k, p in layer.params.items()})


@pytest.mark.parametrize("make, shape", LAYERS)
def test_layer_gradients(make, shape):
    x = np.random.default_rng(0).standard_normal(shape)
    check_layer(make(), x)


@pytest.mark.parametrize("make, shape", [(lambda: Dense(6, 4), (5, 6)), (lambda: Conv2D(2, 3, 3), (2, 6, 6, 2))])
def test_layer_gradients_without_blas(monkeypatch, make, shape):
    """The products in the form Pyodide's numpy (no BLAS) runs: the same checks."""
    monkeypatch.setattr(layers, "HAS_BLAS", False)
    x = np.random.default_rng(0).standard_normal(shape)
    check_layer(make(), x)


def test_product_without_blas_is_the_same_product(monkeypatch):
    monkeypatch.setattr(layers, "HAS_BLAS", False)
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((7, 300), np.float32), rng.standard_normal((300, 5), np.float32)
    for x, y in ((a, b), (b.T, a.T), (a[:, ::2], b[::2])):      # contiguous, transposed and strided views
        assert np.allclose(layers.matmul(x, y), x @ y, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("shape", [(500, 30, 8), (6, 900, 8)], ids=["tall", "long"])
def test_a_product_too_big_for_one_einsum_is_done_in_pieces(monkeypatch, shape):
    """Pyodide's einsum fails past 2**31 steps (a CNN over 1,000 images did):
    bigger products go in pieces, by rows or along the inner axis."""
    monkeypatch.setattr(layers, "HAS_BLAS", False)
    monkeypatch.setattr(layers, "EINSUM_STEPS", 1000)
    m, k, n = shape
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((m, k)), rng.standard_normal((k, n))
    assert np.allclose(layers.matmul(a, b), a @ b)


def test_dropout_is_inactive_at_inference():
    x = np.ones((4, 10))
    assert np.array_equal(Dropout(0.5).forward(x, train=False), x)


def test_dropout_scales_the_survivors_while_training():
    kept = Dropout(0.5).forward(np.ones((200, 100)), train=True)
    assert set(np.unique(kept)) == {0.0, 2.0}
    assert 0.45 < (kept > 0).mean() < 0.55


def test_cross_entropy_gradient():
    rng = np.random.default_rng(0)
    logits, labels = rng.standard_normal((6, 10)), np.array([3, 0, 9, -1, 5, -1])   # -1: not a digit
    _, d = cross_entropy(logits, labels)
    assert rel_error(d, numeric_grad(lambda: cross_entropy(logits, labels)[0], logits)) < 1e-6


@pytest.mark.parametrize("spec", [mlp_spec([784, 8, 6, 10]), cnn_spec(2, 3, 8)], ids=["mlp", "cnn"])
def test_whole_model_gradient(spec):
    """The chain of layers and the loss together, w.r.t. a few parameters."""
    model = from_spec(spec)
    rng = np.random.default_rng(0)
    for layer in model.layers:
        for k in layer.params:
            # Nonzero biases keep pre-activations off ReLU's kink at exactly 0.
            layer.params[k] = layer.params[k] + 0.1 * rng.standard_normal(layer.params[k].shape)
    x, y = rng.random((3, 784)), np.array([1, 5, 9])
    loss = lambda: cross_entropy(model.forward(x), y)[0]
    model.backward(cross_entropy(model.forward(x), y)[1])
    for name, p, g in model.parameters():
        # The first 300 entries (a view: numeric_grad nudges the parameter
        # itself) keep the big matrices fast; small ones are checked whole.
        p, g = p.reshape(-1)[:300], g.reshape(-1)[:300].copy()
        assert rel_error(g, numeric_grad(loss, p)) < 1e-6, name


def test_non_digit_target_is_uniform():
    """For a label of -1 the loss is smallest when every digit is equally likely."""
    flat, peaked = np.zeros((1, 10)), np.eye(10)[[0]] * 5
    assert cross_entropy(flat, np.array([-1]))[0] == pytest.approx(np.log(10))
    assert cross_entropy(peaked, np.array([-1]))[0] > np.log(10)
    assert np.allclose(cross_entropy(flat, np.array([-1]))[1], 0)


def test_softmax_and_loss_finite_for_huge_logits():
    logits = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0]], np.float32)
    p = softmax(logits)
    assert np.isfinite(p).all() and np.allclose(p.sum(axis=1), 1)
    loss, d = cross_entropy(logits, np.array([1, 0]))
    assert np.isfinite(loss) and np.isfinite(d).all()
    assert loss == pytest.approx((2000 + np.log(3)) / 2, rel=1e-4)   # -log p(1) = 2000; -log(1/3)


def test_model_forward_shapes():
    x = np.zeros((7, 784), np.float32)
    for spec in (mlp_spec([784, 16, 10]), cnn_spec(4, 8, 16, dropout=0.5)):
        model: Model = from_spec(spec)
        assert model.forward(x).shape == (7, 10)
        assert model.forward(x).dtype == np.float32
