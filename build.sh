#!/usr/bin/env bash
# Set everything up on a fresh Debian machine (idempotent: tools/setup.sh), then:
#   ./build.sh               serve the page at http://127.0.0.1:8000/
#   ./build.sh test [ARGS]   run all tests: native, Pyodide, Chromium, Firefox, WebKit, PostgreSQL (ARGS go to pytest)
#   ./build.sh test unit     the one-minute loop: the pure unit tests, with nothing rebuilt and no apt
#   ./build.sh setup         only set up
#   ./build.sh bench WHAT    print a benchmark's figures (bench/bench.py; ./build.sh bench --help lists them)
#   ./build.sh train         train every shipped network from scratch, and print the time (tools/train_shipped.sh)
#   ./build.sh screenshots   the page's main states, desktop and phone, into docs/screens/
set -euo pipefail
cd "$(dirname "$0")"
. tools/setup.sh

# The one-minute loop: no browser, no other processes, no built page, nothing that trains for long.
UNIT="not browser and not processes and not site and not slow"

case "${1:-start}" in
  start) setup; exec .venv/bin/python -m py.serve ;;
  setup) setup ;;
  test)  shift
         if [ "${1:-}" = unit ]; then
           shift; setup_python; setup_npm
           exec .venv/bin/pytest -m "$UNIT" --durations=10 "$@"
         fi
         setup; setup_chromium; setup_engines; setup_postgresql; exec .venv/bin/pytest "$@" ;;
  bench) shift; setup; setup_chromium
         case "${1:-train}" in train) setup_torch ;; engines) setup_engines ;; esac
         exec .venv/bin/python -m bench.bench "${@:-train}" ;;
  train) setup_python; setup_npm; exec tools/train_shipped.sh ;;
  screenshots) setup; setup_chromium; exec .venv/bin/python -m tools.screenshots ;;
  *) die "unknown command '$1' (use: ./build.sh [start|setup|test [unit]|bench|train|screenshots])" ;;
esac
