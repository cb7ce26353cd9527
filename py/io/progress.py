"""Progress of long work, on standard error: on a terminal, a live bar with
the rate and the time left; in a log (not a terminal), a plain line every
LOG_EVERY seconds and one at the end, so a log stays readable.

    for d in track(drawings, what="rendering real writers' drawings"):
        ...
"""

import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
LOG_EVERY = 30.0        # seconds between a log's lines
REDRAW_EVERY = 0.1      # seconds between a terminal's redraws
WIDTH = 24              # the bar's characters


def track(items: Iterable[T], *, what: str, total: int | None = None, unit: str = "",
          last_line: bool = True) -> Iterator[T]:
    """Yield `items`, reporting how far along they are. `total` defaults to
    len(items); `unit` names what is counted ("drawings", "batches");
    `last_line`: say what was done and how long it took at the end (a caller
    that prints its own summary passes False)."""
    total = len(items) if total is None else total
    live, out = sys.stderr.isatty(), sys.stderr
    start = last = time.monotonic()
    done = 0
    for done, item in enumerate(items, 1):
        yield item
        now = time.monotonic()
        if now - last >= (REDRAW_EVERY if live else LOG_EVERY):
            last = now
            print(("\r\033[K" if live else "") + line(what, done, total, now - start, unit=unit, bar=live),
                  end="" if live else "\n", file=out, flush=True)
    if live:
        print("\r\033[K", end="", file=out, flush=True)
    if last_line and time.monotonic() - start >= 1:       # anything quicker needs no word
        print(line(what, done, total, time.monotonic() - start, unit=unit, bar=False), file=out, flush=True)


def line(what: str, done: int, total: int, seconds: float, *, unit: str = "", bar: bool = False) -> str:
    """ "rendering …: 1,200/5,000 drawings, 410/s, 9 s left" (with a bar when `bar`)."""
    rate = done / seconds if seconds > 0 else 0.0
    share = done / total if total else 1.0
    drawn = f"[{'#' * round(WIDTH * share):<{WIDTH}}] " if bar else ""
    left = (f", {(total - done) / rate:.0f} s left" if rate and done < total
            else f", took {seconds:.0f} s" if done >= total else "")
    return f"{what}: {drawn}{done:,}/{total:,}{' ' + unit if unit else ''}, {rate:,.0f}/s{left}"
