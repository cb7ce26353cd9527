// The drawing pad (view): Pointer Events (mouse, touch and pen alike) on one canvas.
// Strokes are kept as vectors in canvas units (0..1 of the canvas width), so
// the pad redraws crisply at any CSS size or devicePixelRatio, and the worker
// gets the path itself rather than pixels.

import { $ } from './dom.js';

// The pen's width on screen, in CSS pixels: the same in both modes and on any
// screen, like a real pen. (The network never sees it: the worker gets the
// path and paints it with MNIST's own stroke width.)
export const PEN_CSS_PX = 14;

export class DrawingPad extends EventTarget {
  constructor(canvas = $('canvas')) {
    super();
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.strokes = [];          // each an array of [x, y] in canvas units
    this.active = null;         // the pointerId drawing now, if any
    canvas.addEventListener('pointerdown', (e) => this.#down(e));
    canvas.addEventListener('pointermove', (e) => this.#move(e));
    canvas.addEventListener('pointerup', (e) => this.#up(e));
    canvas.addEventListener('pointercancel', (e) => this.#up(e));
    new ResizeObserver(() => this.#resize()).observe(canvas);
    this.#resize();
  }

  get isEmpty() { return this.strokes.length === 0; }

  clear() {
    this.strokes = [];
    this.active = null;
    this.#changed('clear');
  }

  undo() {
    this.active = null;   // undo during a stroke drops that stroke
    this.strokes.pop();
    this.#changed('undo');
  }

  // Flat typed arrays for the worker: points [x0, y0, x1, y1, ...] and, for
  // each stroke, the index one past its last point.
  toArrays() {
    const n = this.strokes.reduce((sum, s) => sum + s.length, 0);
    const points = new Float32Array(2 * n);
    const ends = new Int32Array(this.strokes.length);
    let i = 0;
    this.strokes.forEach((stroke, k) => {
      for (const [x, y] of stroke) { points[2 * i] = x; points[2 * i + 1] = y; i++; }
      ends[k] = i;
    });
    return { points, ends };
  }

  // A pointer's position in units of the drawing area's width (inside the border).
  #point(e) {
    const { canvas } = this, r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left - canvas.clientLeft) / canvas.clientWidth,
            (e.clientY - r.top - canvas.clientTop) / canvas.clientWidth];
  }

  #down(e) {
    if (this.active !== null || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    this.canvas.setPointerCapture(e.pointerId);
    this.active = e.pointerId;
    this.strokes.push([this.#point(e)]);
    this.#changed('draw');
  }

  #move(e) {
    if (e.pointerId !== this.active) return;
    const stroke = this.strokes[this.strokes.length - 1];
    // Coalesced events carry every sample since the last frame: smoother curves.
    for (const ev of e.getCoalescedEvents?.() ?? [e]) stroke.push(this.#point(ev));
    this.#changed('draw');
  }

  #up(e) {
    if (e.pointerId !== this.active) return;
    this.active = null;
    this.#changed('strokeend');
  }

  #changed(action) {
    this.#scheduleRedraw();
    this.dispatchEvent(new CustomEvent('change', { detail: { action } }));
  }

  #resize() {
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(this.canvas.clientWidth * dpr);
    this.canvas.height = Math.round(this.canvas.clientHeight * dpr);
    this.#redraw();
  }

  #scheduleRedraw() {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => { this.pending = 0; this.#redraw(); });
  }

  #redraw() {
    const { ctx, canvas } = this;
    const w = canvas.width;
    ctx.clearRect(0, 0, w, canvas.height);
    ctx.strokeStyle = ctx.fillStyle = getComputedStyle(canvas).getPropertyValue('--ink') || '#111';
    ctx.lineWidth = PEN_CSS_PX * (window.devicePixelRatio || 1);
    ctx.lineCap = ctx.lineJoin = 'round';
    for (const stroke of this.strokes) {
      const p = stroke.map(([x, y]) => [x * w, y * w]);
      ctx.beginPath();
      ctx.moveTo(p[0][0], p[0][1]);
      if (p.length === 1) ctx.lineTo(p[0][0] + 0.01, p[0][1]);    // a tap draws a dot
      // Quadratic curves through the midpoints smooth out the pointer's jitter.
      for (let i = 1; i < p.length - 1; i++) {
        ctx.quadraticCurveTo(p[i][0], p[i][1], (p[i][0] + p[i + 1][0]) / 2, (p[i][1] + p[i + 1][1]) / 2);
      }
      if (p.length > 1) ctx.lineTo(p[p.length - 1][0], p[p.length - 1][1]);
      ctx.stroke();
    }
  }
}
