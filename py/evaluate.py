"""Evaluate a weights file: accuracy, per-class accuracy, confusion matrix.

    python -m py.evaluate --weights weights/mlp.npz [--data embedded|mnist60k|unipen|DIR|FILE.csv] [--json]

On the embedded digits it uses the fixed validation split; on mnist60k the
official test set (read by nothing else); on an MNIST directory the t10k
pair when present, else the training pair; on a CSV file, every row (pass
the test file). A CSV's non-digits (label -1) are counted apart: how many
the file's "not sure" threshold turns away. On real writers (unipen,
unipen:DIR) it reads the held-out writers' characters as the page does
(py/page/app.py's classify): digits right, "not sure" or wrong, and how
many of their letters and symbols get "not sure"; with the pen's path
network (--path) when the file says how to join it, and without.
"""

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np

from .cli import checkout
from .io import data, weights
from .io.errors import ArgumentParser, BadInput, run
from .nn.metrics import report
from .nn.model import Model
from .page import app


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
    ap.add_argument("--data", default="mnist60k", help="mnist60k (default: the official MNIST test set), embedded, "
                         "unipen (the held-out writers of py/drawings/unipen.npz), "
                         "unipen:DIR (a UNIPEN distribution's), an MNIST IDX directory, or a CSV file")
    ap.add_argument("--path", default=str(checkout.WEIGHTS / "path.npz"),
                    help="on real writers: the pen's path network to join when --weights says how "
                         "(default weights/path.npz)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = ap.parse_args(argv)
    model, meta = weights.load(args.weights)
    if args.data == "unipen" or args.data.startswith("unipen:"):
        app.models[args.weights] = model, meta
        joined = "path_weight" in meta and Path(args.path).exists()
        if joined:
            app.models[app.PATH] = weights.load(args.path)
        drawn = held_out_writers(args.data)
        reports = {"image alone": writers_report([args.weights], drawn, read_path=False)[args.weights]}
        if joined:
            reports[f"with the pen's path ({args.path})"] = writers_report([args.weights], drawn)[args.weights]
        print(json.dumps(reports) if args.json else provenance(args.weights, model, meta) + "\n" + "\n".join(
            f"{how}: {format_writers(r)}" for how, r in reports.items()))
        return
    ds = checkout.dataset(args.data, official_test=args.data == "mnist60k")
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
    from .drawings import strokeset, unipenset
    drawn = (strokeset.load(unipenset.FILE) if source == "unipen"
             else unipenset.drawings(unipenset.read(source.removeprefix("unipen:"))))
    return [d for d in drawn if d.part == "held-out"]


def page_answers(name: str, drawings: list[list[np.ndarray]], *, read_path: bool = True) -> np.ndarray:
    """(n,) what the page answers (py/page/app.py's classify_many) with the
    network loaded as `name` for drawings on a unit pad: the digit, or -1
    for "not sure"."""
    answers = app.classify_many(name, drawings, 1.0, read_path=read_path)
    return np.array([-1 if a["digit"] is None else a["digit"] for a in answers], np.int64)


def writers_report(names: list[str], drawn: list, *, read_path: bool = True) -> dict[str, dict]:
    """Per network loaded in the page's app.models under one of `names`:
    real writers' digits (right, "not sure", wrong: fractions) and their
    letters and symbols ("not sure": fraction, overall and per group), each
    drawn on the page's pad the size its writer made it, answered as the
    page answers them (with the pen's path unless `read_path` is False). The
    characters written exactly like a digit (unipenset.DIGIT_LIKE) are counted
    apart: how many are read as the digit they look like (unipenset.READ_AS)."""
    from .drawings import unipenset
    digits = [d for d in drawn if d.group == "digit"]
    others = [d for d in drawn if d.group != "digit" and d.label not in unipenset.DIGIT_LIKE]
    alike = [d for d in drawn if d.group != "digit" and d.label in unipenset.READ_AS]
    expected, groups = np.array([int(d.label) for d in digits]), np.array([d.group for d in others])
    labels = np.array([d.label for d in others])
    looks_like = np.array([unipenset.READ_AS[d.label] for d in alike])
    out = {}
    for name in names:
        got, answered, read_alike = (page_answers(name, [unipenset.placed(d) for d in chosen], read_path=read_path)
                                     for chosen in (digits, others, alike))
        declined = answered == -1
        out[name] = {
            "writers": len({d.source for d in drawn}), "digits": len(digits),
            "right": _share(got == expected), "not_sure": _share(got == -1),
            "wrong": _share((got != expected) & (got != -1)),
            "mistakes": Counter(f"{e}→{g}" for e, g in zip(expected, got) if g not in (e, -1)).most_common(6),
            "nondigits": len(others), "nondigits_not_sure": _share(declined),
            "by_group": {g: _share(declined[groups == g]) for g in sorted(set(groups))},
            "by_label": {c: _share(declined[labels == c]) for c in sorted(set(labels))},
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
    worst = ", ".join(f"{c} {100 * v:.0f}%" for c, v in sorted(r["by_label"].items(), key=lambda cv: cv[1])[:12])
    return (f"held-out writers ({r['writers']}), as the page reads them:\n"
            f"  digits ({r['digits']:,}): right {100 * r['right']:.2f}%, not sure {100 * r['not_sure']:.2f}%, "
            f"wrong {100 * r['wrong']:.2f}%; most common mistakes {mistakes or 'none'}\n"
            f"  letters and symbols ({r['nondigits']:,}, those written like a digit aside): not sure "
            f"{100 * r['nondigits_not_sure']:.1f}% ({groups}); most often read as a digit {leaked or 'none'}\n"
            f"  the characters least often \"not sure\": {worst}\n"
            f"  written like a digit ({r['alike']:,}: O o I l | / ( ) Z S b G B g q …): read as that digit "
            f"{100 * r['alike_read_as_digit']:.1f}%, not sure {100 * r['alike_not_sure']:.1f}%")


def provenance(name: str, model: Model, meta: dict) -> str:
    """What a weights file says of itself: its network and how it was made."""
    made = ", ".join(f"{k} {meta[k]}" for k in ("data", "date") if meta.get(k))
    return (f"{name}: {model.architecture} {'-'.join(map(str, model.sizes()))}, {model.n_parameters:,} weights; "
            f"made by `{meta.get('command', 'an unknown command')}`" + (f" ({made})" if made else ""))


if __name__ == "__main__":
    run(main)
