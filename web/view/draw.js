// The drawing pad (view): Pointer Events (mouse, touch and pen alike) on one
// canvas. Strokes are kept (drawing.js) as vectors in canvas units (0..1 of
// the canvas width), so the pad redraws crisply at any CSS size or
// devicePixelRatio, and the worker gets the path itself rather than pixels.

import { $ } from './dom.js';

// The pen's width on screen, in CSS pixels: the same in both modes and on any
// screen, like a real pen. (The network never sees it: the worker gets the
// path and paints it with MNIST's own stroke width.)
export const PEN_CSS_PX = 14;

export class DrawingPad {
  // Shows `drawing` (drawing.js) on `canvas` and feeds it the strokes drawn there.
  constructor(drawing, canvas = $('canvas')) {
    this.drawing = drawing;
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.active = null;         // the pointerId drawing now, if any
    this.touching = new Set();  // the fingers on the pad: two or more pinch, and draw nothing
    canvas.addEventListener('pointerdown', (e) => this.#down(e));
    canvas.addEventListener('pointermove', (e) => this.#move(e));
    canvas.addEventListener('pointerup', (e) => this.#up(e));
    canvas.addEventListener('pointercancel', (e) => this.#up(e));
    drawing.addEventListener('change', ({ detail: { action } }) => {
      if (action !== 'draw' && action !== 'strokeend') this.active = null;   // undo during a stroke drops it
      this.#scheduleRedraw();
    });
    new ResizeObserver(() => this.#resize()).observe(canvas);
    this.#resize();
  }

  // A pointer's position in units of the drawing area's width (inside the border).
  #point(e) {
    const { canvas } = this, r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left - canvas.clientLeft) / canvas.clientWidth,
            (e.clientY - r.top - canvas.clientTop) / canvas.clientWidth];
  }

  #down(e) {
    if (e.pointerType === 'touch') this.touching.add(e.pointerId);
    if (this.touching.size > 1) {            // a second finger: a pinch, not a stroke
      if (this.active !== null) this.drawing.cancel();
      this.active = null;
      return;
    }
    if (this.active !== null || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    this.canvas.setPointerCapture(e.pointerId);
    this.active = e.pointerId;
    this.drawing.begin(this.#point(e));
  }

  #move(e) {
    if (e.pointerId !== this.active) return;
    // Coalesced events carry every sample since the last frame: smoother curves.
    this.drawing.extend((e.getCoalescedEvents?.() ?? [e]).map((ev) => this.#point(ev)));
  }

  #up(e) {
    this.touching.delete(e.pointerId);
    if (e.pointerId !== this.active) return;
    this.active = null;
    this.drawing.end();
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
    for (const stroke of this.drawing.strokes) {
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
