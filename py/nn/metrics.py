"""How well a model reads a set of digits: accuracy, per class, and the
confusion matrix."""

import numpy as np

from .model import Model


def report(model: Model, x: np.ndarray, y: np.ndarray, temperature: float = 1.0) -> dict:
    """x (N, 784), y (N,) digits -> accuracy, n, per_class accuracy (list of 10)
    and confusion[true][predicted] (10×10 counts)."""
    predicted = model.predict_proba(x, temperature).argmax(axis=1)
    # bincount wants the platform's index type (32-bit in WebAssembly).
    confusion = np.bincount((y * 10 + predicted).astype(np.intp), minlength=100).reshape(10, 10)
    per_class = confusion.diagonal() / np.maximum(confusion.sum(axis=1), 1)
    return {"accuracy": float((predicted == y).mean()), "n": int(len(y)),
            "per_class": [round(float(a), 4) for a in per_class], "confusion": confusion.tolist()}
