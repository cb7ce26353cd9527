"""Honest confidence: temperature scaling and a "not sure" threshold, both
chosen on the validation digits (by default the MNIST validation split and
the tuning writers' digits), and how often non-digits of the training kinds
(fresh drawings of them, py/drawings/nondigits.py) are declined.
`python -m py.train` runs this at the end; to redo it for a file:

    python -m py.calibrate --weights weights/cnn.npz     # prints the report and updates the file
"""

import argparse

import numpy as np

from . import checkout
from .drawings import nondigits
from .io import files, weights
from .io.errors import ArgumentParser, run
from .nn.model import Model, softmax

MAX_REJECTED = 0.01     # the threshold may turn away at most 1% of real validation digits
NONDIGIT_SEED = 12345   # a fixed set of non-digits, distinct from any used in training


def nll(logits: np.ndarray, labels: np.ndarray, temperature: float) -> float:
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    return float(-(z[np.arange(len(z)), labels] - np.log(np.exp(z).sum(axis=1))).mean())


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The T minimising the validation NLL of softmax(logits / T) (golden-section
    search over log T: the NLL is smooth and has one minimum there)."""
    lo, hi = np.log(0.05), np.log(20.0)
    g = (np.sqrt(5) - 1) / 2
    for _ in range(60):
        a, b = hi - g * (hi - lo), lo + g * (hi - lo)
        if nll(logits, labels, np.exp(a)) < nll(logits, labels, np.exp(b)):
            hi = b
        else:
            lo = a
    return float(np.exp((lo + hi) / 2))


def ece(probs: np.ndarray, labels: np.ndarray, bins: int = 15) -> float:
    """Expected calibration error: |accuracy - confidence| averaged over
    equal-width confidence bins, weighted by how many predictions fall in each."""
    confidence, predicted = probs.max(axis=1), probs.argmax(axis=1)
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            total += inside.mean() * abs((predicted[inside] == labels[inside]).mean() - confidence[inside].mean())
    return float(total)


def calibrate(model: Model, x_val: np.ndarray, y_val: np.ndarray, n_nondigits: int = 1200) -> dict:
    """Temperature, threshold and the figures that justify them."""
    logits = model.logits(x_val).astype(np.float64)
    temperature = fit_temperature(logits, y_val)
    before, after = softmax(logits), softmax(logits / temperature)
    top = after.max(axis=1)
    # The largest threshold that turns away at most MAX_REJECTED of real digits.
    reject_below = float(np.sort(top)[int(np.floor(MAX_REJECTED * len(top)))])
    images, groups = nondigits.make(n_nondigits, np.random.default_rng(NONDIGIT_SEED))
    declined = model.predict_proba(images, temperature).max(axis=1) < reject_below
    return {
        "temperature": round(temperature, 4), "reject_below": round(reject_below, 4),
        "ece_before": round(ece(before, y_val), 4), "ece_after": round(ece(after, y_val), 4),
        "digits_rejected": round(float((top < reject_below).mean()), 4),
        "nondigits_rejected": round(float(declined.mean()), 4),
        "nondigits_rejected_by_group": {g: round(float(declined[groups == i].mean()), 3)
                                        for i, g in enumerate(nondigits.GROUPS)},
    }


def as_meta(c: dict) -> dict:
    """What a weights file keeps of a calibration: the report, and the two
    numbers the page uses."""
    return {"calibration": c, "temperature": c["temperature"], "reject_below": c["reject_below"]}


def format_calibration(c: dict) -> str:
    groups = ", ".join(f"{g} {100 * v:.0f}%" for g, v in c["nondigits_rejected_by_group"].items())
    return (f"calibration: temperature {c['temperature']:.3f}, expected calibration error "
            f"{100 * c['ece_before']:.2f}% -> {100 * c['ece_after']:.2f}%\n"
            f"'not sure' below {100 * c['reject_below']:.1f}%: real validation digits rejected "
            f"{100 * c['digits_rejected']:.1f}%, non-digits (training kinds, fresh drawings) rejected "
            f"{100 * c['nondigits_rejected']:.1f}% ({groups})")


def main(argv: list[str] | None = None) -> None:
    ap = ArgumentParser(prog="python -m py.calibrate", description=__doc__,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", required=True)
    ap.add_argument("--data", default=checkout.DEFAULT_DATA,
                    help=f"whose validation digits choose (py.train's --data; default {checkout.DEFAULT_DATA})")
    ap.add_argument("--dry-run", action="store_true", help="print the report, leave the file as it is")
    args = ap.parse_args(argv)
    model, meta = weights.load(args.weights)
    if not args.dry_run:
        files.check_output(args.weights, "--weights")      # before the work, not after
    c = calibrate(model, *checkout.dataset(args.data).val)
    print(format_calibration(c))
    if not args.dry_run:
        weights.save(args.weights, model, {**meta, **as_meta(c)})
        print(f"updated {args.weights}")


if __name__ == "__main__":
    run(main)
