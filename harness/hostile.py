"""Hostile and unlucky inputs for the command-line tools and the weights
loader, in one catalogue.

Each case makes files in a fresh folder (always a good weights file, a good
CSV, and weights/mlp.npz where a default --out would land) and runs one tool
there, in a forked child (as user nobody for unreadable files: root reads
everything). It passes when the tool fails cleanly (exit 2, one line on
stderr, no traceback) or, for the few cases that say so, succeeds with the
output they name; and when no file that was there changed, and a failed run
left nothing new. Bombs also have their peak memory measured (and their
time, which `./build.sh bench hostile` prints). tests/test_hostile.py runs
the cases with pytest.
"""

import contextlib
import functools
import gzip
import importlib
import io
import json
import os
import signal
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

NOBODY = 65534
MiB, GiB = 1 << 20, 1 << 30
TIMEOUT = 120           # seconds a case may take
# The quick training run every py.train case starts from: later options override these.
TRAIN = ["py.train", "--data", "{d}/d.csv", "--layers", "784,16,10", "--epochs", "1", "--nondigits", "0", "--font-digits", "0",
         "--no-augment", "--out", "{d}/good.npz"]
EVALUATE = ["py.evaluate", "--weights", "{d}/bad.npz"]


@dataclass
class Case:
    name: str
    argv: list[str]                              # the module, then its options; "{d}" is the case's folder
    make: Callable[[Path], object] = lambda d: None
    succeeds: str | None = None                  # it should succeed, printing this
    nobody: bool = False                         # run as user nobody
    bomb: bool = False                           # its memory and time are bounded
    disk: int = 0                                # bytes of a file system of its own at {d}/disk (0: none)
    secret: str = ""                             # never printed (a password)


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    seconds: float
    peak_mb: float          # peak resident memory beyond what the child had at its start
    disk_mb: float          # the case's files on disk
    problems: list[str]


# --- the data files --------------------------------------------------------------------

RNG = np.random.default_rng(0)
ROWS = [[str(i % 10), *map(str, RNG.integers(0, 256, 784))] for i in range(100)]
HEADER = "label," + ",".join(f"pixel{i}" for i in range(784))
IMAGES = RNG.integers(0, 256, (30, 28, 28), dtype=np.uint8)
LABELS = RNG.integers(0, 10, 30).astype(np.uint8)
HEADER_SKIPPED = "skipped): 90 train, 10 validation"     # what py.train prints when all 100 rows loaded


def csv_text(rows: list[list[str]] = ROWS, end: str = "\n") -> str:
    return end.join(",".join(r) for r in rows) + end


def csv_with(row: int, column: int, value: str) -> str:
    """The good CSV with one field replaced (row and column from 0)."""
    rows = [list(r) for r in ROWS]
    rows[row][column] = value
    return csv_text(rows)


def write(name: str, content: str | bytes | Callable[[], bytes]) -> Callable[[Path], None]:
    def make(d: Path) -> None:
        data = content() if callable(content) else content
        (d / name).write_bytes(data.encode() if isinstance(data, str) else data)
    return make


def idx(array: np.ndarray, dims: tuple[int, ...] | None = None) -> bytes:
    """An IDX file of `array`, its header declaring `dims` if given."""
    dims = array.shape if dims is None else dims
    return struct.pack(">I", 0x800 + len(dims)) + struct.pack(f">{len(dims)}I", *dims) + array.tobytes()


def mnist(images: bytes | None = None, labels: bytes | None = None, gz: bool = False) -> Callable[[Path], None]:
    """An MNIST folder {d}/m with the train pair, good unless given."""
    def make(d: Path) -> None:
        (d / "m").mkdir()
        for kind, raw in (("images-idx3-ubyte", images or idx(IMAGES)), ("labels-idx1-ubyte", labels or idx(LABELS))):
            (d / "m" / ("train-" + kind + (".gz" if gz else ""))).write_bytes(gzip.compress(raw) if gz and raw[:2] != b"\x1f\x8b" else raw)
    return make


@functools.cache
def zeros_gz() -> bytes:
    """64 MiB of zeros as one gzip member (65 KB)."""
    return gzip.compress(bytes(64 * MiB), 9)


def gz_bomb(header: bytes, size: int = 5 * GiB // 2) -> bytes:
    """`header`, then zeros up to `size` bytes: gzip members one after the
    other, as gzip allows (2.5 GiB in 2.6 MB)."""
    return gzip.compress(header) + zeros_gz() * (size // (64 * MiB))


def sparse(name: str, head: bytes, size: int = 40 * GiB) -> Callable[[Path], None]:
    """A file of `size` bytes (sparse: it takes no room on disk) starting with `head`."""
    def make(d: Path) -> None:
        with open(d / name, "wb") as f:
            f.write(head)
            f.truncate(size)
    return make


def unreadable(name: str, mode: int = 0) -> Callable[[Path], None]:
    def make(d: Path) -> None:
        os.chmod(d / name, mode)
    return make


def both(*makes: Callable[[Path], object]) -> Callable[[Path], None]:
    def make(d: Path) -> None:
        for m in makes:
            m(d)
    return make


def fifo(name: str) -> Callable[[Path], None]:
    return lambda d: os.mkfifo(d / name)


def device(name: str) -> Callable[[Path], None]:
    """A character device like /dev/null, in the case's folder (we are root):
    a tool that replaced it with a file would damage it."""
    return lambda d: os.mknod(d / name, 0o20666, os.makedev(1, 3))


def folder(name: str) -> Callable[[Path], None]:
    return lambda d: (d / name).mkdir()


def silent_server(d: Path) -> socket.socket:
    """A PostgreSQL server's socket, {d}/.s.PGSQL.5432, that takes
    connections (the system does, up to its backlog) and never answers."""
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(d / ".s.PGSQL.5432"))
    server.listen()
    return server


# --- weights files -------------------------------------------------------------------------

@functools.cache
def good_parts() -> tuple[str, dict]:
    """A small 784-16-10 MLP's weights file, as (meta JSON, arrays)."""
    from py.io import weights
    from py.nn.model import from_spec, mlp_spec
    raw = weights.to_bytes(from_spec(mlp_spec([784, 16, 10]), seed=1), {"val_accuracy": 0.5})
    with np.load(io.BytesIO(raw)) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return str(arrays.pop("meta")), arrays


def good_weights() -> bytes:
    return npz(*good_parts())


def npz(meta: str, arrays: dict, compressed: bool = True) -> bytes:
    return npz_arrays({"meta": np.array(meta), **arrays}, compressed)


def npz_arrays(arrays: dict, compressed: bool = True) -> bytes:
    buffer = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buffer, **arrays)
    return buffer.getvalue()


