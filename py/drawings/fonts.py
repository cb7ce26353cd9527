"""The font glyphs people draw on a digit pad when they test it: letters,
punctuation and math symbols, simple shapes; and other hands' digits, as pen
strokes (what the page receives). Single-line fonts are strokes already;
handwriting fonts are outlines, thinned to strokes by py/drawings/outlines.py. One
command builds both committed files:

    python -m py.glyphs      # needs the dev extras (PyPI hershey-fonts, fonttools) and npm ci

Sources, split by font (a font is either trained on or held out, never both):
  training   A. V. Hershey's fonts (1967; PyPI `hershey-fonts` 2.1.0): roman, italic,
             script and Greek alphabets, math symbols, a symbol font's shapes; and 31
             handwriting fonts (npm `@fontsource/*` 5.x, pinned in package.json; HANDWRITING)
  held out   the nine EMS single-line fonts (Evil Mad Scientist Laboratories, npm
             `hersheytext` 2.0.0), print and handwriting-like; and six other handwriting
             fonts (HANDWRITING_HELD_OUT)
py/drawings/glyphs.npz holds the training fonts' letters, symbols and shapes (outlier
exposure) and their digits (more hands than MNIST's: a 1 with a flag and a
foot, an open 4). tests/data/glyphs.npz holds the held-out fonts' letters, symbols
and digits, only reported (harness/heldout.py).

Left out, because people write them exactly like digits (training a network to
doubt them would teach it to doubt real digits): O o ° Ø ø (a 0; many write a
slashed zero), I l | and the lone strokes ( ) [ ] { } / \\ ! ' ` ¦ ∫ ‖ (a 1,
straight or slightly curved), Z z (a 2), S s § (a 5), b (a 6), g q (a 9), ∃
(a 3), " (two 1s), Γ and a flag on its pole (a 7, a flagged 1), shapes
round like a 0 (circle, ring, bulb, hexagon), and anything holding a digit (¹ ½ …).
"""

import html
import re
from pathlib import Path

import numpy as np

from ..io.errors import BadInput
from . import outlines
from .strokeset import Drawing, normalized

TRAIN_FILE = Path(__file__).resolve().parent / "glyphs.npz"      # package data: what training draws
HANDWRITING = ("architects-daughter", "caveat", "comic-neue", "dancing-script", "gloria-hallelujah",
               "indie-flower", "kalam", "patrick-hand", "schoolbell", "shadows-into-light",
               "amatic-sc", "annie-use-your-telescope", "coming-soon", "crafty-girls", "delius", "homemade-apple",
               "itim", "just-another-hand", "la-belle-aurore", "loved-by-the-king", "mali", "neucha",
               "nothing-you-could-do", "over-the-rainbow", "short-stack", "sriracha", "sue-ellen-francisco",
               "swanky-and-moo-moo", "the-girl-next-door", "waiting-for-the-sunrise", "zeyada")
# Not gochi-hand: its 1 is a 7 to most readers (a long flag on a short pole).
HANDWRITING_HELD_OUT = ("covered-by-your-grace", "handlee", "nanum-pen-script", "permanent-marker",
                        "reenie-beanie", "rock-salt")

UPPER = "ABCDEFGHJKLMNPQRTUVWXY"            # no I O S Z
LOWER = "acdefhijkmnprtuvwxy"               # no b g l o q s z
SYMBOLS = "#$%&*+:;<=>?@^~"         # no . - " : the synthetic dots and lines cover the first two, and " is a pair of 1s
DIGITS = "0123456789"

# Hershey fonts: which to read and what they hold (their glyphs sit at ASCII keys).
# Shapes like a 0 (circle, bulb, ring) or a flagged 1 (a flag on its pole) are left out.
LATIN = ("futural", "futuram", "rowmans", "rowmand", "rowmant", "timesr", "timesrb", "timesi", "timesib",
         "scripts", "scriptc", "cursive")
GREEK = ("greek", "greekc", "greeks")       # Greek letters at the Latin keys: same exclusions, minus o, z ...
GREEK_LETTERS = "ABCDEFHKLMNPQRTUVWXYacdefhkmnprtuvwxy"      # no Γ: a 7 or a flagged 1
# The math and symbol fonts: ASCII key -> what it draws.
MATH = {"!": "±", '"': "∓", "#": "×", "&": "≤", "'": "≥", ":": "Π", ";": "Σ", "?": "≠", "@": "≡", "^": "∝",
        "_": "∞", "b": "√", "d": "⊂", "e": "∪", "f": "⊃", "g": "∩", "h": "∈", "i": "→", "j": "↑", "k": "←",
        "l": "↓", "m": "∂", "n": "∇", "w": "ℵ", "x": "÷", "z": "⊥", "|": "∠", "~": "∴"}
SYMBOLIC_SHAPES = {"G": "triangle down", "I": "square", "J": "triangle", "K": "diamond", "L": "star outline",
                   "Q": "filled square", "R": "filled triangle", "S": "filled triangle left",
                   "T": "filled triangle down", "U": "filled triangle right", "X": "anchor",
                   "^": "cross flower", "`": "star of David", "a": "bell", "b": "palm", "c": "tree",
                   "d": "flower", "g": "cushion", "h": "clover", "m": "spade", "n": "heart",
                   "o": "diamond", "p": "club", "~": "star"}
SYMBOLIC_SYMBOLS = {"M": "+", "N": "×", "O": "*", "D": "⊓", "E": "∧", "j": "†", "k": "‡", "l": "∴"}
# EMS and handwriting fonts: characters beyond ASCII worth drawing.
MORE_SYMBOLS = SYMBOLS + "±÷×«»€£¥¢©®¿"
WANTED = {**{c: "letter" for c in UPPER + LOWER}, **{c: "symbol" for c in MORE_SYMBOLS}, **{c: "digit" for c in DIGITS}}


