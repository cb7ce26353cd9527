"""The forward pass of one drawing, layer by layer, for the page's "See
inside": what each layer made of it, one unit's arithmetic opened, what one
step of learning on it would change, and the lines of our own source that
do each of these.

- stages(model, x): every layer's output for one input, a ReLU shown with
  the layer before it (a Flatten with the layer after it), then the logits
  and the softmax; each stage names the functions that computed it.
- unit(model, x, layer, index): one unit of a Conv2D or Dense layer: its
  inputs, weights, products, their sum, the bias, the ReLU, and the max
  pooling after it; the numbers are the layer's own and add up to its value.
- one_step(model, x, label): one step of plain gradient descent on a copy,
  never on `model`: the loss and probabilities before and after, and the
  last layer's largest weight changes.
- code(): those functions' source lines, read from the package's .py files
  (a byte-compiled page gets copies after the first answer: SOURCES).
"""

import sys
from pathlib import Path

import numpy as np

from ..nn.layers import Conv2D, Dense, Dropout, Flatten, MaxPool2D, ReLU
from ..nn.model import COLS, PIXELS, ROWS, Model, cross_entropy, from_spec, softmax
from ..nn.optim import SGD

# The functions "See inside" shows, by the name the page uses for each.
FUNCTIONS = {
    "Conv2D.forward": Conv2D.forward, "ReLU.forward": ReLU.forward, "MaxPool2D.forward": MaxPool2D.forward,
    "Flatten.forward": Flatten.forward, "Dense.forward": Dense.forward, "Model.predict_proba": Model.predict_proba,
    "softmax": softmax, "cross_entropy": cross_entropy, "Model.backward": Model.backward,
    "Dense.backward": Dense.backward, "SGD.update": SGD.update,
}
# Where each source file comes in the README's reading order.
READING_ORDER = {"py/nn/layers.py": 1, "py/nn/model.py": 2, "py/nn/optim.py": 3}
TOP = 10              # a dense unit's inputs shown one by one (the strongest products); the rest summed
# one_step's learning rate, by architecture: large enough for one drawing to
# move the probabilities visibly, small enough not to overshoot (the CNN's
# first convolution gets gradients ten times the MLP's first layer's: at
# 0.005 one step leaves it answering every digit at about 10%).
STEP_LR = {"cnn": 0.002, "mlp": 0.01, "path": 0.01}


def stages(model: Model, x: np.ndarray, temperature: float = 1.0) -> list[dict]:
    """x: one input (the model's flat input, e.g. (784,)) -> a list of stages,
    the input first, each {title, layers: indices in model.layers, code:
    FUNCTIONS' names, shape, values: float32 (prod(shape),), channels last}.
    A Conv2D or Dense stage adds `opens`, the index of that layer (whose
    units unit() opens); a dense one `order`, its units strongest first; the last two are
    the logits and the softmax of logits / temperature (the page's probabilities
    before the pen's path joins them)."""
    a = x.reshape(1, *model.input_shape).astype(np.float32)
    out = [{"title": "Input", "layers": [], "code": [], "shape": list(model.input_shape), "values": a.ravel()}]
    pending = []                                   # a Flatten, shown with the Dense after it
    convs = denses = 0
    for i, layer in enumerate(model.layers):
        a = layer.forward(a)
        if isinstance(layer, (Flatten, Dropout)):
            pending += [i] if isinstance(layer, Flatten) else []
            continue
        if isinstance(layer, ReLU) and out[-1]["layers"]:
            out[-1].update(layers=out[-1]["layers"] + [i], values=a.ravel(), title=out[-1]["title"] + " + ReLU",
                           code=out[-1]["code"] + ["ReLU.forward"])
            if "order" in out[-1]:
                out[-1]["order"] = np.argsort(-a.ravel(), kind="stable")
            continue
        layer_type = type(layer).__name__
        if isinstance(layer, Conv2D):
            convs += 1
            title = f"Convolution {convs}"
        elif isinstance(layer, Dense):
            denses += 1
            title = "Logits" if i == len(model.layers) - 1 else f"Dense {denses}"
        else:
            title = "Max pooling" if isinstance(layer, MaxPool2D) else layer_type
        stage = {"title": title, "layers": pending + [i], "shape": list(a.shape[1:]), "values": a.ravel(),
                 "code": [f"{type(model.layers[j]).__name__}.forward" for j in pending + [i]]}
        if isinstance(layer, (Conv2D, Dense)):
            stage["opens"] = i
        if isinstance(layer, Dense):
            stage["order"] = np.argsort(-a.ravel(), kind="stable")
        out.append(stage)
        pending = []
    probs = softmax(a / temperature)
    out.append({"title": "Softmax", "layers": [], "code": ["Model.predict_proba", "softmax"], "shape": [10],
                "values": probs.ravel().astype(np.float32), "temperature": float(temperature)})
    return out


