"""Honest confidence: temperature scaling and a "not sure" threshold, both
chosen on the validation digits (by default the MNIST validation split and
the tuning writers' digits), and how often non-digits of the training kinds
(fresh drawings of them, py/drawings/nondigits.py) are declined.
`python -m py.train` runs this at the end; to redo it for a file:

    python -m py.calibrate --weights weights/cnn.npz     # prints the report and updates the file

With --path, it chooses instead how the pen's path network (py/page/path.py)
joins an image network's answer on the page: the weight of the path's
probabilities in their product, and the "not sure" threshold that goes with
it, on the tuning writers' digits and letters (never the held-out ones),
so that our own drawn digits (tests/data/strokes.json) are read no worse:

    python -m py.calibrate --weights weights/cnn.npz --path weights/path.npz
"""

import argparse
import json

import numpy as np

from .cli import checkout
from .drawings import nondigits
from .io import files, weights
from .io.errors import ArgumentParser, BadInput, run
from .nn.model import Model, softmax
from .page import app, path

MAX_REJECTED = 0.01     # the threshold may turn away at most 1% of real validation digits
NONDIGIT_SEED = 12345   # a fixed set of non-digits, distinct from any used in training
PATH_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)   # the path's weights tried (0: the image alone)


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
    c = {"temperature": round(temperature, 4), "reject_below": round(reject_below, 4),
         "ece_before": round(ece(before, y_val), 4), "ece_after": round(ece(after, y_val), 4),
         "digits_rejected": round(float((top < reject_below).mean()), 4)}
    if model.architecture == "path":      # drawn non-digits are images: a path network is judged joined (join_path)
        return c
    images, groups = nondigits.make(n_nondigits, np.random.default_rng(NONDIGIT_SEED))
    declined = model.predict_proba(images, temperature).max(axis=1) < reject_below
    return {**c, "nondigits_rejected": round(float(declined.mean()), 4),
            "nondigits_rejected_by_group": {g: round(float(declined[groups == i].mean()), 3)
                                            for i, g in enumerate(nondigits.GROUPS)}}


def as_meta(c: dict) -> dict:
    """What a weights file keeps of a calibration: the report, and the two
    numbers the page uses."""
    return {"calibration": c, "temperature": c["temperature"], "reject_below": c["reject_below"]}


def format_calibration(c: dict) -> str:
    text = (f"calibration: temperature {c['temperature']:.3f}, expected calibration error "
            f"{100 * c['ece_before']:.2f}% -> {100 * c['ece_after']:.2f}%\n"
            f"'not sure' below {100 * c['reject_below']:.1f}%: real validation digits rejected "
            f"{100 * c['digits_rejected']:.1f}%")
    if "nondigits_rejected" not in c:
        return text
    groups = ", ".join(f"{g} {100 * v:.0f}%" for g, v in c["nondigits_rejected_by_group"].items())
    return text + f", non-digits (training kinds, fresh drawings) rejected {100 * c['nondigits_rejected']:.1f}% ({groups})"


def join_path(model: Model, meta: dict, path_model: Model, path_meta: dict, drawn: list,
              own: list[tuple[list[np.ndarray], int]]) -> dict:
    """The path weight (of PATH_WEIGHTS) and threshold under which the page
    reads the most of the tuning writers' `drawn` right: digits read right
    plus letters and symbols declined, with at most MAX_REJECTED of the
    digits turned away; among the weights under which `own` (drawings on a
    unit pad and their digits: our own drawn styles) are read no worse than
    by the image alone, none more wrong and at most MAX_REJECTED more turned
    away. Returns them with the figures of every weight tried."""
    from .drawings import unipenset
    digits = [d for d in drawn if d.group == "digit"]
    others = [d for d in drawn if d.group != "digit" and d.label not in unipenset.DIGIT_LIKE]
    expected = {"digits": np.array([int(d.label) for d in digits]), "own": np.array([digit for _, digit in own])}
    app.models["calibrating"], app.models[app.PATH] = (model, meta), (path_model, path_meta)
    seen = {}
    for group, drawings in (("digits", [unipenset.placed(d) for d in digits]),
                           ("others", [unipenset.placed(d) for d in others]), ("own", [s for s, _ in own])):
        answers = app.classify_many("calibrating", drawings, 1.0, read_path=False)
        indices, probs = app.read_paths(drawings)
        read, path_probs = np.zeros(len(drawings), bool), np.full((len(drawings), 10), 0.1)
        read[indices], path_probs[indices] = True, probs
        seen[group] = (np.array([a["probs"] for a in answers]), path_probs, read,
                      np.array([a["small"] or a["best"] is None for a in answers]))
    tried = []
    for weight in PATH_WEIGHTS:
        def answer(group: str, threshold: float) -> np.ndarray:
            image, path_probs, read, small = seen[group]
            probs = np.where(read[:, None], path.combine(image, path_probs, weight), image)
            sure = (probs.max(axis=1) >= np.where(read, threshold, meta.get("reject_below", app.UNSURE_BELOW))) & ~small
            return np.where(sure, probs.argmax(axis=1), -1)
        image, path_probs, read, _ = seen["digits"]
        top = path.combine(image[read], path_probs[read], weight).max(axis=1)
        threshold = float(np.sort(top)[int(np.floor(MAX_REJECTED * len(top)))])
        got, declined, mine = answer("digits", threshold), answer("others", threshold) == -1, answer("own", threshold)
        tried.append({"weight": weight, "reject_below": round(threshold, 4), **shares(got, expected["digits"]),
                      "nondigits_not_sure": round(float(declined.mean()), 4),
                      "own": shares(mine, expected["own"])})
    del app.models["calibrating"], app.models[app.PATH]
    alone = tried[0]["own"]
    allowed = [t for t in tried if t["own"]["wrong"] <= alone["wrong"]
               and t["own"]["not_sure"] <= alone["not_sure"] + MAX_REJECTED]
    best = max(allowed, key=lambda t: t["right"] + t["nondigits_not_sure"])
    return {"path_weight": best["weight"], "path_reject_below": best["reject_below"],
            "path_calibration": {"digits": len(digits), "nondigits": len(others), "own": len(own), "tried": tried}}