DROP = object()


def with_meta(**changes: object) -> bytes:
    """The good file with meta fields changed (DROP removes one)."""
    meta_json, arrays = good_parts()
    meta = json.loads(meta_json)
    for key, value in changes.items():
        if value is DROP:
            meta.pop(key)
        else:
            meta[key] = value
    return npz(json.dumps(meta), arrays)


def with_model(layers: list, input_shape: object = (784,)) -> bytes:
    """A file whose meta describes another model, with zero arrays of the
    shapes its dense and conv layers would have (no arrays if absurd)."""
    meta = json.loads(good_parts()[0])
    meta["model"] = {"input_shape": list(input_shape) if isinstance(input_shape, tuple) else input_shape, "layers": layers}
    arrays = {}
    for i, layer in enumerate(layers):
        try:
            shape = {"dense": lambda: (layer["in"], layer["out"]),
                     "conv2d": lambda: (layer["k"], layer["k"], layer["in"], layer["out"])}[layer["type"]]()
            if np.prod(shape) <= 1e6:
                arrays[f"{i}.W"], arrays[f"{i}.b"] = np.zeros(shape, np.float32), np.zeros(shape[-1], np.float32)
        except (KeyError, TypeError, ValueError):
            pass
    return npz(json.dumps(meta), arrays)


def with_arrays(changes: dict[str, object]) -> bytes:
    """The good file with arrays replaced or dropped (DROP)."""
    meta, arrays = good_parts()
    arrays = dict(arrays)
    for key, value in changes.items():
        if value is DROP:
            arrays.pop(key)
        else:
            arrays[key] = value
    return npz(meta, arrays)


def npy(header: bytes | dict, data: bytes = b"", version: tuple[int, int] = (1, 0)) -> bytes:
    """A .npy member's bytes: its header given as a dict, or raw."""
    if isinstance(header, dict):
        fp = io.BytesIO()
        np.lib.format.write_array_header_1_0(fp, header)
        return fp.getvalue() + data
    size = struct.pack("<H" if version == (1, 0) else "<I", len(header))
    return b"\x93NUMPY" + bytes(version) + size + header + data


def members(extra: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None,
            method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The good file's members (name -> .npy bytes), changed, zipped by zipfile."""
    meta, arrays = good_parts()
    parts = {"meta.npy": npy_bytes(np.array(meta))} | {f"{k}.npy": npy_bytes(v) for k, v in arrays.items()}
    parts |= replace or {}
    parts |= extra or {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as z:
        for name, raw in parts.items():
            z.writestr(name, raw)
    return buffer.getvalue()


def npy_bytes(a: np.ndarray) -> bytes:
    fp = io.BytesIO()
    np.lib.format.write_array(fp, a, allow_pickle=True)
    return fp.getvalue()


def zip_of(entries: list[tuple[str, bytes, int, int, int, int]]) -> bytes:
    """A zip written by hand, for what zipfile will not write. Entries are
    (name, data as stored, inflated size, crc32, method, flags)."""
    out, directory = bytearray(), bytearray()
    for name, data, size, crc, method, flags in entries:
        n = name.encode()
        directory += struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, flags, method, 0, 0, crc, len(data), size,
                                 len(n), 0, 0, 0, 0, 0, len(out)) + n
        out += struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, flags, method, 0, 0, crc, len(data), size, len(n), 0) + n + data
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), len(out), 0)
    return bytes(out + directory + end)


def deflated(name: str, raw: bytes, flags: int = 0, method: int = 8) -> tuple:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, c.compress(raw) + c.flush(), len(raw), zlib.crc32(raw), method, flags


def good_entries(changed: dict[str, tuple[int, int]]) -> bytes:
    """The good file written by hand, some members with other (flags, method)."""
    meta, arrays = good_parts()
    parts = {"meta.npy": npy_bytes(np.array(meta))} | {f"{k}.npy": npy_bytes(v) for k, v in arrays.items()}
    return zip_of([deflated(name, raw, *changed.get(name, (0, 8))) for name, raw in parts.items()])


def zeros_entry(pieces: int) -> tuple:
    """A 0.W member for zip_of that really inflates to `pieces` × 64 MiB:
    its .npy header, then deflate blocks of zeros repeated after a full
    flush, which resets the compressor, so every piece compresses to the
    same bytes."""
    head = npy(dict(descr="<f4", fortran_order=False, shape=(784, 16)))
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    zeros = bytes(64 * MiB)
    piece = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(head)
    for _ in range(pieces):
        crc = zlib.crc32(zeros, crc)
    return "0.W.npy", start + piece * pieces + c.flush(), len(head) + pieces * len(zeros), crc, 8, 0


def other_entries() -> list[tuple]:
    """The good file's members but 0.W, for zip_of."""
    meta, arrays = good_parts()
    return [deflated("meta.npy", npy_bytes(np.array(meta)))] + [deflated(f"{k}.npy", npy_bytes(v)) for k, v in arrays.items() if k != "0.W"]


@functools.cache
def member_bomb() -> bytes:
    """A weights file whose 0.W member really inflates to 2.5 GiB (in 2.7 MB)."""
    return zip_of([zeros_entry(40), *other_entries()])


@functools.cache
def zip64_bomb() -> bytes:
    """A weights file whose 0.W member claims, in zip64 fields, 6 GiB
    inflated (and holds them, in 6 MB: zeros_entry), ended by the zip64
    records a zip64 writer adds, with the plain end record's counts and
    sizes left at their "see zip64" values."""
    name, stored, size, crc, method, _ = zeros_entry(96)
    huge = struct.pack("<HHQQ", 1, 16, size, len(stored))         # zip64 extra field: both sizes
    n = name.encode()
    out = bytearray(struct.pack("<4s5H3I2H", b"PK\x03\x04", 45, 0, method, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF, len(n),
                                len(huge)) + n + huge + stored)
    directory = bytearray(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 45, 45, 0, method, 0, 0, crc, 0xFFFFFFFF, 0xFFFFFFFF,
                                      len(n), len(huge), 0, 0, 0, 0, 0) + n + huge)
    rest = zip_of(other_entries())
    with zipfile.ZipFile(io.BytesIO(rest)) as z:           # the other members, moved after the bomb
        for info in z.infolist():
            local = rest[info.header_offset:info.header_offset + 30 + len(info.filename) + info.compress_size]
            directory += struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, info.CRC, info.compress_size,
                                     info.file_size, len(info.filename), 0, 0, 0, 0, 0, len(out)) + info.filename.encode()
            out += local
    count, at = len(good_parts()[1]) + 1, len(out)
    record = struct.pack("<4sQ2H2I4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(directory), at)
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, at + len(directory), 1)
    end = struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return bytes(out + directory + record + locator + end)


