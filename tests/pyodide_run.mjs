// Run a Python script inside Pyodide under Node, with exactly what the page
// loads: the runtime, numpy and our own package from web/assets/ (as
// web/build.json lists them: byte-compiled, checked against the lock file).
//   node tests/pyodide_run.mjs [--wheels DIR] SCRIPT [ARGS...]
// --wheels: pure-Python wheels to install first (pytest's, for the unit tests).
// The repo is mounted at the same path and the working directory is kept, so
// SCRIPT and ARGS are ordinary paths. A Python error prints its traceback only.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const web = resolve(repo, 'web');
const build = JSON.parse(readFileSync(`${web}/build.json`, 'utf8'));
const runtime = resolve(web, build.runtime);
const { loadPyodide } = await import(`${runtime}/pyodide.mjs`);
let argv = process.argv.slice(2);
let wheels = [];
if (argv[0] === '--wheels') {
  wheels = readdirSync(argv[1]).filter((f) => f.endsWith('.whl')).map((f) => pathToFileURL(resolve(argv[1], f)).href);
  argv = argv.slice(2);
}
const [script, ...args] = argv;

// packageCacheDir: where Node looks for the lock's wheels (their paths are
// relative to the runtime's folder); without it Node would try to download them.
const pyodide = await loadPyodide({ indexURL: `${runtime}/`, packageCacheDir: `${runtime}/`,
                                    lockFileURL: resolve(web, build.lock),
                                    stdout: (line) => console.log(line), stderr: (line) => console.error(line) });
const loaded = await pyodide.loadPackage(['numpy', 'digits'], { messageCallback: () => {} });
for (const name of ['numpy', 'digits']) {
  if (!loaded.some((p) => p.name === name)) throw new Error(`${name} did not load in Pyodide`);
}
if (wheels.length) await pyodide.loadPackage(wheels, { messageCallback: () => {} });
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
  process.exit(code);
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
