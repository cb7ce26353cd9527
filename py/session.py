"""A training run in the page, advanced a slice of steps at a time so the
worker can answer drawings, report progress and pause in between: either
fine-tuning a copy of a model on a person's samples, or training a new
network from scratch on the replay set (MNIST digits shipped with the page).
The model being trained replaces (or joins) the page's models only when the
run ends well."""

from dataclasses import dataclass

import numpy as np

from . import finetune, weights
from .errors import BadInput
from .evaluate import report
from .model import Model, from_spec, layers_spec
from .optim import Adam
from .trainer import Tally, Trainer


@dataclass
class Session:
    kind: str                     # "finetune" or "scratch"
    name: str                     # the model it replaces ("cnn", "mlp") or adds ("yours")
    model: Model                  # the copy being trained
    meta: dict                    # what its weights file will say
    trainer: Trainer
    replay: dict                  # the replay set: its check digits measure MNIST accuracy
    check: tuple | None = None    # fine-tuning: the person's samples to measure on (x, y)
    held_out: bool = False        # ... kept aside from training, or the training samples themselves

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
                "val_accuracy": self.mnist_accuracy(self.model) if epoch_ended or done else None, "done": done}

    def mnist_accuracy(self, model: Model) -> float:
        return report(model, self.replay["x_val"], self.replay["y_val"])["accuracy"]

    def scores(self, model: Model) -> dict:
        """Accuracy on the person's check samples ("yours") and on MNIST."""
        return {"yours": report(model, *self.check)["accuracy"], "mnist": self.mnist_accuracy(model)}

    def result(self) -> tuple[Model, dict]:
        """The trained model and its meta, with its MNIST check accuracy."""
        return self.model, {**self.meta, "val_accuracy": self.mnist_accuracy(self.model)}


def start_finetune(name: str, model: Model, meta: dict, x: np.ndarray, y: np.ndarray, replay: dict) -> Session:
    """Fine-tune a copy of `model` on a person's samples x (n, 784), y (n,)."""
    if len(y) == 0:
        raise BadInput("your samples: none yet (correct a few answers first)")
    tuned = weights.from_bytes(weights.to_bytes(model, meta), name)[0]
    rng = np.random.default_rng(len(y))
    (tx, ty), test = finetune.hold_out(x, y, rng)
    return Session("finetune", name, tuned, {**meta, "personal": True},
                   finetune.make_trainer(tuned, tx, ty, replay, rng), replay,
                   check=test if test is not None else (x, y), held_out=test is not None)


def start_scratch(config: dict, replay: dict) -> Session:
    """A new network on the replay set. config: kind ("mlp" or "cnn"), layers
    (e.g. "784,128,10" or "8,16,64"), lr, batch_size, epochs."""
    kind, layers = config["kind"], str(config["layers"])
    try:
        model = from_spec(layers_spec(kind, layers), seed=0)
    except ValueError as e:
        raise BadInput(f"layers {layers}: {e}") from None
    lr, batch, epochs = float(config["lr"]), int(config["batch_size"]), int(config["epochs"])
    trainer = Trainer(model, Adam(lr), replay["x_train"], replay["y_train"], epochs=epochs, batch_size=batch,
                      augment=False, rng=np.random.default_rng(0), nondigits=replay["x_nondigit"])
    meta = {"command": f"trained in the page: {kind} {layers}, Adam lr {lr}, batch {batch}, {epochs} epochs",
            "data": "replay set (embedded MNIST)"}
    return Session("scratch", "yours", model, meta, trainer, replay)
