"""Mini-batch training, one step at a time: the data shuffled every epoch,
optional synthetic non-digits and augmentation, a cosine learning rate.
`python -m py.train` drives it in a loop; the page's worker drives it a few
steps at a time, so it can report progress and pause between slices."""

import math

import numpy as np

from .distort import augment
from .model import Model, cross_entropy


class Trainer:
    def __init__(self, model: Model, optimizer, x: np.ndarray, y: np.ndarray, *, epochs: int, batch_size: int,
                 augment: bool, rng: np.random.Generator,
                 nondigits: np.ndarray | None = None, nondigits_per_digit: float = 0.1) -> None:
        """x (N, 784) float32 in [0, 1], y (N,) digits; `nondigits` (M, 784):
        drawings that are no digit, of which `nondigits_per_digit` per digit
        join every batch, labelled -1. The optimizer's learning rate is the
        schedule's peak: it follows a cosine from there to 0 over all steps."""
        self.model, self.optimizer, self.x, self.y = model, optimizer, x, y
        self.epochs, self.batch_size, self.augment, self.rng = epochs, batch_size, augment, rng
        self.nondigits, self.nondigits_per_digit = nondigits, nondigits_per_digit
        self.peak_lr = optimizer.lr
        self.steps_per_epoch = math.ceil(len(y) / batch_size)
        self.total_steps = epochs * self.steps_per_epoch
        self.done = 0           # steps taken
        self.order = None

    @property
    def epoch(self) -> int:
        """The epoch the next step belongs to, from 1."""
        return self.done // self.steps_per_epoch + 1

    def step(self) -> tuple[float, int, int]:
        """One batch: returns (loss, correct answers, digits in the batch)."""
        b = self.done % self.steps_per_epoch
        if b == 0:
            self.order = self.rng.permutation(len(self.y))   # the embedded digits are stored by class
        idx = self.order[b * self.batch_size:(b + 1) * self.batch_size]
        xb, yb = self.x[idx], self.y[idx]
        if self.nondigits is not None and self.nondigits_per_digit:
            n = round(len(idx) * self.nondigits_per_digit)
            more = self.nondigits[self.rng.integers(0, len(self.nondigits), n)]
            xb, yb = np.concatenate([xb, more]), np.concatenate([yb, np.full(n, -1)])
        if self.augment:
            xb = augment(xb, self.rng)
        self.optimizer.lr = self.peak_lr * 0.5 * (1 + math.cos(math.pi * self.done / self.total_steps))
        logits = self.model.forward(xb, train=True)
        loss, dlogits = cross_entropy(logits, yb)
        self.model.backward(dlogits)
        self.optimizer.step(self.model)
        self.done += 1
        return loss, int((logits.argmax(axis=1) == yb).sum()), len(idx)   # non-digits (-1) never count


class Tally:
    """Loss and accuracy over several steps (an epoch, or a slice in the page),
    weighted by the digits in each batch."""

    def __init__(self) -> None:
        self.loss_sum, self.right, self.seen = 0.0, 0, 0

    def add(self, loss: float, right: int, seen: int) -> None:
        self.loss_sum, self.right, self.seen = self.loss_sum + loss * seen, self.right + right, self.seen + seen

    @property
    def loss(self) -> float | None:
        return self.loss_sum / self.seen if self.seen else None

    @property
    def accuracy(self) -> float | None:
        return self.right / self.seen if self.seen else None
