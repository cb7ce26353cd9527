"""`./build.sh bench engines [--rounds N] [--draws N]`: the page in Chromium,
Firefox ESR and WPE WebKit in turn, each a new headless browser loading it
cold and drawing digits: seconds to ready and stroke-end-to-answer latency,
with per-round ratios to Chromium. Figures, never a verdict."""

import statistics

from harness import browser as chromium
from harness.browser import Stroke, load_strokes, served
from harness.engines import ENGINES, draw_digit, launch, open_page, run
from selenium.common.exceptions import TimeoutException

NAMES = ("chromium", *ENGINES)
# The page's own marks (web/main.js): ms from navigation to ready, and from each stroke's end to its answer.
FIGURES = """() => [performance.getEntriesByName('ready')[0].startTime,
                    performance.getEntriesByName('stroke-end-to-result').map(m => m.duration)]"""
WHERE = {"size": 0.7, "at": (0.15, 0.15)}        # where the digits are drawn, as in `./build.sh bench page`


def visit(engine: str, url: str, digits: list[list[Stroke]], playwright) -> tuple[float, list[float]]:
    """A new browser of `engine` (one of NAMES) loads the page cold and draws
    `digits`: ms from navigation to ready, and each stroke's end to its answer
    in ms. An AssertionError with the page's message when it does not start."""
    if engine == "chromium":
        browser = chromium.launch(playwright)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 800})
            page.goto(url)
            assert chromium.wait_ready(page) == "ready", page.locator("#error").text_content()
            for strokes in digits:
                chromium.draw_digit(page, strokes, **WHERE)
            return page.evaluate(FIGURES)
        finally:
            browser.close()
    driver = launch(engine)
    try:
        open_page(driver, url)
        for strokes in digits:
            draw_digit(driver, strokes, **WHERE)
        return run(driver, FIGURES)
    finally:
        driver.quit()


def bench(rounds: int, draws: int) -> None:
    """Rounds in which Chromium, Firefox and WebKit in turn (who goes first
    rotates) each load the page cold in a new browser, then draw `draws`
    digits. A start that fails (the page's error, or a timeout) is counted
    and said, not timed."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    digits = [load_strokes()[str(d % 10)][0] for d in range(draws)]
    ready = {name: [] for name in NAMES}        # each round's seconds to ready, None if the start failed
    answers = {name: [] for name in NAMES}      # each round's ms from each stroke's end to its answer
    failed = {name: [] for name in NAMES}
    with served() as url, sync_playwright() as playwright:
        for round_ in range(rounds):
            first = round_ % len(NAMES)
            for name in NAMES[first:] + NAMES[:first]:
                try:
                    ms, each = visit(name, url, digits, playwright)
                    ready[name].append(ms / 1000)
                    answers[name].append(each)
                except (AssertionError, TimeoutException, PlaywrightTimeout) as e:
                    ready[name].append(None)
                    answers[name].append([])
                    failed[name].append(f"round {round_ + 1}: {str(e).strip()[:300] or type(e).__name__}")
            print(f"round {round_ + 1}/{rounds}: ready in " + ", ".join(
                f"{name} {'failed' if r[-1] is None else f'{r[-1]:.2f} s'}" for name, r in ready.items()), flush=True)
    report(ready, answers, failed, draws)


def spread(values: list, decimals: int = 2) -> str:
    """Median (min-max) of the values that are not None."""
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    low, mid, high = (f"{v:.{decimals}f}" for v in (min(values), statistics.median(values), max(values)))
    return f"{mid} ({low}-{high})"


def over_chromium(figures: dict) -> dict:
    """Each engine's figure of a round over Chromium's of the same round."""
    return {name: [None if None in (a, c) else a / c for a, c in zip(values, figures["chromium"])]
            for name, values in figures.items()}


def report(ready: dict, answers: dict, failed: dict, draws: int) -> None:
    rounds = len(ready["chromium"])
    # a round's answers enter the ratios as their median
    medians = {name: [statistics.median(ms) if ms else None for ms in values] for name, values in answers.items()}
    ready_ratio, answer_ratio = over_chromium(ready), over_chromium(medians)
    print(f"\nthe page in a new headless browser, cold, {rounds} rounds, the engines in turn; then {draws} digits "
          f"drawn in each.\nmedian (range); / chromium: per-round ratios (of a round's median answer)")
    print(f"  {'':8}  {'ready, s':18}  {'/ chromium':18}  {'stroke end to answer, ms':24}  {'/ chromium':18}  failed")
    for name in NAMES:
        every = [ms for values in answers[name] for ms in values]
        print(f"  {name:8}  {spread(ready[name]):18}  {spread(ready_ratio[name]):18}  "
              f"{spread(every, decimals=0):24}  {spread(answer_ratio[name]):18}  {len(failed[name])}/{rounds}")
        for message in failed[name]:
            print(f"      {name}, {message}")
