// The page: wires the drawing pad to the recognizer and shows what it says.

import { DrawingPad } from './draw.js';
import { Recognizer } from './recognizer.js';

const $ = (id) => document.getElementById(id);
const body = document.body;
const pct = (p, digits = 1) => `${(100 * p).toFixed(digits)}%`;

function fail(message) {
  body.dataset.state = 'error';
  $('error').textContent = message;
  $('error').hidden = false;
  $('verdict').textContent = 'The recognizer is not available.';
}

function markStage(name) {
  let reached = false;
  for (const li of $('stages').children) {
    const current = li.dataset.stage === name;
    li.classList.toggle('active', current);
    li.classList.toggle('done', !current && !reached);
    reached ||= current;
  }
}

// --- showing results -----------------------------------------------------------

const bars = Array.from({ length: 10 }, (_, d) => {
  const row = document.createElement('div');
  row.className = 'bar';
  row.innerHTML = `<span>${d}</span><span class="track"><span class="fill"></span></span><span class="pct"></span>`;
  $('bars').append(row);
  return row;
});

// Paint a 784-value image (or black for none) into a 28×28 canvas.
function paint(canvas, image) {
  const ctx = canvas.getContext('2d');
  const pixels = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = image ? Math.round(255 * image[i]) : 0;
    pixels.data.set([v, v, v, 255], 4 * i);
  }
  ctx.putImageData(pixels, 0, 0);
}

function say(verdict, model, ms) {
  $('verdict').textContent = verdict;
  $('announce').textContent = model ? verdict : '';
  $('model').textContent = model ? `Answered by the ${model.toUpperCase()} in ${ms.toFixed(0)} ms.` : '';
}

// One digit. `model` names the network that answered (none for a blank pad).
function showDigit(result, model = null) {
  const { digit, best, probs, image, sure } = result;
  $('prediction').textContent = digit ?? '';
  let verdict;
  if (best === null) verdict = 'Draw a digit in the box.';
  else if (sure) verdict = `It's a ${digit} (${pct(probs[best])} sure).`;
  else verdict = `Not sure: maybe a ${best} (${pct(probs[best], 0)}). Try drawing it larger or more clearly.`;
  say(verdict, model, result.ms);
  bars.forEach((row, d) => {
    row.querySelector('.fill').style.width = pct(probs[d]);
    row.querySelector('.pct').textContent = best === null ? '' : pct(probs[d]);
    row.classList.toggle('top', d === best);
  });
  $('bars').setAttribute('aria-label', best === null ? 'No drawing yet' :
    'Probabilities: ' + probs.map((p, d) => `${d}: ${pct(p, 0)}`).join(', '));
  paint($('seen'), image);
}

// A number: the digits read left to right, each with its input and confidence.
function showNumber(result, model = null) {
  const { text, digits } = result;
  $('number').textContent = text;
  $('digits').replaceChildren(...digits.map((d) => {
    const li = document.createElement('li');
    const canvas = Object.assign(document.createElement('canvas'), { width: 28, height: 28 });
    paint(canvas, d.image);
    const label = document.createElement('span');
    label.textContent = `${d.sure ? d.digit : '?'} · ${pct(d.probs[d.best], 0)}`;
    label.className = d.sure ? '' : 'unsure';
    li.append(canvas, label);
    return li;
  }));
  const unsure = digits.filter((d) => !d.sure).length;
  let verdict;
  if (!digits.length) verdict = 'Write a number, digits side by side.';
  else if (!unsure) verdict = `It reads ${text}.`;
  else verdict = `It reads ${text}: not sure of ${unsure} digit${unsure > 1 ? 's' : ''} (marked ?).`;
  say(verdict, model, result.ms);
}

const BLANK = {
  predict: { digit: null, best: null, probs: new Array(10).fill(0), image: null, sure: false },
  number: { text: '', digits: [] },
};
const SHOW = { predict: showDigit, number: showNumber };

// Radio buttons, one per shipped network; `choose(name)` switches.
function showModels(models, choose) {
  for (const [i, m] of models.entries()) {
    const label = document.createElement('label');
    label.innerHTML = `<input type="radio" name="model" value="${m.name}" data-testid="model-${m.name}"` +
      `${i === 0 ? ' checked' : ''}> ${m.kind.toUpperCase()} <small>(${m.parameters.toLocaleString()} weights, ` +
      `${pct(m.val_accuracy)} on validation digits)</small>`;
    label.firstChild.addEventListener('change', () => choose(m.name));
    $('models').append(label);
  }
  $('models').hidden = false;
}

// --- start ----------------------------------------------------------------------

if (location.protocol === 'file:') {
  fail('This page was opened as a file, and browsers do not run WebAssembly from file:// pages.\n' +
       'In the project folder run:  ./build.sh\nthen open the address it prints (http://127.0.0.1:8000/).');
} else {
  start();
}

function start() {
  const pad = new DrawingPad($('canvas'));
  const recognizer = new Recognizer(markStage);
  let model = null;
  let kind = 'predict';          // or 'number'

  // Only the newest drawing matters: one request in flight, and a result that
  // belongs to an older drawing is dropped (then the newest is sent).
  let version = 0, shown = 0, busy = false, strokeEndedAt = null;
  async function recognize() {
    if (busy || model === null) return;
    busy = true;
    try {
      while (shown !== version) {
        const asked = version;
        if (pad.isEmpty) {
          SHOW[kind](BLANK[kind]);
        } else {
          const { points, ends } = pad.toArrays();
          const result = await recognizer.ask(kind, model, points, ends, 1);
          performance.measure('worker-predict', { start: performance.now() - result.ms, duration: result.ms });
          if (asked !== version) continue;
          SHOW[kind](result, model);
        }
        shown = asked;
        if (strokeEndedAt !== null) {
          performance.measure('stroke-end-to-result', { start: strokeEndedAt });
          strokeEndedAt = null;
        }
      }
    } catch (e) {
      fail(`Recognition failed: ${e.message}`);
    } finally {
      busy = false;
      body.dataset.busy = String(shown !== version);   // tests wait for "false"
    }
  }
  function changed() {
    version++;
    body.dataset.busy = 'true';
    recognize();
  }

  pad.addEventListener('change', ({ detail }) => {
    if (detail.kind === 'strokeend') strokeEndedAt = performance.now();
    changed();
  });
  $('clear').addEventListener('click', () => pad.clear());
  $('undo').addEventListener('click', () => pad.undo());
  document.addEventListener('keydown', (e) => {
    if (e.target.closest('textarea, select, input:not([type=radio])')) return;   // typing, not drawing
    if (e.key === 'Escape' || e.key === 'Delete') { pad.clear(); e.preventDefault(); }
    else if (e.key.toLowerCase() === 'z' && !e.altKey && !e.shiftKey) { pad.undo(); e.preventDefault(); }
  });
  for (const radio of document.querySelectorAll('input[name=mode]')) {
    radio.addEventListener('change', () => {
      kind = radio.value === 'number' ? 'number' : 'predict';
      body.classList.toggle('number-mode', kind === 'number');
      $('pad').classList.toggle('number', kind === 'number');
      $('prediction').textContent = '';
      $('number').textContent = '';
      pad.clear();
    });
  }

  recognizer.ready.then(({ models }) => {
    showModels(models, (name) => { model = name; changed(); });
    model = models[0].name;
    markStage(null);
    body.dataset.state = 'ready';
    $('verdict').textContent = 'Draw a digit in the box.';
    changed();
  }, (e) => fail(e.message));
}
