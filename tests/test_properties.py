"""Property-based tests (hypothesis) of the loaders and the command-line
options: whatever the input, a loader returns what the file holds or raises
BadInput with one line naming the file; never another exception. The
example budget is fixed and the examples derandomized, so every run tries
the same inputs in a few seconds."""

import gzip
import io
import json
import math
import re
import struct

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from py.io import data, weights
from py.io.errors import BadInput
from py.nn.model import cnn_spec, from_spec, mlp_spec
from py.nn.spec import MAX_PARAMETERS, check_spec
from py.train import parse_args

FEW = settings(max_examples=60, deadline=None, derandomize=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
MANY = settings(FEW, max_examples=150)


def refused(e: BadInput, name: str) -> None:
    """A refusal as the standards want it: one line, naming the file or option."""
    assert str(e).startswith(name) and "\n" not in str(e), str(e)


# --- CSV -------------------------------------------------------------------------

def rows_strategy(n_max: int = 4):
    return st.integers(1, n_max).flatmap(lambda n: st.tuples(
        hnp.arrays(np.uint8, (n, 784), elements=st.integers(0, 255)),
        hnp.arrays(np.uint8, n, elements=st.integers(0, 9))))


@FEW
@given(table=rows_strategy(), header=st.booleans(), bom=st.booleans(), crlf=st.booleans(),
       spaces=st.booleans(), blank=st.booleans(), final_newline=st.booleans())
def test_csv_round_trip(tmp_path, table, header, bom, crlf, spaces, blank, final_newline):
    """Every well-formed variant loads every row, exactly; the header is skipped, and said to be."""
    pixels, labels = table
    sep, end = (" , " if spaces else ","), ("\r\n" if crlf else "\n")
    lines = ([sep.join(["label", *(f"pixel{i}" for i in range(784))])] if header else [])
    lines += [sep.join(map(str, [label, *row])) for label, row in zip(labels, pixels)]
    text = ("\ufeff" if bom else "") + (end * (2 if blank else 1)).join(lines) + (end if final_newline else "")
    path = tmp_path / "d.csv"
    path.write_bytes(text.encode())
    x, y, skipped = data.csv_file(path)
    assert skipped == header
    assert np.array_equal(y, labels) and np.array_equal(np.round(x * 255), pixels)


def plain_value(field: str) -> int | None:
    """An independent reading of one field: ASCII digits, an optional minus,
    ASCII white space around; None when it is not a whole number."""
    text = field.encode("utf-8").strip()
    body = text[1:] if text.startswith(b"-") else text
    if not body or not body.isdigit():
        return None
    return int(text)


@MANY
@given(field=st.one_of(st.text(alphabet=st.characters(blacklist_characters=",\n"), max_size=30),
                       st.integers(-300, 300).map(str), st.integers(-2**70, 2**70).map(str),
                       st.integers(0, 300).map(lambda v: "0" * 20 + str(v))),
       row=st.integers(0, 2), column=st.sampled_from([0, 1, 400, 784]))
def test_csv_one_field_changed(tmp_path, field, row, column):
    """One field of a good 3-row file replaced by anything: it loads with that
    value when the value is a plain whole number in range, else BadInput
    names its line and column."""
    rows = [[str(r % 10)] + ["7"] * 784 for r in range(3)]
    rows[row][column] = field
    path = tmp_path / "d.csv"
    path.write_bytes("\n".join(",".join(r) for r in rows).encode() + b"\n")
    value = plain_value(field.removeprefix("\ufeff") if (row, column) == (0, 0) else field)   # a BOM starts a file
    if value is not None and 0 <= value <= (9 if column == 0 else 255):
        x, y, _ = data.csv_file(path)
        got = y[row] if column == 0 else round(x[row, column - 1] * 255)
        assert got == value and len(y) == 3
    else:
        with pytest.raises(BadInput) as e:
            data.csv_file(path)
        refused(e.value, str(path))
        assert f"line {row + 1}" in str(e.value)


@MANY
@given(noise=st.binary(max_size=200), at=st.integers(0, 10_000), cut=st.integers(0, 20_000))
def test_csv_any_bytes(tmp_path, noise, at, cut):
    """Bytes spliced into a good file, which is then cut: loads (labels
    0..9, pixels in [0, 1]) or BadInput."""
    good = "\n".join(",".join([str(r)] + ["0"] * 784) for r in range(5)).encode()
    path = tmp_path / "d.csv"
    path.write_bytes((good[:at] + noise + good[at:])[:cut])
    try:
        x, y, _ = data.csv_file(path)
    except BadInput as e:
        refused(e, str(path))
        return
    assert x.shape == (len(y), 784) and x.dtype == np.float32 and 0 <= x.min() and x.max() <= 1
    assert set(y) <= set(range(10))


# --- IDX -------------------------------------------------------------------------

def idx_bytes(array: np.ndarray) -> bytes:
    return struct.pack(">I", 0x800 + array.ndim) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()


@FEW
@given(images=hnp.arrays(np.uint8, st.tuples(st.integers(0, 5), st.just(28), st.just(28))), gz=st.booleans())
def test_idx_round_trip(tmp_path, images, gz):
    path = tmp_path / "images"
    raw = idx_bytes(images)
    path.write_bytes(gzip.compress(raw) if gz else raw)
    assert np.array_equal(data.read_idx(path, "images"), images)


@MANY
@given(magic=st.sampled_from([0x803, 0x801, 0x808, 0]), dims=st.lists(st.integers(0, 2**32 - 1), min_size=3, max_size=3),
       small=st.booleans(), payload=st.integers(0, 3000), gz=st.booleans(), cut=st.integers(0, 4000))
def test_idx_any_header(tmp_path, magic, dims, small, payload, gz, cut):
    """Any magic number and dimensions (or near-valid small ones), any amount
    of data, cut anywhere: the images the header declares, or BadInput."""
    if small:
        dims = [dims[0] % 4, 28, 28]
    raw = (struct.pack(">4I", magic, *dims) + bytes(payload))[:cut]
    path = tmp_path / "images"
    path.write_bytes(gzip.compress(raw) if gz else raw)
    try:
        images = data.read_idx(path, "images")
    except BadInput as e:
        refused(e, str(path))
        return
    assert images.shape == (dims[0], 28, 28) and len(raw) == 16 + images.size


@MANY
@given(flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 255)), min_size=1, max_size=4),
       cut=st.integers(0, 10**6))
