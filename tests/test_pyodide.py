"""The page's package inside Pyodide (under Node) gives the same numbers as
native NumPy: preprocessing, a forward pass with the shipped weights, one
training step, evaluation, and the start of the page's fine-tuning."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from conftest import REPO

pytestmark = pytest.mark.browser      # needs a browser engine (Chromium, or Pyodide under Node)

SHIPPED = sorted((REPO / "weights").glob("*.npz"))


def run(command: list[str]) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO)}    # our `py`, not pytest's shim of that name
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_pyodide_matches_native():
    replay = "web/" + json.loads((REPO / "web" / "build.json").read_text())["replay"]
    args = ["tests/parity.py", "tests/strokes.json", replay,
            *[f"{p.stem}={p.relative_to(REPO)}" for p in SHIPPED]]
    native = run([sys.executable, *args])
    wasm = run(["node", "tests/pyodide_run.mjs", *args])
    assert set(native) == set(wasm) and len(native) == 1 + 5 * len(SHIPPED)
    for key in native:
        assert np.allclose(native[key], wasm[key], rtol=0, atol=1e-5), key
    # The comparison is not vacuous: real images and confident right answers.
    assert np.array(native["images"]).sum(axis=1).min() > 30
    assert (np.array(native["probs_mlp"]).argmax(axis=1) == np.arange(10)).mean() >= 0.9
    assert not np.allclose(native["probs_mlp"], native["after_step_mlp"], atol=1e-7)
