"""What the page's Web Worker calls: typed arrays in, plain dicts out.

    load_model("mlp", npz_bytes)             -> {"name", "layers", "val_accuracy", ...}
    predict("mlp", points, ends, size)       -> {"digit", "best", "probs", "image", "sure"}
    predict_number("mlp", points, ends, size) -> {"text", "digits": [predict-like dicts, left to right]}

Models load through the same `weights.from_bytes` as the command-line tools.
"""

import numpy as np

from . import preprocess, segment, weights
from .model import Model

# Below this top probability the page says "not sure" instead of a digit: the
# network then gives the other nine digits together at least as much weight.
# A weights file may carry its own calibrated threshold ("reject_below").
UNSURE_BELOW = 0.5

models: dict[str, tuple[Model, dict]] = {}


def load_model(name: str, data: bytes) -> dict:
    model, meta = weights.from_bytes(bytes(data), f"weights/{name}.npz")
    models[name] = (model, meta)
    return {"name": name, "kind": "cnn" if len(model.input_shape) == 3 else "mlp",
            "layers": meta["layer_sizes"], "parameters": int(sum(p.size for _, p, _ in model.parameters())),
            "val_accuracy": meta.get("val_accuracy"), "command": meta.get("command", "")}


def predict(name: str, points: np.ndarray, ends: np.ndarray, canvas_size: float) -> dict:
    """points: flat (x, y) pairs of every stroke in canvas units; ends: the index
    one past each stroke's last point; canvas_size: the canvas's longer side."""
    return classify(name, preprocess.split_strokes(points, ends), canvas_size)


def predict_number(name: str, points: np.ndarray, ends: np.ndarray, canvas_size: float) -> dict:
    """Like `predict`, for several digits written side by side. "text" holds
    the digits read, "?" where the network is not sure."""
    strokes = preprocess.split_strokes(points, ends)
    digits = [classify(name, [strokes[i] for i in g], canvas_size) for g in segment.group(strokes)]
    return {"text": "".join("?" if d["digit"] is None else str(d["digit"]) for d in digits), "digits": digits}


def classify(name: str, strokes: list[np.ndarray], canvas_size: float) -> dict:
    image = preprocess.from_strokes(strokes, canvas_size)
    if image is None:
        return {"digit": None, "best": None, "probs": [0.0] * 10, "image": None, "sure": False}
    model, meta = models[name]
    probs = model.predict_proba(image.reshape(1, -1), meta.get("temperature", 1.0))[0]
    best = int(probs.argmax())
    sure = bool(probs[best] >= meta.get("reject_below", UNSURE_BELOW))
    return {"digit": best if sure else None, "best": best, "probs": [round(float(p), 5) for p in probs],
            "image": [round(float(v), 3) for v in image.ravel()], "sure": sure}
