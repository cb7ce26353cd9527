"""The native unit tests, inside Pyodide: run by tests/test_pyodide.py as
    node tools/pyodide_run.mjs --wheels .cache/pyodide-wheels harness/in_pyodide.py PYTEST_ARGS...
against what the page loads: the installed wheel of our package (byte-
compiled), not the repository's py/ folder, for every module the page runs.
The tests also exercise what never ships (the commands, py/drawings/): those
modules come from the repository, found after the wheel's, as does harness/."""

import sys
from pathlib import Path

import pytest

import py

REPO = Path(__file__).resolve().parent.parent
assert "site-packages" in py.__file__, py.__file__
py.__path__.append(str(REPO / "py"))
sys.path.append(str(REPO))      # harness/ for the tests; `py` stays the wheel's, imported above
sys.exit(pytest.main([*sys.argv[1:], "-p", "no:cacheprovider", "-o", "pythonpath=",
                      # Pyodide's Python has neither file-descriptor capture nor faulthandler's signals.
                      "--capture=sys", "-p", "no:faulthandler"]))
