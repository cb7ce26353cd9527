"""`./build.sh bench half [--most N]`: the shipped networks as trained
(float32, weights/*.npz) and as the page gets them (float16 with
py/site.py's SHIPPED_BITS of mantissa, shipped_weights): the file's bytes,
validation accuracy, and the held-out drawings of harness/heldout.py answered
natively through the page's door (py.page.app.classify_many, the pen's path
network joined, as tests/test_heldout.py does; `bench drawn` draws the same
ones on the page): right / "not sure" / wrong for each, and how many
drawings the two answer differently."""

import io
import zipfile

import brotli
import numpy as np

from harness import heldout
from .drawn import PARTS, tally

from py.cli import checkout
from py.io import weights
from py.page import app
from py.site import SHIPPED_NETWORKS, SHIPPED_BITS, shipped_weights


def as_digits(answers: np.ndarray) -> list[str]:
    """The page's text for each answer: the digit, or "" for "not sure"."""
    return ["" if a < 0 else str(a) for a in answers]


def both(path) -> dict[str, tuple[bytes, object, dict]]:
    """A shipped file as trained and as the page gets it: (bytes, model, meta) each."""
    page_copy = shipped_weights(path)
    return {"float32": (path.read_bytes(), *weights.load(path)),
            f"float16, {SHIPPED_BITS} bits of mantissa": (page_copy, *weights.from_bytes(page_copy, "the page's copy"))}


def over_wire(data: bytes) -> int:
    """The bytes a browser downloads: brotli's, for a file stored uncompressed (the page's copies)."""
    stored = zipfile.ZipFile(io.BytesIO(data)).infolist()[1].compress_type == zipfile.ZIP_STORED
    return len(brotli.compress(data, quality=11)) if stored else len(data)


def half(most: int | None) -> None:
    x, y = checkout.dataset("mnist60k").val
    cases = {"own": heldout.digit_cases("own"), "hands": heldout.digit_cases("held-out"),
             "nondigits": heldout.nondigit_cases(), "writers": heldout.writer_cases(digits=True),
             "writers-nondigits": heldout.writer_cases(digits=False)}
    if most:
        cases = {k: v[::max(1, len(v) // most)][:most] for k, v in cases.items()}
    versions = {name: both(checkout.WEIGHTS / f"{name}.npz") for name in (*SHIPPED_NETWORKS, app.PATH)}
    for kind, (data, _, _) in versions[app.PATH].items():
        print(f"the pen's path network, {kind}: {len(data):,} bytes, {over_wire(data):,} over the wire")
    for name in SHIPPED_NETWORKS:
        print(f"\n{name.upper()}")
        got = {}
        for kind, (data, model, meta) in versions[name].items():
            app.models[name], app.models[app.PATH] = (model, meta), versions[app.PATH][kind][1:]
            accuracy = (model.logits(x).argmax(axis=1) == y).mean()
            print(f"  {kind}: {len(data):,} bytes, {over_wire(data):,} over the wire; validation {100 * accuracy:.2f}% "
                  f"of {len(y):,}")
            got[kind] = {part: heldout.answers(name, cases[part]) for part in cases}
            for part in cases:
                told = tally(cases[part], as_digits(got[kind][part])).split("; named:")[0]
                print(f"    {PARTS[part]}, {len(cases[part])}: {told}")
        trained, page_copy = got.values()
        differ = sum(int((trained[p] != page_copy[p]).sum()) for p in cases)
        print(f"  drawings answered differently by float16 and float32: {differ} of {sum(map(len, cases.values()))}")
