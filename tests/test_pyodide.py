"""The page's package inside Pyodide (under Node): the native unit tests pass
there too, and it gives the same numbers as native NumPy (preprocessing, a
forward pass with the shipped weights, one training step, evaluation, the
start of the page's fine-tuning, and the pen's path read and joined)."""

import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest
from conftest import REPO

from py import site
from py.page import app

pytestmark = pytest.mark.browser      # needs a browser engine (Chromium, or Pyodide under Node)

SHIPPED_WEIGHTS = [REPO / "weights" / f"{name}.npz" for name in (*site.SHIPPED_NETWORKS, app.PATH)]      # the path network last


def run(command: list[str]) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO)}    # our `py`, not pytest's shim of that name
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_pyodide_matches_native():
    replay = "web/" + json.loads((REPO / "web" / "build.json").read_text())["replay"]
    args = ["harness/parity.py", "tests/data/strokes.json", replay,
            *[f"{p.stem}={p.relative_to(REPO)}" for p in SHIPPED_WEIGHTS]]
    native = run([sys.executable, *args])
    wasm = run(["node", "tools/pyodide_run.mjs", *args])
    assert set(native) == set(wasm) == {"images", "path_values", "probs_path", *(f"{measure}_{name}" for name in site.SHIPPED_NETWORKS
        for measure in ("probs", "loss", "after_step", "confusion", "finetune", "joined"))}
    for key in native:
        assert np.allclose(native[key], wasm[key], rtol=0, atol=1e-5), key
    # The comparison is not vacuous: real images and confident right answers.
    assert np.array(native["images"]).sum(axis=1).min() > 30
    assert (np.array(native["probs_mlp"]).argmax(axis=1) == np.arange(10)).mean() >= 0.9
    assert not np.allclose(native["probs_mlp"], native["after_step_mlp"], atol=1e-7)


# Every test that needs neither a browser nor other processes (WebAssembly has none). A file
# whose every test needs one is left out whole: its imports (Playwright, Optuna) are not there.
UNIT = ["-m", "not browser and not processes",
        *sorted(str(p.relative_to(REPO)) for p in (REPO / "tests").glob("test_*.py")
                if not re.search(r"^pytestmark = pytest\.mark\.(browser|processes)\b", p.read_text(), re.M))]


def test_the_unit_tests_pass_inside_pyodide():
    """The same tests, natively collected and inside Pyodide run: every one
    passes there, against the byte-compiled wheel the page loads."""
    native = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", *UNIT], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    collected = int(re.search(r"(\d+)(?:/\d+)? tests? collected", native.stdout).group(1))
    wasm = subprocess.run(["node", "tools/pyodide_run.mjs", "--wheels", ".cache/pyodide-wheels", "harness/in_pyodide.py",
                           "-q", *UNIT], cwd=REPO, capture_output=True, text=True, timeout=1800)
    summary = wasm.stdout.strip().splitlines()[-1] if wasm.stdout.strip() else wasm.stderr[-2000:]
    print(f"\nnatively collected: {collected}; inside Pyodide: {summary}")
    assert wasm.returncode == 0, wasm.stdout[-5000:] + wasm.stderr[-2000:]
    assert re.match(rf"{collected} passed", summary), (collected, summary)
