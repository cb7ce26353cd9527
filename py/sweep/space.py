"""A search space over `python -m py.train`'s options, one entry per option:

    lr=1e-4..1e-2:log                   a number between the two, spread evenly on a log scale
    dropout=0..0.5                      a number between the two, spread evenly
    epochs=2..6                         a whole number between the two (both ends included)
    layers=784,128,10|784,256,10        one of these
    augment=yes|no                      on or off
    optimizer=adam                      the same for every trial

On the command line each entry is one argument (quote the ones holding `|`);
in a file (`--space FILE`), one entry per line, `#` starting a comment. The
names are py.train's options without their dashes (SETTINGS below); options
left out take py.train's defaults, and `seed` its default of 0 unless the
space says otherwise, so every trial is trained with a known seed.
"""

import math
from dataclasses import dataclass
from pathlib import Path

from ..io import files
from ..io.errors import BadInput

# py.train's options a trial may set, and what their values are.
SETTINGS = {"model": str, "layers": str, "epochs": int, "batch-size": int, "lr": float, "optimizer": str,
            "weight-decay": float, "dropout": float, "augment": bool, "nondigits": float,
            "font-digits": int, "seed": int}
YES_NO = {"yes": True, "no": False}
MAX_FILE = 1 << 16       # bytes of a space file: a few dozen lines at most


@dataclass(frozen=True)
class Dimension:
    """One option: `choices` (one value: fixed), or a range low..high,
    drawn on a log scale when `log`."""
    name: str
    choices: tuple = ()
    low: float | None = None
    high: float | None = None
    log: bool = False

    @property
    def fixed(self) -> bool:
        return len(self.choices) == 1

    def pick(self, trial):
        """This dimension's value for an Optuna trial (fixed ones are no
        parameter of the study: there is nothing to learn about them)."""
        if self.fixed:
            return self.choices[0]
        if self.choices:
            return trial.suggest_categorical(self.name, list(self.choices))
        suggest = trial.suggest_int if SETTINGS[self.name] is int else trial.suggest_float
        return suggest(self.name, self.low, self.high, log=self.log)

    def __str__(self) -> str:
        """The entry, written the one way (how a study remembers its space)."""
        if self.choices:
            names = {v: k for k, v in YES_NO.items()}
            return f"{self.name}=" + "|".join(names[v] if isinstance(v, bool) else str(v) for v in self.choices)
        return f"{self.name}={self.low}..{self.high}" + (":log" if self.log else "")


def argv(name: str, value) -> list[str]:
    """py.train's arguments giving option `name` this value: ["--lr", "0.003"],
    ["--no-augment"]. Numbers are written in full (repr), so that the
    command trains with exactly the value the trial did."""
    if SETTINGS[name] is bool:
        return [f"--{'' if value else 'no-'}{name}"]
    return [f"--{name}", repr(value) if isinstance(value, float) else str(value)]


def parse(entries: list[str], *, where: str | None = None) -> list[Dimension]:
    """Dimensions from entries such as "lr=1e-4..1e-2:log": the command
    line's, or the lines of the file `where` (errors then name its line)."""
    dims: list[Dimension] = []
    for n, entry in enumerate(entries, 1):
        place = f"{where}: line {n}" if where else "search space"
        entry = entry.split("#", 1)[0].strip()
        if entry:
            dim = parse_entry(entry, place)
            if any(d.name == dim.name for d in dims):
                raise BadInput(f"{place}: '{dim.name}' appears twice")
            dims.append(dim)
    return dims


def parse_entry(entry: str, place: str) -> Dimension:
    name, equals, spec = (part.strip() for part in entry.partition("="))
    if not equals or not spec:
        raise BadInput(f"{place}: '{entry}': expected NAME=VALUES, as in lr=1e-4..1e-2:log")
    cast = SETTINGS.get(name)
    if cast is None:
        raise BadInput(f"{place}: '{name}' is not an option of py.train that a sweep can set "
                       f"(one of: {', '.join(SETTINGS)})")
    if "|" in spec or ".." not in spec or cast in (str, bool):
        choices = tuple(_value(cast, v.strip(), name, place) for v in spec.split("|"))
        if len(set(choices)) < len(choices):
            raise BadInput(f"{place}: {name}={spec}: a value appears twice")
        return Dimension(name, choices)
    bounds, _, scale = spec.partition(":")
    if scale not in ("", "log"):
        raise BadInput(f"{place}: {name}={spec}: ':{scale}' is not a scale (the only one is ':log')")
    low, high = (_value(cast, v.strip(), name, place) for v in bounds.split("..", 1))
    if not low < high:
        raise BadInput(f"{place}: {name}={spec}: the range's low end must be below its high end")
    if scale and low <= 0:
        raise BadInput(f"{place}: {name}={spec}: a log scale needs numbers above 0")
    return Dimension(name, low=low, high=high, log=bool(scale))


def _value(cast: type, text: str, name: str, place: str):
    try:
        if cast is bool:
            return YES_NO[text]
        value = cast(text)
    except (KeyError, ValueError):
        expected = {int: "a whole number", float: "a number", bool: "yes or no"}.get(cast, "a value")
        raise BadInput(f"{place}: {name}: '{text}' is not {expected}") from None
    if cast is str and not text:
        raise BadInput(f"{place}: {name}: an empty value")
    if cast is float and not math.isfinite(value):
        raise BadInput(f"{place}: {name}: '{text}' is not a finite number")
    return value


def read(path: str) -> list[Dimension]:
    """The dimensions in a space file."""
    try:
        text = files.read_bytes(path, MAX_FILE).decode()
    except UnicodeDecodeError:
        raise BadInput(f"{path}: not a text file (UTF-8)") from None
    return parse(text.splitlines(), where=str(Path(path)))
