r"""Real pen strokes: isolated characters of the UNIPEN distribution
train_r01_v07 (the UNIPEN consortium, 1999; CC BY 4.0), read from its own
files. Digits, letters and symbols written on tablets by a few hundred people
at many institutions, as pen-down strokes: the kind of input the page gets.

The distribution's layout and format, as this reader takes it:

    ROOT/data/<category>/<institution>/…/*.dat   segment files: which characters are where
    ROOT/include/<institution>/…                 the writers' data files they include

A segment file is a list of keyword lines. `.INCLUDE <path>` (relative to
ROOT/include) brings in a file as if its lines stood there: a data file, or a
`.doc`/`.lex` that documents the recording. `.SEGMENT CHARACTER <range>
<quality> "<label>"` names one character of what was included before it.

A data file is a sequence of `.PEN_DOWN` and `.PEN_UP` components, each
followed by lines of `x y` (more columns may follow; the first two are x and
y). Components are numbered from 0 across everything included, pen-up ones
too. A range is a comma-separated list of components (`7`), spans (`3-5`),
or spans between points (`3:12-5:40`: from point 12 of component 3 to point
40 of component 5, both included). Only pen-down points are kept.
`.X_POINTS_PER_INCH` and `.Y_POINTS_PER_INCH` (or `…_PER_MM`) may differ: y
is scaled by their ratio to keep the shape. y grows upward in these files; it
is flipped here, so strokes come out as a screen has them (y down).
`.WRITER_ID` names the writer; a data file without one stands for a writer of
its own. A label is a quoted character, `\"` and `\\` escaped; one
institution labels the strokes between characters `\@`: they are skipped.

A malformed file raises BadInput naming it, the line and the problem.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..io import data, progress
from ..io.errors import BadInput
from ..page import preprocess
from . import strokeset

FILE = Path(__file__).resolve().parent / "unipen.npz"     # the committed set (see `drawings`; python -m py.unipen)

CATEGORIES = {"1a": "digit", "1b": "upper", "1c": "lower", "1d": "symbol"}
MAX_FILE_BYTES = 64 << 20     # the largest file of the distribution is a few MB
SEGMENT = re.compile(r'\.SEGMENT\s+CHARACTER\s+(\S+)\s+(\S+)\s+"((?:[^"\\]|\\.)*)"\s*$')
STRAY = "\\@"              # kai's label for pen strokes between characters (none is an @)
ENDPOINT = re.compile(r"(\d+)(?::(\d+))?$")


@dataclass
class Character:
    label: str                  # "7", "A", "#"
    strokes: list[np.ndarray]   # (n, 2) float32 x, y in tablet units, y down
    writer: str                 # "<institution>/<writer id>", unique across the distribution
    category: str               # "digit", "upper", "lower" or "symbol"


@dataclass
class _Included:
    """What the includes of one segment file hold: every component, and the
    keywords that describe them."""
    components: list[tuple[bool, np.ndarray]]    # (pen down?, (n, 2) float64 x, y as written)
    writer: str
    y_scale: float                               # multiply y by this to get x's units


def read(root: str | Path, categories: tuple[str, ...] = tuple(CATEGORIES)) -> list[Character]:
    """Every character of the given categories ("1a" digits, "1b" upper case,
    "1c" lower case, "1d" symbols) under ROOT/data, in a fixed order."""
    root = Path(root)
    for needed in ("data", "include"):
        if not (root / needed).is_dir():
            raise BadInput(f"{root}: not a UNIPEN distribution (no {needed}/ folder)")
    cache: dict[Path, list[tuple[int, str, str]]] = {}
    out = []
    for category in categories:
        if category not in CATEGORIES:
            raise BadInput(f"{category}: not a UNIPEN character category (expected one of {', '.join(CATEGORIES)})")
        for path in sorted((root / "data" / category).rglob("*.dat")):
            out.extend(_segment_file(path, root / "include", CATEGORIES[category], cache))
    return out


def _segment_file(path: Path, include: Path, category: str, cache: dict) -> Iterator[Character]:
    included = _Included([], "", 1.0)
    for number, line in _lines(path):
        if line.startswith(".INCLUDE"):
            _include(included, include, line.split(None, 1)[1:], path, number, cache)
        elif line.startswith(".SEGMENT"):
            match = SEGMENT.match(line)
            if not match:
                raise BadInput(f'{path}: line {number}: expected .SEGMENT CHARACTER <range> <quality> "<label>"')
            spec, _, label = match.groups()
            if label == STRAY:
                continue
            strokes = _strokes(included.components, spec, f"{path}: line {number}")
            if strokes:
                yield Character(re.sub(r"\\(.)", r"\1", label),
                                [np.stack([s[:, 0], -s[:, 1] * included.y_scale], axis=1).astype(np.float32)
                                 for s in strokes], included.writer, category)


def _include(included: _Included, include: Path, args: list[str], path: Path, number: int, cache: dict) -> None:
    """Adds an included file's components and keywords to `included`."""
    if not args:
        raise BadInput(f"{path}: line {number}: .INCLUDE names no file")
    name = args[0].strip()
    target = (include / name).resolve()
    if include.resolve() not in target.parents:
        raise BadInput(f"{path}: line {number}: .INCLUDE {name} points outside {include}")
    if not target.is_file():
        if target.suffix in (".doc", ".lex"):      # documentation only; some are missing from the distribution
            return
        raise BadInput(f"{path}: line {number}: .INCLUDE {name}: no such file in {include}")
    if target not in cache:
        cache[target] = _data_file(target, include)
    components, keywords = cache[target]
    included.components.extend(components)
    included.writer = keywords.get("writer") or included.writer or f"{target.relative_to(include).with_suffix('')}"
    if "y_scale" in keywords:
        included.y_scale = keywords["y_scale"]


