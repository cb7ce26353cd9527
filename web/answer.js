// Showing what the network said: the digit or the number, the verdict, the
// probability bars, the 28×28 image it read, the row to correct it, and the
// choice of network.

import { $ } from './dom.js';
import { pct } from './format.js';
import { paint } from './pictures.js';

const bars = Array.from({ length: 10 }, (_, d) => {
  const row = document.createElement('div');
  row.className = 'bar';
  row.dataset.testid = `bar-${d}`;
  row.innerHTML = `<span>${d}</span><span class="track"><span class="fill"></span></span><span class="pct"></span>`;
  $('bars').append(row);
  return row;
});

// "a 3", "an 8".
export const aDigit = (d) => `${d === 8 ? 'an' : 'a'} ${d}`;

// A network's name as a person reads it.
export function networkName(m) {
  if (m.name === 'yours') return 'Yours';
  if (m.name.startsWith('file:')) return m.name.slice(5);
  return m.kind.toUpperCase();
}

function say(verdict, answer, who, ms) {
  document.body.dataset.answer = answer;          // none, sure or unsure: the CSS shows each its own way
  $('verdict').textContent = verdict;
  $('announce').textContent = answer === 'none' ? '' : verdict;
  $('model').textContent = answer === 'none' ? '' : `Answered by ${who} in ${ms.toFixed(0)} ms.`;
}

function unsureVerdict({ best, probs, small }) {
  if (small) return 'Too small to read: draw the digit large, filling most of the box.';
  return `Not sure this is a digit. It looks most like ${aDigit(best)} (${pct(probs[best], 0)}), ` +
         'but not enough to say so. If it is a digit, press which one below.';
}

// One digit (py.app.predict's result); `who` names the network that answered.
export function showDigit(result, who) {
  const { digit, best, probs, image, sure } = result;
  const blank = best == null;
  $('prediction').textContent = digit ?? '';
  let verdict;
  if (blank) verdict = 'Draw a digit in the box.';
  else if (sure) verdict = `It's ${aDigit(digit)} (${pct(probs[best])} sure).`;
  else verdict = unsureVerdict(result);
  say(verdict, blank ? 'none' : sure ? 'sure' : 'unsure', who, result.ms);
  bars.forEach((row, d) => {
    row.querySelector('.fill').style.width = `${100 * probs[d]}%`;
    row.querySelector('.pct').textContent = blank ? '' : pct(probs[d]);
    row.classList.toggle('top', d === best);
  });
  $('bars').setAttribute('aria-label', blank ? 'No drawing yet' :
    'Probabilities: ' + probs.map((p, d) => `${d}: ${pct(p, 0)}`).join(', '));
  paint($('seen'), image);
  offerCorrection(blank ? null : { image, label: sure ? 'Wrong? It was:' : 'Which digit is it?' });
}

// A number (py.app.predict_number's result): the digits read left to right,
// each with its input and confidence; pressing one offers to correct it.
export function showNumber(result, who) {
  const { text, digits } = result;
  $('number').textContent = text;
  $('digits').replaceChildren(...digits.map((d, i) => {
    const li = document.createElement('li');
    const button = Object.assign(document.createElement('button'), { type: 'button' });
    button.dataset.testid = `digit-${i}`;
    button.setAttribute('aria-pressed', 'false');
    const canvas = Object.assign(document.createElement('canvas'), { width: 28, height: 28 });
    paint(canvas, d.image);
    const label = document.createElement('span');
    label.textContent = `${d.sure ? d.digit : '?'} · ${pct(d.probs[d.best], 0)}`;
    label.className = d.sure ? '' : 'unsure';
    button.append(canvas, label);
    // The accessible name starts with what the button shows (WCAG 2.5.3).
    button.setAttribute('aria-label', `${label.textContent}: digit ${i + 1}${d.sure ? '' : ', not sure'}; press to correct it`);
    button.addEventListener('click', () => {
      const chosen = button.getAttribute('aria-pressed') !== 'true';
      for (const b of $('digits').querySelectorAll('button')) b.setAttribute('aria-pressed', 'false');
      button.setAttribute('aria-pressed', String(chosen));
      offerCorrection(chosen ? { image: d.image, label: `Digit ${i + 1} (${d.sure ? `read as ${d.digit}` : 'not sure'}) was:` } : null);
    });
    li.append(button);
    return li;
  }));
  const unsure = digits.filter((d) => !d.sure).length;
  let verdict;
  if (!digits.length) verdict = 'Write a number, digits side by side.';
  else if (!unsure) verdict = `It reads ${text}. Press a digit to correct it.`;
  else verdict = `It reads ${text}: not sure of ${unsure} digit${unsure > 1 ? 's' : ''} (marked ?). Press one to say what it is.`;
  say(verdict, !digits.length ? 'none' : unsure ? 'unsure' : 'sure', who, result.ms);
  offerCorrection(null);
}

let correctable = null;

// The drawing a correction would keep now (28×28 values in [0, 1]), or null.
export const correctionImage = () => correctable;

// Shows the row of digits to correct `offer.image` with (labelled
// `offer.label`), or hides it (offer null).
function offerCorrection(offer) {
  correctable = offer?.image ?? null;
  $('correct').hidden = !offer;
  if (offer) $('correct-label').textContent = offer.label;
}

// A radio button per network (py.app.describe's result), with a button to
// remove it where that makes sense (`remove`, for networks a person added).
// The label says what it is and whether it has learned this person's
// handwriting. Called again when a model changes.
export function offerModel(m, { checked, choose, remove }) {
  let choice = $('models').querySelector(`[data-model="${CSS.escape(m.name)}"]`);
  if (!choice) {
    choice = Object.assign(document.createElement('div'), { className: 'choice' });
    choice.dataset.model = m.name;
    const label = document.createElement('label');
    const input = Object.assign(document.createElement('input'), { type: 'radio', name: 'model', value: m.name });
    input.dataset.testid = `model-${m.name}`;
    input.addEventListener('change', () => choose(m.name));
    label.append(input, document.createElement('span'));
    choice.append(label);
    if (remove) {
      const button = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Remove' });
      button.dataset.testid = `remove-${m.name}`;
      button.setAttribute('aria-label', `Remove the network ${networkName(m)}`);
      button.addEventListener('click', () => remove(m.name));
      choice.append(button);
    }
    $('models').append(choice);
  }
  const input = choice.querySelector('input');
  input.checked ||= checked;
  const what = m.name === 'cnn' || m.name === 'mlp' ? '' : `${m.kind.toUpperCase()} `;
  const span = choice.querySelector('span');
  span.textContent = ` ${networkName(m)} `;
  const small = document.createElement('small');
  small.textContent = `(${what}${m.layers.join('-')}, ${m.parameters.toLocaleString()} weights, ` +
    `${pct(m.val_accuracy)} on validation digits${m.personal ? ', knows your handwriting' : ''})`;
  span.append(small);
  $('models').hidden = false;
}

// Takes a network off the list (its radio button and label).
export function dropModel(name) {
  $('models').querySelector(`[data-model="${CSS.escape(name)}"]`)?.remove();
}
