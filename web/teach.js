// Teaching the network: correcting answers, the samples kept in this
// browser, fine-tuning on them in the worker, resetting, and weights files in
// and out. `app` (from main.js): call(fn, ...args) into the worker, model (the
// chosen network's name), image (the last 28×28 input), replay() (loads the
// MNIST replay set once), train(onProgress, control) (runs a started
// training in slices), updateModel(description).

import { $ } from './dom.js';
import { fetchBytes } from './files.js';
import { pct } from './format.js';
import { paint } from './pictures.js';
import * as store from './store.js';

export async function setupTeach(app, modelNames) {
  for (let d = 0; d <= 9; d++) {
    const button = Object.assign(document.createElement('button'), { type: 'button', textContent: d });
    button.dataset.testid = `correct-${d}`;
    button.setAttribute('aria-label', `It was a ${d}: keep this drawing as a sample`);
    button.addEventListener('click', () => correct(app, d));
    $('correct').append(button);
  }
  $('finetune').addEventListener('click', () => learn(app));
  $('reset-model').addEventListener('click', () => reset(app));
  $('export').addEventListener('click', () => exportWeights(app));
  $('import').addEventListener('change', (e) => importWeights(app, e));
  $('teach').hidden = false;
  await showSamples();
  await restoreSaved(app, modelNames);
}

// Personalized weights saved in an earlier visit replace the shipped ones.
// Saved weights that no longer load are kept (nothing a person made is
// deleted behind their back) and reported; Reset removes them.
async function restoreSaved(app, modelNames) {
  for (const name of modelNames) {
    const saved = await store.loadWeights(name);
    if (!saved) continue;
    try {
      app.updateModel(await app.call('load_model', name, saved, `saved ${name} weights`));
    } catch (e) {
      $('teach-result').textContent = `Your saved ${name.toUpperCase()} could not be loaded (${e.message}); ` +
        `the shipped one answers instead. Choose it and press "Reset to shipped model" to remove the saved copy.`;
    }
  }
}

async function correct(app, digit) {
  if (!app.image) return;
  await store.addSample(Uint8Array.from(app.image, (v) => Math.round(255 * v)), digit);
  $('teach-result').textContent = `Kept as a ${digit}.`;
  await showSamples();
}

async function showSamples() {
  const samples = await store.listSamples();
  $('samples').replaceChildren(...samples.map((s) => {
    const li = document.createElement('li');
    li.dataset.testid = 'sample';
    const canvas = Object.assign(document.createElement('canvas'), { width: 28, height: 28 });
    paint(canvas, Array.from(s.image, (v) => v / 255));
    const remove = Object.assign(document.createElement('button'), { type: 'button', textContent: `${s.label} ×` });
    remove.setAttribute('aria-label', `Remove this sample of a ${s.label}`);
    remove.addEventListener('click', async () => { await store.deleteSample(s.id); await showSamples(); });
    li.append(canvas, remove);
    return li;
  }));
  $('samples-info').textContent = samples.length
    ? `${samples.length} sample${samples.length > 1 ? 's' : ''} kept in this browser.`
    : 'No samples yet: draw, then press the digit it really was.';
}

async function learn(app) {
  const samples = await store.listSamples();
  if (!samples.length) {
    $('teach-result').textContent = 'No samples yet: draw, then press the digit it really was.';
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
      $('teach-result').textContent = `Learning… step ${p.step} of ${p.total}, loss ${p.loss.toFixed(3)}`;
    });
    const { after, held_out: heldOut, model: description } = done.result;
    app.updateModel(description);
    await store.saveWeights(model, await app.call('export_weights', model));
    const which = heldOut ? 'your samples kept aside (not learned from)' : 'your samples';
    $('teach-result').textContent =
      `Done. On ${which}: ${pct(start.before.yours)} → ${pct(after.yours)}. ` +
      `On MNIST check digits: ${pct(start.before.mnist)} → ${pct(after.mnist)}. ` +
      `The ${model.toUpperCase()} now knows your handwriting, also after a reload.`;
  } catch (e) {
    $('teach-result').textContent = `Could not learn: ${e.message}`;
  } finally {
    setBusy(false);
  }
}

function setBusy(busy) {
  $('teach-progress').hidden = !busy;
  for (const id of ['finetune', 'reset-model', 'import']) $(id).disabled = busy;
}

async function reset(app) {
  const model = app.model;
  let shipped;
  try {
    shipped = await fetchBytes(`weights/${model}.npz`);
  } catch {
    $('teach-result').textContent = `There is no shipped ${model} to go back to.`;
    return;
  }
  await store.deleteWeights(model);
  app.updateModel(await app.call('load_model', model, shipped, `${model}.npz`));
  $('teach-result').textContent = `Back to the shipped ${model.toUpperCase()}.`;
}

async function exportWeights(app) {
  const bytes = await app.call('export_weights', app.model);
  const link = Object.assign(document.createElement('a'), {
    href: URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' })),
    download: `${app.model}.npz`,
  });
  link.click();
  URL.revokeObjectURL(link.href);
}

async function importWeights(app, event) {
  const file = event.target.files[0];
  event.target.value = '';
  if (!file) return;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const model = app.model;
  try {
    const description = await app.call('load_model', model, bytes.slice(), file.name);
    app.updateModel(description);
    await store.saveWeights(model, bytes);
    $('import-result').textContent = `Imported ${file.name}: ${description.kind.toUpperCase()} ` +
      `${description.layers.join('-')}, answering as the ${model.toUpperCase()} from now on.`;
  } catch (e) {
    $('import-result').textContent = `Refused ${file.name}: ${e.message} Nothing changed.`;
  }
}
