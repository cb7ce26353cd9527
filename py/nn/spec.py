"""A network's description, Model.spec(), checked without building anything:
what a weights file's "model" holds (py/io/weights.py reads it), what a
command's options describe (python -m py.train --layers) and what the page
asks to train. Each layer's own settings and ranges are declared on its
class (py/nn/layers.py); the limits on the whole network are here.

    {"input_shape": [784], "layers": [{"type": "dense", "in": 784, "out": 128}, {"type": "relu"}, …]}
"""

import math

from .layers import LAYER_TYPES
from .model import COLS, PATH_INPUTS, PIXELS, ROWS

MAX_LAYERS = 64
MAX_PARAMETERS = 10_000_000   # 20 times the shipped networks: 40 MB of float32

INPUTS = ([PIXELS], [ROWS, COLS, 1], [PATH_INPUTS])    # flat pixels (an MLP), an image (a CNN), the pen's path
WEIGHTED = " or ".join(name for name, layer in LAYER_TYPES.items() if layer.WEIGHTED)      # "dense or conv2d"


def check_spec(spec: object) -> dict[str, tuple[int, ...]]:
    """Check a model description (Model.spec()) without building anything:
    known layer types with exactly their settings, each in its range, shapes
    that chain from the input (784 pixels, a 28×28×1 image, or the pen's
    path's PATH_INPUTS values) to 10 logits, a dense or conv2d layer first
    and a dense one last, a ReLU right after one of those, at most
    MAX_PARAMETERS. What each layer allows is declared on
    its class (py/nn/layers.py). Returns every parameter's shape by name
    ("0.W": (784, 128), ...); a ValueError says what is wrong."""
    if not isinstance(spec, dict) or set(spec) != {"input_shape", "layers"}:
        raise ValueError("expected an object with 'input_shape' and 'layers'")
    shape, layers = spec["input_shape"], spec["layers"]
    if not isinstance(shape, list) or any(type(v) is not int for v in shape) or shape not in INPUTS:
        raise ValueError(f"input_shape {short(shape)}, expected [784], [28, 28, 1] or [{PATH_INPUTS}]")
    if not isinstance(layers, list) or not 1 <= len(layers) <= MAX_LAYERS:
        raise ValueError(f"expected a list of 1 to {MAX_LAYERS} layers")
    shape, shapes, before = tuple(shape), {}, None
    for i, layer in enumerate(layers):
        if not isinstance(layer, dict):
            raise ValueError(f"layer {i}: {short(layer)}, expected an object like {{'type': 'relu'}}")
        layer_type = layer.get("type")
        if not isinstance(layer_type, str) or layer_type not in LAYER_TYPES:
            raise ValueError(f"layer {i}: type {short(layer_type)} is not one of {', '.join(LAYER_TYPES)}")
        cls, where = LAYER_TYPES[layer_type], f"layer {i} ({layer_type})"
        if set(layer) != {"type", *cls.SETTINGS}:
            raise ValueError(f"{where}: settings {sorted(set(layer) - {'type'})}, expected {list(cls.SETTINGS)}")
        for key, (low, high) in cls.SETTINGS.items():
            _setting(layer[key], key, low, high, where)
        if before is None and not cls.WEIGHTED:
            raise ValueError(f"{where}: the first layer must be {WEIGHTED}")
        if layer_type == "relu" and not (before and LAYER_TYPES[before].WEIGHTED):
            raise ValueError(f"{where}: a ReLU comes right after a {WEIGHTED} layer, not {before}")
        try:
            shape, parameters = cls.shapes(layer, shape)
        except ValueError as e:
            raise ValueError(f"{where}: {e}") from None
        shapes.update({f"{i}.{name}": s for name, s in parameters.items()})
        before = layer_type
    if before != "dense" or shape != (10,):
        raise ValueError(f"the last layer must be a dense one giving 10 digit scores, not {before} giving {shape}")
    n = sum(math.prod(s) for s in shapes.values())
    if n > MAX_PARAMETERS:
        raise ValueError(f"{n:,} parameters, more than the {MAX_PARAMETERS:,} this program loads")
    return shapes


def _setting(value: object, key: str, low: float, high: float, where: str) -> None:
    """A layer's setting within its range: a whole number from low to high
    when both are ints, otherwise a number from low to below high."""
    if isinstance(low, int) and isinstance(high, int):
        if type(value) is not int or not low <= value <= high:
            raise ValueError(f"{where}: {key} is {short(value)}, expected a whole number from {low:,} to {high:,}")
    elif type(value) not in (int, float) or not low <= value < high:       # NaN fails too
        raise ValueError(f"{where}: {key} is {short(value)}, expected a number from {low:g} to below {high:g}")


def short(value: object) -> str:
    """repr() of a value from a file, cut short: it may be a megabyte."""
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"
