"""The unlucky user: damaged browser storage, a database left by another
version of the page, a recognizer that dies, a thousand samples. The page
reports what is wrong, lets the person repair it, and keeps working; nothing
they made is lost."""

import re

import numpy as np
import pytest
from harness.browser import draw_digit, open_page, settle, wait_ready
from conftest import REPO
from playwright.sync_api import expect

pytestmark = pytest.mark.browser      # needs a browser engine (Chromium, or Pyodide under Node)



@pytest.fixture
def context(site):
    context = site[0].new_context()
    yield context
    context.close()


DAMAGE = """async () => {
    const db = await new Promise((done) => { const r = indexedDB.open('digits'); r.onsuccess = () => done(r.result); });
    const tx = db.transaction(['samples', 'weights'], 'readwrite');
    const good = new Uint8Array(784); for (let i = 300; i < 320; i++) good[i] = 255;
    tx.objectStore('samples').add({ label: 3, time: 1 });                                  // no image
    tx.objectStore('samples').add({ image: new Uint8Array(784), label: 42, time: 2 });    // not a digit
    tx.objectStore('samples').add({ image: good, label: 7, time: 3 });                    // a good one
    tx.objectStore('weights').put(new Uint8Array([1, 2, 3]), 'mlp');
    tx.objectStore('weights').put('not even bytes', 'file:bad.npz');
    await new Promise((done) => { tx.oncomplete = done; });
    db.close();
    localStorage.setItem('digits.settings', '{broken');
}"""


def test_damaged_storage_is_reported_repairable_and_the_page_keeps_working(context, site, strokes):
    page = open_page(site, context=context)
    page.evaluate(DAMAGE)
    page.reload()
    assert wait_ready(page) == "ready", page.locator("#error").text_content()
    info = page.get_by_test_id("samples-info")
    info.filter(has_text="2 damaged records were left out").wait_for()
    assert page.get_by_test_id("sample").count() == 3
    status = page.get_by_test_id("models-status").text_content()
    assert 'The saved network "mlp" could not be loaded' in status and '"file:bad.npz"' in status
    assert draw_digit(page, strokes["4"][0]) == "4"                           # recognizes, with the shipped CNN
    page.get_by_test_id("model-mlp").check()                                   # the shipped MLP answers instead
    assert settle(page) == "4" and "by the MLP" in page.get_by_test_id("model-line").text_content()
    page.get_by_test_id("correct-4").click()                                   # a new correction shows
    page.get_by_test_id("sample").nth(3).wait_for()
    page.get_by_test_id("finetune").click()                                    # learns from the good ones
    result = page.get_by_test_id("teach-result")
    result.filter(has_text=re.compile("Done|Could not")).wait_for(timeout=120_000)
    assert "Done" in result.text_content(), result.text_content()
    damaged = page.get_by_role("button", name=re.compile("Remove a damaged sample"))
    for left in (1, 0):                                                        # the damaged ones can go
        damaged.first.click()
        expect(damaged).to_have_count(left)
    repair = page.locator("#models-repair button")
    repair.first.wait_for()
    for left in range(repair.count() - 1, -1, -1):
        repair.first.click()
        expect(repair).to_have_count(left)
    page.reload()
    assert wait_ready(page) == "ready"
    assert "damaged" not in page.get_by_test_id("samples-info").text_content()
    assert page.get_by_test_id("sample").count() == 2
    assert "could not be loaded" not in page.get_by_test_id("models-status").text_content()
    assert "knows your handwriting" in page.locator("label", has=page.get_by_test_id("model-mlp")).text_content()


def test_a_database_left_by_another_version_opens(context, site, strokes):
    page = context.new_page()
    page.goto(site[1] + "manifest.webmanifest")                                # the page's origin, not the page
    page.evaluate("""() => new Promise((done) => {
        const r = indexedDB.open('digits', 7);
        r.onupgradeneeded = () => r.result.createObjectStore('something else');
        r.onsuccess = () => { r.result.close(); done(); }; })""")
    page.goto(site[1])
    assert wait_ready(page) == "ready", page.locator("#error").text_content()
    draw_digit(page, strokes["2"][0])
    page.get_by_test_id("correct-2").click()
    page.get_by_test_id("sample").first.wait_for()
    page.reload()
    assert wait_ready(page) == "ready" and page.get_by_test_id("sample").count() == 1


CRASH_HOOK = "\nself.crashForTest = () => pyodide._api.fatal_error(new Error('a crash, on purpose'));\n"


def test_a_recognizer_that_dies_is_replaced_and_nothing_is_lost(context, site, strokes):
    source = (REPO / "web" / "worker" / "worker.js").read_text() + CRASH_HOOK
    context.route("**/worker.js", lambda route: route.fulfill(body=source, content_type="text/javascript"))
    page = open_page(site, context=context)
    draw_digit(page, strokes["5"][0])
    page.get_by_test_id("correct-5").click()
    page.get_by_test_id("sample").first.wait_for()
    try:
        page.workers[0].evaluate("crashForTest()")
    except Exception:
        pass                                   # the crash reaches the caller too
    page.get_by_test_id("undo").click()                                       # the next call finds Python dead
    page.get_by_test_id("models-status").filter(has_text="started again").wait_for(timeout=60_000)
    page.get_by_test_id("undo").click()                                       # nothing left to undo: blank
    assert draw_digit(page, strokes["8"][0]) == "8"                           # the new one answers
    assert page.get_by_test_id("sample").count() == 1 and page.locator("#error").is_hidden()


def test_a_thousand_samples_learn_within_the_budget(context, site, tmp_path):
    from py.cli import checkout
    from py.page import finetune
    x, y = checkout.dataset("embedded").train
    rows = ["label," + ",".join(f"pixel{i}" for i in range(784))]
    rows += [",".join(map(str, [int(y[i]), *np.round(x[i] * 255).astype(int)])) for i in range(1000)]
    (tmp_path / "many.csv").write_text("\n".join(rows) + "\n")
    page = open_page(site, context=context)
    page.get_by_test_id("model-mlp").check()
    page.get_by_test_id("import-samples").set_input_files(str(tmp_path / "many.csv"))
    page.get_by_test_id("import-result").filter(has_text="Imported 1000 samples").wait_for(timeout=60_000)
    assert "1000 samples" in page.get_by_test_id("samples-info").text_content()
    assert page.get_by_test_id("sample").count() == 100                       # the newest only, on screen
    page.get_by_test_id("finetune").click()
    result = page.get_by_test_id("teach-result")
    result.filter(has_text=re.compile("Done|Could not")).wait_for(timeout=120_000)
    assert "Done" in result.text_content(), result.text_content()
    assert page.locator("#teach-progress").get_attribute("max") == str(finetune.BUDGET["mlp"][0])