def nested(depth: int) -> bytes:
    meta = json.loads(good_parts()[0])
    text = json.dumps({**meta, "command": "@"})
    return npz(text.replace('"@"', "[" * depth + "]" * depth), good_parts()[1])


DENSE = lambda n_in, n_out: {"type": "dense", "in": n_in, "out": n_out}      # noqa: E731
RELU = {"type": "relu"}
CONV = lambda c_in, c_out, k=3: {"type": "conv2d", "in": c_in, "out": c_out, "k": k}      # noqa: E731
POOL, FLAT = {"type": "maxpool2d"}, {"type": "flatten"}
CNN = [CONV(1, 4), RELU, POOL, FLAT, DENSE(4 * 14 * 14, 10)]


@dataclass
class Weights:
    build: Callable[[], bytes]
    loads: bool = False          # a good file: it loads and answers
    bomb: bool = False


WEIGHTS = {
    # not a weights file at all
    "empty file": Weights(lambda: b""),
    "random bytes": Weights(lambda: np.random.default_rng(1).bytes(2000)),
    "truncated": Weights(lambda: good_weights()[:500]),
    "an .npy given as .npz": Weights(lambda: npy_bytes(np.zeros((3, 3), np.float32))),
    "a gzip file": Weights(lambda: gzip.compress(good_weights())),
    # the zip itself
    "encrypted member": Weights(lambda: good_entries({"0.W.npy": (1, 8)})),
    "bzip2 member": Weights(lambda: members(method=zipfile.ZIP_BZIP2)),
    # Written by hand: Pyodide's Python has no lzma module to write one with.
    "lzma member": Weights(lambda: good_entries({"0.W.npy": (0, zipfile.ZIP_LZMA)})),
    "compression method 99 (AES)": Weights(lambda: good_entries({"2.b.npy": (0, 99)})),
    "50,000 empty members": Weights(lambda: zip_of([(f"x{i}.npy", b"", 0, 0, 0, 0) for i in range(50_000)]), bomb=True),
    "member inflating to 2.5 GiB": Weights(member_bomb, bomb=True),
    "zip64 member inflating to 6 GiB": Weights(zip64_bomb, bomb=True),
    "two members of one name": Weights(lambda: zip_of([deflated("meta.npy", npy_bytes(np.array(good_parts()[0])))] * 2)),
    "member named ../0.W.npy": Weights(lambda: members(extra={"../0.W.npy": npy_bytes(np.zeros((784, 16), np.float32))})),
    "extra member": Weights(lambda: members(extra={"evil.npy": npy_bytes(np.zeros(3, np.float32))})),
    "missing array": Weights(lambda: with_arrays({"2.b": DROP})),
    "no meta": Weights(lambda: npz_arrays(good_parts()[1])),
    # the arrays' .npy headers and values
    "shape 10^12 declared": Weights(lambda: members(replace={"0.W.npy": npy(dict(descr="<f4", fortran_order=False, shape=(10**6, 10**6)), bytes(16))}), bomb=True),
    "npy header garbage": Weights(lambda: members(replace={"0.W.npy": npy(b"{'descr': <f4 !!}\n")})),
    "npy header nested 300 deep": Weights(lambda: members(replace={"0.W.npy": npy(b"(" * 300 + b")" * 300 + b"\n")})),
    "npy version 3.0": Weights(lambda: members(replace={"0.W.npy": npy(b"{}\n", version=(3, 0))})),
    "npy data truncated": Weights(lambda: members(replace={"0.W.npy": npy_bytes(np.zeros((784, 16), np.float32))[:-8]})),
    "npy data too long": Weights(lambda: members(replace={"0.W.npy": npy_bytes(np.zeros((784, 16), np.float32)) + bytes(8)})),
    "object array (pickle)": Weights(lambda: members(replace={"2.b.npy": npy_bytes(np.array([None] * 10, object))})),
    "float64 array": Weights(lambda: with_arrays({"0.b": np.zeros(16)})),
    "big-endian float32": Weights(lambda: with_arrays({"0.b": np.zeros(16, ">f4")})),
    "wrong shape": Weights(lambda: with_arrays({"0.W": np.zeros((784, 7), np.float32)})),
    "NaN in an array": Weights(lambda: with_arrays({"2.b": np.full(10, np.nan, np.float32)})),
    "infinity in an array": Weights(lambda: with_arrays({"2.W": np.full((16, 10), np.inf, np.float32)})),
    "weights of 1e38 (answers overflow)": Weights(lambda: with_arrays({"0.W": np.full((784, 16), 1e38, np.float32)})),
    # the meta
    "meta not a string": Weights(lambda: members(replace={"meta.npy": npy_bytes(np.arange(5))})),
    "meta an array of strings": Weights(lambda: members(replace={"meta.npy": npy_bytes(np.array([good_parts()[0]] * 2))})),
    "meta not JSON": Weights(lambda: npz("{'format': ", good_parts()[1])),
    "meta a JSON list": Weights(lambda: npz("[1, 2]", good_parts()[1])),
    "meta of 2 MB": Weights(lambda: with_meta(command="x" * 2_000_000)),
    "meta number of 5,000 digits": Weights(lambda: npz(good_parts()[0].replace('"val_accuracy": 0.5', '"val_accuracy": 1' + "0" * 5000), good_parts()[1])),
    "meta nested 2,000 deep": Weights(lambda: nested(2000)),
    "meta nested 5,000 deep": Weights(lambda: nested(5000)),
    "meta nested 100,000 deep": Weights(lambda: nested(100_000)),
    "format other": Weights(lambda: with_meta(format="pytorch")),
    "version 9": Weights(lambda: with_meta(version=9)),
    "version '1'": Weights(lambda: with_meta(version="1")),
    "temperature 'abc'": Weights(lambda: with_meta(temperature="abc")),
    "temperature 'NaN'": Weights(lambda: with_meta(temperature="NaN")),
    "temperature NaN": Weights(lambda: with_meta(temperature=float("nan"))),
    "temperature Infinity": Weights(lambda: with_meta(temperature=float("inf"))),
    "temperature null": Weights(lambda: with_meta(temperature=None)),
    "temperature {}": Weights(lambda: with_meta(temperature={})),
    "temperature 0": Weights(lambda: with_meta(temperature=0)),
    "temperature -1": Weights(lambda: with_meta(temperature=-1)),
    "temperature 1e30": Weights(lambda: with_meta(temperature=1e30)),
    "temperature true": Weights(lambda: with_meta(temperature=True)),
    "reject_below 2": Weights(lambda: with_meta(reject_below=2)),
    "reject_below 'abc'": Weights(lambda: with_meta(reject_below="abc")),
    "val_accuracy 1e30": Weights(lambda: with_meta(val_accuracy=1e30)),
    "val_accuracy -1": Weights(lambda: with_meta(val_accuracy=-1)),
    "personal 'yes'": Weights(lambda: with_meta(personal="yes")),
    "no model": Weights(lambda: with_meta(model=DROP)),
    "model a string": Weights(lambda: with_meta(model="mlp")),
    # the model's layers
    "zero layers": Weights(lambda: with_model([])),
    "first layer relu": Weights(lambda: with_model([RELU, DENSE(784, 10)])),
    "first layer dropout": Weights(lambda: with_model([{"type": "dropout", "p": 0.5}, DENSE(784, 10)])),
    "relu after relu": Weights(lambda: with_model([DENSE(784, 16), RELU, RELU, DENSE(16, 10)])),
    "layers that do not chain": Weights(lambda: with_model([DENSE(784, 32), RELU, DENSE(16, 10)])),
    "20 classes": Weights(lambda: with_model([DENSE(784, 20)])),
    "last layer relu": Weights(lambda: with_model([DENSE(784, 10), RELU])),
    "input [10]": Weights(lambda: with_model([DENSE(10, 10)], (10,))),
    "input []": Weights(lambda: with_model([DENSE(784, 10)], ())),
    "input [28, 28]": Weights(lambda: with_model([DENSE(784, 10)], (28, 28))),
    "input [784.0]": Weights(lambda: with_model([DENSE(784, 10)], [784.0])),
    "input '784'": Weights(lambda: with_model([DENSE(784, 10)], "784")),
    "maxpool after dense": Weights(lambda: with_model([DENSE(784, 16), POOL, DENSE(16, 10)])),
    "flatten of flat values": Weights(lambda: with_model([DENSE(784, 16), FLAT, DENSE(16, 10)])),
    "dense on an image": Weights(lambda: with_model([CONV(1, 4), DENSE(4, 10)], (28, 28, 1))),
    "conv k=0": Weights(lambda: with_model([CONV(1, 4, 0), *CNN[1:]], (28, 28, 1))),
    "conv k=2": Weights(lambda: with_model([CONV(1, 4, 2), *CNN[1:]], (28, 28, 1))),
    "conv k=100000": Weights(lambda: with_model([CONV(1, 4, 100_000), *CNN[1:]], (28, 28, 1)), bomb=True),
    "conv of 2 channels on 1": Weights(lambda: with_model([CONV(2, 4), *CNN[1:]], (28, 28, 1))),
    "maxpool of 7×7": Weights(lambda: with_model([CONV(1, 4), POOL, POOL, POOL, FLAT, DENSE(4 * 3 * 3, 10)], (28, 28, 1))),
    "a 10^6×10^6 layer (360 bytes)": Weights(lambda: with_model([DENSE(784, 10**6), RELU, DENSE(10**6, 10**6), RELU, DENSE(10**6, 10)]), bomb=True),
    "a 20000×20000 layer": Weights(lambda: with_model([DENSE(784, 20_000), RELU, DENSE(20_000, 20_000), RELU, DENSE(20_000, 10)]), bomb=True),
    "70 layers": Weights(lambda: with_model([DENSE(784, 10)] + [DENSE(10, 10)] * 69)),
    "dropout p=1": Weights(lambda: with_model([DENSE(784, 16), RELU, {"type": "dropout", "p": 1}, DENSE(16, 10)])),
    "dropout p='x'": Weights(lambda: with_model([DENSE(784, 16), RELU, {"type": "dropout", "p": "x"}, DENSE(16, 10)])),
    "layer type softmax": Weights(lambda: with_model([DENSE(784, 10), {"type": "softmax"}])),
    "layer type a list": Weights(lambda: with_model([DENSE(784, 10), {"type": ["dense"]}])),
    "layer not an object": Weights(lambda: with_model([DENSE(784, 10), 3])),
    "layer with an extra setting": Weights(lambda: with_model([{**DENSE(784, 10), "bias": False}])),
    "size true": Weights(lambda: with_model([DENSE(784, 16), RELU, DENSE(16, True)])),
    "size 10.0": Weights(lambda: with_model([DENSE(784, 16), RELU, DENSE(16, 10.0)])),
    "size -3": Weights(lambda: with_model([DENSE(784, -3), RELU, DENSE(-3, 10)])),
    # good files, which must load
    "the good file": Weights(good_weights, loads=True),
    "stored, not deflated": Weights(lambda: npz(*good_parts(), compressed=False), loads=True),
    "Fortran-order arrays": Weights(lambda: with_arrays({"0.W": np.asfortranarray(good_parts()[1]["0.W"])}), loads=True),
    "no reject_below nor val_accuracy": Weights(lambda: with_meta(val_accuracy=DROP), loads=True),
    "a small CNN": Weights(lambda: with_model(CNN, (28, 28, 1)), loads=True),
}


