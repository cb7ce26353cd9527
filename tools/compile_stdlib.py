"""The standard library byte-compiled again without docstrings or asserts
(optimize=2): 15% fewer bytes before the page's first answer. Run by
py/site.py with the Python of pyodide-build (3.12, Pyodide's own version,
which a .pyc must match), after its py-compile:
    python3.12 tools/compile_stdlib.py SOURCES.zip COMPILED.zip
Each .pyc in COMPILED.zip is compiled again from its .py in SOURCES.zip
(Pyodide's python_stdlib.zip), hash-based and unchecked as py-compile
writes them; Pyodide's own packages keep theirs: their code reads their
docstrings."""

import importlib.util
import os
import sys
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

KEEP_DOCSTRINGS = ("_pyodide/", "pyodide/")


def main(sources: str, compiled: str) -> None:
    with zipfile.ZipFile(sources) as z:
        source = {name[:-3] + ".pyc": (name, z.read(name)) for name in z.namelist() if name.endswith(".py")}
    with zipfile.ZipFile(compiled) as z:
        entries = [(info, z.read(info)) for info in z.infolist()]
    partial = compiled + ".part"
    with zipfile.ZipFile(partial, "w") as new:
        for info, data in entries:
            if info.filename in source and not info.filename.startswith(KEEP_DOCSTRINGS):
                name, text = source[info.filename]
                code = compile(text, name, "exec", optimize=2, dont_inherit=True)
                data = bytes(_code_to_hash_pyc(code, importlib.util.source_hash(text), checked=False))
            new.writestr(info, data)
    os.replace(partial, compiled)


if __name__ == "__main__":
    main(*sys.argv[1:3])
