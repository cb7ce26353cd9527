// The "Teach it your handwriting" panel (view): the samples as thumbnails
// (samples.js), fine-tuning the chosen network on them, going back to the
// shipped weights, and samples and networks as files in and out.
// `app` (from main.js): networks (networks.js), samples (samples.js),
// replay() (loads the MNIST replay set once), changed() (the answer is out
// of date).

import { $, say } from './dom.js';
import { keptAs, networkName, NOT_A_DIGIT, pct, sentence } from '../state/format.js';
import { imageCanvas, paint } from './pictures.js';
import { startFinetune, train } from '../state/training.js';

const SHOWN = 100;                 // thumbnails of samples on screen at most

export async function setupTeach(app) {
  $('finetune').addEventListener('click', () => learn(app));
  $('reset-model').addEventListener('click', () => reset(app));
  $('export').addEventListener('click', () => exportNetwork(app));
  $('import').addEventListener('change', (e) => importNetwork(app, e));
  $('export-samples').addEventListener('click', () => exportSamples(app.samples));
  $('import-samples').addEventListener('change', (e) => importSamples(app.samples, e));
  $('samples-undo').addEventListener('click', () => undoRemove(app.samples));
  app.samples.addEventListener('change', ({ detail }) => {
    showSamples(app.samples);
    showRemoved(app.samples, detail);
  });
  $('teach').hidden = false;
  await showSamples(app.samples);
}

// A sample's caption under its picture.
const caption = (label) => (label === NOT_A_DIGIT ? 'not a digit' : String(label));
const theSample = (sample) => `the sample kept ${keptAs(sample.label)}`;

// What Remove or Undo did last ({what: 'removed' | 'put back', sample}: a
// change of samples.js), while it is still what happened last.
let lastDone = null;

// What Remove and Undo did, and what Undo puts back now (every removed
// sample comes back, the last removed first), said beside the Undo button
// after every change of the samples (`change`: its detail), and only
// while it holds: a removed sample that came back some other way (an
// import, a correction) is no longer offered or said to be removed.
function showRemoved(samples, change) {
  const { next, count } = samples.removed;
  if (change.what === 'removed' || change.what === 'put back') lastDone = change;
  else if (!(lastDone?.what === 'removed' && lastDone.sample === next)) lastDone = null;
  const saidNext = lastDone?.what === 'removed' && lastDone.sample === next;
  const words = [];
  if (lastDone?.what === 'removed') words.push(lastDone.sample.image ? `Removed ${theSample(lastDone.sample)}.` : 'Removed a damaged sample.');
  if (lastDone?.what === 'put back') words.push(`Put back ${theSample(lastDone.sample)}.`);
  if (next && !saidNext) words.push(`Undo puts back ${theSample(next)}.`);
  say('samples-said', words.join(' '));
  const undo = $('samples-undo');
  undo.hidden = !next;
  undo.textContent = count > 1 ? `Undo (${count})` : 'Undo';
  if (next) undo.setAttribute('aria-label', `${undo.textContent}: put back ${theSample(next)}`);
}

// Puts back the sample removed last. When none is left to put back, the
// focus goes from the Undo button (gone now) to the sample it put back.
async function undoRemove(samples) {
  const sample = await samples.undoRemove();
  if (!sample || !$('samples-undo').hidden) return;
  await showSamples(samples);
  $('samples').querySelector(`[data-id="${sample.id}"] button`)?.focus();
}