# --- UNIPEN distributions -------------------------------------------------------------------

# One writer's data file: components 0 (down, a 1), 1 (up), 2 (down, a 7).
UNIPEN_DATA = (".WRITER_ID w1\n.X_POINTS_PER_INCH 200\n.Y_POINTS_PER_INCH 200\n"
               ".PEN_DOWN\n0 0\n0 -90\n.PEN_UP\n5 5\n.PEN_DOWN\n-40 0\n40 0\n0 -90\n")
UNIPEN_SEGMENTS = '.SEGMENT CHARACTER 0 OK "1"\n.SEGMENT CHARACTER 2 OK "7"\n'
UNIPEN = ["py.unipen", "--data", "{d}/u", "--out", "{d}/u.npz"]


def unipen(segments: str = UNIPEN_SEGMENTS, data: str = UNIPEN_DATA, others: dict[str, str] | None = None
           ) -> Callable[[Path], None]:
    """A UNIPEN distribution {d}/u of one writer: the segment file
    data/1a/abc/w1.dat (including abc/w1.dat, then `segments`), the data
    file include/abc/w1.dat (`data`), and `others` (a path in {d}/u -> its
    text). "{d}" in any text is the case's folder."""
    def make(d: Path) -> None:
        texts = {"data/1a/abc/w1.dat": ".INCLUDE abc/w1.dat\n" + segments, "include/abc/w1.dat": data, **(others or {})}
        for name, text in texts.items():
            (d / "u" / name).parent.mkdir(parents=True, exist_ok=True)
            (d / "u" / name).write_text(text.replace("{d}", str(d)), "latin-1")
    return make


