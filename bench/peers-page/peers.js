// The benchmark page: one Web Worker per engine, driven from bench/peers.py
// through window.peers. Engines (the worker script and its query string):
const ENGINES = {
  'ours': 'ours.js',
  'tfjs-cpu': 'tfjs.js?backend=cpu',
  'tfjs-wasm': 'tfjs.js?backend=wasm',
  'ort-wasm': 'ort.js',
};

class Engine {
  constructor(script) {
    this.worker = new Worker(script);
    this.pending = new Map();
    this.next = 0;
    this.worker.onmessage = ({ data: { id, result, error } }) => {
      const { resolve, reject } = this.pending.get(id);
      this.pending.delete(id);
      if (error === undefined) resolve(result); else reject(new Error(error));
    };
    this.worker.onerror = (e) => { for (const { reject } of this.pending.values()) reject(new Error(e.message)); };
  }

  call(cmd, ...args) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, cmd, args });
    });
  }
}

const engines = {};

window.peers = {
  // Start the named engines (an extra "ours@NAME" runs the package in NAME.zip) with
  // the same inputs; resolves to what each can do.
  async start(names, setup) {
    setup = { ...setup, image: Float32Array.from(setup.image), batch: Float32Array.from(setup.batch),
              labels: Int32Array.from(setup.labels) };
    const started = {};
    for (const name of names) {
      const [kind, zip] = name.split('@');
      engines[name] = new Engine(ENGINES[kind]);
      started[name] = await engines[name].call('load', { ...setup, zip: zip ? `${setup.base}peers/${zip}.zip` : null });
    }
    return started;
  },
  call: (name, cmd, ...args) => engines[name].call(cmd, ...args),
};
