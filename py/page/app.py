"""The page's contract: what its Web Worker (web/worker/worker.js) may call, by name,
in ENTRY_POINTS and nowhere else; web/worker/python.js has one function for each
(tests/test_contract.py keeps the three in step). Typed arrays go in (they
arrive as memoryviews), plain values and dicts come out (dicts become JS
objects, bytes a Uint8Array, None undefined). A bad input raises BadInput,
whose one-line message the page shows as it is.

Networks by name:
    load_model(name, npz_bytes, filename)    -> describe(): {name, kind, layers, parameters, val_accuracy,
                                                           val_before, personal}
                                                val_before: a taught network's val_accuracy before teaching
    has_model(name)                          -> bool
    remove_model(name)                       -> None
The shipped networks (web/build.json's `shipped`, the first answers first)
load lazily: the worker loads the first one before it says it is ready, and
any other on the first call that uses it (web/worker/python.js marks those calls),
unless Python holds that name already (has_model: a personalized copy the
page loaded, say), which it then leaves as it is.

Recognizing. points: Float32Array of x, y pairs of every stroke, in units of
the canvas's width; ends: Int32Array, the index one past each stroke's last
point; size: the canvas's width in those units (1).
    predict(name, points, ends, size)        -> {digit, best, probs[10], image[784] | None, sure, small, path}
                                                digit is None when not sure, best None for a blank pad,
                                                small: a mark too small to read (a dot), path: whether
                                                the pen's path network (loaded as PATH) took part
    predict_number(name, points, ends, size) -> {text, digits: [predict-like dicts, left to right]}
                                                each digit's dict also has strokes: the indices of its
                                                strokes (what the page looks inside of, for that digit)
    inside(name, points, ends, size)         -> {image, attribution, first, first_size, path, path_probs}
                                                path: what the pen's path network reads, [x, y, pen] of
                                                each of its points in order (flat), or None
    trace(name, points, ends, size)          -> {stages: [{title, layers, code, shape, values, opens?, order?}],
                                                 pictures}
                                                every layer's output for the drawing (py/page/trace.py):
                                                values float32 bytes (channels last), opens: the layer
                                                whose units open_unit opens, order: a dense layer's units
                                                strongest first; pictures: an MLP's first
                                                layer's weights of its strongest units, float32 bytes
                                                (n·784, each within -1..1) in `order`, or None.
                                                stages empty for a blank pad
    open_unit(name, points, ends, size, layer, index) -> one unit's arithmetic (trace.unit): layer, its
                                                index in model.layers, index: the unit's place in its output
    learn_step(name, points, ends, size, label) -> what one gradient step on the drawing as `label` (-1: not
                                                a digit) would change (trace.one_step), the network unchanged
    source_lines()                           -> {function: {file, step, first, text}}: the source that
                                                computes each stage (trace.code)
A person's samples as a file (the source project's CSV: label, 784 pixels 0..255;
the label -1 for a drawing that is no digit):
    read_samples(csv_bytes, filename)        -> {images: bytes (n·784), labels: bytes (n, signed)}
Training in the page, a slice of steps per call (py/page/session.py):
    load_replay(npz_bytes)                   -> None
    start_finetune(name, images, labels)     -> {total, before: {yours, mnist}}
                                                images: Uint8Array(n·784) 0..255, labels: Int8Array(n),
                                                -1 for a drawing that is no digit (learned: "not sure")
    start_scratch(name, config)              -> {total}: a new network `name`
                                                config: {kind, layers, lr, batch_size, epochs}
    train_slice(steps)                       -> {step, total, epoch, loss, accuracy, val_accuracy, done}
                                                a run from scratch adds first: its first layer's weights
                                                now (explain.first_layer: float32 bytes, each picture
                                                within -1..1) and first_size (28 for an MLP, k for a CNN)
                                                and, when done, result: {model: describe(), after, held_out}
    stop_training()                          -> a from-scratch run's result as it stands, or None
Weights out:
    export_weights(name)                     -> npz bytes
"""

from pathlib import Path

import numpy as np

from ..io import weights
from ..io.errors import BadInput
from ..nn.layers import Conv2D, Dense
from ..nn.model import Model
from . import path, preprocess, segment

# Looking inside, files of samples and training (explain, data, replay,
# session and what they need) are imported on first use: the page's first
# answer waits only for what recognizing needs.

