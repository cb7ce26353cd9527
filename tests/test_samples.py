"""One drawing is one sample at most, labelled as the person said last,
whatever they undo, clear, switch, import, remove and put back: every
sequence of up to six such steps, played on the page's own state modules
(tests/samples_search.js). What a person does and sees of it on the page
itself, end to end: tests/test_person.py."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser      # needs a browser engine (Chromium, or Pyodide under Node)

SEARCH = Path(__file__).resolve().parent / "samples_search.js"


def test_every_sequence_of_six_steps_keeps_one_sample_per_drawing_as_last_chosen(page):
    result = page.evaluate(SEARCH.read_text(), {"depth": 6})
    assert result["failures"] == []
    assert result["played"] > 10_000, result          # it searched: draw, correct, clear, undo, switch, import...
