"""Drive the page in headless Chromium with Playwright: used by the end-to-end
tests and by the page benchmarks (tests/bench.py)."""

import functools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from py.checkout import WEB
from py.serve import make_server

STROKES_FILE = Path(__file__).resolve().parent / "strokes.json"
CHROMIUM = "/usr/bin/chromium"
# No background traffic: this machine has no network, and the tests check that
# every request goes to the page's own origin.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]

Stroke = list[tuple[float, float]]

# What the page says of itself, for Playwright here and Selenium in tests/engines.py.
READY = "body:not([data-state=loading])"       # started, or failed to (data-state is then `error`)
ANSWERED = "body[data-busy=false]"              # the worker has answered the latest drawing
# In-page functions (JavaScript): resolves after n animation frames; counts the pad's painted pixels.
NEXT_FRAMES = "n => new Promise(done => { const f = k => k ? requestAnimationFrame(() => f(k - 1)) : done(); f(n); })"
CANVAS_INK = """() => {
    const c = document.querySelector('[data-testid=canvas]');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0; for (let i = 3; i < d.length; i += 4) ink += d[i] > 0; return ink; }"""


@functools.cache
def load_strokes() -> dict[str, list[list[Stroke]]]:
    """The drawn digits of tests/strokes.json: digit -> styles -> strokes in a unit box."""
    return json.loads(STROKES_FILE.read_text())["digits"]


def open_page(browser, url: str, **context_options):
    """A new browser profile (`context_options` for Playwright's new_context)
    on the page, once it is ready; what it requested and any error it threw
    are kept in page.requests and page.errors."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.requests = []
    page.errors = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(url)
    assert wait_ready(page) == "ready", page.locator("#error").text_content()
    return page


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


class Url(str):
    """The served page's base URL, and its server (`.server.violations` lists
    what the page's Content-Security-Policy blocked: requests elsewhere...)."""


@contextmanager
def served(folder: Path = WEB) -> Iterator[Url]:
    """Serve `folder` on a free loopback port; yields the base URL."""
    server = make_server(folder, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = Url(f"http://127.0.0.1:{server.server_address[1]}/")
    url.server = server
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def place(strokes: list[Stroke], box: dict, size: float, at: tuple[float, float], slant: float = 0.0,
          stretch: float = 1.0) -> list[Stroke]:
    """Strokes in a unit box (x right, y down) -> page coordinates inside the
    element `box`: `size` is a fraction of the box's shorter side, `at` the
    top-left corner as fractions of the box's width and height; the drawing
    leans right by `slant` times its height and is `stretch` times as wide."""
    unit = size * min(box["width"], box["height"])
    x0, y0 = box["x"] + at[0] * box["width"], box["y"] + at[1] * box["height"]
    return [[(x0 + unit * (stretch * x + slant * (1 - y)), y0 + unit * y) for x, y in stroke] for stroke in strokes]


def canvas_box(page) -> dict:
    """The drawing pad's box in the viewport, scrolled fully into view first
    (a pointer cannot draw on what is off screen)."""
    canvas = page.get_by_test_id("canvas")
    canvas.scroll_into_view_if_needed()
    return canvas.bounding_box()


def draw_digit(page, strokes: list[Stroke], size: float = 0.8, at: tuple[float, float] = (0.1, 0.1),
               slant: float = 0.0, stretch: float = 1.0, steps: int = 3) -> str:
    """Clear the pad, draw `strokes` (see `place`) with the mouse, and return
    the answer the page then shows."""
    page.get_by_test_id("clear").click()
    mouse_draw(page, place(strokes, canvas_box(page), size, at, slant, stretch), steps)
    return settle(page)


def mouse_draw(page, strokes: list[Stroke], steps: int = 3) -> None:
    """Real mouse movements along each stroke (button down, moves, up)."""
    for stroke in strokes:
        page.mouse.move(*stroke[0])
        page.mouse.down()
        for point in stroke[1:]:
            page.mouse.move(*point, steps=steps)
        page.mouse.up()


def touch_draw(page, strokes: list[Stroke], steps: int = 3) -> None:
    """Real touch events (through the DevTools protocol: Playwright's own API
    only taps), one finger along each stroke."""
    cdp = page.context.new_cdp_session(page)
    for stroke in strokes:
        points = [stroke[0]] + [
            (a[0] + (b[0] - a[0]) * t / steps, a[1] + (b[1] - a[1]) * t / steps)
            for a, b in zip(stroke, stroke[1:]) for t in range(1, steps + 1)]
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": points[0][0], "y": points[0][1]}]})
        for x, y in points[1:]:
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()
    next_frames(page)


def next_frames(page, n: int = 2) -> None:
    """Wait n animation frames: a browser dispatches pending input before a
    frame's callbacks, so touch input (and the clicks taps make) has arrived."""
    page.evaluate(NEXT_FRAMES, n)


def canvas_ink(page) -> int:
    """Painted pixels on the pad, once its next redraw (an animation frame) is done."""
    next_frames(page)
    return page.evaluate(CANVAS_INK)


# Waits by CSS selector, not by script: the page's Content-Security-Policy
# forbids evaluating strings, which Playwright's wait_for_function does.

def wait_ready(page, timeout_ms: float = 90_000) -> str:
    """Wait until the page leaves `loading`; returns `ready` or `error`."""
    page.wait_for_selector(READY, state="attached", timeout=timeout_ms)
    return page.get_attribute("body", "data-state")


def settle(page) -> str:
    """The prediction once the worker has answered the latest drawing."""
    page.wait_for_selector(ANSWERED, state="attached", timeout=10_000)
    return page.get_by_test_id("prediction").text_content()


# --- what a person sees ------------------------------------------------------------

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


def shown(page, selector: str) -> bool:
    """Whether any element matching `selector` takes up room on screen (has a
    box of non-zero area); an element hidden by `hidden`, `display: none` or
    an ancestor's does not."""
    return page.evaluate("""s => [...document.querySelectorAll(s)].some(e =>
        [...e.getClientRects()].some(r => r.width * r.height > 0))""", selector)


def axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now,
    one line each: rule, impact and the first offending element."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text())     # not a <script> tag: the page's CSP refuses inline scripts
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                          ".map(v => ({id: v.id, impact: v.impact, where: v.nodes[0]?.target.join(' ')}))")
    return [f"{v['id']} ({v['impact']}) at {v['where']}" for v in found if v["impact"] in ("serious", "critical")]
