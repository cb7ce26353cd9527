"""Optimizers: `step(model)` updates every parameter in place from its
gradient, then clears the gradients.

Everything happens in place, in arrays made on the first step and reused
after (the moments and one scratch array per parameter): an update allocates
nothing, and in the page, where NumPy's element-wise loops are slow, an
update costs a fixed number of passes over the weights. The gradient arrays
serve as scratch space too, so after `step` they hold neither the gradient
nor anything else meaningful: `step` clears them (Model.clear_grads), and
reading a gradient then fails instead of giving garbage. The next backward
pass makes new ones.

L2 weight decay (when asked for) is added to the gradient of weights only:
decaying biases does nothing useful for generalisation.
"""

import math

import numpy as np

from .model import Model


class Optimizer:
    """What SGD and Adam share: the learning rate, weight decay, the
    per-parameter arrays they keep between steps, and the step itself;
    each says how it updates one parameter (`update`)."""

    def __init__(self, lr: float, weight_decay: float) -> None:
        self.lr, self.weight_decay = lr, weight_decay
        self.state: dict[str, dict[str, np.ndarray]] = {}     # parameter name -> its arrays

    def step(self, model: Model) -> None:
        """Update every parameter from its gradient (weight decay added), then clear the gradients."""
        self.begin()
        for name, p, g in model.parameters():
            self.add_decay(name, p, g)
            self.update(name, p, g)
        model.clear_grads()

    def begin(self) -> None:
        """Before a step's updates."""

    def update(self, name: str, p: np.ndarray, g: np.ndarray) -> None:
        """Move parameter `p` along its gradient `g` (which it may overwrite)."""
        raise NotImplementedError

    def arrays(self, name: str, p: np.ndarray, *keys: str) -> list[np.ndarray]:
        """This parameter's arrays `keys` ("m", "scratch", …), zeros like p at first."""
        state = self.state.setdefault(name, {})
        for k in keys:
            if k not in state:
                state[k] = np.zeros_like(p)
        return [state[k] for k in keys]

    def add_decay(self, name: str, p: np.ndarray, g: np.ndarray) -> None:
        """g += weight_decay · p, for weights ("….W") only."""
        if self.weight_decay and name.endswith(".W"):
            (scratch,) = self.arrays(name, p, "scratch")
            np.multiply(p, self.weight_decay, out=scratch)
            g += scratch


class SGD(Optimizer):
    """Plain mini-batch gradient descent, or with `momentum` > 0 the heavy-ball
    method: v = momentum·v + g; p -= lr·v."""

    def __init__(self, lr: float = 0.1, *, momentum: float = 0.0, weight_decay: float = 0.0) -> None:
        super().__init__(lr, weight_decay)
        self.momentum = momentum

    def update(self, name, p, g):
        if self.momentum:
            (v,) = self.arrays(name, p, "velocity")
            v *= self.momentum
            v += g
            np.multiply(v, self.lr, out=g)
        else:
            g *= self.lr
        p -= g


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015) with bias correction:
    m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²;  p -= lr_t · m / (√v + ε)."""

    def __init__(self, lr: float = 1e-3, *, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        super().__init__(lr, weight_decay)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.t = 0
        self.step_size = lr

    def begin(self):
        self.t += 1
        # Both bias corrections folded into one step size.
        self.step_size = self.lr * math.sqrt(1 - self.beta2 ** self.t) / (1 - self.beta1 ** self.t)

    def update(self, name, p, g):
        b1, b2 = self.beta1, self.beta2
        m, v, scratch = self.arrays(name, p, "m", "v", "scratch")
        m *= b1
        np.multiply(g, 1 - b1, out=scratch)
        m += scratch
        v *= b2
        g *= g
        g *= 1 - b2
        v += g
        np.sqrt(v, out=scratch)
        scratch += self.eps
        np.divide(m, scratch, out=scratch)
        scratch *= self.step_size
        p -= scratch


OPTIMIZERS = {
    "sgd": lambda lr, wd: SGD(lr, weight_decay=wd),
    "momentum": lambda lr, wd: SGD(lr, momentum=0.9, weight_decay=wd),
    "adam": lambda lr, wd: Adam(lr, weight_decay=wd),
}
