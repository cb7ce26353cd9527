"""`./build.sh bench half [--most N]`: the shipped networks as trained
(float32, weights/*.npz) and as the page gets them (float16, py/site.py's
shipped_weights): the file's bytes, validation accuracy, and the held-out
drawings of tests/heldout.py rendered natively through the page's
preprocessing (as tests/test_heldout.py does; `bench drawn` draws the same
ones on the page): right / "not sure" / wrong for each, and how many
drawings the two answer differently."""

import io
import zipfile

import brotli
import numpy as np

import heldout
from drawn import PARTS, tally

from py import checkout
from py.io import weights
from py.site import SHIPPED, shipped_weights


def as_digits(answers: np.ndarray) -> list[str]:
    """The page's text for each answer: the digit, or "" for "not sure"."""
    return ["" if a < 0 else str(a) for a in answers]


def half(most: int | None) -> None:
    x, y = checkout.dataset("embedded").val
    cases = {"own": heldout.digit_cases("own"), "hands": heldout.digit_cases("held-out"),
             "nondigits": heldout.nondigit_cases(), "writers": heldout.writer_cases(digits=True),
             "writers-nondigits": heldout.writer_cases(digits=False)}
    if most:
        cases = {k: v[::max(1, len(v) // most)][:most] for k, v in cases.items()}
    images = {k: np.array([heldout.render(c).ravel() for c in v]) for k, v in cases.items()}
    for name in SHIPPED:
        path = checkout.WEIGHTS / f"{name}.npz"
        page_copy = shipped_weights(path)
        versions = {"float32": (path.read_bytes(), *weights.load(path)),
                    "float16": (page_copy, *weights.from_bytes(page_copy, "the page's copy"))}
        print(f"\n{name.upper()}")
        got = {}
        for kind, (data, model, meta) in versions.items():
            stored = zipfile.ZipFile(io.BytesIO(data)).infolist()[1].compress_type == zipfile.ZIP_STORED
            over_wire = len(brotli.compress(data, quality=11)) if stored else len(data)
            accuracy = (model.logits(x).argmax(axis=1) == y).mean()
            print(f"  {kind}: {len(data):,} bytes, {over_wire:,} over the wire; validation {100 * accuracy:.2f}% "
                  f"of {len(y):,}")
            got[kind] = {part: heldout.answers(model, meta, images[part]) for part in cases}
            for part in cases:
                told = tally(cases[part], as_digits(got[kind][part])).split("; named:")[0]
                print(f"    {PARTS[part]}, {len(cases[part])}: {told}")
        differ = sum(int((got["float32"][p] != got["float16"][p]).sum()) for p in cases)
        print(f"  drawings answered differently by float16 and float32: {differ} of {sum(map(len, cases.values()))}")
