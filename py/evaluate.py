"""Evaluate a weights file: accuracy, per-class accuracy, confusion matrix.

    python -m py.evaluate --weights weights/mlp.npz [--data embedded|unipen|DIR|FILE.csv] [--json]

On the embedded digits it uses the fixed validation split; on an MNIST
directory the t10k pair when present, else the training pair; on a CSV file,
every row (pass the test file). A CSV's non-digits (label -1) are counted
apart: how many the file's "not sure" threshold turns away. On real writers
(unipen, unipen:DIR) it reads the held-out writers' characters as the page
does (py/page/app.py's classify): digits right, "not sure" or wrong, and how
many of their letters and symbols get "not sure".
"""

import argparse
import json
from collections import Counter

import numpy as np

from . import checkout
from .io import data, weights
from .io.errors import ArgumentParser, BadInput, run
from .nn.metrics import report
from .nn.model import Model
from .page import app, preprocess


def refused(model: Model, x: np.ndarray, temperature: float, reject_below: float) -> np.ndarray:
    """(N,) bool: whether the page answers each image "not sure" (its top
    probability at `temperature` below `reject_below`)."""
    return model.predict_proba(x, temperature).max(axis=1) < reject_below


def format_report(r: dict, title: str) -> str:
    lines = [f"{title}: accuracy {100 * r['accuracy']:.2f}% on {r['n']} images",
             "confusion (rows: true digit, columns: predicted)",
             "       " + "".join(f"{d:>6}" for d in range(10)) + "   class acc"]
    for d, row in enumerate(r["confusion"]):
        lines.append(f"  {d:>3}  " + "".join(f"{v:>6}" for v in row) + f"   {100 * r['per_class'][d]:8.2f}%")
    if "nondigits" in r:
        lines.append(f"non-digits (label {data.NOT_A_DIGIT}): {r['nondigits']}, " + (
            f"{100 * r['nondigits_refused']:.2f}% of them turned away (not sure)" if "nondigits_refused" in r
            else "not judged: this file has no \"not sure\" threshold (python -m py.calibrate adds one)"))
    return "\n".join(lines)


def evaluation_split(ds: data.Dataset, source: str) -> tuple[str, data.Split]:
    """The t10k pair when there is one; the validation split of the embedded
    digits; otherwise every image of the given files."""
    if ds.test is not None:
        return "test", ds.test
    if source == "embedded":
        return "validation", ds.val
    return "all images", (np.concatenate([ds.train[0], ds.val[0]]), np.concatenate([ds.train[1], ds.val[1]]))


