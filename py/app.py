"""What the page's Web Worker calls: typed arrays in, plain dicts out.

Recognizing (points: flat x, y pairs of every stroke in canvas units; ends:
the index one past each stroke's last point; size: the canvas's longer side):
    load_model(name, npz_bytes)             -> {"name", "kind", "layers", "val_accuracy", ...}
    predict(name, points, ends, size)       -> {"digit", "best", "probs", "image", "sure"}
    predict_number(name, points, ends, size) -> {"text", "digits": [predict-like dicts, left to right]}
    inside(name, points, ends, size)        -> pictures of what the network does with the drawing
Training in the page, a slice of steps per call so the worker stays responsive:
    load_replay(npz_bytes), start_finetune(name, images, labels), start_scratch(config),
    train_slice(steps) -> progress, and when done the result; stop_training()
Weights in and out: export_weights(name) -> npz bytes; load_model(name, bytes) imports.
"""

import numpy as np

from . import explain, finetune, preprocess, replay, segment, weights
from .errors import BadFile
from .evaluate import report
from .model import Model, from_spec, layers_spec
from .optim import Adam
from .trainer import Trainer

# Below this top probability the page says "not sure" instead of a digit: the
# network then gives the other nine digits together at least as much weight.
# A weights file carries its own calibrated threshold ("reject_below").
UNSURE_BELOW = 0.5

models: dict[str, tuple[Model, dict]] = {}
replay_set: dict[str, np.ndarray] = {}
session: dict = {}          # the training under way, if any


def load_model(name: str, data: bytes, filename: str | None = None) -> dict:
    """Load (or replace) model `name` from the bytes of a weights file; a bad
    file raises BadFile (naming `filename`) and leaves the current model in place."""
    model, meta = weights.from_bytes(bytes(data), filename or f"{name}.npz")
    models[name] = (model, meta)
    return describe(name)


def describe(name: str) -> dict:
    model, meta = models[name]
    return {"name": name, "kind": model.kind,
            "layers": _shape(model), "parameters": model.n_parameters,
            "val_accuracy": meta.get("val_accuracy"), "personal": bool(meta.get("personal")),
            "command": meta.get("command", "")}


def _shape(model: Model) -> list:
    """What a person reads as the architecture: [784, 512, 256, 10] for an MLP,
    ["conv32", "conv64", 128, 10] for a CNN."""
    specs = [layer.spec() for layer in model.layers]
    sizes = [f"conv{s['out']}" if s["type"] == "conv2d" else s["out"] for s in specs if s["type"] in ("conv2d", "dense")]
    return sizes if model.kind == "cnn" else [specs[0]["in"], *sizes]


def predict(name: str, points: np.ndarray, ends: np.ndarray, size: float) -> dict:
    return classify(name, preprocess.split_strokes(points, ends), size)


def predict_number(name: str, points: np.ndarray, ends: np.ndarray, size: float) -> dict:
    """Like `predict`, for several digits written side by side. "text" holds
    the digits read, "?" where the network is not sure."""
    strokes = preprocess.split_strokes(points, ends)
    digits = [classify(name, [strokes[i] for i in g], size) for g in segment.group(strokes)]
    return {"text": "".join("?" if d["digit"] is None else str(d["digit"]) for d in digits), "digits": digits}


def classify(name: str, strokes: list[np.ndarray], size: float) -> dict:
    image = preprocess.from_strokes(strokes, size)
    if image is None:
        return {"digit": None, "best": None, "probs": [0.0] * 10, "image": None, "sure": False}
    model, meta = models[name]
    probs = model.predict_proba(image.reshape(1, -1), meta.get("temperature", 1.0))[0]
    best = int(probs.argmax())
    sure = bool(probs[best] >= meta.get("reject_below", UNSURE_BELOW))
    return {"digit": best if sure else None, "best": best, "probs": [round(float(p), 5) for p in probs],
            "image": _list(image), "sure": sure}


def inside(name: str, points: np.ndarray, ends: np.ndarray, size: float) -> dict:
    """The input image and its attribution (784 values each: gradient × input
    for the top digit), first-layer pictures and (for a CNN) feature maps, all
    as flat lists."""
    model, _ = models[name]
    first = explain.first_layer(model)
    out = {"first": [_list(f) for f in first], "first_size": int(first.shape[1]), "maps": [],
           "image": None, "attribution": None}
    image = preprocess.from_strokes(preprocess.split_strokes(points, ends), size)
    if image is not None:
        out.update(image=_list(image), attribution=_list(explain.attribution(model, image.ravel())),
                   maps=[_list(m) for m in explain.feature_maps(model, image.ravel())])
    return out


def _list(a: np.ndarray) -> list[float]:
    return [round(float(v), 3) for v in np.asarray(a).ravel()]


