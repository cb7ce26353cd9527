// The person's samples (state, no DOM: teach.js shows them): drawings kept
// with what they really were, a digit or NOT_A_DIGIT (-1), in this browser
// (store.js), and as CSV files in the source project's format (label, then
// 784 pixels 0..255; -1 for not a digit), which `python -m py.train --data
// FILE` and `python -m py.evaluate --data FILE` read too.
//
// A drawing is known by its 28×28 image: the same strokes give the same
// image, so a drawing cleared and brought back by Undo, switched away from
// and back to, or found in an imported file, is the same drawing, and is
// one sample at most, labelled as the person said last.
//
// Events: 'change' whenever the stored samples changed, detail {what:
// 'kept', 'removed' or 'put back' (with the sample), or 'imported'}.

import * as python from '../worker/python.js';
import { PIXELS } from './image.js';
import * as store from './store.js';

const key = (image) => image.join(',');
// 784 values in [0, 1] (an answer's image) as a sample's 784 bytes.
const asBytes = (image) => Uint8Array.from(image, (v) => Math.round(255 * v));

export class Samples extends EventTarget {
  #removed = [];           // removed samples whose image is not here, for undoRemove(): the last removed last
  #index = null;           // a promise of image key -> sample, for kept(); null when out of date

  // `storage`: where the samples are kept: store.js, or anything with its
  // listSamples, addSamples, deleteSample and putSample.
  constructor(storage = store) {
    super();
    this.storage = storage;
  }

  // {good: [{id, image: Uint8Array(784), label}], damaged: [{id, problem}]}.
  list() {
    return this.storage.listSamples();
  }

  // The sample kept of a drawing's image (784 values in [0, 1]), or null;
  // and how many samples there are: {sample, total}.
  async kept(image) {
    this.#index ??= this.#byImage().catch((e) => { this.#index = null; throw e; });
    const index = await this.#index;
    return { sample: index.get(key(asBytes(image))) ?? null, total: index.size };
  }

  // Keeps a drawing's image (784 values in [0, 1]) as a sample of `label`;
  // a drawing kept before gets the new label instead of a second sample.
  // {label, was: the label it had, if kept before, total: how many now}.
  async keep(image, label) {
    const bytes = asBytes(image), index = await this.#byImage();
    const earlier = index.get(key(bytes));
    if (earlier && earlier.label !== label) await this.storage.putSample({ ...earlier, label });
    if (!earlier) await this.storage.addSamples([{ image: bytes, label }]);
    await this.#changed({ what: 'kept' });
    return { label, was: earlier?.label, total: index.size + (earlier ? 0 : 1) };
  }

  // Removes a sample (a damaged record too: that one cannot come back).
  async remove(sample) {
    await this.storage.deleteSample(sample.id);
    if (sample.image) this.#removed.push(sample);
    await this.#changed({ what: 'removed', sample });
  }

  // Puts back the sample removed last (of those not back by now); it, or null.
  async undoRemove() {
    const sample = this.#removed.pop();
    if (!sample) return null;
    await this.storage.putSample(sample);
    await this.#changed({ what: 'put back', sample });
    return sample;
  }

  // The sample undoRemove() would put back, or null; and how many can be.
  get removed() { return { next: this.#removed.at(-1) ?? null, count: this.#removed.length }; }

  // Adds the samples of a CSV file (its bytes) whose drawings are not here
  // already: {added, already, relabelled: how many of those already here
  // the file labels otherwise (they keep the label they have)}.
  async import(bytes, filename) {
    const { images, labels } = await python.readSamples(bytes, filename);
    return this.add(images, new Int8Array(labels.buffer, labels.byteOffset, labels.length));
  }

  // import()'s work on what the file holds: images (n·PIXELS bytes), labels (n).
  async add(images, labels) {
    const here = await this.#byImage(), fresh = [];
    let relabelled = 0;
    labels.forEach((label, i) => {
      const image = images.slice(PIXELS * i, PIXELS * (i + 1)), k = key(image);
      if (here.has(k)) {
        relabelled += here.get(k).label !== label;
        return;
      }
      here.set(k, { image, label });          // the file's first label of a drawing is the one added
      fresh.push({ image, label });
    });
    if (fresh.length) {
      await this.storage.addSamples(fresh);
      await this.#changed({ what: 'imported' });
    }
    return { added: fresh.length, already: labels.length - fresh.length, relabelled };
  }

  // All good samples as a CSV file's text and how many, or null when there are none.
  async csv() {
    const { good } = await this.list();
    if (!good.length) return null;
    const header = ['label', ...Array.from({ length: PIXELS }, (_, i) => `pixel${i}`)].join(',');
    return { text: [header, ...good.map((s) => [s.label, ...s.image].join(','))].join('\n') + '\n', n: good.length };
  }

  // image key -> good sample, as stored now.
  async #byImage() {
    const { good } = await this.list();
    return new Map(good.map((s) => [key(s.image), s]));
  }

  // A removed sample whose drawing came back (kept again, imported) is here:
  // Undo no longer offers to put it back a second time.
  async #changed(detail) {
    this.#index = null;
    const index = await this.#byImage().catch(() => null);     // unreadable: kept() will say so
    if (index) {
      this.#index = Promise.resolve(index);
      this.#removed = this.#removed.filter((s) => !index.has(key(s.image)));
    }
    this.dispatchEvent(new CustomEvent('change', { detail }));
  }
}
