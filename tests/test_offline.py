"""Start-up and offline use: only what the first answer needs loads first, a
drawing made while loading is answered, and after one visit the page works
with the network off (draw, switch network, teach, learn, train, look
inside); a new build is announced."""

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from harness.browser import canvas_box, draw_digit, mouse_draw, place, served, settle, wait_ready
from conftest import REPO

pytestmark = pytest.mark.browser      # needs a browser engine (Chromium, or Pyodide under Node)



def visit(context, url: str):
    page = context.new_page()
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(url)
    assert wait_ready(page) == "ready", page.locator("#error").text_content()
    return page


def offline_ready(page) -> None:
    """Wait until the service worker has stored this build (it is active)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_selector("body[data-offline=ready]", state="attached", timeout=120_000)


def test_the_first_answer_needs_only_the_first_network_and_a_drawing_made_while_loading_is_answered(browser, strokes, build):
    with served() as url:
        context = browser.new_context()
        page = context.new_page()
        page.requests = []
        page.on("request", lambda r: page.requests.append(r.url))
        held = []
        page.route("**/*.whl", lambda route: held.append(route))
        page.goto(url)
        page.wait_for_selector("#stages li.active[data-stage=numpy]", state="attached")
        box = canvas_box(page)
        mouse_draw(page, place(strokes["3"][0], box, 0.7, (0.15, 0.15)))     # drawn while loading
        for route in held:
            route.continue_()
        page.unroute("**/*.whl")
        assert wait_ready(page) == "ready"
        assert settle(page) == "3"                                            # answered once ready, not lost
        fetched = " ".join(page.requests)
        assert build["weights"]["cnn"] in fetched
        assert build["weights"]["mlp"] not in fetched and build["replay"] not in fetched
        page.get_by_test_id("model-mlp").check()                              # the MLP loads when first chosen
        assert settle(page) == "3" and "by the MLP" in page.get_by_test_id("model-line").text_content()
        assert build["weights"]["mlp"] in " ".join(page.requests)
        context.close()


def test_a_first_visit_downloads_what_the_first_answer_needs_in_the_order_it_is_needed(browser, build):
    """web/prefetch.js, on the main thread: build.json's `first_answer` (the
    runtime, then the wheels, then the first network and the pen's path
    network), each group asked for once the one before has arrived. On a
    slow link, files fetched together share it: Python could not start until
    all of them were in."""
    groups = build["first_answer"]
    assert [len(g) for g in groups] == [5, 2, 2] and groups[2] == [build["weights"]["cnn"], build["weights"]["path"]]
    with served() as url:
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        assert wait_ready(page) == "ready"
        fetched = page.evaluate("""performance.getEntriesByType('resource').filter((e) => e.initiatorType === 'fetch')
                                   .map((e) => [e.name, e.startTime, e.responseEnd])""")
        context.close()
    span = {u: next(((start, end) for name, start, end in fetched if name.endswith("/" + u)), None) for g in groups for u in g}
    assert None not in span.values(), span                   # the page itself asked for each
    for before, after in zip(groups, groups[1:]):
        assert max(span[u][1] for u in before) <= min(span[u][0] for u in after), span


def test_after_one_visit_everything_works_offline(browser, tmp_path, strokes):
    """Every flow, with the rest (build.json's `rest`) unpacked after the first answer, from the offline copy."""
    with served() as url:
        context = browser.new_context()
        page = visit(context, url)
        offline_ready(page)
        context.set_offline(True)
        page.reload()
        assert wait_ready(page) == "ready", page.locator("#error").text_content()
        assert draw_digit(page, strokes["4"][0]) == "4"
        page.get_by_test_id("model-mlp").check()
        assert settle(page) == "4" and "by the MLP" in page.get_by_test_id("model-line").text_content()
        page.locator("#inside > summary").click()
        draw_digit(page, strokes["2"][0])
        page.wait_for_selector("#inside[data-busy=false]", state="attached")
        page.get_by_test_id("correct-2").click()
        page.get_by_test_id("sample").first.wait_for()
        page.get_by_test_id("finetune").click()                             # needs the replay set: cached too
        page.get_by_test_id("teach-result").filter(has_text=re.compile("Done|Could not")).wait_for(timeout=180_000)
        assert "Done" in page.get_by_test_id("teach-result").text_content()
        page.get_by_test_id("reset-model").click()                          # the shipped MLP, from the cache
        page.get_by_test_id("teach-result").filter(has_text="Back to the shipped MLP").wait_for()
        page.locator("#scratch summary").click()
        page.get_by_test_id("scratch-epochs").fill("1")
        page.get_by_test_id("scratch-start").click()
        status = page.get_by_test_id("scratch-status")
        status.filter(has_text=re.compile("Done|Could not")).wait_for(timeout=180_000)
        assert "Done" in status.text_content(), status.text_content()
        page.get_by_test_id("import-samples").set_input_files(SAMPLE)        # import and export
        page.get_by_test_id("import-result").filter(has_text="Imported 1 sample").wait_for()
        with page.expect_download() as download:
            page.get_by_test_id("export").click()
        assert download.value.suggested_filename.endswith(".npz")
        context.close()


def test_a_new_build_is_announced_and_taken_on_request(browser, tmp_path):
    site = tmp_path / "web"
    shutil.copytree(REPO / "web", site)
    with served(site) as url:
        context = browser.new_context()
        page = visit(context, url)
        offline_ready(page)
        assert not page.locator("#update").is_visible()
        build = json.loads((site / "build.json").read_text())
        (site / "build.json").write_text(json.dumps({**build, "version": "a-newer-build"}))
        page.reload()
        assert wait_ready(page) == "ready"
        page.locator("#update").wait_for(timeout=120_000)                   # "A new version ... is ready"
        with page.expect_navigation():
            page.get_by_test_id("update-reload").click()
        assert wait_ready(page) == "ready"
        assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("v=a-newer-build")
        assert page.evaluate("caches.keys()") == ["digits-a-newer-build"]   # the old build's cache is gone
        context.close()


def test_without_a_stored_copy_offline_buttons_say_what_is_wrong(browser, strokes):
    """With no service worker (blocked here) and the network off: Reset still
    works (the shipped weights are in the browser's cache once loaded), and
    the buttons that need a file not fetched yet say so, naming it."""
    with served() as url:
        context = browser.new_context(service_workers="block")
        page = visit(context, url)
        page.get_by_test_id("model-mlp").check()
        settle(page)                               # the MLP's weights have arrived
        context.set_offline(True)
        page.get_by_test_id("reset-model").click()
        result = page.get_by_test_id("teach-result")
        result.filter(has_text="Back to the shipped MLP").wait_for()
        draw_digit(page, strokes["2"][0])          # the drawing is still answered: the MLP is loaded already
        page.get_by_test_id("correct-2").click()
        page.get_by_test_id("finetune").click()
        result.filter(has_text="Could not learn").wait_for()
        assert "replay.npz" in result.text_content() and "network is off" in result.text_content()
        page.locator("#scratch summary").click()
        page.get_by_test_id("scratch-start").click()
        status = page.get_by_test_id("scratch-status")
        status.filter(has_text="Could not train").wait_for()
        assert "replay.npz" in status.text_content() and "network is off" in status.text_content()
        context.close()


# The SHA-256 of what this build's offline copy (the service worker's cache) keeps at `url`.
CACHED_SHA256 = """async (url) => {
    const kept = await caches.match(url);
    const hash = await crypto.subtle.digest('SHA-256', await kept.arrayBuffer());
    return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0')).join(''); }"""
SAMPLE = {"name": "mine.csv", "mimeType": "text/csv", "buffer": (",".join(["3"] + ["0"] * 784) + "\n").encode()}


@pytest.mark.parametrize("damage", ["random bytes", "cut at 12 kB"])
def test_a_damaged_download_is_named_never_kept_and_fetched_again_next_visit(browser, tmp_path, build, damage):
    """build.json's `rest` served damaged: what needs it says which file is
    damaged, and the service worker keeps no copy of it. Once the server
    has it right, the next visit in the same browser (whose cache would
    keep the damaged copy for a year, as an immutable asset) works, and the
    offline copy is the right one."""
    site = tmp_path / "web"
    shutil.copytree(REPO / "web", site, ignore=shutil.ignore_patterns("*.br", "*.gz"))
    rest = site / build["rest"]
    good = rest.read_bytes()
    rest.write_bytes(np.random.default_rng(0).bytes(len(good)) if damage == "random bytes" else good[:12_000])
    with served(site) as url:
        context = browser.new_context()
        page = visit(context, url)
        page.get_by_test_id("import-samples").set_input_files(SAMPLE)
        said = page.get_by_test_id("import-result")
        said.filter(has_text="damaged").wait_for()
        assert Path(build["rest"]).name in said.text_content() and "./build.sh" in said.text_content()
        assert page.get_by_test_id("sample").count() == 0
        page.close()
        rest.write_bytes(good)                         # the server has it right again
        page = visit(context, url)
        page.get_by_test_id("import-samples").set_input_files(SAMPLE)
        page.get_by_test_id("import-result").filter(has_text="Imported 1 sample").wait_for()
        offline_ready(page)
        assert page.evaluate(CACHED_SHA256, build["rest"]) == build["sha256"][build["rest"]]
        context.close()
