// How numbers read on the page.

// A probability or accuracy in [0, 1] as a percentage; a dash for none
// (Python's None arrives here as undefined).
export const pct = (p, digits = 1) => (p == null ? '–' : `${(100 * p).toFixed(digits)}%`);

// A message as a sentence: Python's error lines carry no closing stop.
export const sentence = (text) => (/[.!?]$/.test(text) ? text : `${text}.`);
