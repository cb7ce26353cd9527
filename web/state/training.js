// A training run in the page (state, no DOM): the controls shared by the
// buttons that pause, resume and stop it, and the loop that runs it a slice
// of steps at a time, so drawings are answered in between. A pause takes
// effect between slices.

import * as python from '../worker/python.js';

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

// Runs the training started in the worker (python.startFinetune or
// startScratch) to its end, a slice of steps per call, sized to take about
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
