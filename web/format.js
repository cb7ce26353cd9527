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
