// The page: wires the drawing pad, the keyboard and the mode switch to the
// recognizer, and starts the panels (teach, train, see inside).

import { correctionImage, showDigit, showNumber } from './answer.js';
import { $ } from './dom.js';
import { DrawingPad } from './draw.js';
import { fetchBuild, fetchBytes } from './files.js';
import { setupInside } from './inside.js';
import { Networks } from './networks.js';
import { Recognizer } from './recognizer.js';
import { Newest } from './scheduler.js';
import { setupScratch } from './scratch.js';
import { loadSettings, saveSettings } from './store.js';
import { setupTeach } from './teach.js';

const body = document.body;
const SHOW = { predict: showDigit, predict_number: showNumber };
const STAGES = { runtime: 'Starting Python (Pyodide)', numpy: 'Loading NumPy', model: 'Loading the network' };

function fail(message) {
  body.dataset.state = 'error';
  $('error').textContent = message;
  $('error').hidden = false;
  $('verdict').textContent = 'The recognizer is not available.';
}

// Loading progress, on the pad: which stage, and how far along.
function markStage(name) {
  performance.mark(`stage-${name}`);                // for the page benchmark
  const names = Object.keys(STAGES);
  const at = names.indexOf(name);
  for (const li of $('stages').children) {
    const i = names.indexOf(li.dataset.stage);
    li.classList.toggle('active', i === at);
    li.classList.toggle('done', i < at);
  }
  $('loading-progress').value = at;
  $('loading-text').textContent = `${STAGES[name]}… (${at + 1} of ${names.length}). You can draw already.`;
}

start();     // (a page opened from file:// never gets here: index.html says what to do)

function start() {
  const pad = new DrawingPad($('canvas'));
  const recognizer = new Recognizer(markStage, async () => {
    // A new worker replaced one that died: it has the shipped network; give
    // it back the person's, and the answer to the drawing still on the pad.
    await networks.restore();
    $('models-status').textContent = 'The recognizer stopped working and was started again. ' +
      'Your drawing, samples and networks are all still here.';
    answers.changed();
  });
  const networks = new Networks((fn, ...args) => recognizer.call(fn, ...args), () => answers.changed());
  let refreshInside = () => {};
  const answers = answering(pad, recognizer, networks, () => refreshInside());
  wireControls(pad, (mode) => {
    answers.kind = mode === 'number' ? 'predict_number' : 'predict';
    saveSettings({ mode });
    pad.clear();
  });

  // What the panels (teach, scratch, inside) may use.
  let replayLoaded = null;
  const app = {
    call: (fn, ...args) => recognizer.call(fn, ...args),
    train: (onProgress, control) => recognizer.train(onProgress, control),
    networks,
    get model() { return networks.chosen; },
    get image() { return correctionImage(); },
    drawing: () => pad.toArrays(),
    replay: () => (replayLoaded ??= fetchBuild().then((build) => fetchBytes(build.replay))
      .then((bytes) => recognizer.call('load_replay', bytes))
      .catch((e) => { replayLoaded = null; throw e; })),
    changed: () => answers.changed(),
  };

  recognizer.ready.then(async ({ models, later }) => {
    [...models, ...later].forEach((m) => networks.offer(m));
    await networks.restore();
    body.dataset.state = 'ready';
    performance.mark('ready');
    refreshInside = setupInside(app);
    setupScratch(app);
    answers.enable();
    await setupTeach(app);
    keepOffline();
  }, (e) => fail(e.message));
}

// The answer to the drawing as it is now, by the chosen network, whenever it
// changes (only the newest: scheduler.js), and the timings the page
// benchmark reads. Returns {changed(), enable(), kind}: kind is 'predict'
// (one digit) or 'predict_number'.
function answering(pad, recognizer, networks, onShown) {
  let strokeEndedAt = null;
  const newest = new Newest({
    ask: () => {
      const { points, ends } = pad.toArrays();
      return recognizer.recognize(answers.kind, networks.chosen, points, ends);
    },
    show: (result) => {
      performance.measure('worker-predict', { start: performance.now() - result.ms, duration: result.ms });
      if (!performance.getEntriesByName('first-answer').length && (result.best ?? result.text)) {
        performance.mark('first-answer');
      }
      SHOW[answers.kind](result, networks.who(networks.chosen));
      onShown();
    },
    settled: (caughtUp, error) => {
      if (error && !error.restarting) fail(`Recognition failed: ${error.message}`);
      if (caughtUp && strokeEndedAt !== null) {
        performance.measure('stroke-end-to-result', { start: strokeEndedAt });
        strokeEndedAt = null;
      }
      body.dataset.busy = String(!caughtUp);   // tests wait for "false"
    },
  });
  const answers = {
    kind: 'predict',
    changed() {
      body.dataset.busy = 'true';
      newest.changed();
    },
    enable: () => newest.enable(),
  };
  pad.addEventListener('change', ({ detail }) => {
    if (detail.kind === 'strokeend') strokeEndedAt = performance.now();
    answers.changed();
  });
  return answers;
}

// The service worker (sw.js) keeps this build for offline use; when a newer
// build has been stored, the person is told and chooses when to switch.
// Registered once the page is ready, so it does not slow the first answer.
async function keepOffline() {
  if (!('serviceWorker' in navigator)) return;
  let switching = false;
  try {
    const { version } = await fetchBuild();
    const registration = await navigator.serviceWorker.register(`sw.js?v=${version}`);
    const offer = () => { $('update').hidden = !(registration.waiting && navigator.serviceWorker.controller); };
    offer();
    registration.addEventListener('updatefound', () => registration.installing?.addEventListener('statechange', offer));
    $('update-reload').addEventListener('click', () => {
      switching = true;
      registration.waiting?.postMessage('take-over');
    });
    navigator.serviceWorker.addEventListener('controllerchange', () => { if (switching) location.reload(); });
    await navigator.serviceWorker.ready;
    body.dataset.offline = 'ready';                 // this build is stored: it works offline now
  } catch (e) {
    console.warn('This page will not work offline:', e);     // the page itself works as it is
  }
}

// Undo, clear (buttons and keys) and the switch between one digit and a
// number, restored from the last visit; onMode('digit' | 'number') is told
// which mode was chosen.
function wireControls(pad, onMode) {
  $('clear').addEventListener('click', () => pad.clear());
  $('undo').addEventListener('click', () => pad.undo());
  document.addEventListener('keydown', (e) => {
    if (e.target.closest('textarea, select, input:not([type=radio])')) return;   // typing, not drawing
    if (e.key === 'Escape' || e.key === 'Delete') { pad.clear(); e.preventDefault(); }
    else if (e.key.toLowerCase() === 'z' && !e.altKey && !e.shiftKey) { pad.undo(); e.preventDefault(); }
  });
  const setMode = (mode) => {
    body.classList.toggle('number-mode', mode === 'number');
    $('prediction').textContent = '';
    $('number').textContent = '';
    onMode(mode);
  };
  for (const radio of document.querySelectorAll('input[name=mode]')) {
    radio.addEventListener('change', () => setMode(radio.value));
  }
  const { mode } = loadSettings();
  if (mode === 'number') {
    document.querySelector('input[name=mode][value=number]').checked = true;
    setMode(mode);
  }
}
