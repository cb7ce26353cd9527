"""What drives the page and the program from outside, shared by the tests
and the benchmarks: browser.py (the page in Chromium, with Playwright),
engines.py (Firefox and WebKit, with Selenium), heldout.py (the held-out
drawings), hostile.py (the catalogue of bad input), postgres.py (a
PostgreSQL server of a test's own), parity.py (native against Pyodide's
numbers), in_pyodide.py (the unit tests inside Pyodide). The repository
root is on the path (pytest's pythonpath; `python -m bench.bench` run from
the root), so `from harness.browser import …` finds it."""
