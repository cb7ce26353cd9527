"""End to end: teaching the page, training in it, weights in and out, looking inside."""

import json
import re

import numpy as np
import pytest
from harness.browser import (PHONE, axe_violations, canvas_box, draw_digit, mouse_draw, open_page, place,
                             see_inside_a_number, settle, wait_ready)
from conftest import REPO, run_cli

from py import site
from py.io import weights
from py.page import finetune

pytestmark = pytest.mark.browser      # needs a browser engine (Chromium, or Pyodide under Node)



@pytest.fixture(autouse=True)
def mlp_chosen(page):
    """Every test here starts on a fresh page (conftest's `page`) with the MLP chosen."""
    page.get_by_test_id("model-mlp").check()


def test_correct_finetune_reload_keeps_samples_and_personal_model(page, strokes):
    for digit, style in (("4", 0), ("4", 1), ("7", 0)):
        draw_digit(page, strokes[digit][style])
        page.get_by_test_id(f"correct-{digit}").click()
    expect_samples = page.get_by_test_id("sample")
    expect_samples.nth(2).wait_for()
    assert expect_samples.count() == 3
    page.get_by_test_id("finetune").click()
    result = page.get_by_test_id("teach-result")
    result.filter(has_text="Done.").wait_for(timeout=120_000)
    assert page.locator("#teach-progress").get_attribute("max") == str(finetune.BUDGET["mlp"][0])   # as docs/architecture.md says
    text = result.text_content()
    assert "On your samples:" in text and "On MNIST check digits:" in text
    mnist_before, mnist_after = map(float, re.search(r"MNIST check digits: ([\d.]+)% → ([\d.]+)%", text).groups())
    assert mnist_after >= mnist_before - 2.0

    page.reload()
    assert wait_ready(page) == "ready"
    page.get_by_test_id("sample").nth(2).wait_for()
    assert page.get_by_test_id("sample").count() == 3
    page.get_by_test_id("model-mlp").check()
    label = page.locator("label", has=page.get_by_test_id("model-mlp"))
    label.filter(has_text="knows your handwriting").wait_for()
    assert draw_digit(page, strokes["4"][0]) == "4"
    assert "by the MLP" in page.locator("#model").text_content()

    page.get_by_test_id("reset-model").click()
    page.get_by_test_id("teach-result").filter(has_text="Back to the shipped MLP").wait_for()
    assert "knows your handwriting" not in label.text_content()
    page.get_by_test_id("sample").first.get_by_role("button").click()
    page.wait_for_selector("[data-testid=sample] >> nth=1", state="attached")
    page.wait_for_selector("[data-testid=sample] >> nth=2", state="detached")


