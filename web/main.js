// The page's wiring, and no DOM of its own: the state modules (the worker,
// networks, samples, settings) to the views (the pad, the answer, the
// network chooser, the panels). Each folder is one role
// (tests/test_web_roles.py checks the first two):
//
//   view/    the DOM, and only it: page, draw, answer, chooser, teach,
//            scratch, inside, pictures, dom. A reader after the network may
//            skip this folder. Views never call Python.
//   state/   no DOM: what the person drew (drawing), the networks, the
//            samples, the browser's storage (store), training runs,
//            the newest-request scheduler, text formats, the image size,
//            fetching the page's files, what "See inside" asks (inside).
//            Only these modules call Python.
//   worker/  the wire to Python: python.js (one function per entry point of
//            py/page/app.py), recognizer.js (this side of the Web Worker),
//            worker.js (the worker: Pyodide, NumPy and our package).
//   here     index.html; guard.js (says why the page cannot start, even
//            when modules cannot run); prefetch.js (the first visit's
//            downloads, in order); this file; sw.js (the service worker:
//            the page offline).

import { clearAnswer, pressedDigit, setupAnswer, showDigit, showKept, showNumber, showSampleOf } from './view/answer.js';
import { showNetworks, showRestored } from './view/chooser.js';
import { DrawingPad } from './view/draw.js';
import { Drawing } from './state/drawing.js';
import { fetchAsset, fetchBuild } from './state/files.js';
import { setupInside } from './view/inside.js';
import { Networks } from './state/networks.js';
import {
  offerUpdate, setupControls, showBusy, showFailure, showMode, showOffline, showReady, showStage,
} from './view/page.js';
import * as python from './worker/python.js';
import { Recognizer } from './worker/recognizer.js';
import { Samples } from './state/samples.js';
import { Newest } from './state/scheduler.js';
import { setupScratch } from './view/scratch.js';
import { loadSettings, saveSettings } from './state/store.js';
import { setupTeach } from './view/teach.js';

start();     // (a page opened from file:// never gets here: index.html says what to do)

function start() {
  const drawing = new Drawing();
  new DrawingPad(drawing);
  const samples = new Samples();
  let networks = null;
  const recognizer = new Recognizer((stage) => {
    performance.mark(`stage-${stage}`);                // for the page benchmark
    showStage(stage);
  }, async () => {
    // A new worker replaced one that died: it has the shipped network; give
    // it back the person's, and the answer to the drawing still on the pad.
    await networks.restore();
    showRestored(networks, { problems: ['The recognizer stopped working and was started again. ' +
      'Your drawing, samples and networks are all still here.'], broken: [] });
    answers.changed();
  });
  python.connect((fn, args, network) => recognizer.send(fn, args, network));
  let inside = { refresh() {}, learnOn() {} };     // "see inside", once the recognizer is ready
  // A correction: the drawing kept as a sample (one per drawing: samples.js),
  // and what is kept of the drawing on offer, said next to the buttons, as
  // the samples change (removed, put back, imported) too.
  let offeredImage = null;
  const showSample = async () => {
    const image = offeredImage;
    if (image) showSampleOf(image, await samples.kept(image).catch(() => ({ sample: null, total: 0 })));
  };
  setupAnswer({
    onCorrect: async (image, label) => {
      try {
        showKept(image, await samples.keep(image, label));
        inside.learnOn(label);      // what one step of learning on it would change
      } catch (e) {
        showKept(image, { error: e.message });
      }
    },
    onOffer: (image) => {
      offeredImage = image;
      showSample();
      inside.refresh();             // in number mode, "see inside" shows the digit pressed
    },
  });
  samples.addEventListener('change', showSample);
  let shownNumber = null;           // in number mode, the number on screen (its digits' strokes)
  const answers = answering(drawing, () => networks, (result) => {
    shownNumber = result.mode === 'number' ? result : null;
    inside.refresh();
  });
  setupControls({
    onUndo: () => drawing.undo(),
    onClear: () => drawing.clear(),
    onMode: (mode) => drawing.switchTo(mode),
  });
  // The mode: as the person left it last time, then as they switch it (or undo a switch).
  drawing.mode = loadSettings().mode;
  let shownMode = null;
  const followMode = () => {
    if (drawing.mode === shownMode) return;
    shownMode = drawing.mode;
    showMode(shownMode);
    clearAnswer();
    saveSettings({ mode: shownMode });
  };
  drawing.addEventListener('change', followMode);
  followMode();

  let replayLoaded = null;
  const replay = () => (replayLoaded ??= fetchBuild().then((build) => fetchAsset(build.replay))
    .then((bytes) => python.loadReplay(bytes))
    .catch((e) => { replayLoaded = null; throw e; }));

  recognizer.ready.then(async ({ shipped }) => {
    networks = new Networks(shipped);
    showNetworks(networks);
    networks.addEventListener('change', ({ detail: { what } }) => { if (what === 'chosen') answers.changed(); });
    showRestored(networks, await networks.restore());
    showReady();
    performance.mark('ready');
    // What the panels (teach, scratch, inside) may use.
    const app = { networks, samples, replay, changed: () => answers.changed(), drawing: () => read(drawing, shownNumber) };
    inside = setupInside(app);
    setupScratch(app);
    answers.enable();
    await setupTeach(app);
    keepOffline();
  }, (e) => showFailure(e.message));
}

