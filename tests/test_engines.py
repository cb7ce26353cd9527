"""End to end in the other two engines: the real page in Firefox ESR (Gecko)
and WPE WebKit, driven through WebDriver with W3C pointer actions (the
mouse). One page load per engine serves every test here: WebKit alone takes
about 10 s to start Python."""

import re

import numpy as np
import pytest
from harness.browser import place
from conftest import REPO
from harness.engines import (ENGINES, canvas_box, canvas_ink, click, draw_digit, launch, next_frames, open_page, pointer_draw,
                     problems, settle, text, wait_for)
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from py.drawings import nondigits

pytestmark = pytest.mark.browser      # needs a browser engine



@pytest.fixture(scope="module", params=ENGINES)
def driver(request, url):
    """A browser of each engine with the page loaded and ready."""
    driver = launch(request.param)
    try:
        open_page(driver, url)
        yield driver
    finally:
        driver.quit()


def requests(driver) -> list[str]:
    """Every URL the page's window fetched (its worker's are not listed: the
    server's violation reports cover those)."""
    return driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")


def wait_until(driver, condition, what: str, timeout: float = 5.0) -> None:
    for _ in range(int(timeout / 0.1)):
        if condition():
            return
        driver.execute_async_script("setTimeout(arguments[0], 100)")
    raise AssertionError(f"after {timeout} s: {what}")


def test_ready_with_no_error_and_every_request_on_the_page_origin(driver, url):
    assert driver.find_element(By.TAG_NAME, "body").get_attribute("data-state") == "ready"
    fetched = requests(driver)
    assert len(fetched) >= 5        # scripts, style, build.json, worker...
    assert [r for r in fetched if not r.startswith((url, "data:"))] == []
    assert url.server.violations == []     # nothing, worker included, was blocked by the page's policy
    assert problems(driver) == []


def test_a_request_elsewhere_is_blocked_and_reported(driver, url):
    """What makes the origin check mean something in this engine: the page's
    policy blocks a request to another origin, and the browser tells the server."""
    driver.execute_script("fetch('http://192.0.2.1/elsewhere').catch(() => 0)")
    wait_until(driver, lambda: any("192.0.2.1" in v for v in url.server.violations), "no violation reported")
    url.server.violations.clear()


def test_the_page_s_own_errors_are_seen(driver):
    """What makes the "no errors" checks mean something: the hook sees a page
    script that fails (one of the page's modules run as a classic script, where
    `export` is a syntax error), a promise rejected and left so, and an error
    logged, all in the page's own realm (Firefox runs WebDriver's scripts in a
    sandbox with builtins of its own: `window.` reaches the page's)."""
    driver.execute_script("""
        const script = document.createElement('script');
        script.src = 'view/dom.js';
        document.head.append(script);
        window.Promise.reject(new window.Error('rejected on purpose'));
        window.setTimeout(window.console.error, 0, 'logged on purpose');""")
    wait_until(driver, lambda: len(problems(driver)) == 3, "the errors were not all seen")
    seen = " ".join(problems(driver))
    assert "dom.js" in seen and "rejected on purpose" in seen and "logged on purpose" in seen, seen
    driver.execute_script("window.seenErrors.length = 0")


def test_drawn_digits_are_read_right(driver, strokes):
    """0 to 9, each in another of strokes.json's styles."""
    got = [draw_digit(driver, strokes[d][int(d) % len(strokes[d])]) for d in "0123456789"]
    assert got == list("0123456789")


def press(driver, key: str) -> None:
    ActionChains(driver).send_keys(key).perform()
    next_frames(driver)


def test_undo_and_clear(driver, strokes):
    """A 4 in two strokes: undo (button) goes back to exactly the first
    stroke's answer and ink, Z to nothing; Clear and Esc empty the pad."""
    click(driver, "clear")
    first, second = place(strokes["4"][0], canvas_box(driver), 0.8, (0.1, 0.1))
    pointer_draw(driver, [first])
    after_first = (settle(driver), canvas_ink(driver))
    pointer_draw(driver, [second])
    assert settle(driver) == "4"
    click(driver, "undo")
    assert (settle(driver), canvas_ink(driver)) == after_first
    press(driver, "z")
    assert (settle(driver), canvas_ink(driver)) == ("", 0)
    assert draw_digit(driver, strokes["8"][0]) == "8"
    click(driver, "clear")
    assert (settle(driver), canvas_ink(driver)) == ("", 0)
    assert draw_digit(driver, strokes["2"][0]) == "2"
    press(driver, Keys.ESCAPE)
    assert (settle(driver), canvas_ink(driver)) == ("", 0)
    assert text(driver, "verdict") == "Draw a digit in the box."


def test_non_digits_are_answered_not_sure(driver):
    flat_line = [[(0.15, 0.5), (0.5, 0.5), (0.85, 0.5)]]      # a slanted one may be a 1 (test_page.py)
    drawn = {kind: [s.tolist() for s in nondigits.MAKERS[kind](np.random.default_rng(3))]
             for kind in nondigits.KINDS if kind != "line"}
    for kind, strokes in {**drawn, "flat line": flat_line}.items():
        assert (kind, draw_digit(driver, strokes)) == (kind, "")
        assert text(driver, "verdict").startswith(("Not sure", "This does not look like any digit")), \
            (kind, text(driver, "verdict"))


def test_number_mode_reads_a_written_number(driver, strokes):
    click(driver, "mode-number")
    try:
        box = canvas_box(driver)
        assert box["width"] > 2.5 * box["height"]
        for i, d in enumerate("2026"):
            pointer_draw(driver, place(strokes[d][i % 3], box, 0.7, (0.05 + 0.22 * i, 0.15)))
        settle(driver)
        assert text(driver, "number") == "2026"
    finally:
        click(driver, "mode-digit")


def test_a_bad_weights_file_is_refused_in_plain_words_and_the_page_keeps_working(driver, tmp_path, strokes):
    bad = tmp_path / "broken.npz"
    bad.write_bytes((REPO / "weights" / "mlp.npz").read_bytes()[:5000])
    driver.find_element(By.CSS_SELECTOR, "[data-testid=import]").send_keys(str(bad))
    message = wait_for(driver, "[data-testid=import-result]:not(:empty)", 30).get_attribute("textContent")
    assert message.startswith("Refused") and "broken.npz" in message and "Nothing changed" in message, message
    assert not re.search(r"\bpy\.[a-z]+\.[A-Za-z]|Error\b|BadInput|Traceback", message), message   # no internals
    networks = driver.find_elements(By.CSS_SELECTOR, "input[name=model]")
    assert sorted(n.get_attribute("value") for n in networks) == ["cnn", "mlp"]
    assert draw_digit(driver, strokes["6"][0]) == "6"


def test_after_all_this_no_error_and_no_request_elsewhere(driver, url):
    assert problems(driver) == []
    assert [r for r in requests(driver) if not r.startswith((url, "data:"))] == []
    assert url.server.violations == []
