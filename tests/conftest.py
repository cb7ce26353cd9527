import contextlib
import io
import json
import os
import re
import runpy
import signal
import subprocess
import sys
from pathlib import Path

# pytest imports its own `py` compatibility shim (site-packages/py.py) at
# start-up, before it reads any conftest. Our package has the same name: once
# pytest holds what it needs from the shim, give the name back to our package
# (the repo root is first on sys.path through pyproject's `pythonpath`).
if not hasattr(sys.modules.get("py"), "__path__"):
    sys.modules.pop("py", None)

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

# A run started in the background by a script (`./build.sh test &`) inherits
# Ctrl-C ignored, and so would every command it starts: the tests that press
# Ctrl-C on py.train and py.sweep need it delivered. A handler (unlike
# "ignored") is not inherited, so the commands get the default again.
signal.signal(signal.SIGINT, signal.default_int_handler)

# py.train options for a quick run, where a test is about something else: no
# drawn non-digits or font digits (drawing them takes most of a minute), and
# with QUICK the embedded digits alone (the real writers' strokes take longer).
NO_EXTRAS = ["--nondigits", "0", "--font-digits", "0"]
QUICK = ["--data", "embedded", *NO_EXTRAS]


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `python -m ...` from the repo root, the way a user does; inside
    Pyodide, which has no processes, in this one."""
    if sys.platform == "emscripten":
        return _run_here(*args)
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=timeout)


def _run_here(module: str, *args: str) -> subprocess.CompletedProcess:
    out, err, saved = io.StringIO(), io.StringIO(), (sys.argv, os.getcwd())
    code = 0
    try:
        os.chdir(REPO)
        sys.argv = [module, *args]
        sys.modules.pop(module, None)          # run afresh, as `python -m` does
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else int(e.code is not None)
    finally:
        sys.argv = saved[0]
        os.chdir(saved[1])
    return subprocess.CompletedProcess([module, *args], code, out.getvalue(), err.getvalue())


def write_rows(path: Path, n: int) -> Path:
    """A CSV of n random labelled images, in the source project's format."""
    import numpy as np
    rng = np.random.default_rng(0)
    path.write_text("\n".join(",".join(map(str, [i % 10, *rng.integers(0, 256, 784)])) for i in range(n)))
    return path


# A line of progress (py/io/progress.py) that a command printed before it stopped: "what: 1,200/1,200 …".
PROGRESS = re.compile(r"^[^:]+: (\[[# ]+\] )?[\d,]+/[\d,]+ ")


def assert_clean_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    """Exit code 2 and one line on stderr naming everything in `fragments`
    (after the progress of what was done before, if any)."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert lines and all(PROGRESS.match(line) for line in lines[:-1]), result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in lines[-1], (fragment, lines[-1])


@pytest.fixture(scope="session")
def embedded():
    from py.cli import checkout
    return checkout.dataset("embedded")


@pytest.fixture(scope="session")
def build() -> dict:
    """web/build.json: where the built page keeps each of its files."""
    return json.loads((REPO / "web" / "build.json").read_text())


@pytest.fixture(scope="session")
def strokes() -> dict:
    """The drawn digits of tests/data/strokes.json: digit -> styles -> strokes in a unit box."""
    from harness.browser import load_strokes
    return load_strokes()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (harness/browser.py launches it)."""
    from playwright.sync_api import sync_playwright

    from harness.browser import launch
    with sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def url():
    """The page, served from web/ on a free port for one test module."""
    from harness.browser import served
    with served() as base:
        yield base


@pytest.fixture(scope="module")
def site(browser, url):
    return browser, url


def _opened(site, screen: str = "desktop"):
    from harness.browser import SCREENS, open_page
    page = open_page(site, SCREENS[screen])
    yield page
    page.context.close()


@pytest.fixture
def page(site):
    """A fresh browser profile (empty storage) on the ready page; what it
    requested and any error it threw are in page.requests and page.errors
    (harness/browser.py's open_page, which tests call for other options)."""
    yield from _opened(site)


@pytest.fixture(params=["desktop", "phone"])
def person(request, site):
    """The same as `page`, on a desktop and on a phone in turn."""
    yield from _opened(site, request.param)


@pytest.fixture(scope="module")
def module_page(site):
    """One page that a module's tests use in turn, as a person keeps using it."""
    yield from _opened(site)
