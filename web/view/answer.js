// The answer (view): the digit or the number, the verdict, the probability
// bars, the 28×28 image the network read, and the row of buttons to correct
// it, which says right there what it kept.

import { $, say } from './dom.js';
import { aDigit, confidence, digitVerdict, keptAs, NOT_A_DIGIT, numberVerdict, pct } from '../state/format.js';
import { imageCanvas, paint } from './pictures.js';

// What the correction row would keep now: {image (784 values in [0, 1])}, or
// null; and what it shows as kept of that drawing: {label (null: nothing),
// total (samples in all)}, or null before it knows.
let offered = null;
let shown = null;
let announceOffer = () => {};          // setupAnswer's onOffer

// Builds the bars and the correction row. onCorrect(image, label) is called
// when the person says what the drawing on offer was (a digit, or
// NOT_A_DIGIT): answer with showKept(). onOffer(image) whenever another
// drawing is on offer (null: none): answer with showSampleOf().
export function setupAnswer({ onCorrect, onOffer }) {
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
    button.addEventListener('click', () => { if (offered) onCorrect(offered.image, d); });
    return button;
  }));
  $('correct-none').addEventListener('click', () => { if (offered) onCorrect(offered.image, NOT_A_DIGIT); });
  press(null);
  announceOffer = onOffer;
}

const correctionButtons = () => [...$('correct-buttons').children, $('correct-none')];
const samplesBelow = (total) => `${total} sample${total === 1 ? '' : 's'} to teach with, below.`;

// The button of `label` shows pressed (none for null).
function press(label) {
  correctionButtons().forEach((b, i) => b.setAttribute('aria-pressed', String(i === (label < 0 ? 10 : label))));
}

// What a correction of `image` (the drawing onCorrect was given) did:
// {label, was (its earlier label, if it was kept before), total}, or
// {error}. Said next to the buttons, which show the label it has now.
export function showKept(image, { label, was, total, error }) {
  if (image !== offered?.image) return;            // another drawing is on offer by now
  if (error) {
    say('correct-said', `Could not keep this sample: ${error}.`);
    return;
  }
  shown = { label, total };
  press(label);
  if (was === undefined) say('correct-said', `Kept ${keptAs(label)}: ${samplesBelow(total)}`);
  else if (was === label) say('correct-said', `Already kept ${keptAs(label)}.`);
  else say('correct-said', `Changed: kept ${keptAs(label)}, no longer ${keptAs(was)}. Still one sample of this drawing.`);
}

// What is kept of the drawing on offer as the samples are now ({sample (or
// null), total}: samples.js's kept(image)), shown after every change of
// either: a sample removed, or brought back, shows at once. What was just
// said of a correction stays while it holds.
export function showSampleOf(image, { sample, total }) {
  if (image !== offered?.image) return;
  const label = sample?.label ?? null;
  if (shown?.label === label && (shown.total === total || label === null)) return;
  shown = { label, total };
  press(label);
  say('correct-said', label === null ? '' : `Kept ${keptAs(label)}: ${samplesBelow(total)}`);
}

// The verdict in words, how sure the answer is (none, sure or unsure; and
// for a digit named, firm, likely or a guess: format.js's confidence; the
// CSS shows each its own way), and which network answered in how long.
function showVerdict(verdict, answer, confidence, who, ms) {
  document.body.dataset.answer = answer;
  document.body.dataset.confidence = confidence;
  $('verdict').textContent = verdict;
  say('announce', answer === 'none' ? '' : verdict);
  $('model').textContent = answer === 'none' ? '' : `Answered by ${who} in ${ms.toFixed(0)} ms.`;
}

// One digit (python.predict's result); `who` names the network that answered.
export function showDigit(result, who) {
  const { digit, best, probs, image, sure } = result;
  const blank = best == null, how = blank ? 'none' : confidence(probs[best], sure);
  $('prediction').textContent = digit ?? '';
  showVerdict(digitVerdict(result), blank ? 'none' : sure ? 'sure' : 'unsure', how, who, result.ms);
  [...$('bars').children].forEach((row, d) => {
    row.querySelector('.fill').style.width = `${100 * probs[d]}%`;
    row.querySelector('.pct').textContent = blank ? '' : pct(probs[d]);
    row.classList.toggle('top', d === best);
  });
  $('bars').setAttribute('aria-label', blank ? 'No drawing yet' :
    'Probabilities: ' + probs.map((p, d) => `${d}: ${pct(p, 0)}`).join(', '));
  paint($('seen'), image);
  offerCorrection(blank ? null : { image, label: how === 'firm' || how === 'likely' ? 'Wrong? It was:' : 'Which digit is it?' });
}

