"""Screenshots of the page's main states, on a desktop and a phone, for a
person to look at before a change lands:

    ./build.sh screenshots          # -> docs/screens/<viewport>-<state>.png, and docs/page.png

docs/page.png (the README's picture) is the desktop "answer" state. The app's
PNG icons (web/icon-192.png, web/icon-512.png) are drawn here too, from
web/icon.svg.
"""

import json
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

from harness.browser import draw_digit, draw_number, launch, load_strokes, served, settle, wait_ready
from py.cli.checkout import OWN_STROKES, REPO
from py.drawings import nondigits

OUT = REPO / "docs" / "screens"
VIEWPORTS = {"desktop": {"viewport": {"width": 1280, "height": 900}},
             "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
                       "is_mobile": True, "has_touch": True}}


def shoot(page, name: str, *, full: bool = True) -> Path:
    path = OUT / f"{name}.png"
    page.screenshot(path=path, full_page=full)
    return path


def states(browser, url: str, viewport: str) -> list[Path]:
    import numpy as np
    strokes = load_strokes()
    context = browser.new_context(**VIEWPORTS[viewport])
    page = context.new_page()
    shots = []
    # Loading: hold the numpy wheel back until the picture is taken.
    release = []
    page.route("**/*.whl", lambda route: release.append(route))
    page.goto(url)
    page.wait_for_selector("#stages li.active[data-stage=numpy]", state="attached")
    page.wait_for_timeout(300)
    shots.append(shoot(page, f"{viewport}-loading", full=False))
    for route in release:
        route.continue_()
    page.unroute("**/*.whl")
    assert wait_ready(page) == "ready", page.locator("#error").text_content()
    settle(page)
    shots.append(shoot(page, f"{viewport}-ready", full=False))
    draw_digit(page, strokes["5"][0], 0.75, (0.12, 0.12))
    shots.append(shoot(page, f"{viewport}-answer", full=False))
    scribble = [s.tolist() for s in nondigits.MAKERS["scribble"](np.random.default_rng(3))]
    draw_digit(page, scribble)
    shots.append(shoot(page, f"{viewport}-not-sure", full=False))
    shapes = {d["label"]: d["strokes"] for d in json.loads(OWN_STROKES.read_text())["nondigits"]}
    draw_digit(page, shapes["sun"])                  # the CNN: a 4, but a guess
    shots.append(shoot(page, f"{viewport}-guess", full=False))
    page.get_by_test_id("mode-number").check()
    draw_number(page, "2026", first=0.05, step=0.22)
    settle(page)
    shots.append(shoot(page, f"{viewport}-number", full=False))
    page.get_by_test_id("mode-digit").check()
    for d in "47":
        draw_digit(page, strokes[d][1])
        page.get_by_test_id(f"correct-{d}").click()
    page.get_by_test_id("sample").nth(1).wait_for()
    page.locator("#teach").scroll_into_view_if_needed()
    shots.append(shoot(page, f"{viewport}-teach"))
    page.locator("#inside summary").click()
    draw_digit(page, strokes["2"][0])
    page.wait_for_selector("#inside[data-busy=false]", state="attached")
    shots.append(shoot(page, f"{viewport}-inside"))
    page.get_by_test_id("mode-number").check()
    page.get_by_test_id("clear").click()
    draw_number(page, "47", first=0.1, step=0.3)
    settle(page)
    page.get_by_test_id("digit-1").click()
    page.wait_for_selector("#inside[data-busy=false]", state="attached")
    page.locator("#result").scroll_into_view_if_needed()
    shots.append(shoot(page, f"{viewport}-number-inside", full=False))
    page.get_by_test_id("mode-digit").check()
    page.locator("#scratch summary").click()
    page.get_by_test_id("scratch-epochs").fill("1")
    page.get_by_test_id("scratch-start").click()
    page.get_by_test_id("scratch-status").filter(has_text="Done").wait_for(timeout=120_000)
    page.locator("#scratch").scroll_into_view_if_needed()
    shots.append(shoot(page, f"{viewport}-trained"))
    garbage = OUT / "garbage.npz"
    garbage.write_bytes(b"not a weights file")
    page.get_by_test_id("import").set_input_files(str(garbage))
    # The browser reads the file itself (a local path is passed), so it stays until then.
    page.get_by_test_id("import-result").filter(has_text="Refused").wait_for()
    garbage.unlink()
    page.locator("#import-result").scroll_into_view_if_needed()
    shots.append(shoot(page, f"{viewport}-refused", full=False))
    context.close()
    return shots


def icons(browser) -> None:
    page = browser.new_page(viewport={"width": 512, "height": 512})
    svg = (REPO / "web" / "icon.svg").read_text()
    for size in (192, 512):
        page.set_viewport_size({"width": size, "height": size})
        page.set_content(f'<body style="margin:0">{svg.replace("<svg ", f"<svg width={size} height={size} ", 1)}</body>')
        page.screenshot(path=REPO / "web" / f"icon-{size}.png", omit_background=True)
        print(f"wrote web/icon-{size}.png")
    page.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p, served() as url:
        browser = launch(p)
        icons(browser)
        for viewport in VIEWPORTS:
            for path in states(browser, url, viewport):
                print(f"wrote {path.relative_to(REPO)}")
        browser.close()
    shutil.copy(OUT / "desktop-answer.png", REPO / "docs" / "page.png")
    print("wrote docs/page.png (the README's picture: desktop-answer.png)")


if __name__ == "__main__":
    main()
