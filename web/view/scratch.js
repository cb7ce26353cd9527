// The "Train a network from scratch" panel (view): a new network trained in
// the page on the replay set of MNIST digits, with a live chart of its loss
// and accuracy; pause, resume, stop. The result joins the networks under a
// name of its own ("Yours", "Yours 2"...) and is kept in this browser; it
// answers drawings only once the person chooses it. `app` as in teach.js.

import { accuracy } from './chooser.js';
import { $, say } from './dom.js';
import { grid, signed } from './pictures.js';
import { floats } from '../state/inside.js';
import { networkName, pct } from '../state/format.js';
import { PIXELS, SIDE } from '../state/image.js';
import { startScratch, stopTraining, train, TrainingControl } from '../state/training.js';

// What the layers field holds for each kind of network, and what it means.
const LAYERS = {
  mlp: { value: `${PIXELS},64,10`,
         hint: `MLP layers: sizes from ${PIXELS} (the pixels) to 10 (the digits), e.g. ${PIXELS},64,10.` },
  cnn: { value: '8,16,64', hint: 'CNN layers: the channels of its two convolutions, then its hidden units, e.g. 8,16,64.' },
};

export function setupScratch(app) {
  let control = new TrainingControl();
  const chart = new Chart($('chart'));
  followKind();
  const offer = new Offer(app.networks);

  $('scratch-start').addEventListener('click', async () => {
    const form = Object.fromEntries(new FormData($('scratch-form')));
    const config = { kind: form.kind, layers: form.layers, lr: Number(form.lr),
                     batch_size: Number(form.batch_size), epochs: Number(form.epochs) };
    const name = app.networks.newName();
    control = new TrainingControl();
    setRunning(true);
    offer.withdraw();
    $('scratch-first-figure').hidden = true;
    say('scratch-status', `Starting ${networkName({ name })}…`);     // not the last run's words meanwhile
    try {
      await app.replay();
      const { total } = await startScratch(name, config);
      chart.start(total);
      const done = await train((p) => {
        chart.add(p);
        showFirst(p);
        say('scratch-status', `Epoch ${p.epoch} of ${config.epochs}, step ${p.step} of ${p.total}: ` +
          `loss ${p.loss.toFixed(3)}, training accuracy ${pct(p.accuracy)}` +
          (chart.accuracy.length ? `, validation ${pct(chart.accuracy.at(-1)[1])}` : '') +
          (control.paused ? ' (paused)' : ''));
      }, control);
      const result = done ? done.result : await stopTraining();
      if (result) {
        await app.networks.keep(result.model);
        offer.make(result.model, done ? 'Done' : 'Stopped');
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

  // The focus never stays on a button that becomes disabled: Start hands it
  // to Pause, and Pause or Stop to the offer of the result, or to Start.
  function setRunning(running) {
    const focused = document.activeElement;
    $('scratch-start').disabled = running;
    $('scratch-pause').disabled = $('scratch-stop').disabled = !running;
    $('scratch-pause').textContent = 'Pause';
    if (focused?.disabled) ($('scratch-use-row').hidden ? $(running ? 'scratch-pause' : 'scratch-start') : $('scratch-use')).focus();
  }
}

// What the first layer has learned so far, redrawn after every slice of steps.
function showFirst({ first, first_size: size, step, total }) {
  const values = floats(first), n = values.length / (size * size);
  grid($('scratch-first'), Array.from({ length: n }, (_, k) => values.subarray(k * size * size, (k + 1) * size * size)),
       size, 8, (v) => signed(v));
  $('scratch-first-caption').textContent = (size === SIDE
    ? `The weights of ${n} of its first layer's units, as ${SIDE}×${SIDE} pictures`
    : `Its first convolution's ${n} filters, ${size}×${size}`) +
    ` (red +, blue −), after step ${step} of ${total}: random at first, they change as it learns.`;
  $('scratch-first-figure').hidden = false;
}

// The layers field follows the kind of network: its usual value (or what
// the person typed for that kind before), and what it means, in words.
function followKind() {
  const kind = $('scratch-form').elements.kind, layers = $('scratch-form').elements.layers;
  const typed = { mlp: layers.value, cnn: LAYERS.cnn.value };
  let shown = kind.value;
  const show = () => {
    typed[shown] = layers.value;
    shown = kind.value;
    layers.value = typed[shown];
    say('layers-hint', LAYERS[shown].hint);
  };
  kind.addEventListener('change', show);
  show();
}

// A trained network is listed and kept, but the one answering stays until
// the person chooses: its accuracy beside the current one's, and a button
// to use it, then to go back. What it says follows the networks (one
// chosen in the list, removed, put back), so that it is never out of date.
class Offer {
  constructor(networks) {
    this.networks = networks;
    this.m = null;             // the network offered, and how its run ended ('Done', 'Stopped')
    this.how = '';
    this.before = null;        // the name of the network that answered before it, to go back to
    networks.addEventListener('change', ({ detail: { what, name } }) => {
      if (what === 'chosen' && name !== this.m?.name) this.before = name;
      this.show();
    });
    $('scratch-use').addEventListener('click', () => {
      networks.choose(networks.chosen === this.m.name ? this.before : this.m.name);
    });
  }

  make(m, how) {
    Object.assign(this, { m, how, before: this.networks.chosen });
    this.show();
  }

  withdraw() {
    this.m = null;
    $('scratch-use-row').hidden = true;
  }

  show() {
    const { networks, m } = this;
    if (!m) return;
    const name = networkName(m), use = $('scratch-use'), before = networks.all.get(this.before);
    let button = true;                   // whether there is a network to switch to
    if (!networks.all.has(m.name)) {
      say('scratch-status', `${name} was removed from the list of networks.`);
      button = false;
    } else if (networks.chosen === m.name) {
      say('scratch-status', `${name} answers your drawings now.`);
      button = Boolean(before);
      if (button) use.textContent = `Use ${networkName(before)} again`;
    } else {
      const current = networks.all.get(networks.chosen);
      say('scratch-status', `${this.how}: ${name} reads ${pct(m.val_accuracy)} of the validation digits. ` +
        `${networkName(current)}, which answers your drawings now: ${accuracy(current)}. ` +
        `${name} is kept in this browser and in the list of networks.`);
      use.textContent = `Use ${name}`;
    }
    if (!button && use === document.activeElement) $('scratch-start').focus();
    $('scratch-use-row').hidden = !button;
  }
}

// The live chart, an SVG: the loss of each slice (left scale) and the
// validation accuracy after each epoch (right scale, 0-100%), against the
// training step, with a legend. A single accuracy point shows as a dot. It
// is drawn in CSS pixels at the width it has on screen, so its text keeps
// its size on a phone; a narrow chart puts its legend on two lines.
class Chart {
  static H = 240;
  static NARROW = 520;

  constructor(svg) {
    this.svg = svg;
    this.loss = [];
    this.accuracy = [];
    this.total = 1;
    this.width = 0;
    new ResizeObserver(() => {
      if (Math.round(svg.clientWidth) !== this.width && svg.clientWidth) this.draw();
    }).observe(svg);
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
    const W = this.width = Math.round(this.svg.clientWidth) || 640, { H } = Chart, narrow = W < Chart.NARROW;
    const PAD = { left: 56, right: 56, top: narrow ? 58 : 40, bottom: 36 };
    const top = Math.max(1e-6, ...this.loss.map(([, l]) => l));
    const x = (step) => PAD.left + (W - PAD.left - PAD.right) * step / this.total;
    const y = (fraction) => H - PAD.bottom - (H - PAD.top - PAD.bottom) * fraction;
    const path = (points, scale) => points.map(([s, v]) => `${x(s).toFixed(1)},${y(scale(v)).toFixed(1)}`).join(' ');
    const dots = (points, scale, cls) => points.length === 1
      ? `<circle class="${cls}" data-testid="chart-${cls}-dot" cx="${x(points[0][0])}" cy="${y(scale(points[0][1]))}" r="4"/>` : '';
    const text = (tx, ty, anchor, s, extra = '') => `<text x="${tx}" y="${ty}" text-anchor="${anchor}" ${extra}>${s}</text>`;
    const legend = (cls, at, ly, words) => `<line class="${cls}" x1="${at}" y1="${ly}" x2="${at + 24}" y2="${ly}" ` +
      `stroke-width="3"/>` + text(at + 30, ly + 4, 'start', words);
    this.svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    this.svg.innerHTML = [
      `<rect class="frame" x="${PAD.left}" y="${PAD.top}" width="${W - PAD.left - PAD.right}" height="${H - PAD.top - PAD.bottom}"/>`,
      // Legend, above the frame.
      `<g data-testid="chart-legend">${legend('loss', PAD.left, 18, 'loss (left scale)')}`,
      legend('acc', narrow ? PAD.left : PAD.left + 190, narrow ? 38 : 18, 'validation accuracy (right scale)') + '</g>',
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
