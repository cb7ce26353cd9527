// Painting small images into canvases: grey images, grids of them, a
// signed heatmap over a digit, and the pen's path.

import { SIDE } from '../state/image.js';

// A new canvas for one image, a pixel per pixel (CSS sizes it).
export const imageCanvas = () => Object.assign(document.createElement('canvas'), { width: SIDE, height: SIDE });

// Paint a PIXELS-value image in [0, 1] into a SIDE×SIDE canvas; for none,
// leave it clear (its CSS background shows).
export function paint(canvas, image) {
  if (image) grid(canvas, [image], SIDE, 1);
  else canvas.getContext('2d').clearRect(0, 0, canvas.width, canvas.height);
}

// Paint square images (each size×size values) in rows of `columns` with 1-px
// gaps; `color(value, index)` gives each pixel's [r, g, b, a].
export function grid(canvas, images, size, columns, color = grey) {
  const rows = Math.max(1, Math.ceil(images.length / columns));
  const step = size + (columns > 1 ? 1 : 0);
  canvas.width = columns * step;
  canvas.height = rows * step;
  const ctx = canvas.getContext('2d');
  const out = ctx.createImageData(canvas.width, canvas.height);
  images.forEach((image, k) => {
    const x0 = (k % columns) * step, y0 = Math.floor(k / columns) * step;
    for (let i = 0; i < size * size; i++) {
      out.data.set(color(image[i], i), 4 * ((y0 + Math.floor(i / size)) * canvas.width + x0 + (i % size)));
    }
  });
  ctx.putImageData(out, 0, 0);
}

export function grey(v) {
  const g = Math.round(255 * v);
  return [g, g, g, 255];
}

const RED = [255, 64, 32], BLUE = [48, 120, 255];

// Values in [-1, 1]: red for positive, blue for negative, blended over a
// grey of brightness `base` (0..1) by the value's size.
export function signed(v, base = 0) {
  const s = Math.min(1, Math.abs(v)), grey = 70 * base, color = v >= 0 ? RED : BLUE;
  return [...color.map((c) => Math.round(grey + (c - grey) * s)), 255];
}

// The digit in dim grey, red where a pixel pushed the answer and blue where
// it pushed against (attribution: 784 values). Scaled so the strongest 10%
// are full colour, and by the square root so that weaker pushes still show.
export function heat(canvas, image, attribution) {
  const sizes = attribution.map(Math.abs).filter((a) => a > 0).sort((a, b) => a - b);
  const scale = sizes.length ? sizes[Math.floor(0.9 * (sizes.length - 1))] : 1;
  grid(canvas, [attribution], SIDE, 1,
       (a, i) => signed(Math.sign(a) * Math.sqrt(Math.min(1, Math.abs(a) / scale)), image[i]));
}

// The pen's path as its network reads it: `points` holds x, y (-0.5..0.5) and
// pen (1 ink, 0 in the air) of each point, in order. Ink is solid and the
// pen's jumps dashed, both from light (the start) to dark (the end); the
// first point is ringed.
export function pathPicture(canvas, points) {
  const ctx = canvas.getContext('2d'), n = points.length / 3, side = canvas.width, margin = 10;
  const at = (i) => [margin + (points[3 * i] + 0.5) * (side - 2 * margin),
                     margin + (points[3 * i + 1] + 0.5) * (side - 2 * margin)];
  const shade = (i) => `hsl(220, 80%, ${Math.round(62 - 42 * i / Math.max(1, n - 1))}%)`;
  ctx.clearRect(0, 0, side, side);
  ctx.lineWidth = 2;
  ctx.lineCap = 'round';
  for (let i = 0; i + 1 < n; i++) {
    ctx.setLineDash(points[3 * i + 2] ? [] : [3, 3]);
    ctx.strokeStyle = shade(i);
    ctx.beginPath();
    ctx.moveTo(...at(i));
    ctx.lineTo(...at(i + 1));
    ctx.stroke();
  }
  ctx.setLineDash([]);
  for (let i = 0; i < n; i++) {
    ctx.fillStyle = shade(i);
    ctx.beginPath();
    ctx.arc(...at(i), 2.2, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.strokeStyle = shade(0);
  ctx.beginPath();
  ctx.arc(...at(0), 5, 0, 2 * Math.PI);
  ctx.stroke();
}
