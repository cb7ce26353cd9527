"""Numbers that must come out the same natively and inside Pyodide: run by
test_pyodide.py in both places. Prints one JSON object.
    python harness/parity.py STROKES.json REPLAY.npz NAME=WEIGHTS.npz ... path=PATH.npz
(the pen's path network last: its answers joined to every other network's)."""

import json
import sys

import numpy as np

from py.io import weights
from py.nn.metrics import report
from py.nn.model import cross_entropy
from py.nn.optim import Adam
from py.page import app, path, preprocess


def compute(strokes: dict, weight_files: dict[str, bytes]) -> dict:
    drawings = [[np.array(s, np.float32) * 300 for s in styles[0]] for styles in strokes.values()]
    images = np.stack([preprocess.from_strokes(d, 300).ravel() for d in drawings])
    labels = np.array([int(d) for d in strokes])
    out = {"images": images.tolist()}
    for name, data in weight_files.items():
        model, meta = weights.from_bytes(data, name)
        if model.architecture == "path":        # the pen's path network: what it reads, and how every joined answer comes out
            values = np.stack([path.features(d) for d in drawings])
            out.update(path_values=values.tolist(), probs_path=model.predict_proba(values).tolist())
            app.models[app.PATH] = model, meta
            out.update({f"joined_{other}": [app.classify(other, d, 300)["probs"] for d in drawings]
                        for other in weight_files if other != name})
            continue
        out[f"probs_{name}"] = model.predict_proba(images).tolist()
        # One training step (forward, backward, Adam) from the shipped weights.
        optimizer = Adam(1e-3)
        loss, dlogits = cross_entropy(model.forward(images, train=False), labels)
        model.backward(dlogits)
        optimizer.step(model)
        out[f"loss_{name}"] = loss
        out[f"after_step_{name}"] = model.predict_proba(images).tolist()
        out[f"confusion_{name}"] = report(model, images, labels)["confusion"]
        # The page's fine-tuning: two steps on the drawn digits as "the person's samples".
        app.models[name] = weights.from_bytes(data, name)
        pixels = (images * 255).round().astype(np.uint8)
        start = app.start_finetune(name, pixels.ravel(), labels.astype(np.uint8))
        out[f"finetune_{name}"] = [start["before"]["yours"], app.train_slice(2)["loss"]]
    return out


if __name__ == "__main__":
    strokes = json.loads(open(sys.argv[1]).read())["digits"]
    app.load_replay(open(sys.argv[2], "rb").read())
    files = {name: open(path, "rb").read() for name, path in (a.split("=") for a in sys.argv[3:])}
    print(json.dumps(compute(strokes, files)))
