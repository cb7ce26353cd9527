"""Drawings that are no digit, as a person keeps them ("Not a digit" on the
page): label -1 in the samples CSV, which the command line reads and trains
on, and which the page's fine-tuning learns to turn away."""

import json

import numpy as np
import pytest
from conftest import NO_EXTRAS, assert_clean_error, run_cli

from py.cli import checkout
from py import replay as make_replay
from py.io import data, replayset
from py.page import app, preprocess

HEART = np.array([(0.5, 0.3), (0.35, 0.12), (0.15, 0.2), (0.15, 0.45), (0.5, 0.85), (0.85, 0.45), (0.85, 0.2),
                  (0.65, 0.12), (0.5, 0.3)])


def heart(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A heart drawn by hand, each a little different: (points, ends) as the page sends them."""
    corners = 0.5 + (HEART + rng.normal(0, 0.02, HEART.shape) - 0.5) * rng.uniform(0.7, 1.0)
    points = [corners[0]] + [a + (b - a) * t for a, b in zip(corners, corners[1:]) for t in np.linspace(0, 1, 11)[1:]]
    return np.array(points, np.float32).ravel(), np.array([len(points)], np.int32)


def pixels(points: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """(784,) uint8: the drawing as the page keeps a sample of it."""
    return np.round(255 * preprocess.from_strokes(preprocess.split_strokes(points, ends), 1.0).ravel()).astype(np.uint8)


def write_samples(path, labels: list[int], rng: np.random.Generator) -> None:
    rows = ["label," + ",".join(f"pixel{i}" for i in range(784))]
    rows += [",".join(map(str, [label, *rng.integers(0, 256, 784)])) for label in labels]
    path.write_text("\n".join(rows) + "\n")


def test_the_csv_label_minus_one_is_read_as_a_non_digit_and_only_trained_on(tmp_path):
    labels = [3, -1, 7, 0, -1, 5, 9, 2, 4, 1, 6, -1, 8, 3]
    write_samples(tmp_path / "mine.csv", labels, np.random.default_rng(0))
    x, y, header = data.csv_file(tmp_path / "mine.csv")
    assert header and list(y) == labels and x.shape == (14, 784)
    ds = checkout.dataset(str(tmp_path / "mine.csv"))
    assert sorted(ds.train[1].tolist() + ds.val[1].tolist()) == sorted(labels)
    assert data.NOT_A_DIGIT not in ds.val[1] and (ds.train[1] == data.NOT_A_DIGIT).sum() == 3
    assert "3 non-digits (label -1)" in ds.name


def test_any_other_negative_label_is_refused_in_one_line(tmp_path):
    write_samples(tmp_path / "bad.csv", [3, -2], np.random.default_rng(0))
    assert_clean_error(run_cli("py.evaluate", "--weights", "weights/mlp.npz", "--data", str(tmp_path / "bad.csv")),
                       "bad.csv: line 3, column 1: label -2 is not a digit 0..9 (nor -1, not a digit)")


def test_training_learns_no_digit_for_label_minus_one(tmp_path):
    """The same drawing, labelled 3 a dozen times in one file and -1 in
    another: trained on the first it reads as a 3, on the second as no digit
    (its probabilities spread over all ten)."""
    from py.train import fit, parse_args
    rng = np.random.default_rng(2)
    blob = rng.integers(0, 256, 784)
    top = {}
    for label in (3, -1):
        rows = ["label," + ",".join(f"pixel{i}" for i in range(784))]
        rows += [",".join(map(str, [d % 10, *rng.integers(0, 256, 784)])) for d in range(60)]
        rows += [",".join(map(str, [label, *blob]))] * 12
        (tmp_path / "mine.csv").write_text("\n".join(rows) + "\n")
        ds = checkout.dataset(str(tmp_path / "mine.csv"))
        args = parse_args(["--data", str(tmp_path / "mine.csv"), "--layers", "784,32,10", "--epochs", "30",
                           "--batch-size", "16", "--no-augment", *NO_EXTRAS])
        model = fit(args, ds)[0]
        top[label] = float(model.predict_proba(blob[None].astype(np.float32) / 255).max())
    assert top[3] > 0.8 and top[-1] < 0.3, top


def test_evaluating_counts_non_digits_apart(tmp_path):
    write_samples(tmp_path / "mine.csv", [d % 10 for d in range(20)] + [-1] * 5, np.random.default_rng(1))
    text = run_cli("py.evaluate", "--weights", "weights/mlp.npz", "--data", str(tmp_path / "mine.csv"))
    assert text.returncode == 0, text.stderr
    assert "on 20 images" in text.stdout and "non-digits (label -1): 5, " in text.stdout
    r = json.loads(run_cli("py.evaluate", "--weights", "weights/mlp.npz", "--data", str(tmp_path / "mine.csv"),
                           "--json").stdout)
    assert r["n"] == 20 and r["nondigits"] == 5 and 0 <= r["nondigits_refused"] <= 1
    only = tmp_path / "only.csv"
    write_samples(only, [-1, -1], np.random.default_rng(1))
    assert_clean_error(run_cli("py.evaluate", "--weights", "weights/mlp.npz", "--data", str(only)),
                       "no digits to evaluate on (only non-digits)")


def test_the_page_reads_non_digits_from_a_samples_file(tmp_path):
    write_samples(tmp_path / "mine.csv", [-1, 4, -1], np.random.default_rng(0))
    got = app.read_samples((tmp_path / "mine.csv").read_bytes(), "mine.csv")
    assert np.frombuffer(got["labels"], np.int8).tolist() == [-1, 4, -1]      # signed bytes: the page reads -1


@pytest.fixture(scope="module")
def replay_bytes() -> bytes:
    return replayset.to_bytes(make_replay.make())


@pytest.mark.slow
def test_fine_tuning_learns_to_turn_away_what_a_person_says_is_no_digit(replay_bytes):
    """The shipped MLP reads a heart as a 0; after learning from five hearts
    kept as "Not a digit", five other hearts get "not sure", and the MNIST
    check digits lose at most a point."""
    app.load_replay(replay_bytes)
    app.load_model("mlp", (checkout.WEIGHTS / "mlp.npz").read_bytes())
    rng = np.random.default_rng(0)
    kept, fresh = [heart(rng) for _ in range(5)], [heart(rng) for _ in range(5)]
    assert sum(app.predict("mlp", p, e, 1.0)["digit"] == 0 for p, e in fresh) >= 3
    start = app.start_finetune("mlp", np.concatenate([pixels(p, e) for p, e in kept]), np.full(5, -1, np.int8))
    assert start["before"]["yours"] == 0.0               # none of the five is turned away yet
    while not (progress := app.train_slice(20))["done"]:
        pass
    result = progress["result"]
    assert result["after"]["yours"] == 1.0
    assert [app.predict("mlp", p, e, 1.0)["sure"] for p, e in fresh] == [False] * 5
    assert result["after"]["mnist"] >= start["before"]["mnist"] - 0.01
    # The network's description compares like with like: the same check digits before and after.
    assert result["model"]["val_before"] == start["before"]["mnist"]
    assert result["model"]["val_accuracy"] == result["after"]["mnist"]
