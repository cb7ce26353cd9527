// The main thread's side of the worker: start it, follow its loading stages,
// and send it drawings. A start-up that fails or takes too long rejects
// `ready` with a message a person can act on; it never spins forever.

const START_TIMEOUT_MS = 60_000;

export class Recognizer {
  constructor(onStage) {
    this.worker = new Worker('worker.js');
    this.waiting = new Map();    // request id -> {resolve, reject}
    this.nextId = 1;
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(
        `Loading took more than ${START_TIMEOUT_MS / 1000} s. The server may be serving .wasm files with the ` +
        'wrong type (it must be application/wasm) or a download stalled. Start the page with ./build.sh and reload.')),
        START_TIMEOUT_MS);
      const fail = (message) => { clearTimeout(timer); reject(new Error(message)); };
      this.worker.onerror = (e) => fail(
        `The recognizer could not start (${e.message || 'worker.js or pyodide/pyodide.js failed to load'}). ` +
        'Run ./build.sh, which builds the page\'s files and serves them.');
      this.worker.onmessage = ({ data }) => {
        if (data.type === 'stage') onStage(data.stage);
        else if (data.type === 'ready') { clearTimeout(timer); resolve(data); }
        else if (data.type === 'error') fail(data.message);
        else this.#answer(data);
      };
    });
  }

  // Resolves with the worker's plain result: for type 'predict' {digit, best,
  // probs, image, sure}; for type 'number' {text, digits: [such results]}.
  ask(type, model, points, ends, size) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, type, model, points, ends, size }, [points.buffer, ends.buffer]);
    });
  }

  #answer({ id, result, error }) {
    const { resolve, reject } = this.waiting.get(id);
    this.waiting.delete(id);
    if (error) reject(new Error(error)); else resolve(result);
  }
}
