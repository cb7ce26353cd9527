// The one DOM helper the page's modules share.

// The element with this id.
export const $ = (id) => document.getElementById(id);