// The samples as thumbnails with a button each to remove it; damaged records
// are listed too, so they can be removed.
// Calls may overlap (the first listing at start-up, an import): only the
// newest one writes, so an older, slower listing never paints over it.
let listing = 0;
async function showSamples(samples) {
  const mine = ++listing;
  let good = [], damaged = [];
  try {
    ({ good, damaged } = await samples.list());
  } catch (e) {
    if (mine === listing) $('samples-info').textContent = `Your samples cannot be read: ${e.message}.`;
    return;
  }
  if (mine !== listing) return;
  // A picture, what it was kept as, and a button to remove it.
  const item = (sample, picture, text, label) => {
    const li = document.createElement('li');
    li.dataset.testid = 'sample';
    li.dataset.id = sample.id;
    const kept = Object.assign(document.createElement('span'), { className: 'label', textContent: text });
    kept.dataset.testid = 'sample-label';
    const button = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Remove' });
    button.setAttribute('aria-label', label);
    button.addEventListener('click', () => samples.remove(sample));
    li.append(picture, kept, button);
    return li;
  };
  // The focus on a sample's Remove button stays on it, or (when that sample
  // is gone) moves to the one now in its place, or the last.
  const list = $('samples'), had = [...list.children].findIndex((li) => li.contains(document.activeElement));
  const hadId = list.children[had]?.dataset.id;
  // The newest thumbnails only: a thousand canvases would stall the page.
  list.replaceChildren(
    ...good.slice(-SHOWN).map((s) => {
      const canvas = imageCanvas();
      paint(canvas, Array.from(s.image, (v) => v / 255));
      return item(s, canvas, caption(s.label), `Remove this sample, kept ${keptAs(s.label)}`);
    }),
    ...damaged.map((s) => {
      const mark = Object.assign(document.createElement('span'), { className: 'damaged', textContent: 'damaged' });
      return item(s, mark, '?', `Remove a damaged sample (${s.problem})`);
    }));
  if (had >= 0) {
    const items = [...list.children], li = items.find((e) => e.dataset.id === hadId) ?? items[Math.min(had, items.length - 1)];
    (li?.querySelector('button') ?? ($('samples-undo').hidden ? $('finetune') : $('samples-undo'))).focus();
  }
  const n = good.length;
  $('samples-info').textContent = (n ? `${n} sample${n > 1 ? 's' : ''} kept in this browser` +
    (n > SHOWN ? ` (the newest ${SHOWN} shown).` : '.')
    : 'No samples yet: draw, then press the digit it really was (or "Not a digit").') +
    (damaged.length ? ` ${damaged.length} damaged record${damaged.length > 1 ? 's were' : ' was'} left out ` +
                      `(${damaged[0].problem}); remove ${damaged.length > 1 ? 'them' : 'it'} below.` : '');
}

// Fine-tunes the chosen network on the samples. From the press on, the bar
// comes with words: getting the MNIST digits ready takes a moment before
// the first step.
async function learn(app) {
  const model = app.networks.chosen;
  setBusy(true);
  say('teach-result', 'Getting ready: your samples, and MNIST digits to learn alongside them…');
  try {
    const { good } = await app.samples.list();
    if (!good.length) {
      say('teach-result', 'No samples yet: draw, then press the digit it really was.');
      return;
    }
    await app.replay();
    const start = await startFinetune(model, good);
    $('teach-progress').max = start.total;
    say('teach-result', `Learning… step 0 of ${start.total}`);
    const done = await train((p) => {
      $('teach-progress').value = p.step;
      say('teach-result', `Learning… step ${p.step} of ${p.total}, loss ${p.loss.toFixed(3)}`);
    });
    const { after, held_out: heldOut, model: description } = done.result;
    await app.networks.keep(description);
    app.changed();
    const which = heldOut ? 'your samples kept aside (not learned from)' : 'your samples';
    say('teach-result', `Done. On ${which}: ${pct(start.before.yours)} → ${pct(after.yours)}. ` +
        `On MNIST check digits: ${pct(start.before.mnist)} → ${pct(after.mnist)}. ` +
        `${networkName(description)} now knows your handwriting, also after a reload.`);
  } catch (e) {
    say('teach-result', `Could not learn: ${e.message}`);
  } finally {
    setBusy(false);
  }
}

// While learning, what would change the network is disabled; the focus, if
// on one of those, goes to what is said of the learning.
function setBusy(busy) {
  $('teach-progress').hidden = !busy;
  $('teach-progress').value = 0;
  const buttons = ['finetune', 'reset-model', 'import'].map($);
  const focused = buttons.includes(document.activeElement);
  for (const button of buttons) button.disabled = busy;
  if (busy && focused) $('teach-result').focus();
}

