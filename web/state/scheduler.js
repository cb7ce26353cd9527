// Only the newest drawing matters: one request in flight at a time, and an
// answer that belongs to an older drawing is dropped (then the newest is
// asked for). A pointer moves 60 times a second and the network takes tens
// of milliseconds, so answering every change would fall further and further
// behind the pen.

export class Newest {
  // ask(): a promise of the answer to the drawing as it is now.
  // show(answer): puts it on screen.
  // settled(caughtUp, error): called when a round ends: whether the latest
  // change is on screen, and the error that stopped the round, if any.
  constructor({ ask, show, settled }) {
    Object.assign(this, { ask, show, settled });
    this.version = 0;          // bumped by every change
    this.shown = 0;            // the version whose answer is on screen
    this.busy = false;
    this.enabled = false;      // nothing to ask until the recognizer is ready
  }

  get caughtUp() { return this.shown === this.version; }

  // Start answering (changes made before are answered now, not lost).
  enable() {
    this.enabled = true;
    this.#run();
  }

  // The drawing, the network or the mode changed.
  changed() {
    this.version++;
    this.#run();
  }

  async #run() {
    if (this.busy || !this.enabled) return;
    this.busy = true;
    let error = null;
    try {
      while (!this.caughtUp) {
        const asked = this.version;
        const answer = await this.ask();
        if (asked !== this.version) continue;       // drawn on meanwhile: ask again
        this.show(answer);
        this.shown = asked;
      }
    } catch (e) {
      error = e;
    } finally {
      this.busy = false;
      this.settled(this.caughtUp, error);
    }
  }
}
