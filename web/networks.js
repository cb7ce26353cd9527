// The networks a person can choose between (state only: chooser.js shows
// them): the shipped ones (maybe personalized), those trained in the page
// and imported files, each under its own name. Those the person made or
// brought are kept in this browser and come back after a reload, as does
// the choice.
//
// Events ('change', detail {what, name}): what is 'listed' (a network was
// added or updated), 'removed' or 'chosen'.

import { networkName, trainedHere } from './format.js';
import * as python from './python.js';
import * as store from './store.js';

export class Networks extends EventTarget {
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
    for (let n = 1; ; n++) {
      const name = n === 1 ? 'yours' : `yours-${n}`;
      if (!this.all.has(name)) return name;
    }
  }

  // A network trained, taught or imported in the page: listed (and chosen,
  // with `choose`) and kept in this browser.
  async keep(m, { choose = false } = {}) {
    this.offer(m);
    if (choose) this.choose(m.name);
    await store.saveWeights(m.name, await python.exportWeights(m.name));
  }

  async remove(name) {
    await store.deleteWeights(name);
    await python.removeModel(name);
    this.all.delete(name);
    this.#changed('removed', name);
    if (this.chosen === name) this.choose(this.shipped[0]);
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
        this.offer(await python.loadModel(name, bytes, `saved network "${name}"`));
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
