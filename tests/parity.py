"""Numbers that must come out the same natively and inside Pyodide: run by
test_pyodide.py in both places. Prints one JSON object."""

import json
import sys

import numpy as np

from py import preprocess, weights
from py.model import cross_entropy
from py.optim import Adam


def compute(strokes: dict, weight_files: dict[str, bytes]) -> dict:
    images = np.stack([preprocess.from_strokes([np.array(s, np.float32) * 300 for s in styles[0]], 300).ravel()
                       for styles in strokes.values()])
    labels = np.array([int(d) for d in strokes])
    out = {"images": images.tolist()}
    for name, data in weight_files.items():
        model, meta = weights.from_bytes(data, name)
        out[f"probs_{name}"] = model.predict_proba(images).tolist()
        # One training step (forward, backward, Adam) from the shipped weights.
        optimizer = Adam(1e-3)
        loss, dlogits = cross_entropy(model.forward(images, train=False), labels)
        model.backward(dlogits)
        optimizer.step(model)
        out[f"loss_{name}"] = loss
        out[f"after_step_{name}"] = model.predict_proba(images).tolist()
    return out


if __name__ == "__main__":
    strokes = json.loads(open(sys.argv[1]).read())["digits"]
    files = {name: open(path, "rb").read() for name, path in (a.split("=") for a in sys.argv[2:])}
    print(json.dumps(compute(strokes, files)))
