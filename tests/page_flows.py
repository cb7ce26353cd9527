"""Every flow of the page through its contract (py.page.app), called as the
worker calls it, then the names of our modules that are loaded, as one JSON
list. Run by tests/test_wheel.py in a fresh interpreter and inside Pyodide
with the page's wheel alone:
    python tests/page_flows.py CNN.npz MLP.npz REPLAY.npz"""

import json
import sys

import numpy as np

from py.page import app

ONE = np.array([0.5, 0.15, 0.5, 0.85], np.float32), np.array([2], np.int32)                 # a 1
TWO_ONES = np.array([0.2, 0.2, 0.2, 0.8, 0.7, 0.2, 0.7, 0.8], np.float32), np.array([2, 4], np.int32)


def flows(cnn: bytes, mlp: bytes, replay: bytes) -> None:
    app.load_model("cnn", memoryview(cnn), "cnn.npz")                # recognize, with either network
    app.load_model("mlp", memoryview(mlp), "mlp.npz")
    app.has_model("mlp")                                            # the worker asks before loading a shipped one
    app.predict("cnn", *ONE, 1.0)
    app.predict_number("mlp", *TWO_ONES, 1.0)                       # number mode
    app.inside("cnn", *ONE, 1.0)                                    # see inside
    app.inside("mlp", *ONE, 1.0)
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


if __name__ == "__main__":
    flows(*(open(path, "rb").read() for path in sys.argv[1:4]))
    print(json.dumps(sorted(m for m in sys.modules if m == "py" or m.startswith("py."))))