def swapped(name: str, how: Callable[[Path], object]) -> Callable[[Path], None]:
    """{d}/NAME replaced by what `how(path)` makes there (a link, a FIFO)."""
    def make(d: Path) -> None:
        os.unlink(d / name)
        how(d / name)
    return make


def nest(d: Path, depth: int) -> None:
    """A segment file `depth` folders below data/1a (made one folder at a
    time: os.makedirs recurses)."""
    folder = d / "u" / "data" / "1a"
    for _ in range(depth):
        folder /= "f"
        folder.mkdir()
    (folder / "w1.dat").write_text(".INCLUDE abc/w1.dat\n" + UNIPEN_SEGMENTS)


def unipen_case(name: str, make: Callable[[Path], None], command: list[str] = UNIPEN, **kw: object) -> Case:
    return Case(f"unipen: {name}", command, make, **kw)


def unipen_cases() -> list[Case]:
    segment = lambda label: f'.SEGMENT CHARACTER 0 OK "{label}"\n'      # noqa: E731
    stroke = ".PEN_DOWN\n" + "".join(f"{i % 1000} {i // 1000}\n" for i in range(100_000))   # 100,000 points, 1.1 MB
    components = ".PEN_DOWN\n0 0\n" * 100_000                                                 # 1.4 MB
    return [
        unipen_case("a good distribution", unipen(), succeeds="read 2 characters"),
        # labels: one digit in data/1a; one letter or symbol in the others
        *(unipen_case(f"label {v!r} in 1a", unipen(segment(v)))
          for v in ["x", "", "\\\\", "\xff", "1" * 23, "10", "12", "-1"]),
        *(unipen_case(f"label {v!r} in 1b", unipen(others={"data/1b/abc/w1.dat": ".INCLUDE abc/w1.dat\n" + segment(v)}))
          for v in ["7", "ab", " "]),
        *(unipen_case(f"label {v!r} in 1a, through {c[0]}", unipen(segment(v)), c) for v in ["x", "10"] for c in (
            train("--data", "unipen:{d}/u"), ["py.evaluate", "--weights", "{d}/good.npz", "--data", "unipen:{d}/u"])),
        unipen_case("a range of 5,000 digits", unipen(segment("1").replace(" 0 ", " " + "9" * 5000 + " "))),
        unipen_case("a range of 20 digits", unipen(segment("1").replace(" 0 ", " 0:" + "9" * 20 + " "))),
        # includes: cycles, nesting, paths out of include/
        unipen_case("a .doc that includes itself", unipen(data=".INCLUDE abc/w1.doc\n" + UNIPEN_DATA,
                                                          others={"include/abc/w1.doc": ".INCLUDE abc/w1.doc\n"})),
        unipen_case("two .docs that include each other", unipen(data=".INCLUDE abc/a.doc\n" + UNIPEN_DATA, others={
            "include/abc/a.doc": ".INCLUDE abc/b.doc\n", "include/abc/b.doc": ".INCLUDE abc/a.doc\n"})),
        unipen_case("a segment file including a .doc that includes itself",
                    unipen(".INCLUDE abc/w1.doc\n" + UNIPEN_SEGMENTS, others={"include/abc/w1.doc": ".INCLUDE abc/w1.doc\n"})),
        unipen_case(".docs nested 20 deep", unipen(data=".INCLUDE abc/0.doc\n" + UNIPEN_DATA, others={
            f"include/abc/{i}.doc": f".INCLUDE abc/{i + 1}.doc\n" for i in range(20)})),
        unipen_case("a data file including ../../outside.doc",
                    unipen(data=".INCLUDE ../../outside.doc\n" + UNIPEN_DATA, others={"outside.doc": ".WRITER_ID x\n"})),
        unipen_case("a data file including an absolute path",
                    unipen(data=".INCLUDE {d}/u/outside.doc\n" + UNIPEN_DATA, others={"outside.doc": ".WRITER_ID x\n"})),
        unipen_case("a segment file including an absolute path",
                    unipen(".INCLUDE {d}/u/outside.dat\n" + UNIPEN_SEGMENTS, others={"outside.dat": UNIPEN_DATA})),
        unipen_case("a data file linked to outside", both(
            unipen(), swapped("u/include/abc/w1.dat", lambda p: os.symlink(p.parent.parent.parent / "w1.dat", p)),
            write("u/w1.dat", UNIPEN_DATA))),
        # what is read: regular files only, and not too large
        unipen_case("a segment file linked to /dev/zero", both(unipen(), swapped("u/data/1a/abc/w1.dat",
                                                                             lambda p: os.symlink("/dev/zero", p))), bomb=True),
        unipen_case("a data file linked to /dev/zero", both(unipen(), swapped("u/include/abc/w1.dat",
                                                                          lambda p: os.symlink("/dev/zero", p))), bomb=True),
        unipen_case("a segment file that is a FIFO", both(unipen(), swapped("u/data/1a/abc/w1.dat",
                                                                            lambda p: os.mkfifo(p)))),
        unipen_case("a data file that is a FIFO", both(unipen(), swapped("u/include/abc/w1.dat",
                                                                         lambda p: os.mkfifo(p)))),
        unipen_case("a .doc that is a FIFO", both(unipen(data=".INCLUDE abc/w1.doc\n" + UNIPEN_DATA,
                                                         others={"include/abc/w1.doc": ""}),
                                                  swapped("u/include/abc/w1.doc", lambda p: os.mkfifo(p)))),
        unipen_case("a segment file that is a folder", both(unipen(), swapped("u/data/1a/abc/w1.dat", os.mkdir))),
        unipen_case("a 40 GB sparse data file", both(unipen(), sparse("u/include/abc/w1.dat", b".PEN_DOWN\n")), bomb=True),
        unipen_case("a segment file unreadable", both(unipen(), unreadable("u/data/1a/abc/w1.dat")), nobody=True),
        # memory: what the segments take, against what the files hold
        unipen_case("one stroke of 100,000 points named by 20,000 segments",
                    unipen(segment("1") * 20_000, stroke), bomb=True),
        unipen_case("100,000 components included 10,000 times",
                    unipen(".INCLUDE abc/w1.dat\n" * 10_000 + segment("1"), components), bomb=True),
        unipen_case("20,000 segments spanning 100,000 components",
                    unipen(segment("1").replace(" 0 ", " 0-99999 ") * 20_000, components), bomb=True),
        # numbers: coordinates and resolution
        *(unipen_case(f"a coordinate {v}", unipen(data=UNIPEN_DATA.replace("\n40 0\n", f"\n{v} 0\n")))
          for v in ["1e308", "-1e300", "nan", "inf", "1e9"]),
        unipen_case("a digit of one point", unipen(segment("1"), ".PEN_DOWN\n5 5\n"), succeeds="read 1 characters"),
        *(unipen_case(f"{k} {v}", unipen(data=UNIPEN_DATA.replace(".X_POINTS_PER_INCH 200", f".{k} {v}")))
          for k, v in [("X_POINTS_PER_INCH", "1e-308"), ("X_POINTS_PER_INCH", "1e308"), ("X_POINTS_PER_MM", "0"),
                       ("X_POINTS_PER_INCH", "nan")]),
        # folders
        unipen_case("1,500 nested folders", both(unipen(), lambda d: nest(d, 1500))),
        unipen_case("not a distribution", folder("u")),
    ]


