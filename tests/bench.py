"""Benchmarks that print figures (never timed tests). Run them as
`./build.sh bench WHAT`, which sets everything up first:

    train     our trainer's samples/s on a 784-128-10 MLP and PyTorch's (CPU), in turn round by round
    page      start-up cold, warm and offline, first answer, bytes over the wire, stroke-end-to-answer
              latency (headless Chromium; tests/bench_page.py)
    drawn     drawings made with the mouse on the real page (tests/heldout.py), for each
              network: digits right / "not sure" / wrong (our own styles; other hands',
              held out), and how many held-out non-digits get "not sure", per group.
              `drawn own hands nondigits` picks parts (default: all three)
    finetune  "Learn from my samples" on 20 samples in the page, MLP and CNN
    peers     ours against TensorFlow.js (cpu and wasm backends) and onnxruntime-web (wasm)
              in one headless Chromium, each engine in a Web Worker, with the same weights:
              inference of one image and training steps (batch 32, Adam), round by round
    engines   the page in Chromium, Firefox ESR and WPE WebKit in turn, each a new browser: start-up cold
              and stroke-end-to-answer latency, with per-round ratios to Chromium (tests/engines.py)
    sweep     a small py.sweep (12 MLP trials) as --jobs 1, --jobs 1 with two BLAS threads, and --jobs 2,
              in turn round by round: wall time, speed-up, best validation accuracy (tests/bench_sweep.py)
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

# `train` runs NumPy's BLAS and PyTorch with the same number of threads, one
# unless OPENBLAS_NUM_THREADS says otherwise (read when NumPy loads, hence
# here). On a 2-core machine shared with other work, two-threaded rounds
# swung from 0.3 to 4.4 in one run; one-threaded, from 1.54 to 1.61.
THREADS = int(os.environ.setdefault("OPENBLAS_NUM_THREADS", "1"))

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # our `py`, not pytest's module of that name
from py.model import cross_entropy, from_spec, mlp_spec  # noqa: E402
from py.optim import SGD  # noqa: E402

SIZES = [784, 128, 10]
REPO = Path(__file__).resolve().parent.parent
MEASURES = ["mlp-infer", "cnn-infer", "mlp-step", "cnn-step"]
PEERS = ["tfjs-cpu", "tfjs-wasm", "ort-wasm"]


def bench_ours(x: np.ndarray, y: np.ndarray, batch: int) -> float:
    model, optimizer = from_spec(mlp_spec(SIZES)), SGD(0.1)
    start = time.perf_counter()
    for i in range(0, len(x), batch):
        _, dlogits = cross_entropy(model.forward(x[i:i + batch], train=True), y[i:i + batch])
        model.backward(dlogits)
        optimizer.step(model)
    return len(x) / (time.perf_counter() - start)


def bench_torch(x: np.ndarray, y: np.ndarray, batch: int) -> float:
    import torch
    torch.set_num_threads(THREADS)
    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = torch.nn.CrossEntropyLoss()
    tx, ty = torch.from_numpy(x), torch.from_numpy(y)
    start = time.perf_counter()
    for i in range(0, len(x), batch):
        optimizer.zero_grad()
        loss_fn(model(tx[i:i + batch]), ty[i:i + batch]).backward()
        optimizer.step()
    return len(x) / (time.perf_counter() - start)


def train(samples: int, batch: int, rounds: int) -> None:
    """Ours and PyTorch in turn, round by round (who goes first alternates), so
    both meet the same load on a shared machine; the figure is the median of
    the per-round ratios."""
    rng = np.random.default_rng(0)
    x = rng.random((samples, 784), dtype=np.float32)
    y = rng.integers(0, 10, samples)
    print(f"MLP {'-'.join(map(str, SIZES))}, batch {batch}, float32, SGD, {samples:,} samples a round, "
          f"{rounds} rounds (after one to warm up), {THREADS} thread(s) each (OPENBLAS_NUM_THREADS)")
    try:
        import torch
    except ImportError:
        torch = None
        print("  PyTorch is not installed: ours alone (./build.sh bench train installs it)")
    trainers = {"ours": bench_ours}
    if torch:
        trainers["torch"] = bench_torch
    speeds = {name: [] for name in trainers}
    for r in range(rounds + 1):
        for name in (list(trainers) if r % 2 else list(trainers)[::-1]):
            speed = trainers[name](x, y, batch)
            if r:
                speeds[name].append(speed)
    med = statistics.median
    print(f"  ours (NumPy {np.__version__}): {med(speeds['ours']):10,.0f} samples/s (median)")
    if torch:
        ratios = [o / t for o, t in zip(speeds["ours"], speeds["torch"])]
        print(f"  PyTorch {torch.__version__} CPU: "
              f"{med(speeds['torch']):10,.0f} samples/s (median)")
        print(f"  ratio ours / PyTorch: median {med(ratios):.2f} (rounds {min(ratios):.2f}-{max(ratios):.2f})")


def drawn(parts: list[str]) -> None:
    """Each drawing of tests/heldout.py drawn once with the mouse on the page,
    then answered by each network in turn (the page re-answers the drawing on
    its pad when the network is switched)."""
    from playwright.sync_api import sync_playwright

    import heldout
    from browser import draw_digit, launch, served, settle, wait_ready

    sets = {"own": ("our own digit styles (tests/strokes.json 'digits')", heldout.digit_cases("own")),
            "hands": ("other hands' digits, held out (strokes.json 'hands', EMS fonts)", heldout.digit_cases("held-out")),
            "nondigits": ("non-digits, held out (EMS fonts, strokes.json 'nondigits')", heldout.nondigit_cases())}
    models = ("cnn", "mlp")
    with sync_playwright() as p, served() as url:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1000, "height": 800})
        page.goto(url)
        wait_ready(page)
        for part in parts:
            title, cases = sets[part]
            answers = {m: [] for m in models}
            started = time.perf_counter()
            for case in cases:
                for i, model in enumerate(models):
                    page.get_by_test_id(f"model-{model}").check()
                    answers[model].append(draw_digit(page, case.strokes, *case.placement, steps=1) if i == 0
                                          else settle(page))
            print(f"{title}: {len(cases)} drawings ({time.perf_counter() - started:.0f} s)")
            for model in models:
                print(f"  {model.upper()}: " + tally(cases, answers[model]))
        browser.close()


def peers(rounds: int, as_json: bool, compare: list[Path]) -> None:
    """Every engine starts in its own worker and answers the same inputs (checked
    to agree); then each round times every measure on every engine in turn,
    the engines' order rotating from round to round. Figures: per engine and
    measure the median of the rounds' ms per call, and the median (and range)
    of the per-round ratios engine ms / our ms (above 1: we are faster).
    `compare`: folders holding another version of `py/` (e.g. a checkout of an
    older commit), run as extra engines "ours@FOLDER"."""
    from playwright.sync_api import sync_playwright

    from browser import launch, served
    from peers.export import onnx_model, raw_arrays
    from py import replay, weights

    data = replay.from_bytes((REPO / "web" / "replay.npz").read_bytes())
    setup = {"image": data["x_val"][0].tolist(), "batch": data["x_train"][:32].ravel().tolist(),
             "labels": data["y_train"][:32].tolist(), "lr": 1e-4, "base": "/", "zip": "/web/py.zip"}
    others = {f"ours@{folder.name}": folder for folder in compare}
    names = ["ours", *others, *PEERS]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("web", "node_modules", "weights"):           # served as they are
            (root / name).symlink_to(REPO / name)
        files = root / "peers"
        files.mkdir()
        for f in (REPO / "tests" / "peers").glob("*.[jh]*"):       # the page and the workers
            (files / f.name).symlink_to(f)
        for kind in ("mlp", "cnn"):           # the peers' models, from the weights as our loader reads them
            model = weights.load(REPO / "weights" / f"{kind}.npz")[0]
            (files / f"{kind}.onnx").write_bytes(onnx_model(model))
            manifest, blob = raw_arrays(model)
            (files / f"{kind}.json").write_text(manifest)
            (files / f"{kind}.bin").write_bytes(blob)
        for name, folder in others.items():
            with zipfile.ZipFile(files / f"{folder.name}.zip", "w") as z:
                for f in sorted((folder / "py").glob("*.py")):
                    z.write(f, f"py/{f.name}")
        with served(root) as url, sync_playwright() as p:
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


def tally(cases: list, answers: list[str]) -> str:
    """Digits: right / "not sure" / wrong (and which); non-digits: "not sure"
    per group, and what the named ones were called."""
    if all(c.expected for c in cases):
        right = sum(a == c.expected for c, a in zip(cases, answers))
        unsure = sum(a == "" for a in answers)
        wrong = [f"{c.expected}->{a}" for c, a in zip(cases, answers) if a not in (c.expected, "")]
        n = len(cases)
        return (f"right {right} ({100 * right / n:.1f}%), not sure {unsure} ({100 * unsure / n:.1f}%), "
                f"wrong {len(wrong)} ({100 * len(wrong) / n:.1f}%) {' '.join(wrong)}")
    out = []
    for group in ("letter", "symbol", "shape"):
        mine = [a for c, a in zip(cases, answers) if c.group == group]
        if mine:
            out.append(f"{group}s {100 * mine.count('') / len(mine):.1f}% of {len(mine)}")
    unsure = answers.count("")
    named = " ".join(f"{c.name}->{a}" for c, a in zip(cases, answers) if a)
    return (f"'not sure' {unsure}/{len(answers)} ({100 * unsure / len(answers):.1f}%): {', '.join(out)}; "
            f"named: {named}")


def main() -> None:
    ap = argparse.ArgumentParser(prog="./build.sh bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    t = sub.add_parser("train")
    t.add_argument("--samples", type=int, default=60_000)
    t.add_argument("--batch", type=int, default=64)
    t.add_argument("--rounds", type=int, default=9)
    pg = sub.add_parser("page", help="start-up, caching, offline (tests/bench_page.py)")
    pg.add_argument("--loads", type=int, default=5, help="rounds (default 5)")
    pg.add_argument("--draws", type=int, default=10, help="digits drawn in each warm visit")
    pg.add_argument("--against", metavar="REV", help="also load the build of this commit, interleaved")
    dr = sub.add_parser("drawn")
    parts = ["own", "hands", "nondigits"]
    # No choices=: Python 3.11's argparse checks an empty list against them.
    dr.add_argument("parts", nargs="*", help="own, hands, nondigits (default: all three)")
    ft = sub.add_parser("finetune", help="learning from 20 samples in the page (tests/bench_page.py)")
    ft.add_argument("--rounds", type=int, default=3)
    pe = sub.add_parser("peers")
    pe.add_argument("--rounds", type=int, default=7)
    pe.add_argument("--json", action="store_true", help="end with one line of JSON: ours_ms and ratios")
    pe.add_argument("--compare", type=Path, action="append", default=[], metavar="FOLDER",
                    help="also run the py/ package in FOLDER (e.g. a checkout of an older commit)")
    en = sub.add_parser("engines", help="start-up and latency in three browser engines (tests/engines.py)")
    en.add_argument("--rounds", type=int, default=5)
    en.add_argument("--draws", type=int, default=10, help="digits drawn after each load")
    sw = sub.add_parser("sweep", help="--jobs 1 against --jobs 2 (tests/bench_sweep.py)")
    sw.add_argument("--rounds", type=int, default=3, help="default 3")
    sw.add_argument("--trials", type=int, default=12, help="trials of each sweep (default 12)")
    sw.add_argument("--epochs", type=int, default=4, help="epochs of every trial (default 4)")
    args = ap.parse_args()
    if args.what == "drawn" and not set(args.parts) <= set(parts):
        ap.error(f"drawn: parts are {', '.join(parts)}")
    if args.what == "train":
        train(args.samples, args.batch, args.rounds)
    elif args.what == "page":
        from bench_page import page
        page(args.loads, args.draws, args.against)
    elif args.what == "finetune":
        from bench_page import finetune
        finetune(args.rounds)
    elif args.what == "sweep":
        from bench_sweep import sweep
        sweep(args.rounds, args.trials, args.epochs)
    elif args.what == "peers":
        peers(args.rounds, args.json, args.compare)
    elif args.what == "engines":
        from engines import bench
        bench(args.rounds, args.draws)
    else:
        drawn(args.parts or parts)


if __name__ == "__main__":
    main()
