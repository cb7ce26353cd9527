"""Learning a person's handwriting, and looking inside the network."""

import re

import numpy as np
import pytest
from conftest import REPO

from py import replay as make_replay
from py.io import replayset, weights
from py.nn.distort import bilinear, thickness
from py.nn.metrics import report
from py.nn.model import cnn_spec, from_spec, mlp_spec
from py.page import app, explain, finetune

MNIST_DROP = 0.01      # fine-tuning may cost at most 1 point of MNIST validation accuracy


@pytest.fixture(scope="module")
def replay_set():
    return replayset.from_bytes(replayset.to_bytes(make_replay.make()))


def personal_style(x: np.ndarray) -> np.ndarray:
    """Someone who writes very thick and wide. (A style the page can deliver: it
    keeps a drawing's proportions but always centers it, and so does
    augmentation, so a style of writing off to one side never reaches the network.)"""
    images = x.reshape(-1, 28, 28)
    for _ in range(3):
        images = thickness(images, np.ones(len(images), np.float32))
    ys, xs = np.mgrid[0:28, 0:28].astype(np.float32)
    center = (28 - 1) / 2
    wide = center + (xs - center) * 0.6          # read closer to the middle: the digit comes out 1/0.6 as wide
    shape = images.shape
    return np.clip(bilinear(images, np.broadcast_to(wide, shape), np.broadcast_to(ys, shape)), 0, 1).reshape(len(x), -1)


@pytest.mark.slow
def test_finetuning_learns_a_personal_style_without_forgetting_mnist(embedded, replay_set):
    model, _ = weights.load(REPO / "weights" / "mlp.npz")
    (x, y), (xv, yv) = embedded.train, embedded.val
    mine = personal_style(x[y == 4][:20])
    held_out = personal_style(xv[yv == 4])
    fours = np.full(len(held_out), 4)
    before, mnist_before = report(model, held_out, fours)["accuracy"], report(model, xv, yv)["accuracy"]
    trainer = finetune.make_trainer(model, mine, np.full(20, 4), replay_set, np.random.default_rng(0))
    while trainer.done < trainer.total_steps:
        trainer.step()
    after, mnist_after = report(model, held_out, fours)["accuracy"], report(model, xv, yv)["accuracy"]
    assert before < 0.7 and after > 0.95
    assert mnist_after >= mnist_before - MNIST_DROP


@pytest.mark.parametrize("n", [1, 20, 1000])
def test_finetuning_takes_the_budgeted_steps_however_many_samples(n):
    replay_set = {"x_train": np.zeros((3000, 784), np.float32), "y_train": np.arange(3000) % 10,
                  "x_nondigit": np.zeros((600, 784), np.float32)}
    x, y = np.zeros((n, 784), np.float32), np.arange(n) % 10
    for kind, spec in (("mlp", mlp_spec([784, 16, 10])), ("cnn", cnn_spec(2, 2, 8))):
        trainer = finetune.make_trainer(from_spec(spec), x, y, replay_set, np.random.default_rng(0))
        assert trainer.total_steps == finetune.BUDGET[kind][0]


def test_the_docs_state_the_finetuning_budget():
    """One source: the page shows BUDGET's steps, and so must docs/architecture.md."""
    stated = re.search(r"fixed number of steps \((\d+) for the MLP, (\d+) for\s+the\s+CNN",
                       (REPO / "docs" / "architecture.md").read_text())
    assert stated and tuple(map(int, stated.groups())) == (finetune.BUDGET["mlp"][0], finetune.BUDGET["cnn"][0])


def test_hold_out_only_with_enough_samples():
    rng = np.random.default_rng(0)
    x, y = np.zeros((5, 784)), np.arange(5)
    assert finetune.hold_out(x, y, rng)[1] is None
    (tx, ty), (hx, hy) = finetune.hold_out(np.zeros((12, 784)), np.arange(12), rng)
    assert len(hy) == 3 and len(ty) == 9 and not set(hy) & set(ty)


def test_attribution_of_a_linear_model_sums_to_the_logit_difference():
    model = from_spec(mlp_spec([784, 10]), seed=1)
    model.layers[0].params["b"][:] = np.random.default_rng(0).standard_normal(10)
    x = np.random.default_rng(1).random(784).astype(np.float32)
    for digit in (0, 3, 9):
        a = explain.attribution(model, x, digit)
        difference = model.forward(x[None])[0, digit] - model.forward(np.zeros((1, 784), np.float32))[0, digit]
        assert a.sum() == pytest.approx(difference, rel=1e-4)


def test_attribution_credits_the_ink_for_the_answer():
    """A 1's stroke is what makes the network say 1: its attribution toward 1
    adds up to more than toward any other digit, and the top of the map lies
    on the stroke."""
    model, _ = weights.load(REPO / "weights" / "mlp.npz")
    x = np.zeros((28, 28), np.float32)
    x[4:24, 13:16] = 1
    totals = [explain.attribution(model, x.ravel(), d).sum() for d in range(10)]
    assert int(np.argmax(totals)) == 1 and totals[1] > 0
    a = explain.attribution(model, x.ravel()).reshape(28, 28)
    assert x[np.unravel_index(np.argmax(a), a.shape)] == 1


def test_pictures_of_the_first_layer():
    mlp, cnn = from_spec(mlp_spec([784, 40, 10])), from_spec(cnn_spec(8, 16, 32))
    assert explain.first_layer(mlp).shape == (32, 28, 28)
    assert explain.first_layer(cnn).shape == (8, 3, 3)
    assert np.abs(explain.first_layer(cnn)).max() == pytest.approx(1)


def test_samples_read_from_a_csv_file_come_back_as_the_page_stores_them():
    images = np.random.default_rng(0).integers(0, 256, (3, 784))
    rows = ["label," + ",".join(f"pixel{i}" for i in range(784))]
    rows += [",".join(map(str, [d, *img])) for d, img in zip((3, 0, 9), images)]
    got = app.read_samples(("\n".join(rows) + "\n").encode(), "some/folder/mine.csv")
    assert np.array_equal(np.frombuffer(got["images"], np.uint8).reshape(3, 784), images)
    assert list(got["labels"]) == [3, 0, 9]
    with pytest.raises(app.BadInput, match=r"^mine\.csv: line 1: expected 785 values"):
        app.read_samples(b"1,2,3\n", "some/folder/mine.csv")     # the person's file named, not a temporary copy
