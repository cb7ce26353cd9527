// The page around the panels (view): loading progress on the pad, what went
// wrong when the recognizer cannot start, a newer build on offer, and the
// pad's own controls (one digit or a number, undo, clear, and their keys).
// body's data-state (loading, ready, error) and data-busy (whether an
// answer is on its way) say where the page is; tests wait on them.

import { $ } from './dom.js';

const body = document.body;
const STAGES = { runtime: 'Starting Python (Pyodide)', numpy: 'Loading NumPy', model: 'Loading the network' };

// Loading progress, on the pad: which stage, and how far along.
export function showStage(name) {
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

export function showReady() {
  body.dataset.state = 'ready';
}

// The recognizer cannot start: guard.js's cannotStart, which says so when
// the page's modules cannot even run.
export function showFailure(message) {
  window.cannotStart(message);
}

// This build is stored: it works offline now.
export function showOffline() {
  body.dataset.offline = 'ready';
}

export function showBusy(busy) {
  body.dataset.busy = String(busy);
}

// Shows or hides the offer of a newer build; onReload when it is taken.
export function offerUpdate(shown, onReload) {
  $('update').hidden = !shown;
  $('update-reload').onclick = onReload;
}

// Undo, clear (buttons and keys) and the switch between one digit and a
// number: onUndo(), onClear(), onMode('digit' | 'number').
export function setupControls({ onUndo, onClear, onMode }) {
  $('clear').addEventListener('click', onClear);
  $('undo').addEventListener('click', onUndo);
  document.addEventListener('keydown', (e) => {
    if (e.target.closest('textarea, select, input:not([type=radio])')) return;   // typing, not drawing
    if (e.key === 'Escape' || e.key === 'Delete') { onClear(); e.preventDefault(); }
    else if (e.key.toLowerCase() === 'z' && !e.altKey && !e.shiftKey) { onUndo(); e.preventDefault(); }
  });
  for (const radio of document.querySelectorAll('input[name=mode]')) {
    radio.addEventListener('change', () => onMode(radio.value));
  }
}

// The page laid out for one digit or for a number.
export function showMode(mode) {
  document.querySelector(`input[name=mode][value=${mode}]`).checked = true;
  body.classList.toggle('number-mode', mode === 'number');
}
