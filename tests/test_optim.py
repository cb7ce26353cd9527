"""The optimizers: a step moves every parameter against its gradient, and
clears the gradients, which it used as scratch space: a gradient read after a
step must fail, never give garbage."""

import numpy as np
import pytest

from py.nn.model import cross_entropy, from_spec, mlp_spec
from py.nn.optim import OPTIMIZERS


def one_backward_pass():
    model = from_spec(mlp_spec([784, 8, 10]))
    rng = np.random.default_rng(0)
    x, y = rng.random((16, 784), dtype=np.float32), rng.integers(0, 10, 16)
    _, dlogits = cross_entropy(model.forward(x, train=True), y)
    model.backward(dlogits)
    return model, x, y


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_a_step_lowers_the_loss_and_clears_the_gradients(name):
    model, x, y = one_backward_pass()
    before = cross_entropy(model.forward(x), y)[0]
    assert all(g is not None for _, _, g in model.parameters())
    OPTIMIZERS[name](1e-3, 1e-4).step(model)
    assert all(g is None for _, _, g in model.parameters())
    assert cross_entropy(model.forward(x), y)[0] < before
