// The main thread's side of the worker (worker.js), state only: start it,
// follow its loading stages, and carry python.js's calls to it (send).
// A start-up that fails or takes too long rejects `ready` with a message a
// person can act on; it never spins forever. A worker that dies later (a
// fatal error in Pyodide, an uncaught error) is replaced by a new one.

const START_TIMEOUT_MS = 60_000;

// The error of a call the dying worker could not answer: the page asks again
// once the new worker is ready (Recognizer's onRestart), so it is no failure.
const restarting = (message) => Object.assign(new Error(message), { restarting: true });

export class Recognizer {
  // onStage(name): a loading stage began. onRestart(ready): a new worker
  // replaced one that died, and is ready (`ready` as the first one's).
  // `ready` resolves with {shipped: the shipped networks' descriptions, the
  // first answers first}.
  constructor(onStage, onRestart) {
    Object.assign(this, { onStage, onRestart });
    this.waiting = new Map();    // request id -> {resolve, reject}
    this.nextId = 1;
    this.ready = this.#start();
  }

  #start() {
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
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

  // python.js's transport: calls entry point `fn` with `args` in the worker
  // (`network`: the network the call uses, if any); resolves with {result,
  // ms}. Typed arrays among the args are handed over, not copied.
  send(fn, args, network) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, fn, args, network },
                              args.filter((a) => ArrayBuffer.isView(a)).map((a) => a.buffer));
    });
  }

  #answer({ id, result, ms, error, fatal }) {
    const { resolve, reject } = this.waiting.get(id);
    this.waiting.delete(id);
    if (error) reject(fatal ? restarting(error) : new Error(error)); else resolve({ result, ms });
    if (fatal) this.#restart();
  }
}
