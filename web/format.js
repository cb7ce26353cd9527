// How numbers, digits and networks read on the page: text only, no DOM.

// A probability or accuracy in [0, 1] as a percentage; a dash for none
// (Python's None arrives here as undefined).
export const pct = (p, digits = 1) => (p == null ? '–' : `${(100 * p).toFixed(digits)}%`);

// A message as a sentence: Python's error lines carry no closing stop.
export const sentence = (text) => (/[.!?]$/.test(text) ? text : `${text}.`);

// "a 3", "an 8".
export const aDigit = (d) => `${d === 8 ? 'an' : 'a'} ${d}`;

// A network's name as a person reads it, from its description (python.js's
// loadModel): "CNN", "Yours", "my.npz".
export function networkName(m) {
  if (m.name === 'yours') return 'Yours';
  if (m.name.startsWith('file:')) return m.name.slice(5);
  return m.kind.toUpperCase();
}
