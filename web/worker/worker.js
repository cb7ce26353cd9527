// The Web Worker (a module worker): Pyodide, NumPy and our `py` package run
// here, so drawing on the main thread never waits for Python. While starting
// it posts {type: 'stage'|'ready'|'error'}; then each message {id, fn, args,
// network} (from python.js, through recognizer.js) calls
// py.page.app.<fn>(*args), for the names in its ENTRY_POINTS only (the
// contract is py/page/app.py's docstring), and is answered {id, result, ms}
// or {id, error}. Typed arrays arrive in Python as memoryviews, objects as
// dicts; results come back as plain JS values (dicts as objects, bytes as
// Uint8Array).
//
// Only what the first answer needs loads at start: the runtime, numpy, our
// package, the first shipped network and the pen's path network, which joins
// its answers (py/page/path.py). The others load when a call first
// uses one, as the contract says (build.json says where each file is).

import { atPage, fetchAsset, fetchBuild, shippedNames } from '../state/files.js';
import * as python from './python.js';

let pyodide = null;
let app = null;                  // the Python module py.page.app
let entryPoints = [];            // py.page.app.ENTRY_POINTS
let firstAnswer = [];            // py.page.app.FIRST_ANSWER: the entry points the wheel alone serves
let build = null;                // build.json
const loaded = new Set();        // shipped networks Python is known to hold

// python.js's calls made here go to Python directly.
python.connect(async (fn, args) => ({ result: run(fn, args) }));

function stage(name) { postMessage({ type: 'stage', stage: name }); }

async function boot() {
  build = await fetchBuild();
  const [first] = shippedNames(build);
  stage('runtime');
  const { broken, unwatch } = watchFiles();
  try {
    const { loadPyodide } = await import(atPage(`${build.runtime}pyodide.mjs`));
    pyodide = await Promise.race([loadPyodide({ indexURL: atPage(build.runtime), lockFileURL: atPage(build.lock) }),
                                  broken]);
    stage('numpy');
    const problems = [];
    // loadPackage resolves even when it fails: check what it actually loaded.
    const packages = await Promise.race([pyodide.loadPackage(['numpy', 'digits'], {
      messageCallback: () => {}, errorCallback: (m) => problems.push(m),
    }), broken]);
    for (const name of ['numpy', 'digits']) {
      if (!packages.some((p) => p.name === name)) {
        throw new Error(`${name === 'numpy' ? 'NumPy' : 'Our Python package'} could not be loaded` +
                        (problems.length ? ` (${problems.join('; ')})` : ''));
      }
    }
  } catch (e) {
    throw new Error(await whichFile(e));
  } finally {
    unwatch();
  }
  stage('model');
  app = pyodide.pyimport('py.page.app');
  entryPoints = app.ENTRY_POINTS.toJs();
  firstAnswer = app.FIRST_ANSWER.toJs();
  // The pen's path network (py.page.app.PATH) joins the first network's answer from the first drawing on.
  const path = app.PATH;
  const [firstBytes, pathBytes] = await Promise.all([first, path].map((name) => fetchAsset(build.weights[name])));
  await loadShipped(first, firstBytes);
  await loadShipped(path, pathBytes);
  postMessage({ type: 'ready', shipped: shippedNames(build).map((name) => build.models[name]) });
  restOfPackage().catch(() => {});               // a failure is reported to the first call that needs it
}

// What the page's flows import and its first answer does not (build.json's
// `rest`: modules of the standard library, numpy and our package: training,
// samples, looking inside) arrives after it, unpacked into the folder that
// holds site-packages (py/site.py's LIB, on sys.path after the standard
// library's zip); calls other than py.page.app's FIRST_ANSWER wait for it.
let rest = null;
function restOfPackage() {
  rest ??= fetchAsset(build.rest).then((bytes) => {
    const lib = pyodide.runPython('import os, site; os.path.dirname(site.getsitepackages()[0])');
    pyodide.unpackArchive(bytes, 'zip', { extractDir: lib });
    pyodide.runPython('import importlib; importlib.invalidate_caches()');     // new files in known folders
  }).catch((e) => { rest = null; throw e; });
  return rest;
}

