// What every engine's worker shares (a classic worker: importScripts('common.js')).
// The page sends {id, cmd, args}; the worker answers {id, result} or {id, error}.
// Each worker defines an engine object with:
//   load(setup)            -> what it can do: {measures: [...], cannot: {measure: why}}
//   infer(kind)            -> the logits (Array of 10) of setup.image
//   checkStep(kind)        -> one Adam step on the batch without dropout, then
//                             the batch's logits (Array of 32·10)
//   run(measure)           -> one call of `measure` ("mlp-infer", "cnn-step", ...)
// setup: {image: Float32Array(784), batch: Float32Array(32·784), labels: Int32Array(32),
//         lr: Adam's learning rate, base: the folder of the benchmark's files,
//         runtime, lock: the page's Pyodide and lock file; zip: an older py/ to run instead of ours, or null}.

function serve(engine) {
  onmessage = async ({ data: { id, cmd, args } }) => {
    try {
      const result = cmd === 'time' ? await time(engine, ...args) : await engine[cmd](...args);
      postMessage({ id, result });
    } catch (e) {
      postMessage({ id, error: `${e && e.message ? e.message : e}` });
    }
  };
}

// Milliseconds per call of `measure`, over `reps` calls in a row.
async function time(engine, measure, reps) {
  const start = performance.now();
  for (let i = 0; i < reps; i++) await engine.run(measure);
  return (performance.now() - start) / reps;
}

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

const KINDS = ['mlp', 'cnn'];
const MEASURES = ['mlp-infer', 'cnn-infer', 'mlp-step', 'cnn-step'];
const split = (measure) => measure.split('-');        // "cnn-step" -> ["cnn", "step"]
