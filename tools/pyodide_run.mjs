// Run a Python script inside Pyodide under Node, with exactly what the page
// loads: the runtime, numpy and our own package from web/assets/ (as
// web/build.json lists them: byte-compiled, trimmed to what the page imports,
// checked against the lock file).
//   node tools/pyodide_run.mjs [--stage DIR | --wheels DIR] [--wheel-only] SCRIPT [ARGS...]
// --stage: the page's files as py/site.py stages them before laying them out
//          (all in DIR, with pyodide-lock.json): how the build traces imports.
// --wheels: pure-Python wheels to install first (pytest's, for the unit tests).
//          pytest needs more of the standard library and numpy than the page
//          ships: the standard library comes whole from the runtime's npm
//          package; numpy and our package are the page's, numpy completed by
//          the files the page leaves out, from the wheel build.sh fetched
//          (.cache/numpy), compiled without docstrings as the page's are
//          (numpy.ma, which np.median imports, reads other functions' ones,
//          but only when its own are there).
// --wheel-only: the page's files without the rest (build.json's `rest`,
//          which the page unpacks after the first answer).
// The repo is mounted at the same path and the working directory is kept, so
// SCRIPT and ARGS are ordinary paths inside it. A Python error prints its traceback only.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let argv = process.argv.slice(2);
const option = (name) => {
  if (argv[0] !== name) return null;
  const value = argv[1];
  argv = argv.slice(2);
  return value;
};
const stage = option('--stage');
const wheelDir = option('--wheels');
const wheelOnly = argv[0] === '--wheel-only';
if (wheelOnly) argv = argv.slice(1);
const [script, ...args] = argv;

let runtime, lockFileURL, build = null;
if (stage) {
  runtime = resolve(stage);
  lockFileURL = `${runtime}/pyodide-lock.json`;
} else {
  const web = resolve(repo, 'web');
  build = JSON.parse(readFileSync(`${web}/build.json`, 'utf8'));
  runtime = resolve(web, build.runtime);
  lockFileURL = resolve(web, build.lock);
}
const whole = (dir, suffix) => readdirSync(dir).filter((f) => f.endsWith(suffix)).map((f) => resolve(dir, f));
const { loadPyodide } = await import(`${runtime}/pyodide.mjs`);
// packageCacheDir: where Node looks for the lock's wheels (their paths are
// relative to the runtime's folder); without it Node would try to download them.
const pyodide = await loadPyodide({ indexURL: `${runtime}/`, packageCacheDir: `${runtime}/`, lockFileURL,
                                    ...(wheelDir && { stdLibURL: resolve(repo, 'node_modules/pyodide/python_stdlib.zip') }),
                                    stdout: (line) => console.log(line), stderr: (line) => console.error(line) });
const loaded = await pyodide.loadPackage(['numpy', 'digits'], { messageCallback: () => {} });
for (const name of ['numpy', 'digits']) {
  if (!loaded.some((p) => p.name === name)) throw new Error(`${name} did not load in Pyodide`);
}
if (wheelDir) await pyodide.loadPackage(whole(wheelDir, '.whl').map((f) => pathToFileURL(f).href), { messageCallback: () => {} });
// The rest, as the page's worker unpacks it after the first answer.
if (build && !wheelOnly) {
  pyodide.unpackArchive(new Uint8Array(readFileSync(resolve(repo, 'web', build.rest))), 'zip',
                        { extractDir: pyodide.runPython('import os, site; os.path.dirname(site.getsitepackages()[0])') });
}
if (wheelDir) {
  pyodide.globals.set('wheel', new Uint8Array(readFileSync(whole(resolve(repo, '.cache/numpy'), '.whl')[0])));
  pyodide.runPython(`
import io, os, py_compile, site, zipfile
target = site.getsitepackages()[0]
with zipfile.ZipFile(io.BytesIO(wheel.to_bytes())) as z:       # a module the page has as .pyc keeps it
    missing = [n for n in z.namelist() if not any(os.path.exists(f"{target}/{m}") for m in (n, n + "c"))]
    z.extractall(target, missing)
for name in (n for n in missing if n.endswith(".py")):         # without docstrings, as the page's (compile_lean.py)
    py_compile.compile(f"{target}/{name}", f"{target}/{name}c", optimize=2,
                       invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    os.remove(f"{target}/{name}")
`);
}
pyodide.FS.mkdirTree(repo);
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: repo }, repo);
pyodide.globals.set('argv', pyodide.toPy([script, ...args]));
pyodide.globals.set('cwd', process.cwd());
try {
  const code = pyodide.runPython(`
import os, runpy, sys
os.chdir(cwd)
sys.path = [p for p in sys.path if p not in ("", cwd)]    # our package is the installed wheel, not the repo's py/
sys.argv = list(argv)
try:
    runpy.run_path(sys.argv[0], run_name='__main__')
    code = 0
except SystemExit as e:
    code = e.code if isinstance(e.code, int) else int(e.code is not None)
code
`);
  exitFlushed(code);
} catch (e) {
  console.error(e.message);
  exitFlushed(1);
}

// Exit once what was printed has reached the pipe: process.exit() right after
// a long line cuts it at the pipe's 64 kB when the reader is slow.
function exitFlushed(code) {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
