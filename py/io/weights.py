"""Weights files: one `.npz` holding every parameter ("0.W", "0.b", … as in
`Model.parameters()`) plus a JSON string "meta" describing the model:

    format, version   "digits-weights", 1
    model             Model.spec(): input shape and the list of layer specs
    layer_sizes       Model.sizes(): [784, 128, 10] for an MLP, ["conv32", "conv64", 128, 10] for a CNN
    activation        "relu" (hidden), with a softmax output
    temperature       divides the logits before softmax (calibration), 1.0 if not calibrated
    command, data, val_accuracy, date, …: how the file was made

Values are float32, as training and export write them; the page's copies of
the shipped networks store them as float16 (py/site.py), half the bytes, and
they load as float32.

Files load from a path (the CLI) or from bytes (the page fetches them, and a
person imports them). Nothing in a file is trusted: the zip's structure, the
meta's types and ranges, the layers (a chain of shapes from the image to 10
digits, within size limits) and every array's header and values are checked
before any layer is built, and nothing is inflated beyond what the model
needs. A model that loads answers a test drawing with 10 finite probabilities.
"""

import io
import json
import math
import re
import struct
import tokenize
import zipfile
import zlib
from pathlib import Path

import numpy as np
from numpy.lib import format as npy_format

from ..nn.model import COLS, PATH_INPUTS, ROWS, Model, from_spec
from ..nn.spec import MAX_PARAMETERS, check_spec, short
from . import files
from .errors import BadInput

FORMAT, VERSION = "digits-weights", 1

# Limits: a file beyond them is refused before anything is built or inflated
# (the network's own are py/nn/spec.py's).
MAX_META = 1 << 20            # bytes of the meta entry
MAX_BYTES = 4 * MAX_PARAMETERS + MAX_META + (1 << 20)   # a whole file, even stored uncompressed
MAX_DIRECTORY = 1 << 16       # bytes of the zip's list of members: a few hundred at most
MAX_DEPTH = 32                # JSON nesting: the parser recurses per level, and thousands crash Pyodide
NPY_HEADER = 1 << 12          # bytes an array entry may hold besides its values

RANGES = {"temperature": (0.01, 100.0), "reject_below": (0.0, 1.0),      # meta numbers, each optional
          "val_accuracy": (0.0, 1.0), "val_before": (0.0, 1.0), "test_accuracy": (0.0, 1.0),
          # an image network's answer joined with the pen's path network's (py/page/path.py, py.calibrate --path)
          "path_weight": (0.0, 4.0), "path_reject_below": (0.0, 1.0)}

# Test drawings every loaded model must answer: blank, all ink, and a bar (a 1);
# a path network, three paths of its values at their extremes.
TEST_DRAWINGS = np.zeros((3, ROWS, COLS), np.float32)
TEST_DRAWINGS[1] = 1
TEST_DRAWINGS[2, 4:24, 13:15] = 1
TEST_PATHS = np.stack([np.zeros(PATH_INPUTS), np.ones(PATH_INPUTS), -np.ones(PATH_INPUTS)]).astype(np.float32)


STORED = (np.float32, np.float16)     # the values' types a file may hold; both load as float32


def to_bytes(model: Model, meta: dict, *, dtype: type = np.float32, compress: bool = True) -> bytes:
    """A weights file of `model`: float32 values, deflated (training, export).
    The page's shipped copies take dtype=np.float16 and compress=False: a
    server compresses them with brotli, which packs them tighter than deflate."""
    meta = {"format": FORMAT, "version": VERSION, "model": model.spec(),
            "layer_sizes": model.sizes(), "activation": "relu", "temperature": 1.0, **meta}
    arrays = {name: p.astype(dtype) for name, p, _ in model.parameters()}
    buffer = io.BytesIO()
    (np.savez_compressed if compress else np.savez)(buffer, meta=np.array(json.dumps(meta)), **arrays)
    return buffer.getvalue()


def largest_file(shapes: dict[str, tuple[int, ...]]) -> int:
    """The most bytes a weights file of a model with these parameter shapes
    (py/nn/spec.py's check_spec) takes: its float32 values, which deflate may leave as large
    as they are, and 64 kB for the meta and the zip's headers."""
    return 4 * sum(math.prod(s) for s in shapes.values()) + (1 << 16)


