// "See inside" (view): which pixels pushed the answer, the first
// convolution's feature maps (CNN), what the pen's path network reads, and
// what the first layer looks for, for the current drawing (in number mode,
// of one of its digits, as the networks read it). Refreshed after each answer
// while the panel is open. `app` as in teach.js, plus drawing() -> {points,
// ends, digit: null or {index, of}}: the strokes read as one digit (main.js).

import { $ } from './dom.js';
import { SIDE } from '../state/image.js';
import { grid, heat, paint, pathPicture, signed } from './pictures.js';
import { Newest } from '../state/scheduler.js';

export function setupInside(app) {
  const panel = $('inside');
  const pictures = new Newest({
    ask: async () => {
      const { points, ends, digit } = app.drawing();
      return { ...await app.networks.lookInside(points, ends), digit };
    },
    show: (r) => {
      // A number is read digit by digit: the pictures are of one digit, said which.
      $('heat-which').textContent = r.digit
        ? `Digit ${r.digit.index + 1} of ${r.digit.of}${r.digit.of > 1 ? ' (press another to see it)' : ''}. ` : '';
      if (r.attribution) heat($('heat'), r.image, r.attribution);
      else paint($('heat'), null);
      grid($('first'), r.first, r.first_size, 8, (v) => signed(v));
      $('first-caption').textContent = r.first_size === SIDE
        ? `What the first layer looks for: the weights of ${r.first.length} of its units (red +, blue −)`
        : `What the first layer looks for: the first convolution's ${r.first.length} filters, ` +
          `${r.first_size}×${r.first_size} (red +, blue −)`;
      $('maps-figure').hidden = r.maps.length === 0;
      if (r.maps.length) grid($('maps'), r.maps, SIDE, 8);
      $('path-figure').hidden = !r.path;
      if (r.path) {
        pathPicture($('path'), r.path);
        const best = r.path_probs.indexOf(Math.max(...r.path_probs));
        $('path-caption').textContent = 'What the pen\'s path network reads: your strokes as ' +
          `${r.path.length / 3} points in the order you drew them, light to dark, dashed where the pen was up. ` +
          `Alone, it reads a ${best} (${(100 * r.path_probs[best]).toFixed(0)}%).`;
      }
    },
    settled: (caughtUp, error) => {
      if (error) $('first-caption').textContent = `Could not look inside: ${error.message}`;
      panel.dataset.busy = String(!caughtUp);        // tests wait for "false"
    },
  });
  pictures.enable();
  const refresh = () => {
    if (!panel.open) return;
    panel.dataset.busy = 'true';
    pictures.changed();
  };
  panel.addEventListener('toggle', refresh);
  return refresh;
}
