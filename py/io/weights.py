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

from ..nn.layers import LAYER_TYPES
from ..nn.model import COLS, PATH_INPUTS, PIXELS, ROWS, Model, from_spec
from . import files
from .errors import BadInput

FORMAT, VERSION = "digits-weights", 1

# Limits: a file beyond them is refused before anything is built or inflated
# (each layer's own are declared with it, py/nn/layers.py).
MAX_LAYERS = 64
MAX_PARAMETERS = 10_000_000   # 20 times the shipped networks: 40 MB of float32
MAX_META = 1 << 20            # bytes of the meta entry
MAX_BYTES = 4 * MAX_PARAMETERS + MAX_META + (1 << 20)   # a whole file, even stored uncompressed
MAX_DIRECTORY = 1 << 16       # bytes of the zip's list of members: a few hundred at most
MAX_DEPTH = 32                # JSON nesting: the parser recurses per level, and thousands crash Pyodide
NPY_HEADER = 1 << 12          # bytes an array entry may hold besides its values

INPUTS = ([PIXELS], [ROWS, COLS, 1], [PATH_INPUTS])    # flat pixels (an MLP), an image (a CNN), the pen's path
WEIGHTED = " or ".join(name for name, layer in LAYER_TYPES.items() if layer.WEIGHTED)      # "dense or conv2d"
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
    (check_spec) takes: its float32 values, which deflate may leave as large
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
    """Check a weights file's meta; returns its model's parameter shapes (check_spec)."""
    if not isinstance(meta, dict):
        raise BadInput(f"{name}: meta is not a JSON object")
    if meta.get("format") != FORMAT:
        raise BadInput(f"{name}: meta: format is {_short(meta.get('format'))}, expected {FORMAT!r}")
    if meta.get("version") != VERSION:
        raise BadInput(f"{name}: meta: version {_short(meta.get('version'))}, this program reads version {VERSION}")
    for key, (lo, hi) in RANGES.items():
        value = meta.get(key, lo)
        if type(value) not in (int, float) or not lo <= value <= hi:     # NaN fails too
            raise BadInput(f"{name}: meta: {key} is {_short(value)}, expected a number from {lo:g} to {hi:g}")
    if type(meta.get("personal", False)) is not bool:
        raise BadInput(f"{name}: meta: personal is {_short(meta['personal'])}, expected true or false")
    try:
        return check_spec(meta.get("model"))
    except ValueError as e:
        raise BadInput(f"{name}: meta: model: {e}") from None


def check_spec(spec: object) -> dict[str, tuple[int, ...]]:
    """Check a model description (Model.spec()) without building anything:
    known layer types with exactly their settings, each in its range, shapes
    that chain from the input (784 pixels, a 28×28×1 image, or the pen's
    path's PATH_INPUTS values) to 10 logits, a dense or conv2d layer first
    and a dense one last, a ReLU right after one of those, at most
    MAX_PARAMETERS. What each layer allows is declared on
    its class (py/nn/layers.py). Returns every parameter's shape by name
    ("0.W": (784, 128), ...); a ValueError says what is wrong."""
    if not isinstance(spec, dict) or set(spec) != {"input_shape", "layers"}:
        raise ValueError("expected an object with 'input_shape' and 'layers'")
    shape, layers = spec["input_shape"], spec["layers"]
    if not isinstance(shape, list) or any(type(v) is not int for v in shape) or shape not in INPUTS:
        raise ValueError(f"input_shape {_short(shape)}, expected [784], [28, 28, 1] or [{PATH_INPUTS}]")
    if not isinstance(layers, list) or not 1 <= len(layers) <= MAX_LAYERS:
        raise ValueError(f"expected a list of 1 to {MAX_LAYERS} layers")
    shape, shapes, before = tuple(shape), {}, None
    for i, layer in enumerate(layers):
        if not isinstance(layer, dict):
            raise ValueError(f"layer {i}: {_short(layer)}, expected an object like {{'type': 'relu'}}")
        layer_type = layer.get("type")
        if not isinstance(layer_type, str) or layer_type not in LAYER_TYPES:
            raise ValueError(f"layer {i}: type {_short(layer_type)} is not one of {', '.join(LAYER_TYPES)}")
        cls, where = LAYER_TYPES[layer_type], f"layer {i} ({layer_type})"
        if set(layer) != {"type", *cls.SETTINGS}:
            raise ValueError(f"{where}: settings {sorted(set(layer) - {'type'})}, expected {list(cls.SETTINGS)}")
        for key, (low, high) in cls.SETTINGS.items():
            _setting(layer[key], key, low, high, where)
        if before is None and not cls.WEIGHTED:
            raise ValueError(f"{where}: the first layer must be {WEIGHTED}")
        if layer_type == "relu" and not (before and LAYER_TYPES[before].WEIGHTED):
            raise ValueError(f"{where}: a ReLU comes right after a {WEIGHTED} layer, not {before}")
        try:
            shape, parameters = cls.shapes(layer, shape)
        except ValueError as e:
            raise ValueError(f"{where}: {e}") from None
        shapes.update({f"{i}.{name}": s for name, s in parameters.items()})
        before = layer_type
    if before != "dense" or shape != (10,):
        raise ValueError(f"the last layer must be a dense one giving 10 digit scores, not {before} giving {shape}")
    n = sum(math.prod(s) for s in shapes.values())
    if n > MAX_PARAMETERS:
        raise ValueError(f"{n:,} parameters, more than the {MAX_PARAMETERS:,} this program loads")
    return shapes


def _setting(value: object, key: str, low: float, high: float, where: str) -> None:
    """A layer's setting within its range: a whole number from low to high
    when both are ints, otherwise a number from low to below high."""
    if isinstance(low, int) and isinstance(high, int):
        if type(value) is not int or not low <= value <= high:
            raise ValueError(f"{where}: {key} is {_short(value)}, expected a whole number from {low:,} to {high:,}")
    elif type(value) not in (int, float) or not low <= value < high:       # NaN fails too
        raise ValueError(f"{where}: {key} is {_short(value)}, expected a number from {low:g} to below {high:g}")


def _short(value: object) -> str:
    """repr() of a value from a file, cut short: it may be a megabyte."""
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


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
