"""Training, the weights file format, and the shipped weights."""

import contextlib
import json
import re
import shutil
import signal
import subprocess
import sys

import numpy as np
import pytest
from conftest import NO_EXTRAS, QUICK, REPO, assert_clean_error, run_cli, write_rows
from harness.hostile import tmpfs

from py.io import weights
from py.io.errors import BadInput
from py.nn.metrics import report
from py.nn.model import from_spec, mlp_spec
from py.train import main as train_main
from py.train import parse_args


@pytest.mark.slow
def test_short_training_run_learns(tmp_path, embedded):
    """2 epochs of a 784-64-10 MLP: far above chance (10%); a wrong gradient or a
    missing shuffle stays far below 90%."""
    out = tmp_path / "w.npz"
    train_main(["--layers", "784,64,10", "--epochs", "2", "--dropout", "0", "--no-augment", *QUICK,
                "--out", str(out)])
    model, meta = weights.load(out)
    acc = report(model, *embedded.val)["accuracy"]
    assert acc > 0.90
    assert meta["val_accuracy"] == acc and meta["layer_sizes"] == [784, 64, 10]
    assert meta["command"].startswith("python -m py.train --layers 784,64,10")


@pytest.mark.slow
def test_same_seed_same_weights_bit_for_bit(tmp_path):
    """Everything random in `py.train` (split, initialisation, shuffling,
    augmentation, non-digits, dropout) follows --seed: a small data set is
    enough to show it."""
    data = write_rows(tmp_path / "d.csv", 300)
    paths = [tmp_path / f"{i}.npz" for i in range(3)]
    for path, seed, extra in zip(paths, (5, 5, 6), ([], [], NO_EXTRAS)):
        train_main(["--data", str(data), "--layers", "784,32,10", "--epochs", "2", "--seed", str(seed), "--font-digits", "1", *extra,
                    "--out", str(path)])
    a, b, c = ({n: p for n, p, _ in weights.load(p)[0].parameters()} for p in paths)
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert not any(np.array_equal(a[k], c[k]) for k in a if k.endswith(".W"))


@pytest.mark.slow
def test_log_and_plot(tmp_path):
    """Both written when training ends, in a folder made for them."""
    log, svg = tmp_path / "new" / "batches.csv", tmp_path / "new" / "curves.svg"
    result = run_cli("py.train", "--layers", "784,32,10", "--epochs", "2", "--batch-size", "500", *QUICK,
                     "--out", str(tmp_path / "w.npz"), "--log", str(log), "--plot", str(svg))
    assert result.returncode == 0, result.stderr
    rows = log.read_text().splitlines()
    assert rows[0] == "batch,epoch,loss" and len(rows) == 1 + 2 * 16      # 8000 / 500 = 16 batches
    assert rows[-1].startswith("32,2,") and float(rows[1].split(",")[2]) > float(rows[-1].split(",")[2])
    assert svg.read_text().startswith("<svg") and svg.read_text().count("<polyline") == 4
    epoch_lines = [l for l in result.stdout.splitlines() if l.startswith("epoch")]
    assert len(epoch_lines) == 2 and "samples/s" in epoch_lines[0]
    assert "confusion" in result.stdout


def test_round_trip_from_bytes():
    model = from_spec(mlp_spec([784, 20, 10]), seed=3)
    again, meta = weights.from_bytes(weights.to_bytes(model, {"note": "x"}))
    x = np.random.default_rng(0).random((4, 784), np.float32)
    assert np.array_equal(model.forward(x), again.forward(x))
    assert meta["note"] == "x" and meta["version"] == weights.VERSION


def rewrite(path, drop=(), version=None, **changes):
    """Rewrite a weights file with some arrays replaced or dropped."""
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files if k not in drop}
    if version is not None:
        meta = json.loads(str(arrays["meta"]))
        arrays["meta"] = np.array(json.dumps({**meta, "version": version}))
    np.savez(path, **{**arrays, **changes})


