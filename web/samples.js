// The person's samples (state, no DOM: teach.js shows them): drawings kept
// with what they really were, a digit or NOT_A_DIGIT (-1), in this browser
// (store.js), and as CSV files in the source project's format (label, then
// 784 pixels 0..255; -1 for not a digit), which `python -m py.train --data
// FILE` and `python -m py.evaluate --data FILE` read too.
//
// Events: 'change' whenever the stored samples changed.

import * as python from './python.js';
import * as store from './store.js';

// The same image with the same label: one sample, however often it comes.
const sameness = ({ image, label }) => `${label}:${image.join(',')}`;

export class Samples extends EventTarget {
  #kept = new Map();       // which drawing (answer.js's offer.drawing) -> the id of its sample
  #removed = null;         // the sample removed last, for undoRemove()

  // {good: [{id, image: Uint8Array(784), label}], damaged: [{id, problem}]}.
  list() {
    return store.listSamples();
  }

  // Keeps a drawing (784 values in [0, 1]) as a sample of `label`; the same
  // drawing kept again changes its sample's label instead of adding one.
  // {label, was: the label it had, if kept before, total: how many now}.
  async keep(drawing, image, label) {
    const { good } = await this.list();
    const earlier = good.find((s) => s.id === this.#kept.get(drawing));
    if (earlier) {
      if (earlier.label !== label) await store.putSample({ ...earlier, label });
      this.#changed();
      return { label, was: earlier.label, total: good.length };
    }
    this.#kept.set(drawing, await store.addSamples([{ image: Uint8Array.from(image, (v) => Math.round(255 * v)), label }]));
    this.#changed();
    return { label, total: good.length + 1 };
  }

  // Removes a sample (a damaged record too: that one cannot come back).
  async remove(sample) {
    await store.deleteSample(sample.id);
    this.#removed = sample.image ? sample : null;
    this.#changed();
  }

  // Puts back the sample removed last; it, or null when there is none.
  async undoRemove() {
    const sample = this.#removed;
    if (!sample) return null;
    await store.putSample(sample);
    this.#removed = null;
    this.#changed();
    return sample;
  }

  get canUndoRemove() { return this.#removed !== null; }

  // Adds the samples of a CSV file (its bytes) that are not here already
  // (the same image with the same label): {added, already}.
  async import(bytes, filename) {
    const { images, labels } = await python.readSamples(bytes, filename);
    const signed = new Int8Array(labels.buffer, labels.byteOffset, labels.length);
    const seen = new Set((await this.list()).good.map(sameness));
    const fresh = [];
    signed.forEach((label, i) => {
      const sample = { image: images.slice(784 * i, 784 * (i + 1)), label };
      if (seen.has(sameness(sample))) return;
      seen.add(sameness(sample));
      fresh.push(sample);
    });
    if (fresh.length) {
      await store.addSamples(fresh);
      this.#changed();
    }
    return { added: fresh.length, already: signed.length - fresh.length };
  }

  // All good samples as a CSV file's text and how many, or null when there are none.
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
