"""The drawings the benchmarks draw on the page and the tests render natively,
and which part of them is held out.

Digits:
    own        tests/data/strokes.json "digits": our own styles (50), at 4 placements
    tune       other hands we may tune augmentation on: strokes.json "hands" marked
               "tune" (the training fonts' digits are training digits: py/drawings/glyphs.npz)
    held-out   other hands never tuned on: strokes.json "hands" marked "held-out",
               and the held-out fonts' digits (tests/data/glyphs.npz, py/drawings/fonts.py)
Non-digits (all held out; training sees only py/drawings/glyphs.npz and py/drawings/shapes.py):
    held-out   the held-out fonts' letters and symbols (tests/data/glyphs.npz), and the
               shapes, letters and symbols drawn by hand in strokes.json "nondigits"
Real writers (py/drawings/unipen.npz; py/drawings/unipenset.py splits them by writer):
    writers    the held-out writers' digits, and their letters and symbols (those
               written exactly like a digit, unipenset.DIGIT_LIKE, aside), each at
               the size its writer made it
"""

import json
from dataclasses import dataclass

import numpy as np

from py.cli.checkout import HELD_OUT_GLYPHS, OWN_STROKES
from py.drawings import strokeset, unipenset
from py.page import app
from py.page.preprocess import from_strokes

from .browser import place

Stroke = list[tuple[float, float]]

# (size, top-left corner, slant, stretch): large, small in a corner, leaning and
# narrow, wide and leaning back.
PLACEMENTS = [(0.8, (0.1, 0.1), 0.0, 1.0), (0.3, (0.05, 0.6), 0.0, 1.0),
              (0.55, (0.4, 0.05), 0.25, 0.7), (0.6, (0.1, 0.3), -0.15, 1.3)]
# A font glyph is drawn at its size relative to a capital (a "." stays small):
# a capital at 0.7 of the pad upright, or at 0.45 leaning and narrower.
FONT_PLACEMENTS = [(0.7, (0.15, 0.1), 0.0, 1.0), (0.45, (0.35, 0.3), 0.2, 0.85)]


@dataclass
class Case:
    expected: str               # the digit, or "" for a non-digit (the page should say "not sure")
    group: str                  # "digit", "letter", "symbol" or "shape"
    source: str                 # where it comes from: "own", "hands", a font
    name: str                   # the style or label, for reports
    strokes: list[Stroke]       # in a unit box, x right, y down
    size: float = 0.8           # see browser.place
    at: tuple[float, float] = (0.1, 0.1)
    slant: float = 0.0
    stretch: float = 1.0

    @property
    def placement(self) -> tuple:
        return self.size, self.at, self.slant, self.stretch


def _strokes_json() -> dict:
    return json.loads(OWN_STROKES.read_text())


def _as_lists(strokes: list[np.ndarray]) -> list[Stroke]:
    return [[(float(x), float(y)) for x, y in s] for s in strokes]


def _font_cases(drawings: list[strokeset.Drawing]) -> list["Case"]:
    """Each font glyph at one of FONT_PLACEMENTS, in turn."""
    cases = []
    for i, d in enumerate(drawings):
        size, at, slant, stretch = FONT_PLACEMENTS[i % len(FONT_PLACEMENTS)]
        cases.append(Case(d.label if d.group == "digit" else "", d.group, d.source, d.label, _as_lists(d.strokes),
                          min(size * d.extent, 0.85), at, slant, stretch))
    return cases


def digit_cases(part: str) -> list[Case]:
    """part: "own", "tune" or "held-out" (see the module's docstring)."""
    s = _strokes_json()
    if part == "own":
        return [Case(d, "digit", "own", f"style {i}", style, *p)
                for d, styles in s["digits"].items() for i, style in enumerate(styles) for p in PLACEMENTS]
    hands = [Case(d, "digit", "hands", style["style"], style["strokes"], *p)
             for d, styles in s["hands"].items() for style in styles if style["split"] == part for p in PLACEMENTS]
    fonts = [g for g in strokeset.load(HELD_OUT_GLYPHS) if g.group == "digit"] if part == "held-out" else []
    return hands + _font_cases(fonts)


def nondigit_cases() -> list[Case]:
    """Every held-out non-digit: the EMS fonts' glyphs once each, the hand-drawn
    ones at two placements."""
    fonts = [g for g in strokeset.load(HELD_OUT_GLYPHS) if g.group != "digit"]
    hand = [Case("", d["group"], "hand", d["label"], d["strokes"], *p)
            for d in _strokes_json()["nondigits"] for p in PLACEMENTS[:1] + PLACEMENTS[2:3]]
    return _font_cases(fonts) + hand


def writer_cases(digits: bool) -> list[Case]:
    """The held-out writers' digits (digits=True) or letters and symbols."""
    return [Case(d.label if digits else "", d.group, d.source, d.label, _as_lists(d.strokes),
                 min(unipenset.SIZE * d.extent, 1 - unipenset.CORNER), (unipenset.CORNER, unipenset.CORNER))
            for d in strokeset.load(unipenset.FILE) if d.part == "held-out" and (d.group == "digit") == digits
            and d.label not in unipenset.DIGIT_LIKE]


def placed(case: Case) -> list[np.ndarray]:
    """`case` drawn on a square pad, in units of the pad's width (as the page sends points)."""
    return [np.array(s, np.float32) for s in place(case.strokes, {"x": 0.0, "y": 0.0, "width": 1.0, "height": 1.0},
                                                   *case.placement)]


def render(case: Case) -> np.ndarray:
    """The 28×28 image the page's network gets for `case`."""
    return from_strokes(placed(case), 1.0)


def answers(name: str, cases: list[Case], *, read_path: bool = True) -> np.ndarray:
    """The page's answers (py.page.app.classify_many, the page's own door) by
    the network loaded in app.models as `name`: the digit, or -1 for "not sure"."""
    got = app.classify_many(name, [placed(c) for c in cases], 1.0, read_path=read_path)
    return np.array([-1 if a["digit"] is None else a["digit"] for a in got], np.int64)
