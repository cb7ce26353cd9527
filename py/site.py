"""The page's built files, so that a visit after the first costs nothing:

    python -m py.site --numpy WHEEL --package WHEEL [--pyodide-build PATH_TO_pyodide]

Every large file (the Pyodide runtime, numpy, our own package as a wheel, the
lock file that lists them, the shipped weights, the replay set) goes to
web/assets/<hash>/, a folder named by the hash of its content, so a browser
may keep it for a year without asking again (the server sends `immutable`)
and a new build is picked up at once: its files have new names.
web/build.json, which the page revalidates on every visit, says where each
one is. Compressible assets get .gz and .br copies, which the server sends to
browsers that accept them: the zips (the standard library, the wheels) and
the shipped weights are stored uncompressed for that, and the networks'
values are float16 (shipped_weights).

Only what runs ships: the page's flows (tools/page_flows.py: every entry
point, bad inputs too) run inside Pyodide under Node on the staged files,
and the standard library and numpy keep only the modules they imported; of
those, what the first answer imports stays in place (the standard library's
zip, the wheels), and the rest goes to REST with the rest of our package,
which the page unpacks after its first answer.

With pyodide-build (PyPI; it needs a Python 3.12 host, Pyodide 0.27's own
Python) the Python files are byte-compiled for Pyodide, which halves its
start-up (the standard library and numpy lean: without docstrings nor column
positions, tools/compile_lean.py), and our wheel is added to the lock file
with `pyodide lockfile add-wheels`. Without it, the code ships uncompiled and
the lock entry is written here; the build says so.
"""

import argparse
import base64
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import numpy as np

from .cli import checkout
from .io.errors import BadInput, run
from .page import trace
from .page.app import PATH

ASSETS = "assets"                 # web/assets/<hash>/...: served as immutable
PYODIDE = checkout.NODE_MODULES / "pyodide"
RUNTIME = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")   # resolved against indexURL
PYODIDE_VERSION = "0.27.7"
SHIPPED_NETWORKS = ("cnn", "mlp") # the shipped networks, weights/<name>.npz; the first answers first
# ... and the pen's path network (weights/<PATH>.npz), which joins the image networks' answers
# (py/page/path.py): it loads with the first one.
SHIPPED_PACKAGES = ("nn", "page", "io")     # what the page runs of our package: py/<name>/
COMPRESSIBLE = (".js", ".mjs", ".wasm", ".json", ".npz", ".zip", ".whl")     # copies are kept where they pay
# The page's own files (revalidated on each visit, precached for offline use):
# everything in web/ and its folders by role, but the service worker, which
# browsers fetch themselves, and the built assets.
SHELL_TYPES = (".html", ".js", ".css", ".webmanifest", ".svg", ".png")
SHELL_FOLDERS = ("view", "state", "worker")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _urlsafe_sha256(data: bytes) -> str:
    """A wheel RECORD's hash: sha256, urlsafe base64 without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


# Bits of mantissa the page's copies keep of each value (float16 has 10): each
# value moves by at most 0.8%, and brotli packs them a quarter tighter.
SHIPPED_BITS = 6


def shipped_weights(path: Path) -> bytes:
    """The page's copy of a shipped weights file: its values as float16 with
    SHIPPED_BITS of mantissa, less than half the bytes over the wire (the
    recognition figures in docs/networks.md hold for both: ./build.sh bench
    half), stored uncompressed for the server's brotli."""
    from .io import weights
    model, meta = weights.load(path)
    for _, values, _ in model.parameters():
        values[...] = rounded(values, SHIPPED_BITS)
    return weights.to_bytes(model, meta, dtype=np.float16, compress=False)


def rounded(values: np.ndarray, bits: int) -> np.ndarray:
    """`values` as float16 keeping `bits` bits of mantissa, to the nearest
    (ties away from zero): the dropped bits are zeros, which compress."""
    drop = 10 - bits
    pattern = values.astype(np.float16).view(np.uint16).astype(np.uint32)
    return (((pattern + (1 << drop >> 1)) >> drop) << drop).astype(np.uint16).view(np.float16)


