// The "Train a network from scratch" panel (view): a new network trained in
// the page on the replay set of MNIST digits, with a live chart of its loss
// and accuracy; pause, resume, stop. The result joins the networks as
// "Yours" and is kept in this browser. `app` as in teach.js.

import { $, say } from './dom.js';
import { pct } from './format.js';
import * as python from './python.js';
import { train, TrainingControl } from './training.js';

export function setupScratch(app) {
  let control = new TrainingControl();
  const chart = new Chart($('chart'));

  $('scratch-start').addEventListener('click', async () => {
    const form = Object.fromEntries(new FormData($('scratch-form')));
    const config = { kind: form.kind, layers: form.layers, lr: Number(form.lr),
                     batch_size: Number(form.batch_size), epochs: Number(form.epochs) };
    control = new TrainingControl();
    setRunning(true);
    try {
      await app.replay();
      const { total } = await python.startScratch(config);
      chart.start(total);
      const done = await train((p) => {
        chart.add(p);
        say('scratch-status', `Epoch ${p.epoch} of ${config.epochs}, step ${p.step} of ${p.total}: ` +
          `loss ${p.loss.toFixed(3)}, training accuracy ${pct(p.accuracy)}` +
          (chart.accuracy.length ? `, validation ${pct(chart.accuracy.at(-1)[1])}` : '') +
          (control.paused ? ' (paused)' : ''));
      }, control);
      const result = done ? done.result : await python.stopTraining();
      if (result) {
        await app.networks.keep(result.model, { choose: true });
        say('scratch-status', `${done ? 'Done' : 'Stopped'}: ${pct(result.model.val_accuracy)} ` +
          'on the validation digits. It now answers your drawings as "Yours", also after a reload.');
      } else {
        say('scratch-status', 'Stopped before the first step.');
      }
    } catch (e) {
      say('scratch-status', `Could not train: ${e.message}`);
    } finally {
      setRunning(false);
    }
  });
  $('scratch-pause').addEventListener('click', () => {
    if (control.paused) control.resume(); else control.pause();
    $('scratch-pause').textContent = control.paused ? 'Resume' : 'Pause';
    if (control.paused) $('scratch-status').textContent += ' (paused)';
  });
  $('scratch-stop').addEventListener('click', () => control.stop());

  function setRunning(running) {
    $('scratch-start').disabled = running;
    $('scratch-pause').disabled = $('scratch-stop').disabled = !running;
    $('scratch-pause').textContent = 'Pause';
  }
}

// The live chart, an SVG: the loss of each slice (left scale) and the
// validation accuracy after each epoch (right scale, 0-100%), against the
// training step, with a legend. A single accuracy point shows as a dot.
class Chart {
  static W = 640;
  static H = 240;
  static PAD = { left: 56, right: 56, top: 40, bottom: 36 };

  constructor(svg) {
    this.svg = svg;
    this.loss = [];
    this.accuracy = [];
    this.total = 1;
  }

  start(total) {
    Object.assign(this, { total, loss: [], accuracy: [] });
    this.draw();
  }

  add(p) {
    if (p.loss != null) this.loss.push([p.step, p.loss]);
    if (p.val_accuracy != null) this.accuracy.push([p.step, p.val_accuracy]);   // Python's None is undefined here
    this.draw();
  }

  draw() {
    const { W, H, PAD } = Chart;
    const top = Math.max(1e-6, ...this.loss.map(([, l]) => l));
    const x = (step) => PAD.left + (W - PAD.left - PAD.right) * step / this.total;
    const y = (fraction) => H - PAD.bottom - (H - PAD.top - PAD.bottom) * fraction;
    const path = (points, scale) => points.map(([s, v]) => `${x(s).toFixed(1)},${y(scale(v)).toFixed(1)}`).join(' ');
    const dots = (points, scale, cls) => points.length === 1
      ? `<circle class="${cls}" data-testid="chart-${cls}-dot" cx="${x(points[0][0])}" cy="${y(scale(points[0][1]))}" r="4"/>` : '';
    const text = (tx, ty, anchor, s, extra = '') => `<text x="${tx}" y="${ty}" text-anchor="${anchor}" ${extra}>${s}</text>`;
    this.svg.innerHTML = [
      `<rect class="frame" x="${PAD.left}" y="${PAD.top}" width="${W - PAD.left - PAD.right}" height="${H - PAD.top - PAD.bottom}"/>`,
      // Legend, above the frame.
      `<g data-testid="chart-legend"><line class="loss" x1="${PAD.left}" y1="18" x2="${PAD.left + 24}" y2="18" stroke-width="3"/>`,
      text(PAD.left + 30, 22, 'start', 'loss (left scale)'),
      `<line class="acc" x1="${PAD.left + 190}" y1="18" x2="${PAD.left + 214}" y2="18" stroke-width="3"/>`,
      text(PAD.left + 220, 22, 'start', 'validation accuracy (right scale)') + '</g>',
      // Scales, outside the frame.
      text(PAD.left - 6, PAD.top + 4, 'end', top.toFixed(2), 'data-testid="chart-loss-max"'),
      text(PAD.left - 6, H - PAD.bottom + 4, 'end', '0'),
      text(W - PAD.right + 6, PAD.top + 4, 'start', '100%'),
      text(W - PAD.right + 6, H - PAD.bottom + 4, 'start', '0%'),
      text(PAD.left, H - 10, 'start', 'step 0'),
      text(W - PAD.right, H - 10, 'end', `step ${this.total}`),
      `<polyline class="loss" data-testid="chart-loss" points="${path(this.loss, (l) => l / top)}"/>`,
      `<polyline class="acc" data-testid="chart-acc" points="${path(this.accuracy, (a) => a)}"/>`,
      dots(this.loss, (l) => l / top, 'loss'), dots(this.accuracy, (a) => a, 'acc'),
    ].join('');
  }
}
