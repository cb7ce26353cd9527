"""A set of drawings kept as pen strokes, compactly, in one `.npz` file: the
font glyphs that teach the networks what is not a digit (py/drawings/glyphs.npz) and
the held-out glyphs the benchmarks draw on the page (tests/data/glyphs.npz).

Each drawing is stored in its own box: its longer side spans 0..255 (uint8,
1/256 of the drawing: far finer than the 28×28 field resolves), the shorter
side centered. Arrays:

    points        (P, 2) uint8     x, y (y down) of every point, drawing after drawing
    stroke_ends   (S,) int32       index one past each stroke's last point
    drawing_ends  (D,) int32       index one past each drawing's last stroke
    label         (D,) str         the character ("A", "#") or shape ("heart")
    group         (D,) str         "letter", "symbol", "shape" or "digit"
    source        (D,) str         the font (or hand) it comes from
    extent        (D,) float32     the drawing's longer side in units of its font's
                                   cap height: a "." is small, an "A" about 1
    part          (D,) str         optional: "train", "tune" or "held-out" (real writers, py/drawings/unipenset.py)
"""

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..io.errors import BadInput

GROUPS = ("letter", "symbol", "shape", "digit")
KEYS = ("points", "stroke_ends", "drawing_ends", "label", "group", "source", "extent")
DOT = 1e-9        # the side of a drawing of one point (a dot): it still has a size to divide by


@dataclass
class Drawing:
    strokes: list[np.ndarray]   # (n, 2) float32 x, y in a unit box, y down
    label: str
    group: str
    source: str
    extent: float = 1.0
    part: str = ""


def normalized(strokes: list[np.ndarray]) -> tuple[list[np.ndarray], float]:
    """Strokes (any units, y down) -> the same shape in the unit box (longer side
    0..1, shorter side centered), and the longer side in the original units."""
    every = np.concatenate(strokes)
    low, high = every.min(axis=0), every.max(axis=0)
    side = max(float((high - low).max()), DOT)
    offset = (side - (high - low)) / 2
    return [((s - low + offset) / side).astype(np.float32) for s in strokes], side


def to_bytes(drawings: list[Drawing]) -> bytes:
    points, stroke_ends, drawing_ends = [], [], []
    n_points = 0
    for d in drawings:
        unit, _ = normalized(d.strokes)
        for s in unit:
            points.append(np.round(s * 255).astype(np.uint8))
            n_points += len(s)
            stroke_ends.append(n_points)
        drawing_ends.append(len(stroke_ends))
    buffer = io.BytesIO()
    np.savez_compressed(buffer, points=np.concatenate(points), stroke_ends=np.array(stroke_ends, np.int32),
                        drawing_ends=np.array(drawing_ends, np.int32),
                        label=np.array([d.label for d in drawings]), group=np.array([d.group for d in drawings]),
                        source=np.array([d.source for d in drawings]),
                        extent=np.array([d.extent for d in drawings], np.float32),
                        **({"part": np.array([d.part for d in drawings])} if any(d.part for d in drawings) else {}))
    return buffer.getvalue()


def save(path: str | Path, drawings: list[Drawing]) -> None:
    """Write atomically (a half-written file never replaces a good one)."""
    path = Path(path)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(to_bytes(drawings))
    partial.replace(path)


def load(path: str | Path) -> list[Drawing]:
    try:
        with np.load(path, allow_pickle=False) as npz:
            a = {k: npz[k] for k in KEYS}
            part = npz["part"] if "part" in npz.files else np.full(len(a["label"]), "")
    except (OSError, ValueError, KeyError, EOFError) as e:
        raise BadInput(f"{path}: not a stroke set ({e})") from None
    xy = a["points"].astype(np.float32) / 255
    stroke_starts = np.concatenate([[0], a["stroke_ends"][:-1]])
    strokes = [xy[s:e] for s, e in zip(stroke_starts, a["stroke_ends"])]
    first = np.concatenate([[0], a["drawing_ends"][:-1]])
    return [Drawing(strokes[f:e], str(label), str(group), str(source), float(extent), str(p))
            for f, e, label, group, source, extent, p
            in zip(first, a["drawing_ends"], a["label"], a["group"], a["source"], a["extent"], part)]