def unit(model: Model, x: np.ndarray, layer: int, index: int) -> dict:
    """One unit of the Conv2D or Dense layer `layer` of `model` for input x:
    `index` is its place in the layer's output, flat (channels last). Returns
    {type, layer, index, at, sum, bias, value, relu, pool, ...}: value =
    sum + bias is the layer's output there, relu the output of the ReLU after
    it (None without one), pool the 2×2 max pooling that keeps or drops it
    (None without one).
    A Conv2D unit also gives window and weights (k, k, c_in), the input
    window (zeros past the edge) and the filter, and by_channel (c_in,), the
    sum of their products on each input channel.
    A Dense unit gives top: its TOP largest products (by size), each {input
    (its index), at (where it is in the layer before: [row, col, channel]
    of an image, or None), x, w, product}, and rest: the sum of the others."""
    target = model.layers[layer]
    if not isinstance(target, (Conv2D, Dense)):
        raise ValueError(f"layer {layer} is a {type(target).__name__}: only Conv2D and Dense units open")
    a = x.reshape(1, *model.input_shape).astype(np.float32)
    image = (ROWS, COLS, 1) if model.input_shape == (PIXELS,) else model.input_shape   # the last image seen
    for before in model.layers[:layer]:
        a = before.forward(a)
        image = a.shape[1:] if a.ndim == 4 else image
    y = target.forward(a)[0]
    value = float(y.ravel()[index])
    after = model.layers[layer + 1:]
    relu = float(max(value, 0)) if after and isinstance(after[0], ReLU) else None
    out = {"type": type(target).__name__, "layer": layer, "index": int(index), "value": value, "relu": relu,
           "pool": None, "code": [f"{type(target).__name__}.forward"] + (["ReLU.forward"] if relu is not None else [])}
    if isinstance(target, Conv2D):
        w = target.params["W"].astype(np.float64)
        k, c_in = w.shape[0], w.shape[2]
        row, col, channel = np.unravel_index(index, y.shape)
        padded = np.pad(a[0].astype(np.float64), ((k // 2, k // 2), (k // 2, k // 2), (0, 0)))
        window, weights = padded[row:row + k, col:col + k], w[:, :, :, channel]
        by_channel = (window * weights).sum(axis=(0, 1))
        bias = float(target.params["b"][channel])
        out.update(at=[int(row), int(col), int(channel)], window=window.ravel(), weights=weights.ravel(),
                   k=int(k), c_in=int(c_in), by_channel=by_channel, sum=float(by_channel.sum()), bias=bias)
        if relu is not None and len(after) > 1 and isinstance(after[1], MaxPool2D):
            activated = np.maximum(y, 0)
            r0, c0 = row - row % 2, col - col % 2
            block = activated[r0:r0 + 2, c0:c0 + 2, channel]
            out["pool"] = {"at": [int(r0), int(c0)], "block": block.ravel(),
                           "max": float(block.max()), "kept": bool(block.max() == activated[row, col, channel])}
            out["code"].append("MaxPool2D.forward")
    else:
        inputs = a[0].ravel().astype(np.float64)
        weights = target.params["W"][:, index].astype(np.float64)
        products = inputs * weights
        top = np.argsort(-np.abs(products), kind="stable")[:TOP]
        flat = len(image) == 3 and np.prod(image) == len(inputs)       # the image before a Flatten, or the pixels

        def where(i):
            return [int(v) for v in np.unravel_index(i, image)] if flat else None
        out.update(at=[int(index)], inputs=int(len(inputs)), sum=float(products.sum()),
                   bias=float(target.params["b"][index]),
                   top=[{"input": int(i), "at": where(i), "x": float(inputs[i]), "w": float(weights[i]),
                         "product": float(products[i])} for i in top],
                   rest=float(products.sum() - products[top].sum()))
    return out


def one_step(model: Model, x: np.ndarray, label: int, *, lr: float | None = None) -> dict:
    """One step of plain gradient descent (SGD, `lr`) on the input x with
    `label` (-1: no digit, whose target is the uniform distribution), taken
    on a copy: `model` stays as it is. lr: STEP_LR's for its architecture, unless given. Returns {label, lr, loss_before,
    loss_after, probs_before, probs_after (10 each, at temperature 1), grads:
    the size (L2 norm) of the gradient of each weighted layer, [{layer,
    type, norm}] from the input on, changes: the last layer's TOP largest
    weight changes, each {input, digit, before, after}}."""
    lr = STEP_LR[model.architecture] if lr is None else lr
    copy = from_spec(model.spec())
    for (_, mine, _), (_, theirs, _) in zip(copy.parameters(), model.parameters()):
        mine[...] = theirs
    xb, yb = x.reshape(1, -1).astype(np.float32), np.array([label])
    logits = copy.forward(xb)
    loss_before, dlogits = cross_entropy(logits, yb)
    copy.backward(dlogits)
    grads = [{"layer": i, "type": type(layer).__name__, "norm": float(np.sqrt(sum((g.astype(np.float64) ** 2).sum()
                                                                               for g in layer.grads.values())))}
             for i, layer in enumerate(copy.layers) if layer.grads]
    last = max(i for i, layer in enumerate(copy.layers) if isinstance(layer, Dense))
    w_before = copy.layers[last].params["W"].copy()
    SGD(lr).step(copy)
    w_after = copy.layers[last].params["W"]
    loss_after, _ = cross_entropy(copy.forward(xb), yb)
    change = (w_after - w_before).ravel()
    biggest = np.argsort(-np.abs(change), kind="stable")[:TOP]
    rows, cols = np.unravel_index(biggest, w_before.shape)
    return {"label": int(label), "lr": lr, "loss_before": loss_before, "loss_after": loss_after,
            "probs_before": softmax(logits)[0], "probs_after": softmax(copy.forward(xb))[0], "grads": grads,
            "last": last, "changes": [{"input": int(r), "digit": int(c), "before": float(w_before[r, c]),
                                       "after": float(w_after[r, c])} for r, c in zip(rows, cols)]}


def code() -> dict:
    """Each of FUNCTIONS as its source file shows it: {name: {file (py/nn/layers.py),
    step (its place in the README's reading order), first (line number), text}}.
    The code object knows where the function starts; it ends before the next
    line indented no deeper than its `def`."""
    out = {}
    for name, fn in FUNCTIONS.items():
        file = fn.__module__.replace(".", "/") + ".py"
        lines = source(fn.__module__).splitlines()
        first = fn.__code__.co_firstlineno
        indent = len(lines[first - 1]) - len(lines[first - 1].lstrip())
        last = first
        for n in range(first, len(lines)):
            if lines[n].strip() and len(lines[n]) - len(lines[n].lstrip()) <= indent:
                break
            last = n + 1 if lines[n].strip() else last
        out[name] = {"file": file, "step": READING_ORDER[file], "first": first, "text": "\n".join(lines[first - 1:last])}
    return out


def source(module: str) -> str:
    """The source of one of our modules: its own file when it runs from
    source, else the copy the page's build keeps in SOURCE_FOLDER (its byte
    code has none)."""
    here = Path(sys.modules[module].__file__)
    if here.suffix != ".py":
        package = Path(sys.modules["py"].__file__).parent
        here = package / SOURCE_FOLDER / here.relative_to(package).with_suffix(".py")
    return here.read_text(encoding="utf-8")


# The source files code() reads. A byte-compiled page has them in py/SOURCE_FOLDER/
# (py/source/nn/layers.py), where no import finds them: py/site.py puts them
# there, and they arrive with the rest of the package, after the first answer.
SOURCES = tuple(READING_ORDER)
SOURCE_FOLDER = "source"
