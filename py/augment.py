"""Look at what augmentation (py/nn/distort.py) does to training digits:

    python -m py.augment --out augmented.png

The PNG shows, row after row, one real digit followed by augmented copies.
"""

import argparse

import numpy as np

from .cli import checkout, plot
from .io import files
from .io.errors import ArgumentParser, BadInput, run
from .nn.distort import augment


def main(argv: list[str] | None = None) -> None:
    ap = ArgumentParser(prog="python -m py.augment", description=__doc__,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="augmented.png")
    ap.add_argument("--rows", type=int, default=10, help="1 to 100")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if not 1 <= args.rows <= 100:
        raise BadInput(f"--rows {args.rows}: expected 1 to 100")
    if args.seed < 0:
        raise BadInput(f"--seed {args.seed}: expected a whole number from 0 up")
    files.check_output(args.out, "--out")
    x, y = checkout.dataset("embedded").train
    rng = np.random.default_rng(args.seed)
    picks = [rng.choice(np.flatnonzero(y == d % 10)) for d in range(args.rows)]
    rows = [np.concatenate([x[i:i + 1], augment(np.repeat(x[i:i + 1], 9, axis=0), rng)]) for i in picks]
    files.write_atomically(args.out, plot.png(plot.grid(np.concatenate(rows), columns=10)))
    print(f"wrote {args.out}: {args.rows} rows, each a real digit then 9 augmented copies")


if __name__ == "__main__":
    run(main)
