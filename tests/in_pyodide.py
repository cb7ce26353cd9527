"""The native unit tests, inside Pyodide: run by tests/test_pyodide.py as
    node tests/pyodide_run.mjs --wheels .cache/pyodide-wheels tests/in_pyodide.py PYTEST_ARGS...
against what the page loads: the installed wheel of our package (byte-
compiled), not the repository's py/ folder."""

import os
import site
import sys
from pathlib import Path

import pytest

import py

REPO = Path(__file__).resolve().parent.parent
assert "site-packages" in py.__file__, py.__file__
# The wheel finds the embedded digits next to itself, as a checkout does, and
# the training glyphs in its folder: data for training, which the page never needs.
os.symlink(REPO / "node_modules", Path(site.getsitepackages()[0]) / "node_modules")
os.symlink(REPO / "py" / "glyphs.npz", Path(py.__file__).parent / "glyphs.npz")
sys.exit(pytest.main([*sys.argv[1:], "-p", "no:cacheprovider", "-o", "pythonpath=",
                      # Pyodide's Python has neither file-descriptor capture nor faulthandler's signals.
                      "--capture=sys", "-p", "no:faulthandler"]))
