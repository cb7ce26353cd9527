"""`./build.sh bench peers [--rounds N] [--json] [--compare FOLDER]`: our code
in Pyodide against TensorFlow.js (cpu and wasm backends) and onnxruntime-web
(wasm) in one headless Chromium, each engine in a Web Worker of its own
(bench/peers-page/), all holding the same weights and checked to give the
same answers before anything is timed: inference of one image, and training
steps (batch 32, Adam), round by round. Ours is the page's own build (the
runtime, numpy and our wheel web/build.json lists); --compare also runs the
py/ folder of another checkout (an older commit) in its place. The peers'
models are made here from our weights: an ONNX graph for onnxruntime-web,
and the raw arrays for TF.js, which builds the same layers itself."""

import json
import statistics
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import onnx
from harness.browser import launch
from onnx import TensorProto, helper, numpy_helper
from .page import serving

from py.cli.checkout import REPO, WEB, WEIGHTS
from py.io import replayset, weights
from py.nn.model import Model
from py.serve import SECURITY, Handler

MEASURES = ["mlp-infer", "cnn-infer", "mlp-step", "cnn-step"]
PEERS = ["tfjs-cpu", "tfjs-wasm", "ort-wasm"]


class NoPolicy(Handler):
    """The page's server without the page's Content-Security-Policy, which
    forbids code made from strings: TF.js's polyfills make some (Function(...))."""
    security = {name: value for name, value in SECURITY.items() if name != "Content-Security-Policy"}


def peers(rounds: int, as_json: bool, compare: list[Path]) -> None:
    """Every engine starts in its own worker and answers the same inputs (checked
    to agree); then each round times every measure on every engine in turn,
    the engines' order rotating from round to round. Figures: per engine and
    measure the median of the rounds' ms per call, and the median (and range)
    of the per-round ratios engine ms / our ms (above 1: we are faster).
    `compare`: folders holding another version of `py/` (e.g. a checkout of an
    older commit), run as extra engines "ours@FOLDER"."""
    from playwright.sync_api import sync_playwright

    build = json.loads((WEB / "build.json").read_text())
    data = replayset.from_bytes((WEB / build["replay"]).read_bytes())
    setup = {"image": data["x_val"][0].tolist(), "batch": data["x_train"][:32].ravel().tolist(),
             "labels": data["y_train"][:32].tolist(), "lr": 1e-4, "base": "/",
             "runtime": f"/web/{build['runtime']}", "lock": f"/web/{build['lock']}", "rest": f"/web/{build['rest']}"}
    others = {f"ours@{folder.name}": folder for folder in compare}
    names = ["ours", *others, *PEERS]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("web", "node_modules", "weights"):           # served as they are
            (root / name).symlink_to(REPO / name)
        files = root / "peers"
        files.mkdir()
        for f in (Path(__file__).parent / "peers-page").iterdir():       # the page and the workers
            (files / f.name).symlink_to(f)
        for kind in ("mlp", "cnn"):           # the peers' models, from the weights as our loader reads them
            model = weights.load(WEIGHTS / f"{kind}.npz")[0]
            (files / f"{kind}.onnx").write_bytes(onnx_model(model))
            manifest, blob = raw_arrays(model)
            (files / f"{kind}.json").write_text(manifest)
            (files / f"{kind}.bin").write_bytes(blob)
        for name, folder in others.items():
            with zipfile.ZipFile(files / f"{folder.name}.zip", "w") as z:
                for f in sorted((folder / "py").rglob("*.py")):
                    z.write(f, f.relative_to(folder))
        with serving(root, NoPolicy) as url, sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page()
            page.goto(url + "peers/index.html")
            started = page.evaluate("([names, setup]) => peers.start(names, setup)", [names, setup])
            call = lambda name, *args: page.evaluate("(args) => peers.call(...args)", [name, *args])
            agreement = check_answers(names, started, call)
            plan = {name: [m for m in MEASURES if m in started[name]["measures"]] for name in names}
            # Calls per timing: about 0.2 s of work each, from one call after a first (warm-up) call.
            reps = {}
            for name in names:
                for m in plan[name]:
                    call(name, "time", m, 1)
                    reps[name, m] = max(1, min(500, round(200 / call(name, "time", m, 1))))
            ms = {key: [] for key in reps}
            for r in range(rounds):
                order = names[r % len(names):] + names[:r % len(names)]
                for m in MEASURES:
                    for name in order:
                        if (name, m) in reps:
                            ms[name, m].append(call(name, "time", m, reps[name, m]))
            browser.close()
    report_peers(names, started, agreement, ms, rounds, as_json)


