"""A handwritten digit recognizer in NumPy: the same package trains natively
(`python -m py.train`) and recognizes drawings in the browser (Pyodide).
nn/ is the network, io/ reads files, page/ is what the page runs (these
three ship to it), drawings/ is for training only; the modules here are the
commands."""


def __getattr__(name: str):
    # pytest ships a `py` compatibility module of its own, and `python -m
    # pytest` run from the repository root finds this package under that name
    # instead; pytest then asks it for `py.path` and `py.error`: hand over
    # pytest's own, so that both work.
    if name in ("path", "error"):
        import importlib
        return importlib.import_module(f"_pytest._py.{name}")
    raise AttributeError(f"module 'py' has no attribute {name!r}")
