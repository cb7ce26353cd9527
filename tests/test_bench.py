"""Every `./build.sh bench …` runs, with its smallest settings, so that none
stops working unseen. The figures are the benchmarks' to print
(docs/benchmarks.md), never the tests' to judge."""

import importlib
import subprocess
import sys

import pytest
from conftest import REPO

pytestmark = pytest.mark.processes

# bench -> (its smallest settings, a line of its report)
SMALLEST = {
    "train": (["--samples", "640", "--rounds", "1"], "samples/s (median)"),
    "page": (["--loads", "1", "--draws", "1", "--links", "9mbps,local"], "warm latency"),
    "drawn": (["--most", "2"], "real writers' letters and symbols, held-out writers"),
    "half": (["--most", "5"], "answered differently"),
    "finetune": (["--rounds", "1"], "frame gaps meanwhile"),
    "hostile": (["-k", "member inflating"], "refused in"),
    "peers": (["--rounds", "1", "--compare", str(REPO), "--json"], '"ratios"'),
    "engines": (["--rounds", "1", "--draws", "1"], "webkit"),
    "sweep": (["--rounds", "1", "--trials", "2", "--epochs", "1"], "speed-up of --jobs 2"),
}
NO_BROWSER = ("train", "sweep", "hostile", "half")


def benches() -> list[str]:
    """The benchmarks bench/bench.py offers."""
    subcommands = next(a for a in importlib.import_module("bench.bench").parser()._actions if a.dest == "what")
    return list(subcommands.choices)


def test_every_bench_has_its_smallest_settings():
    assert sorted(benches()) == sorted(SMALLEST)


@pytest.mark.parametrize("what", [pytest.param(w, marks=[] if w in NO_BROWSER else [pytest.mark.browser])
                                  for w in SMALLEST])
def test_bench_runs(what):
    settings, reported = SMALLEST[what]
    result = subprocess.run([sys.executable, "-m", "bench.bench", what, *settings], cwd=REPO, capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert reported in result.stdout, result.stdout[-3000:]
