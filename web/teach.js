// Teaching the network: correcting answers, the samples kept in this
// browser (and as files), fine-tuning on them in the worker, resetting, and
// networks as files in and out. `app` (from main.js): call(fn, ...args) into
// the worker, model (the chosen network's name), networks (networks.js),
// image (the drawing a correction would keep), replay() (loads the MNIST
// replay set once), train(onProgress, control) (runs a started training in
// slices).

import { aDigit, networkName } from './answer.js';
import { $ } from './dom.js';
import { fetchBuild, fetchBytes } from './files.js';
import { pct, sentence } from './format.js';
import { paint } from './pictures.js';
import { SHIPPED } from './networks.js';
import * as store from './store.js';

const SHOWN = 100;                 // thumbnails of samples on screen at most

export async function setupTeach(app) {
  for (let d = 0; d <= 9; d++) {
    const button = Object.assign(document.createElement('button'), { type: 'button', textContent: d });
    button.dataset.testid = `correct-${d}`;
    button.setAttribute('aria-label', `It was ${aDigit(d)}: keep this drawing as a sample`);
    button.addEventListener('click', () => correct(app, d));
    $('correct-buttons').append(button);
  }
  $('finetune').addEventListener('click', () => learn(app));
  $('reset-model').addEventListener('click', () => reset(app));
  $('export').addEventListener('click', () => exportNetwork(app));
  $('import').addEventListener('change', (e) => importNetwork(app, e));
  $('export-samples').addEventListener('click', exportSamples);
  $('import-samples').addEventListener('change', (e) => importSamples(app, e));
  $('teach').hidden = false;
  await showSamples();
}

const say = (text) => { $('teach-result').textContent = text; };

async function correct(app, digit) {
  if (!app.image) return;
  try {
    await store.addSamples([{ image: Uint8Array.from(app.image, (v) => Math.round(255 * v)), label: digit }]);
    await showSamples();
    say(`Kept as ${aDigit(digit)}.`);
  } catch (e) {
    say(`Could not keep this sample: ${e.message}.`);
  }
}

// The samples as thumbnails with a button each to remove it; damaged records
// are listed too, so they can be removed.
// Calls may overlap (the first listing at start-up, an import): only the
// newest one writes, so an older, slower listing never paints over it.
let listing = 0;
async function showSamples() {
  const mine = ++listing;
  let samples = [], damaged = [];
  try {
    ({ good: samples, damaged } = await store.listSamples());
  } catch (e) {
    if (mine === listing) $('samples-info').textContent = `Your samples cannot be read: ${e.message}.`;
    return;
  }
  if (mine !== listing) return;
  const item = (id, picture, text, label) => {
    const li = document.createElement('li');
    li.dataset.testid = 'sample';
    const remove = Object.assign(document.createElement('button'), { type: 'button', textContent: `${text} ×` });
    remove.setAttribute('aria-label', label);
    remove.addEventListener('click', async () => { await store.deleteSample(id); await showSamples(); });
    li.append(picture, remove);
    return li;
  };
  // The newest thumbnails only: a thousand canvases would stall the page.
  const shown = samples.slice(-SHOWN);
  $('samples').replaceChildren(
    ...shown.map((s) => {
      const canvas = Object.assign(document.createElement('canvas'), { width: 28, height: 28 });
      paint(canvas, Array.from(s.image, (v) => v / 255));
      return item(s.id, canvas, s.label, `Remove this sample of ${aDigit(s.label)}`);
    }),
    ...damaged.map((s) => {
      const mark = Object.assign(document.createElement('span'), { className: 'damaged', textContent: 'damaged' });
      return item(s.id, mark, '?', `Remove a damaged sample (${s.problem})`);
    }));
  const n = samples.length;
  $('samples-info').textContent = (n ? `${n} sample${n > 1 ? 's' : ''} kept in this browser` +
    (n > SHOWN ? ` (the newest ${SHOWN} shown).` : '.')
    : 'No samples yet: draw, then press the digit it really was.') +
    (damaged.length ? ` ${damaged.length} damaged record${damaged.length > 1 ? 's were' : ' was'} left out ` +
                      `(${damaged[0].problem}); remove ${damaged.length > 1 ? 'them' : 'it'} below.` : '');
}

