"""Evaluate a weights file: accuracy, per-class accuracy, confusion matrix.

    python -m py.evaluate --weights weights/mlp.npz [--data embedded|DIR|FILE.csv] [--json]

On the embedded digits it uses the fixed validation split; on an MNIST
directory the t10k pair when present, else the training pair; on a CSV file,
every row (pass the test file). A CSV's non-digits (label -1) are counted
apart: how many the file's "not sure" threshold turns away.
"""

import argparse
import json

import numpy as np

from . import checkout
from .io import data, weights
from .io.errors import ArgumentParser, BadInput, run
from .nn.metrics import report
from .nn.model import Model


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
    ap.add_argument("--data", default="embedded", help="embedded (default), an MNIST IDX directory, or a CSV file")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = ap.parse_args(argv)
    model, meta = weights.load(args.weights)
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


def provenance(name: str, model: Model, meta: dict) -> str:
    """What a weights file says of itself: its network and how it was made."""
    made = ", ".join(f"{k} {meta[k]}" for k in ("data", "date") if meta.get(k))
    return (f"{name}: {model.kind} {'-'.join(map(str, model.sizes()))}, {model.n_parameters:,} weights; "
            f"made by `{meta.get('command', 'an unknown command')}`" + (f" ({made})" if made else ""))


if __name__ == "__main__":
    run(main)
