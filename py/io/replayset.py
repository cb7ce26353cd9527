"""The replay set, as the page reads it: a few thousand embedded MNIST digits
(and drawn non-digits), so that training in the browser (fine-tuning on a
person's corrections, or from scratch) has MNIST to learn from and to check
against. `python -m py.replay` makes it; pixels are stored as uint8 (0..255)
to keep the file small.

    x_train (3000, 784), y_train (3000,)   digits of the embedded train split, 300 of each
    x_val (500, 784), y_val (500,)         check digits from the validation split
    x_nondigit (600, 784)                  drawings that are no digit (outlier exposure)
"""

import io
import zipfile

import numpy as np

from .errors import BadInput

KEYS = ("x_train", "y_train", "x_val", "y_val", "x_nondigit")


def from_bytes(blob: bytes, name: str = "replay.npz") -> dict[str, np.ndarray]:
    """The arrays as float32 images in [0, 1] and int64 labels."""
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as npz:
            return {k: (npz[k].astype(np.float32) / 255 if k.startswith("x") else npz[k].astype(np.int64))
                    for k in KEYS}
    except (ValueError, OSError, KeyError, EOFError, zipfile.BadZipFile) as e:
        raise BadInput(f"{name}: not a replay set ({e})") from None


def to_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """The file of `arrays` (KEYS; images already uint8 0..255, labels uint8)."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **{k: arrays[k] for k in KEYS})
    return buffer.getvalue()
