"""Layers: each one has `forward` and `backward` side by side.

Every layer keeps what `backward` needs from the last `forward` call.
`params` and `grads` are dicts of arrays with the same keys; `backward`
fills `grads` with the gradient of the loss with respect to each parameter
and returns the gradient with respect to the layer's input.
N is the batch size. Images are (N, C, H, W), like MNIST's (N, 1, 28, 28).
"""

import numpy as np


class Layer:
    def __init__(self) -> None:
        self.params, self.grads = {}, {}

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(self, dout: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def spec(self) -> dict:
        """What it takes to build this layer again (stored in weights files)."""
        return {"type": type(self).__name__.lower()}


class Dense(Layer):
    """Fully connected: (N, n_in) -> (N, n_out), y = x W + b."""

    def __init__(self, n_in: int, n_out: int, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        rng = rng or np.random.default_rng(0)
        # He initialisation keeps the activations' variance steady through ReLUs.
        self.params["W"] = (rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)).astype(np.float32)
        self.params["b"] = np.zeros(n_out, np.float32)

    def forward(self, x, train=False):
        self.x = x
        return x @ self.params["W"] + self.params["b"]

    def backward(self, dout):
        self.grads["W"] = self.x.T @ dout
        self.grads["b"] = dout.sum(axis=0)
        return dout @ self.params["W"].T

    def spec(self):
        n_in, n_out = self.params["W"].shape
        return {"type": "dense", "in": int(n_in), "out": int(n_out)}


class ReLU(Layer):
    """max(0, x), any shape. Its derivative at exactly 0 is taken as 0."""

    def forward(self, x, train=False):
        self.mask = x > 0
        return x * self.mask

    def backward(self, dout):
        return dout * self.mask


class Flatten(Layer):
    """(N, ...) -> (N, prod(...))."""

    def forward(self, x, train=False):
        self.shape = x.shape
        return x.reshape(len(x), -1)

    def backward(self, dout):
        return dout.reshape(self.shape)


class Dropout(Layer):
    """Zeroes a fraction `p` of the inputs while training (inverted dropout:
    the survivors are scaled by 1/(1-p) so nothing changes at inference)."""

    def __init__(self, p: float, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.p, self.rng = p, rng or np.random.default_rng(0)

    def forward(self, x, train=False):
        if not train or self.p == 0:
            self.mask = None
            return x
        keep = self.rng.random(x.shape, dtype=np.float32) >= self.p
        self.mask = keep.astype(x.dtype) / x.dtype.type(1 - self.p)
        return x * self.mask

    def backward(self, dout):
        return dout if self.mask is None else dout * self.mask

    def spec(self):
        return {"type": "dropout", "p": self.p}


def _windows(x: np.ndarray, k: int) -> np.ndarray:
    """All k×k windows of x (N, C, H, W) as a view (N, C, H-k+1, W-k+1, k, k)."""
    n, c, h, w = x.shape
    sn, sc, sh, sw = x.strides
    return np.lib.stride_tricks.as_strided(
        x, (n, c, h - k + 1, w - k + 1, k, k), (sn, sc, sh, sw, sh, sw), writeable=False)


class Conv2D(Layer):
    """k×k convolution, stride 1, zero padding that keeps H and W:
    (N, c_in, H, W) -> (N, c_out, H, W). Written as one matrix product over
    all windows (im2col through a strided view), with no loop over pixels."""

    def __init__(self, c_in: int, c_out: int, k: int = 3, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        rng = rng or np.random.default_rng(0)
        fan_in = c_in * k * k
        self.params["W"] = (rng.standard_normal((c_out, c_in, k, k)) * np.sqrt(2.0 / fan_in)).astype(np.float32)
        self.params["b"] = np.zeros(c_out, np.float32)

    def forward(self, x, train=False):
        c_out, c_in, k, _ = self.params["W"].shape
        p = k // 2
        self.x_shape = x.shape
        xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
        # cols: (N, H, W, c_in*k*k), one row per output pixel.
        self.cols = _windows(xp, k).transpose(0, 2, 3, 1, 4, 5).reshape(
            x.shape[0], x.shape[2], x.shape[3], c_in * k * k)
        out = self.cols @ self.params["W"].reshape(c_out, -1).T + self.params["b"]
        return out.transpose(0, 3, 1, 2)

    def backward(self, dout):
        c_out, c_in, k, _ = self.params["W"].shape
        n, _, h, w = self.x_shape
        p = k // 2
        d = dout.transpose(0, 2, 3, 1).reshape(-1, c_out)          # (N*H*W, c_out)
        self.grads["W"] = (d.T @ self.cols.reshape(-1, c_in * k * k)).reshape(c_out, c_in, k, k)
        self.grads["b"] = d.sum(axis=0)
        # The input gradient is a "full" convolution of dout with the flipped kernel.
        dp = np.pad(dout, ((0, 0), (0, 0), (k - 1 - p, k - 1 - p), (k - 1 - p, k - 1 - p)))
        cols = _windows(dp, k).transpose(0, 2, 3, 1, 4, 5).reshape(n, h, w, c_out * k * k)
        w_flip = self.params["W"][:, :, ::-1, ::-1].transpose(1, 0, 2, 3).reshape(c_in, -1)
        return (cols @ w_flip.T).transpose(0, 3, 1, 2)

    def spec(self):
        c_out, c_in, k, _ = self.params["W"].shape
        return {"type": "conv2d", "in": int(c_in), "out": int(c_out), "k": int(k)}


class MaxPool2D(Layer):
    """2×2 max pooling, stride 2: (N, C, H, W) -> (N, C, H/2, W/2); H, W even."""

    def forward(self, x, train=False):
        n, c, h, w = x.shape
        blocks = x.reshape(n, c, h // 2, 2, w // 2, 2)
        out = blocks.max(axis=(3, 5))
        # Route the gradient to one maximum per block (the first, on ties).
        flat = blocks.transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h // 2, w // 2, 4)
        self.arg = flat.argmax(axis=-1)
        self.x_shape = x.shape
        return out

    def backward(self, dout):
        n, c, h, w = self.x_shape
        grad = np.zeros((n, c, h // 2, w // 2, 4), dout.dtype)
        np.put_along_axis(grad, self.arg[..., None], dout[..., None], axis=-1)
        return grad.reshape(n, c, h // 2, w // 2, 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(n, c, h, w)

    def spec(self):
        return {"type": "maxpool2d"}


LAYER_TYPES = {"dense": Dense, "relu": ReLU, "flatten": Flatten, "dropout": Dropout,
               "conv2d": Conv2D, "maxpool2d": MaxPool2D}


def build(spec: dict, rng: np.random.Generator) -> Layer:
    """A fresh layer from its `spec()` dict."""
    kind = spec["type"]
    if kind == "dense":
        return Dense(spec["in"], spec["out"], rng)
    if kind == "conv2d":
        return Conv2D(spec["in"], spec["out"], spec["k"], rng)
    if kind == "dropout":
        return Dropout(spec["p"], rng)
    return LAYER_TYPES[kind]()
