// What the page's view modules share: finding an element, and saying
// something to the person.

// The element with this id.
export const $ = (id) => document.getElementById(id);

// Puts a message in the element `id` (a role=status or live region, so that
// a screen reader reads it out too).
export function say(id, text) {
  $(id).textContent = text;
}
