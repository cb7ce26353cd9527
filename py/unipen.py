"""Make the committed set of real pen strokes, py/drawings/unipen.npz, from the
UNIPEN distribution train_r01_v07 (the UNIPEN consortium, 1999, CC BY 4.0;
Zenodo, doi 10.5281/zenodo.1195803):

    python -m py.unipen --data DIR      # DIR holds the distribution's data/ and include/

It keeps every digit and, per part, a sample of the letters and symbols
(py/drawings/unipenset.py says how writers are split and what is kept).
"""

import argparse

from .drawings import strokeset, unipenset
from .io import files
from .io.errors import ArgumentParser, BadInput, run


def main(argv: list[str] | None = None) -> None:
    ap = ArgumentParser(prog="python -m py.unipen", description=__doc__,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="the UNIPEN distribution's folder (holding data/ and include/)")
    ap.add_argument("--out", default=str(unipenset.FILE), help=f"the set to write (default {unipenset.FILE})")
    args = ap.parse_args(argv)
    out = files.check_output(args.out, "--out")
    characters = unipenset.read(args.data)
    if not characters:
        raise BadInput(f"{args.data}: no characters under data/1a … data/1d")
    kept = unipenset.drawings(characters)
    strokeset.save(out, kept)
    counts = {p: sum(d.part == p and d.group == "digit" for d in kept) for p in unipenset.PARTS}
    writers = {p: len({d.source for d in kept if d.part == p}) for p in unipenset.PARTS}
    print(f"read {len(characters):,} characters; wrote {out} ({out.stat().st_size:,} bytes): "
          + ", ".join(f"{p} {writers[p]} writers, {counts[p]:,} digits" for p in unipenset.PARTS))


if __name__ == "__main__":
    run(main)
