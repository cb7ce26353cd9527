"""Drive the page in headless Chromium with Playwright: used by the end-to-end
tests and by the page benchmarks (bench/)."""

import functools
import json
import struct
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from py.cli.checkout import OWN_STROKES, WEB
from py.serve import make_server

CHROMIUM = "/usr/bin/chromium"
# No background traffic: this machine has no network, and the tests check that
# every request goes to the page's own origin.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]

Stroke = list[tuple[float, float]]

# The screens the page is tried on: a desktop, and a phone (touch, 3 device pixels per CSS pixel).
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
SCREENS = {"desktop": DESKTOP, "phone": PHONE}

# What the page says of itself, for Playwright here and Selenium in harness/engines.py.
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
    """The drawn digits of tests/data/strokes.json: digit -> styles -> strokes in a unit box."""
    return json.loads(OWN_STROKES.read_text())["digits"]


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


def draw_number(page, text: str, *, first: float, step: float) -> None:
    """Writes the digits of `text` side by side on the pad (in number mode):
    digit i's box starts at `first + i * step` of the pad's width."""
    strokes, box = load_strokes(), canvas_box(page)
    for i, d in enumerate(text):
        mouse_draw(page, place(strokes[d][0], box, 0.7, (first + step * i, 0.15)))


def see_inside_a_number(page, text: str, pressed: int) -> None:
    """"See inside" opened, then `text` written in number mode and its digit
    `pressed` (from 0) pressed, answered: the panel shows that digit."""
    page.locator("#inside > summary").click()
    page.get_by_test_id("mode-number").check()
    draw_number(page, text, first=0.1, step=0.3)
    settle(page)
    page.get_by_test_id(f"digit-{pressed}").click()
    settle(page)


def next_frames(page, n: int = 2) -> None:
    """Wait n animation frames: a browser dispatches pending input before a
    frame's callbacks, so touch input (and the clicks taps make) has arrived."""
    page.evaluate(NEXT_FRAMES, n)


def canvas_ink(page) -> int:
    """Painted pixels on the pad, once its next redraw (an animation frame) is done."""
    next_frames(page)
    return page.evaluate(CANVAS_INK)


def open_page(site, options: dict = DESKTOP, *, hold_numpy: bool = False, context=None):
    """A fresh browser profile (`site`: the browser and the page's URL;
    `options` for Playwright's new_context) on the page, ready and answered,
    or held in `loading` (the numpy wheel kept back until page.release() is
    called); in `context` instead, when a test has prepared one (its routes,
    its storage). What it requested and any error it threw are kept in
    page.requests and page.errors; page.touch: whether it is a touch screen."""
    browser, url = site
    page = (context or browser.new_context(**options, accept_downloads=True)).new_page()
    page.touch = options.get("has_touch", False)
    page.requests, page.errors = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    held = []
    if hold_numpy:
        page.route("**/*.whl", lambda route: held.append(route))
        page.release = lambda: [*[r.continue_() for r in held], page.unroute("**/*.whl")]
    page.goto(url)
    if hold_numpy:
        page.wait_for_selector("#stages li.active[data-stage=numpy]", state="attached")
    else:
        assert wait_ready(page) == "ready", page.locator("#error").text_content()
        settle(page)
    return page


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


def axe_violations(page, impacts: tuple[str, ...] | None = ("serious", "critical")) -> list[str]:
    """axe-core's violations of these impacts (None: of any) on the page as
    it is now, one line each: rule, impact and the first offending element."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text())     # not a <script> tag: the page's CSP refuses inline scripts
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                          ".map(v => ({id: v.id, impact: v.impact, where: v.nodes[0]?.target.join(' ')}))")
    return [f"{v['id']} ({v['impact']}) at {v['where']}" for v in found if impacts is None or v["impact"] in impacts]


def in_view(page, locator) -> bool:
    """Whether the element is wholly inside the viewport as it is scrolled now."""
    box, size = locator.bounding_box(), page.viewport_size
    return bool(box) and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= size["width"] + 0.5 \
        and box["y"] + box["height"] <= size["height"] + 0.5


def screen_pixels(page, box: dict) -> np.ndarray:
    """(h, w, 3) uint8: what the screen shows in `box` (CSS px, in the
    viewport), in device pixels: a screenshot, so whatever covers an element
    counts too."""
    return decode_png(page.screenshot(clip=box))


def decode_png(data: bytes) -> np.ndarray:
    """The RGB pixels of a PNG as Chromium writes screenshots (8 bits, RGB or RGBA, not interlaced)."""
    pos, idat = 8, b""
    while pos < len(data):
        n, chunk_type = struct.unpack(">I4s", data[pos:pos + 8])
        chunk, pos = data[pos + 8:pos + 8 + n], pos + 12 + n
        if chunk_type == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and color in (2, 6) and chunk[12] == 0, "an 8-bit RGB(A) PNG, not interlaced"
        elif chunk_type == b"IDAT":
            idat += chunk
    step = 3 if color == 2 else 4
    rows = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(height, 1 + width * step)
    out = np.zeros((height, width * step), np.int64)
    for y, (png_filter, line) in enumerate(zip(rows[:, 0], rows[:, 1:].astype(np.int64))):
        up = out[y - 1] if y else np.zeros_like(line)
        if png_filter in (0, 2):                          # none, up
            out[y] = (line + (up if png_filter == 2 else 0)) % 256
            continue
        row = out[y]
        for i in range(len(line)):                  # sub, average, Paeth: each byte needs the one to its left
            left = row[i - step] if i >= step else 0
            corner = up[i - step] if i >= step else 0
            if png_filter == 1:
                guess = left
            elif png_filter == 3:
                guess = (left + up[i]) // 2
            else:
                p = left + up[i] - corner
                guess = min((abs(p - left), 0, left), (abs(p - up[i]), 1, up[i]), (abs(p - corner), 2, corner))[2]
            row[i] = (line[i] + guess) % 256
    return out.reshape(height, width, step)[:, :, :3].astype(np.uint8)


# In-page function (JavaScript): what the page stored in IndexedDB: the samples' labels, or the names of
# the networks kept (the weights store's keys).
STORED = """async (what) => {
    const db = await new Promise((done, fail) => { const r = indexedDB.open('digits');
                                                   r.onsuccess = () => done(r.result); r.onerror = () => fail(r.error); });
    const store = db.transaction(what, 'readonly').objectStore(what);
    const request = what === 'samples' ? store.getAll() : store.getAllKeys();
    const found = await new Promise((done) => { request.onsuccess = () => done(request.result); });
    db.close();
    return what === 'samples' ? found.map((s) => s.label) : found; }"""


def stored(page, what: str) -> list:
    """What this browser keeps for the page: 'samples' -> their labels, 'weights' -> the networks' names."""
    return page.evaluate(STORED, what)
