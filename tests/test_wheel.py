"""The page's wheel holds what the first answer runs, and the rest of our
package (build.json's `rest`) what the page runs after it: together
py/__init__.py and the shipped subpackages (py.site.SHIPPED_PACKAGES), never
the commands nor what only training draws; and every flow of the page needs
nothing more, the first answer's nothing more than the wheel."""

import json
import os
import subprocess
import sys
import zipfile

import pytest
from conftest import REPO

from py.page.trace import SOURCE_FOLDER, SOURCES
from py.site import SHIPPED_PACKAGES

SHIPPED_MODULES = ("py", *(f"py.{name}" for name in SHIPPED_PACKAGES))


def shipped(module: str) -> bool:
    return module == "py" or module.startswith(tuple(f"{p}." for p in SHIPPED_MODULES[1:])) or module in SHIPPED_MODULES


def flow_args(build: dict) -> list[str]:
    return [str(REPO / "weights" / f"{name}.npz") for name in ("cnn", "path", "mlp")] + [str(REPO / "web" / build["replay"])]


def loaded_after_every_flow(command: list[str]) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}    # our `py`, not pytest's shim of that name
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return [m for m in json.loads(result.stdout.strip().splitlines()[-1]) if m == "py" or m.startswith("py.")]


def page_modules(build: dict) -> dict[str, set[str]]:
    """{"wheel": its modules (py/nn/model), "rest": those of build.json's `rest`
    (where they sit under site-packages/)}, the wheel's METADATA as "metadata",
    and as "sources" the files of py/SOURCE_FOLDER either holds (the source "See inside" shows)."""
    lock = json.loads((REPO / "web" / build["lock"]).read_text())["packages"]["digits"]
    archives = {"wheel": (REPO / "web" / build["runtime"] / lock["file_name"]).resolve(), "rest": REPO / "web" / build["rest"]}
    out = {"sources": set()}
    for name, path in archives.items():
        with zipfile.ZipFile(path) as z:
            names = [n.removeprefix("site-packages/") for n in z.namelist() if not n.endswith("/")]
            names = [n for n in names if n.startswith("py/") or ".dist-info/" in n]     # ours: not the standard library's, numpy's
            sources = {n for n in names if n.startswith(f"py/{SOURCE_FOLDER}/")}
            out["sources"] |= {(name, n) for n in sources}
            out[name] = {n.rsplit(".", 1)[0] for n in names if ".dist-info/" not in n and n not in sources}
            if name == "wheel":
                out["metadata"] = next(z.read(n) for n in names if n.endswith(".dist-info/METADATA"))
    return out


@pytest.mark.site
def test_the_wheel_and_the_rest_of_the_package_hold_exactly_the_shipped_subpackages(build):
    modules = page_modules(build)
    expected = {"py/__init__"} | {str(p.relative_to(REPO).with_suffix("")) for name in SHIPPED_PACKAGES
                                   for p in (REPO / "py" / name).glob("*.py")}
    assert modules["wheel"] | modules["rest"] == expected and not modules["wheel"] & modules["rest"]
    # What the first answer needs (recognizing) is in the wheel; training, samples and looking inside come after it.
    assert {"py/page/app", "py/page/preprocess", "py/nn/model", "py/io/weights"} <= modules["wheel"]
    assert {"py/nn/trainer", "py/page/session", "py/page/explain", "py/io/data"} <= modules["rest"]
    assert len(modules["metadata"]) < 4000                      # the package's description, not the README
    # Byte code has no source: what "See inside" shows comes with the rest (py/page/trace.py, code()).
    compiled = not build["python"].startswith("NOT")
    assert modules["sources"] == ({("rest", f"py/{SOURCE_FOLDER}/{s.removeprefix('py/')}") for s in SOURCES}
                                  if compiled else set())


def check(modules: list[str]) -> None:
    assert [m for m in modules if not shipped(m)] == []
    # Not vacuous: every flow ran, each pulling in what it needs on first use.
    assert {"py.page.session", "py.page.explain", "py.io.replayset", "py.io.data", "py.nn.trainer"} <= set(modules)


@pytest.mark.processes
def test_every_page_flow_needs_only_the_shipped_subpackages(build):
    check(loaded_after_every_flow([sys.executable, "tools/page_flows.py", *flow_args(build)]))


@pytest.mark.browser
def test_every_page_flow_runs_on_the_page_files_alone_in_pyodide(build):
    """Inside Pyodide only the page's files are there: a module they lack would fail to import."""
    check(loaded_after_every_flow(["node", "tools/pyodide_run.mjs", "tools/page_flows.py", *flow_args(build)]))


@pytest.mark.browser
def test_the_first_answer_runs_on_the_wheel_alone_in_pyodide(build):
    """py.page.app.FIRST_ANSWER's calls, bad files too, before the rest of the package has arrived."""
    modules = loaded_after_every_flow(["node", "tools/pyodide_run.mjs", "--wheel-only", "tools/page_flows.py",
                                       "--first-answer", *flow_args(build)[:2]])
    assert {m.replace(".", "/") for m in modules} - {"py"} <= {m.rsplit("/__init__", 1)[0] for m in page_modules(build)["wheel"]}
    assert "py.page.app" in modules and "py.page.session" not in modules
