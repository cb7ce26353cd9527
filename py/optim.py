"""Optimizers: `step(model)` updates every parameter in place from its gradient.

L2 weight decay (when asked for) is added to the gradient of weights only:
decaying biases does nothing useful for generalisation.
"""

import numpy as np

from .model import Model


class SGD:
    """Plain mini-batch gradient descent, or with `momentum` > 0 the heavy-ball
    method: v = momentum·v + g; p -= lr·v."""

    def __init__(self, lr: float = 0.1, momentum: float = 0.0, weight_decay: float = 0.0) -> None:
        self.lr, self.momentum, self.weight_decay = lr, momentum, weight_decay
        self.velocity: dict[str, np.ndarray] = {}

    def step(self, model: Model) -> None:
        for name, p, g in model.parameters():
            g = _decayed(name, p, g, self.weight_decay)
            if self.momentum:
                v = self.velocity.setdefault(name, np.zeros_like(p))
                v *= self.momentum
                v += g
                g = v
            p -= p.dtype.type(self.lr) * g


class Adam:
    """Adam (Kingma & Ba, 2015) with bias correction."""

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        self.lr, self.beta1, self.beta2, self.eps, self.weight_decay = lr, beta1, beta2, eps, weight_decay
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}
        self.t = 0

    def step(self, model: Model) -> None:
        self.t += 1
        # Bias corrections folded into one step size.
        lr = self.lr * np.sqrt(1 - self.beta2 ** self.t) / (1 - self.beta1 ** self.t)
        for name, p, g in model.parameters():
            g = _decayed(name, p, g, self.weight_decay)
            m = self.m.setdefault(name, np.zeros_like(p))
            v = self.v.setdefault(name, np.zeros_like(p))
            m += (1 - self.beta1) * (g - m)
            v += (1 - self.beta2) * (g * g - v)
            p -= p.dtype.type(lr) * m / (np.sqrt(v) + p.dtype.type(self.eps))


def _decayed(name: str, p: np.ndarray, g: np.ndarray, weight_decay: float) -> np.ndarray:
    if weight_decay and name.endswith(".W"):
        return g + p.dtype.type(weight_decay) * p
    return g


OPTIMIZERS = {
    "sgd": lambda lr, wd: SGD(lr, 0.0, wd),
    "momentum": lambda lr, wd: SGD(lr, 0.9, wd),
    "adam": lambda lr, wd: Adam(lr, weight_decay=wd),
}
