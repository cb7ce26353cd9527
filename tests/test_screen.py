"""What a person sees: the real page's boxes, pixels and computed styles (not
its own data attributes), on a desktop and on a phone, and axe-core's
accessibility check in every state."""

import json
import re
import shutil

import numpy as np
import pytest
from harness.browser import (DESKTOP, PHONE, axe_violations, canvas_box, draw_digit, mouse_draw, next_frames, open_page, place, served,
                     settle, shown, wait_ready)
from conftest import REPO

from py.drawings import nondigits

pytestmark = pytest.mark.browser      # needs a browser engine (Chromium, or Pyodide under Node)

SCRIBBLE = [s.tolist() for s in nondigits.MAKERS["scribble"](np.random.default_rng(3))]
PEN_CSS_PX = 14           # web/view/draw.js


def boxes(page, selector: str) -> list[dict]:
    return [page.locator(selector).nth(i).bounding_box() for i in range(page.locator(selector).count())]


@pytest.mark.parametrize("drawing", ["digit", "not-sure"])
def test_each_bar_is_drawn_as_wide_as_its_probability(page, drawing, strokes):
    draw_digit(page, strokes["5"][0] if drawing == "digit" else SCRIBBLE)
    tracks, fills = boxes(page, ".bar .track"), boxes(page, ".bar .fill")
    probs = [float(t.rstrip("%")) / 100 for t in page.locator(".bar .pct").all_text_contents()]
    assert len(tracks) == len(fills) == len(probs) == 10
    for d, (track, fill, p) in enumerate(zip(tracks, fills, probs)):
        assert abs(fill["width"] - p * track["width"]) <= 2, (d, fill["width"], p, track["width"])
    widths = [f["width"] for f in fills]
    assert int(np.argmax(widths)) == int(np.argmax(probs)) and max(widths) > 0


# What must take no room on screen, and what must, in each state.
STATES = {
    "loading": (["#correct", "#models", "#digits", "#number", "#error", "#teach"], ["#loading", "#canvas"]),
    "ready": (["#correct", "#loading", "#error", "#digits", "#number"], ["#models", "#bars-figure", "#teach"]),
    "answer": (["#loading", "#error", "#digits", "#number"], ["#correct", "#prediction", "#bars-figure"]),
    "not sure": (["#loading", "#error", "#digits", "#number"], ["#correct", "#bars-figure"]),
    "kept as not a digit": (["#loading", "#error", "#samples-undo"], ["#correct", "#correct-said"]),
    "a sample removed": (["#loading", "#error"], ["#samples-said", "#samples-undo"]),
    "number": (["#prediction", "#bars-figure", "#seen-figure", "#correct", "#loading"], ["#number", "#digits"]),
    "number, a digit chosen": (["#prediction", "#bars-figure"], ["#correct", "#digits"]),
    "training": (["#teach-progress", "#loading", "#error", "#scratch-use"], ["#chart", "#scratch-status"]),
    "stopped, offered for use": (["#loading", "#error"], ["#scratch-status", "#scratch-use"]),
    "error": (["#correct", "#loading", "#models", "#teach"], ["#error"]),
}


def check_state(page, state: str, problems: list[str]) -> None:
    hidden, visible = STATES[state]
    problems += [f"{state}: {s} is on screen" for s in hidden if shown(page, s)]
    problems += [f"{state}: {s} is not on screen" for s in visible if not shown(page, s)]
    problems += [f"{state}: axe: {v}" for v in axe_violations(page, impacts=None)]     # of any impact


