// A training run in the page (state, no DOM): the controls shared by the
// buttons that pause, resume and stop it, and the loop that runs it a slice
// of steps at a time, so drawings are answered in between. A pause takes
// effect between slices.

import * as python from '../worker/python.js';
import { PIXELS } from './image.js';

export class TrainingControl {
  #paused = false;
  #stopped = false;
  #wake = null;

  get paused() { return this.#paused; }
  get stopped() { return this.#stopped; }

  pause() { this.#paused = true; }

  resume() {
    this.#paused = false;
    this.#wake?.();
  }

  stop() {
    this.#stopped = true;
    this.resume();
  }

  // Waits while paused; true if the run may go on, false once stopped.
  async proceed() {
    while (this.#paused) await new Promise((wake) => { this.#wake = wake; });
    return !this.#stopped;
  }
}

// Starts fine-tuning network `model` on the person's samples ({image:
// Uint8Array(PIXELS), label}): {total, before} (py/page/app.py).
export function startFinetune(model, samples) {
  const images = new Uint8Array(PIXELS * samples.length);
  samples.forEach((s, i) => images.set(s.image, PIXELS * i));
  return python.startFinetune(model, images, Int8Array.from(samples, (s) => s.label));
}

// Starts training a new network `name` from scratch ({total}).
export const startScratch = (name, config) => python.startScratch(name, config);

// Stops a training run before its end: its result so far, or null.
export const stopTraining = () => python.stopTraining();

// Runs the training started in the worker (startFinetune or startScratch) to its end, a slice of steps per call, sized to take about
// 150 ms. onProgress gets each slice's progress. Returns the last progress,
// or null when `control` stopped it first.
export async function train(onProgress, control = new TrainingControl()) {
  let steps = 1;
  while (await control.proceed()) {
    const start = performance.now();
    const progress = await python.trainSlice(steps);
    steps = Math.max(1, Math.min(50, Math.round(150 / ((performance.now() - start) / steps))));
    onProgress(progress);
    if (progress.done) return progress;
  }
  return null;
}
