// The page: wires the drawing pad to the recognizer and shows what it says.

import { DrawingPad } from './draw.js';
import { Recognizer } from './recognizer.js';

const $ = (id) => document.getElementById(id);
const body = document.body;

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

// --- the result: digit, verdict, probability bars, the 28×28 input ---------

const bars = Array.from({ length: 10 }, (_, d) => {
  const row = document.createElement('div');
  row.className = 'bar';
  row.innerHTML = `<span>${d}</span><span class="track"><span class="fill"></span></span><span class="pct"></span>`;
  $('bars').append(row);
  return row;
});
const seen = $('seen').getContext('2d');

function show(result) {
  const { digit, best, probs, image, sure } = result;
  $('prediction').textContent = digit ?? '';
  let verdict;
  if (best === null) verdict = 'Draw a digit in the box.';
  else if (sure) verdict = `It's a ${digit} (${(100 * probs[best]).toFixed(1)}% sure).`;
  else verdict = `Not sure: maybe a ${best} (${(100 * probs[best]).toFixed(0)}%). Try drawing it larger or more clearly.`;
  $('verdict').textContent = verdict;
  $('announce').textContent = best === null ? '' : verdict;
  bars.forEach((row, d) => {
    row.querySelector('.fill').style.width = `${100 * probs[d]}%`;
    row.querySelector('.pct').textContent = best === null ? '' : `${(100 * probs[d]).toFixed(1)}%`;
    row.classList.toggle('top', d === best);
  });
  $('bars').setAttribute('aria-label', best === null ? 'No drawing yet' :
    'Probabilities: ' + probs.map((p, d) => `${d}: ${(100 * p).toFixed(0)}%`).join(', '));
  const pixels = seen.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const v = image ? Math.round(255 * image[i]) : 0;
    pixels.data.set([v, v, v, 255], 4 * i);
  }
  seen.putImageData(pixels, 0, 0);
}

const EMPTY = { digit: null, best: null, probs: new Array(10).fill(0), image: null, sure: false };

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
          show(EMPTY);
        } else {
          const { points, ends } = pad.toArrays();
          const result = await recognizer.predict(model, points, ends, 1);
          if (asked !== version) continue;
          show(result);
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
    }
  }

  pad.addEventListener('change', ({ detail }) => {
    version++;
    if (detail.kind === 'strokeend') strokeEndedAt = performance.now();
    recognize();
  });
  $('clear').addEventListener('click', () => pad.clear());
  $('undo').addEventListener('click', () => pad.undo());
  document.addEventListener('keydown', (e) => {
    if (e.target.closest('input, textarea, select')) return;
    if (e.key === 'Escape' || e.key === 'Delete') { pad.clear(); e.preventDefault(); }
    else if (e.key.toLowerCase() === 'z' && !e.altKey && !e.shiftKey) { pad.undo(); e.preventDefault(); }
  });

  recognizer.ready.then(({ models }) => {
    model = models[0].name;
    const m = models[0];
    $('model').textContent = `Model: ${m.kind.toUpperCase()} ${m.layers.join('-')}, ` +
      `${m.parameters.toLocaleString()} parameters, ${(100 * m.val_accuracy).toFixed(2)}% on validation digits.`;
    markStage(null);
    body.dataset.state = 'ready';
    $('verdict').textContent = 'Draw a digit in the box.';
    recognize();
  }, (e) => fail(e.message));
}