def _data_file(path: Path, include: Path) -> tuple[list[tuple[bool, np.ndarray]], dict]:
    """A data file's components in order, and its writer and y scale (which an
    included .doc may give instead)."""
    components, keywords, resolution = [], {}, {}
    current: list[list[float]] | None = None
    for number, line in _lines(path):
        if line.startswith("."):
            word, _, rest = line.replace("\t", " ").partition(" ")
            rest = rest.strip()
            current = None
            if word in (".PEN_DOWN", ".PEN_UP"):
                current = []
                components.append((word == ".PEN_DOWN", current))
                if rest:
                    raise BadInput(f"{path}: line {number}: {word} takes no value on its line")
            elif word == ".WRITER_ID" and rest:
                institution = path.relative_to(include).parts[0]
                keywords["writer"] = f"{institution}/{rest.split()[0]}"
            elif word in (".X_POINTS_PER_INCH", ".Y_POINTS_PER_INCH", ".X_POINTS_PER_MM", ".Y_POINTS_PER_MM"):
                resolution[word[1]] = _positive(rest, path, number, word)
            elif word == ".INCLUDE" and rest.endswith(".doc"):
                doc = include / rest.split()[0]
                if doc.is_file():
                    _, doc_keywords = _data_file(doc, include)
                    keywords.setdefault("y_scale", doc_keywords.get("y_scale"))
        elif current is not None and line.strip():
            fields = line.split()
            try:
                x, y = float(fields[0]), float(fields[1])
            except (ValueError, IndexError):
                raise BadInput(f"{path}: line {number}: expected 'x y', got {line.strip()[:40]!r}") from None
            if not (np.isfinite(x) and np.isfinite(y)):
                raise BadInput(f"{path}: line {number}: coordinates must be finite numbers")
            current.append([x, y])
    if "X" in resolution and "Y" in resolution:
        keywords["y_scale"] = resolution["X"] / resolution["Y"]
    if keywords.get("y_scale") is None:
        keywords.pop("y_scale", None)
    # A pen-up block without points is no component: ranges do not count it.
    return [(down, np.array(points, np.float64).reshape(-1, 2)) for down, points in components
            if down or points], keywords


def _positive(text: str, path: Path, number: int, word: str) -> float:
    try:
        value = float(text.split()[0])
    except (ValueError, IndexError):
        value = float("nan")
    if not (np.isfinite(value) and value > 0):
        raise BadInput(f"{path}: line {number}: {word} expects a number above 0, got {text[:40]!r}")
    return value


