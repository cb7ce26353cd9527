"""The results: a table of the trials, the best one's command, the options'
importance, --plot's picture and --out's network."""

import argparse
import math
import os
import subprocess
import sys
import warnings

import optuna
from optuna.trial import FrozenTrial, TrialState

from . import space
from ..io import files, weights
from ..io.errors import BadInput
from .outcomes import accuracy, command, seconds, short, trained
from .workers import THREAD_VARIABLES


def table(trials: list["FrozenTrial"], names: list[str], best: int | None) -> str:
    """The trials, one row each: options, validation accuracy, epochs, time, and why a trial failed."""
    header = ["trial", "state", *names, "val acc", "epochs", "time (s)", "note"]
    rows = [header]
    for t in trials:
        acc, took = accuracy(t), seconds(t)
        note = ("best" if t.number == best else
                t.user_attrs.get("error", "interrupted (its worker stopped)") if t.state == TrialState.FAIL else "")
        rows.append([str(t.number), "failed" if t.state == TrialState.FAIL else t.state.name.lower(),
                     *(short(t.params[n]) if n in t.params else "-" for n in names),
                     "-" if acc is None else f"{100 * acc:.2f}%", str(len(t.intermediate_values)),
                     "-" if took is None else f"{took:.1f}", note])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
    return "\n".join("  ".join(c.rjust(w) if i and c[:1].isdigit() else c.ljust(w)
                               for i, (c, w) in enumerate(zip(r, widths))) + "  " + r[-1] for r in rows)


def importances(study: "optuna.Study", names: list[str]) -> dict[str, float]:
    """Optuna's importance of each searched option (PED-ANOVA, over the
    complete trials), most important first; {} before two trials complete."""
    complete = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    if not names or len(complete) < 2:
        return {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # "few trials": the report says how many there were
        return optuna.importance.get_param_importances(study, params=names)


def report(study: "optuna.Study", dims: list[space.Dimension], args: argparse.Namespace) -> None:
    trials = trained(study)
    complete = [t for t in trials if t.state == TrialState.COMPLETE]
    best = max(complete, key=lambda t: (t.value, -t.number), default=None)    # the first of equals
    names = [d.name for d in dims if not d.fixed]
    print(f"\n{table(trials, names, best and best.number)}\n")
    if best is None:
        if args.out or args.plot:
            raise BadInput(f"study {args.study}: no trial has completed, so there is no best network to write")
        print("no trial has completed yet")
        return
    print(f"best: trial {best.number}, validation accuracy {100 * best.value:.2f}%\n  {command(best)}")
    ranked = importances(study, names)
    if ranked:
        print(f"importance (Optuna's PED-ANOVA over {len(complete)} complete trials): "
              + ", ".join(f"{name} {value:.2f}" for name, value in ranked.items()))
    if args.plot:
        if not names:
            raise BadInput(f"--plot {args.plot}: the search space has no option that varies, so nothing to plot")
        picture = accuracy_svg(trials, {d.name: d for d in dims}, list(ranked)[:3] or names[:3], best, ranked)
        files.write_atomically(args.plot, picture.encode())
        print(f"wrote {args.plot}")
    if args.out:
        retrain(best, args.out)


def retrain(best: "FrozenTrial", out: str) -> None:
    """Run the best trial's command once more, writing `out`, with the
    trial's BLAS threads: the same weights, bit for bit."""
    print(f"\ntraining trial {best.number}'s network once more -> {out}", flush=True)
    env = dict(os.environ, **{name: str(best.user_attrs["blas_threads"]) for name in THREAD_VARIABLES})
    done = subprocess.run([sys.executable, "-m", "py.train", *best.user_attrs["argv"], "--out", out], env=env)
    if done.returncode:
        sys.exit(done.returncode)     # py.train has said why
    acc = weights.load(out)[1]["val_accuracy"]
    same = "the same as" if acc == best.value else "NOT the same as"
    print(f"{out}: validation accuracy {100 * acc:.2f}%, {same} trial {best.number}'s")


def accuracy_svg(trials: list["FrozenTrial"], dims: dict[str, space.Dimension], names: list[str],
                 best: "FrozenTrial", importance: dict[str, float]) -> str:
    """One panel per option in `names`: each trial's validation accuracy (%)
    against the option's value. Complete trials are filled dots, the best
    red; pruned ones hollow, at their last epoch's accuracy."""
    w, h, pad = 320, 260, 48
    scored = [(t, 100 * accuracy(t)) for t in trials if accuracy(t) is not None]
    lo = math.floor(min(a for _, a in scored) - 0.5)
    hi = min(100.0, math.ceil(max(a for _, a in scored) + 0.5))
    sy = lambda a: h - pad - (h - 2 * pad) * (a - lo) / (hi - lo)
    out = []
    for i, name in enumerate(names):
        dim, x0 = dims[name], i * w
        if dim.choices:     # one column per choice
            where = {v: k for k, v in enumerate(dim.choices)}
            place, left, right = (lambda v: where[v]), -0.5, len(dim.choices) - 0.5
            ticks = [(k, str(v)) for k, v in enumerate(dim.choices)]
        else:
            place = (lambda v: math.log10(v)) if dim.log else float
            left, right = place(dim.low), place(dim.high)
            ticks = [(left + (right - left) * k / 4, "") for k in range(5)]
            ticks = [(x, f"{10 ** x if dim.log else x:.3g}") for x, _ in ticks]
        sx = lambda x: x0 + pad + (w - 1.5 * pad) * (x - left) / (right - left)
        title = name + (" (log scale)" if dim.log else "") + \
            (f", importance {importance[name]:.2f}" if name in importance else "")
        out += [f'<text x="{x0 + w / 2}" y="18" text-anchor="middle" font-weight="bold">{title}</text>',
                f'<line x1="{x0 + pad}" y1="{sy(lo)}" x2="{x0 + w - pad / 2}" y2="{sy(lo)}" stroke="#888"/>',
                f'<line x1="{x0 + pad}" y1="{sy(lo)}" x2="{x0 + pad}" y2="{sy(hi)}" stroke="#888"/>']
        out += [f'<text x="{sx(x):.1f}" y="{h - pad + 16}" text-anchor="middle">{label}</text>' for x, label in ticks]
        out += [f'<text x="{x0 + pad - 4}" y="{sy(a) + 4:.1f}" text-anchor="end">{a:.3g}</text>'
                for a in (lo + (hi - lo) * k / 4 for k in range(5))]
        for t, a in scored:
            if name in t.params:
                style = ('fill="#d62728" r="5"' if t is best else 'fill="#1f77b4" fill-opacity="0.7" r="4"'
                         if t.state == TrialState.COMPLETE else 'fill="none" stroke="#999" r="4"')
                out.append(f'<circle cx="{sx(place(t.params[name])):.1f}" cy="{sy(a):.1f}" {style}>'
                           f'<title>trial {t.number}: {a:.2f}%</title></circle>')
    out.append(f'<text x="{pad}" y="{h - 8}">validation accuracy (%): complete trials (blue), the best (red), '
               f'pruned ones at their last epoch (hollow)</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w * len(names)}" height="{h}" '
            f'font-family="sans-serif" font-size="11">\n<rect width="100%" height="100%" fill="white"/>\n'
            + "\n".join(out) + "\n</svg>\n")

