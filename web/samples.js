// The person's samples (state, no DOM: teach.js shows them): drawings kept
// with the digit they really were, in this browser (store.js), and as CSV
// files in the source project's format (label, then 784 pixels 0..255),
// which `python -m py.train --data FILE` and `python -m py.evaluate --data
// FILE` read too.
//
// Events: 'change' whenever the stored samples changed.

import * as python from './python.js';
import * as store from './store.js';

export class Samples extends EventTarget {
  // {good: [{id, image: Uint8Array(784), label}], damaged: [{id, problem}]}.
  list() {
    return store.listSamples();
  }

  // Keeps a drawing (784 values in [0, 1]) as a sample of `label`.
  async keep(image, label) {
    await store.addSamples([{ image: Uint8Array.from(image, (v) => Math.round(255 * v)), label }]);
    this.#changed();
  }

  async remove(id) {
    await store.deleteSample(id);
    this.#changed();
  }

  // Adds the samples of a CSV file (its bytes); how many.
  async import(bytes, filename) {
    const { images, labels } = await python.readSamples(bytes, filename);
    await store.addSamples(Array.from(labels, (label, i) => ({ image: images.slice(784 * i, 784 * (i + 1)), label })));
    this.#changed();
    return labels.length;
  }

  // All good samples as a CSV file's text, or null when there are none.
  async csv() {
    const { good } = await this.list();
    if (!good.length) return null;
    const header = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)].join(',');
    return { text: [header, ...good.map((s) => [s.label, ...s.image].join(','))].join('\n') + '\n', n: good.length };
  }

  #changed() {
    this.dispatchEvent(new Event('change'));
  }
}