// Back to the shipped weights of the chosen network.
async function reset(app) {
  const { networks } = app, model = networks.chosen, name = networkName(networks.all.get(model));
  if (!networks.isShipped(model)) {
    say('teach-result', `${name} is not a shipped network: remove it in the list of networks instead.`);
    return;
  }
  try {
    await networks.backToShipped(model);
    app.changed();
    say('teach-result', `Back to the shipped ${name}.`);
  } catch (e) {
    say('teach-result', `Could not go back to the shipped ${name}: ${e.message}`);
  }
}

function download(name, bytes, type) {
  const link = Object.assign(document.createElement('a'), {
    href: URL.createObjectURL(new Blob([bytes], { type })), download: name,
  });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

async function exportNetwork({ networks }) {
  const m = networks.all.get(networks.chosen);
  const name = networks.isShipped(m.name) ? `${m.name}${m.personal ? '-personal' : ''}.npz`
    : m.name.startsWith('file:') ? networkName(m) : `${m.name}.npz`;
  try {
    download(name, await networks.export(m.name), 'application/octet-stream');
    say('import-result', `Exported ${networks.who(m.name)} to ${name}.`);
  } catch (e) {
    say('import-result', `Could not export ${networks.who(m.name)}: ${e.message}`);
  }
}

// An imported network joins the list under its file's name (numbered, if
// another has it), next to the shipped ones, and answers the drawings; it
// is kept in this browser, as the file came, only once it has loaded and
// answered (the worker checks both). A file that is a network listed
// already is not added a second time.
async function importNetwork({ networks }, event) {
  const file = event.target.files[0];
  event.target.value = '';
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    const already = await networks.listedAs(bytes);
    if (already) {
      networks.choose(already);
      say('import-result', `${file.name} is in the list of networks already, as ${networkName(networks.all.get(already))}: ` +
        'nothing imported. It answers your drawings now.');
      return;
    }
    const dot = file.name.lastIndexOf('.'), [stem, ext] = dot > 0 ? [file.name.slice(0, dot), file.name.slice(dot)] : [file.name, ''];
    const name = networks.freeName(`file:${file.name}`, (n) => `file:${stem} (${n})${ext}`);
    const description = await networks.load(name, bytes.slice(), file.name);
    await networks.keep(description, { choose: true, bytes });
    say('import-result', `Imported ${file.name}${name === `file:${file.name}` ? '' : ` as ${networkName(description)}`}: ` +
      `${description.kind.toUpperCase()} ${description.layers.join('-')}. It is in the list of networks now, and answers your drawings.`);
  } catch (e) {
    say('import-result', `Refused — ${sentence(e.message)} Nothing changed.`);
  }
}

async function exportSamples(samples) {
  const file = await samples.csv();
  if (!file) {
    say('import-result', 'No samples to export yet.');
    return;
  }
  download('digit-samples.csv', file.text, 'text/csv');
  say('import-result', `Exported ${file.n} sample${file.n > 1 ? 's' : ''} to digit-samples.csv.`);
}

// A file's samples join those here, but a drawing that is here already is
// not added again (whatever label the file gives it: the one here stays).
async function importSamples(samples, event) {
  const file = event.target.files[0];
  event.target.value = '';
  if (!file) return;
  try {
    const { added, already, relabelled } = await samples.import(new Uint8Array(await file.arrayBuffer()), file.name);
    // The list first, then the message: whoever reads "Imported" sees them listed.
    await showSamples(samples);
    const here = already === 1 ? '1 was here already' : `${already} were here already`;
    const otherwise = relabelled ? ` (${relabelled} labelled otherwise here, which stays)` : '';
    if (!added) say('import-result', `Nothing imported from ${file.name}: ${already === 1 ? 'its one sample is' : `all ${already} of its samples are`} here already${otherwise}.`);
    else say('import-result', `Imported ${added} sample${added === 1 ? '' : 's'} from ${file.name}` + (already ? `; ${here}${otherwise}, not added twice.` : '.'));
  } catch (e) {
    say('import-result', `Refused — ${sentence(e.message)} Nothing changed.`);
  }
}
