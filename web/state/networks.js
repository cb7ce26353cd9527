// The networks a person can choose between (state only: chooser.js shows
// them): the shipped ones (maybe personalized), those trained in the page
// and imported files, each under its own name. Those the person made or
// brought are kept in this browser and come back after a reload, as does
// the choice.
//
// Events ('change', detail {what, name}): what is 'listed' (a network was
// added, updated or put back), 'removed' or 'chosen'.

import { fetchAsset, fetchBuild } from './files.js';
import { networkName, trainedHere } from './format.js';
import * as python from '../worker/python.js';
import * as store from './store.js';

export class Networks extends EventTarget {
  #removed = [];       // {description, bytes, chosen} of networks removed, for undoRemove(): the last last

  // shipped: the shipped networks' descriptions, the first answers first
  // (build.json, as the worker reports it when ready).
  constructor(shipped) {
    super();
    this.shipped = shipped.map((m) => m.name);
    this.all = new Map();          // name -> description (python.loadModel's result)
    this.chosen = null;
    for (const m of shipped) this.offer(m);
  }

  isShipped(name) {
    return this.shipped.includes(name);
  }

  // Lists (or updates) a network.
  offer(m) {
    this.all.set(m.name, m);
    this.#changed('listed', m.name);
  }

  choose(name) {
    this.chosen = name;
    store.saveSettings({ model: name });
    this.#changed('chosen', name);
  }

  // "the CNN", "your network", "your network Yours 2", "the network from my.npz".
  who(name) {
    const m = this.all.get(name);
    if (!m) return 'the network';
    if (name === 'yours') return 'your network';
    if (trainedHere(name)) return `your network ${networkName(m)}`;
    return this.isShipped(name) ? `the ${networkName(m)}` : `the network from ${networkName(m)}`;
  }

  // The name for a new network trained in the page: one no other has, so
  // that a second run never replaces the first.
  newName() {
    return this.freeName('yours', (n) => `yours-${n}`);
  }

  // `name`, or if a network has it (or had it and may be put back), the
  // first of numbered(2), numbered(3)... that none has.
  freeName(name, numbered) {
    const taken = (n) => this.all.has(n) || this.#removed.some((r) => r.description.name === n);
    let free = name;
    for (let n = 2; taken(free); n++) free = numbered(n);
    return free;
  }

  // A network trained, taught or imported in the page: listed (and chosen,
  // with `choose`) and kept in this browser, as the weights file `bytes`
  // (an imported file as it came) or as Python writes it.
  async keep(m, { choose = false, bytes = null } = {}) {
    this.offer(m);
    if (choose) this.choose(m.name);
    await store.saveWeights(m.name, bytes ?? await this.export(m.name));
  }

  // A weights file (`bytes`) loaded under `name`, not yet listed: its
  // description. `source` names it in errors (a file's name).
  load(name, bytes, source) {
    return python.loadModel(name, bytes, source);
  }

  // A shipped network back to its shipped weights (forgetting those taught).
  async backToShipped(name) {
    const shipped = await fetchAsset((await fetchBuild()).weights[name]);
    this.offer(await this.load(name, shipped, `${name}.npz`));
    await this.forget(name);
  }

  // A listed network as a weights file's bytes.
  export(name) {
    return python.exportWeights(name);
  }

  // What the chosen network computes for one drawn digit (strokes `points`,
  // `ends`), for "See inside": py/page/app.py's inside().
  lookInside(points, ends) {
    return python.inside(this.chosen, points, ends, 1);
  }

  // The name of the listed network kept here as exactly these bytes (a
  // file imported before, or exported from here), or null.
  async listedAs(bytes) {
    const saved = await store.listWeights().catch(() => []);
    const same = (b) => b instanceof Uint8Array && b.length === bytes.length && b.every((v, i) => v === bytes[i]);
    return saved.find(([name, b]) => this.all.has(name) && same(b))?.[0] ?? null;
  }

  // Removes a network a person added (the shipped one answers if it was
  // chosen); undoRemove() puts it back, until the page is closed.
  async remove(name) {
    const saved = (await store.listWeights().catch(() => [])).find(([n]) => n === name)?.[1];
    const bytes = saved ?? await this.export(name);
    this.#removed.push({ description: this.all.get(name), bytes, chosen: this.chosen === name });
    await store.deleteWeights(name);
    await python.removeModel(name);
    this.all.delete(name);
    this.#changed('removed', name);
    if (this.chosen === name) this.choose(this.shipped[0]);
  }

  // The network removed last, as undoRemove() would put it back, or null.
  get removed() { return this.#removed.at(-1)?.description ?? null; }

  // Puts back the network removed last (chosen again if it was): its
  // description, or null.
  async undoRemove() {
    const last = this.#removed.at(-1);
    if (!last) return null;
    const m = await this.load(last.description.name, last.bytes.slice(), networkName(last.description));
    await store.saveWeights(m.name, last.bytes);
    this.#removed.pop();
    this.offer(m);
    if (last.chosen) this.choose(m.name);
    return m;
  }

  // Networks saved in an earlier visit, then the person's last choice.
  // Returns what could not be restored: {problems: [sentences], broken:
  // [names]}. A saved file that no longer loads is kept (nothing a person
  // made is deleted behind their back) until forget(name).
  async restore() {
    const problems = [], broken = [];
    let saved = [];
    try {
      saved = await store.listWeights();
    } catch (e) {
      problems.push(`Saved networks could not be read: ${e.message}.`);
    }
    for (const [name, bytes] of saved) {
      try {
        this.offer(await this.load(name, bytes, `saved network "${name}"`));
      } catch (e) {
        problems.push(`The saved network "${name}" could not be loaded (${e.message}); ` +
                      (this.isShipped(name) ? 'the shipped one answers instead.' : 'it is left out.'));
        broken.push(name);
      }
    }
    const { model } = store.loadSettings();
    this.choose(this.all.has(model) ? model : this.shipped[0]);
    return { problems, broken };
  }

  // Deletes a saved network that does not load.
  forget(name) {
    return store.deleteWeights(name);
  }

  #changed(what, name) {
    this.dispatchEvent(new CustomEvent('change', { detail: { what, name } }));
  }
}
