// Run a Python script inside Pyodide under Node, with exactly what the page
// loads: the runtime, numpy and our own package from web/assets/ (as
// web/build.json lists them: byte-compiled, checked against the lock file).
//   node tests/pyodide_run.mjs SCRIPT [ARGS...]
// The repo is mounted at the same path and the working directory is kept, so
// SCRIPT and ARGS are ordinary paths. A Python error prints its traceback only.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const web = resolve(repo, 'web');
const build = JSON.parse(readFileSync(`${web}/build.json`, 'utf8'));
const runtime = resolve(web, build.runtime);
const { loadPyodide } = await import(`${runtime}/pyodide.mjs`);
const [script, ...args] = process.argv.slice(2);

// packageCacheDir: where Node looks for the lock's wheels (their paths are
// relative to the runtime's folder); without it Node would try to download them.
const pyodide = await loadPyodide({ indexURL: `${runtime}/`, packageCacheDir: `${runtime}/`,
                                    lockFileURL: resolve(web, build.lock),
                                    stdout: (line) => console.log(line), stderr: (line) => console.error(line) });
const loaded = await pyodide.loadPackage(['numpy', 'digits'], { messageCallback: () => {} });
for (const name of ['numpy', 'digits']) {
  if (!loaded.some((p) => p.name === name)) throw new Error(`${name} did not load in Pyodide`);
}
pyodide.FS.mkdirTree(repo);
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: repo }, repo);
pyodide.globals.set('argv', pyodide.toPy([script, ...args]));
pyodide.globals.set('cwd', process.cwd());
try {
  pyodide.runPython(`
import os, runpy, sys
os.chdir(cwd)
sys.path = [p for p in sys.path if p not in ("", cwd)]    # our package is the installed wheel, not the repo's py/
sys.argv = list(argv)
runpy.run_path(sys.argv[0], run_name='__main__')
`);
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