@pytest.mark.parametrize("options", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_state_shows_what_it_should_and_passes_axe(site, options, tmp_path, strokes):
    problems = []
    page = open_page(site, options, hold_numpy=True)
    check_state(page, "loading", problems)
    page.release()
    assert wait_ready(page) == "ready"
    settle(page)
    check_state(page, "ready", problems)
    draw_digit(page, strokes["3"][0])
    page.locator("#inside > summary").click()
    page.locator("#scratch summary").click()
    check_state(page, "answer", problems)              # with both panels open
    draw_digit(page, SCRIBBLE)
    check_state(page, "not sure", problems)
    page.get_by_test_id("correct-none").click()
    page.get_by_test_id("correct-said").filter(has_text="not a digit").wait_for()
    check_state(page, "kept as not a digit", problems)
    page.get_by_test_id("sample").first.get_by_role("button").click()
    page.get_by_test_id("samples-undo").wait_for()
    check_state(page, "a sample removed", problems)
    page.get_by_test_id("mode-number").check()
    box = canvas_box(page)
    for i, d in enumerate("47"):
        mouse_draw(page, place(strokes[d][0], box, 0.7, (0.1 + 0.3 * i, 0.15)))
    settle(page)
    check_state(page, "number", problems)
    page.get_by_test_id("digit-1").click()
    check_state(page, "number, a digit chosen", problems)
    page.get_by_test_id("mode-digit").check()
    page.get_by_test_id("scratch-epochs").fill("50")
    page.get_by_test_id("scratch-start").click()
    page.get_by_test_id("scratch-status").filter(has_text="Epoch").wait_for(timeout=60_000)
    check_state(page, "training", problems)
    page.get_by_test_id("scratch-stop").click()
    page.get_by_test_id("scratch-status").filter(has_text=re.compile("Stopped|Could not")).wait_for(timeout=30_000)
    check_state(page, "stopped, offered for use", problems)
    page.context.close()

    site_copy = tmp_path / "web"
    shutil.copytree(REPO / "web", site_copy)
    build = json.loads((site_copy / "build.json").read_text())
    (site_copy / build["weights"]["cnn"]).unlink()
    with served(site_copy) as broken:
        page = open_page((site[0], broken), options, hold_numpy=True)
        page.release()
        assert wait_ready(page) == "error"
        check_state(page, "error", problems)
        page.context.close()
    assert problems == []


def pen_width(page) -> float:
    """The drawn stroke's thickness on screen in CSS px: a flat line across
    the pad, measured down the canvas's middle column of pixels."""
    page.get_by_test_id("clear").click()
    box = canvas_box(page)
    mouse_draw(page, [[(box["x"] + 0.2 * box["width"], box["y"] + box["height"] / 2),
                       (box["x"] + 0.8 * box["width"], box["y"] + box["height"] / 2)]])
    next_frames(page)                       # the pad redraws on the next animation frame
    return page.evaluate("""() => {
        const c = document.querySelector('[data-testid=canvas]'), ctx = c.getContext('2d');
        const column = ctx.getImageData(Math.floor(c.width / 2), 0, 1, c.height).data;
        let ink = 0; for (let i = 3; i < column.length; i += 4) ink += column[i] > 127;
        return ink * c.clientWidth / c.width; }""")


@pytest.mark.parametrize("options", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_pen_is_as_wide_in_both_modes_and_on_a_phone(site, options):
    page = open_page(site, options)
    digit = pen_width(page)
    page.get_by_test_id("mode-number").check()
    number = pen_width(page)
    box = canvas_box(page)
    page.context.close()
    assert abs(digit - PEN_CSS_PX) <= 1.5 and abs(number - PEN_CSS_PX) <= 1.5, (digit, number)
    assert box["height"] >= 150, box            # a phone's number pad is tall enough to write in


def test_controls_are_at_least_44_px_on_a_phone_and_no_key_hints(site, strokes):
    page = open_page(site, PHONE)
    draw_digit(page, strokes["4"][0])
    page.get_by_test_id("correct-4").click()               # a sample, with its remove button
    page.get_by_test_id("sample").first.wait_for()
    page.locator("#inside > summary").click()
    page.locator("#scratch summary").click()
    small = page.evaluate("""() => [...document.querySelectorAll(
            'button, select, summary, label.button, a[href], input:not([type=file])')]
        .map(e => e.matches('input[type=radio], input[type=checkbox]') ? e.closest('label') : e)
        .filter(e => e.getClientRects().length && !e.closest('.visually-hidden'))
        .map(e => ({what: e.id || e.dataset.testid || e.textContent.trim().slice(0, 20), r: e.getBoundingClientRect()}))
        .filter(({r}) => r.width < 44 || r.height < 44)
        .map(({what, r}) => `${what}: ${Math.round(r.width)}x${Math.round(r.height)}`)""")
    hint = shown(page, "#keys-hint")
    page.context.close()
    assert small == []
    assert not hint                              # a finger has no Z or Esc key


def test_not_sure_looks_different_from_the_idle_hint_and_a_dot_gets_advice(page):
    style = "() => { const v = getComputedStyle(document.getElementById('verdict')); return [v.color, v.backgroundColor]; }"
    idle = page.evaluate(style)
    draw_digit(page, SCRIBBLE)
    unsure = page.evaluate(style)
    mark = page.evaluate("getComputedStyle(document.getElementById('prediction'), '::before').content")
    assert unsure != idle and mark == '"?"'
    assert draw_digit(page, [[(0.5, 0.5)]]) == ""                    # a tap: a dot
    verdict = page.get_by_test_id("verdict").text_content()
    assert "Too small" in verdict and "maybe" not in verdict


def test_see_inside_sits_beside_the_pad_on_a_wide_screen_in_strong_colours(page, strokes):
    page.locator("#inside > summary").click()
    draw_digit(page, strokes["2"][0])
    page.wait_for_selector("#inside[data-busy=false]", state="attached")
    pad, heat = canvas_box(page), page.locator("#heat").bounding_box()
    assert heat["x"] > pad["x"] + pad["width"] and heat["y"] < pad["y"] + pad["height"]    # beside it, not below
    assert heat["y"] + heat["height"] <= 900                                               # in view while drawing
    vivid = page.evaluate("""() => { const d = document.getElementById('heat').getContext('2d')
        .getImageData(0, 0, 28, 28).data; let n = 0;
        for (let i = 0; i < d.length; i += 4) n += Math.max(d[i], d[i + 2]) >= 200 && Math.abs(d[i] - d[i + 2]) >= 120;
        return n; }""")
    assert vivid >= 40


def test_loading_progress_is_on_screen_on_a_phone(site):
    page = open_page(site, PHONE, hold_numpy=True)
    box = page.locator("#loading-text").bounding_box()
    text = page.locator("#loading-text").text_content()
    page.release()
    page.context.close()
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= 844, box
    assert "NumPy" in text and "2 of 3" in text


def test_disabled_buttons_look_disabled(page):
    page.locator("#scratch summary").click()
    styles = page.evaluate("""() => ['scratch-start', 'scratch-pause'].map(id => {
        const s = getComputedStyle(document.getElementById(id)); return [s.opacity, s.cursor, s.backgroundColor]; })""")
    enabled, disabled = styles
    assert float(disabled[0]) <= 0.6 < float(enabled[0]) and disabled[1] == "not-allowed" != enabled[1]


def test_grammar_an_8(page, strokes):
    assert draw_digit(page, strokes["8"][0]) == "8"
    assert page.get_by_test_id("verdict").text_content().startswith("It's an 8")
    assert page.get_by_test_id("correct-8").get_attribute("aria-label").startswith("It was an 8")
    assert page.get_by_test_id("correct-3").get_attribute("aria-label").startswith("It was a 3")


def test_the_chart_has_a_legend_labels_clear_of_its_frame_and_a_one_epoch_accuracy_point(page):
    page.locator("#scratch summary").click()
    page.get_by_test_id("scratch-epochs").fill("1")
    page.get_by_test_id("scratch-start").click()
    page.get_by_test_id("scratch-status").filter(has_text=re.compile("Done|Could not")).wait_for(timeout=120_000)
    legend = page.get_by_test_id("chart-legend").text_content()
    assert "loss" in legend and "accuracy" in legend
    frame, label = page.locator("#chart rect.frame").bounding_box(), page.get_by_test_id("chart-loss-max").bounding_box()
    assert label["x"] + label["width"] <= frame["x"]              # left of the frame, not over it
    dot = page.get_by_test_id("chart-acc-dot").bounding_box()
    assert dot and dot["width"] > 4 and frame["y"] <= dot["y"] <= frame["y"] + frame["height"]


def test_every_control_is_reached_and_works_by_keyboard(page, strokes):
    draw_digit(page, strokes["3"][0])
    for panel in ("inside", "scratch"):                  # open both panels from the keyboard
        page.locator(f"#{panel} summary").focus()
        page.keyboard.press("Enter")
        assert page.evaluate(f"document.getElementById('{panel}').open")
    controls = page.evaluate("""() => [...document.querySelectorAll('button, select, summary, input')]
        .filter(e => !e.disabled && (e.getClientRects().length || e.type === 'file'))
        .map(e => e.type === 'radio' ? `radio:${e.name}` : e.id || e.dataset.testid || e.textContent.trim())""")
    reached = set()
    page.locator("#undo").focus()
    for _ in range(4 * len(controls)):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("""(e => e.type === 'radio' ? `radio:${e.name}`
            : e.id || e.dataset.testid || e.textContent.trim())(document.activeElement)"""))
    assert set(controls) - reached - {"undo"} == set()
    page.get_by_test_id("correct-3").focus()
    page.keyboard.press("Enter")                       # a correction, kept
    page.get_by_test_id("sample").first.wait_for()
    page.get_by_test_id("mode-digit").focus()
    page.keyboard.press("ArrowRight")                  # radios move with the arrow keys
    assert page.get_by_test_id("mode-number").is_checked()
    with page.expect_file_chooser():                   # the import "button" opens the file chooser
        page.get_by_test_id("import").focus()
        page.keyboard.press("Space")
