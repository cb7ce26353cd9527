"""What a long command shows while it works (py/io/progress.py): a live bar on
a terminal, a plain line now and then in a log, and what it did at the end."""

import io

import pytest

from py.io import progress


class Clock:
    """time.monotonic, advanced by hand: each item of work takes `step` seconds."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        return self.now


def run(monkeypatch, *, tty: bool, step: float, n: int = 100, **options) -> str:
    out = io.StringIO()
    out.isatty = lambda: tty
    clock = Clock(step)
    monkeypatch.setattr(progress.sys, "stderr", out)
    monkeypatch.setattr(progress.time, "monotonic", clock)
    for _ in progress.track(range(n), what="drawing", unit="drawings", **options):
        clock.now += clock.step
    return out.getvalue()


def test_a_log_gets_a_line_every_30_seconds_and_one_at_the_end(monkeypatch):
    text = run(monkeypatch, tty=False, step=1.0)          # 100 s of work
    lines = text.splitlines()
    assert "\r" not in text and "\033" not in text and "#" not in text      # plain lines, no bar
    assert len(lines) == 4                                                    # at 30, 60, 90 s, and the end
    assert lines[0] == "drawing: 30/100 drawings, 1/s, 70 s left"
    assert lines[-1] == "drawing: 100/100 drawings, 1/s, took 100 s"


def test_a_terminal_gets_a_live_bar_erased_at_the_end(monkeypatch):
    text = run(monkeypatch, tty=True, step=0.5)
    assert text.count("\r\033[K") >= 50                                      # redrawn in place
    assert "[############            ] 50/100 drawings, 2/s, 25 s left" in text
    assert text.endswith("\r\033[Kdrawing: 100/100 drawings, 2/s, took 50 s\n")


@pytest.mark.parametrize("tty", [False, True])
def test_quick_work_or_a_caller_with_its_own_summary_leaves_no_last_line(monkeypatch, tty):
    for text in (run(monkeypatch, tty=tty, step=0.001), run(monkeypatch, tty=tty, step=1.0, last_line=False)):
        left = text.rsplit("\r\033[K", 1)[-1]             # what stays on screen: after the bar is erased
        assert "took" not in left and (left == "" if tty else "100/100" not in left)
