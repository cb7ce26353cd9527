"""How much --jobs speeds up a small sweep (`./build.sh bench sweep`, routed
here by bench/bench.py): the same MLP sweep on the embedded digits run as
--jobs 1 (one BLAS thread), --jobs 1 with two BLAS threads, and --jobs 2 (one
thread each), in turn for --rounds rounds, the order reversed every other
round so that all meet the same load. Each run has a fresh SQLite study and
the same --sampler-seed.

Pruning and sampling make the runs differ in how many epochs they train (and
--jobs 2 seeds its second worker's sampler SEED+1), so besides the wall time
it reports epochs trained per second and each run's best validation
accuracy; a speed-up is the median of the rounds' ratios. "Cores it had" is
the CPU time the sweep's processes used over its wall time: on a machine
other work keeps busy, the cores --jobs could use are not there to have."""

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import optuna
from optuna.trial import TrialState

from py.cli.checkout import REPO

# name: (--jobs, BLAS threads per worker)
SETUPS = {"--jobs 1": (1, 1), "--jobs 1, 2 BLAS threads": (1, 2), "--jobs 2": (2, 1)}


def space(epochs: int) -> list[str]:
    # No non-digits: drawing a run's 4,000 takes about half a minute, more than
    # a 4-epoch trial itself, and it parallelizes the same way.
    return ["layers=784,128,10|784,256,10|784,512,256,10", "lr=3e-4..1e-2:log", "dropout=0..0.4",
            "weight-decay=1e-5..1e-3:log", f"epochs={epochs}", "nondigits=0", "font-digits=0"]


def cpu_seconds() -> float:
    """CPU time of this process's finished children and theirs (the workers)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run(name: str, args: list[str], url: str) -> dict:
    """One sweep as `name` sets it up, into the new study at `url`; prints a line, returns its figures."""
    jobs, threads = SETUPS[name]
    load, cpu = os.getloadavg()[0], cpu_seconds()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "py.sweep", *args, "--storage", url, "--jobs", str(jobs)], cwd=REPO,
                   env=dict(os.environ, OPENBLAS_NUM_THREADS=str(threads)), check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    cores = (cpu_seconds() - cpu) / wall
    trials = optuna.load_study(study_name="sweep", storage=url).trials
    epochs = sum(len(t.intermediate_values) for t in trials)
    best = max((t.value for t in trials if t.state == TrialState.COMPLETE), default=float("nan"))
    had = sorted({t.user_attrs["blas_threads"] for t in trials if "blas_threads" in t.user_attrs})
    print(f"  {name:26s} {wall:6.1f} s  best {100 * best:.2f}%  {epochs:3d} epochs ({epochs / wall:.3f}/s)  "
          f"BLAS threads {'/'.join(map(str, had))}  {cores:.2f} cores busy  "
          f"load {load:.1f} -> {os.getloadavg()[0]:.1f}", flush=True)
    return {"wall": wall, "best": best, "rate": epochs / wall, "cores": cores}


def sweep(rounds: int, trials: int, epochs: int) -> None:
    args = [*space(epochs), "--trials", str(trials), "--sampler-seed", "0"]
    print("python -m py.sweep " + " ".join(f"'{a}'" if "|" in a else a for a in args) + " --jobs N, "
          f"{rounds} rounds, each a fresh study")
    results = {name: [] for name in SETUPS}
    with tempfile.TemporaryDirectory() as folder:
        for r in range(rounds):
            print(f"round {r + 1}")
            for i, name in (list(enumerate(SETUPS)) if r % 2 == 0 else reversed(list(enumerate(SETUPS)))):
                results[name].append(run(name, args, f"sqlite:///{folder}/{r}-{i}.db"))
    med = statistics.median
    print(f"\n| setup | wall time (median of {rounds}) | best validation accuracy, round by round | "
          f"epochs/s | cores it had |")
    print("|---|---|---|---|---|")
    for name, rs in results.items():
        best = ", ".join(f"{100 * r['best']:.2f}%" for r in rs)
        print(f"| {name} | {med(r['wall'] for r in rs):.1f} s | {best} | {med(r['rate'] for r in rs):.3f} | "
              f"{med(r['cores'] for r in rs):.2f} |")
    for base in ("--jobs 1", "--jobs 1, 2 BLAS threads"):
        walls = [a["wall"] / b["wall"] for a, b in zip(results[base], results["--jobs 2"])]
        rates = [b["rate"] / a["rate"] for a, b in zip(results[base], results["--jobs 2"])]
        print(f"speed-up of --jobs 2 over {base}: wall time {med(walls):.2f} "
              f"(rounds {', '.join(f'{w:.2f}' for w in walls)}), epochs/s {med(rates):.2f} "
              f"(rounds {', '.join(f'{w:.2f}' for w in rates)})")