ENTRY_POINTS = ("load_model", "has_model", "remove_model", "predict", "predict_number", "inside", "trace",
                "open_unit", "learn_step", "source_lines", "read_samples", "load_replay", "start_finetune",
                "start_scratch", "train_slice", "stop_training", "export_weights")
# What the first answer calls: these need only the modules imported above, all
# the page's wheel holds (py/site.py); the rest of the package arrives after it.
FIRST_ANSWER = ("load_model", "has_model", "remove_model", "predict", "predict_number")
# The name of the network that reads the pen's path: an image network whose
# file says how to join it (meta path_weight, path_reject_below) answers
# with it whenever it is loaded and the drawing's path can be trusted.
PATH = "path"

# Below this top probability the page says "not sure" instead of a digit: the
# network then gives the other nine digits together at least as much weight.
# A weights file carries its own calibrated threshold ("reject_below").
UNSURE_BELOW = 0.5

models: dict[str, tuple[Model, dict]] = {}
replay_set: dict[str, np.ndarray] = {}
training = None             # the session.Session under way, if any


def load_model(name: str, data: bytes, filename: str | None = None) -> dict:
    """Load (or replace) model `name` from the bytes of a weights file. The
    file is checked in full and the model it holds must answer test drawings
    (weights.from_bytes) before it replaces anything: a bad file raises
    BadInput naming `filename`, and the model in place stays as it was."""
    models[name] = weights.from_bytes(bytes(data), filename or f"{name}.npz")
    return describe(name)


def has_model(name: str) -> bool:
    return name in models


def remove_model(name: str) -> None:
    models.pop(name, None)


def describe(name: str) -> dict:
    model, meta = models[name]
    return {"name": name, "kind": model.architecture, "layers": model.sizes(), "parameters": model.n_parameters,
            "val_accuracy": meta.get("val_accuracy"), "val_before": meta.get("val_before"),
            "personal": bool(meta.get("personal"))}


def predict(name: str, points: np.ndarray, ends: np.ndarray, size: float) -> dict:
    return classify(name, preprocess.split_strokes(points, ends), size)


def predict_number(name: str, points: np.ndarray, ends: np.ndarray, size: float) -> dict:
    """Like `predict`, for several digits written side by side. "text" holds
    the digits read, "?" where the network is not sure."""
    strokes = preprocess.split_strokes(points, ends)
    digits = [{**classify(name, [strokes[i] for i in g], size), "strokes": [int(i) for i in g]}
              for g in segment.group(strokes)]
    return {"text": "".join("?" if d["digit"] is None else str(d["digit"]) for d in digits), "digits": digits}


def classify(name: str, strokes: list[np.ndarray], size: float, *, read_path: bool = True) -> dict:
    """The page's answer for one drawing (strokes in canvas units, the canvas
    `size` wide) by network `name`: its reading of the 28×28 image, joined
    with the pen's path network's reading of the strokes when the file of
    `name` says how (`read_path` False: the image alone), and "not sure"
    below the threshold that goes with what answered. Every measure of the
    page's answer (py.evaluate, the benchmarks) comes through here, or
    through `classify_many`, the same for many drawings at once."""
    return classify_many(name, [strokes], size, read_path=read_path)[0]


def classify_many(name: str, drawings: list[list[np.ndarray]], size: float, *, read_path: bool = True) -> list[dict]:
    """`classify` for each of `drawings`, the networks run once on all of them."""
    model, meta = models[name]
    images = [preprocess.from_strokes(strokes, size) for strokes in drawings]
    drawn = [i for i, image in enumerate(images) if image is not None]
    probs = np.zeros((len(drawings), 10))
    threshold = np.full(len(drawings), meta.get("reject_below", UNSURE_BELOW))
    if drawn:
        probs[drawn] = model.predict_proba(np.stack([images[i].ravel() for i in drawn]), meta.get("temperature", 1.0))
    read = []
    if read_path and "path_weight" in meta and PATH in models:
        read, path_probs = read_paths([drawings[i] for i in drawn])
        read = [drawn[i] for i in read]
    if read:
        probs[read] = path.combine(probs[read], path_probs, meta["path_weight"])
        threshold[read] = meta.get("path_reject_below", meta.get("reject_below", UNSURE_BELOW))
    out, joined = [], set(read)
    for i, (strokes, image) in enumerate(zip(drawings, images)):
        if image is None:
            out.append({"digit": None, "best": None, "probs": [0.0] * 10, "image": None, "sure": False,
                        "small": False, "path": False})
            continue
        best = int(probs[i].argmax())
        small = preprocess.too_small(strokes, size)
        sure = bool(probs[i, best] >= threshold[i]) and not small
        out.append({"digit": best if sure else None, "best": best, "probs": [round(float(p), 5) for p in probs[i]],
                    "image": _list(image), "sure": sure, "small": small, "path": i in joined})
    return out


