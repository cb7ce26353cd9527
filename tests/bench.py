"""Benchmarks that print figures (never timed tests). Run them as
`./build.sh bench WHAT`, which sets everything up first:

    train     our trainer's samples/s on a 784-128-10 MLP, and PyTorch's on the CPU if installed
    page      cold page loads to "ready", stroke-end-to-answer latency, inference time
              in the worker, and bytes downloaded (headless Chromium)
    drawn     drawings made with the mouse on the real page (tests/heldout.py), for each
              network: digits right / "not sure" / wrong (our own styles; other hands',
              held out), and how many held-out non-digits get "not sure", per group.
              `drawn own hands nondigits` picks parts (default: all three)
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # our `py`, not pytest's module of that name
from py.model import cross_entropy, from_spec, mlp_spec  # noqa: E402
from py.optim import SGD  # noqa: E402

SIZES = [784, 128, 10]


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


def train(samples: int, batch: int, repeats: int) -> None:
    rng = np.random.default_rng(0)
    x = rng.random((samples, 784), dtype=np.float32)
    y = rng.integers(0, 10, samples)
    print(f"MLP {'-'.join(map(str, SIZES))}, batch {batch}, float32, SGD, {samples:,} samples; best of {repeats}")
    ours = max(bench_ours(x, y, batch) for _ in range(repeats))
    print(f"  ours (NumPy {np.__version__}): {ours:10,.0f} samples/s")
    try:
        import torch
    except ImportError:
        print("  PyTorch is not installed: no comparison (pip install torch to get one)")
        return
    theirs = max(bench_torch(x, y, batch) for _ in range(repeats))
    print(f"  PyTorch {torch.__version__} CPU ({torch.get_num_threads()} threads): {theirs:10,.0f} samples/s")
    print(f"  ratio ours / PyTorch: {ours / theirs:.2f}")


def page(loads: int, draws: int) -> None:
    from playwright.sync_api import sync_playwright

    from browser import draw_digit, launch, load_strokes, served, wait_ready

    strokes = load_strokes()
    ready, latency, infer, sizes = [], [], [], []
    with sync_playwright() as p, served() as url:
        browser = launch(p)
        for _ in range(loads):
            context = browser.new_context()        # a fresh context: nothing cached
            page = context.new_page()
            got = []
            page.on("requestfinished", lambda r: got.append(r.sizes()["responseBodySize"]))
            start = time.perf_counter()
            page.goto(url)
            if wait_ready(page) != "ready":
                raise SystemExit(f"page failed: {page.locator('#error').text_content()}")
            ready.append(time.perf_counter() - start)
            sizes.append(sum(got))
            for d in range(draws):
                draw_digit(page, strokes[str(d % 10)][0], 0.7, (0.15, 0.15))
            latency += page.evaluate("performance.getEntriesByName('stroke-end-to-result').map(m => m.duration)")
            infer += page.evaluate("performance.getEntriesByName('worker-predict').map(m => m.duration)")
            context.close()
        browser.close()
    med = statistics.median
    print(f"page on this machine, headless Chromium, {loads} cold loads, {draws} drawings each")
    print(f"  navigation to ready:  median {med(ready):.2f} s  (min {min(ready):.2f}, max {max(ready):.2f})")
    print(f"  stroke end to answer: median {med(latency):.1f} ms  (max {max(latency):.1f}, n={len(latency)})")
    print(f"  predict in the worker: median {med(infer):.1f} ms  (max {max(infer):.1f}, n={len(infer)})")
    print(f"  bytes downloaded per load: {med(sizes) / 1e6:.2f} MB")


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
    t.add_argument("--repeats", type=int, default=3)
    pg = sub.add_parser("page")
    pg.add_argument("--loads", type=int, default=5)
    pg.add_argument("--draws", type=int, default=10)
    dr = sub.add_parser("drawn")
    dr.add_argument("parts", nargs="*", choices=["own", "hands", "nondigits"], default=["own", "hands", "nondigits"])
    args = ap.parse_args()
    if args.what == "train":
        train(args.samples, args.batch, args.repeats)
    elif args.what == "page":
        page(args.loads, args.draws)
    else:
        drawn(args.parts)


if __name__ == "__main__":
    main()