def save(path: str | Path, model: Model, meta: dict) -> None:
    """Write atomically: a crash or Ctrl-C never leaves a half-written file."""
    files.write_atomically(path, to_bytes(model, meta))


def load(path: str | Path) -> tuple[Model, dict]:
    return from_bytes(files.read_bytes(path, MAX_BYTES), str(path))


def from_bytes(data: bytes, name: str = "weights") -> tuple[Model, dict]:
    """(model, meta) from the bytes of a weights file; `name` is used in errors.
    Everything is checked before the model is built (memory: the file, its
    arrays, then the model)."""
    if len(data) > MAX_BYTES:
        raise BadInput(f"{name}: {len(data):,} bytes, larger than any weights file ({MAX_BYTES:,})")
    if data[:6] == b"\x93NUMPY":
        raise BadInput(f"{name}: a single .npy array, not a .npz weights file")
    try:
        archive = _archive(data, name)
        members = {info.filename: info for info in archive.infolist()}
        if "meta.npy" not in members:
            raise BadInput(f"{name}: no 'meta' entry, not a weights file of this project")
        meta = _meta(archive, members.pop("meta.npy"), name)
        shapes = check_meta(meta, name)
        found = {m.removesuffix(".npy") for m in members}
        if found != set(shapes):
            missing, extra = sorted(set(shapes) - found), sorted(found - set(shapes))
            raise BadInput(f"{name}: arrays do not match the model (missing {missing}, unexpected {extra})")
        arrays = {key: _array(archive, members[f"{key}.npy"], shape, name) for key, shape in shapes.items()}
    except (ValueError, TypeError, OSError, EOFError, RuntimeError, zipfile.BadZipFile, zlib.error, struct.error) as e:
        raise BadInput(f"{name}: not a readable .npz weights file ({e})") from None
    model = from_spec(meta["model"])
    for key, p, _ in model.parameters():
        p[...] = arrays[key]
    model.flush_subnormals()
    with np.errstate(all="ignore"):     # overflow is what this looks for
        tests = TEST_PATHS if model.architecture == "path" else TEST_DRAWINGS.reshape(len(TEST_DRAWINGS), -1)
        probs = model.predict_proba(tests, meta.get("temperature", 1.0))
    if probs.shape != (len(tests), 10) or not np.isfinite(probs).all():
        raise BadInput(f"{name}: the network answers a test drawing with NaN or infinity (its weights overflow)")
    return model, meta


def check_meta(meta: object, name: str) -> dict[str, tuple[int, ...]]:
    """Check a weights file's meta; returns its model's parameter shapes (py/nn/spec.py's check_spec)."""
    if not isinstance(meta, dict):
        raise BadInput(f"{name}: meta is not a JSON object")
    if meta.get("format") != FORMAT:
        raise BadInput(f"{name}: meta: format is {short(meta.get('format'))}, expected {FORMAT!r}")
    if meta.get("version") != VERSION:
        raise BadInput(f"{name}: meta: version {short(meta.get('version'))}, this program reads version {VERSION}")
    for key, (lo, hi) in RANGES.items():
        value = meta.get(key, lo)
        if type(value) not in (int, float) or not lo <= value <= hi:     # NaN fails too
            raise BadInput(f"{name}: meta: {key} is {short(value)}, expected a number from {lo:g} to {hi:g}")
    if type(meta.get("personal", False)) is not bool:
        raise BadInput(f"{name}: meta: personal is {short(meta['personal'])}, expected true or false")
    try:
        return check_spec(meta.get("model"))
    except ValueError as e:
        raise BadInput(f"{name}: meta: model: {e}") from None


# --- reading the zip, without trusting it -------------------------------------------