// A number (python.predictNumber's result): the digits read left to right,
// each with its input and confidence; pressing one offers to correct it.
// Read again (by another network, or drawn on), a digit pressed stays
// pressed while it is the same drawing, and the focus stays where it was.
export function showNumber(result, who) {
  const { text, digits } = result;
  const buttons = [...$('digits').querySelectorAll('button')];
  const focused = buttons.indexOf(document.activeElement);
  const pressed = buttons.findIndex((b) => b.getAttribute('aria-pressed') === 'true');
  const offer = (d, i) => ({ image: d.image, label: `Digit ${i + 1} (${d.sure ? `read as ${d.digit}` : 'not sure'}) was:` });
  $('number').textContent = text;
  $('digits').replaceChildren(...digits.map((d, i) => {
    const li = document.createElement('li');
    const button = Object.assign(document.createElement('button'), { type: 'button' });
    button.dataset.testid = `digit-${i}`;
    button.setAttribute('aria-pressed', 'false');
    const canvas = imageCanvas();
    paint(canvas, d.image);
    const label = document.createElement('span');
    const how = confidence(d.probs[d.best], d.sure);
    label.textContent = `${d.sure ? d.digit : '?'} · ${pct(d.probs[d.best], 0)}`;
    label.className = how === 'firm' ? '' : how;
    button.append(canvas, label);
    // The accessible name starts with what the button shows (WCAG 2.5.3).
    button.setAttribute('aria-label', `${label.textContent}: digit ${i + 1}${d.sure ? '' : ', not sure'}; press to correct it`);
    button.addEventListener('click', () => {
      const chosen = button.getAttribute('aria-pressed') !== 'true';
      for (const b of $('digits').querySelectorAll('button')) b.setAttribute('aria-pressed', 'false');
      button.setAttribute('aria-pressed', String(chosen));
      offerCorrection(chosen ? offer(d, i) : null);
    });
    li.append(button);
    return li;
  }));
  const now = [...$('digits').querySelectorAll('button')];
  if (focused >= 0) (now[Math.min(focused, now.length - 1)] ?? $('undo')).focus();
  const unsure = digits.some((d) => !d.sure);
  const weakest = Math.min(...digits.map((d) => d.probs[d.best]));
  showVerdict(numberVerdict(result), !digits.length ? 'none' : unsure ? 'unsure' : 'sure',
              !digits.length ? 'none' : confidence(weakest, !unsure), who, result.ms);
  const same = pressed >= 0 && offered && digits[pressed]?.image?.every((v, j) => v === offered.image[j]);
  if (same) now[pressed].setAttribute('aria-pressed', 'true');
  offerCorrection(same ? offer(digits[pressed], pressed) : null);
}

// Which digit of the number is pressed (its index), or -1.
export const pressedDigit = () => [...$('digits').querySelectorAll('button')]
  .findIndex((b) => b.getAttribute('aria-pressed') === 'true');

// No answer on screen (the mode changed).
export function clearAnswer() {
  $('prediction').textContent = '';
  $('number').textContent = '';
}

// Shows the row of buttons to correct `offer.image` with (labelled
// `offer.label`), or hides it (offer null). The same drawing (read again,
// by another network, say) keeps what the row shows; another starts with
// nothing shown until showSampleOf() says what is kept of it. The focus,
// if it was in a row that goes, goes to Undo, beside the pad.
function offerCorrection(offer) {
  const same = offer && offered && offer.image.every((v, i) => v === offered.image[i]);
  if (!same) {
    offered = offer && { image: offer.image };
    shown = null;
    say('correct-said', '');
    press(null);
    announceOffer(offered?.image ?? null);
  }
  if (!offer && $('correct').contains(document.activeElement)) $('undo').focus();
  $('correct').hidden = !offer;
  if (offer) $('correct-label').textContent = offer.label;
}