def held_out(source: str) -> bool:
    """Whether a drawing's source font is held out (never trained or tuned on)."""
    return source.startswith("ems-") or source.removeprefix("hand-") in HANDWRITING_HELD_OUT


def hershey() -> list[Drawing]:
    """Every selected glyph of the Hershey fonts, letters, symbols, shapes and digits."""
    try:
        from HersheyFonts import HersheyFonts
    except ImportError:
        raise BadInput("HersheyFonts: not installed (pip install -e '.[dev]' installs PyPI hershey-fonts)") from None

    def font(name: str) -> tuple[dict, float]:
        f = HersheyFonts()
        f.load_default_font(name)
        options = f.render_options
        return f.all_glyphs, float(options["base_line"] - options["cap_line"])

    def picked(name: str, table: dict[str, str], group: str) -> list[Drawing]:
        glyphs, cap = font(name)
        out = []
        for key, label in table.items():
            strokes = [np.array(s, np.float32) for s in glyphs[key].strokes if len(s)]
            if strokes:
                _, side = normalized(strokes)
                out.append(Drawing(strokes, label, group, f"hershey-{name}", side / cap))
        return out

    same = lambda chars: {c: c for c in chars}
    drawings = []
    for name in LATIN:
        drawings += picked(name, same(UPPER + LOWER), "letter") + picked(name, same(SYMBOLS), "symbol")
        drawings += picked(name, same(DIGITS), "digit")
    for name in GREEK:
        drawings += picked(name, {c: f"greek {c}" for c in GREEK_LETTERS}, "letter")
    drawings += picked("mathlow", MATH, "symbol")      # "mathupp" draws the same
    drawings += picked("symbolic", SYMBOLIC_SHAPES, "shape") + picked("symbolic", SYMBOLIC_SYMBOLS, "symbol")
    return drawings


def svg_path(d: str) -> list[np.ndarray]:
    """An SVG path of M, L and C commands (absolute, as in the EMS fonts) ->
    polylines; each cubic Bézier becomes 8 segments. y is flipped to point down."""
    tokens = re.findall(r"[MLC]|-?[\d.]+(?:e-?\d+)?", d)
    strokes, command, i = [], None, 0
    while i < len(tokens):
        if tokens[i] in "MLC":
            command, i = tokens[i], i + 1
            continue
        if command == "M":
            strokes.append([(float(tokens[i]), float(tokens[i + 1]))])
            command, i = "L", i + 2          # coordinates after an M's first pair are line-tos
        elif command == "L":
            strokes[-1].append((float(tokens[i]), float(tokens[i + 1])))
            i += 2
        else:
            p0 = np.array(strokes[-1][-1])
            p1, p2, p3 = (np.array([float(tokens[i + 2 * k]), float(tokens[i + 2 * k + 1])]) for k in range(3))
            for t in np.linspace(0, 1, 9)[1:]:
                strokes[-1].append(tuple((1 - t) ** 3 * p0 + 3 * (1 - t) ** 2 * t * p1
                                         + 3 * (1 - t) * t ** 2 * p2 + t ** 3 * p3))
            i += 6
    return [np.array(s, np.float32) * np.float32([1, -1]) for s in strokes if len(s)]


def ems(folder: Path) -> list[Drawing]:
    """The EMS fonts' letters, symbols and digits."""
    files = sorted(folder.glob("EMS*.svg"))
    if not files:
        raise BadInput(f"{folder}: no EMS*.svg fonts (run npm ci: npm hersheytext)")
    drawings = []
    for f in files:
        glyphs = {}
        for m in re.finditer(r'<glyph\s+unicode="([^"]*)"[^>]*?\sd="([^"]*)"', f.read_text()):
            glyphs[html.unescape(m.group(1))] = svg_path(m.group(2))
        cap = float(np.ptp(np.concatenate(glyphs["H"])[:, 1]))
        for char, group in WANTED.items():
            if glyphs.get(char):
                _, side = normalized(glyphs[char])
                drawings.append(Drawing(glyphs[char], char, group, f"ems-{f.stem}", side / cap))
    return drawings


def handwriting(names: tuple[str, ...], folder: Path) -> list[Drawing]:
    """The letters, symbols and digits of handwriting fonts (@fontsource
    packages: the Latin subset, regular weight), thinned to strokes."""
    try:
        from fontTools.pens.recordingPen import DecomposingRecordingPen
        from fontTools.ttLib import TTFont
    except ImportError:
        raise BadInput("fontTools: not installed (pip install -e '.[dev]' installs PyPI fonttools)") from None
    drawings = []
    for name in names:
        path = folder / name / "files" / f"{name}-latin-400-normal.woff"
        if not path.exists():
            raise BadInput(f"{path}: missing (run npm ci: npm @fontsource/{name})")
        font = TTFont(path)
        glyph_set, cmap = font.getGlyphSet(), font.getBestCmap()

        def outline(char: str) -> list:
            pen = DecomposingRecordingPen(glyph_set)       # composite glyphs (accents ...) as outlines
            glyph_set[cmap[ord(char)]].draw(pen)
            return pen.value

        cap = outlines.strokes(outline("H"))[1]
        for char, group in WANTED.items():
            if ord(char) in cmap and outlines.flatten(outline(char)):
                strokes, side = outlines.strokes(outline(char))
                if strokes:                    # thinning can leave nothing of a hairline glyph
                    drawings.append(Drawing(strokes, char, group, f"hand-{name}", side / cap))
    return drawings
