"""`pip install .` (not editable) in a fresh virtual environment gives
working commands: the package carries the data its commands read by default
(pyproject's package-data), and runs from anywhere, with no checkout beside
it. The build happens in a copy of the tracked tree: none in the tree itself."""

import os
import shutil
import subprocess
import sys

import pytest
from conftest import REPO, write_rows


@pytest.mark.processes
@pytest.mark.slow
def test_a_fresh_venv_installs_the_package_and_its_commands_run(tmp_path):
    tree, venv, elsewhere = tmp_path / "tree", tmp_path / "venv", tmp_path / "elsewhere"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in tracked.decode().split("\0"):
        if name and (REPO / name).is_file():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, tree / name)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    installed = subprocess.run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", str(tree)],
                               capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stderr[-3000:]

    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([python, *args], cwd=elsewhere, capture_output=True, text=True, timeout=600, env=env)

    where = run("-c", "import py.train, py.drawings.unipenset as u; print(py.train.__file__); print(u.FILE.stat().st_size)")
    assert where.returncode == 0, where.stderr
    module, unipen_bytes = where.stdout.split()
    assert module.startswith(str(venv)) and int(unipen_bytes) > 0      # the installed copy, with its data
    assert run("-m", "py.train", "--help").returncode == 0
    write_rows(elsewhere / "d.csv", 50)
    trained = run("-m", "py.train", "--data", "d.csv", "--layers", "784,16,10", "--epochs", "1",
                  "--nondigits", "0", "--font-digits", "0", "--out", "w.npz")
    assert trained.returncode == 0, trained.stderr[-3000:]
    assert (elsewhere / "w.npz").stat().st_size > 0
    # Nor does building the page's wheel (tools/setup.sh) leave setuptools' build/ in the tree.
    assert not (REPO / "build").exists()