# --- the command-line cases -------------------------------------------------------------

def train(*options: str) -> list[str]:
    return [*TRAIN, *options]


def csv_case(name: str, content: str | bytes, succeeds: str | None = None) -> Case:
    return Case(f"csv: {name}", train(*(["--out", "{d}/w.npz"] if succeeds else [])), write("d.csv", content), succeeds)


def idx_case(name: str, make: Callable[[Path], None], **kw: object) -> Case:
    return Case(f"idx: {name}", train("--data", "{d}/m"), make, **kw)


def option_case(*options: str, make: Callable[[Path], object] = lambda d: None, **kw: object) -> Case:
    return Case("train " + " ".join(o or "''" for o in options), train(*options), make, **kw)


def cases() -> list[Case]:
    header_count = lambda n: idx(np.zeros(0, np.uint8), dims=(n, 28, 28))      # noqa: E731
    return [
        # CSV fields and first lines
        *(csv_case(f"field {v!r} on line 5", csv_with(4, 300, v))
          for v in ["²", "①", "٣", "1_0", "+3", "3.0", "0x1f", "1e2", "inf", "nan", "", "-", "3-", "\u00a03", "x1"]),
        csv_case("pixel 2**63", csv_with(4, 300, str(2**63))),
        csv_case("label 2**63", csv_with(4, 0, str(2**63))),
        csv_case("pixel of 20,000 digits", csv_with(4, 300, "9" * 20_000)),
        csv_case("label 10", csv_with(4, 0, "10")),
        csv_case("pixel 256", csv_with(4, 300, "256")),
        csv_case("pixel -1", csv_with(4, 300, "-1")),
        csv_case("label -2 on line 1", csv_with(0, 0, "-2")),      # -1 is a label: not a digit
        csv_case("label nan on line 1", csv_with(0, 0, "nan")),
        csv_case("empty label on line 1", csv_with(0, 0, "")),
        csv_case("label 'seven' on line 1", csv_with(0, 0, "seven")),
        csv_case("a line of 3 values", csv_text() + "3,0,0\n"),
        csv_case("a line of 200 KB", csv_text() + "0," * 100_000 + "0\n"),
        csv_case("1 MB of NUL bytes", bytes(MiB)),
        csv_case("bytes that are not UTF-8", csv_with(4, 300, "\xff").encode("latin-1")),
        csv_case("UTF-16", (HEADER + "\n" + csv_text()).encode("utf-16")),
        csv_case("a header, no data", HEADER + "\n"),
        csv_case("every label -1 (no digit)", csv_text([["-1", *r[1:]] for r in ROWS])),      # would replace good.npz
        csv_case("2 rows (none to validate on)", csv_text(ROWS[:2])),
        csv_case("a header of 3 columns", "label,pixel0,pixel1\n" + csv_text()),
        csv_case("empty", ""),
        csv_case("blank lines only", "\n \n\n"),
        csv_case("BOM, then a header", "\ufeff" + HEADER + "\n" + csv_text(), HEADER_SKIPPED),    # more in test_data.py
        # files that are not plain files, or cannot be read
        Case("data /proc/self/mem", train("--data", "/proc/self/mem")),
        Case("data /dev/zero", train("--data", "/dev/zero")),
        Case("data a FIFO", train("--data", "{d}/fifo"), fifo("fifo")),
        Case("data a 40 GB sparse CSV", train("--data", "{d}/big.csv"), sparse("big.csv", csv_text().encode()), bomb=True),
        Case("data a 40 GB file of NUL bytes", train("--data", "{d}/big.csv"), sparse("big.csv", b""), bomb=True),
        Case("data a symlink loop", train("--data", "{d}/loop"), lambda d: os.symlink(d / "loop", d / "loop")),
        Case("data unreadable CSV", train(), unreadable("d.csv"), nobody=True),
        Case("data unreadable folder", train("--data", "{d}/m"), both(mnist(), unreadable("m")), nobody=True),
        Case("data folder without x", train("--data", "{d}/m"), both(mnist(), unreadable("m", 0o644)), nobody=True),
        Case("data in an unreadable folder", train("--data", "{d}/m/x.csv"), both(folder("m"), write("m/x.csv", csv_text()), unreadable("m")), nobody=True),
        Case("data ''", train("--data", "")),
        # IDX files
        idx_case("dimensions whose product overflows", mnist(images=idx(IMAGES, dims=(2**32 - 1, 2**32 - 1, 2**32 - 1)))),
        idx_case("2**31 images declared", mnist(images=header_count(2**31))),
        idx_case("0×0 images", mnist(images=idx(IMAGES, dims=(30, 0, 0)))),
        idx_case("images truncated", mnist(images=idx(IMAGES)[:1000])),
        idx_case("extra bytes", mnist(images=idx(IMAGES) + b"xx")),
        idx_case("bad magic", mnist(images=idx(LABELS))),
        idx_case("labels 10..19", mnist(labels=idx(LABELS + 10))),
        idx_case("20 labels for 30 images", mnist(labels=idx(LABELS[:20]))),
        idx_case("truncated gzip", mnist(images=gzip.compress(idx(IMAGES))[:-100], gz=True)),
        idx_case("corrupt gzip", mnist(images=gzip.compress(idx(IMAGES))[:50] + bytes(200), gz=True)),
        idx_case("images a folder", both(mnist(), lambda d: os.unlink(d / "m/train-images-idx3-ubyte"), folder("m/train-images-idx3-ubyte"))),
        idx_case("images a link to /dev/zero", both(mnist(), lambda d: os.unlink(d / "m/train-images-idx3-ubyte"),
                                                  lambda d: os.symlink("/dev/zero", d / "m/train-images-idx3-ubyte"))),
        idx_case("images unreadable", both(mnist(), unreadable("m/train-images-idx3-ubyte")), nobody=True),
        idx_case("gzip bomb: 2.6 MB inflating to 2.5 GiB, header 60,000", mnist(images=gz_bomb(header_count(60_000)), gz=True), bomb=True),
        idx_case("gzip bomb: header 250,000 (the limit)", mnist(images=gz_bomb(header_count(250_000)), gz=True), bomb=True),
        idx_case("gzip bomb: header 3,423,000 (all of it)", mnist(images=gz_bomb(header_count(3_423_000)), gz=True), bomb=True),
        idx_case("gzip bomb: labels", mnist(labels=gz_bomb(idx(np.zeros(0, np.uint8), dims=(30,))), gz=True), bomb=True),
        idx_case("40 GB sparse images file", both(mnist(), sparse("m/train-images-idx3-ubyte", header_count(30))), bomb=True),
        # options
        *(option_case("--nondigits", v) for v in ["-1", "nan", "inf", "1e6"]),
        *(option_case("--layers", v) for v in ["784,99999999999,10", "784,0,10", "784,-5,10", "784,", ",,,", "abc", "",
                                              "784," + "16," * 100 + "10", "784," + "9" * 40 + ",10", "784,20000,20000,10"]),
        *(option_case("--model", "cnn", "--layers", v) for v in ["0,0,0", "100000,1,1", "784,16,10", "8,16"]),
        *(option_case("--lr", v) for v in ["nan", "inf", "-inf", "1e30", "1e400", "-1", "0"]),
        option_case("--lr", "1e30", "--optimizer", "sgd"),
        *(option_case("--weight-decay", v) for v in ["nan", "inf", "-1"]),
        *(option_case(o, v) for o, v in [("--epochs", "0"), ("--epochs", "-1"), ("--epochs", "x"), ("--batch-size", "0"),
                                          ("--dropout", "1"), ("--dropout", "nan"), ("--dropout", "-0.1"),
                                          ("--seed", "-1"), ("--seed", "x"), ("--model", "rnn"), ("--optimizer", "x")]),
        option_case("--out", "{d}"),
        option_case("--out", ""),
        option_case("--out", "{d}/d.csv/w.npz"),
        option_case("--out", "{d}/null", make=device("null")),
        option_case("--out", "{d}/ro/w.npz", make=folder("ro"), nobody=True),
        option_case("--out", "{d}/d.csv"),
        option_case("--log", "{d}/good.npz"),
        option_case("--log", "{d}/d.csv"),
        option_case("--log", "{d}"),
        option_case("--log", "{d}/ro/log.csv", make=folder("ro"), nobody=True),
        option_case("--plot", "{d}"),
        option_case("--plot", "{d}/ro/p.svg", make=folder("ro"), nobody=True),
        option_case("--plot", "{d}/fifo", make=fifo("fifo")),
        # the other tools
        Case("evaluate --weights /dev/zero", ["py.evaluate", "--weights", "/dev/zero"], bomb=True),
        Case("evaluate --weights /proc/self/mem", ["py.evaluate", "--weights", "/proc/self/mem"]),
        Case("evaluate --weights a folder", ["py.evaluate", "--weights", "{d}"]),
        Case("evaluate --weights missing", ["py.evaluate", "--weights", "{d}/nope.npz"]),
        Case("evaluate --weights unreadable", ["py.evaluate", "--weights", "{d}/good.npz"], unreadable("good.npz"), nobody=True),
        Case("evaluate --weights a 40 GB sparse file", ["py.evaluate", "--weights", "{d}/big.npz"], sparse("big.npz", good_weights()), bomb=True),
        Case("evaluate --data a bad CSV", ["py.evaluate", "--weights", "{d}/good.npz", "--data", "{d}/d.csv"], write("d.csv", csv_with(4, 0, "²"))),
        Case("calibrate a bad file", ["py.calibrate", "--weights", "{d}/bad.npz"], write("bad.npz", with_meta(temperature="abc"))),
        Case("calibrate in a read-only folder", ["py.calibrate", "--weights", "{d}/ro/w.npz"],
             both(folder("ro"), write("ro/w.npz", good_weights())), nobody=True),
        *(Case(f"augment {o} {v}", ["py.augment", o, v, *(["--out", "{d}/a.png"] if o != "--out" else [])])
          for o, v in [("--rows", "-1"), ("--rows", "0"), ("--rows", "100000"), ("--seed", "-1"), ("--out", "{d}"), ("--out", "")]),
        Case("train --out on a disk with 16 kB free", train("--out", "{d}/disk/w.npz"), disk=16 << 10),
        Case("replay --out a folder", ["py.replay", "--out", "{d}"]),
        # A missing --data too: a py.sweep without the bound on --jobs stops there,
        # before starting its workers, instead of forking until memory runs out.
        Case("sweep --jobs 1000000", ["py.sweep", "lr=0.1", "--jobs", "1000000", "--data", "{d}/missing.csv"]),
        Case("sweep --storage mysql:// without its driver", ["py.sweep", "lr=0.1", "--storage", "mysql://u:secret@127.0.0.1:1/db"],
             secret="secret"),
        Case("sweep --storage with a port that is no number",
             ["py.sweep", "lr=0.1", "--storage", "postgresql://u:secret@127.0.0.1:notaport/db"], secret="secret"),
        Case("sweep --storage with an @ in its password",
             ["py.sweep", "lr=0.1", "--storage", "postgresql://u:xyzzy@plugh@127.0.0.1:1/db"], secret="plugh"),
        Case("sweep --storage on a closed port", ["py.sweep", "lr=0.1", "--storage", "postgresql://u:secret@127.0.0.1:1/db"],
             secret="secret"),
        Case("sweep --storage a server that never answers",
             ["py.sweep", "lr=0.1", "--storage", "postgresql://u:secret@/db?host={d}"], silent_server, secret="secret"),
        # weights files, through py.evaluate
        *(Case(f"weights: {name}", EVALUATE, write("bad.npz", w.build), bomb=w.bomb) for name, w in WEIGHTS.items() if not w.loads),
        Case("weights: the good file", EVALUATE, write("bad.npz", good_weights), "accuracy"),   # the others: test_hostile.py
        *unipen_cases(),
    ]