def test_export_then_import_round_trips(page, tmp_path, strokes):
    with page.expect_download() as download:
        page.get_by_test_id("export").click()
    assert download.value.suggested_filename == "mlp.npz"
    path = tmp_path / "exported.npz"
    download.value.save_as(path)
    model, meta = weights.load(path)          # the CLI's own loader reads it
    assert meta["layer_sizes"] == [784, 512, 256, 10]
    result = run_cli("py.evaluate", "--weights", str(path), "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["accuracy"] > 0.98
    shipped, _ = weights.load(REPO / "weights" / "mlp.npz")         # the page holds its copy (py/site.py)
    assert all(np.array_equal(a, site.rounded(b, site.SHIPPED_BITS).astype(np.float32))
               for (_, a, _), (_, b, _) in zip(model.parameters(), shipped.parameters()))

    page.get_by_test_id("import").set_input_files(str(path))
    page.get_by_test_id("import-result").filter(has_text="Imported exported.npz").wait_for()
    assert draw_digit(page, strokes["3"][0]) == "3"
    assert "by the network from exported.npz" in page.get_by_test_id("model-line").text_content()


def network_labels(page) -> dict[str, str]:
    return {r.get_attribute("value"): r.locator("xpath=..").text_content().strip()
            for r in page.locator("input[name=model]").all()}


def test_an_imported_cnn_joins_the_list_under_its_name_and_stays(page, strokes):
    """With the MLP chosen, importing weights/cnn.npz adds "cnn.npz" as a CNN
    of its own: the shipped MLP stays the MLP, after a reload too."""
    page.get_by_test_id("import").set_input_files(str(REPO / "weights" / "cnn.npz"))
    page.get_by_test_id("import-result").filter(has_text="Imported cnn.npz").wait_for()
    labels = network_labels(page)
    assert labels["mlp"].startswith("MLP (784-512-256-10") and labels["cnn"].startswith("CNN (conv32")
    assert labels["file:cnn.npz"].startswith("cnn.npz (CNN conv32")
    assert page.get_by_test_id("model-file:cnn.npz").is_checked()
    assert draw_digit(page, strokes["5"][0]) == "5"
    assert "by the network from cnn.npz" in page.get_by_test_id("model-line").text_content()
    page.get_by_test_id("model-mlp").check()
    assert settle(page) == "5" and "by the MLP" in page.get_by_test_id("model-line").text_content()

    page.reload()
    assert wait_ready(page) == "ready"
    assert network_labels(page) == labels and page.get_by_test_id("model-mlp").is_checked()   # the choice is kept
    page.get_by_test_id("remove-file:cnn.npz").click()
    page.get_by_test_id("model-file:cnn.npz").wait_for(state="detached")
    page.reload()
    assert wait_ready(page) == "ready" and set(network_labels(page)) == {"cnn", "mlp"}


def test_a_written_number_is_corrected_digit_by_digit(page, strokes):
    page.get_by_test_id("mode-number").check()
    box = canvas_box(page)
    for i, d in enumerate("47"):
        mouse_draw(page, place(strokes[d][0], box, 0.7, (0.1 + 0.3 * i, 0.15)))
    settle(page)
    page.get_by_test_id("digit-1").click()
    assert "Digit 2" in page.locator("#correct-label").text_content()
    page.get_by_test_id("correct-1").click()
    page.get_by_test_id("sample").first.wait_for()
    assert page.get_by_test_id("sample").count() == 1
    assert page.get_by_test_id("sample-label").first.text_content() == "1"
    page.reload()                                              # the mode is kept
    assert wait_ready(page) == "ready" and page.get_by_test_id("mode-number").is_checked()


def test_samples_go_out_as_a_csv_the_cli_reads_and_come_back(page, tmp_path, strokes):
    for digit in "36":
        draw_digit(page, strokes[digit][0])
        page.get_by_test_id(f"correct-{digit}").click()
    page.get_by_test_id("sample").nth(1).wait_for()
    with page.expect_download() as download:
        page.get_by_test_id("export-samples").click()
    path = tmp_path / "samples.csv"
    download.value.save_as(path)
    result = run_cli("py.evaluate", "--weights", "weights/cnn.npz", "--data", str(path), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["n"] == 2
    for left in (1, 0):
        page.get_by_test_id("sample").first.get_by_role("button").click()
        page.wait_for_selector(f"[data-testid=sample] >> nth={left}", state="detached")
    page.get_by_test_id("import-samples").set_input_files(str(path))
    page.get_by_test_id("import-result").filter(has_text="Imported 2 samples").wait_for()
    page.get_by_test_id("sample").nth(1).wait_for()
    assert sorted(page.get_by_test_id("sample-label").all_text_contents()) == ["3", "6"]


@pytest.mark.parametrize("damage", ["truncated", "pickled"])
def test_a_bad_import_is_refused_in_plain_words_and_changes_nothing(page, tmp_path, damage, strokes):
    bad = tmp_path / "broken.npz"
    if damage == "truncated":
        bad.write_bytes((REPO / "weights" / "mlp.npz").read_bytes()[:5000])
    else:
        np.savez(bad, meta=np.array([{"format": "digits-weights"}], dtype=object))
    page.get_by_test_id("import").set_input_files(str(bad))
    message = page.get_by_test_id("import-result")
    message.filter(has_text="Refused").wait_for()
    text = message.text_content()
    assert "broken.npz" in text and "Nothing changed" in text
    assert not re.search(r"\bpy\.[a-z]+\.[A-Za-z]|Error\b|BadInput|Traceback|allow_pickle", text), text    # no internals
    assert set(network_labels(page)) == {"cnn", "mlp"}
    assert draw_digit(page, strokes["6"][0]) == "6"


def test_settings_that_cannot_train_are_refused_with_the_reason(page):
    page.locator("#scratch summary").click()
    page.get_by_test_id("scratch-lr").fill("0")
    page.get_by_test_id("scratch-start").click()
    status = page.get_by_test_id("scratch-status")
    status.filter(has_text="Could not train").wait_for(timeout=60_000)
    assert "Learning rate 0" in status.text_content()
    assert "yours" not in network_labels(page)


def test_training_from_scratch_keeps_drawing_responsive(page, strokes):
    """Train an MLP in the page: pause, resume, draw while it trains, stop;
    then a short run to its end. (How smooth the page stays meanwhile is
    `./build.sh bench finetune`'s to measure.)"""
    page.locator("#scratch summary").click()
    page.get_by_test_id("scratch-layers").fill("784,128,10")
    page.get_by_test_id("scratch-epochs").fill("50")         # far longer than this test
    page.get_by_test_id("scratch-start").click()
    status = page.get_by_test_id("scratch-status")
    status.filter(has_text="Epoch").wait_for(timeout=60_000)
    # What the first layer learns, redrawn as it goes: 32 of its units' weights as 28×28 pictures.
    assert "28×28 pictures" in page.locator("#scratch-first-caption").text_content()
    assert page.get_by_test_id("scratch-first").evaluate(LIT) > 1000
    page.get_by_test_id("scratch-pause").click()
    status.filter(has_text="(paused)").wait_for()
    # The worker takes one call at a time: once a drawing is answered, the slice
    # under way when pause was pressed has landed; a further answered drawing
    # is a later moment in the worker, where a run not paused would have moved on.
    draw_digit(page, strokes["7"][0])
    paused_at = status.text_content()
    draw_digit(page, strokes["9"][0])
    assert status.text_content() == paused_at
    page.get_by_test_id("scratch-pause").click()          # resume
    drawn = [draw_digit(page, strokes[digit][0]) for digit in "0123"]
    assert status.text_content() != paused_at and "Epoch" in status.text_content()    # still training
    page.get_by_test_id("scratch-stop").click()
    status.filter(has_text=re.compile("Stopped|Could not")).wait_for(timeout=30_000)
    assert drawn == list("0123")                            # answered by the MLP meanwhile
    assert page.get_by_test_id("model-mlp").is_checked()   # until the person chooses the new one
    page.get_by_test_id("scratch-use").click()
    assert page.get_by_test_id("model-yours").is_checked()
    draw_digit(page, strokes["1"][0])
    assert "by your network" in page.locator("#model").text_content()

    page.get_by_test_id("scratch-epochs").fill("2")
    page.get_by_test_id("scratch-start").click()
    status.filter(has_text=re.compile("Done|Could not")).wait_for(timeout=120_000)
    assert "Done" in status.text_content(), status.text_content()
    assert float(re.search(r"Done: Yours 2 reads ([\d.]+)%", status.text_content()).group(1)) > 85   # 2 epochs, 3,000 digits
    page.reload()                                               # "Yours" is kept, and chosen
    assert wait_ready(page) == "ready" and page.get_by_test_id("model-yours").is_checked()
    draw_digit(page, strokes["1"][0])
    assert "by your network" in page.get_by_test_id("model-line").text_content()


def test_see_inside(page, strokes):
    page.locator("#inside > summary").click()
    draw_digit(page, strokes["2"][0])
    page.wait_for_selector("#inside[data-busy=false]", state="attached")   # caught up with the drawing
    assert page.evaluate("document.getElementById('first').width") > 100
    red = page.evaluate("""() => { const c = document.getElementById('heat');
        const d = c.getContext('2d').getImageData(0, 0, 28, 28).data; let n = 0;
        for (let i = 0; i < d.length; i += 4) n += d[i] > 150 && d[i + 2] < 100; return n; }""")
    assert red > 10
    page.get_by_test_id("model-cnn").check()
    settle(page)
    page.wait_for_selector("#inside[data-busy=false]", state="attached")
    # What the pen's path network reads: the path drawn, and its own answer named.
    assert page.locator("#path-figure").is_visible()
    assert re.search(r"Alone, it reads a \d \(\d+%\)", page.locator("#path-caption").text_content())
    blue = page.evaluate("""() => { const c = document.getElementById('path');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
        for (let i = 0; i < d.length; i += 4) n += d[i + 3] > 0 && d[i + 2] > d[i] + 40; return n; }""")
    assert blue > 100


# How many pixels of a canvas are lit (any channel above 40): a picture drawn, not a blank.
LIT = """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
    for (let i = 0; i < d.length; i += 4) n += Math.max(d[i], d[i + 1], d[i + 2]) > 40; return n; }"""
CNN_STAGES = ["Input 28×28×1", "Convolution 1 + ReLU 28×28×32", "Max pooling 14×14×32", "Convolution 2 + ReLU 14×14×64",
              "Max pooling 7×7×64", "Dense 1 + ReLU 128", "Logits 10", "Softmax 10"]


def looked_inside(page):
    page.wait_for_selector("#inside[data-busy=false]", state="attached")
    return page.get_by_test_id("stage").locator("h4").all_text_contents()


def shown_sum(page) -> tuple[float, float, float]:
    """The opened unit's "Σ = s + bias b = v", as numbers."""
    text = page.get_by_test_id("unit").locator(".sum").text_content().replace("−", "-")
    return tuple(map(float, re.search(r"Σ = (-?[\d.]+) \+ bias (-?[\d.]+) = (-?[\d.]+)", text).groups()))


def test_see_inside_every_layer_a_unit_opened_and_the_code(page, strokes):
    """The CNN on a drawn 7: every layer drawn with its shape, the softmax
    giving the 7, the strongest unit of the first convolution opened with
    numbers that add up, another opened by a press on a map and one by the
    keyboard alone, and the lines of py/nn/layers.py that computed them."""
    page.get_by_test_id("model-cnn").check()
    page.locator("#inside > summary").click()
    draw_digit(page, strokes["7"][0])
    assert looked_inside(page) == CNN_STAGES
    for canvas in page.get_by_test_id("stage-picture").all():
        assert canvas.evaluate(LIT) > 10
    softmax = page.get_by_test_id("softmax").locator("tr")
    rows = {r.locator("th").text_content(): r.locator("td").last.text_content() for r in softmax.all()[1:]}
    assert max(rows, key=lambda d: float(rows[d].rstrip("%").replace("e", "E"))) == "7"
    unit = page.get_by_test_id("unit")
    assert unit.text_content().startswith("Convolution 1 + ReLU, map") and "Max pooling: its 2×2 block" in unit.text_content()
    total, bias, value = shown_sum(page)
    assert total + bias == pytest.approx(value, abs=0.0015)
    # A press on the second convolution's maps opens a unit there: its window runs over the 32 maps before it.
    maps = page.get_by_test_id("stage-picture").nth(3)
    box = maps.bounding_box()
    maps.click(position={"x": box["width"] * 0.4, "y": box["height"] * 0.3})
    page.wait_for_selector("#inside[data-busy=false]", state="attached")
    assert unit.text_content().startswith("Convolution 2 + ReLU, map") and "The other 29 input maps add" in unit.text_content()
    total, bias, value = shown_sum(page)
    assert total + bias == pytest.approx(value, abs=0.0015)
    # The code beside it: the very forward pass of py/nn/layers.py, from the package.
    code = unit.locator("details.code")
    code.locator("summary").click()
    text = code.locator("pre").first.text_content()
    assert text.lstrip().startswith("def forward(self, x, train=False):") and "matmul(self.cols" in text
    assert "py/nn/layers.py, line" in code.text_content() and "step 1 of the reading order" in code.text_content()
    # By keyboard alone: Tab from the panel's title reaches the unit's form; the dense layer's unit 5 opens.
    page.locator("#inside > summary").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "unit-layer":
            break
    assert page.evaluate("document.activeElement.id") == "unit-layer"
    for _ in range(3):                                  # the last layer: the logits
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("7")
    page.keyboard.press("Tab")                          # the row and column are hidden: a logit has none
    assert page.evaluate("document.activeElement.textContent") == "Open"
    page.keyboard.press("Enter")
    page.wait_for_selector("#inside[data-busy=false]", state="attached")
    unit.filter(has_text="Logits, unit 7:").wait_for()
    assert "largest products of its 128 inputs" in unit.text_content()
    total, bias, value = shown_sum(page)
    assert total + bias == pytest.approx(value, abs=0.0015)
    assert axe_violations(page) == []


def test_one_step_of_learning_after_a_correction(page, strokes):
    """The MLP: each dense layer's units and the first layer's weights as
    pictures; after a correction, what one step of learning on the drawing
    would do, the network answering as before."""
    page.locator("#inside > summary").click()
    draw_digit(page, strokes["4"][0])
    assert looked_inside(page) == ["Input 784", "Dense 1 + ReLU 512", "Dense 2 + ReLU 256", "Logits 10", "Softmax 10"]
    assert page.get_by_test_id("stage-weights").evaluate(LIT) > 100
    assert page.locator("#step-section").is_hidden()
    page.get_by_test_id("correct-9").click()
    page.locator("#step-section").wait_for()
    page.wait_for_selector("#inside[data-busy=false]", state="attached")
    said = page.get_by_test_id("step").text_content().replace("−", "-")
    before, after = map(float, re.search(r"loss goes from ([\d.]*\d) to ([\d.]*\d)", said).groups())
    assert "as a 9" in said and after < before and "largest weight changes" in said
    nine = page.get_by_test_id("step-probs").locator("tr.marked td")
    assert float(nine.last.text_content().rstrip("%")) > float(nine.first.text_content().rstrip("%"))
    assert settle(page) == "4"                                  # the network answering is unchanged
    assert axe_violations(page) == []


def test_see_inside_on_a_phone_and_of_the_digit_pressed(site, strokes):
    """At 390 px: every layer fits the screen's width, its controls are
    44 px tall; in number mode the layers are of the digit pressed."""
    page = open_page(site, PHONE)
    see_inside_a_number(page, "47", 1)
    assert looked_inside(page) == CNN_STAGES
    softmax = page.get_by_test_id("softmax").locator("tr").all()[1:]
    probs = [float(r.locator("td").last.text_content().rstrip("%").replace("e", "E")) for r in softmax]
    assert probs.index(max(probs)) == 7                         # digit 2 of "47"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for canvas in page.get_by_test_id("stage-picture").all():
        box = canvas.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and canvas.evaluate(LIT) > 10
    for control in [*page.locator(".logits button, details.code summary, #unit-form button, #unit-form select").all()]:
        assert control.bounding_box()["height"] >= 44
    assert axe_violations(page) == []
    page.context.close()


ROW = (",".join(["3"] + ["0"] * 784) + "\n").encode()      # one sample: a blank 3


@pytest.mark.parametrize("name", ["x" * 292 + ".csv", ".."])
def test_samples_are_imported_whatever_the_files_name(page, name):
    """A name too long for a file system, or "..", is only a name: a bad
    file is refused naming it and its problem, a good one is imported."""
    said = page.get_by_test_id("import-result")
    page.get_by_test_id("import-samples").set_input_files({"name": name, "mimeType": "text/csv", "buffer": b"1,2,3\n"})
    said.filter(has_text="Refused").wait_for()
    assert f"{name}: line 1: expected 785 values" in said.text_content() and "went wrong" not in said.text_content()
    page.get_by_test_id("import-samples").set_input_files({"name": name, "mimeType": "text/csv", "buffer": ROW})
    said.filter(has_text=f"Imported 1 sample from {name}").wait_for()
    assert page.get_by_test_id("sample").count() == 1


# Samples put in this browser's storage as the page keeps them: n blank drawings labelled 0..9.
ADD_SAMPLES = """async (n) => {
    const db = await new Promise((done, fail) => { const r = indexedDB.open('digits');
                                                   r.onsuccess = () => done(r.result); r.onerror = () => fail(r.error); });
    const tx = db.transaction('samples', 'readwrite');
    for (let i = 0; i < n; i++) tx.objectStore('samples').add({ image: new Uint8Array(784), label: i % 10, time: i });
    await new Promise((done) => { tx.oncomplete = done; });
    db.close(); }"""
# Before the page's scripts run: every text the samples' line shows while the panel is on screen.
WATCH_SAMPLES_LINE = """window.samplesLine = [];
    document.addEventListener('DOMContentLoaded', () => {
      const teach = document.getElementById('teach'), line = document.getElementById('samples-info');
      new MutationObserver(() => { if (!teach.hidden) window.samplesLine.push(line.textContent); })
        .observe(teach, { attributes: true, childList: true, subtree: true, characterData: true });
    });"""


def test_after_a_reload_the_samples_are_said_to_be_loading_until_listed(page):
    """Listing many samples takes seconds: meanwhile the panel says so, never
    "No samples yet" (as it did for 3 to 5 s with 100,000 of them)."""
    page.evaluate(ADD_SAMPLES, 2000)
    page.add_init_script(WATCH_SAMPLES_LINE)
    page.reload()
    assert wait_ready(page) == "ready"
    page.get_by_test_id("samples-info").filter(has_text="2000 samples kept").wait_for()
    shown = page.evaluate("window.samplesLine")
    assert shown[0] == "Loading samples…" and not any("No samples" in text for text in shown), shown