def python_files(stage: Path, numpy_wheel: Path, package_wheel: Path, pyodide_build: str | None,
                 flows: list[Path]) -> str:
    """Fills `stage` with the runtime, numpy, our wheel and a lock file listing
    both; byte-compiled with pyodide-build when there is one; then the
    standard library and numpy trimmed to what the page's flows import
    (page_imports, run on `flows`: the CNN, the path network, the MLP, the
    replay set; the first two are the first answer). What the first answer
    imports stays where Pyodide loads it at start-up; the rest of what the
    flows import, and the rest of our package, goes to REST. Every zip is
    stored uncompressed: the server's brotli packs a whole zip tighter than
    deflate packs each member. Returns what was done, for the build's log."""
    for name in (*RUNTIME, "pyodide-lock.json"):
        shutil.copy(PYODIDE / name, stage / name)
    lock_path = stage / "pyodide-lock.json"
    if digest(numpy_wheel.read_bytes()) != json.loads(lock_path.read_text())["packages"]["numpy"]["sha256"]:
        raise BadInput(f"{numpy_wheel}: sha256 does not match Pyodide's lock file; refusing to use it")
    shutil.copy(numpy_wheel, stage / numpy_wheel.name)
    ours = stage / package_wheel.name
    shutil.copy(package_wheel, ours)
    # The commands (py/*.py) and what only training draws (py/drawings/) stay out: the page never imports them.
    split(ours, lambda name: name.startswith(("py/__init__.py", *(f"py/{p}/" for p in SHIPPED_PACKAGES))))
    if pyodide_build:
        subprocess.run([pyodide_build, "lockfile", "add-wheels", "--input", str(lock_path), "--output",
                        str(stage / "new-lock.json"), "--base-path", str(stage), str(ours)],
                       check=True, capture_output=True)
        (stage / "new-lock.json").replace(lock_path)
        # SOURCE_DATE_EPOCH makes py_compile write hash-based .pyc files: no build time inside.
        subprocess.run([pyodide_build, "py-compile", "--silent", str(stage)], check=True, capture_output=True,
                       env={**os.environ, "SOURCE_DATE_EPOCH": "315532800"})
        how = ("byte-compiled for Pyodide by pyodide-build, the standard library and numpy without docstrings "
               "nor column positions")
    else:
        _add_wheel(lock_path, ours)
        how = ("NOT byte-compiled: no pyodide-build (it needs Python 3.12, which this machine lacks), so "
               "Pyodide compiles our Python at every start-up (about twice as slow)")
    lock = json.loads(lock_path.read_text())
    # add-wheels drops the version, and Pyodide 0.27 then refuses the lock. Keep
    # only what the page loads: a lock listing hundreds of absent wheels misleads.
    lock["info"]["version"] = PYODIDE_VERSION
    lock["packages"] = {k: v for k, v in lock["packages"].items() if k in ("numpy", "digits")}
    numpy, ours = (stage / lock["packages"][name]["file_name"] for name in ("numpy", "digits"))   # compiled: new names
    if pyodide_build:
        add_sources(ours, package_wheel)
        for sources, compiled in ((PYODIDE / "python_stdlib.zip", stage / "python_stdlib.zip"), (numpy_wheel, numpy)):
            subprocess.run([str(Path(pyodide_build).with_name("python")), str(COMPILE_LEAN), str(sources),
                            str(compiled)], check=True, capture_output=True)
    _write_lock(lock_path, lock, stage)
    imported = page_imports(stage, flows)
    first = page_imports(stage, flows[:2], first_answer=True)
    # A module unpacked after the first answer lands in a folder (LIB), after the standard
    # library's zip on sys.path: it cannot join a package that the zip holds, so the
    # standard library's packages that the first answer imports stay whole in the zip.
    first_stdlib = {f.removeprefix(f"{STDLIB}/") for f in first if f.startswith(f"{STDLIB}/")}
    whole = {name.split("/")[0] for name in first_stdlib if "/" in name}
    stdlib = split(stage / "python_stdlib.zip", lambda name: name in first_stdlib or
                   (name.split("/")[0] in whole and f"{STDLIB}/{name}" in imported),
                   rest=lambda name: f"{STDLIB}/{name}" in imported)
    # A wheel's shared libraries stay in it: Pyodide compiles those ahead, when it installs the wheel.
    numpy_rest = split(numpy, lambda name: f"{SITE_PACKAGES}/{name}" in first or
                       (name.endswith(".so") and f"{SITE_PACKAGES}/{name}" in imported),
                       rest=lambda name: f"{SITE_PACKAGES}/{name}" in imported)
    ours_rest = split(ours, lambda name: f"{SITE_PACKAGES}/{name}" in first, rest=lambda name: True)
    _write_zip(stage / REST, [*stdlib, *((_moved(info, "site-packages/"), data) for info, data in numpy_rest + ours_rest)])
    _write_lock(lock_path, lock, stage)
    counts = {name: (_files(path), len(rest)) for name, path, rest in
              (("stdlib", stage / "python_stdlib.zip", stdlib), ("numpy", numpy, numpy_rest), ("ours", ours, ours_rest))}
    return (f"{how}; of what the page's flows import, the first answer's stays in place and the rest goes to {REST}: "
            + ", ".join(f"{name} {first_n} + {rest_n} files" for name, (first_n, rest_n) in counts.items()))


