// "See inside": what the first layer looks for, the first convolution's
// feature maps (CNN), and which pixels pushed the answer, for the current
// drawing. Refreshed after each answer while the panel is open.
// `app` as in teach.js, plus drawing() -> {points, ends} of the pad.

import { $ } from './dom.js';
import { grid, heat, paint, signed } from './pictures.js';

export function setupInside(app) {
  let busy = false, again = false;

  async function refresh() {
    if (!$('inside').open) return;
    if (busy) { again = true; return; }
    busy = true;
    $('inside').dataset.busy = 'true';        // tests wait for "false"
    try {
      const { points, ends } = app.drawing();
      const r = await app.call('inside', app.model, points, ends, 1);
      if (r.attribution) heat($('heat'), r.image, r.attribution);
      else paint($('heat'), null);
      grid($('first'), r.first, r.first_size, 8, (v) => signed(v));
      $('first-caption').textContent = r.first_size === 28
        ? `What the first layer looks for: the weights of ${r.first.length} of its units (red +, blue −)`
        : `The first convolution's ${r.first.length} filters, ${r.first_size}×${r.first_size} (red +, blue −)`;
      $('maps-figure').hidden = r.maps.length === 0;
      if (r.maps.length) grid($('maps'), r.maps, 28, 8);
    } finally {
      busy = false;
      if (again) {
        again = false;
        refresh();
      } else {
        $('inside').dataset.busy = 'false';
      }
    }
  }

  $('inside').addEventListener('toggle', refresh);
  return refresh;
}
