// What the person has drawn (state, no DOM: draw.js shows it and feeds it):
// the strokes of each mode (one digit, a number), each kept while the other
// is in use, and the history that Undo goes back through: every stroke,
// clear and switch of mode can be undone, the last first.
//
// Events: 'change', detail {action}: 'draw' (a stroke began or grew),
// 'strokeend', 'clear', 'mode' or 'undo'.

export class Drawing extends EventTarget {
  #sheets = { digit: [], number: [] };   // each mode's strokes, each an array of [x, y] in canvas units
  #history = [];                         // earlier {mode, sheets}, the newest last
  mode = 'digit';

  get strokes() { return this.#sheets[this.mode]; }
  get isEmpty() { return this.strokes.length === 0; }

  begin(point) {
    this.#save();
    this.#sheets[this.mode] = [...this.strokes, [point]];
    this.#changed('draw');
  }

  extend(points) {
    this.strokes.at(-1).push(...points);
    this.#changed('draw');
  }

  end() {
    this.#changed('strokeend');
  }

  // Drops the stroke under way, as if it had never begun (no undo step).
  cancel() {
    const { sheets } = this.#history.pop();
    this.#sheets = sheets;
    this.#changed('undo');
  }

  clear() {
    if (this.isEmpty) return;
    this.#save();
    this.#sheets[this.mode] = [];
    this.#changed('clear');
  }

  // Writes in `mode` ('digit' or 'number'), whose drawing is as it was left.
  switchTo(mode) {
    if (mode === this.mode) return;
    this.#save();
    this.mode = mode;
    this.#changed('mode');
  }

  // Back to before the last stroke, clear or switch of mode.
  undo() {
    const last = this.#history.pop();
    if (!last) return;
    ({ mode: this.mode, sheets: this.#sheets } = last);
    this.#changed('undo');
  }

  // Flat typed arrays for the worker: points [x0, y0, x1, y1, ...] and, for
  // each stroke, the index one past its last point; of the strokes numbered
  // `only` (one digit of a number), or of all.
  toArrays(only = null) {
    const strokes = only ? only.map((k) => this.strokes[k]) : this.strokes;
    const n = strokes.reduce((sum, s) => sum + s.length, 0);
    const points = new Float32Array(2 * n);
    const ends = new Int32Array(strokes.length);
    let i = 0;
    strokes.forEach((stroke, k) => {
      for (const [x, y] of stroke) { points[2 * i] = x; points[2 * i + 1] = y; i++; }
      ends[k] = i;
    });
    return { points, ends };
  }

  // A stroke in progress grows in place; every other change makes new arrays,
  // so an earlier state shares what it can and is never altered.
  #save() {
    this.#history.push({ mode: this.mode, sheets: { ...this.#sheets } });
  }

  #changed(action) {
    this.dispatchEvent(new CustomEvent('change', { detail: { action } }));
  }
}