def _files(path: Path) -> int:
    with zipfile.ZipFile(path) as z:
        return sum(not info.is_dir() for info in z.infolist())


LIB = "/lib/python3.12"                       # Pyodide's folder of Python files, on sys.path
STDLIB, SITE_PACKAGES = "/lib/python312.zip", f"{LIB}/site-packages"     # where Pyodide puts them
# What the page's flows import but its first answer does not (of our package: training,
# samples, looking inside), and the source "See inside" shows: the worker unpacks this
# zip into LIB after the first answer.
REST = "rest-of-package.zip"
FLOWS = checkout.REPO / "tools" / "page_flows.py"
COMPILE_LEAN = checkout.REPO / "tools" / "compile_lean.py"


def page_imports(stage: Path, flows: list[Path], *, first_answer: bool = False) -> set[str]:
    """The file of every module the page's flows (tools/page_flows.py, every
    entry point, bad inputs too; or, with `first_answer`, those of the first
    answer only) import inside Pyodide, under Node, from the files in
    `stage`: paths as Pyodide sees them (STDLIB/json/decoder.pyc)."""
    run = subprocess.run(["node", str(checkout.REPO / "tools" / "pyodide_run.mjs"), "--stage", str(stage), str(FLOWS),
                          *(["--first-answer"] if first_answer else []), *(str(f.resolve()) for f in flows)],
                         cwd=checkout.REPO, capture_output=True, text=True)
    if run.returncode:
        raise BadInput(f"{FLOWS.relative_to(checkout.REPO)}: the page's flows failed inside Pyodide, so what they "
                       f"import is unknown: {run.stderr.strip().splitlines()[-1] if run.stderr.strip() else run.returncode}")
    return {f for f in json.loads(run.stdout.splitlines()[-1]).values() if f}


def split(path: Path, keep, *, rest=lambda name: False) -> list:
    """Rewrites the zip at `path` with the members whose name `keep(name)`
    accepts, a wheel's metadata and the folders holding them, stored uncompressed and dated
    1980-01-01: py-compile stamps the build's time, which would give the same
    content a new hash (and a new address, and a download) at every build. A
    wheel's RECORD is rewritten to list what stays. Returns the members left
    out that `rest(name)` accepts, as (ZipInfo, bytes); the others are dropped."""
    with zipfile.ZipFile(path) as old:
        entries = [(info, old.read(info)) for info in old.infolist() if not info.is_dir()]
    wanted = [keep(info.filename) or ".dist-info/" in info.filename for info, _ in entries]
    kept = [member for member, keeping in zip(entries, wanted) if keeping]
    record = next((info for info, _ in kept if info.filename.endswith(".dist-info/RECORD")), None)
    if record:
        rows = [f"{i.filename},sha256={_urlsafe_sha256(d)},{len(d)}" for i, d in kept if i is not record]
        kept = [(i, "\n".join([*rows, f"{record.filename},,", ""]).encode() if i is record else d) for i, d in kept]
    _write_zip(path, kept)
    return [member for member, keeping in zip(entries, wanted) if not keeping and rest(member[0].filename)]


