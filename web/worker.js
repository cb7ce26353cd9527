// The Web Worker: Pyodide, NumPy and our `py` package run here, so drawing on
// the main thread never waits for Python. Messages in: {id, type: 'predict' or
// 'number', model, points, ends, size}. Messages out: {type: 'stage'|'ready'|'error'}
// while starting, then {id, result} for each request.

importScripts('./pyodide/pyodide.js');

const MODELS = ['cnn', 'mlp'];   // weights/<name>.npz, the first is the default

let pyodide = null;
let app = null;                  // the Python module py.app

async function fetchBytes(url) {
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new Error(`${url}: could not be fetched (${e.message}).`);
  }
  if (!response.ok) {
    throw new Error(`${url}: the server answered ${response.status} ${response.statusText}. ` +
                    'Run ./build.sh, which builds the page\'s files and serves them.');
  }
  return new Uint8Array(await response.arrayBuffer());
}

function stage(name) { postMessage({ type: 'stage', stage: name, at: performance.now() }); }

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
  const models = [];
  for (const [i, name] of MODELS.entries()) {
    models.push(toJs(app.load_model(name, await weights[i])));
  }
  postMessage({ type: 'ready', models, at: performance.now() });
}

function toJs(proxy) {
  const value = proxy.toJs({ dict_converter: Object.fromEntries });
  proxy.destroy();
  return value;
}

function describe(error) {
  // Python errors carry a traceback; its last line is the message a person needs.
  const lines = String(error.message || error).trim().split('\n');
  return error.type ? lines[lines.length - 1] : lines.join(' ');
}

const booted = boot().catch((e) => { postMessage({ type: 'error', message: describe(e) }); throw e; });

onmessage = async ({ data }) => {
  await booted;
  // toPy turns a typed array into a memoryview, which NumPy reads directly.
  const points = pyodide.toPy(data.points);
  const ends = pyodide.toPy(data.ends);
  try {
    const start = performance.now();
    const predict = data.type === 'number' ? app.predict_number : app.predict;
    const result = toJs(predict(data.model, points, ends, data.size));
    result.ms = performance.now() - start;
    postMessage({ id: data.id, result });
  } catch (e) {
    postMessage({ id: data.id, error: describe(e) });
  } finally {
    points.destroy();
    ends.destroy();
  }
};
