// The answer (view): the digit or the number, the verdict, the probability
// bars, the 28×28 image the network read, and the row of buttons to correct
// it, which says right there what it kept.

import { $, say } from './dom.js';
import { aDigit, keptAs, NOT_A_DIGIT, pct } from './format.js';
import { paint } from './pictures.js';

// A tenth is chance: below three times that, naming the digit a drawing most
// resembles would overstate a likeness that is hardly there.
const RESEMBLES_FROM = 0.3;

// What the correction row would keep now: {image (784 values in [0, 1]),
// drawing (which drawing, and which digit of it)}, or null.
let offered = null;

// Builds the bars and the correction row; onCorrect(offer, label) is called
// when the person says what a drawing was (a digit, or NOT_A_DIGIT), with
// the offer shown then; answer with showKept().
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
  $('correct-none').addEventListener('click', () => { if (offered) onCorrect(offered, NOT_A_DIGIT); });
  for (const button of correctionButtons()) button.setAttribute('aria-pressed', 'false');
}

const correctionButtons = () => [...$('correct-buttons').children, $('correct-none')];

// What was kept of the drawing `offer` (that onCorrect was given): {label,
// was (its earlier label, if the same drawing was kept before), total}, or
// {error}. Said next to the buttons, which show the label it has now.
export function showKept(offer, { label, was, total, error }) {
  if (offer.drawing !== offered?.drawing) return;   // another drawing is on screen by now
  if (error) {
    say('correct-said', `Could not keep this sample: ${error}.`);
    return;
  }
  correctionButtons().forEach((b, i) => b.setAttribute('aria-pressed', String(i === (label < 0 ? 10 : label))));
  const where = `${total} sample${total === 1 ? '' : 's'} to teach with, below.`;
  if (was === undefined) say('correct-said', `Kept ${keptAs(label)}: ${where}`);
  else if (was === label) say('correct-said', `Already kept ${keptAs(label)}.`);
  else say('correct-said', `Changed: kept ${keptAs(label)}, no longer ${keptAs(was)}. Still one sample of this drawing.`);
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
  if (probs[best] < RESEMBLES_FROM) {
    return 'This does not look like any digit. If it is one, press which below; if not, press "Not a digit".';
  }
  return `Not sure this is a digit. It looks most like ${aDigit(best)} (${pct(probs[best], 0)}), ` +
         'but not enough to say so. If it is a digit, press which one below.';
}

// One digit (python.predict's result); `who` names the network that
// answered, `drawing` which drawing it read (drawing.js's revision).
export function showDigit(result, who, drawing) {
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
  offerCorrection(blank ? null : { image, drawing: `${drawing}`, label: sure ? 'Wrong? It was:' : 'Which digit is it?' });
}

// A number (python.predictNumber's result): the digits read left to right,
// each with its input and confidence; pressing one offers to correct it.
export function showNumber(result, who, drawing) {
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
      offerCorrection(chosen ? { image: d.image, drawing: `${drawing}:${i}`,
                                 label: `Digit ${i + 1} (${d.sure ? `read as ${d.digit}` : 'not sure'}) was:` } : null);
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

// Shows the row of buttons to correct `offer.image` with (labelled
// `offer.label`), or hides it (offer null). A new drawing starts with
// nothing kept; the same one (read again by another network) keeps what was.
function offerCorrection(offer) {
  if (offer?.drawing !== offered?.drawing) {
    say('correct-said', '');
    for (const button of correctionButtons()) button.setAttribute('aria-pressed', 'false');
  }
  offered = offer && { image: offer.image, drawing: offer.drawing };
  $('correct').hidden = !offer;
  if (offer) $('correct-label').textContent = offer.label;
}
