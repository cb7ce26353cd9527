// The answer (view): the digit or the number, the verdict, the probability
// bars, the 28×28 image the network read, and the row of buttons to correct
// it.

import { $ } from './dom.js';
import { aDigit, pct } from './format.js';
import { paint } from './pictures.js';

let offered = null;          // the image the correction row would keep now (784 values in [0, 1])

// Builds the bars and the correction row; onCorrect(image, digit) is called
// when the person says which digit a drawing was.
export function setupAnswer({ onCorrect }) {
  $('bars').replaceChildren(...Array.from({ length: 10 }, (_, d) => {
    const row = document.createElement('div');
    row.className = 'bar';
    row.dataset.testid = `bar-${d}`;
    row.innerHTML = `<span>${d}</span><span class="track"><span class="fill"></span></span><span class="pct"></span>`;
    return row;
  }));
  $('correct-buttons').replaceChildren(...Array.from({ length: 10 }, (_, d) => {
    const button = Object.assign(document.createElement('button'), { type: 'button', textContent: d });
    button.dataset.testid = `correct-${d}`;
    button.setAttribute('aria-label', `It was ${aDigit(d)}: keep this drawing as a sample`);
    button.addEventListener('click', () => { if (offered) onCorrect(offered, d); });
    return button;
  }));
}

// The verdict in words, how sure the answer is (none, sure or unsure: the
// CSS shows each its own way), and which network answered in how long.
function showVerdict(verdict, answer, who, ms) {
  document.body.dataset.answer = answer;
  $('verdict').textContent = verdict;
  $('announce').textContent = answer === 'none' ? '' : verdict;
  $('model').textContent = answer === 'none' ? '' : `Answered by ${who} in ${ms.toFixed(0)} ms.`;
}

function unsureVerdict({ best, probs, small }) {
  if (small) return 'Too small to read: draw the digit large, filling most of the box.';
  return `Not sure this is a digit. It looks most like ${aDigit(best)} (${pct(probs[best], 0)}), ` +
         'but not enough to say so. If it is a digit, press which one below.';
}

// One digit (python.predict's result); `who` names the network that answered.
export function showDigit(result, who) {
  const { digit, best, probs, image, sure } = result;
  const blank = best == null;
  $('prediction').textContent = digit ?? '';
  let verdict;
  if (blank) verdict = 'Draw a digit in the box.';
  else if (sure) verdict = `It's ${aDigit(digit)} (${pct(probs[best])} sure).`;
  else verdict = unsureVerdict(result);
  showVerdict(verdict, blank ? 'none' : sure ? 'sure' : 'unsure', who, result.ms);
  [...$('bars').children].forEach((row, d) => {
    row.querySelector('.fill').style.width = `${100 * probs[d]}%`;
    row.querySelector('.pct').textContent = blank ? '' : pct(probs[d]);
    row.classList.toggle('top', d === best);
  });
  $('bars').setAttribute('aria-label', blank ? 'No drawing yet' :
    'Probabilities: ' + probs.map((p, d) => `${d}: ${pct(p, 0)}`).join(', '));
  paint($('seen'), image);
  offerCorrection(blank ? null : { image, label: sure ? 'Wrong? It was:' : 'Which digit is it?' });
}

// A number (python.predictNumber's result): the digits read left to right,
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
  showVerdict(verdict, !digits.length ? 'none' : unsure ? 'unsure' : 'sure', who, result.ms);
  offerCorrection(null);
}

// No answer on screen (the mode changed).
export function clearAnswer() {
  $('prediction').textContent = '';
  $('number').textContent = '';
}

// Shows the row of digits to correct `offer.image` with (labelled
// `offer.label`), or hides it (offer null).
function offerCorrection(offer) {
  offered = offer?.image ?? null;
  $('correct').hidden = !offer;
  if (offer) $('correct-label').textContent = offer.label;
}
