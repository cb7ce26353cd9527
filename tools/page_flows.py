"""Every flow of the page through its contract (py.page.app), called as the
worker calls it, bad inputs included, then every module loaded, as one JSON
object {name: file or null}. Run in a fresh interpreter and inside Pyodide
with the page's files alone, by tests/test_wheel.py (our modules must all
ship), and by py/site.py on the byte-compiled files, which keeps of the
standard library and numpy only what these flows imported, and in the page's
wheel only what the first answer's calls import (the rest of our package
arrives after it):
    python tools/page_flows.py CNN.npz PATH.npz MLP.npz REPLAY.npz
    python tools/page_flows.py --first-answer CNN.npz PATH.npz"""

import io
import json
import sys
import zipfile

import numpy as np

from py.io.errors import BadInput
from py.page import app

ONE = np.array([0.5, 0.15, 0.5, 0.85], np.float32), np.array([2], np.int32)                 # a 1
TWO_ONES = np.array([0.2, 0.2, 0.2, 0.8, 0.7, 0.2, 0.7, 0.8], np.float32), np.array([2, 4], np.int32)


def first_answer(cnn: bytes, path: bytes) -> None:
    """py.page.app.FIRST_ANSWER's calls, a bad file too: what the page's wheel alone must do."""
    app.has_model("cnn")                                            # the worker asks before loading a shipped one
    app.load_model("cnn", memoryview(cnn), "cnn.npz")
    app.load_model(app.PATH, memoryview(path), "path.npz")          # the pen's path network ...
    app.predict("cnn", *ONE, 1.0)                                   # ... joins the CNN's answer, as cnn.npz says
    app.predict_number("cnn", *TWO_ONES, 1.0)                       # number mode
    app.predict("cnn", np.zeros(0, np.float32), np.zeros(0, np.int32), 1.0)      # a blank pad
    for bad in (b"not a zip", damaged(cnn)):                         # files a person brings that do not load
        refused(app.load_model, "mine", memoryview(bad), "mine.npz")
    app.load_model("mine", memoryview(cnn), "mine.npz")
    app.remove_model("mine")


def flows(cnn: bytes, path: bytes, mlp: bytes, replay: bytes) -> None:
    first_answer(cnn, path)
    app.load_model("mlp", memoryview(mlp), "mlp.npz")               # recognize, with either network
    app.predict_number("mlp", *TWO_ONES, 1.0)
    app.inside("cnn", *ONE, 1.0)                                    # see inside
    app.inside("mlp", *ONE, 1.0)
    for name in ("cnn", "mlp"):                                     # every layer, a unit opened, one step
        app.trace(name, *ONE, 1.0)
        app.open_unit(name, *ONE, 1.0, 0, 5)
        app.learn_step(name, *ONE, 1.0, 7)
    app.source_lines()                                              # the source it shows
    refused(app.open_unit, "cnn", *ONE, 1.0, 1, 0)                  # a ReLU has no unit to open
    pixels = np.zeros((2, 784), np.uint8)
    pixels[:, 300:320] = 255
    rows = ["label," + ",".join(f"pixel{i}" for i in range(784))]
    rows += [",".join(map(str, [label, *p])) for label, p in zip((1, -1), pixels)]    # a 1, and "not a digit"
    samples = app.read_samples(("\n".join(rows) + "\n").encode(), "samples.csv")      # read samples
    app.load_replay(memoryview(replay))                             # load the replay set
    labels = memoryview(samples["labels"]).cast("b")                # signed, as the page's Int8Array
    app.start_finetune("mlp", memoryview(samples["images"]), labels)    # fine-tune, to the end
    while not app.train_slice(20)["done"]:
        pass
    app.start_scratch("yours", {"kind": "mlp", "layers": "784,16,10", "lr": 0.003, "batch_size": 100, "epochs": 1})
    app.train_slice(2)                                              # train from scratch, stopped
    app.stop_training()
    app.export_weights("yours")                                     # export
    app.remove_model("yours")
    for bad in (b"label,pixel0\n1,x\n", "label\n\u00e9\n".encode("latin-1"), b""):
        refused(app.read_samples, bad, "bad.csv")


def damaged(npz: bytes) -> bytes:
    """A weights file whose first array became float64."""
    with zipfile.ZipFile(io.BytesIO(npz)) as z:
        arrays = {name[:-4]: np.load(io.BytesIO(z.read(name))) for name in z.namelist()}
    first = next(name for name in arrays if name != "meta")
    buffer = io.BytesIO()
    np.savez(buffer, **{**arrays, first: arrays[first].astype(np.float64)})
    return buffer.getvalue()


def refused(fn, *args) -> None:
    try:
        fn(*args)
    except BadInput:
        return
    raise AssertionError(f"{fn.__name__} took a bad input")


if __name__ == "__main__":
    if sys.argv[1] == "--first-answer":
        first_answer(*(open(path, "rb").read() for path in sys.argv[2:4]))
    else:
        flows(*(open(path, "rb").read() for path in sys.argv[1:5]))
    print(json.dumps({name: getattr(module, "__file__", None) for name, module in sorted(sys.modules.items())}))
