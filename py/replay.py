"""Make the page's replay set (read by py/io/replayset.py). build.sh runs:

    python -m py.replay --out .cache/replay.npz

Train digits come from the embedded train split and the check digits from its
validation split, so the page's figures are on digits no model trained on.
It also holds drawn non-digits (drawing them in Pyodide would take a minute).
"""

import argparse

import numpy as np

from .cli import checkout
from .drawings import nondigits
from .io import files, replayset
from .io.errors import ArgumentParser, run

PER_CLASS_TRAIN, N_VAL, N_NONDIGIT = 300, 500, 600


def make() -> dict[str, np.ndarray]:
    """The replay set's arrays (py/io/replayset.py's KEYS), images as uint8."""
    ds = checkout.dataset("embedded")
    rng = np.random.default_rng(0)
    (x, y), (xv, yv) = ds.train, ds.val
    pick = np.concatenate([rng.choice(np.flatnonzero(y == d), PER_CLASS_TRAIN, replace=False) for d in range(10)])
    pick = rng.permutation(pick)
    as_bytes = lambda a: np.round(a * 255).astype(np.uint8)
    return {"x_train": as_bytes(x[pick]), "y_train": y[pick].astype(np.uint8),
            "x_val": as_bytes(xv[:N_VAL]), "y_val": yv[:N_VAL].astype(np.uint8),
            "x_nondigit": as_bytes(nondigits.make(N_NONDIGIT, rng)[0])}


def main(argv: list[str] | None = None) -> None:
    ap = ArgumentParser(prog="python -m py.replay", description=__doc__,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(checkout.REPO / ".cache" / "replay.npz"))
    out = files.check_output(ap.parse_args(argv).out, "--out")
    files.write_atomically(out, replayset.to_bytes(make()))
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    run(main)