# --- running a case -----------------------------------------------------------------------

@contextlib.contextmanager
def tmpfs(folder: Path, size: int) -> Iterator[Path]:
    """A file system of `size` bytes (a tmpfs, mounted by root) at `folder`,
    made for the while: a disk that is nearly full."""
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True, capture_output=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def run(case: Case, timeout: float = TIMEOUT) -> Outcome:
    """Run `case` in a fresh folder, in a forked child, and judge it."""
    d = Path(tempfile.mkdtemp(prefix="hostile-"))
    try:
        with tmpfs(d / "disk", case.disk) if case.disk else contextlib.nullcontext():
            os.chmod(d, 0o777 if case.nobody else 0o755)    # nobody may write its outputs there
            (d / "weights").mkdir()
            for good in ("good.npz", "weights/mlp.npz"):
                (d / good).write_bytes(good_weights())
            (d / "d.csv").write_text(csv_text())
            made = case.make(d)          # a listening socket, say: closed once the tool has run
            argv = [a.replace("{d}", str(d)) for a in case.argv]
            before = snapshot(d)
            disk_mb = sum(blocks * 512 for mode, *_, blocks in before.values() if not stat.S_ISDIR(mode)) / MiB
            code, out, err, seconds, peak_mb = fork(argv, d, nobody=case.nobody, timeout=timeout)
            problems = judge(case, code, out, err, before, snapshot(d))
            if made is not None:
                made.close()
            return Outcome(code, out, err, seconds, peak_mb, disk_mb, problems)
    finally:
        subprocess.run(["rm", "-rf", str(d)], check=False)      # root: whatever the modes; shutil.rmtree recurses


