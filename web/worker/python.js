// The page's side of its contract with Python: one function per entry point
// of py/page/app.py (whose docstring lists each with its arguments and
// results), so that no other module names an entry point.
// tests/test_contract.py checks that these names, py.page.app.ENTRY_POINTS
// and that docstring agree.
//
// Each call goes through the transport given to connect(): on the page, the
// worker (recognizer.js); in the worker, Python itself (worker.js). Typed
// arrays among the arguments are handed over, not copied: they become
// unusable to the caller.

let transport = null;

// transport(entryPoint, args, network) -> a promise of {result, ms}: the
// plain result and the milliseconds Python took. `network` names the
// network the call uses, if any: the worker loads a shipped one on its first
// use (the contract says how).
export function connect(send) {
  transport = send;
}

async function call(entryPoint, args, network = null) {
  return (await transport(entryPoint, args, network)).result;
}

// Like call(), with `ms` (Python's time) added to the result.
async function timed(entryPoint, args, network) {
  const { result, ms } = await transport(entryPoint, args, network);
  return { ...result, ms };
}

// Loads (or replaces) network `name` from a weights file's bytes; resolves
// with its description (name, kind, layers, parameters, accuracy). A bad
// file is refused, naming `filename`, and the network in place stays.
export const loadModel = (name, npzBytes, filename) => call('load_model', [name, npzBytes, filename]);

// Whether Python holds network `name`.
export const hasModel = (name) => call('has_model', [name]);

// Forgets network `name`.
export const removeModel = (name) => call('remove_model', [name]);

// One digit: the strokes (points, ends) read by network `name`; size is the
// canvas's width in the points' units (1).
export const predict = (name, points, ends, size) => timed('predict', [name, points, ends, size], name);

// Several digits side by side: each read as predict() reads one.
export const predictNumber = (name, points, ends, size) => timed('predict_number', [name, points, ends, size], name);

// Pictures of what network `name` does with the drawing.
export const inside = (name, points, ends, size) => call('inside', [name, points, ends, size], name);

// Every layer's output for the drawing by network `name`, the input first
// (values as float32 bytes), and an MLP's first-layer weights as pictures.
export const trace = (name, points, ends, size) => call('trace', [name, points, ends, size], name);

// One unit of layer `layer` (its index in the network) opened: its inputs,
// weights, their products summed, the bias, the ReLU and the pooling after it.
export const openUnit = (name, points, ends, size, layer, index) => call('open_unit', [name, points, ends, size, layer, index], name);

// What one gradient step on the drawing as `label` would change (the network stays as it is).
export const learnStep = (name, points, ends, size, label) => call('learn_step', [name, points, ends, size, label], name);

// The lines of our Python that compute each layer, from the package's own source.
export const sourceLines = () => call('source_lines', []);

// A CSV file of samples, checked: {images, labels} as bytes.
export const readSamples = (csvBytes, filename) => call('read_samples', [csvBytes, filename]);

// The replay set (MNIST digits to learn alongside and to check against).
export const loadReplay = (npzBytes) => call('load_replay', [npzBytes]);

// Begins fine-tuning a copy of network `name` on a person's samples.
export const startFinetune = (name, images, labels) => call('start_finetune', [name, images, labels], name);

// Begins training a new network `name` from scratch.
export const startScratch = (name, config) => call('start_scratch', [name, config]);

// Runs up to `steps` more steps of the training under way; its progress.
export const trainSlice = (steps) => call('train_slice', [steps]);

// Stops the training under way; what a from-scratch run made of it, if anything.
export const stopTraining = () => call('stop_training', []);

// Network `name` as the bytes of a weights file.
export const exportWeights = (name) => call('export_weights', [name], name);
