// The page: wires the drawing pad to the recognizer and shows what it says.

import { DrawingPad } from './draw.js';
import { pct } from './format.js';
import { setupInside } from './inside.js';
import { paint } from './pictures.js';
import { fetchBytes, Recognizer } from './recognizer.js';
import { setupScratch } from './scratch.js';
import { setupTeach } from './teach.js';

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

// --- showing results -----------------------------------------------------------

const bars = Array.from({ length: 10 }, (_, d) => {
  const row = document.createElement('div');
  row.className = 'bar';
  row.innerHTML = `<span>${d}</span><span class="track"><span class="fill"></span></span><span class="pct"></span>`;
  $('bars').append(row);
  return row;
});

function say(verdict, model, ms) {
  $('verdict').textContent = verdict;
  $('announce').textContent = model ? verdict : '';
  const who = model === 'yours' ? 'your network' : `the ${model?.toUpperCase()}`;
  $('model').textContent = model ? `Answered by ${who} in ${ms.toFixed(0)} ms.` : '';
}

let lastImage = null;           // the 28×28 input of the digit shown, for corrections

// One digit. `model` names the network that answered (none for a blank pad).
function showDigit(result, model = null) {
  const { digit, best, probs, image, sure } = result;
  lastImage = image;
  $('prediction').textContent = digit ?? '';
  let verdict;
  if (best == null) verdict = 'Draw a digit in the box.';
  else if (sure) verdict = `It's a ${digit} (${pct(probs[best])} sure).`;
  else verdict = `Not sure: maybe a ${best} (${pct(probs[best], 0)}). Try drawing it larger or more clearly.`;
  say(verdict, model, result.ms);
  bars.forEach((row, d) => {
    row.querySelector('.fill').style.width = pct(probs[d]);
    row.querySelector('.pct').textContent = best == null ? '' : pct(probs[d]);
    row.classList.toggle('top', d === best);
  });
  $('bars').setAttribute('aria-label', best == null ? 'No drawing yet' :
    'Probabilities: ' + probs.map((p, d) => `${d}: ${pct(p, 0)}`).join(', '));
  paint($('seen'), image);
  $('correct').hidden = best == null;
}

// A number: the digits read left to right, each with its input and confidence.
function showNumber(result, model = null) {
  const { text, digits } = result;
  lastImage = null;
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
  predict_number: { text: '', digits: [] },
};
const SHOW = { predict: showDigit, predict_number: showNumber };

// A radio button per network; the label says what it is and whether it has
// learned this person's handwriting. Called again when a model changes.
function offerModel(m, checked, choose) {
  let input = document.querySelector(`input[name=model][value="${m.name}"]`);
  if (!input) {
    const label = document.createElement('label');
    input = Object.assign(document.createElement('input'), { type: 'radio', name: 'model', value: m.name });
    input.dataset.testid = `model-${m.name}`;
    input.addEventListener('change', () => choose(m.name));
    label.append(input, document.createElement('span'));
    $('models').append(label);
  }
  input.checked ||= checked;
  const name = m.name === 'yours' ? 'Yours' : m.kind.toUpperCase();
  input.nextSibling.innerHTML = ` ${name} <small>(${m.layers.join('-')}, ${m.parameters.toLocaleString()} weights, ` +
    `${pct(m.val_accuracy)} on validation digits${m.personal ? ', knows your handwriting' : ''})</small>`;
  $('models').hidden = false;
}

// --- start ----------------------------------------------------------------------

start();     // (a page opened from file:// never gets here: index.html says what to do)

function start() {
  const pad = new DrawingPad($('canvas'));
  const recognizer = new Recognizer(markStage);
  let model = null;
  let kind = 'predict';          // or 'predict_number'
  let refreshInside = () => {};

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
          const result = await recognizer.recognize(kind, model, points, ends);
          performance.measure('worker-predict', { start: performance.now() - result.ms, duration: result.ms });
          if (asked !== version) continue;
          SHOW[kind](result, model);
          refreshInside();
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
      const number = radio.value === 'number';
      kind = number ? 'predict_number' : 'predict';
      body.classList.toggle('number-mode', number);
      $('pad').classList.toggle('number', number);
      $('prediction').textContent = '';
      $('number').textContent = '';
      pad.clear();
    });
  }

  // What the panels below (teach, scratch, inside) may use.
  let replayLoaded = null;
  const choose = (name) => { model = name; changed(); };
  const app = {
    call: (fn, ...args) => recognizer.call(fn, ...args),
    train: (onProgress, control) => recognizer.train(onProgress, control),
    get model() { return model; },
    get image() { return lastImage; },
    drawing: () => pad.toArrays(),
    replay: () => (replayLoaded ??= fetchBytes('replay.npz')
      .then((bytes) => recognizer.call('load_replay', bytes))
      .catch((e) => { replayLoaded = null; throw e; })),
    updateModel: (m) => { offerModel(m, false, choose); changed(); },
    addModel: (m) => { offerModel(m, true, choose); choose(m.name); },
  };

  recognizer.ready.then(async ({ models }) => {
    models.forEach((m, i) => offerModel(m, i === 0, choose));
    model = models[0].name;
    markStage(null);
    body.dataset.state = 'ready';
    $('verdict').textContent = 'Draw a digit in the box.';
    refreshInside = setupInside(app);
    setupScratch(app);
    changed();
    await setupTeach(app, models.map((m) => m.name));
  }, (e) => fail(e.message));
}
