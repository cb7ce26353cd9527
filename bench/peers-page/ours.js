// Our NumPy code in Pyodide, as the page runs it: the runtime, numpy, our
// wheel and the rest of our package the page loads (setup.runtime, setup.lock
// and setup.rest, from web/build.json), or
// with setup.zip an older version of our py/ folder instead (to compare); the
// weights from the same .npz files through the package's own loader.
importScripts('common.js');

let py = null;      // the Python functions below

const PYTHON = `
import numpy as np
try:
    from py.io import weights
    from py.nn.model import cross_entropy
    from py.nn.optim import Adam
except ImportError:             # an older version of py/ (setup.zip), from before its subpackages
    from py import weights
    from py.model import cross_entropy
    from py.optim import Adam

def setup(npz, image, batch, labels, lr):
    global models, optimizers, x1, xb, yb
    models = {kind: weights.from_bytes(bytes(data), kind)[0] for kind, data in npz.items()}
    optimizers = {kind: Adam(lr) for kind in models}
    x1 = np.asarray(image, np.float32).reshape(1, 784)
    xb = np.asarray(batch, np.float32).reshape(-1, 784)
    yb = np.asarray(labels, np.int64)

def infer(kind):
    return models[kind].forward(x1)[0].tolist()

def step(kind, train=True):
    model = models[kind]
    loss, dlogits = cross_entropy(model.forward(xb, train=train), yb)
    model.backward(dlogits)
    optimizers[kind].step(model)
    return loss

def check_step(kind):
    step(kind, train=False)
    return models[kind].forward(xb).ravel().tolist()
`;

serve({
  async load(setup) {
    const { loadPyodide } = await import(`${setup.runtime}pyodide.mjs`);
    const pyodide = await loadPyodide({ indexURL: setup.runtime, lockFileURL: setup.lock });
    const wanted = setup.zip ? ['numpy'] : ['numpy', 'digits'];
    const loaded = await pyodide.loadPackage(wanted, { messageCallback: () => {} });
    for (const name of wanted) {
      if (!loaded.some((p) => p.name === name)) throw new Error(`${name} did not load`);
    }
    if (setup.zip) {
      pyodide.unpackArchive(await fetchBytes(setup.zip), 'zip', { extractDir: '/ours' });
      pyodide.runPython("import sys; sys.path.insert(0, '/ours')");
    } else {                    // training's modules, as web/worker/worker.js unpacks them after the first answer
      pyodide.unpackArchive(await fetchBytes(setup.rest), 'zip',
                            { extractDir: pyodide.runPython('import os, site; os.path.dirname(site.getsitepackages()[0])') });
      pyodide.runPython('import importlib; importlib.invalidate_caches()');
    }
    const scope = pyodide.toPy({});
    pyodide.runPython(PYTHON, { globals: scope });
    py = Object.fromEntries(['setup', 'infer', 'step', 'check_step'].map((f) => [f, scope.get(f)]));
    const npz = {};
    for (const kind of KINDS) npz[kind] = await fetchBytes(`${setup.base}weights/${kind}.npz`);
    // Typed arrays become memoryviews in Python, objects dicts.
    const [arrays, image, batch, labels] = [npz, setup.image, setup.batch, setup.labels].map((a) => pyodide.toPy(a));
    py.setup(arrays, image, batch, labels, setup.lr);
    const numpy = pyodide.runPython("import numpy; numpy.__version__");
    return { measures: MEASURES, cannot: {}, version: `Pyodide ${pyodide.version}, NumPy ${numpy}` };
  },
  infer: (kind) => toJs(py.infer(kind)),
  checkStep: (kind) => toJs(py.check_step(kind)),
  run(measure) {
    const [kind, what] = split(measure);
    return what === 'infer' ? toJs(py.infer(kind)) : py.step(kind);
  },
});

function toJs(list) {
  const values = list.toJs();
  list.destroy();
  return values;
}