def read_paths(drawings: list[list[np.ndarray]]) -> tuple[list[int], np.ndarray]:
    """The pen's path network (loaded as PATH) on each drawing whose path it
    can trust: their indices, and its calibrated probabilities (len, 10)."""
    values = [path.features(strokes) for strokes in drawings]
    read = [i for i, v in enumerate(values) if v is not None]
    if not read:
        return [], np.zeros((0, 10))
    path_model, path_meta = models[PATH]
    return read, path_model.predict_proba(np.stack([values[i] for i in read]), path_meta.get("temperature", 1.0))


def inside(name: str, points: np.ndarray, ends: np.ndarray, size: float) -> dict:
    """The input image and its attribution (784 values each: gradient × input
    for the top digit) and first-layer pictures, all as flat lists; and what
    the pen's path network reads of the drawing, and its probabilities, when
    it joins this network's answers. Every layer's values: trace()."""
    from . import explain
    model, meta = models[name]
    first = explain.first_layer(model)
    out = {"first": [_list(f) for f in first], "first_size": int(first.shape[1]),
           "image": None, "attribution": None, "path": None, "path_probs": None}
    strokes = preprocess.split_strokes(points, ends)
    image = preprocess.from_strokes(strokes, size)
    if image is not None:
        out.update(image=_list(image), attribution=_list(explain.attribution(model, image.ravel())))
    read, path_probs = (read_paths([strokes]) if image is not None and "path_weight" in meta and PATH in models
                        else ([], None))
    if read:
        out.update(path=_list(path.features(strokes).reshape(path.POINTS, path.CHANNELS)[:, :3]),
                   path_probs=_list(path_probs[0]))
    return out


PICTURES = 16        # an MLP's first-layer units whose weights trace() shows, the strongest first


def trace(name: str, points: np.ndarray, ends: np.ndarray, size: float) -> dict:
    """Every layer's output for the drawing, as py/page/trace.py's stages()."""
    from .trace import stages
    model, meta = models[name]
    x = _input(model, points, ends, size)
    if x is None:
        return {"stages": [], "pictures": None}
    out = stages(model, x, meta.get("temperature", 1.0))
    pictures = None
    if isinstance(model.layers[0], Dense) and model.architecture == "mlp":
        units = out[1]["order"][:PICTURES]
        w = model.layers[0].params["W"][:, units].T
        pictures = _bytes(w / (np.abs(w).max(axis=1, keepdims=True) + 1e-8))
    for stage in out:
        stage["values"] = _bytes(stage["values"])
        if "order" in stage:
            stage["order"] = [int(i) for i in stage["order"]]
    return {"stages": out, "pictures": pictures}


def open_unit(name: str, points: np.ndarray, ends: np.ndarray, size: float, layer: int, index: int) -> dict:
    """One unit of layer `layer` (Conv2D or Dense), its arithmetic for the drawing (trace.unit)."""
    from .trace import unit
    model, _ = models[name]
    x = _input(model, points, ends, size)
    layer, index = int(layer), int(index)
    if x is None:
        raise BadInput("nothing drawn: draw a digit to open one of its units")
    if not 0 <= layer < len(model.layers) or not isinstance(model.layers[layer], (Conv2D, Dense)):
        raise BadInput(f"layer {layer}: expected a convolution or a dense layer of the network")
    units = model.layers[layer].shapes(model.layers[layer].spec(), _shape_before(model, layer))[0]
    if not 0 <= index < int(np.prod(units)):
        raise BadInput(f"unit {index}: layer {layer} has {int(np.prod(units))} units")
    return _plain(unit(model, x, layer, index))


