"""Real writers' drawings as the pen's path network reads them
(py/page/path.py): the training writers' digits and letters, each drawn
several times by a slightly different hand, the tuning and held-out writers'
digits as they wrote them. MNIST has no strokes, so this network learns from
the real writers alone.

    dataset(drawn, name, rng) -> data.Dataset of (N, PATH_INPUTS) float32 rows
"""

import numpy as np

from ..io import data, progress
from ..nn.model import PATH_INPUTS
from ..page import path
from . import strokeset, unipenset

COPIES = {"digit": 10, "other": 2}     # hands per training drawing: digits are 4 times fewer than letters
# A hand: rotation (radians), slant (x moves by this times y), stretch of each
# axis (a factor e**±), the pen's tremor (in units of the drawing's side), and
# how often it draws a stroke the other way round (a 6's loop clockwise): the
# network must not be sure of a digit from its direction alone.
ROTATE, SLANT, STRETCH, TREMOR, REVERSE = 0.15, 0.3, 0.2, 0.004, 0.15


def hand(strokes: list[np.ndarray], rng: np.random.Generator) -> list[np.ndarray]:
    """The same drawing by another hand: a random rotation, slant and stretch
    about its middle, a little tremor in every point, and now and then a
    stroke drawn backwards."""
    angle, slant = rng.uniform(-ROTATE, ROTATE), rng.uniform(-SLANT, SLANT)
    sx, sy = np.exp(rng.uniform(-STRETCH, STRETCH, 2))
    c, s = np.cos(angle), np.sin(angle)
    matrix = np.array([[c, -s], [s, c]]) @ np.array([[sx, slant * sy], [0, sy]])
    middle = np.concatenate(strokes).mean(axis=0)
    return [((st - middle) @ matrix.T + rng.normal(0, TREMOR, st.shape))[::-1 if rng.random() < REVERSE else 1]
            for st in strokes]


def rows(drawn: list[strokeset.Drawing], copies: int, rng: np.random.Generator | None) -> tuple[np.ndarray, list]:
    """(N, PATH_INPUTS) features of each drawing, `copies` hands each (as
    drawn when rng is None), and the drawings they come from; drawings whose
    path cannot be trusted are left out."""
    out, kept = [], []
    for d in progress.track(drawn, what="reading the pen's paths", unit="drawings"):
        strokes = unipenset.placed(d)
        for _ in range(copies):
            f = path.features(strokes if rng is None else hand(strokes, rng))
            if f is not None:
                out.append(f)
                kept.append(d)
    return (np.array(out, np.float32) if out else np.zeros((0, PATH_INPUTS), np.float32)), kept


def dataset(drawn: list[strokeset.Drawing], name: str, rng: np.random.Generator) -> data.Dataset:
    """The training writers' digits (COPIES hands each) train, and their
    letters and symbols (unipenset.nondigits, as for the image networks) are
    non-digits; the tuning writers' digits validate, the held-out
    writers' test, as written."""
    def digits(part: str, copies: int, hands: np.random.Generator | None) -> data.Split:
        x, kept = rows([d for d in drawn if d.part == part and d.group == "digit"], copies, hands)
        return x, np.array([int(d.label) for d in kept], np.int64)

    return data.Dataset(name, digits("train", COPIES["digit"], rng), digits("tune", 1, None),
                        digits("held-out", 1, None), rows(unipenset.nondigits(drawn), COPIES["other"], rng)[0])
