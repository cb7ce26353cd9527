"""The pen's path as the second network reads it (py/page/path.py), and how
its answer joins the image network's in the page's one door, classify."""

import numpy as np
import pytest

from py.io import weights
from py.nn.model import PATH_CHANNELS, PATH_INPUTS, PATH_POINTS, from_spec, mlp_spec
from py.page import app, path

SEVEN = [np.array([[0.2, 0.2], [0.8, 0.2], [0.4, 0.9]], np.float32)]             # one stroke
CROSSED_SEVEN = SEVEN + [np.array([[0.4, 0.55], [0.75, 0.55]], np.float32)]      # and a bar, drawn last


def rows(strokes) -> np.ndarray:
    """(POINTS, CHANNELS): x, y, pen, cos, sin."""
    return path.features(strokes).reshape(PATH_POINTS, PATH_CHANNELS)


def test_the_path_is_centered_scaled_and_resampled_evenly():
    f = rows(SEVEN)
    assert f.shape == (PATH_POINTS, PATH_CHANNELS) and f.dtype == np.float32
    xy = f[:, :2]
    # Centered on its box, the longer side 1 (resampling may cut a corner by a little).
    assert np.allclose((xy.min(axis=0) + xy.max(axis=0)) / 2, 0, atol=0.01)
    assert np.isclose(np.ptp(xy, axis=0).max(), 1, atol=1e-6)
    steps = np.hypot(*np.diff(xy, axis=0).T)
    # Even spacing along the path: only the step that cuts the corner is shorter.
    assert np.median(steps) > 0 and (np.abs(steps - np.median(steps)) < 1e-4).mean() > 0.9
    assert np.allclose(np.hypot(f[:, 3], f[:, 4]), 1, atol=1e-5)                 # unit directions
    assert np.allclose(f[0, 3:], [1, 0], atol=1e-5)                              # it starts going right


def test_the_same_drawing_in_any_place_size_and_speed_reads_the_same():
    moved = [s * 300 + np.float32([40, 90]) for s in SEVEN]
    dense = [np.concatenate([np.linspace(a, b, 17)[:-1] for a, b in zip(s[:-1], s[1:])] + [s[-1:]]) for s in SEVEN]
    assert np.allclose(rows(moved), rows(SEVEN), atol=1e-5)
    assert np.allclose(rows(dense), rows(SEVEN), atol=1e-5)


def test_the_second_stroke_and_the_jump_to_it_are_marked():
    """A crossed 7 differs from a 7 by a jump with the pen up, then a short bar drawn left to right."""
    f = rows(CROSSED_SEVEN)
    pen = f[:, 2]
    up = np.flatnonzero(pen == 0)
    assert len(up) and set(pen) == {0, 1}
    assert up.min() > 0 and pen[-1] == 1                # ink, then the air between strokes, then ink again
    assert np.allclose(f[-3:, 3:], [1, 0], atol=1e-4)   # the bar goes right
    assert (pen == 0).sum() < (pen == 1).sum()
    assert (rows(SEVEN)[:, 2] == 1).all()               # one stroke: no pen-up at all


@pytest.mark.parametrize("strokes", [
    [],
    [np.zeros((1, 2), np.float32)],                                          # a dot
    [np.zeros((1, 2), np.float32), np.ones((1, 2), np.float32)],             # two dots: no ink length
    [np.array([[0, 0], [1, 1]], np.float32) + i for i in range(path.MAX_STROKES + 1)],   # hatching
])
def test_a_path_that_cannot_be_trusted_gives_none(strokes):
    assert not path.trusted(strokes) and path.features(strokes) is None


def test_combine_is_a_normalized_product():
    image = np.array([0.6, 0.3] + [0.0125] * 8)
    pen = np.array([0.2, 0.7] + [0.0125] * 8)
    assert np.allclose(path.combine(image, pen, 0.0), image)          # weight 0: the image alone
    both = path.combine(image, pen, 1.0)
    assert np.isclose(both.sum(), 1) and both.argmax() == 1           # the pen wins where it is surer
    floored = pen * (1 - 10 * path.FLOOR) + path.FLOOR
    assert np.allclose(both, image * floored / (image * floored).sum())
    # However sure the path, a sure picture is not overruled: at most 41 times the odds.
    sure_six, sure_five = np.eye(10)[6] * 0.999 + 0.0001, np.eye(10)[5]
    assert path.combine(sure_six, sure_five, 1.0).argmax() == 6
    many = path.combine(np.stack([image, pen]), np.stack([pen, image]), 0.5)      # rows at once
    assert many.shape == (2, 10) and np.allclose(many.sum(axis=1), 1)
    uniform = np.full(10, 0.1)
    assert np.allclose(path.combine(uniform, uniform, 1.0), uniform)  # a non-digit stays unsure


def test_classify_joins_the_path_only_when_the_file_says_how_and_the_path_can_be_trusted():
    rng = np.random.default_rng(0)
    image_model = from_spec(mlp_spec([784, 16, 10]), seed=1)
    path_model = from_spec(mlp_spec([PATH_INPUTS, 16, 10]), seed=2)
    for layer in path_model.layers:          # a path network with strong opinions
        for p in layer.params.values():
            p[...] = rng.normal(0, 1, p.shape)
    assert path_model.architecture == "path"
    meta = {"reject_below": 0.0}
    try:
        app.models["under test"] = image_model, meta
        app.models[app.PATH] = path_model, {}
        alone = app.classify("under test", CROSSED_SEVEN, 1.0)
        assert not alone["path"]                                       # the file does not say how: the image alone
        meta.update(path_weight=1.0, path_reject_below=0.0)
        both = app.classify("under test", CROSSED_SEVEN, 1.0)
        assert both["path"] and both["probs"] != alone["probs"]
        image_probs = np.array(app.classify("under test", CROSSED_SEVEN, 1.0, read_path=False)["probs"])
        path_probs = path_model.predict_proba(path.features(CROSSED_SEVEN)[None])[0]
        assert np.allclose(both["probs"], path.combine(image_probs, path_probs, 1.0), atol=1e-4)
        hatching = [np.array([[0, 0], [1, 1]], np.float32) * 0.2 + 0.1 * i for i in range(path.MAX_STROKES + 1)]
        assert not app.classify("under test", hatching, 1.0)["path"]   # a path it cannot trust: the image alone
        app.models.pop(app.PATH)
        assert not app.classify("under test", CROSSED_SEVEN, 1.0)["path"]    # no path network loaded
    finally:
        app.models.pop("under test", None)
        app.models.pop(app.PATH, None)


def test_classify_many_answers_as_classify_does_one_by_one():
    model = from_spec(mlp_spec([784, 16, 10]), seed=3)
    drawings = [SEVEN, [], CROSSED_SEVEN, [np.zeros((1, 2), np.float32) + 0.5]]     # a blank pad and a dot among them
    try:
        app.models["under test"] = model, {"reject_below": 0.15}
        many = app.classify_many("under test", drawings, 1.0)
        assert many == [app.classify("under test", d, 1.0) for d in drawings]
        assert many[1]["best"] is None and many[3]["small"]
    finally:
        app.models.pop("under test")


def test_a_path_network_round_trips_through_a_weights_file():
    model = from_spec(mlp_spec([PATH_INPUTS, 8, 10]), seed=4)
    loaded, _ = weights.from_bytes(weights.to_bytes(model, {}), "path.npz")
    assert loaded.architecture == "path" and loaded.spec() == model.spec()
    x = np.random.default_rng(0).random((3, PATH_INPUTS), dtype=np.float32)
    assert np.allclose(loaded.logits(x), model.logits(x))