BAD_WEIGHTS = {
    "truncated": (lambda p: p.write_bytes(p.read_bytes()[:500]), "not a readable .npz weights file"),
    "not npz": (lambda p: p.write_text("hello"), "not a readable .npz weights file"),
    "wrong shape": (lambda p: rewrite(p, **{"0.W": np.zeros((784, 7), np.float32)}), "array 0.W: shape (784, 7), the model needs (784, 32)"),
    "wrong dtype": (lambda p: rewrite(p, **{"0.b": np.zeros(32)}), "array 0.b: dtype float64, expected float32"),
    "nan": (lambda p: rewrite(p, **{"2.b": np.full(10, np.nan, np.float32)}), "array 2.b: holds NaN"),
    "missing array": (lambda p: rewrite(p, drop=["2.b"]), "missing ['2.b']"),
    "version": (lambda p: rewrite(p, version=9), "version 9, this program reads version 1"),
}


@pytest.mark.parametrize("case", BAD_WEIGHTS)
def test_bad_weights_file(tmp_path, case):
    path = tmp_path / "w.npz"
    weights.save(path, from_spec(mlp_spec([784, 32, 10])), {})
    damage, message = BAD_WEIGHTS[case]
    damage(path)
    assert_clean_error(run_cli("py.evaluate", "--weights", str(path)), str(path), message)