// What the network read as one digit, for "see inside": {points, ends,
// digit}. In number mode, one digit of the number on screen (`number`): the
// one pressed, or the first, and digit: {index, of} (how many there are).
function read(drawing, number) {
  const digits = drawing.mode === 'number' ? number?.digits ?? [] : [];
  const index = Math.max(0, pressedDigit());
  // Strokes drawn since, or undone, since the number was read: it is read again.
  const strokes = digits[index]?.strokes.filter((k) => k < drawing.strokes.length);
  if (!strokes?.length) return { ...drawing.toArrays(), digit: null };
  return { ...drawing.toArrays(strokes), digit: { index, of: digits.length } };
}

// The answer to the drawing as it is now, by the chosen network, whenever it
// changes (only the newest: scheduler.js), and the timings the page
// benchmark reads. Returns {changed(), enable()}.
function answering(drawing, networks, onShown) {
  let strokeEndedAt = null;
  const newest = new Newest({
    ask: async () => {
      const { mode } = drawing, { points, ends } = drawing.toArrays();
      const read = mode === 'number' ? python.predictNumber : python.predict;
      return { ...await read(networks().chosen, points, ends, 1), mode };
    },
    show: (result) => {
      performance.measure('worker-predict', { start: performance.now() - result.ms, duration: result.ms });
      if (!performance.getEntriesByName('first-answer').length && (result.best ?? result.text)) {
        performance.mark('first-answer');
      }
      const who = networks().who(networks().chosen);
      if (result.mode === 'number') showNumber(result, who);
      else showDigit(result, who);
      onShown(result);
    },
    settled: (caughtUp, error) => {
      if (error && !error.restarting) showFailure(`Recognition failed: ${error.message}`);
      if (caughtUp && strokeEndedAt !== null) {
        performance.measure('stroke-end-to-result', { start: strokeEndedAt });
        strokeEndedAt = null;
      }
      showBusy(!caughtUp);   // tests wait for "false"
    },
  });
  const answers = {
    changed() {
      showBusy(true);
      newest.changed();
    },
    enable: () => newest.enable(),
  };
  drawing.addEventListener('change', ({ detail }) => {
    if (detail.action === 'strokeend') strokeEndedAt = performance.now();
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
    const offer = () => offerUpdate(Boolean(registration.waiting && navigator.serviceWorker.controller), () => {
      switching = true;
      registration.waiting?.postMessage('take-over');
    });
    offer();
    registration.addEventListener('updatefound', () => registration.installing?.addEventListener('statechange', offer));
    navigator.serviceWorker.addEventListener('controllerchange', () => { if (switching) location.reload(); });
    await navigator.serviceWorker.ready;
    showOffline();
  } catch (e) {
    console.warn('This page will not work offline:', e);     // the page itself works as it is
  }
}
