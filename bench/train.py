"""`./build.sh bench train [--samples N] [--batch N] [--rounds N] [--models mlp,cnn]`:
our trainer's samples/s against PyTorch's on the CPU, in turn round by round,
on the same networks with the same threads:
    mlp   the source design's MLP, 784-128-10, plain SGD
    cnn   the shipped CNN, conv 32 - pool - conv 64 - pool - dense 128 - 10
          (3×3 kernels), Adam, no augmentation and no dropout
Batch 64, float32, random images. PyTorch is the reference: ./build.sh bench
train installs it into .venv (without it, ours alone is measured)."""

import os
import statistics
import time

# NumPy's BLAS and PyTorch run with the same number of threads, one unless
# OPENBLAS_NUM_THREADS says otherwise (read when NumPy loads, hence first):
# on a shared 2-core machine two-threaded rounds swing far more than one-threaded ones.
THREADS = int(os.environ.setdefault("OPENBLAS_NUM_THREADS", "1"))

import numpy as np  # noqa: E402

from py.nn.model import cnn_spec, cross_entropy, from_spec, mlp_spec  # noqa: E402
from py.nn.optim import SGD, Adam  # noqa: E402

NETWORKS = {"mlp": "MLP 784-128-10, SGD", "cnn": "CNN conv32-pool-conv64-pool-dense128-10, Adam"}


def bench_ours(model_name: str, x: np.ndarray, y: np.ndarray, batch: int) -> float:
    if model_name == "mlp":
        model, optimizer = from_spec(mlp_spec([784, 128, 10])), SGD(0.1)
    else:
        model, optimizer = from_spec(cnn_spec(32, 64, 128)), Adam(2e-3)
    start = time.perf_counter()
    for i in range(0, len(x), batch):
        _, dlogits = cross_entropy(model.forward(x[i:i + batch], train=True), y[i:i + batch])
        model.backward(dlogits)
        optimizer.step(model)
    return len(x) / (time.perf_counter() - start)


def bench_torch(model_name: str, x: np.ndarray, y: np.ndarray, batch: int) -> float:
    import torch
    nn = torch.nn
    torch.set_num_threads(THREADS)
    if model_name == "mlp":
        model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
        optimizer, tx = torch.optim.SGD(model.parameters(), lr=0.1), torch.from_numpy(x)
    else:
        model = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                              nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))
        optimizer, tx = torch.optim.Adam(model.parameters(), lr=2e-3), torch.from_numpy(x).reshape(-1, 1, 28, 28)
    loss_fn, ty = nn.CrossEntropyLoss(), torch.from_numpy(y)
    start = time.perf_counter()
    for i in range(0, len(x), batch):
        optimizer.zero_grad()
        loss_fn(model(tx[i:i + batch]), ty[i:i + batch]).backward()
        optimizer.step()
    return len(x) / (time.perf_counter() - start)


def train(samples: int, batch: int, rounds: int, models: list[str]) -> None:
    """Ours and PyTorch in turn, round by round (who goes first alternates), so
    both meet the same load on a shared machine; the figure is the median of
    the per-round ratios. The CNN gets a fifth of the MLP's samples a round:
    it is about 20 times slower per sample."""
    try:
        import torch
    except ImportError:
        torch = None
        print("PyTorch is not installed: ours alone (./build.sh bench train installs it)")
    rng = np.random.default_rng(0)
    for name in models:
        n = samples if name == "mlp" else max(batch, samples // 5)
        x = rng.random((n, 784), dtype=np.float32)
        y = rng.integers(0, 10, n)
        print(f"{NETWORKS[name]}, batch {batch}, float32, {n:,} samples a round, {rounds} rounds "
              f"(after one to warm up), {THREADS} thread(s) each (OPENBLAS_NUM_THREADS)")
        trainers = {"ours": bench_ours}
        if torch:
            trainers["torch"] = bench_torch
        speeds = {who: [] for who in trainers}
        for r in range(rounds + 1):
            for who in (list(trainers) if r % 2 else list(trainers)[::-1]):
                speed = trainers[who](name, x, y, batch)
                if r:
                    speeds[who].append(speed)
        med = statistics.median
        print(f"  ours (NumPy {np.__version__}): {med(speeds['ours']):10,.0f} samples/s (median)")
        if torch:
            ratios = [o / t for o, t in zip(speeds["ours"], speeds["torch"])]
            print(f"  PyTorch {torch.__version__} CPU: {med(speeds['torch']):10,.0f} samples/s (median)")
            print(f"  ratio ours / PyTorch: median {med(ratios):.2f} (rounds {min(ratios):.2f}-{max(ratios):.2f})")
