"""`./build.sh bench drawn [own|hands|nondigits|writers|writers-nondigits ...] [--most N]`: drawings
made with the mouse on the real page (harness/heldout.py says which and why
they are held out), each answered by every shipped network: digits right /
"not sure" / wrong, and how many held-out non-digits get "not sure", per group."""

import time
from collections import Counter

from harness import heldout
from harness.browser import draw_digit, launch, served, settle, wait_ready

from py.site import SHIPPED_NETWORKS

PARTS = {"own": "our own digit styles (tests/data/strokes.json 'digits')",
         "hands": "other hands' digits, held out (strokes.json 'hands', EMS fonts)",
         "nondigits": "non-digits, held out (EMS fonts, strokes.json 'nondigits')",
         "writers": "real writers' digits, held-out writers (py/drawings/unipen.npz)",
         "writers-nondigits": "real writers' letters and symbols, held-out writers (py/drawings/unipen.npz)"}


def drawn(parts: list[str], most: int | None = None) -> None:
    """Each drawing of harness/heldout.py drawn once with the mouse on the page,
    then answered by each network in turn (the page re-answers the drawing on
    its pad when the network is switched). `most`: at most this many
    drawings of each part, evenly spread (a quick look: the figures need all)."""
    from playwright.sync_api import sync_playwright

    cases = {"own": heldout.digit_cases("own"), "hands": heldout.digit_cases("held-out"),
             "nondigits": heldout.nondigit_cases(), "writers": heldout.writer_cases(digits=True),
             "writers-nondigits": heldout.writer_cases(digits=False)}
    with sync_playwright() as p, served() as url:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1000, "height": 800})
        page.goto(url)
        wait_ready(page)
        for part in parts:
            mine = cases[part][::max(1, len(cases[part]) // most)][:most] if most else cases[part]
            answers = {m: [] for m in SHIPPED_NETWORKS}
            started = time.perf_counter()
            for case in mine:
                for i, model in enumerate(SHIPPED_NETWORKS):
                    page.get_by_test_id(f"model-{model}").check()
                    answers[model].append(draw_digit(page, case.strokes, *case.placement, steps=1) if i == 0
                                          else settle(page))
            print(f"{PARTS[part]}: {len(mine)} drawings ({time.perf_counter() - started:.0f} s)")
            for model in SHIPPED_NETWORKS:
                print(f"  {model.upper()}: " + tally(mine, answers[model]))
        browser.close()


def tally(cases: list, answers: list[str]) -> str:
    """Digits: right / "not sure" / wrong (and the most common mistakes);
    non-digits: "not sure" per group, and what they were most often called."""
    if all(c.expected for c in cases):
        right = sum(a == c.expected for c, a in zip(cases, answers))
        unsure = sum(a == "" for a in answers)
        wrong = [f"{c.expected}->{a}" for c, a in zip(cases, answers) if a not in (c.expected, "")]
        n = len(cases)
        return (f"right {right} ({100 * right / n:.1f}%), not sure {unsure} ({100 * unsure / n:.1f}%), "
                f"wrong {len(wrong)} ({100 * len(wrong) / n:.1f}%) {most_common(wrong)}")
    out = []
    for group in ("letter", "symbol", "shape"):
        mine = [a for c, a in zip(cases, answers) if c.group == group]
        if mine:
            out.append(f"{group}s {100 * mine.count('') / len(mine):.1f}% of {len(mine)}")
    unsure = answers.count("")
    named = most_common([f"{c.name}->{a}" for c, a in zip(cases, answers) if a])
    return (f"'not sure' {unsure}/{len(answers)} ({100 * unsure / len(answers):.1f}%): {', '.join(out)}; "
            f"named: {named}")


def most_common(answers: list[str], shown: int = 12) -> str:
    """"1->7 ×3 4->9 …": the answers, most frequent first."""
    return " ".join(a if n == 1 else f"{a} ×{n}" for a, n in Counter(answers).most_common(shown))