@pytest.mark.processes
def test_ctrl_c_leaves_no_weights_file(tmp_path):
    out = tmp_path / "w.npz"
    proc = subprocess.Popen([sys.executable, "-m", "py.train", "--layers", "784,16,10", "--epochs", "500",
                             *QUICK, "--out", str(out)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().startswith("data:")
    proc.stdout.readline()
    assert proc.stdout.readline().startswith("epoch")      # training is under way
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.processes
def test_train_runs_from_a_fresh_clone(tmp_path):
    """`python -m py.train` from a clone's root uses the clone's package, not
    pytest's `py` shim nor another checkout (the clone's package is all it needs)."""
    clone = tmp_path / "clone"
    files = subprocess.run(["git", "ls-files", "py"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    for f in files:
        (clone / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / f, clone / f)
    write_rows(clone / "d.csv", 50)
    result = subprocess.run([sys.executable, "-m", "py.train", "--data", "d.csv", "--epochs", "1", *NO_EXTRAS,
                             "--out", "w.npz"],
                            cwd=clone, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (clone / "w.npz").exists()
    where = subprocess.run([sys.executable, "-c", "import py.train; print(py.train.__file__)"],
                           cwd=clone, capture_output=True, text=True)
    assert where.stdout.strip() == str(clone / "py" / "train.py")


@pytest.fixture(scope="module")
def mnist60k():
    from py.cli import checkout
    return checkout.dataset("mnist60k")


@pytest.mark.parametrize("name", ["mlp", "cnn"])
def test_shipped_weights_match_the_docs(name, mnist60k):
    """docs/networks.md states each shipped model's accuracy on the MNIST
    validation digits; check it."""
    model, meta = weights.load(REPO / "weights" / f"{name}.npz")
    acc = report(model, *mnist60k.val, meta["temperature"])["accuracy"]
    doc = (REPO / "docs" / "networks.md").read_text()
    stated = re.search(rf"`weights/{name}\.npz`[^\n]*?(\d+\.\d+)\s*%", doc)
    assert stated, f"docs/networks.md has no accuracy for weights/{name}.npz"
    assert f"{100 * acc:.2f}" == stated.group(1)
    assert meta["val_by_source"][mnist60k.name] == pytest.approx(acc)


@pytest.mark.parametrize("options, message", [
    (["--layers", "784,x,10"], "--layers 784,x,10: expected comma-separated"),
    (["--layers", "100,10"], "the first size must be 784"),
    (["--model", "cnn", "--layers", "8,16"], "a CNN takes three sizes"),
    (["--layers", "784,99999999,10"], "layer 0 (dense): out is 99999999, expected a whole number from 1 to 16,384"),
    (["--seed", "-1"], "--seed -1: expected a whole number from 0 up"),
    (["--lr", "nan"], "--lr nan: expected a number above 0"),
    (["--nondigits", "-1"], "--nondigits -1: expected a number from 0 to 1"),
    (["--font-digits", "101"], "--font-digits 101: expected a whole number from 0 to 100"),
    (["--out", ""], "--out: empty file name"),
    (["--plot", "{tmp}"], "is a directory"),
    (["--log", "{tmp}/d.csv/log.csv"], "is not a folder"),
    (["--log", "{tmp}/d.csv"], "--log {tmp}/d.csv: the same file as --data"),
])
def test_bad_options_fail_before_anything(tmp_path, options, message):
    data = write_rows(tmp_path / "d.csv", 10)
    options = [o.replace("{tmp}", str(tmp_path)) for o in options]
    with pytest.raises(BadInput, match=re.escape(message.replace("{tmp}", str(tmp_path)))):
        parse_args(["--data", str(data), *options])
    assert sorted(tmp_path.iterdir()) == [data]


def test_diverging_training_stops_and_writes_nothing(tmp_path):
    """--lr 1e30 used to train "successfully" and replace --out with NaN weights."""
    data, out, log = write_rows(tmp_path / "d.csv", 100), tmp_path / "w.npz", tmp_path / "log.csv"
    weights.save(out, from_spec(mlp_spec([784, 8, 10])), {})
    before = out.read_bytes()
    with pytest.raises(BadInput, match=r"training diverged at epoch 1, batch \d+: the loss is nan \(--lr 1e\+30 is too large"):
        train_main(["--data", str(data), "--layers", "784,16,10", "--lr", "1e30", "--epochs", "3", *NO_EXTRAS,
                    "--out", str(out), "--log", str(log)])
    assert out.read_bytes() == before and not log.exists()


@pytest.fixture
def small_disk(tmp_path):
    """A file system of 512 kB, as a nearly full disk."""
    with tmpfs(tmp_path / "disk", 512 << 10) as disk:
        yield disk


def fill(disk, *, leave: int = 0) -> None:
    """Write a file on `disk` until at most `leave` bytes are free."""
    with open(disk / "filler", "wb") as f:
        with contextlib.suppress(OSError):         # ENOSPC: full
            while shutil.disk_usage(disk).free > leave:
                f.write(bytes(4096))
                f.flush()


@pytest.mark.processes
def test_too_little_room_for_the_weights_is_said_before_training(tmp_path, small_disk):
    """A 784-16-10 network's file may take 116,456 bytes: with 16 kB free,
    the run is refused at once, in one line, and the old file is kept."""
    data, out = write_rows(tmp_path / "d.csv", 100), small_disk / "w.npz"
    weights.save(out, from_spec(mlp_spec([784, 16, 10])), {})
    before = out.read_bytes()
    fill(small_disk, leave=16 << 10)
    result = run_cli("py.train", "--data", str(data), "--layers", "784,16,10", "--epochs", "1", *NO_EXTRAS,
                     "--out", str(out))
    assert_clean_error(result, f"--out {out}: ", " bytes free on its file system, too little for the 116,456 bytes")
    assert result.stdout == ""                      # not a line of training
    assert out.read_bytes() == before and sorted(p.name for p in small_disk.iterdir()) == ["filler", "w.npz"]


@pytest.mark.processes
def test_a_disk_that_fills_during_training_is_one_line_and_the_old_file_is_kept(tmp_path, small_disk):
    """Room enough when training starts; the disk fills while it trains
    (the run stopped meanwhile): writing the weights meets ENOSPC, said in
    one line with exit 2, and neither the old file nor a temporary one is
    changed or left."""
    data, out = write_rows(tmp_path / "d.csv", 100), small_disk / "w.npz"
    weights.save(out, from_spec(mlp_spec([784, 16, 10])), {})
    before = out.read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "py.train", "--data", str(data), "--layers", "784,16,10",
                             "--epochs", "100", "--no-augment", *NO_EXTRAS, "--out", str(out)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while not (line := proc.stdout.readline()).startswith("epoch"):       # training is under way
        assert line, proc.communicate()
    proc.send_signal(signal.SIGSTOP)
    fill(small_disk)
    proc.send_signal(signal.SIGCONT)
    out_text, err = proc.communicate(timeout=120)
    assert_clean_error(subprocess.CompletedProcess(proc.args, proc.returncode, out_text, err),
                       f"{out}: cannot write it (No space left on device); a file already there is kept")
    assert out.read_bytes() == before and sorted(p.name for p in small_disk.iterdir()) == ["filler", "w.npz"]
