"""Layers: each one has `forward` and `backward` side by side.

Every layer keeps what `backward` needs from the last `forward` call.
`params` and `grads` are dicts of arrays with the same keys; `backward`
fills `grads` with the gradient of the loss with respect to each parameter
and returns the gradient with respect to the layer's input (a first layer
may skip that with input_grad=False: training never needs it).
N is the batch size. Images are channels last, (N, H, W, C), like MNIST's (N, 28, 28, 1).

Every matrix product goes through `matmul`, because no single NumPy call is
fast everywhere this code runs. NumPy hands `a @ b` to BLAS when it has one
(native wheels ship OpenBLAS, fast whatever the memory layout), but Pyodide's
numpy has none: there `@` runs a plain loop whose speed depends on the
layout, while `np.einsum`'s own loop is faster in every layout. Natively,
einsum is the slow one. So `matmul` takes BLAS where NumPy has it and einsum
where it does not (docs/benchmarks.md, "peers", has the figures).

Each layer class also declares what a network's description may say of it,
so that a description (a weights file's) is checked before anything is built
(py/nn/spec.py): its SETTINGS (what `spec()` holds besides the type, each
with its range) and `shapes`, its output shape and its parameters' shapes
for a given input shape, which are also the shapes it makes its parameters in.
"""

import math

import numpy as np

# The largest settings a layer may be declared with: a file asking for more is refused.
MAX_INPUTS = 10_000_000      # inputs of a dense layer
MAX_UNITS = 16_384           # outputs of a dense layer
MAX_CHANNELS = 512           # outputs of a convolution
MAX_KERNEL = 7               # a convolution's k×k window (k odd, so the padding keeps the image's size)

Shape = tuple[int, ...]