def main(argv: list[str] | None = None) -> None:
    ap = ArgumentParser(prog="python -m py.evaluate", description=__doc__,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", required=True, help="a .npz written by python -m py.train")
    ap.add_argument("--data", default="embedded", help="embedded (default), unipen (the held-out writers of py/drawings/unipen.npz), "
                         "unipen:DIR (a UNIPEN distribution's), an MNIST IDX directory, or a CSV file")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = ap.parse_args(argv)
    model, meta = weights.load(args.weights)
    if args.data == "unipen" or args.data.startswith("unipen:"):
        r = writers_report({args.weights: (model, meta)}, held_out_writers(args.data))[args.weights]
        print(json.dumps(r) if args.json else provenance(args.weights, model, meta) + "\n" + format_writers(r))
        return
    ds = checkout.dataset(args.data)
    which, (x, y) = evaluation_split(ds, args.data)
    digit = y != data.NOT_A_DIGIT
    if not digit.any():
        raise BadInput(f"{args.data}: no digits to evaluate on" + (" (only non-digits)" if len(y) else ""))
    temperature = meta.get("temperature", 1.0)
    r = report(model, x[digit], y[digit], temperature)
    if not digit.all():
        r["nondigits"] = int((~digit).sum())
        if "reject_below" in meta:
            r["nondigits_refused"] = round(float(refused(model, x[~digit], temperature, meta["reject_below"]).mean()), 4)
    if args.json:
        print(json.dumps(r))
        return
    print(provenance(args.weights, model, meta))
    print(format_report(r, f"{args.weights} on {ds.name} ({which})"))


def held_out_writers(source: str) -> list:
    """The held-out writers' drawings of a --data unipen[:DIR]."""
    from .drawings import strokeset, unipen
    drawn = (strokeset.load(unipen.FILE) if source == "unipen"
             else unipen.drawings(unipen.read(source.removeprefix("unipen:"))))
    return [d for d in drawn if d.part == "held-out"]


def page_answers(model: Model, meta: dict, images: np.ndarray, small: np.ndarray) -> np.ndarray:
    """(n,) what the page answers (py/page/app.py's classify, for many at
    once) for images (n, 784) the page's preprocessing made, small (n,) bool
    marking marks too small to read: the digit, or -1 for "not sure"."""
    if not len(images):
        return np.zeros(0, np.int64)
    probs = model.predict_proba(images, meta.get("temperature", 1.0))
    sure = (probs.max(axis=1) >= meta.get("reject_below", app.UNSURE_BELOW)) & ~small
    return np.where(sure, probs.argmax(axis=1), -1)


def writers_report(networks: dict[str, tuple[Model, dict]], drawn: list) -> dict[str, dict]:
    """Per network: real writers' digits (right, "not sure", wrong: fractions)
    and their letters and symbols ("not sure": fraction, overall and per
    group), each drawn on the page's pad the size its writer made it. The
    characters written exactly like a digit (unipen.DIGIT_LIKE) are counted
    apart: how many are read as the digit they look like (unipen.READ_AS)."""
    from .drawings import unipen
    digits = [d for d in drawn if d.group == "digit"]
    others = [d for d in drawn if d.group != "digit" and d.label not in unipen.DIGIT_LIKE]
    alike = [d for d in drawn if d.group != "digit" and d.label in unipen.READ_AS]
    expected, groups = np.array([int(d.label) for d in digits]), np.array([d.group for d in others])
    looks_like = np.array([unipen.READ_AS[d.label] for d in alike])
    seen = {}
    for kind, chosen in (("digits", digits), ("others", others), ("alike", alike)):
        strokes = [unipen.placed(d) for d in chosen]
        seen[kind] = (unipen.images(chosen), np.array([preprocess.too_small(s, 1.0) for s in strokes], bool))
    out = {}
    for name, (model, meta) in networks.items():
        got, answered = page_answers(model, meta, *seen["digits"]), page_answers(model, meta, *seen["others"])
        declined, read_alike = answered == -1, page_answers(model, meta, *seen["alike"])
        out[name] = {
            "writers": len({d.source for d in drawn}), "digits": len(digits),
            "right": _share(got == expected), "not_sure": _share(got == -1),
            "wrong": _share((got != expected) & (got != -1)),
            "mistakes": Counter(f"{e}→{g}" for e, g in zip(expected, got) if g not in (e, -1)).most_common(6),
            "nondigits": len(others), "nondigits_not_sure": _share(declined),
            "by_group": {g: _share(declined[groups == g]) for g in sorted(set(groups))},
            "leaked": Counter(f"{d.label}→{a}" for d, a in zip(others, answered) if a != -1).most_common(6),
            "alike": len(alike), "alike_read_as_digit": _share(read_alike == looks_like),
            "alike_not_sure": _share(read_alike == -1)}
    return out


def _share(chosen: np.ndarray) -> float:
    """The fraction of True in a boolean array; NaN for an empty one."""
    return float(chosen.mean()) if len(chosen) else float("nan")


def format_writers(r: dict) -> str:
    mistakes = ", ".join(f"{m} ({n})" for m, n in r["mistakes"])
    leaked = ", ".join(f"{m} ({n})" for m, n in r["leaked"])
    groups = ", ".join(f"{g}s {100 * v:.1f}%" for g, v in r["by_group"].items())
    return (f"held-out writers ({r['writers']}), as the page reads them:\n"
            f"  digits ({r['digits']:,}): right {100 * r['right']:.2f}%, not sure {100 * r['not_sure']:.2f}%, "
            f"wrong {100 * r['wrong']:.2f}%; most common mistakes {mistakes or 'none'}\n"
            f"  letters and symbols ({r['nondigits']:,}, those written like a digit aside): not sure "
            f"{100 * r['nondigits_not_sure']:.1f}% ({groups}); most often read as a digit {leaked or 'none'}\n"
            f"  written like a digit ({r['alike']:,}: O o I l | / ( ) Z S b G B g q …): read as that digit "
            f"{100 * r['alike_read_as_digit']:.1f}%, not sure {100 * r['alike_not_sure']:.1f}%")


def provenance(name: str, model: Model, meta: dict) -> str:
    """What a weights file says of itself: its network and how it was made."""
    made = ", ".join(f"{k} {meta[k]}" for k in ("data", "date") if meta.get(k))
    return (f"{name}: {model.kind} {'-'.join(map(str, model.sizes()))}, {model.n_parameters:,} weights; "
            f"made by `{meta.get('command', 'an unknown command')}`" + (f" ({made})" if made else ""))


if __name__ == "__main__":
    run(main)
