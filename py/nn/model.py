"""The network: a list of layers, a softmax cross-entropy loss, and the two
architectures the project ships (the source design's MLP and a small CNN)."""

import numpy as np

from .layers import Layer, build

ROWS = COLS = 28
PIXELS = ROWS * COLS
# The pen's path network reads 48 points of (x, y, pen, cos, sin) (py/page/path.py).
PATH_POINTS, PATH_CHANNELS = 48, 5
PATH_INPUTS = PATH_POINTS * PATH_CHANNELS


def softmax(logits: np.ndarray) -> np.ndarray:
    """(N, K) logits -> (N, K) probabilities. Subtracting the row maximum
    keeps exp() finite for any logits."""
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy (natural log) of softmax(logits) against integer
    labels, and its gradient with respect to the logits.
    logits (N, K), labels (N,) -> (loss, dlogits (N, K)).
    A label of -1 marks a drawing that is no digit: its target is the uniform
    distribution, which teaches the network to be unsure of such inputs
    (outlier exposure, Hendrycks et al., 2019)."""
    n, k = logits.shape
    z = logits - logits.max(axis=1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))   # log-sum-exp
    digit = labels >= 0
    rows = np.arange(n)[digit]
    loss = -(log_probs[rows, labels[digit]].sum() + log_probs[~digit].mean(axis=1).sum()) / n
    dlogits = np.exp(log_probs)
    dlogits[rows, labels[digit]] -= 1
    dlogits[~digit] -= logits.dtype.type(1 / k)
    # Dividing here makes every parameter's gradient a batch average.
    return float(loss), dlogits / logits.dtype.type(n)


class Model:
    """A stack of layers. Inputs are flat images (N, 784) in [0, 1]; the
    model reshapes them to `input_shape` (e.g. (28, 28, 1) for a CNN)."""

    def __init__(self, layers: list[Layer], input_shape: tuple[int, ...] = (PIXELS,)) -> None:
        self.layers, self.input_shape = layers, tuple(input_shape)

    @property
    def n_parameters(self) -> int:
        return int(sum(p.size for layer in self.layers for p in layer.params.values()))

    @property
    def architecture(self) -> str:
        """"cnn" for a model that reads images, "mlp" for one that reads flat
        pixels, "path" for one that reads the pen's path (PATH_INPUTS values)."""
        return "cnn" if len(self.input_shape) == 3 else "path" if self.input_shape == (PATH_INPUTS,) else "mlp"

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        """(N, 784) -> logits (N, 10)."""
        x = x.reshape(len(x), *self.input_shape)
        for layer in self.layers:
            x = layer.forward(x, train)
        return x

    def backward(self, dlogits: np.ndarray, input_grad: bool = False) -> np.ndarray | None:
        """Fills every layer's `grads` from the gradient of the loss w.r.t. the
        logits (N, 10). With input_grad, returns the gradient w.r.t. the input
        (N, 784); training does not need it, and it costs as much as the
        first layer's forward pass."""
        d = dlogits
        for i in range(len(self.layers) - 1, -1, -1):
            d = self.layers[i].backward(d, input_grad or i > 0)
        return d.reshape(len(d), -1) if input_grad else None

    def logits(self, x: np.ndarray, batch: int = 250) -> np.ndarray:
        """(N, 784) -> (N, 10) logits at inference, in batches to bound memory
        (a CNN's second convolution spreads 250 images over 56 MB)."""
        return np.concatenate([self.forward(x[i:i + batch]) for i in range(0, len(x), batch)])

    def predict_proba(self, x: np.ndarray, temperature: float = 1.0) -> np.ndarray:
        """(N, 784) -> (N, 10) probabilities."""
        return softmax(self.logits(x) / temperature)

    def sizes(self) -> list:
        """The architecture as a person reads it: [784, 512, 256, 10] for an
        MLP (input first), ["conv32", "conv64", 128, 10] for a CNN."""
        specs = [layer.spec() for layer in self.layers]
        sizes = [f"conv{s['out']}" if s["type"] == "conv2d" else s["out"]
                 for s in specs if s["type"] in ("conv2d", "dense")]
        return sizes if self.architecture == "cnn" else [specs[0]["in"], *sizes]

    def parameters(self) -> list[tuple[str, np.ndarray, np.ndarray | None]]:
        """(name, array, gradient) for every parameter; names are "layer.param",
        e.g. "0.W", as in weights files."""
        return [(f"{i}.{k}", v, layer.grads.get(k))
                for i, layer in enumerate(self.layers) for k, v in layer.params.items()]

    def clear_grads(self) -> None:
        """Forget every gradient (an optimizer's step ends so: it used them as scratch space)."""
        for layer in self.layers:
            layer.grads.clear()

    def spec(self) -> dict:
        return {"input_shape": list(self.input_shape), "layers": [l.spec() for l in self.layers]}

    def flush_subnormals(self) -> None:
        """Set to 0 every weight too small for a normal float (|w| < 1.2e-38 in
        float32). Such subnormal numbers take a slow path in the processor's
        arithmetic, which WebAssembly cannot switch off, and weight decay
        leaves many. Zero has the same effect on the answers."""
        for _, p, _ in self.parameters():
            p[np.abs(p) < np.finfo(p.dtype).tiny] = 0


