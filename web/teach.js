// The "Teach it your handwriting" panel (view): the samples as thumbnails
// (samples.js), fine-tuning the chosen network on them, going back to the
// shipped weights, and samples and networks as files in and out.
// `app` (from main.js): networks (networks.js), samples (samples.js),
// replay() (loads the MNIST replay set once), changed() (the answer is out
// of date).

import { $, say } from './dom.js';
import { fetchAsset, fetchBuild } from './files.js';
import { keptAs, networkName, NOT_A_DIGIT, pct, sentence } from './format.js';
import { paint } from './pictures.js';
import * as python from './python.js';
import { train } from './training.js';

const SHOWN = 100;                 // thumbnails of samples on screen at most

export async function setupTeach(app) {
  $('finetune').addEventListener('click', () => learn(app));
  $('reset-model').addEventListener('click', () => reset(app));
  $('export').addEventListener('click', () => exportNetwork(app));
  $('import').addEventListener('change', (e) => importNetwork(app, e));
  $('export-samples').addEventListener('click', () => exportSamples(app.samples));
  $('import-samples').addEventListener('change', (e) => importSamples(app.samples, e));
  $('samples-undo').addEventListener('click', () => undoRemove(app.samples));
  app.samples.addEventListener('change', () => showSamples(app.samples));
  $('teach').hidden = false;
  await showSamples(app.samples);
}

// A sample's caption under its picture.
const caption = (label) => (label === NOT_A_DIGIT ? 'not a digit' : String(label));

async function remove(samples, sample) {
  await samples.remove(sample);
  say('samples-said', sample.problem ? 'Removed a damaged sample.' : `Removed the sample kept ${keptAs(sample.label)}.`);
  $('samples-undo').hidden = !samples.canUndoRemove;
}

async function undoRemove(samples) {
  const sample = await samples.undoRemove();
  $('samples-undo').hidden = true;
  if (sample) say('samples-said', `Put back the sample kept ${keptAs(sample.label)}.`);
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
    const kept = Object.assign(document.createElement('span'), { className: 'label', textContent: text });
    kept.dataset.testid = 'sample-label';
    const button = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Remove' });
    button.setAttribute('aria-label', label);
    button.addEventListener('click', () => remove(samples, sample));
    li.append(picture, kept, button);
    return li;
  };
  // The newest thumbnails only: a thousand canvases would stall the page.
  $('samples').replaceChildren(
    ...good.slice(-SHOWN).map((s) => {
      const canvas = Object.assign(document.createElement('canvas'), { width: 28, height: 28 });
      paint(canvas, Array.from(s.image, (v) => v / 255));
      return item(s, canvas, caption(s.label), `Remove this sample, kept ${keptAs(s.label)}`);
    }),
    ...damaged.map((s) => {
      const mark = Object.assign(document.createElement('span'), { className: 'damaged', textContent: 'damaged' });
      return item(s, mark, '?', `Remove a damaged sample (${s.problem})`);
    }));
  const n = good.length;
  $('samples-info').textContent = (n ? `${n} sample${n > 1 ? 's' : ''} kept in this browser` +
    (n > SHOWN ? ` (the newest ${SHOWN} shown).` : '.')
    : 'No samples yet: draw, then press the digit it really was (or "Not a digit").') +
    (damaged.length ? ` ${damaged.length} damaged record${damaged.length > 1 ? 's were' : ' was'} left out ` +
                      `(${damaged[0].problem}); remove ${damaged.length > 1 ? 'them' : 'it'} below.` : '');
}

async function learn(app) {
  const { good } = await app.samples.list();
  if (!good.length) {
    say('teach-result', 'No samples yet: draw, then press the digit it really was.');
    return;
  }
  const model = app.networks.chosen;
  setBusy(true);
  try {
    await app.replay();
    const images = new Uint8Array(784 * good.length);
    good.forEach((s, i) => images.set(s.image, 784 * i));
    const labels = Int8Array.from(good, (s) => s.label);
    const start = await python.startFinetune(model, images, labels);
    $('teach-progress').max = start.total;
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

function setBusy(busy) {
  $('teach-progress').hidden = !busy;
  for (const id of ['finetune', 'reset-model', 'import']) $(id).disabled = busy;
}

// Back to the shipped weights of the chosen network.
async function reset(app) {
  const { networks } = app, model = networks.chosen, name = networkName(networks.all.get(model));
  if (!networks.isShipped(model)) {
    say('teach-result', `${name} is not a shipped network: remove it in the list of networks instead.`);
    return;
  }
  try {
    const shipped = await fetchAsset((await fetchBuild()).weights[model]);
    networks.offer(await python.loadModel(model, shipped, `${model}.npz`));
    await networks.forget(model);
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
  download(name, await python.exportWeights(m.name), 'application/octet-stream');
}

// An imported network joins the list under its file's name, next to the
// shipped ones; it is kept in this browser only once it has loaded and
// answered (the worker checks both).
async function importNetwork({ networks }, event) {
  const file = event.target.files[0];
  event.target.value = '';
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    const description = await python.loadModel(`file:${file.name}`, bytes, file.name);
    await networks.keep(description, { choose: true });
    say('import-result', `Imported ${file.name}: ${description.kind.toUpperCase()} ` +
      `${description.layers.join('-')}. It is in the list of networks now, and answers your drawings.`);
  } catch (e) {
    say('import-result', `Refused — ${sentence(e.message)} Nothing changed.`);
  }
}

async function exportSamples(samples) {
  const file = await samples.csv();
  if (!file) {
    say('teach-result', 'No samples to export yet.');
    return;
  }
  download('digit-samples.csv', file.text, 'text/csv');
  say('teach-result', `Exported ${file.n} sample${file.n > 1 ? 's' : ''} to digit-samples.csv.`);
}

async function importSamples(samples, event) {
  const file = event.target.files[0];
  event.target.value = '';
  if (!file) return;
  try {
    const { added, already } = await samples.import(new Uint8Array(await file.arrayBuffer()), file.name);
    // The list first, then the message: whoever reads "Imported" sees them listed.
    await showSamples(samples);
    const here = already === 1 ? '1 was here already' : `${already} were here already`;
    if (!added) say('teach-result', `Nothing imported from ${file.name}: ${already === 1 ? 'its one sample is' : `all ${already} of its samples are`} here already.`);
    else say('teach-result', `Imported ${added} sample${added === 1 ? '' : 's'} from ${file.name}` + (already ? `; ${here}, not added twice.` : '.'));
  } catch (e) {
    say('teach-result', `Refused — ${sentence(e.message)} Nothing changed.`);
  }
}
