"""The page's wheel holds what the page runs and nothing else: py/__init__.py
and the shipped subpackages (py.site.SHIPPED_PACKAGES), never the commands nor
what only training draws; and every flow of the page needs nothing more."""

import json
import os
import subprocess
import sys
import zipfile

import pytest
from conftest import REPO

from py.site import SHIPPED_PACKAGES

SHIPPED = ("py", *(f"py.{name}" for name in SHIPPED_PACKAGES))


def shipped(module: str) -> bool:
    return module == "py" or module.startswith(tuple(f"{p}." for p in SHIPPED[1:])) or module in SHIPPED


def flow_args(build: dict) -> list[str]:
    return [str(REPO / "weights" / "cnn.npz"), str(REPO / "weights" / "mlp.npz"), str(REPO / "web" / build["replay"])]


def loaded_after_every_flow(command: list[str]) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}    # our `py`, not pytest's shim of that name
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return [m for m in json.loads(result.stdout.strip().splitlines()[-1]) if m == "py" or m.startswith("py.")]


@pytest.mark.site
def test_the_wheel_holds_exactly_the_shipped_subpackages(build):
    lock = json.loads((REPO / "web" / build["lock"]).read_text())["packages"]["digits"]
    wheel = (REPO / "web" / build["runtime"] / lock["file_name"]).resolve()
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        metadata = next(z.read(n) for n in names if n.endswith(".dist-info/METADATA"))
    modules = {n.rsplit(".", 1)[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    expected = {"py/__init__"} | {str(p.relative_to(REPO).with_suffix("")) for name in SHIPPED_PACKAGES
                                   for p in (REPO / "py" / name).glob("*.py")}
    assert modules == expected
    assert len(metadata) < 4000                      # the package's description, not the README


def check(modules: list[str]) -> None:
    assert [m for m in modules if not shipped(m)] == []
    # Not vacuous: every flow ran, each pulling in what it needs on first use.
    assert {"py.page.session", "py.page.explain", "py.io.replay", "py.io.data", "py.nn.trainer"} <= set(modules)


@pytest.mark.processes
def test_every_page_flow_needs_only_the_shipped_subpackages(build):
    check(loaded_after_every_flow([sys.executable, "tools/page_flows.py", *flow_args(build)]))


@pytest.mark.browser
def test_every_page_flow_runs_on_the_wheel_alone_in_pyodide(build):
    """Inside Pyodide only the wheel is there: a module it lacks would fail to import."""
    check(loaded_after_every_flow(["node", "tools/pyodide_run.mjs", "tools/page_flows.py", *flow_args(build)]))
