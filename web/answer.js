// Showing what the network said: the digit or the number, the verdict, the
// probability bars, the 28×28 image it read, and the choice of network.

import { $ } from './dom.js';
import { pct } from './format.js';
import { paint } from './pictures.js';

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

// One digit (py.app.predict's result). `model` names the network that answered.
export function showDigit(result, model) {
  const { digit, best, probs, image, sure } = result;
  const blank = best == null;
  $('prediction').textContent = digit ?? '';
  let verdict;
  if (blank) verdict = 'Draw a digit in the box.';
  else if (sure) verdict = `It's a ${digit} (${pct(probs[best])} sure).`;
  else verdict = `Not sure: maybe a ${best} (${pct(probs[best], 0)}). Try drawing it larger or more clearly.`;
  say(verdict, blank ? null : model, result.ms);
  bars.forEach((row, d) => {
    row.querySelector('.fill').style.width = pct(probs[d]);
    row.querySelector('.pct').textContent = blank ? '' : pct(probs[d]);
    row.classList.toggle('top', d === best);
  });
  $('bars').setAttribute('aria-label', blank ? 'No drawing yet' :
    'Probabilities: ' + probs.map((p, d) => `${d}: ${pct(p, 0)}`).join(', '));
  paint($('seen'), image);
  $('correct').hidden = blank;
}

// A number (py.app.predict_number's result): the digits read left to right,
// each with its input and confidence.
export function showNumber(result, model) {
  const { text, digits } = result;
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
  say(verdict, digits.length ? model : null, result.ms);
}

// A radio button per network (py.app.describe's result); the label says what
// it is and whether it has learned this person's handwriting. Called again
// when a model changes.
export function offerModel(m, checked, choose) {
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