def test_idx_gzip_damaged(tmp_path, flips, cut):
    raw = bytearray(gzip.compress(idx_bytes(np.arange(3 * 784, dtype=np.uint8).reshape(3, 28, 28))))
    for at, bits in flips:
        raw[at % len(raw)] ^= bits
    path = tmp_path / "images.gz"
    path.write_bytes(bytes(raw[:cut]))
    try:
        images = data.read_idx(path, "images")
    except BadInput as e:
        refused(e, str(path))
        return
    assert images.shape[1:] == (28, 28)


# --- weights files ------------------------------------------------------------------

specs = st.one_of(
    st.lists(st.integers(1, 24), min_size=0, max_size=3).map(lambda hidden: mlp_spec([784, *hidden, 10])),
    st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(1, 8)).map(lambda s: cnn_spec(*s)))


@FEW
@given(spec=specs, seed=st.integers(0, 2**32))
def test_weights_round_trip(spec, seed):
    model = from_spec(spec, seed)
    again, meta = weights.from_bytes(weights.to_bytes(model, {"val_accuracy": 0.5}))
    assert again.spec() == model.spec() and meta["val_accuracy"] == 0.5
    assert all(np.array_equal(p, q) for (_, p, _), (_, q, _) in zip(model.parameters(), again.parameters()))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8)
GOOD = weights.to_bytes(from_spec(mlp_spec([784, 8, 10]), 0), {"val_accuracy": 0.5, "reject_below": 0.6})


def rewritten(raw: bytes, change) -> bytes:
    with np.load(io.BytesIO(raw)) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(str(arrays.pop("meta")))
    change(meta)
    buffer = io.BytesIO()
    np.savez(buffer, meta=np.array(json.dumps(meta)), **arrays)
    return buffer.getvalue()


def loads_and_answers(raw: bytes) -> dict | None:
    """The meta of a file that loads (its model then answers 10 finite
    probabilities for any image), or None after a proper refusal."""
    try:
        model, meta = weights.from_bytes(raw, "w.npz")
    except BadInput as e:
        refused(e, "w.npz")
        return None
    probs = model.predict_proba(np.random.default_rng(0).random((2, 784), np.float32), meta.get("temperature", 1.0))
    assert probs.shape == (2, 10) and np.isfinite(probs).all()
    return meta


@MANY
@given(key=st.sampled_from(["temperature", "reject_below", "val_accuracy", "personal", "version", "format", "model"]),
       value=json_values)
def test_weights_meta_field(key, value):
    """Any JSON value in a meta field: the file loads only when the value is
    one that field may hold."""
    meta = loads_and_answers(rewritten(GOOD, lambda m: m.update({key: value})))
    if meta is not None:
        low, high = weights.RANGES.get(key, (-math.inf, math.inf))
        if key in weights.RANGES:
            assert type(value) in (int, float) and low <= value <= high
        elif key == "personal":
            assert isinstance(value, bool)
        elif key == "model":
            check_spec(value)
        else:
            assert value == {"format": weights.FORMAT, "version": weights.VERSION}[key]