def shares(got: np.ndarray, expected: np.ndarray) -> dict:
    """Answers (a digit, or -1 for "not sure") against the digits expected: right, "not sure", wrong."""
    return {"right": round(float((got == expected).mean()), 4), "not_sure": round(float((got == -1).mean()), 4),
            "wrong": round(float(((got != expected) & (got != -1)).mean()), 4)}


def format_join(j: dict) -> str:
    rows = [f"  weight {t['weight']:.2f}: 'not sure' below {100 * t['reject_below']:.1f}%: digits right "
            f"{100 * t['right']:.2f}%, not sure {100 * t['not_sure']:.2f}%, wrong {100 * t['wrong']:.2f}%; "
            f"letters and symbols not sure {100 * t['nondigits_not_sure']:.1f}%; our own drawn digits wrong "
            f"{100 * t['own']['wrong']:.1f}%, not sure {100 * t['own']['not_sure']:.1f}%"
            for t in j["path_calibration"]["tried"]]
    c = j["path_calibration"]
    return (f"the pen's path joined, on the tuning writers ({c['digits']:,} digits, {c['nondigits']:,} letters and "
            f"symbols) and our own drawn digits ({c['own']}):\n" + "\n".join(rows) +
            f"\nchosen: weight {j['path_weight']}, 'not sure' below {100 * j['path_reject_below']:.1f}%")


def own_digits() -> list[tuple[list[np.ndarray], int]]:
    """Our own drawn digit styles (checkout.OWN_STROKES, "digits"), each as a
    person draws it on the pad: 0.8 of it, from (0.1, 0.1)."""
    styles = json.loads(checkout.OWN_STROKES.read_text())["digits"]
    return [([np.array(s, np.float32) * np.float32(0.8) + np.float32(0.1) for s in style], int(digit))
            for digit, drawn in styles.items() for style in drawn]


def main(argv: list[str] | None = None) -> None:
    ap = ArgumentParser(prog="python -m py.calibrate", description=__doc__,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", required=True)
    ap.add_argument("--data", default=checkout.DEFAULT_DATA,
                    help=f"whose validation digits choose (py.train's --data; default {checkout.DEFAULT_DATA})")
    ap.add_argument("--path", help="instead, choose how this pen's path network (python -m py.train --model path) "
                                   "joins --weights on the page, on the tuning writers of py/drawings/unipen.npz")
    ap.add_argument("--dry-run", action="store_true", help="print the report, leave the file as it is")
    args = ap.parse_args(argv)
    model, meta = weights.load(args.weights)
    if not args.dry_run:
        files.check_output(args.weights, "--weights")      # before the work, not after
    if args.path:
        path_model, path_meta = weights.load(args.path)
        if path_model.architecture != "path" or model.architecture == "path":
            raise BadInput(f"--path {args.path}: expected a path network beside an image network in --weights")
        drawn, _ = checkout.writers("unipen")
        update = join_path(model, meta, path_model, path_meta, [d for d in drawn if d.part == "tune"], own_digits())
        print(format_join(update))
    else:
        update = as_meta(calibrate(model, *checkout.dataset(args.data).val))
        print(format_calibration(update["calibration"]))
    if not args.dry_run:
        weights.save(args.weights, model, {**meta, **update})
        print(f"updated {args.weights}")


if __name__ == "__main__":
    run(main)
