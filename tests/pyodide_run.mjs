// Run a Python script inside Pyodide under Node, with the page's runtime and
// numpy wheel (web/pyodide/) and the page's copy of our package (web/py.zip):
//   node tests/pyodide_run.mjs SCRIPT [ARGS...]
// The repo is mounted at the same path and the working directory is kept, so
// SCRIPT and ARGS are ordinary paths. A Python error prints its traceback only.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPyodide } from '../node_modules/pyodide/pyodide.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const web = resolve(repo, 'web');
const [script, ...args] = process.argv.slice(2);

// packageCacheDir: without it Node would try to download the numpy wheel.
const pyodide = await loadPyodide({ indexURL: `${web}/pyodide/`, packageCacheDir: `${web}/pyodide/`,
                                    stdout: (line) => console.log(line), stderr: (line) => console.error(line) });
const loaded = await pyodide.loadPackage('numpy', { messageCallback: () => {} });
if (!loaded.some((p) => p.name === 'numpy')) throw new Error('numpy did not load in Pyodide');
pyodide.unpackArchive(new Uint8Array(readFileSync(`${web}/py.zip`)), 'zip', { extractDir: '/app' });
pyodide.FS.mkdirTree(repo);
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: repo }, repo);
pyodide.globals.set('argv', pyodide.toPy([script, ...args]));
pyodide.globals.set('cwd', process.cwd());
try {
  pyodide.runPython(`
import os, runpy, sys
sys.path.insert(0, '/app')
os.chdir(cwd)
sys.argv = list(argv)
runpy.run_path(sys.argv[0], run_name='__main__')
`);
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