# Build Dependencies -> blas -> found: absent in Pyodide's numpy, True in native wheels.
HAS_BLAS = bool(np.show_config(mode="dicts")["Build Dependencies"]["blas"].get("found", False))
# einsum walks all m·k·n steps of a product with one index, which WebAssembly's
# numpy keeps in 32 bits ("iterator is too large" past 2**31): bigger products
# are done in pieces.
EINSUM_STEPS = 2**30


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(m, k) @ (k, n) -> (m, n), in whichever form is fast on this NumPy (module docstring)."""
    if HAS_BLAS:
        return a @ b
    (m, k), n = a.shape, b.shape[1]
    if m * k * n <= EINSUM_STEPS:
        return np.einsum("ij,jk->ik", a, b)
    if m >= k:                                           # a tall product: piece by rows
        rows = max(1, EINSUM_STEPS // (k * n))
        return np.concatenate([matmul(a[i:i + rows], b) for i in range(0, m, rows)])
    step = max(1, EINSUM_STEPS // (m * n))               # a long one: sum over pieces of the inner axis
    return sum(matmul(a[:, i:i + step], b[i:i + step]) for i in range(0, k, step))


class Layer:
    # What spec() holds besides "type": setting -> (lowest, highest). Whole numbers
    # when both are ints (highest included), otherwise any number below highest.
    SETTINGS: dict[str, tuple[float, float]] = {}
    WEIGHTED = False      # has weights: a network starts with such a layer, and a ReLU follows one

    def __init__(self) -> None:
        self.params, self.grads = {}, {}

    def initialize(self, spec: dict, shape: Shape, rng: np.random.Generator | None) -> None:
        """Parameters of the shapes `shapes(spec, shape)` declares: weights "W"
        He-initialised (variance 2 / fan-in, all of W's axes but the last),
        which keeps the activations' variance steady through ReLUs; biases "b" zero."""
        rng = rng or np.random.default_rng(0)
        shapes = self.shapes(spec, shape)[1]
        fan_in = math.prod(shapes["W"][:-1])
        self.params["W"] = (rng.standard_normal(shapes["W"]) * np.sqrt(2.0 / fan_in)).astype(np.float32)
        self.params["b"] = np.zeros(shapes["b"], np.float32)

    @staticmethod
    def shapes(spec: dict, shape: Shape) -> tuple[Shape, dict[str, Shape]]:
        """For one input of `shape` (no batch axis): the output's shape and
        every parameter's ({"W": (784, 128), "b": (128,)}). A ValueError says
        why the layer `spec` describes cannot take such an input."""
        return shape, {}

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        raise NotImplementedError

    def spec(self) -> dict:
        """What it takes to build this layer again (stored in weights files)."""
        return {"type": type(self).__name__.lower()}

    @classmethod
    def from_spec(cls, spec: dict, rng: np.random.Generator) -> "Layer":
        """A fresh layer from its `spec()`; layers with settings override this."""
        return cls()


class Dense(Layer):
    """Fully connected: (N, n_in) -> (N, n_out), y = x W + b."""
    SETTINGS = {"in": (1, MAX_INPUTS), "out": (1, MAX_UNITS)}
    WEIGHTED = True

    @staticmethod
    def shapes(spec, shape):
        if len(shape) != 1:
            raise ValueError(f"gets a {'×'.join(map(str, shape))} image (a flatten layer comes first)")
        if spec["in"] != shape[0]:
            raise ValueError(f"in is {spec['in']}, but it gets {shape[0]} values")
        return (spec["out"],), {"W": (spec["in"], spec["out"]), "b": (spec["out"],)}

    def __init__(self, n_in: int, n_out: int, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.initialize({"in": n_in, "out": n_out}, (n_in,), rng)

    def forward(self, x, train=False):
        self.x = x
        return matmul(x, self.params["W"]) + self.params["b"]

    def backward(self, dout, input_grad=True):
        self.grads["W"] = matmul(self.x.T, dout)
        self.grads["b"] = dout.sum(axis=0)
        return matmul(dout, self.params["W"].T) if input_grad else None

    def spec(self):
        n_in, n_out = self.params["W"].shape
        return {"type": "dense", "in": int(n_in), "out": int(n_out)}

    @classmethod
    def from_spec(cls, spec, rng):
        return cls(spec["in"], spec["out"], rng)


class ReLU(Layer):
    """max(0, x), any shape. Its derivative at exactly 0 is taken as 0."""

    def forward(self, x, train=False):
        self.mask = x > 0
        return np.maximum(x, 0, dtype=x.dtype)

    def backward(self, dout, input_grad=True):
        return dout * self.mask


class Flatten(Layer):
    """(N, H, W, C) -> (N, H·W·C)."""

    @staticmethod
    def shapes(spec, shape):
        return (math.prod(_image(shape)),), {}

    def forward(self, x, train=False):
        self.shape = x.shape
        return x.reshape(len(x), -1)

    def backward(self, dout, input_grad=True):
        return dout.reshape(self.shape)


class Dropout(Layer):
    """Zeroes a fraction `p` of the inputs while training (inverted dropout:
    the survivors are scaled by 1/(1-p) so nothing changes at inference)."""
    SETTINGS = {"p": (0.0, 1.0)}

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

    def backward(self, dout, input_grad=True):
        return dout if self.mask is None else dout * self.mask

    def spec(self):
        return {"type": "dropout", "p": self.p}

    @classmethod
    def from_spec(cls, spec, rng):
        return cls(spec["p"], rng)


class Conv2D(Layer):
    """k×k convolution, stride 1, zero padding that keeps the size:
    (N, H, W, c_in) -> (N, H, W, c_out). Channels last, so each of the k·k
    shifted views of the input is a contiguous block: the layer is one
    matrix product over all windows (im2col), with no loop over pixels."""
    SETTINGS = {"in": (1, MAX_CHANNELS), "out": (1, MAX_CHANNELS), "k": (1, MAX_KERNEL)}
    WEIGHTED = True

    @staticmethod
    def shapes(spec, shape):
        h, w, channels = _image(shape)
        k, c_in, c_out = spec["k"], spec["in"], spec["out"]
        if c_in != channels:
            raise ValueError(f"in is {c_in}, but it gets {channels} channels")
        if k % 2 == 0:
            raise ValueError(f"k is {k}, expected an odd size (the padding keeps the image's size)")
        return (h, w, c_out), {"W": (k, k, c_in, c_out), "b": (c_out,)}

    def __init__(self, c_in: int, c_out: int, k: int = 3, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.initialize({"in": c_in, "out": c_out, "k": k}, (k, k, c_in), rng)     # any image: the size is kept

    def forward(self, x, train=False):
        k, _, c_in, c_out = self.params["W"].shape
        n, h, w, _ = x.shape
        p = k // 2
        xp = np.pad(x, ((0, 0), (p, p), (p, p), (0, 0)))
        # cols (N, H, W, k*k*c_in): for each output pixel, its window, row by row.
        self.cols = np.concatenate([xp[:, i:i + h, j:j + w] for i in range(k) for j in range(k)], axis=3)
        y = matmul(self.cols.reshape(-1, k * k * c_in), self.params["W"].reshape(-1, c_out))
        return y.reshape(n, h, w, c_out) + self.params["b"]

    def backward(self, dout, input_grad=True):
        k, _, c_in, c_out = self.params["W"].shape
        n, h, w, _ = dout.shape
        p = k // 2
        d = dout.reshape(-1, c_out)
        self.grads["W"] = matmul(self.cols.reshape(-1, k * k * c_in).T, d).reshape(k, k, c_in, c_out)
        self.grads["b"] = d.sum(axis=0)
        if not input_grad:
            return None
        dcols = matmul(d, self.params["W"].reshape(-1, c_out).T).reshape(n, h, w, -1)   # (N, H, W, k*k*c_in)
        dxp = np.zeros((n, h + 2 * p, w + 2 * p, c_in), dout.dtype)
        for i in range(k):             # scatter each window offset back: k*k slices, not pixels
            for j in range(k):
                o = (i * k + j) * c_in
                dxp[:, i:i + h, j:j + w] += dcols[..., o:o + c_in]
        return dxp[:, p:p + h, p:p + w]

    def spec(self):
        k, _, c_in, c_out = self.params["W"].shape
        return {"type": "conv2d", "in": int(c_in), "out": int(c_out), "k": int(k)}

    @classmethod
    def from_spec(cls, spec, rng):
        return cls(spec["in"], spec["out"], spec["k"], rng)


class MaxPool2D(Layer):
    """2×2 max pooling, stride 2: (N, H, W, C) -> (N, H/2, W/2, C); H, W even."""

    @staticmethod
    def shapes(spec, shape):
        h, w, c = _image(shape)
        if h % 2 or w % 2:
            raise ValueError(f"gets a {h}×{w} image, expected an even size")
        return (h // 2, w // 2, c), {}

    def forward(self, x, train=False):
        self.x = x
        rows = np.maximum(x[:, 0::2], x[:, 1::2])           # (N, H/2, W, C): the larger of each pair of rows
        self.out = np.maximum(rows[:, :, 0::2], rows[:, :, 1::2])
        return self.out

    def backward(self, dout, input_grad=True):
        # Which pixel of each block was its maximum is found here, not in
        # forward: inference never needs it. Each 2×2 block is seen through a
        # view, (N, H/2, 2, W/2, 2, C), and compared with its maximum, with no
        # transposed copy. The gradient goes to every pixel equal to the
        # maximum: after a ReLU, ties are zeros, whose gradient the ReLU drops.
        n, h, w, c = self.x.shape
        blocks = self.x.reshape(n, h // 2, 2, w // 2, 2, c)
        grad = (blocks == self.out[:, :, None, :, None]) * dout[:, :, None, :, None]
        return grad.reshape(n, h, w, c)

    def spec(self):
        return {"type": "maxpool2d"}


def _image(shape: Shape) -> Shape:
    """`shape` if it is an image's (H, W, C); a ValueError otherwise."""
    if len(shape) != 3:
        raise ValueError(f"needs an image, gets {shape[0]} values")
    return shape


LAYER_TYPES = {"dense": Dense, "relu": ReLU, "flatten": Flatten, "dropout": Dropout,
               "conv2d": Conv2D, "maxpool2d": MaxPool2D}


def build(spec: dict, rng: np.random.Generator) -> Layer:
    """A fresh layer from its `spec()` dict."""
    return LAYER_TYPES[spec["type"]].from_spec(spec, rng)
