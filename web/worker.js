// The Web Worker (a module worker): Pyodide, NumPy and our `py` package run
// here, so drawing on the main thread never waits for Python. While starting
// it posts {type: 'stage'|'ready'|'error'}; then each message {id, fn, args}
// calls py.app.<fn>(*args), for the names in py.app.ENTRY_POINTS only (the
// contract is py/app.py's docstring), and is answered {id, result, ms} or
// {id, error}. Typed arrays arrive in Python as memoryviews, objects as
// dicts; results come back as plain JS values (dicts as objects, bytes as
// Uint8Array).

import { fetchBytes } from './files.js';
import { loadPyodide } from './pyodide/pyodide.mjs';

const MODELS = ['cnn', 'mlp'];   // weights/<name>.npz, the first is the default

let pyodide = null;
let app = null;                  // the Python module py.app
let entryPoints = [];            // py.app.ENTRY_POINTS

function stage(name) { postMessage({ type: 'stage', stage: name }); }

async function boot() {
  stage('runtime');
  // Our package and the weights download while the runtime starts.
  const zip = fetchBytes('py.zip');
  const weights = MODELS.map((name) => fetchBytes(`weights/${name}.npz`));
  zip.catch(() => {}); weights.forEach((w) => w.catch(() => {}));   // reported when awaited

  pyodide = await loadPyodide({ indexURL: './pyodide/' });

  stage('numpy');
  const problems = [];
  // loadPackage resolves even when it fails: check what it actually loaded.
  const loaded = await pyodide.loadPackage('numpy', {
    messageCallback: () => {}, errorCallback: (m) => problems.push(m),
  });
  if (!loaded.some((p) => p.name === 'numpy')) {
    throw new Error('NumPy could not be loaded' + (problems.length ? ` (${problems.join('; ')})` : '') +
                    '. The numpy wheel in pyodide/ is missing or corrupt: run ./build.sh to fetch and verify it.');
  }

  stage('model');
  pyodide.unpackArchive(await zip, 'zip', { extractDir: '/app' });
  pyodide.runPython("import sys; sys.path.insert(0, '/app')");
  app = pyodide.pyimport('py.app');
  entryPoints = app.ENTRY_POINTS.toJs();
  const models = [];
  for (const [i, name] of MODELS.entries()) models.push(call('load_model', [name, await weights[i]]));
  postMessage({ type: 'ready', models });
}

function call(fn, args) {
  if (!entryPoints.includes(fn)) throw new Error(`${fn} is not one of py.app's entry points`);
  const pyArgs = args.map((a) => (a !== null && typeof a === 'object' ? pyodide.toPy(a) : a));
  try {
    const value = app[fn](...pyArgs);
    if (!(value instanceof pyodide.ffi.PyProxy)) return value;
    const result = value.toJs({ dict_converter: Object.fromEntries });
    value.destroy();
    return result;
  } finally {
    for (const a of pyArgs) if (a instanceof pyodide.ffi.PyProxy) a.destroy();
  }
}

// What a person reads when a call fails: our BadInput's own one-line message
// (it names the file and the problem), never a module path or a traceback.
function describe(error) {
  const lines = String(error.message || error).trim().split('\n');
  const bad = lines[lines.length - 1].match(/^(?:[\w.]+\.)?BadInput: (.*)$/);
  if (bad) return bad[1];
  console.error(error);          // the whole story, for whoever opens the console
  return error.type ? `Something went wrong inside the recognizer (${error.type}). Reload the page to start it afresh.`
    : lines.join(' ');
}

const booted = boot().catch((e) => { postMessage({ type: 'error', message: describe(e) }); throw e; });

onmessage = async ({ data: { id, fn, args } }) => {
  await booted;
  const start = performance.now();
  try {
    const result = call(fn, args);
    postMessage({ id, result, ms: performance.now() - start });
  } catch (e) {
    postMessage({ id, error: describe(e) });
  }
};
