// The controls of a training run in the page, shared by the buttons that
// pause, resume and stop it and by the loop that runs it a slice of steps at
// a time (Recognizer.train). A pause takes effect between slices.

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
