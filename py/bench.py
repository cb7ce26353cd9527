"""Benchmarks that print figures (never timed tests).

    python -m py.bench train    our trainer's samples/s on a 784-128-10 MLP, and PyTorch's on the CPU if installed
    python -m py.bench page     cold page loads to "ready", stroke-end-to-answer latency, inference time
                                in the worker, and bytes downloaded (headless Chromium)
"""

import argparse
import statistics
import time

import numpy as np

from .model import cross_entropy, from_spec, mlp_spec
from .optim import SGD

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
    import json

    from playwright.sync_api import sync_playwright

    from .browser import canvas_box, launch, mouse_draw, place, served, settle, wait_ready
    from .serve import WEB

    strokes = json.loads((WEB.parent / "tests" / "strokes.json").read_text())["digits"]
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
            box = canvas_box(page)
            for d in range(draws):
                page.get_by_test_id("clear").click()
                mouse_draw(page, place(strokes[str(d % 10)][0], box, 0.7, (0.15, 0.15)))
                settle(page)
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


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m py.bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    t = sub.add_parser("train")
    t.add_argument("--samples", type=int, default=60_000)
    t.add_argument("--batch", type=int, default=64)
    t.add_argument("--repeats", type=int, default=3)
    pg = sub.add_parser("page")
    pg.add_argument("--loads", type=int, default=5)
    pg.add_argument("--draws", type=int, default=10)
    args = ap.parse_args()
    if args.what == "train":
        train(args.samples, args.batch, args.repeats)
    else:
        page(args.loads, args.draws)


if __name__ == "__main__":
    main()