def learn_step(name: str, points: np.ndarray, ends: np.ndarray, size: float, label: int) -> dict:
    """What one gradient step on the drawing as `label` would change (trace.one_step)."""
    from .trace import one_step
    model, _ = models[name]
    x = _input(model, points, ends, size)
    if x is None:
        raise BadInput("nothing drawn: draw a digit to see one step of learning on it")
    if int(label) not in range(-1, 10):
        raise BadInput(f"label {label}: expected a digit 0-9, or -1 for no digit")
    return _plain(one_step(model, x, int(label)))


def source_lines() -> dict:
    """The lines of our own source that compute each stage (trace.code)."""
    from .trace import code
    return code()


def _input(model: Model, points: np.ndarray, ends: np.ndarray, size: float) -> np.ndarray | None:
    """What `model` reads of the drawing: the 28×28 image, flat (the pen's
    path for a path network), or None for a blank pad."""
    strokes = preprocess.split_strokes(points, ends)
    if model.architecture == "path":
        return path.features(strokes)
    image = preprocess.from_strokes(strokes, size)
    return None if image is None else image.ravel()


def _shape_before(model: Model, layer: int) -> tuple[int, ...]:
    shape = model.input_shape
    for before in model.layers[:layer]:
        shape = before.shapes(before.spec(), shape)[0]
    return shape


def _plain(value):
    """Arrays as lists of floats, in dicts and lists too: what the worker passes on."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value.tolist() if isinstance(value, np.ndarray) else value


def _bytes(a: np.ndarray) -> bytes:
    """float32 bytes: a Float32Array's on the page's side."""
    return np.ascontiguousarray(a, np.float32).tobytes()


def _list(a: np.ndarray) -> list[float]:
    return [round(float(v), 3) for v in np.asarray(a).ravel()]


def read_samples(data: bytes, filename: str) -> dict:
    """A CSV file of samples, checked by the same loader as the CLI's, from
    its bytes (no file is written: any name will do); errors name the file."""
    from ..io.data import csv_bytes
    x, y, _ = csv_bytes(bytes(data), Path(filename).name or filename)
    return {"images": np.round(x * 255).astype(np.uint8).tobytes(), "labels": y.astype(np.int8).tobytes()}


# --- training in the page ---------------------------------------------------------

def load_replay(data: bytes) -> None:
    from ..io import replayset
    replay_set.update(replayset.from_bytes(bytes(data)))


def start_finetune(name: str, images: np.ndarray, labels: np.ndarray) -> dict:
    """Begin fine-tuning a copy of model `name` on the person's samples; the
    copy replaces the model only when training completes."""
    global training
    from . import session
    x = np.asarray(images, np.uint8).reshape(-1, 784).astype(np.float32) / 255
    model, meta = models[name]
    training = session.start_finetune(name, model, meta, x, np.asarray(labels).astype(np.int64), replay_set,
                                      reject_below=meta.get("reject_below", UNSURE_BELOW))
    return {"total": training.trainer.total_steps, "before": training.before}


def start_scratch(name: str, config: dict) -> dict:
    """Begin training a new network `name` on the replay set."""
    global training
    from . import session
    training = session.start_scratch(name, config, replay_set)
    return {"total": training.trainer.total_steps}


def train_slice(steps: int) -> dict:
    """Run up to `steps` steps of the training under way; see session.Session.run."""
    progress = training.run(steps)
    if training.task == "scratch":             # the page redraws what the first layer learns as it goes
        from .explain import first_layer
        first = first_layer(training.model)
        progress.update(first=_bytes(first), first_size=int(first.shape[1]))
    if progress["done"]:
        progress["result"] = _finish()
    return progress


def stop_training() -> dict | None:
    """Stop now. A network trained from scratch is kept as it is (if it took
    any steps); an unfinished fine-tuning is dropped, the model unchanged."""
    global training
    keep = training is not None and training.task == "scratch" and training.trainer.done
    result = _finish() if keep else None
    training = None
    return result


def _finish() -> dict:
    global training
    run, training = training, None
    models[run.name] = run.result()
    result = {"model": describe(run.name)}
    if run.task == "finetune":
        result.update(after=run.scores(run.model), held_out=run.held_out)
    return result


def export_weights(name: str) -> bytes:
    model, meta = models[name]
    return weights.to_bytes(model, meta)
