"""The replay set: a few thousand embedded MNIST digits for the page, so that
training in the browser (fine-tuning on a person's corrections, or from
scratch) has MNIST to learn from and to check against. Built by build.sh:

    python -m py.replay --out web/replay.npz

Train digits come from the embedded train split and the check digits from its
validation split, so the page's figures are on digits no model trained on.
It also holds synthetic non-digits (making them in Pyodide would take a
minute). Pixels are stored as uint8 (0..255) to keep the file small.
"""

import argparse
import io
import zipfile

import numpy as np

from . import data, files, nondigits
from .errors import ArgumentParser, BadInput, run

PER_CLASS_TRAIN, N_VAL, N_NONDIGIT = 300, 500, 600
KEYS = ("x_train", "y_train", "x_val", "y_val", "x_nondigit")


def make() -> dict[str, np.ndarray]:
    ds = data.load("embedded")
    rng = np.random.default_rng(0)
    (x, y), (xv, yv) = ds.train, ds.val
    pick = np.concatenate([rng.choice(np.flatnonzero(y == d), PER_CLASS_TRAIN, replace=False) for d in range(10)])
    pick = rng.permutation(pick)
    as_bytes = lambda a: np.round(a * 255).astype(np.uint8)
    return {"x_train": as_bytes(x[pick]), "y_train": y[pick].astype(np.uint8),
            "x_val": as_bytes(xv[:N_VAL]), "y_val": yv[:N_VAL].astype(np.uint8),
            "x_nondigit": as_bytes(nondigits.make(N_NONDIGIT, rng)[0])}


def from_bytes(blob: bytes, name: str = "replay.npz") -> dict[str, np.ndarray]:
    """The arrays as float32 images in [0, 1] and int64 labels."""
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
            return {k: (npz[k].astype(np.float32) / 255 if k.startswith("x") else npz[k].astype(np.int64))
                    for k in KEYS}
    except (ValueError, OSError, KeyError, EOFError, zipfile.BadZipFile) as e:
        raise BadInput(f"{name}: not a replay set ({e})") from None


def main(argv: list[str] | None = None) -> None:
    ap = ArgumentParser(prog="python -m py.replay", description=__doc__,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="web/replay.npz")
    out = files.check_output(ap.parse_args(argv).out, "--out")
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **make())
    files.write_atomically(out, buffer.getvalue())
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    run(main)