def add_sources(wheel: Path, package_wheel: Path) -> None:
    """Byte code has no source, and "See inside" shows some: the files
    py.page.trace.SOURCES names, from our wheel as built, join the compiled
    `wheel` in trace.SOURCE_FOLDER (py/nn/layers.py as py/source/nn/layers.py),
    where no import finds them. Nothing imports them, so they go to REST."""
    with zipfile.ZipFile(package_wheel) as built:
        sources = {name: built.read(name) for name in trace.SOURCES}
    with zipfile.ZipFile(wheel, "a", zipfile.ZIP_STORED) as z:
        for name, data in sources.items():
            info = zipfile.ZipInfo(f"py/{trace.SOURCE_FOLDER}/{name.removeprefix('py/')}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            z.writestr(info, data)


def _moved(info: zipfile.ZipInfo, folder: str) -> zipfile.ZipInfo:
    moved = zipfile.ZipInfo(folder + info.filename)
    moved.external_attr = info.external_attr
    return moved


def _write_zip(path: Path, members: list) -> None:
    """`members` and the folders that hold them, stored, dated 1980-01-01."""
    folders = sorted({name[:i + 1] for name in (info.filename for info, _ in members)
                      for i, c in enumerate(name) if c == "/"})
    partial = path.with_name(path.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as new:
        for folder in folders:
            info = zipfile.ZipInfo(folder, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o40755 << 16 | 0x10          # drwxr-xr-x, and MS-DOS's folder flag
            new.writestr(info, b"")
        for info, data in members:
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.external_attr = info.external_attr
            new.writestr(fixed, data)
    partial.replace(path)


def _write_lock(lock_path: Path, lock: dict, stage: Path) -> None:
    """The lock, with the sha256 of each of its packages as `stage` holds them now."""
    for entry in lock["packages"].values():
        entry["sha256"] = digest((stage / entry["file_name"]).read_bytes())
    lock_path.write_text(json.dumps(lock, indent=1))


def _add_wheel(lock_path: Path, wheel: Path) -> None:
    """The lock entry `pyodide lockfile add-wheels` writes for our pure-Python wheel."""
    lock = json.loads(lock_path.read_text())
    name, version = wheel.name.split("-")[:2]
    lock["packages"][name] = {"name": name, "version": version, "file_name": wheel.name, "install_dir": "site",
                              "sha256": digest(wheel.read_bytes()), "package_type": "package", "imports": ["py"],
                              "depends": ["numpy"], "unvendored_tests": False}
    lock_path.write_text(json.dumps(lock))


class Assets:
    """Files laid out under web/assets/<hash>/, each folder named by the hash
    of what it holds; `url()` gives each file's address relative to web/."""

    def __init__(self, web: Path) -> None:
        self.web, self.folders = web, set()
        self.sha256: dict[str, str] = {}       # URL -> sha256 of each file: the page checks each before using or keeping it

    def add(self, files: dict[str, bytes]) -> str:
        """One folder holding `files` (name -> bytes); returns its URL, ending in /."""
        h = hashlib.sha256()
        for name in sorted(files):
            h.update(name.encode() + b"\0" + digest(files[name]).encode())
        folder = self.web / ASSETS / h.hexdigest()[:16]
        if not folder.is_dir():
            partial = folder.with_name(folder.name + ".part")
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir(parents=True)
            for name, data in files.items():
                (partial / name).write_bytes(data)
                if name.endswith(COMPRESSIBLE):
                    _compressed_copies(partial / name, data)
            partial.rename(folder)
        self.folders.add(folder.name)
        for name, data in files.items():
            self.sha256[f"{ASSETS}/{folder.name}/{name}"] = digest(data)
        return f"{ASSETS}/{folder.name}/"

    def prune(self) -> None:
        """Removes the folders of earlier builds."""
        for folder in (self.web / ASSETS).iterdir():
            if folder.name not in self.folders:
                shutil.rmtree(folder)


def _compressed_copies(path: Path, data: bytes) -> None:
    import brotli
    for suffix, packed in ((".gz", gzip.compress(data, 9, mtime=0)), (".br", brotli.compress(data, quality=11))):
        if len(packed) < 0.9 * len(data):
            path.with_name(path.name + suffix).write_bytes(packed)


def build(numpy_wheel: Path, package_wheel: Path, replay: Path, pyodide_build: str | None, web: Path = checkout.WEB) -> dict:
    """Lays out the assets and writes web/build.json; returns the manifest."""
    from .page import app
    assets = Assets(web)
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp)
        how = python_files(stage, numpy_wheel, package_wheel, pyodide_build,
                           [checkout.WEIGHTS / f"{name}.npz" for name in (SHIPPED_NETWORKS[0], PATH, *SHIPPED_NETWORKS[1:])]
                           + [replay])
        lock = json.loads((stage / "pyodide-lock.json").read_text())
        runtime = assets.add({name: (stage / name).read_bytes() for name in RUNTIME})
        packages = []
        for entry in lock["packages"].values():
            packages.append(assets.add({entry["file_name"]: (stage / entry["file_name"]).read_bytes()})
                            + entry["file_name"])
            entry["file_name"] = "../../" + packages[-1]        # relative to the runtime's folder (indexURL)
        lock_url = assets.add({"pyodide-lock.json": json.dumps(lock).encode()}) + "pyodide-lock.json"
        rest_url = assets.add({REST: (stage / REST).read_bytes()}) + REST
    weights, models = {}, {}
    for name in (*SHIPPED_NETWORKS, PATH):
        data = shipped_weights(checkout.WEIGHTS / f"{name}.npz")
        weights[name] = assets.add({f"{name}.npz": data}) + f"{name}.npz"
        models[name] = app.load_model(name, data)          # what the page lists before loading it
    replay_url = assets.add({"replay.npz": replay.read_bytes()}) + "replay.npz"
    shell = ["./", *sorted(p.relative_to(web).as_posix()
                           for p in [*web.iterdir(), *(f for d in SHELL_FOLDERS for f in (web / d).iterdir())]
                           if p.suffix in SHELL_TYPES and p.name != "sw.js")]
    manifest = {"runtime": runtime, "lock": lock_url, "packages": packages, "shipped": list(SHIPPED_NETWORKS),
                "weights": weights, "models": models,
                "rest": rest_url, "replay": replay_url, "python": how, "sha256": assets.sha256,
                # What the first answer needs, in the order it is needed: the page fetches each
                # group once the one before it has arrived (web/prefetch.js).
                "first_answer": [[*(runtime + n for n in RUNTIME), lock_url], packages,
                                 [weights[SHIPPED_NETWORKS[0]], weights[PATH]]],
                "precache": [*shell, *(runtime + n for n in RUNTIME), lock_url, *packages, rest_url, *weights.values(),
                             replay_url]}
    # The version changes with any file the page uses, so a new build means a new service worker.
    contents = {name: digest((web / name).read_bytes()) for name in [*shell[1:], "sw.js"]}
    manifest["version"] = digest(json.dumps([manifest, contents], sort_keys=True).encode())[:16]
    partial = web / "build.json.part"
    partial.write_text(json.dumps(manifest, indent=1))
    partial.replace(web / "build.json")
    assets.prune()
    return manifest


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m py.site", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--numpy", type=Path, required=True, help="Pyodide's numpy wheel (checked against its lock)")
    ap.add_argument("--package", type=Path, required=True, help="our own wheel (pip wheel --no-deps .)")
    ap.add_argument("--replay", type=Path, required=True, help="the replay set (python -m py.replay)")
    ap.add_argument("--pyodide-build", help="the `pyodide` command of pyodide-build, if there is one")
    args = ap.parse_args()
    manifest = build(args.numpy, args.package, args.replay, args.pyodide_build)
    print(f"web/build.json: build {manifest['version']}; our Python is {manifest['python']}")


if __name__ == "__main__":
    run(main)
