"""Teach the network a person's handwriting: fine-tune on their corrected
drawings mixed with replayed MNIST digits, so it learns their style without
forgetting everyone else's.

The person's samples are repeated to make up about a third of the data, the
rest are replay digits; every batch is augmented and carries some
non-digits, as in the original training. A few dozen small steps of Adam at
a low learning rate move the network enough to matter and not so far that
MNIST accuracy drops (tests/test_teach.py measures both on a person who
writes very thick, wide 4s).
"""

import numpy as np

from ..nn.model import Model
from ..nn.optim import Adam
from ..nn.trainer import Trainer

# (steps, batch size) per kind of model. These budgets are set by how far the
# network should move (above), not by a clock: faster steps shorten the
# person's wait rather than buy more steps, which would only pull the network
# further from MNIST for no better learning of a style it already gets right.
# `./build.sh bench finetune` times them in the page.
BUDGET = {"mlp": (60, 32), "cnn": (30, 16)}
LR = 5e-4
USER_SHARE = 1 / 3
HOLD_OUT_FROM = 8      # with this many samples or more, a quarter is kept aside to measure


def hold_out(x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> tuple[tuple, tuple | None]:
    """(train, test) split of the person's samples; test is None when there are
    too few to spare any."""
    if len(y) < HOLD_OUT_FROM:
        return (x, y), None
    order = rng.permutation(len(y))
    n_test = len(y) // 4
    return (x[order[n_test:]], y[order[n_test:]]), (x[order[:n_test]], y[order[:n_test]])


def make_trainer(model: Model, x: np.ndarray, y: np.ndarray, replay: dict, rng: np.random.Generator) -> Trainer:
    """A Trainer over the person's samples (x (n, 784), y (n,)) and the replay
    set that takes exactly the BUDGET's steps, however many samples there are:
    one pass over steps × batch rows, a third of them the person's (each
    repeated as evenly as possible, or a random subset of a great many), the
    rest replay digits."""
    steps, batch = BUDGET[model.architecture]
    rows = steps * batch
    n_user = round(rows * USER_SHARE)
    mine = np.resize(rng.permutation(len(y)), n_user)
    theirs = rng.choice(len(replay["y_train"]), min(rows - n_user, len(replay["y_train"])), replace=False)
    data_x = np.concatenate([x[mine], replay["x_train"][theirs]])
    data_y = np.concatenate([y[mine], replay["y_train"][theirs]])
    return Trainer(model, Adam(LR), data_x, data_y, epochs=1, batch_size=batch, augment=True, rng=rng,
                   nondigits=replay["x_nondigit"])