async function learn(app) {
  const { good: samples } = await store.listSamples();
  if (!samples.length) {
    say('No samples yet: draw, then press the digit it really was.');
    return;
  }
  const model = app.model;
  setBusy(true);
  try {
    await app.replay();
    const images = new Uint8Array(784 * samples.length);
    samples.forEach((s, i) => images.set(s.image, 784 * i));
    const labels = Uint8Array.from(samples, (s) => s.label);
    const start = await app.call('start_finetune', model, images, labels);
    $('teach-progress').max = start.total;
    const done = await app.train((p) => {
      $('teach-progress').value = p.step;
      say(`Learning… step ${p.step} of ${p.total}, loss ${p.loss.toFixed(3)}`);
    });
    const { after, held_out: heldOut, model: description } = done.result;
    await app.networks.keep(description);
    app.changed();
    const which = heldOut ? 'your samples kept aside (not learned from)' : 'your samples';
    say(`Done. On ${which}: ${pct(start.before.yours)} → ${pct(after.yours)}. ` +
        `On MNIST check digits: ${pct(start.before.mnist)} → ${pct(after.mnist)}. ` +
        `${networkName(description)} now knows your handwriting, also after a reload.`);
  } catch (e) {
    say(`Could not learn: ${e.message}`);
  } finally {
    setBusy(false);
  }
}

function setBusy(busy) {
  $('teach-progress').hidden = !busy;
  for (const id of ['finetune', 'reset-model', 'import']) $(id).disabled = busy;
}

// Back to the shipped weights of the chosen CNN or MLP.
async function reset(app) {
  const model = app.model;
  if (!SHIPPED.includes(model)) {
    say(`${networkName(app.networks.all.get(model))} is not a shipped network: remove it in the list of networks instead.`);
    return;
  }
  try {
    const shipped = await fetchBytes((await fetchBuild()).weights[model]);
    app.networks.offer(await app.call('load_model', model, shipped, `${model}.npz`));
    await store.deleteWeights(model);
    app.changed();
    say(`Back to the shipped ${model.toUpperCase()}.`);
  } catch (e) {
    say(`Could not go back to the shipped ${model.toUpperCase()}: ${e.message}`);
  }
}

function download(name, bytes, type) {
  const link = Object.assign(document.createElement('a'), {
    href: URL.createObjectURL(new Blob([bytes], { type })), download: name,
  });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

async function exportNetwork(app) {
  const m = app.networks.all.get(app.model);
  const name = SHIPPED.includes(m.name) ? `${m.name}${m.personal ? '-personal' : ''}.npz`
    : m.name === 'yours' ? 'yours.npz' : networkName(m);
  download(name, await app.call('export_weights', app.model), 'application/octet-stream');
}

// An imported network joins the list under its file's name, next to the
// shipped ones; it is kept in this browser only once it has loaded and
// answered (the worker checks both).
async function importNetwork(app, event) {
  const file = event.target.files[0];
  event.target.value = '';
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    const description = await app.call('load_model', `file:${file.name}`, bytes, file.name);
    await app.networks.keep(description, { choose: true });
    $('import-result').textContent = `Imported ${file.name}: ${description.kind.toUpperCase()} ` +
      `${description.layers.join('-')}. It is in the list of networks now, and answers your drawings.`;
  } catch (e) {
    $('import-result').textContent = `Refused — ${sentence(e.message)} Nothing changed.`;
  }
}

// The samples as a CSV file in the source project's format (label, then 784
// pixels 0..255), which `python -m py.train --data FILE` and
// `python -m py.evaluate --data FILE` read too.
async function exportSamples() {
  const { good } = await store.listSamples();
  if (!good.length) {
    say('No samples to export yet.');
    return;
  }
  const header = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)].join(',');
  const rows = good.map((s) => [s.label, ...s.image].join(','));
  download('digit-samples.csv', [header, ...rows].join('\n') + '\n', 'text/csv');
  say(`Exported ${good.length} sample${good.length > 1 ? 's' : ''} to digit-samples.csv.`);
}

async function importSamples(app, event) {
  const file = event.target.files[0];
  event.target.value = '';
  if (!file) return;
  try {
    const { images, labels } = await app.call('read_samples', new Uint8Array(await file.arrayBuffer()), file.name);
    await store.addSamples(Array.from(labels, (label, i) => ({ image: images.slice(784 * i, 784 * (i + 1)), label })));
    // The list first, then the message: whoever reads "Imported" sees them listed.
    await showSamples();
    say(`Imported ${labels.length} sample${labels.length === 1 ? '' : 's'} from ${file.name}.`);
  } catch (e) {
    say(`Refused — ${sentence(e.message)} Nothing changed.`);
  }
}
