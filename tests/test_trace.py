"""See inside, layer by layer (py/page/trace.py, through py.page.app): every
stage is the layers' own output, an opened unit's arithmetic adds up to its
value, one step of learning leaves the network as it was, and the source
shown is the code that runs."""

import re
import textwrap

import numpy as np
import pytest
from conftest import REPO

from py.io.errors import BadInput
from py.nn.layers import Conv2D, Dense
from py.page import app, trace

ONE = np.array([0.5, 0.15, 0.5, 0.85], np.float32), np.array([2], np.int32)        # a 1, as the page sends it
SEVEN = (np.array([0.2, 0.15, 0.8, 0.15, 0.8, 0.15, 0.45, 0.9], np.float32), np.array([2, 4], np.int32))


@pytest.fixture(scope="module", autouse=True)
def shipped():
    for name in ("cnn", "mlp"):
        app.load_model(name, (REPO / "weights" / f"{name}.npz").read_bytes(), f"{name}.npz")
    yield
    for name in ("cnn", "mlp"):
        app.remove_model(name)


def image(name, drawing=SEVEN) -> np.ndarray:
    return app._input(app.models[name][0], *drawing, 1.0)


def outputs(model, x) -> list[np.ndarray]:
    """Every layer's output, (1, ...) each, straight from the layers."""
    a, out = x.reshape(1, *model.input_shape), []
    for layer in model.layers:
        a = layer.forward(a)
        out.append(a)
    return out


def floats(data: bytes) -> np.ndarray:
    return np.frombuffer(data, np.float32)


@pytest.mark.parametrize("name, shapes", [
    ("cnn", [[28, 28, 1], [28, 28, 32], [14, 14, 32], [14, 14, 64], [7, 7, 64], [128], [10], [10]]),
    ("mlp", [[784], [512], [256], [10], [10]])])
def test_every_stage_is_what_its_layers_output(name, shapes):
    model, meta = app.models[name]
    x = image(name)
    result = app.trace(name, *SEVEN, 1.0)
    stages = result["stages"]
    assert [s["shape"] for s in stages] == shapes
    layer_out = outputs(model, x)
    for stage in stages[1:-1]:
        values = floats(stage["values"])
        assert len(values) == np.prod(stage["shape"])
        assert np.array_equal(values, layer_out[stage["layers"][-1]].ravel())
        assert all(f in trace.FUNCTIONS for f in stage["code"])
        if "opens" in stage:
            assert isinstance(model.layers[stage["opens"]], (Conv2D, Dense)) and stage["opens"] in stage["layers"]
        if "order" in stage:                                    # dense units, strongest first
            assert sorted(stage["order"]) == list(range(len(values)))
            assert np.all(np.diff(values[stage["order"]]) <= 0)
    assert stages[-2]["title"] == "Logits" and stages[-1]["title"] == "Softmax"
    probs = floats(stages[-1]["values"])
    assert np.allclose(probs, model.predict_proba(x[None], meta.get("temperature", 1.0))[0], atol=1e-6)
    assert probs.argmax() == 7
    if name == "mlp":        # the first layer's weights of its strongest units, as 28×28 pictures
        pictures = floats(result["pictures"]).reshape(-1, 784)
        w = model.layers[0].params["W"][:, stages[1]["order"][:len(pictures)]].T
        assert len(pictures) == app.PICTURES and np.allclose(pictures, w / np.abs(w).max(axis=1, keepdims=True), atol=1e-6)
    else:
        assert result["pictures"] is None
        assert [s["title"] for s in stages] == ["Input", "Convolution 1 + ReLU", "Max pooling", "Convolution 2 + ReLU",
                                                "Max pooling", "Dense 1 + ReLU", "Logits", "Softmax"]


def test_a_blank_pad_has_no_stages():
    assert app.trace("cnn", np.zeros(0, np.float32), np.zeros(0, np.int32), 1.0) == {"stages": [], "pictures": None}


def some_units(model, layer, n=12):
    rng = np.random.default_rng(layer)
    size = int(np.prod(app._shape_before(model, layer + 1)))
    return [int(i) for i in rng.choice(size, n, replace=False)]