def check_answers(names: list[str], started: dict, call) -> dict:
    """The largest difference from our answers, per measure: the logits of the
    image, and the batch's logits after one Adam step without dropout. Stops
    the benchmark when an engine computes something else."""
    worst = {}
    for m in MEASURES:
        kind, what = m.split("-")
        answers = {name: np.array(call(name, "infer" if what == "infer" else "checkStep", kind))
                   for name in names if m in started[name]["measures"]}
        ours = answers["ours"]
        for name, values in answers.items():
            if not np.allclose(values, ours, rtol=1e-3, atol=1e-3):
                raise SystemExit(f"{name} disagrees with ours on {m}: largest difference "
                                 f"{np.abs(values - ours).max():.3g} (logits up to {np.abs(ours).max():.3g})")
        worst[m] = max(float(np.abs(values - ours).max()) for values in answers.values())
    return worst


def report_peers(names: list[str], started: dict, agreement: dict, ms: dict, rounds: int, as_json: bool) -> None:
    med = statistics.median
    print(f"one headless Chromium, every engine in its own Web Worker and single-threaded; "
          f"{rounds} rounds, the engines' order rotating")
    for name in names:
        print(f"  {name}: {started[name]['version']}")
    print("answers agree with ours (largest difference of a logit): "
          + ", ".join(f"{m} {d:.1e}" for m, d in agreement.items()))
    result = {"ours_ms": {}, "ratios": {peer: {} for peer in PEERS}}
    for m in MEASURES:
        ours = ms["ours", m]
        result["ours_ms"][m] = round(med(ours), 3)
        for name in names:
            if (name, m) not in ms:
                print(f"{m:10s}  {name:14s} cannot: {started[name]['cannot'][m]}")
                continue
            ratios = [t / o for t, o in zip(ms[name, m], ours)]
            ratio = f"×{med(ratios):.2f} (rounds {min(ratios):.2f}-{max(ratios):.2f})" if name != "ours" else ""
            print(f"{m:10s}  {name:14s} {med(ms[name, m]):9.3f} ms  {ratio}")
            if name in PEERS:
                result["ratios"][name][m] = round(med(ratios), 3)
    print("×: the engine's ms / ours, median of the rounds (range): above 1, we are faster")
    if as_json:
        print(json.dumps(result))


# --- our networks in the peers' formats

OPSET, IR_VERSION = 17, 8          # what onnxruntime-web 1.30 reads


def onnx_model(model: Model) -> bytes:
    """Inference graph: x (N, 784) float32 -> logits (N, 10). Dropout is left
    out (inference). ONNX convolutions are channels first, ours channels
    last: the image turns NCHW before the first convolution and back to NHWC
    before flattening, so the dense layers see our order of features."""
    nodes, weights = [], []
    current = "x"

    def add(op: str, inputs: list[str], **attrs) -> None:
        nonlocal current
        current = f"{op.lower()}{len(nodes)}"
        nodes.append(helper.make_node(op, inputs, [current], **attrs))

    def constant(name: str, value: np.ndarray) -> str:
        weights.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    if model.architecture == "cnn":
        add("Reshape", [current, constant("image_shape", np.array([-1, *model.input_shape], np.int64))])
        add("Transpose", [current], perm=[0, 3, 1, 2])
    for i, layer in enumerate(model.layers):
        spec, p = layer.spec(), layer.params
        if spec["type"] == "dense":
            add("MatMul", [current, constant(f"{i}.W", p["W"])])
            add("Add", [current, constant(f"{i}.b", p["b"])])
        elif spec["type"] == "conv2d":
            pad = spec["k"] // 2
            add("Conv", [current, constant(f"{i}.W", p["W"].transpose(3, 2, 0, 1)), constant(f"{i}.b", p["b"])],
                pads=[pad] * 4)
        elif spec["type"] == "relu":
            add("Relu", [current])
        elif spec["type"] == "maxpool2d":
            add("MaxPool", [current], kernel_shape=[2, 2], strides=[2, 2])
        elif spec["type"] == "flatten":
            add("Transpose", [current], perm=[0, 2, 3, 1])
            add("Flatten", [current], axis=1)
        elif spec["type"] != "dropout":
            raise ValueError(f"no ONNX form for a {spec['type']} layer")
    nodes[-1].output[0] = "logits"
    graph = helper.make_graph(nodes, model.architecture, [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 784])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 10])], weights)
    built = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION)
    onnx.checker.check_model(built)
    return built.SerializeToString()


def raw_arrays(model: Model) -> tuple[str, bytes]:
    """(JSON: the model's spec and each parameter's name and shape, in
    `Model.parameters()` order; the parameters' float32 bytes, one after another)."""
    params = model.parameters()
    manifest = {"spec": model.spec(), "arrays": [[name, list(p.shape)] for name, p, _ in params]}
    return json.dumps(manifest), b"".join(np.ascontiguousarray(p, np.float32).tobytes() for _, p, _ in params)
