"""The standard library and numpy byte-compiled again, leaner: without
docstrings or asserts (optimize=2) and without the column positions that
Python 3.11+ keeps for every instruction (-X no_debug_ranges: a traceback
then names the line but underlines nothing). A third fewer bytes before the
page's first answer. Run by py/site.py with the Python of pyodide-build
(3.12, Pyodide's own version, which a .pyc must match), after its py-compile:
    python3.12 tools/compile_lean.py SOURCES COMPILED
SOURCES: Pyodide's python_stdlib.zip or numpy's wheel, as published (.py);
COMPILED: the same, as py-compile left it (.pyc): each .pyc is compiled
again from its .py, hash-based and unchecked as py-compile writes them.
Some code reads its own docstrings, which then stay: Pyodide's packages at
start-up, and numpy's dispatchers in numpy/_core/multiarray.py, whose
docstrings numpy hands to its C functions with add_docstring (which refuses
None)."""

import importlib.util
import os
import sys
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

KEEP_DOCSTRINGS = ("_pyodide/", "pyodide/", "numpy/_core/multiarray.")


def main(sources: str, compiled: str) -> None:
    with zipfile.ZipFile(sources) as z:
        source = {name[:-3] + ".pyc": (name, z.read(name)) for name in z.namelist() if name.endswith(".py")}
    with zipfile.ZipFile(compiled) as z:
        entries = [(info, z.read(info)) for info in z.infolist()]
    partial = compiled + ".part"
    with zipfile.ZipFile(partial, "w") as new:
        for info, data in entries:
            if info.filename in source:
                name, text = source[info.filename]
                optimize = 0 if info.filename.startswith(KEEP_DOCSTRINGS) else 2
                code = compile(text, name, "exec", optimize=optimize, dont_inherit=True)
                data = bytes(_code_to_hash_pyc(code, importlib.util.source_hash(text), checked=False))
            new.writestr(info, data)
    os.replace(partial, compiled)


if __name__ == "__main__":
    if not sys._xoptions.get("no_debug_ranges"):           # an interpreter option: set at start-up only
        os.execv(sys.executable, [sys.executable, "-X", "no_debug_ranges", *sys.argv])
    main(*sys.argv[1:3])
