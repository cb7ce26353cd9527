"""End to end in the other two engines: the real page in Firefox ESR (Gecko)
and WPE WebKit, driven through WebDriver with W3C pointer actions (the
mouse). One page load per engine serves every test here: WebKit alone takes
about 10 s to start Python."""

import re

import numpy as np
import pytest
from browser import load_strokes, place
from conftest import REPO
from engines import (ENGINES, canvas_box, canvas_ink, click, draw_digit, launch, next_frames, open_page, pointer_draw,
                     problems, settle, text, wait_for)
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from py import nondigits

pytestmark = pytest.mark.browser      # needs a browser engine

STROKES = load_strokes()


@pytest.fixture(scope="module", params=ENGINES)
def page(request, url):
    """A browser of each engine with the page loaded and ready."""
    driver = launch(request.param)
    try:
        open_page(driver, url)
        yield driver
    finally:
        driver.quit()


def requests(page) -> list[str]:
    """Every URL the page's window fetched (its worker's are not listed: the
    server's violation reports cover those)."""
    return page.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")


def wait_until(page, condition, what: str, timeout: float = 5.0) -> None:
    for _ in range(int(timeout / 0.1)):
        if condition():
            return
        page.execute_async_script("setTimeout(arguments[0], 100)")
    raise AssertionError(f"after {timeout} s: {what}")


def test_ready_with_no_error_and_every_request_on_the_page_origin(page, url):
    assert page.find_element(By.TAG_NAME, "body").get_attribute("data-state") == "ready"
    fetched = requests(page)
    assert len(fetched) >= 5        # scripts, style, build.json, worker...
    assert [r for r in fetched if not r.startswith((url, "data:"))] == []
    assert url.server.violations == []     # nothing, worker included, was blocked by the page's policy
    assert problems(page) == []


def test_a_request_elsewhere_is_blocked_and_reported(page, url):
    """What makes the origin check mean something in this engine: the page's
    policy blocks a request to another origin, and the browser tells the server."""
    page.execute_script("fetch('http://192.0.2.1/elsewhere').catch(() => 0)")
    wait_until(page, lambda: any("192.0.2.1" in v for v in url.server.violations), "no violation reported")
    url.server.violations.clear()


def test_the_page_s_own_errors_are_seen(page):
    """What makes the "no errors" checks mean something: the hook sees a page
    script that fails (one of the page's modules run as a classic script, where
    `export` is a syntax error), a promise rejected and left so, and an error
    logged, all in the page's own realm (Firefox runs WebDriver's scripts in a
    sandbox with builtins of its own: `window.` reaches the page's)."""
    page.execute_script("""
        const script = document.createElement('script');
        script.src = 'dom.js';
        document.head.append(script);
        window.Promise.reject(new window.Error('rejected on purpose'));
        window.setTimeout(window.console.error, 0, 'logged on purpose');""")
    wait_until(page, lambda: len(problems(page)) == 3, "the errors were not all seen")
    seen = " ".join(problems(page))
    assert "dom.js" in seen and "rejected on purpose" in seen and "logged on purpose" in seen, seen
    page.execute_script("window.seenErrors.length = 0")


def test_drawn_digits_are_read_right(page):
    """0 to 9, each in another of strokes.json's styles."""
    got = [draw_digit(page, STROKES[d][int(d) % len(STROKES[d])]) for d in "0123456789"]
    assert got == list("0123456789")


def press(page, key: str) -> None:
    ActionChains(page).send_keys(key).perform()
    next_frames(page)


def test_undo_and_clear(page):
    """A 4 in two strokes: undo (button) goes back to exactly the first
    stroke's answer and ink, Z to nothing; Clear and Esc empty the pad."""
    click(page, "clear")
    first, second = place(STROKES["4"][0], canvas_box(page), 0.8, (0.1, 0.1))
    pointer_draw(page, [first])
    after_first = (settle(page), canvas_ink(page))
    pointer_draw(page, [second])
    assert settle(page) == "4"
    click(page, "undo")
    assert (settle(page), canvas_ink(page)) == after_first
    press(page, "z")
    assert (settle(page), canvas_ink(page)) == ("", 0)
    assert draw_digit(page, STROKES["8"][0]) == "8"
    click(page, "clear")
    assert (settle(page), canvas_ink(page)) == ("", 0)
    assert draw_digit(page, STROKES["2"][0]) == "2"
    press(page, Keys.ESCAPE)
    assert (settle(page), canvas_ink(page)) == ("", 0)
    assert text(page, "verdict") == "Draw a digit in the box."


def test_non_digits_are_answered_not_sure(page):
    for kind in nondigits.KINDS:
        strokes = [s.tolist() for s in nondigits.MAKERS[kind](np.random.default_rng(3))]
        assert (kind, draw_digit(page, strokes)) == (kind, "")
        assert text(page, "verdict").startswith("Not sure"), (kind, text(page, "verdict"))


def test_number_mode_reads_a_written_number(page):
    click(page, "mode-number")
    try:
        box = canvas_box(page)
        assert box["width"] > 2.5 * box["height"]
        for i, d in enumerate("2026"):
            pointer_draw(page, place(STROKES[d][i % 3], box, 0.7, (0.05 + 0.22 * i, 0.15)))
        settle(page)
        assert text(page, "number") == "2026"
    finally:
        click(page, "mode-digit")


def test_a_bad_weights_file_is_refused_in_plain_words_and_the_page_keeps_working(page, tmp_path):
    bad = tmp_path / "broken.npz"
    bad.write_bytes((REPO / "weights" / "mlp.npz").read_bytes()[:5000])
    page.find_element(By.CSS_SELECTOR, "[data-testid=import]").send_keys(str(bad))
    message = wait_for(page, "[data-testid=import-result]:not(:empty)", 30).get_attribute("textContent")
    assert message.startswith("Refused") and "broken.npz" in message and "Nothing changed" in message, message
    assert not re.search(r"\bpy\.[a-z]+\.[A-Za-z]|Error\b|BadInput|Traceback", message), message   # no internals
    networks = page.find_elements(By.CSS_SELECTOR, "input[name=model]")
    assert sorted(n.get_attribute("value") for n in networks) == ["cnn", "mlp"]
    assert draw_digit(page, STROKES["6"][0]) == "6"


def test_after_all_this_no_error_and_no_request_elsewhere(page, url):
    assert problems(page) == []
    assert [r for r in requests(page) if not r.startswith((url, "data:"))] == []
    assert url.server.violations == []
