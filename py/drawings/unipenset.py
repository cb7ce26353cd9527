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
its own. A label is a quoted character, `\"` and `\\` escaped: in data/1a
one digit 0..9; in the others one letter or symbol, any printable character
but a space or a digit (a digit is only ever a digit label). One
institution labels the strokes between characters `\@`: they are skipped.

A malformed file raises BadInput naming it, the line and the problem. The
distribution comes from strangers, so what is read is bounded as the IDX and
CSV readers bound it (py/io/data.py; docs/training.md lists the limits):
regular files only, each of at most MAX_FILE_BYTES; includes inside
ROOT/include, at most MAX_NESTING deep and never in a cycle; folders walked
a level at a time, at most MAX_DEPTH deep; coordinates and resolutions of
sane sizes; and what the segments name, MAX_REUSE times what the files hold
at most, so that memory follows the input's real size.
"""

import bisect
import io
import os
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..io import data, files, progress
from ..io.errors import BadInput
from ..page import preprocess
from . import strokeset

FILE = Path(__file__).resolve().parent / "unipen.npz"     # the committed set (see `drawings`; python -m py.unipen)

CATEGORIES = {"1a": "digit", "1b": "upper", "1c": "lower", "1d": "symbol"}
SEGMENT = re.compile(r'\.SEGMENT\s+CHARACTER\s+(\S+)\s+(\S+)\s+"((?:[^"\\]|\\.)*)"\s*$')
STRAY = "\\@"              # kai's label for pen strokes between characters (none is an @)
ENDPOINT = re.compile(r"([0-9]{1,18})(?::([0-9]{1,18}))?")     # 18 digits: any number int() takes at once

# The limits, far above what a real distribution needs (docs/training.md lists them).
MAX_FILE_BYTES = 64 << 20        # a file; the largest of the distribution is a few MB
MAX_DEPTH = 32                   # folders below data/<category>/ (<institution>/… takes a few)
MAX_NESTING = 8                  # files in a chain of includes (a data file and its .doc make 2)
MAX_COMPONENTS = 1_000_000       # components one segment file's includes bring in
MAX_REUSE = 4                    # the segments name each component and point this many times at most, on average
MAX_CHARACTERS = data.MAX_IMAGES      # characters read in all, as many as images from an IDX or CSV file
MAX_COORDINATE = 10_000_000      # |x| and |y| in tablet units; a tablet has a few tens of thousands
RESOLUTION = {"INCH": (1.0, 100_000.0), "MM": (0.04, 4_000.0)}      # sane points per inch, per mm


@dataclass
class Character:
    label: str                  # "7", "A", "#"
    strokes: list[np.ndarray]   # (n, 2) float32 x, y in tablet units, y down
    writer: str                 # "<institution>/<writer id>", unique across the distribution
    category: str               # "digit", "upper", "lower" or "symbol"


@dataclass
class _File:
    """One included file: its components, and the keywords that describe them."""
    points: np.ndarray          # (P, 2) float64 x, y as written, component after component
    ends: np.ndarray            # (C,) int64: one past each component's last point
    down: np.ndarray            # (C,) bool: a pen-down component?
    writer: str                 # "<institution>/<writer id>", "" when the file names none
    y_scale: float | None       # multiply y by this to get x's units, when the file (or its .doc) says

    def component(self, k: int) -> tuple[bool, np.ndarray]:
        """(pen down?, (n, 2) points) of component k."""
        return bool(self.down[k]), self.points[(self.ends[k - 1] if k else 0):self.ends[k]]


@dataclass
class _Included:
    """What the includes of one segment file hold: components numbered from
    0 across every file, and the keywords that describe them."""
    files: list[_File] = field(default_factory=list)     # those with components, in order
    firsts: list[int] = field(default_factory=list)      # the number of each one's first component
    count: int = 0                                       # components in all
    writer: str = ""
    y_scale: float = 1.0

    def add(self, f: _File) -> None:
        if len(f.ends):
            self.files.append(f)
            self.firsts.append(self.count)
            self.count += len(f.ends)

    def component(self, c: int) -> tuple[bool, np.ndarray]:
        i = bisect.bisect_right(self.firsts, c) - 1
        return self.files[i].component(c - self.firsts[i])


def read(root: str | Path, categories: tuple[str, ...] = tuple(CATEGORIES)) -> list[Character]:
    """Every character of the given categories ("1a" digits, "1b" upper case,
    "1c" lower case, "1d" symbols) under ROOT/data, in a fixed order."""
    root = Path(root)
    for needed in ("data", "include"):
        if not (root / needed).is_dir():
            raise BadInput(f"{root}: not a UNIPEN distribution (no {needed}/ folder)")
    reader = _Reader(root)
    for category in categories:
        if category not in CATEGORIES:
            raise BadInput(f"{category}: not a UNIPEN character category (expected one of {', '.join(CATEGORIES)})")
        for path in _segment_files(root / "data" / category):
            reader.segment_file(path, CATEGORIES[category])
    return reader.characters


def _segment_files(folder: Path) -> list[Path]:
    """The *.dat files under `folder`, sorted: found a folder at a time (no
    recursion), at most MAX_DEPTH folders down, links to folders not followed."""
    if not folder.is_dir():
        return []
    found, todo = [], [(folder, 0)]
    while todo:
        here, depth = todo.pop()
        try:
            with os.scandir(here) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if depth == MAX_DEPTH:
                            raise BadInput(f"{here}: holds folders more than {MAX_DEPTH} deep under {folder}")
                        todo.append((Path(entry.path), depth + 1))
                    elif entry.name.endswith(".dat"):
                        found.append(Path(entry.path))
        except OSError as e:
            raise BadInput(f"{here}: cannot read ({e.strerror})") from None
    return sorted(found)


class _Reader:
    """Reads segment files one after the other, keeping every included file
    it has read (segment files share them) and the characters found."""

    def __init__(self, root: Path) -> None:
        self.data, self.include = (root / "data").resolve(), (root / "include").resolve()
        self.read: dict[Path, _File] = {}
        self.held = 0            # components and points of the files read
        self.named = 0           # components and points the segments named
        self.characters: list[Character] = []

    def segment_file(self, path: Path, category: str) -> None:
        if self.data not in _resolved(path, path).parents:
            raise BadInput(f"{path}: a link to a file outside {self.data}")
        included = _Included()
        for number, line in _lines(path):
            where = f"{path}: line {number}"
            word, rest = _keyword(line)
            if word == ".INCLUDE":
                self._include(included, rest, where)
            elif word == ".SEGMENT":
                match = SEGMENT.match(line)
                if not match:
                    raise BadInput(f'{where}: expected .SEGMENT CHARACTER <range> <quality> "<label>"')
                spec, _, label = match.groups()
                if label == STRAY:
                    continue
                label = _label(label, category, where)
                strokes = self._strokes(included, spec, where)
                if not strokes:
                    continue
                if len(self.characters) == MAX_CHARACTERS:
                    raise BadInput(f"{where}: more than {MAX_CHARACTERS:,} characters, more than this program reads")
                self.characters.append(Character(
                    label, [np.stack([s[:, 0], -s[:, 1] * included.y_scale], axis=1).astype(np.float32) for s in strokes],
                    included.writer, category))

    def _include(self, included: _Included, name: str, where: str) -> None:
        """Adds an included file's components and keywords to `included`."""
        target = self._target(name, where)
        if not _exists(target, where):
            if target.suffix in (".doc", ".lex"):      # documentation only; some are missing from the distribution
                return
            raise BadInput(f"{where}: .INCLUDE {name}: no such file in {self.include}")
        f = self._file(target, name, where, ())
        if included.count + len(f.ends) > MAX_COMPONENTS:
            raise BadInput(f"{where}: .INCLUDE {name}: the includes hold more than {MAX_COMPONENTS:,} components, "
                           f"more than a segment file names")
        included.add(f)
        included.writer = f.writer or included.writer or f"{target.relative_to(self.include).with_suffix('')}"
        if f.y_scale is not None:
            included.y_scale = f.y_scale

    def _target(self, name: str, where: str) -> Path:
        """The file an .INCLUDE names, which must be inside ROOT/include."""
        if not name:
            raise BadInput(f"{where}: .INCLUDE names no file")
        target = _resolved(self.include / name, where)
        if self.include not in target.parents:
            raise BadInput(f"{where}: .INCLUDE {name} points outside {self.include}")
        return target

    def _file(self, target: Path, name: str, where: str, chain: tuple[Path, ...]) -> _File:
        """An included file, read once; `chain`: the files including it."""
        if target in chain:
            cycle = " → ".join(str(p.relative_to(self.include)) for p in (*chain, target))
            raise BadInput(f"{where}: .INCLUDE {name}: the includes form a cycle ({cycle})")
        if len(chain) == MAX_NESTING:
            raise BadInput(f"{where}: .INCLUDE {name}: includes nested more than {MAX_NESTING} deep")
        if target not in self.read:
            f = self.read[target] = self._data_file(target, (*chain, target))
            self.held += len(f.ends) + len(f.points)
        return self.read[target]

    def _data_file(self, path: Path, chain: tuple[Path, ...]) -> _File:
        """A data file's components in order, and its writer and y scale
        (which an included .doc may give instead)."""
        xy, ends, down = array("d"), array("q"), array("b")
        writer, doc_scale, resolution = "", None, {}
        pen, start = None, 0            # the component being read: pen down?, its first point

        def end_component() -> None:
            if pen is not None and (pen or len(xy) > start):    # a pen-up block without points is no component
                ends.append(len(xy) // 2)
                down.append(pen)

        for number, line in _lines(path):
            where = f"{path}: line {number}"
            if line.startswith("."):
                word, rest = _keyword(line)
                end_component()
                pen = None
                if word in (".PEN_DOWN", ".PEN_UP"):
                    if rest:
                        raise BadInput(f"{where}: {word} takes no value on its line")
                    pen, start = word == ".PEN_DOWN", len(xy)
                elif word == ".WRITER_ID" and rest:
                    writer = f"{path.relative_to(self.include).parts[0]}/{rest.split()[0]}"
                elif word in (".X_POINTS_PER_INCH", ".Y_POINTS_PER_INCH", ".X_POINTS_PER_MM", ".Y_POINTS_PER_MM"):
                    resolution[word[1]] = _points_per_inch(rest, word, where)
                elif word == ".INCLUDE":
                    target = self._target(rest, where)
                    if target.suffix == ".doc" and _exists(target, where):
                        doc_scale = doc_scale or self._file(target, rest, where, chain).y_scale
            elif pen is not None and line.strip():
                fields = line.split()
                try:
                    x, y = float(fields[0]), float(fields[1])
                except (ValueError, IndexError):
                    raise BadInput(f"{where}: expected 'x y', got {_brief(line.strip())!r}") from None
                if not (abs(x) <= MAX_COORDINATE and abs(y) <= MAX_COORDINATE):     # NaN is not either
                    raise BadInput(f"{where}: coordinates must be finite numbers from -{MAX_COORDINATE:,} to "
                                   f"{MAX_COORDINATE:,} (tablet units), got {_brief(line.strip())!r}")
                xy.extend((x, y))
        end_component()
        return _File(np.frombuffer(xy, np.float64).reshape(-1, 2), np.frombuffer(ends, np.int64),
                     np.frombuffer(down, np.int8).astype(bool), writer,
                     resolution["X"] / resolution["Y"] if len(resolution) == 2 else doc_scale)

    def _strokes(self, included: _Included, spec: str, where: str) -> list[np.ndarray]:
        """The pen-down strokes a range names (see the module's docstring)."""
        strokes = []
        for part in spec.split(","):
            first, _, last = part.partition("-")
            (c0, p0), (c1, p1) = _endpoint(first, where, included), _endpoint(last or first, where, included)
            if (c1, p1 if p1 is not None else 1 << 62) < (c0, p0 or 0):
                raise BadInput(f"{where}: range {_brief(part)} runs backwards")
            for c in range(c0, c1 + 1):
                down, points = included.component(c)
                lo = p0 if c == c0 and p0 is not None else 0
                hi = p1 + 1 if c == c1 and p1 is not None else len(points)
                self.named += 1 + max(hi - lo, 0)
                if self.named > MAX_REUSE * self.held:
                    raise BadInput(f"{where}: the segments name {self.named:,} components and points, more than "
                                   f"{MAX_REUSE} times the {self.held:,} the included files hold")
                if down and hi > lo:
                    strokes.append(points[lo:hi])
        return strokes


def _keyword(line: str) -> tuple[str, str]:
    """A keyword line's keyword and the rest of it: (".INCLUDE", "abc/x.dat")."""
    word, _, rest = line.replace("\t", " ").partition(" ")
    return word, rest.strip()


def _label(escaped: str, category: str, where: str) -> str:
    """A segment's label unescaped, if it is one digit in data/1a, or one
    letter or symbol in the other categories."""
    label = re.sub(r"\\(.)", r"\1", escaped)
    if category == "digit":
        ok, expected = len(label) == 1 and "0" <= label <= "9", "one digit 0..9"
    else:
        ok = len(label) == 1 and label.isprintable() and not label.isspace() and not label.isdigit()
        expected = "one letter or symbol (a digit is only ever a digit label, in data/1a)"
    if not ok:
        raise BadInput(f'{where}: label "{_brief(escaped)}" is not {expected}')
    return label


def _points_per_inch(text: str, word: str, where: str) -> float:
    unit = word.rsplit("_", 1)[1]
    low, high = RESOLUTION[unit]
    try:
        value = float(text.split()[0])
    except (ValueError, IndexError):
        value = float("nan")
    if not low <= value <= high:       # NaN is not
        raise BadInput(f"{where}: {word} expects a number from {low:g} to {high:,g}, got {_brief(text)!r}")
    return value * (25.4 if unit == "MM" else 1)


def _endpoint(text: str, where: str, included: _Included) -> tuple[int, int | None]:
    match = ENDPOINT.fullmatch(text)
    if not match:
        raise BadInput(f"{where}: range endpoint {_brief(text)!r} is not <component> or <component>:<point>")
    c, p = int(match[1]), None if match[2] is None else int(match[2])
    if c >= included.count:
        raise BadInput(f"{where}: component {c} does not exist (the included files hold {included.count})")
    n = len(included.component(c)[1])
    if p is not None and p >= n:
        raise BadInput(f"{where}: point {p} of component {c} does not exist (it has {n})")
    return c, p


def _brief(text: str) -> str:
    """At most 40 characters of `text`, for a message."""
    return text if len(text) <= 40 else text[:40] + "…"


def _resolved(path: Path, where: object) -> Path:
    """`path` with its links followed (a loop of links is bad input)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError) as e:     # RuntimeError: a loop, before Python 3.13
        raise BadInput(f"{where}: cannot follow {path} ({e})") from None


def _exists(path: Path, where: str) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError) as e:      # a name too long, a NUL byte
        raise BadInput(f"{where}: cannot look for {path} ({e})") from None


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number from 1, line) of a regular file of at most
    MAX_FILE_BYTES, read as latin-1; a line ends at \n, \r\n or \r."""
    text = io.TextIOWrapper(io.BytesIO(files.read_bytes(path, MAX_FILE_BYTES)), encoding="latin-1", newline=None)
    for number, line in enumerate(text, 1):
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
    return max(float(np.ptp(np.concatenate(strokes), axis=0).max()), strokeset.DOT)


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
