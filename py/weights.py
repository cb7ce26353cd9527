"""Weights files: one `.npz` holding every parameter ("0.W", "0.b", … as in
`Model.parameters()`) plus a JSON string "meta" describing the model:

    format, version   "digits-weights", 1
    model             Model.spec(): input shape and the list of layer specs
    layer_sizes       Model.sizes(): [784, 128, 10] for an MLP, ["conv32", "conv64", 128, 10] for a CNN
    activation        "relu" (hidden), with a softmax output
    temperature       divides the logits before softmax (calibration), 1.0 if not calibrated
    command, data, val_accuracy, date, …: how the file was made

Files load from a path (the CLI) or from bytes (the page fetches them).
"""

import io
import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from .errors import BadInput
from .model import Model, from_spec

FORMAT, VERSION = "digits-weights", 1


def to_bytes(model: Model, meta: dict) -> bytes:
    meta = {"format": FORMAT, "version": VERSION, "model": model.spec(),
            "layer_sizes": model.sizes(), "activation": "relu", "temperature": 1.0, **meta}
    arrays = {name: p for name, p, _ in model.parameters()}
    buffer = io.BytesIO()
    np.savez_compressed(buffer, meta=np.array(json.dumps(meta)), **arrays)
    return buffer.getvalue()


def save(path: str | Path, model: Model, meta: dict) -> None:
    """Write atomically: a crash or Ctrl-C never leaves a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = to_bytes(model, meta)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)   # mkstemp makes it private; weights are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def load(path: str | Path) -> tuple[Model, dict]:
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise BadInput(f"{path}: cannot read ({e.strerror})") from None
    return from_bytes(data, str(path))


def from_bytes(data: bytes, name: str = "weights") -> tuple[Model, dict]:
    """(model, meta) from the bytes of a weights file; `name` is used in errors."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, KeyError) as e:
        why = "it holds Python objects, which are never loaded" if "Object arrays" in str(e) else "not a zip of arrays"
        raise BadInput(f"{name}: not a weights file ({why}). Export one from this page or write one "
                       f"with python -m py.train.") from None
    if "meta" not in arrays:
        raise BadInput(f"{name}: no 'meta' entry, not a weights file of this project")
    try:
        meta = json.loads(str(arrays.pop("meta")))
        if meta.get("format") != FORMAT:
            raise BadInput(f"{name}: meta: format is {meta.get('format')!r}, expected {FORMAT!r}")
        if meta.get("version") != VERSION:
            raise BadInput(f"{name}: meta: version {meta.get('version')!r}, this program reads version {VERSION}")
        model = from_spec(meta["model"])
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise BadInput(f"{name}: meta: malformed model description ({e!r})") from None
    expected = {n: p for n, p, _ in model.parameters()}
    if set(arrays) != set(expected):
        missing, extra = sorted(set(expected) - set(arrays)), sorted(set(arrays) - set(expected))
        raise BadInput(f"{name}: arrays do not match the model (missing {missing}, unexpected {extra})")
    for key, target in expected.items():
        a = arrays[key]
        if a.shape != target.shape:
            raise BadInput(f"{name}: array {key}: shape {a.shape}, the model needs {target.shape}")
        if a.dtype != np.float32:
            raise BadInput(f"{name}: array {key}: dtype {a.dtype}, expected float32")
        if not np.isfinite(a).all():
            raise BadInput(f"{name}: array {key}: holds NaN or infinite values")
        target[...] = a
    model.flush_subnormals()
    return model, meta

