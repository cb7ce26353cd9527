// The page: wires the drawing pad, the keyboard and the mode switch to the
// recognizer, and starts the panels below (teach, train, see inside).

import { offerModel, showDigit, showNumber } from './answer.js';
import { $ } from './dom.js';
import { DrawingPad } from './draw.js';
import { fetchBytes } from './files.js';
import { setupInside } from './inside.js';
import { Recognizer } from './recognizer.js';
import { Newest } from './scheduler.js';
import { setupScratch } from './scratch.js';
import { setupTeach } from './teach.js';

const body = document.body;
const SHOW = { predict: showDigit, predict_number: showNumber };

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

start();     // (a page opened from file:// never gets here: index.html says what to do)

function start() {
  const pad = new DrawingPad($('canvas'));
  const recognizer = new Recognizer(markStage);
  let model = null;              // the chosen network's name
  let kind = 'predict';          // or 'predict_number'
  let lastImage = null;          // the 28×28 input of the digit shown, for corrections
  let refreshInside = () => {};
  let strokeEndedAt = null;

  const answers = new Newest({
    ask: () => {
      const { points, ends } = pad.toArrays();
      return recognizer.recognize(kind, model, points, ends);
    },
    show: (result) => {
      performance.measure('worker-predict', { start: performance.now() - result.ms, duration: result.ms });
      SHOW[kind](result, model);
      lastImage = kind === 'predict' ? result.image : null;
      refreshInside();
    },
    settled: (caughtUp, error) => {
      if (error) fail(`Recognition failed: ${error.message}`);
      if (caughtUp && strokeEndedAt !== null) {
        performance.measure('stroke-end-to-result', { start: strokeEndedAt });
        strokeEndedAt = null;
      }
      body.dataset.busy = String(!caughtUp);   // tests wait for "false"
    },
  });
  const changed = () => {
    body.dataset.busy = 'true';
    answers.changed();
  };

  pad.addEventListener('change', ({ detail }) => {
    if (detail.kind === 'strokeend') strokeEndedAt = performance.now();
    changed();
  });
  wireControls(pad, (number) => {
    kind = number ? 'predict_number' : 'predict';
    pad.clear();
  });

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
    answers.enable();
    await setupTeach(app, models.map((m) => m.name));
  }, (e) => fail(e.message));
}

// Undo, clear (buttons and keys) and the switch between one digit and a
// number; onMode(number) is told which mode was chosen.
function wireControls(pad, onMode) {
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
      body.classList.toggle('number-mode', number);
      $('pad').classList.toggle('number', number);
      $('prediction').textContent = '';
      $('number').textContent = '';
      onMode(number);
    });
  }
}