def _strokes(components: list[tuple[bool, np.ndarray]], spec: str, where: str) -> list[np.ndarray]:
    """The pen-down strokes a range names (see the module's docstring)."""
    strokes = []
    for part in spec.split(","):
        first, _, last = part.partition("-")
        (c0, p0), (c1, p1) = _endpoint(first, where, components), _endpoint(last or first, where, components)
        if (c1, p1 if p1 is not None else 1 << 62) < (c0, p0 or 0):
            raise BadInput(f"{where}: range {part} runs backwards")
        for c in range(c0, c1 + 1):
            down, points = components[c]
            lo = p0 if c == c0 and p0 is not None else 0
            hi = p1 + 1 if c == c1 and p1 is not None else len(points)
            if down and hi > lo:
                strokes.append(points[lo:hi])
    return strokes


def _endpoint(text: str, where: str, components: list) -> tuple[int, int | None]:
    match = ENDPOINT.match(text)
    if not match:
        raise BadInput(f"{where}: range endpoint {text!r} is not <component> or <component>:<point>")
    c, p = int(match[1]), None if match[2] is None else int(match[2])
    if c >= len(components):
        raise BadInput(f"{where}: component {c} does not exist (the included files hold {len(components)})")
    if p is not None and p >= len(components[c][1]):
        raise BadInput(f"{where}: point {p} of component {c} does not exist (it has {len(components[c][1])})")
    return c, p


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number from 1, line) of a text file of bounded size."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise BadInput(f"{path}: {size:,} bytes, more than a UNIPEN file holds ({MAX_FILE_BYTES:,})")
        text = path.read_bytes().decode("latin-1")
    except OSError as e:
        raise BadInput(f"{path}: cannot read ({e.strerror})") from None
    for number, line in enumerate(text.splitlines(), 1):
        yield number, line.rstrip()


# --- the committed set: writers split, characters kept as compact strokes ------------------

PARTS = ("train", "tune", "held-out")
HELD_OUT, TUNE = 0.25, 0.15       # of each institution's writers (at least one each where there are enough)
SPLIT_SEED = 2026


def split_writers(characters: list[Character]) -> dict[str, str]:
    """writer -> "train", "tune" or "held-out", fixed: within each institution
    the writers are shuffled (a seeded permutation of their sorted ids) and a
    quarter held out, 15% kept for tuning, the rest trained on. Writers of
    digits and writers of letters and symbols only are split apart, so that
    each part gets its share of both. An institution with 2 writers gives
    one to held-out; with 3 or more, each part has at least one."""
    digit_writers = {c.writer for c in characters if c.category == "digit"}
    groups: dict[tuple[str, bool], set[str]] = {}
    for c in characters:
        groups.setdefault((c.writer.split("/")[0], c.writer not in digit_writers), set()).add(c.writer)
    rng = np.random.default_rng(SPLIT_SEED)
    part = {}
    for key in sorted(groups):
        writers = sorted(groups[key])
        writers = [writers[i] for i in rng.permutation(len(writers))]
        n = len(writers)
        held = max(1, round(HELD_OUT * n)) if n >= 2 else 0
        tune = max(1, round(TUNE * n)) if n >= 3 else 0
        for i, w in enumerate(writers):
            part[w] = PARTS[2] if i < held else PARTS[1] if i < held + tune else PARTS[0]
    return part


SIMPLIFY = 1.5 / 255      # points closer than this to the line through their neighbours go (unit box)
GROUP = {"digit": "digit", "upper": "letter", "lower": "letter", "symbol": "symbol"}


def drawings(characters: list[Character]) -> list[strokeset.Drawing]:
    """The committed set: every character, each as a strokeset drawing whose
    source is its writer, whose part is the writer's, and whose extent is its
    size relative to the writer's usual character (the median of their digits
    and capitals), so that a "." stays small when it is drawn."""
    part = split_writers(characters)
    usual: dict[str, list[float]] = {}
    for c in characters:
        if c.category in ("digit", "upper"):
            usual.setdefault(c.writer, []).append(_side(c.strokes))
    out = []
    for c in characters:
        unit, side = strokeset.normalized(c.strokes)
        typical = float(np.median(usual.get(c.writer) or [side]))
        out.append(strokeset.Drawing([simplify(s, SIMPLIFY) for s in unit], c.label, GROUP[c.category],
                                     c.writer, side / typical, part[c.writer]))
    return out


