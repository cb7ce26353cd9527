// How numbers, digits and networks read on the page: text only, no DOM.

// A probability or accuracy in [0, 1] as a percentage; a dash for none
// (Python's None arrives here as undefined).
export const pct = (p, digits = 1) => (p == null ? '–' : `${(100 * p).toFixed(digits)}%`);

// A message as a sentence: Python's error lines carry no closing stop.
export const sentence = (text) => (/[.!?]$/.test(text) ? text : `${text}.`);

// "a 3", "an 8".
export const aDigit = (d) => `${d === 8 ? 'an' : 'a'} ${d}`;

// A sample's label for a drawing that is no digit (the samples CSV's -1).
export const NOT_A_DIGIT = -1;

// "as a 3", "as not a digit": what a sample was kept as.
export const keptAs = (label) => (label === NOT_A_DIGIT ? 'as not a digit' : `as ${aDigit(label)}`);

// The networks trained in the page are named "yours", "yours-2", ...
export const trainedHere = (name) => /^yours(-\d+)?$/.test(name);

// A network's name as a person reads it, from its description (python.js's
// loadModel): "CNN", "Yours", "Yours 2", "my.npz".
export function networkName(m) {
  if (trainedHere(m.name)) return m.name.replace('yours', 'Yours').replace('-', ' ');
  if (m.name.startsWith('file:')) return m.name.slice(5);
  return m.kind.toUpperCase();
}

// How sure an answer is, in words that fit its figure: a person reads 59%
// as a guess, so "It's a 7" is said only from 90%, "probably" from 70%,
// and below that (when the network is sure enough to name a digit at all,
// `sure`: its calibrated threshold) the digit is offered as a guess.
// 'firm', 'likely', 'guess', or 'unsure' (the page says "not sure").
const FIRM_FROM = 0.9, LIKELY_FROM = 0.7;
export function confidence(p, sure) {
  if (!sure) return 'unsure';
  const shown = Math.round(1000 * p) / 1000;           // the figure as pct() shows it
  return shown >= FIRM_FROM ? 'firm' : shown >= LIKELY_FROM ? 'likely' : 'guess';
}

// A tenth is chance: below three times that, naming the digit a drawing most
// resembles would overstate a likeness that is hardly there.
const RESEMBLES_FROM = 0.3;

// The verdict on one digit (python.predict's result), in at most three
// short lines on a phone (the page keeps room for three, so that nothing
// under it moves from one answer to the next).
export function digitVerdict({ digit, best, probs, sure, small }) {
  if (best == null) return 'Draw a digit in the box.';
  const p = probs[best];
  const said = {
    firm: () => `It's ${aDigit(digit)} (${pct(p)} sure).`,
    likely: () => `Probably ${aDigit(digit)} (${pct(p)} sure).`,
    guess: () => `Perhaps ${aDigit(digit)}, but only ${pct(p)} sure.`,
  }[confidence(p, sure)];
  if (said) return said();
  if (small) return 'Too small to read: draw the digit large, filling the box.';
  if (p < RESEMBLES_FROM) return 'This does not look like any digit. If it is none, press "Not a digit".';
  return `Not sure: it looks most like ${aDigit(best)} (${pct(p, 0)}), but not enough to say so.`;
}

// The verdict on a number (python.predictNumber's result): as sure as its
// least sure digit.
export function numberVerdict({ text, digits }) {
  if (!digits.length) return 'Write a number, digits side by side.';
  const unsure = digits.filter((d) => !d.sure).length;
  if (unsure) {
    return `It reads ${text}: not sure of ${unsure} digit${unsure > 1 ? 's' : ''} (marked ?). Press one to say what it is.`;
  }
  const top = digits.map((d) => d.probs[d.best]), weakest = top.indexOf(Math.min(...top)), p = top[weakest];
  const which = `digit ${weakest + 1} is`;
  return {
    firm: `It reads ${text}. Press a digit to correct it.`,
    likely: `Probably ${text}: ${which} ${pct(p, 0)} sure. Press a digit to correct it.`,
    guess: `Perhaps ${text}: ${which} only ${pct(p, 0)} sure. Press it to say what it is.`,
  }[confidence(p, true)];
}