layer_values = st.one_of(st.integers(-2, 40), st.sampled_from([784, 10, 0, 2**63, 10**12, 1.0, True, None, "8"]))
layers = st.one_of(
    st.fixed_dictionaries({"type": st.just("dense"), "in": layer_values, "out": layer_values}),
    st.fixed_dictionaries({"type": st.just("conv2d"), "in": layer_values, "out": layer_values, "k": layer_values}),
    st.fixed_dictionaries({"type": st.sampled_from(["relu", "flatten", "maxpool2d", "softmax"])}),
    st.fixed_dictionaries({"type": st.just("dropout"), "p": st.one_of(st.floats(), st.integers(-1, 2))}),
    st.sampled_from([{"type": "dense", "in": 784, "out": 10}, {"type": "dense", "in": 10, "out": 10},
                     {"type": "conv2d", "in": 1, "out": 2, "k": 3}, {"type": "flatten"}, {"type": "relu"}]))


@settings(MANY, max_examples=300)
@given(input_shape=st.sampled_from([[784], [28, 28, 1], [10], [], [28, 28]]), layer_list=st.lists(layers, max_size=6))
def test_weights_any_model(input_shape, layer_list):
    """Any list of layers: check_spec refuses it (ValueError), or the model it
    describes builds with those parameter shapes and maps images to 10 logits."""
    spec = {"input_shape": input_shape, "layers": layer_list}
    try:
        shapes = check_spec(spec)
    except ValueError as e:
        assert "\n" not in str(e)
        return
    model = from_spec(spec)
    assert {n: p.shape for n, p, _ in model.parameters()} == shapes
    assert model.forward(np.zeros((2, 784), np.float32)).shape == (2, 10)


@MANY
@given(flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(1, 255)), max_size=4),
       noise=st.binary(max_size=64), at=st.integers(0, 10**6), cut=st.integers(0, 10**6))
def test_weights_any_bytes(flips, noise, at, cut):
    """Bytes flipped, spliced and cut anywhere in a good file (stored, so
    flips reach values and headers, not only the deflate stream)."""
    raw = bytearray(rewritten(GOOD, lambda m: None))
    for where, bits in flips:
        raw[where % len(raw)] ^= bits
    at %= len(raw) + 1
    loads_and_answers(bytes(raw[:at] + noise + raw[at:])[:cut])


# --- command-line options -------------------------------------------------------------

numbers = st.one_of(st.floats().map(repr), st.integers(-2**70, 2**70).map(str),
                    st.sampled_from(["nan", "inf", "-inf", "1e400", "1e-400", "0x10", "", "one"]))


@MANY
@given(option=st.sampled_from(["--epochs", "--batch-size", "--lr", "--weight-decay", "--dropout", "--nondigits", "--seed"]),
       value=numbers)
def test_train_numeric_options(option, value):
    """Any value of a numeric option of py.train: refused naming the option,
    or within what training can use."""
    try:
        args = parse_args(["--layers", "784,8,10", f"{option}={value}"])
    except BadInput as e:
        refused_option(e, option)
        return
    assert args.epochs >= 1 and args.batch_size >= 1 and args.seed >= 0
    assert 0 < args.lr < math.inf and 0 <= args.weight_decay < math.inf
    assert 0 <= args.dropout < 1 and 0 <= args.nondigits <= 1


def refused_option(e: BadInput, option: str) -> None:
    """Refused by our checks ("--lr nan: ...") or by argparse's ("argument --lr: invalid float value: 'x'")."""
    message = str(e)
    assert message.startswith(option) or re.match(f"argument {option}: invalid (int|float) value", message), message
    assert "\n" not in message


@MANY
@given(model=st.sampled_from(["mlp", "cnn"]),
       sizes=st.lists(st.one_of(st.integers(-5, 100_000), st.sampled_from([784, 10, 2**64]).map(int)), max_size=5)
       .map(lambda s: ",".join(map(str, s))) | st.text(max_size=20))
def test_train_layers_option(model, sizes):
    """Any --layers: refused naming it, or a network within the size limits."""
    try:
        args = parse_args(["--model", model, f"--layers={sizes}"])
    except BadInput as e:
        refused_option(e, "--layers")
        return
    assert sum(math.prod(s) for s in check_spec(args.spec).values()) <= MAX_PARAMETERS