def snapshot(d: Path) -> dict[str, tuple]:
    """Every entry under `d`: its kind, size, inode and time of change (a
    rewrite or a replacement changes one of them), and its blocks on disk.
    Found a folder at a time: os.walk recurses, and a case may nest 1,500."""
    seen, todo = {}, [d]
    while todo:
        with os.scandir(todo.pop()) as found:
            for entry in found:
                s = entry.stat(follow_symlinks=False)
                seen[os.path.relpath(entry.path, d)] = (s.st_mode, s.st_size, s.st_ino, s.st_mtime_ns, s.st_blocks)
                if entry.is_dir(follow_symlinks=False):
                    todo.append(entry.path)
    return seen


def judge(case: Case, code: int, out: str, err: str, before: dict, after: dict) -> list[str]:
    problems = []
    if "Traceback" in err:
        problems.append("traceback")
    if case.secret and case.secret in out + err:
        problems.append("said the password")
    if code is None:
        problems.append("timeout")
    elif case.succeeds is not None:
        if code != 0:
            problems.append(f"exit {code}, should succeed")
        elif case.succeeds not in out:
            problems.append(f"output lacks {case.succeeds!r}")
    elif code == 0:
        problems.append("accepted")
    elif code != 2:
        problems.append(f"exit {code}")
    elif len(err.strip().splitlines()) != 1:
        problems.append("not one line")
    changed = sorted(k for k in before if after.get(k) != before[k])
    if changed:
        problems.append("damaged " + " ".join(changed))
    left = sorted(set(after) - set(before))
    if left and code != 0:
        problems.append("left " + " ".join(left))
    return problems


def fork(argv: list[str], d: Path, *, nobody: bool, timeout: float) -> tuple:
    """Run `python -m argv[0] argv[1:]` in a forked child, in `d`: (exit code,
    or None on a timeout, stdout, stderr, seconds, peak MB beyond what the
    child had at its start)."""
    import resource                                 # POSIX only: this module is also imported inside Pyodide

    from py.io import errors
    module = importlib.import_module(argv[0])       # imported here: user nobody cannot read the standard library
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        pipe, tell = os.pipe()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.write(tell, str(_status("VmRSS")).encode())    # where the child starts: a fork shares our pages
                os.close(tell)
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
                sys.stdout, sys.stderr = open(1, "w", closefd=False), open(2, "w", closefd=False)
                os.chdir(d)
                limit = _status("VmSize") * 1024 + 8 * GiB       # a runaway case fails, the machine does not
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
                if nobody:
                    os.setgroups([])
                    os.setgid(NOBODY)
                    os.setuid(NOBODY)
                sys.argv = list(argv)
                code = _main(errors, module)
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        os.close(tell)
        with os.fdopen(pipe) as f:
            base = int(f.read() or 0)
        code, usage = None, None
        while time.perf_counter() - started < timeout:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                code = os.waitstatus_to_exitcode(status)
                break
            time.sleep(0.002)
        else:
            os.kill(pid, signal.SIGKILL)
            _, _, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return (code, out.read().decode(errors="replace"), err.read().decode(errors="replace"), seconds,
                (usage.ru_maxrss - base) / 1024)


def _main(errors, module) -> int:
    """What `python -m module` does around our tools' `errors.run(main)`."""
    try:
        errors.run(module.main)
        return 0
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else int(e.code is not None)
    except BaseException:
        traceback.print_exc()
        return 1


def _status(key: str) -> int:
    """A figure in kB from /proc/self/status (VmRSS, VmSize)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)