@pytest.mark.parametrize("layer", [0, 3])
def test_a_conv_units_window_times_its_filter_plus_bias_is_its_value(layer):
    model, _ = app.models["cnn"]
    x = image("cnn")
    out = outputs(model, x)
    strongest = int(np.argmax(out[layer]))          # one that fires, and some anywhere
    for index in [strongest, *some_units(model, layer)]:
        u = app.open_unit("cnn", *SEVEN, 1.0, layer, index)
        row, col, channel = u["at"]
        k, c_in = u["k"], u["c_in"]
        window, weights = np.reshape(u["window"], (k, k, c_in)), np.reshape(u["weights"], (k, k, c_in))
        assert np.array_equal(weights, model.layers[layer].params["W"][:, :, :, channel])
        before = np.pad(x.reshape(28, 28, 1) if layer == 0 else out[layer - 1][0], ((1, 1), (1, 1), (0, 0)))
        assert np.array_equal(window, before[row:row + k, col:col + k])
        assert np.allclose((window * weights).sum(axis=(0, 1)), u["by_channel"])
        assert u["sum"] == pytest.approx(sum(u["by_channel"]))
        assert u["sum"] + u["bias"] == pytest.approx(u["value"], abs=1e-4)
        assert u["value"] == pytest.approx(float(out[layer][0, row, col, channel]), abs=1e-6)
        assert u["relu"] == max(u["value"], 0) == pytest.approx(float(out[layer + 1][0, row, col, channel]))
        pool = u["pool"]                             # the 2×2 block it is pooled in, and whether it is the max
        pooled = out[layer + 2][0, row // 2, col // 2, channel]
        assert pool["at"] == [row - row % 2, col - col % 2] and pool["max"] == pytest.approx(float(pooled))
        assert pool["kept"] == (u["relu"] == pytest.approx(pool["max"]))
    assert app.open_unit("cnn", *SEVEN, 1.0, layer, strongest)["pool"]["kept"]


@pytest.mark.parametrize("name, layer", [("cnn", 7), ("cnn", 10), ("mlp", 0), ("mlp", 6)])
def test_a_dense_units_top_inputs_and_the_rest_add_up_to_its_value(name, layer):
    model, _ = app.models[name]
    x = image(name)
    out = outputs(model, x)
    inputs = (x if layer == 0 else out[layer - 1]).ravel()
    for index in some_units(model, layer, 6):
        u = app.open_unit(name, *SEVEN, 1.0, layer, index)
        products = [t["product"] for t in u["top"]]
        assert len(products) == trace.TOP and np.all(np.diff(np.abs(products)) <= 0)
        assert sum(products) + u["rest"] == pytest.approx(u["sum"])
        assert u["sum"] + u["bias"] == pytest.approx(u["value"], abs=1e-4)
        assert u["value"] == pytest.approx(float(out[layer][0, index]), abs=1e-6)
        for t in u["top"]:
            assert t["x"] == inputs[t["input"]] and t["w"] == model.layers[layer].params["W"][t["input"], index]
            assert t["product"] == pytest.approx(t["x"] * t["w"])
        # Where each input is: a pixel of the image, or a place in the last feature maps before the Flatten.
        grid = (28, 28, 1) if layer == 0 else (7, 7, 64) if name == "cnn" and layer == 7 else None
        assert all(t["at"] == (list(np.unravel_index(t["input"], grid)) if grid else None) for t in u["top"])
        assert (u["relu"] is None) == (layer == len(model.layers) - 1)       # a logit has no ReLU


@pytest.mark.parametrize("layer, index", [(1, 0), (2, 0), (99, 0), (-1, 0), (0, 28 * 28 * 32), (0, -1)])
def test_a_unit_that_is_not_there_is_refused(layer, index):
    with pytest.raises(BadInput):
        app.open_unit("cnn", *SEVEN, 1.0, layer, index)


def test_nothing_drawn_and_bad_labels_are_refused():
    blank = np.zeros(0, np.float32), np.zeros(0, np.int32)
    for call in (lambda: app.open_unit("cnn", *blank, 1.0, 0, 0), lambda: app.learn_step("cnn", *blank, 1.0, 3),
                 lambda: app.learn_step("cnn", *SEVEN, 1.0, 10), lambda: app.learn_step("cnn", *SEVEN, 1.0, -2)):
        with pytest.raises(BadInput):
            call()


@pytest.mark.parametrize("name", ["cnn", "mlp"])
@pytest.mark.parametrize("label", [1, -1])
def test_one_step_of_learning_lowers_the_loss_and_leaves_the_network_as_it_was(name, label):
    model, _ = app.models[name]
    before = [p.copy() for _, p, _ in model.parameters()]
    x = image(name)
    step = app.learn_step(name, *SEVEN, 1.0, label)
    assert all(np.array_equal(a, p) for a, (_, p, _) in zip(before, model.parameters()))
    assert all(not layer.grads for layer in model.layers)
    assert np.allclose(step["probs_before"], model.predict_proba(x[None])[0], atol=1e-6)
    assert step["lr"] == trace.STEP_LR[name] and step["label"] == label
    assert step["loss_after"] < step["loss_before"]
    if label >= 0:
        assert step["probs_after"][label] > step["probs_before"][label]
    else:                                   # no digit: the top probability falls towards uniform
        assert max(step["probs_after"]) < max(step["probs_before"])
    last = model.layers[step["last"]]
    assert isinstance(last, Dense) and step["last"] == len(model.layers) - 1
    sizes = [abs(c["after"] - c["before"]) for c in step["changes"]]
    assert len(sizes) == trace.TOP and sizes[0] > 0 and np.all(np.diff(sizes) <= 1e-9)
    assert all(c["before"] == last.params["W"][c["input"], c["digit"]] for c in step["changes"])
    # The changes are the learning rate times the gradient: recomputed here with the model's own backward.
    from py.nn.model import cross_entropy
    _, d = cross_entropy(model.forward(x[None]), np.array([label]))
    model.backward(d)
    grad = last.grads["W"]
    model.clear_grads()
    assert all(c["after"] - c["before"] == pytest.approx(-step["lr"] * grad[c["input"], c["digit"]], rel=1e-3, abs=1e-7)
               for c in step["changes"])
    assert [g["type"] for g in step["grads"]] == [type(l).__name__ for l in model.layers if isinstance(l, (Conv2D, Dense))]


def test_the_code_shown_is_the_source_that_runs():
    code = app.source_lines()
    assert set(code) == set(trace.FUNCTIONS)
    for name, shown in code.items():
        fn = trace.FUNCTIONS[name]
        assert shown["file"] == fn.__module__.replace(".", "/") + ".py" and shown["first"] == fn.__code__.co_firstlineno
        lines = (REPO / shown["file"]).read_text().splitlines()
        assert shown["text"].splitlines() == lines[shown["first"] - 1:shown["first"] - 1 + len(shown["text"].splitlines())]
        assert re.match(rf"\s*def {name.split('.')[-1]}\(", shown["text"])
        compile(textwrap.dedent(shown["text"]), shown["file"], "exec")        # the whole function, no more
        assert shown["step"] == trace.READING_ORDER[shown["file"]]
    assert "matmul(self.cols" in code["Conv2D.forward"]["text"] and "np.maximum" in code["ReLU.forward"]["text"]
    assert not code["Conv2D.forward"]["text"].rstrip().endswith(("\n", "def backward"))
    assert "backward" not in code["Conv2D.forward"]["text"]


def test_the_reading_order_is_the_readmes():
    readme = (REPO / "README.md").read_text()
    listed = re.findall(r"^(\d+)\. `(py/[^`]+\.py)`", readme, re.M)
    assert {file: int(step) for step, file in listed if file in trace.READING_ORDER} == trace.READING_ORDER


@pytest.mark.parametrize("kind, layers, size", [("mlp", "784,40,10", 28), ("cnn", "4,8,16", 3)])
def test_training_from_scratch_shows_its_first_layer_as_it_learns(kind, layers, size):
    from py.page import explain
    rng = np.random.default_rng(0)
    replay = {"x_train": rng.random((64, 784), dtype=np.float32), "y_train": rng.integers(0, 10, 64),
              "x_val": rng.random((20, 784), dtype=np.float32), "y_val": rng.integers(0, 10, 20),
              "x_nondigit": rng.random((10, 784), dtype=np.float32)}
    app.replay_set.update(replay)
    try:
        app.start_scratch("yours", {"kind": kind, "layers": layers, "lr": 0.01, "batch_size": 16, "epochs": 2})
        seen = []
        for _ in range(2):
            model = app.training.model
            progress = app.train_slice(2)
            first = floats(progress["first"]).reshape(-1, size, size)
            assert progress["first_size"] == size and np.array_equal(first, explain.first_layer(model))
            seen.append(first)
        assert not np.array_equal(*seen)                   # redrawn as it learns
    finally:
        app.stop_training()
        app.remove_model("yours")
        app.replay_set.clear()