// Pyodide fetches the runtime's files itself, and a missing or damaged one
// can make it wait forever or fail with a message that names no file. So,
// until unwatch(), its fetches and its WebAssembly compilation are watched:
// `broken` rejects, naming the file, as soon as one of them fails.
function watchFiles() {
  let fail;
  const broken = new Promise((_, reject) => { fail = reject; });
  broken.catch(() => {});                  // awaited in a race; not an error of its own once start-up is over
  const realFetch = self.fetch.bind(self);
  self.fetch = async (input, init) => {
    const url = String(input?.url ?? input);
    let response;
    try {
      response = await realFetch(input, init);
    } catch (e) {
      fail(new Error(`${url}: could not be fetched (${e.message})`));
      throw e;
    }
    if (!response.ok) fail(new Error(`${new URL(url, location).pathname}: the server answered ${response.status}`));
    return response;
  };
  const compile = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = (source, imports) => compile(source, imports).catch((e) => {
    fail(new Error(`WebAssembly could not be compiled (${e.message})`));
    throw e;
  });
  return { broken, unwatch: () => { self.fetch = realFetch; WebAssembly.instantiateStreaming = compile; } };
}

// After a failed start: the files Pyodide fetched itself (the runtime, the
// lock, the wheels) checked against build.json, so that the message names
// the file that is missing or damaged, and says what to do. A copy damaged
// in the browser's cache is fetched again on the way (fetchAsset): a reload
// then finds it right.
async function whichFile(error) {
  for (const url of Object.keys(build.sha256)) {
    if (url.startsWith(build.runtime) || !url.endsWith('.npz')) {
      try {
        await fetchAsset(url);
      } catch (e) {
        return e.message;                  // it names the file and what to do
      }
    }
  }
  return `Python could not start (${error.message}). ` +
    'Run ./build.sh, which builds the page\'s files again and serves them, then reload.';
}

// Calls py.page.app.<fn>(...args) for an entry point; its result as plain JS values.
function run(fn, args) {
  if (!entryPoints.includes(fn)) throw new Error(`${fn} is not one of py.page.app's entry points`);
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

// The build's own weights refused: the page's copy is damaged, and the fix is to build again.
async function loadShipped(name, bytes) {
  try {
    await python.loadModel(name, bytes, `${name}.npz`);
    loaded.add(name);
  } catch (e) {
    throw new Error(`${plainMessage(e)}. The page's copy of the shipped ${name}.npz is damaged: run ./build.sh, ` +
                    'which builds it again.');
  }
}

// A shipped network that Python does not hold yet is fetched and loaded on
// the first call that uses it (once, however many calls wait for it).
const loading = new Map();
async function ensureLoaded(name) {
  if (!build.weights[name] || loaded.has(name)) return;
  if (await python.hasModel(name)) {
    loaded.add(name);                  // the page loaded it (its personalized copy): leave it be
    return;
  }
  if (!loading.has(name)) {
    loading.set(name, fetchAsset(build.weights[name]).then((bytes) => loadShipped(name, bytes))
      .finally(() => loading.delete(name)));
  }
  await loading.get(name);
}

// What a person reads when a call fails: our BadInput's own one-line message
// (it names the file and the problem), never a module path or a traceback.
function plainMessage(error) {
  const lines = String(error.message || error).trim().split('\n');
  const bad = lines[lines.length - 1].match(/^(?:[\w.]+\.)?BadInput: (.*)$/);
  if (bad) return bad[1];
  console.error(error);          // the whole story, for whoever opens the console
  return error.type ? `Something went wrong inside the recognizer (${error.type}). Reload the page to start it afresh.`
    : lines.join(' ');
}

const booted = boot().catch((e) => { postMessage({ type: 'error', message: plainMessage(e) }); throw e; });

onmessage = async ({ data: { id, fn, args, network } }) => {
  try {
    await booted;
    if (!firstAnswer.includes(fn)) await restOfPackage();
    if (network) await ensureLoaded(network);
    const start = performance.now();
    const result = run(fn, args);
    postMessage({ id, result, ms: performance.now() - start });
  } catch (e) {
    postMessage({ id, error: plainMessage(e), fatal: !alive() });
  }
};

// After a fatal error Pyodide refuses every call: this worker is then of no
// more use, and the page starts a new one.
function alive() {
  try {
    pyodide.runPython('None');
    return true;
  } catch {
    return false;
  }
}
