"""A training run in the page, advanced a slice of steps at a time so the
worker can answer drawings, report progress and pause in between: either
fine-tuning a copy of a model on a person's samples, or training a new
network from scratch on the replay set (MNIST digits shipped with the page).
The model being trained replaces (or joins) the page's models only when the
run ends well."""

from dataclasses import dataclass

import numpy as np

from ..io import weights
from ..io.errors import BadInput
from ..nn.metrics import report
from ..nn.model import Model, from_spec, layers_spec
from ..nn.optim import Adam
from ..nn.spec import check_spec
from ..nn.trainer import Tally, Trainer
from . import finetune


@dataclass
class Session:
    task: str                     # "finetune" or "scratch"
    name: str                     # the model it replaces ("cnn", "mlp") or adds ("yours")
    model: Model                  # the copy being trained
    meta: dict                    # what its weights file will say
    trainer: Trainer
    replay: dict                  # the replay set: its check digits measure MNIST accuracy
    check: tuple | None = None    # fine-tuning: the person's samples to measure on (x, y; y -1: not a digit)
    held_out: bool = False        # ... kept aside from training, or the training samples themselves
    reject_below: float = 0.0     # ... below this top probability the page says "not sure": a non-digit is right
    before: dict | None = None    # ... scores() of the model before it was taught
    measured: tuple = (-1, None)  # (step, MNIST accuracy) last measured: a pass over the check
                                  # digits costs as much as many steps, so never twice for one step

    def run(self, steps: int) -> dict:
        """Up to `steps` more steps. Progress: step, total, epoch, loss and
        accuracy over these steps, val_accuracy (MNIST check digits) when an
        epoch ended, done."""
        t, tally, epoch_ended = self.trainer, Tally(), False
        for _ in range(min(steps, t.total_steps - t.done)):
            tally.add(*t.step())
            epoch_ended |= t.done % t.steps_per_epoch == 0
        done = t.done >= t.total_steps
        return {"step": t.done, "total": t.total_steps, "epoch": min(t.epoch, t.epochs),
                "loss": tally.loss, "accuracy": tally.accuracy,
                "val_accuracy": self.mnist_now() if epoch_ended or done else None, "done": done}

    def mnist_accuracy(self, model: Model) -> float:
        return report(model, self.replay["x_val"], self.replay["y_val"])["accuracy"]

    def mnist_now(self) -> float:
        """The trained model's MNIST accuracy after the steps taken so far."""
        if self.measured[0] != self.trainer.done:
            self.measured = (self.trainer.done, self.mnist_accuracy(self.model))
        return self.measured[1]

    def scores(self, model: Model) -> dict:
        """The share of the person's check samples the page answers right
        ("yours": a digit read as itself, a non-digit turned away as "not
        sure") and the accuracy on MNIST check digits."""
        mnist = self.mnist_now() if model is self.model else self.mnist_accuracy(model)
        x, y = self.check
        probs = model.predict_proba(x, self.meta.get("temperature", 1.0))
        right = np.where(y >= 0, probs.argmax(axis=1) == y, probs.max(axis=1) < self.reject_below)
        return {"yours": float(right.mean()), "mnist": mnist}

    def result(self) -> tuple[Model, dict]:
        """The trained model and its meta, with its MNIST check accuracy (and
        a taught model's, before: the same digits measured both)."""
        meta = {**self.meta, "val_accuracy": self.mnist_now()}
        if self.before:
            meta["val_before"] = self.before["mnist"]
        return self.model, meta


def start_finetune(name: str, model: Model, meta: dict, x: np.ndarray, y: np.ndarray, replay: dict, *,
                   reject_below: float) -> Session:
    """Fine-tune a copy of `model` on a person's samples x (n, 784), y (n,):
    digits, and -1 for drawings that are no digit, which it learns to turn
    away (top probability below `reject_below`: the page then says "not sure")."""
    if len(y) == 0:
        raise BadInput("your samples: none yet (correct a few answers first)")
    tuned = weights.from_bytes(weights.to_bytes(model, meta), name)[0]
    rng = np.random.default_rng(len(y))
    (tx, ty), test = finetune.hold_out(x, y, rng)
    # A taught network answers alone: the pen's path network learns nothing
    # here, and joined it would overrule what the person taught (a heart kept
    # as "not a digit" would still be a 0 to it).
    alone = {k: v for k, v in meta.items() if k not in ("path_weight", "path_reject_below")}
    run = Session("finetune", name, tuned, {**alone, "personal": True},
                  finetune.make_trainer(tuned, tx, ty, replay, rng), replay,
                  check=test if test is not None else (x, y), held_out=test is not None, reject_below=reject_below)
    run.before = run.scores(model)
    return run


# What the page lets a person train: settings outside these cannot learn
# (a learning rate of 0), or would take hours or all the memory in a tab.
LIMITS = {"lr": (1e-5, 1.0), "batch_size": (1, 3000), "epochs": (1, 50)}
MAX_PARAMETERS = 5_000_000


def start_scratch(name: str, config: dict, replay: dict) -> Session:
    """A new network `name` on the replay set. config: kind (the architecture, "mlp" or "cnn"), layers
    (e.g. "784,128,10" or "8,16,64"), lr, batch_size, epochs. Settings that
    cannot train are refused with the reason (BadInput)."""
    architecture, layers = config["kind"], str(config["layers"])
    lr, batch, epochs = _checked(config)
    try:
        spec = layers_spec(architecture, layers)
        shapes = check_spec(spec)           # sizes checked before anything is built
    except ValueError as e:
        raise BadInput(f"Layers {layers}: {e}.") from None
    n = sum(int(np.prod(shape)) for shape in shapes.values())
    if n > MAX_PARAMETERS:
        raise BadInput(f"Layers {layers}: {n:,} weights, more than the {MAX_PARAMETERS:,} a page can train; "
                       f"choose smaller layers.")
    model = from_spec(spec, seed=0)
    trainer = Trainer(model, Adam(lr), replay["x_train"], replay["y_train"], epochs=epochs, batch_size=batch,
                      augment=False, rng=np.random.default_rng(0), nondigits=replay["x_nondigit"])
    meta = {"command": f"trained in the page: {architecture} {layers}, Adam lr {lr}, batch {batch}, {epochs} epochs",
            "data": "replay set (embedded MNIST)"}
    return Session("scratch", name, model, meta, trainer, replay)


def _checked(config: dict) -> tuple[float, int, int]:
    """lr, batch_size, epochs from a person's form, each within LIMITS."""
    names = {"lr": "Learning rate", "batch_size": "Batch size", "epochs": "Epochs"}
    values = []
    for key, (low, high) in LIMITS.items():
        try:
            value = float(config[key])
        except (TypeError, ValueError, KeyError):
            raise BadInput(f"{names[key]}: {config.get(key)!r} is not a number.") from None
        if not low <= value <= high or (key != "lr" and value != int(value)):
            whole = "" if key == "lr" else "a whole number "
            raise BadInput(f"{names[key]} {value:g}: must be {whole}from {low:g} to {high:g}"
                           + (" (a rate of 0 learns nothing; try 0.003)." if key == "lr" else "."))
        values.append(value if key == "lr" else int(value))
    return tuple(values)