def _side(strokes: list[np.ndarray]) -> float:
    return float(np.ptp(np.concatenate(strokes), axis=0).max())


def simplify(stroke: np.ndarray, tolerance: float) -> np.ndarray:
    """(n, 2) -> the points Douglas-Peucker keeps: none of the dropped points
    lies further than `tolerance` from the polyline that remains."""
    keep = np.zeros(len(stroke), bool)
    keep[[0, -1]] = True
    todo = [(0, len(stroke) - 1)]
    while todo:
        first, last = todo.pop()
        if last - first < 2:
            continue
        a, b = stroke[first], stroke[last]
        inner = stroke[first + 1:last] - a
        ab = b - a
        length = float(np.hypot(*ab))
        distance = (np.abs(ab[0] * inner[:, 1] - ab[1] * inner[:, 0]) / length if length
                    else np.hypot(inner[:, 0], inner[:, 1]))
        far = int(distance.argmax())
        if distance[far] > tolerance:
            keep[first + 1 + far] = True
            todo += [(first, first + 1 + far), (first + 1 + far, last)]
    return stroke[keep]


# --- as the page sees them ---------------------------------------------------------------

# Characters people write exactly like a digit: a network taught to doubt
# them would doubt real digits, so training never shows them as non-digits
# and the non-digit figures leave them out; the page reads them as the digit
# they look like (READ_AS), as a digit pad should. " (two ticks) is left out
# as well; it looks like no one digit.
READ_AS = {**dict.fromkeys("Oo", 0), **dict.fromkeys("Il|/\\()[]{}!'`,", 1), **dict.fromkeys("Zz", 2),
           **dict.fromkeys("Ss", 5), **dict.fromkeys("bG", 6), "B": 8, **dict.fromkeys("gq", 9)}
DIGIT_LIKE = frozenset(READ_AS) | {'"'}
SIZE, CORNER = 0.7, 0.15     # a writer's usual character spans 0.7 of the pad, from (0.15, 0.15)


def placed(d: strokeset.Drawing) -> list[np.ndarray]:
    """A drawing's strokes on a unit pad, as a person draws the character: its
    size relative to their other characters kept (a "." stays small)."""
    size = min(SIZE * d.extent, 1 - CORNER)
    return [s * np.float32(size) + np.float32(CORNER) for s in d.strokes]


def images(drawn: list[strokeset.Drawing]) -> np.ndarray:
    """(n, 784) float32: each drawing as the page's preprocessing makes it."""
    out = np.zeros((len(drawn), 784), np.float32)
    for i, d in enumerate(progress.track(drawn, what="rendering real writers' drawings", unit="drawings")):
        out[i] = preprocess.from_strokes(placed(d), 1.0).ravel()
    return out


def dataset(drawn: list[strokeset.Drawing], name: str) -> data.Dataset:
    """A data set of real writers: the training writers' digits train, the
    tuning writers' validate, the held-out writers' test; and the training
    writers' letters and symbols (`nondigits`) are non-digits to train on."""
    def digits(part: str) -> data.Split:
        mine = [d for d in drawn if d.part == part and d.group == "digit"]
        return images(mine), np.array([int(d.label) for d in mine], np.int64)

    return data.Dataset(name, digits("train"), digits("tune"), digits("held-out"), images(nondigits(drawn)))


def nondigits(drawn: list[strokeset.Drawing]) -> list[strokeset.Drawing]:
    """The training writers' letters and symbols the networks learn to doubt:
    not the digit-like ones, nor those too small for the page to read."""
    return [d for d in drawn if d.part == "train" and d.group != "digit" and d.label not in DIGIT_LIKE
            and not preprocess.too_small(placed(d), 1.0)]
