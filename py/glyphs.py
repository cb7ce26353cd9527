"""Make the glyph sets from fonts (py/drawings/fonts.py says which fonts and
why): the training set py/drawings/glyphs.npz and the held-out set
tests/data/glyphs.npz, both committed.

    python -m py.glyphs      # needs the dev extras (PyPI hershey-fonts, fonttools) and npm ci
"""

import argparse
from pathlib import Path

from .cli import checkout
from .drawings import fonts, strokeset
from .io.errors import run


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m py.glyphs", description=f"{__doc__}\n{fonts.__doc__}",
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ems", default=str(checkout.NODE_MODULES / "hersheytext" / "svg_fonts"),
                    help="folder of the EMS SVG fonts")
    ap.add_argument("--fontsource", default=str(checkout.NODE_MODULES / "@fontsource"),
                    help="folder of the @fontsource packages")
    ap.add_argument("--train", default=str(fonts.TRAIN_FILE), help="where to write the training glyphs")
    ap.add_argument("--held-out", default=str(checkout.HELD_OUT_GLYPHS), help="where to write the held-out glyphs")
    args = ap.parse_args()
    fontsource = Path(args.fontsource)
    every = (fonts.hershey() + fonts.handwriting(fonts.HANDWRITING, fontsource) + fonts.ems(Path(args.ems))
             + fonts.handwriting(fonts.HANDWRITING_HELD_OUT, fontsource))
    train = [d for d in every if not fonts.held_out(d.source)]
    tests = [d for d in every if fonts.held_out(d.source)]
    for path, drawings in ((Path(args.train), train), (Path(args.held_out), tests)):
        strokeset.save(path, drawings)
        counts = ", ".join(f"{g} {sum(d.group == g for d in drawings)}" for g in strokeset.GROUPS)
        print(f"wrote {path} ({path.stat().st_size:,} bytes): {len(drawings)} drawings ({counts})")


if __name__ == "__main__":
    run(main)