def _archive(data: bytes, name: str) -> zipfile.ZipFile:
    """The zip in `data`, once its list of members is known to be short and
    every member plainly stored or deflated, without a password."""
    # The list's size, from the end record, before zipfile reads the list:
    # 50,000 empty members would take it (and the page) many seconds.
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 0xFFFF))
    if end < 0 or len(data) < end + 22:
        raise BadInput(f"{name}: not a readable .npz weights file (no zip directory at its end)")
    directory = struct.unpack_from("<I", data, end + 12)[0]
    if data[max(0, end - 20):end - 16] == b"PK\x06\x07":
        # A zip64 end locator just before: the list's real size is in the
        # zip64 end record it points to. (Zip64 is no fault in itself: np.savez
        # writes its members so; a member's size is checked in _member.)
        record = struct.unpack_from("<Q", data, end - 12)[0]
        if data[record:record + 4] != b"PK\x06\x06" or record + 56 > end:
            raise BadInput(f"{name}: not a readable .npz weights file (its zip64 end record is missing)")
        directory = struct.unpack_from("<Q", data, record + 40)[0]
    if directory > MAX_DIRECTORY:
        raise BadInput(f"{name}: a zip of too many members to be a weights file")
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = [info.filename for info in archive.infolist()]
    if len(set(names)) != len(names):
        raise BadInput(f"{name}: the zip holds two members of one name")
    for info in archive.infolist():
        if info.flag_bits & 0x1:
            raise BadInput(f"{name}: {info.filename}: encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise BadInput(f"{name}: {info.filename}: compression method {info.compress_type} "
                          f"(weights files are stored or deflated, as np.savez writes them)")
    return archive


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, name: str) -> np.ndarray:
    """A .npy member, inflated no further than `limit` bytes, its header checked
    before its values are read (a header may declare 10¹² of them)."""
    if info.file_size > limit:
        raise BadInput(f"{name}: {info.filename}: inflates to {info.file_size:,} bytes, more than the {limit:,} it may hold")
    with archive.open(info) as f:
        raw = f.read(limit + 1)
    fp = io.BytesIO(raw)
    version = npy_format.read_magic(fp)
    if version not in ((1, 0), (2, 0)):
        raise BadInput(f"{name}: {info.filename}: .npy format version {version}")
    read_header = npy_format.read_array_header_1_0 if version == (1, 0) else npy_format.read_array_header_2_0
    try:
        shape, fortran, dtype = read_header(fp)
    # NumPy parses the header as Python source: a crafted one fails in ways
    # that differ between Python versions (3.12's tokenizer refuses 200 nested
    # brackets with a TokenError, not a ValueError).
    except (ValueError, SyntaxError, RecursionError, MemoryError, tokenize.TokenError):
        raise BadInput(f"{name}: {info.filename}: the .npy header is not a plain description of an array") from None
    if dtype.hasobject or dtype.itemsize == 0:
        raise BadInput(f"{name}: {info.filename}: holds {dtype}, not numbers")
    count = math.prod(shape)
    if len(raw) - fp.tell() != count * dtype.itemsize:
        raise BadInput(f"{name}: {info.filename}: its header promises {count * dtype.itemsize:,} bytes of values, "
                      f"it holds {len(raw) - fp.tell():,}")
    return np.frombuffer(raw, dtype, count, fp.tell()).reshape(shape, order="F" if fortran else "C")


def _meta(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> object:
    text = _member(archive, info, MAX_META, name)
    if text.shape != () or text.dtype.kind != "U":
        raise BadInput(f"{name}: meta is {text.dtype} {text.shape}, expected one JSON string")
    text = text.item()
    if _depth(text) > MAX_DEPTH:
        raise BadInput(f"{name}: meta: JSON nested more than {MAX_DEPTH} levels deep")
    return json.loads(text)


def _depth(text: str) -> int:
    """How deeply JSON `text` nests, strings aside, found without parsing it."""
    bare = re.sub(r'"[^"\\]*(?:\\.[^"\\]*)*"', '""', text)
    b = np.frombuffer(bare.encode(), np.uint8)
    steps = np.isin(b, np.frombuffer(b"[{", np.uint8)).astype(np.int64) - np.isin(b, np.frombuffer(b"]}", np.uint8))
    return int(np.cumsum(steps).max(initial=0))


def _array(archive: zipfile.ZipFile, info: zipfile.ZipInfo, shape: tuple[int, ...], name: str) -> np.ndarray:
    key = info.filename.removesuffix(".npy")
    a = _member(archive, info, 4 * math.prod(shape) + NPY_HEADER, name)
    if a.shape != shape:
        raise BadInput(f"{name}: array {key}: shape {a.shape}, the model needs {shape}")
    if a.dtype not in STORED:
        raise BadInput(f"{name}: array {key}: dtype {a.dtype}, expected float32 (or float16)")
    if not np.isfinite(a).all():
        raise BadInput(f"{name}: array {key}: holds NaN or infinite values")
    return a