# --- training in the page ---------------------------------------------------------

def load_replay(data: bytes) -> dict:
    replay_set.update(replay.from_bytes(bytes(data)))
    return {"train": int(len(replay_set["y_train"])), "val": int(len(replay_set["y_val"]))}


def _images(images: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """uint8 (n·784,) pixels and (n,) labels from the page -> float32 (n, 784), int64 (n,)."""
    x = np.asarray(images, np.uint8).reshape(-1, 784).astype(np.float32) / 255
    return x, np.asarray(labels, np.int64)


def _accuracy(model: Model, x: np.ndarray, y: np.ndarray) -> float | None:
    return report(model, x, y)["accuracy"] if len(y) else None


def start_finetune(name: str, images: np.ndarray, labels: np.ndarray) -> dict:
    """Begin fine-tuning a copy of model `name` on the person's samples; the
    copy replaces the model only when training completes."""
    x, y = _images(images, labels)
    if len(y) == 0:
        raise BadFile("your samples: none yet (correct a few answers first)")
    model, meta = models[name]
    tuned = weights.from_bytes(weights.to_bytes(model, meta), name)[0]
    rng = np.random.default_rng(len(y))
    (tx, ty), test = finetune.hold_out(x, y, rng)
    check = test if test is not None else (x, y)
    session.clear()
    session.update(kind="finetune", name=name, model=tuned, meta={**meta, "personal": True}, check=check,
                   held_out=test is not None,
                   trainer=finetune.make_trainer(tuned, tx, ty, replay_set, rng))
    return {"total": session["trainer"].total_steps, "held_out": session["held_out"], "before": _scores(model, check)}


def _scores(model: Model, check: tuple) -> dict:
    return {"yours": _accuracy(model, *check), "mnist": _accuracy(model, replay_set["x_val"], replay_set["y_val"])}


def start_scratch(config: dict) -> dict:
    """Begin training a new network on the replay set. config: kind ("mlp" or
    "cnn"), layers (e.g. "784,128,10" or "8,16,64"), lr, batch_size, epochs."""
    kind, layers = config["kind"], str(config["layers"])
    try:
        model = from_spec(layers_spec(kind, layers), seed=0)
    except ValueError as e:
        raise BadFile(f"layers {layers}: {e}") from None
    lr, batch, epochs = float(config["lr"]), int(config["batch_size"]), int(config["epochs"])
    trainer = Trainer(model, Adam(lr), replay_set["x_train"], replay_set["y_train"], epochs, batch, lr, False,
                      np.random.default_rng(0), replay_set["x_odd"])
    meta = {"command": f"trained in the page: {kind} {layers}, Adam lr {lr}, batch {batch}, {epochs} epochs",
            "data": "replay set (embedded MNIST)"}
    session.clear()
    session.update(kind="scratch", name="yours", model=model, meta=meta, trainer=trainer)
    return {"total": trainer.total_steps}


def train_slice(steps: int) -> dict:
    """Run up to `steps` training steps. Returns progress: step, total, epoch,
    loss and accuracy over the slice, val_accuracy at the end of each epoch
    (MNIST replay check digits), and `done`; when done, the result too."""
    trainer = session["trainer"]
    losses, right, seen = [], 0, 0
    epoch_ended = False
    for _ in range(min(steps, trainer.total_steps - trainer.done)):
        loss, r, n = trainer.step()
        losses.append(loss)
        right, seen = right + r, seen + n
        epoch_ended |= trainer.done % trainer.steps_per_epoch == 0
    done = trainer.done >= trainer.total_steps
    out = {"step": trainer.done, "total": trainer.total_steps, "epoch": min(trainer.epoch, trainer.epochs),
           "loss": float(np.mean(losses)) if losses else None, "accuracy": right / seen if seen else None,
           "val_accuracy": None, "done": done}
    if epoch_ended or done:
        out["val_accuracy"] = _accuracy(session["model"], replay_set["x_val"], replay_set["y_val"])
    if done:
        out["result"] = _finish()
    return out


def stop_training() -> dict | None:
    """Stop now. A network trained from scratch is kept as it is (if it took
    any steps); an unfinished fine-tuning is dropped, the model unchanged."""
    result = _finish() if session.get("kind") == "scratch" and session["trainer"].done else None
    session.clear()
    return result


def _finish() -> dict:
    model, name = session["model"], session["name"]
    meta = {**session["meta"], "val_accuracy": _accuracy(model, replay_set["x_val"], replay_set["y_val"])}
    models[name] = (model, meta)
    result = {"model": describe(name)}
    if session["kind"] == "finetune":
        result.update(after=_scores(model, session["check"]), held_out=session["held_out"])
    session.clear()
    return result


def export_weights(name: str) -> bytes:
    model, meta = models[name]
    return weights.to_bytes(model, meta)
