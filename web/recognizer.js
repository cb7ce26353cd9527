// The main thread's side of the worker (worker.js): start it, follow its
// loading stages, and call the Python entry points it offers. The calls, their
// arguments and results are listed in one place: py/app.py's docstring.
// A start-up that fails or takes too long rejects `ready` with a message a
// person can act on; it never spins forever.

import { TrainingControl } from './training.js';

const START_TIMEOUT_MS = 60_000;

export class Recognizer {
  constructor(onStage) {
    this.worker = new Worker('worker.js', { type: 'module' });
    this.waiting = new Map();    // request id -> {resolve, reject}
    this.nextId = 1;
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(
        `Loading took more than ${START_TIMEOUT_MS / 1000} s. The server may be serving .wasm files with the ` +
        'wrong type (it must be application/wasm) or a download stalled. Start the page with ./build.sh and reload.')),
        START_TIMEOUT_MS);
      const fail = (message) => { clearTimeout(timer); reject(new Error(message)); };
      this.worker.onerror = (e) => fail(
        `The recognizer could not start (${e.message || 'worker.js or pyodide/pyodide.mjs failed to load'}). ` +
        'Run ./build.sh, which builds the page\'s files and serves them.');
      this.worker.onmessage = ({ data }) => {
        if (data.type === 'stage') onStage(data.stage);
        else if (data.type === 'ready') { clearTimeout(timer); resolve(data); }
        else if (data.type === 'error') fail(data.message);
        else this.#answer(data);
      };
    });
  }

  // Calls py.app.<fn>(...args) in the worker; resolves with its plain result.
  // Typed arrays among the args are handed over, not copied (they become unusable here).
  async call(fn, ...args) {
    return (await this.#send(fn, args)).result;
  }

  // A drawing, kind 'predict' or 'predict_number'; the result also has `ms`,
  // the time Python took in the worker.
  async recognize(kind, model, points, ends) {
    const { result, ms } = await this.#send(kind, [model, points, ends, 1]);
    return { ...result, ms };
  }

  // Runs the training started in the worker to its end, a slice of steps per
  // call, sized to take about 150 ms so drawings are answered in between.
  // onProgress gets each slice's progress. Returns the last progress, or null
  // when `control` stopped it first.
  async train(onProgress, control = new TrainingControl()) {
    let steps = 1;
    while (await control.proceed()) {
      const start = performance.now();
      const progress = await this.call('train_slice', steps);
      steps = Math.max(1, Math.min(50, Math.round(150 / ((performance.now() - start) / steps))));
      onProgress(progress);
      if (progress.done) return progress;
    }
    return null;
  }

  #send(fn, args) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, fn, args }, args.filter((a) => ArrayBuffer.isView(a)).map((a) => a.buffer));
    });
  }

  #answer({ id, result, ms, error }) {
    const { resolve, reject } = this.waiting.get(id);
    this.waiting.delete(id);
    if (error) reject(new Error(error)); else resolve({ result, ms });
  }
}
