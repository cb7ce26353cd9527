"""The non-digit set: where it comes from, what it leaves out, how it is drawn."""

import numpy as np
import pytest
from conftest import run_cli

from py.cli.checkout import HELD_OUT_GLYPHS
from py.drawings import fonts, nondigits, shapes, strokeset
from py.io.errors import BadInput

# Written exactly like digits by many people: never taught as "not a digit".
LIKE_DIGITS = set("OoIlZzSsbgq0123456789()[]{}/\\|!'`\"°Øø§∫‖∃¦")


@pytest.fixture(scope="module")
def trained() -> list[strokeset.Drawing]:
    return strokeset.load(fonts.TRAIN_FILE)


@pytest.fixture(scope="module")
def held() -> list[strokeset.Drawing]:
    return strokeset.load(HELD_OUT_GLYPHS)


def test_training_and_held_out_fonts_never_meet(trained, held):
    trained, held = {d.source for d in trained}, {d.source for d in held}
    assert not any(fonts.held_out(s) for s in trained) and all(fonts.held_out(s) for s in held)
    assert {s.split("-")[0] for s in trained} == {"hershey", "hand"} and len(trained & held) == 0
    assert len(held) == 9 + len(fonts.HANDWRITING_HELD_OUT)           # nine EMS faces, six handwriting fonts


def test_what_is_written_like_a_digit_is_left_out(trained, held):
    for d in trained + held:
        if d.group != "digit":
            assert d.label.split()[-1] not in LIKE_DIGITS, (d.source, d.label)


def test_every_group_is_there(trained, held):
    count = lambda drawings, group: sum(d.group == group for d in drawings)
    assert count(trained, "letter") > 1000 and count(trained, "symbol") > 400 and count(trained, "shape") >= 20
    assert count(held, "letter") > 600 and count(held, "symbol") > 350
    # Every font's ten digits: the training fonts' to train on, the held-out fonts' only to report.
    assert count(trained, "digit") == 10 * (len(fonts.LATIN) + len(fonts.HANDWRITING))
    assert count(held, "digit") == 10 * (9 + len(fonts.HANDWRITING_HELD_OUT))


@pytest.mark.processes
def test_the_committed_glyph_files_are_what_the_command_makes(tmp_path):
    """Training is reproducible from a fresh clone: the committed files come
    from `python -m py.glyphs` (PyPI hershey-fonts and fonttools, npm hersheytext
    and @fontsource), byte for byte."""
    train, held_out = tmp_path / "train.npz", tmp_path / "held.npz"
    result = run_cli("py.glyphs", "--train", str(train), "--held-out", str(held_out))
    assert result.returncode == 0, result.stderr
    assert train.read_bytes() == fonts.TRAIN_FILE.read_bytes()
    assert held_out.read_bytes() == HELD_OUT_GLYPHS.read_bytes()


def test_a_stroke_set_keeps_its_drawings(tmp_path):
    drawings = [strokeset.Drawing([np.array([[0, 0], [3, 6]], np.float32), np.array([[1, 1]], np.float32)],
                                  "x", "letter", "hand", 0.5),
                strokeset.Drawing([np.array([[2, 1], [4, 1], [3, 2]], np.float32)], "heart", "shape", "hand")]
    strokeset.save(tmp_path / "s.npz", drawings)
    back = strokeset.load(tmp_path / "s.npz")
    assert [(d.label, d.group, d.source, d.extent) for d in back] == [("x", "letter", "hand", 0.5), ("heart", "shape", "hand", 1.0)]
    # Each drawing in its unit box: the longer side spans 0..1, the shorter is centered.
    np.testing.assert_allclose(back[0].strokes[0], [[0.25, 0], [0.75, 1]], atol=1 / 255)
    np.testing.assert_allclose(back[1].strokes[0], [[0, 0.25], [1, 0.25], [0.5, 0.75]], atol=1 / 255)


def test_a_bad_stroke_set_is_refused(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(BadInput, match="bad.npz: not a stroke set"):
        strokeset.load(bad)


def test_making_non_digits_follows_the_seed_and_the_shares():
    a, groups = nondigits.make(40, np.random.default_rng(1))
    b, _ = nondigits.make(40, np.random.default_rng(1))
    assert a.shape == (40, 784) and a.dtype == np.float32 and np.array_equal(a, b)
    assert a.min() >= 0 and a.max() <= 1 and (a.max(axis=1) > 0.5).all()          # every one has ink
    assert np.bincount(groups, minlength=4).tolist() == [round(s * 40) for s in nondigits.SHARE]


@pytest.mark.slow
def test_the_training_fonts_digits_are_drawn_as_labeled_digits():
    images, labels = nondigits.font_digits(2, np.random.default_rng(1))
    faces = len(fonts.LATIN) + len(fonts.HANDWRITING)
    assert images.shape == (2 * 10 * faces, 784) and images.dtype == np.float32
    assert np.unique(labels, return_counts=True)[1].tolist() == [2 * faces] * 10
    assert (images.max(axis=1) > 0.5).all()
    first, second = images[:10 * faces], images[10 * faces:]            # each glyph twice, by different hands
    assert np.abs(first - second).max(axis=1).min() > 0.1


@pytest.mark.parametrize("kind", list(shapes.MAKERS))
def test_every_shape_is_drawn_in_its_box(kind):
    rng = np.random.default_rng(0)
    for _ in range(5):
        strokes = shapes.MAKERS[kind](rng)
        points = np.concatenate(strokes)
        assert points.shape[1] == 2 and np.isfinite(points).all()
        assert points.min() > -0.2 and points.max() < 1.2 and np.ptp(points, axis=0).max() > 0.3
