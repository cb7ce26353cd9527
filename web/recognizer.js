// The main thread's side of the worker (worker.js): start it, follow its
// loading stages, and call the Python entry points it offers. The calls, their
// arguments and results are listed in one place: py/app.py's docstring.
// A start-up that fails or takes too long rejects `ready` with a message a
// person can act on; it never spins forever. A worker that dies later (a
// fatal error in Pyodide, an uncaught error) is replaced by a new one.

import { TrainingControl } from './training.js';

const START_TIMEOUT_MS = 60_000;

// The error of a call the dying worker could not answer: the page asks again
// once the new worker is ready (Recognizer's onRestart), so it is no failure.
const restarting = (message) => Object.assign(new Error(message), { restarting: true });

export class Recognizer {
  // onStage(name): a loading stage began. onRestart(ready): a new worker
  // replaced one that died, and is ready (`ready` as the first one's).
  constructor(onStage, onRestart) {
    Object.assign(this, { onStage, onRestart });
    this.waiting = new Map();    // request id -> {resolve, reject}
    this.nextId = 1;
    this.ready = this.#start();
  }

  #start() {
    this.worker = new Worker('worker.js', { type: 'module' });
    return new Promise((resolve, reject) => {
      let started = false;
      const timer = setTimeout(() => reject(new Error(
        `Loading took more than ${START_TIMEOUT_MS / 1000} s. The server may be serving .wasm files with the ` +
        'wrong type (it must be application/wasm) or a download stalled. Start the page with ./build.sh and reload.')),
        START_TIMEOUT_MS);
      const fail = (message) => { clearTimeout(timer); reject(new Error(message)); };
      this.worker.onerror = (e) => {
        if (started) this.#restart();       // a worker that dies once running is replaced
        else fail(`The recognizer could not start (${e.message || 'worker.js, or files.js which it imports, ' +
          'did not load or run'}). Run ./build.sh, which builds the page\'s files and serves them.`);
      };
      this.worker.onmessage = ({ data }) => {
        if (data.type === 'stage') this.onStage(data.stage);
        else if (data.type === 'ready') { started = true; clearTimeout(timer); resolve(data); }
        else if (data.type === 'error') fail(data.message);
        else this.#answer(data);
      };
    });
  }

  // Replaces a dead worker: what was asked of it fails, and a new one starts.
  async #restart() {
    if (this.restarting) return;
    this.restarting = true;
    this.worker.terminate();
    for (const { reject } of this.waiting.values()) reject(restarting('the recognizer stopped and is starting again'));
    this.waiting.clear();
    try {
      const ready = await (this.ready = this.#start());
      this.onRestart(ready);
    } finally {
      this.restarting = false;
    }
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

  #answer({ id, result, ms, error, fatal }) {
    const { resolve, reject } = this.waiting.get(id);
    this.waiting.delete(id);
    if (error) reject(fatal ? restarting(error) : new Error(error)); else resolve({ result, ms });
    if (fatal) this.#restart();
  }
}
