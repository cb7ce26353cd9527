// The networks a person can choose between: the shipped CNN and MLP (maybe
// personalized), "Yours" (trained in the page) and imported files, each under
// its own name. Those the person made or brought are kept in this browser and
// come back after a reload, as does the choice.

import { dropModel, networkName, offerModel } from './answer.js';
import { $ } from './dom.js';
import * as store from './store.js';

export const SHIPPED = ['cnn', 'mlp'];

export class Networks {
  // call(fn, ...args): into the worker; onChoose(name): the choice changed.
  constructor(call, onChoose) {
    this.call = call;
    this.onChoose = onChoose;
    this.all = new Map();          // name -> py.app.describe() result
    this.chosen = null;
  }

  // Lists (or updates) a network; `checked` also chooses it.
  offer(m, { checked = false } = {}) {
    this.all.set(m.name, m);
    offerModel(m, { checked, choose: (name) => this.choose(name),
                    remove: SHIPPED.includes(m.name) ? null : (name) => this.remove(name) });
    if (checked) this.choose(m.name);
  }

  choose(name) {
    this.chosen = name;
    const input = $('models').querySelector(`input[value="${CSS.escape(name)}"]`);
    if (input) input.checked = true;
    store.saveSettings({ model: name });
    this.onChoose(name);
  }

  // "the CNN", "your network", "the network from my.npz".
  who(name) {
    const m = this.all.get(name);
    if (!m) return 'the network';
    if (name === 'yours') return 'your network';
    return SHIPPED.includes(name) ? `the ${networkName(m)}` : `the network from ${networkName(m)}`;
  }

  // A network trained, taught or imported in the page: listed (and chosen,
  // with `choose`) and kept in this browser.
  async keep(m, { choose = false } = {}) {
    this.offer(m, { checked: choose });
    await store.saveWeights(m.name, await this.call('export_weights', m.name));
    $('models-repair').querySelector(`[data-name="${CSS.escape(m.name)}"]`)?.remove();   // replaced: nothing to repair
  }

  async remove(name) {
    await store.deleteWeights(name);
    await this.call('remove_model', name);
    this.all.delete(name);
    dropModel(name);
    if (this.chosen === name) this.choose(SHIPPED[0]);
  }

  // Networks saved in an earlier visit, then the person's last choice. A
  // saved file that no longer loads is kept (nothing a person made is
  // deleted behind their back) and reported, with a way to remove it.
  async restore() {
    const problems = [];
    $('models-repair').replaceChildren();
    let saved = [];
    try {
      saved = await store.listWeights();
    } catch (e) {
      problems.push(`Saved networks could not be read: ${e.message}.`);
    }
    for (const [name, bytes] of saved) {
      try {
        this.offer(await this.call('load_model', name, bytes, `saved network "${name}"`));
      } catch (e) {
        problems.push(`The saved network "${name}" could not be loaded (${e.message}); ` +
                      (SHIPPED.includes(name) ? 'the shipped one answers instead.' : 'it is left out.'));
        this.#offerRemoval(name);
      }
    }
    const { model } = store.loadSettings();
    this.choose(this.all.has(model) ? model : SHIPPED[0]);
    $('models-status').textContent = problems.join(' ');
  }

  // A button to remove a saved network that does not load.
  #offerRemoval(name) {
    const button = Object.assign(document.createElement('button'), { type: 'button',
      textContent: `Remove the saved "${name}"` });
    button.dataset.name = name;
    button.addEventListener('click', async () => {
      await store.deleteWeights(name);
      button.remove();
      $('models-status').textContent = `Removed the saved "${name}".`;
    });
    $('models-repair').append(button);
  }
}
