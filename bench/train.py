"""`./build.sh bench train [--samples N] [--batch N] [--rounds N]`: our
trainer's samples/s on the source design's MLP (784-128-10, batch 64,
float32, plain SGD) and PyTorch's on the CPU, in turn round by round.
PyTorch is the reference: ./build.sh bench train installs it into .venv
(without it, ours alone is measured)."""

import os
import statistics
import time

# NumPy's BLAS and PyTorch run with the same number of threads, one unless
# OPENBLAS_NUM_THREADS says otherwise (read when NumPy loads, hence first):
# on a shared 2-core machine two-threaded rounds swing far more than one-threaded ones.
THREADS = int(os.environ.setdefault("OPENBLAS_NUM_THREADS", "1"))

import numpy as np  # noqa: E402

from py.nn.model import cross_entropy, from_spec, mlp_spec  # noqa: E402
from py.nn.optim import SGD  # noqa: E402

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