def from_spec(spec: dict, seed: int = 0) -> Model:
    """A freshly initialised model from `Model.spec()`."""
    rng = np.random.default_rng(seed)
    return Model([build(s, rng) for s in spec["layers"]], tuple(spec["input_shape"]))


def mlp_spec(sizes: list[int], dropout: float = 0.0) -> dict:
    """The source design's network: Dense layers of the given sizes (first 784,
    or PATH_INPUTS for the pen's path; last 10) with ReLU between them and
    optional dropout after each ReLU."""
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        layers.append({"type": "dense", "in": n_in, "out": n_out})
        if i < len(sizes) - 2:
            layers.append({"type": "relu"})
            if dropout:
                layers.append({"type": "dropout", "p": dropout})
    return {"input_shape": [sizes[0]], "layers": layers}


def cnn_spec(c1: int = 32, c2: int = 64, hidden: int = 128, dropout: float = 0.0) -> dict:
    """conv(c1)-pool-conv(c2)-pool-dense(hidden)-dense(10), 3×3 kernels."""
    layers = [
        {"type": "conv2d", "in": 1, "out": c1, "k": 3}, {"type": "relu"}, {"type": "maxpool2d"},
        {"type": "conv2d", "in": c1, "out": c2, "k": 3}, {"type": "relu"}, {"type": "maxpool2d"},
        {"type": "flatten"},
        {"type": "dense", "in": c2 * 7 * 7, "out": hidden}, {"type": "relu"},
    ]
    if dropout:
        layers.append({"type": "dropout", "p": dropout})
    layers.append({"type": "dense", "in": hidden, "out": 10})
    return {"input_shape": [ROWS, COLS, 1], "layers": layers}


def layers_spec(architecture: str, layers: str, dropout: float = 0.0) -> dict:
    """A spec from a person's words: architecture "mlp" with sizes "784,128,10"
    (input first), "path" with sizes "240,256,10", or "cnn" with "32,64,128"
    (conv1 channels, conv2 channels, hidden units). A ValueError says what is wrong with `layers`."""
    try:
        sizes = [int(s) for s in layers.split(",")]
    except ValueError:
        raise ValueError("expected comma-separated whole numbers like 784,128,10") from None
    if min(sizes) < 1:
        raise ValueError("sizes must be positive")
    if architecture == "cnn":
        if len(sizes) != 3:
            raise ValueError("a CNN takes three sizes: conv1 channels, conv2 channels, hidden units")
        return cnn_spec(*sizes, dropout=dropout)
    first = PATH_INPUTS if architecture == "path" else PIXELS
    if len(sizes) < 2 or sizes[0] != first or sizes[-1] != 10:
        raise ValueError(f"the first size must be {first} ({'path values' if architecture == 'path' else 'pixels'}) "
                         "and the last 10 (digits)")
    return mlp_spec(sizes, dropout)
