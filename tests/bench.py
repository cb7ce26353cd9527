"""Benchmarks that print figures (never timed tests). Run them as
`./build.sh bench WHAT`, which sets everything up first:

    train     our trainer's samples/s on a 784-128-10 MLP, and PyTorch's on the CPU if installed
    page      start-up cold, warm and offline, first answer, bytes over the wire, stroke-end-to-answer
              latency (headless Chromium; tests/bench_page.py)
    drawn     how many digits drawn with the mouse on the real page each network gets
              right: every style in tests/strokes.json at 4 sizes, places, slants and widths
"""

import argparse
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


# (size, top-left corner, slant, stretch): large, small in a corner, leaning and
# narrow, wide and leaning back.
PLACEMENTS = [(0.8, (0.1, 0.1), 0.0, 1.0), (0.3, (0.05, 0.6), 0.0, 1.0),
              (0.55, (0.4, 0.05), 0.25, 0.7), (0.6, (0.1, 0.3), -0.15, 1.3)]


def drawn() -> None:
    from playwright.sync_api import sync_playwright

    from browser import draw_digit, launch, load_strokes, served, wait_ready

    strokes = load_strokes()
    cases = [(d, style, p) for d, styles in strokes.items() for style in styles for p in PLACEMENTS]
    print(f"{len(cases)} digits drawn with the mouse on the page ({len(cases) // 10} per digit: "
          f"{len(PLACEMENTS)} sizes, places, slants and widths of each style in tests/strokes.json)")
    with sync_playwright() as p, served() as url:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1000, "height": 800})
        page.goto(url)
        wait_ready(page)
        for model in ("cnn", "mlp"):
            page.get_by_test_id(f"model-{model}").check()
            right, unsure, wrong = 0, 0, []
            for digit, style, placement in cases:
                answer = draw_digit(page, style, *placement)
                right += answer == digit
                unsure += answer == ""
                if answer not in (digit, ""):
                    wrong.append(f"{digit}->{answer}")
            print(f"  {model.upper()}: {right}/{len(cases)} right ({100 * right / len(cases):.1f}%), "
                  f"{unsure} 'not sure', {len(wrong)} wrong {' '.join(wrong)}")
        browser.close()


def main() -> None:
    ap = argparse.ArgumentParser(prog="./build.sh bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    t = sub.add_parser("train")
    t.add_argument("--samples", type=int, default=60_000)
    t.add_argument("--batch", type=int, default=64)
    t.add_argument("--repeats", type=int, default=3)
    pg = sub.add_parser("page", help="start-up, caching, offline (tests/bench_page.py)")
    pg.add_argument("--loads", type=int, default=5, help="rounds (default 5)")
    pg.add_argument("--draws", type=int, default=10, help="digits drawn in each warm visit")
    pg.add_argument("--against", metavar="REV", help="also load the build of this commit, interleaved")
    sub.add_parser("drawn")
    args = ap.parse_args()
    if args.what == "train":
        train(args.samples, args.batch, args.repeats)
    elif args.what == "page":
        from bench_page import page
        page(args.loads, args.draws, args.against)
    else:
        drawn()


if __name__ == "__main__":
    main()
