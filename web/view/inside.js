// "See inside" (view): which pixels pushed the answer, the first
// convolution's feature maps (CNN), what the pen's path network reads, and
// what the first layer looks for; then every layer, from the pixels to the
// softmax, one unit opened (its arithmetic), and after a correction one
// step of learning; each beside the lines of our Python that computed it.
// All for the current drawing (in number mode, of one of its digits, as
// the networks read it), refreshed after each answer while the panel is
// open. `app` as in teach.js, plus drawing() -> {points, ends, digit: null
// or {index, of}}: the strokes read as one digit (main.js).

import { $ } from './dom.js';
import { grey, grid, heat, paint, pathPicture, signed } from './pictures.js';
import { PIXELS, SIDE } from '../state/image.js';
import { Inside, openable } from '../state/inside.js';
import { Newest } from '../state/scheduler.js';

const COLUMNS = 8;                 // feature maps per row
const UNIT_COLUMNS = 16;           // dense units per row
const SHOWN_CHANNELS = 3;          // a convolution's input channels shown 3×3 by 3×3 (the strongest)

// Returns {refresh(), learnOn(label)}: refresh after a new answer; learnOn
// after a correction, to show one step of learning on the drawing as `label`.
export function setupInside(app) {
  const panel = $('inside');
  const inside = new Inside(app.drawing, app.networks);
  let unit = null;                 // the unit chosen ({layer, index}), or null: the strongest of the first layer
  let label = null;                // the correction to show one step of learning for
  let shown = null;                // what is on screen
  const pictures = new Newest({
    ask: async () => ({ ...await inside.look({ unit, label }), code: await inside.code() }),
    show: (r) => {
      shown = r;
      showPictures(r);
      showLayers(r, (chosen) => { unit = chosen; refresh({ keep: true }); });
      showUnit(r);
      showStep(r);
    },
    settled: (caughtUp, error) => {
      if (error) $('first-caption').textContent = `Could not look inside: ${error.message}`;
      panel.dataset.busy = String(!caughtUp);        // tests wait for "false"
    },
  });
  pictures.enable();
  // keep: the correction's step stays (the drawing is the same); a new answer drops it.
  const refresh = ({ keep = false } = {}) => {
    if (!keep) label = null;
    if (!panel.open) return;
    panel.dataset.busy = 'true';
    pictures.changed();
  };
  panel.addEventListener('toggle', () => refresh({ keep: true }));
  $('unit-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const stage = shown?.stages.find((s) => s.opens === Number($('unit-layer').value));
    if (!stage) return;
    const n = (id) => Math.max(0, Math.round(Number($(id).value) || 0));
    const [h, w, c] = stage.shape.length === 3 ? stage.shape : [1, 1, stage.shape[0]];
    const [row, col, channel] = [Math.min(n('unit-row'), h - 1), Math.min(n('unit-col'), w - 1), Math.min(n('unit-channel'), c - 1)];
    unit = { layer: stage.opens, index: (row * w + col) * c + channel };
    refresh({ keep: true });
  });
  $('unit-layer').addEventListener('change', () => followLayer(shown));
  return {
    refresh,
    learnOn(correction) {
      label = correction;
      refresh({ keep: true });
    },
  };
}

// The pictures above the layers, as before: gradient × input, the path, the first layer.
function showPictures(r) {
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
  $('path-figure').hidden = !r.path;
  if (r.path) {
    pathPicture($('path'), r.path);
    const best = r.path_probs.indexOf(Math.max(...r.path_probs));
    $('path-caption').textContent = 'What the pen\'s path network reads: your strokes as ' +
      `${r.path.length / 3} points in the order you drew them, light to dark, dashed where the pen was up. ` +
      `Alone, it reads a ${best} (${(100 * r.path_probs[best]).toFixed(0)}%).`;
  }
}

const shape = (s) => s.join('×');
const num = (v, digits = 3) => (v < 0 ? '−' : '') + Math.abs(v).toFixed(digits);
// A probability: tiny ones as powers of ten, not as 0.0%.
const pct = (p) => (p >= 0.0005 || p === 0 ? `${(100 * p).toFixed(1)}%` : `${(100 * p).toExponential(1)}%`);
const small = (v) => (v >= 0.0005 || v === 0 ? v.toFixed(4) : v.toExponential(2));
const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};

// Every stage, the input first: its title and shape, its picture (or
// numbers), what it means, and the code that computed it. A press on a
// map's pixel or a dense unit opens that unit (`onOpen({layer, index})`).
function showLayers(r, onOpen) {
  const list = $('layers');
  $('layers-section').hidden = !r.stages.length;
  if (!r.stages.length) {
    list.replaceChildren();
    return;
  }
  const logits = r.stages.at(-2).values;
  list.replaceChildren(...r.stages.map((stage) => {
    const item = el('li', { className: 'stage' });
    item.dataset.testid = 'stage';
    item.append(el('h4', {}, `${stage.title} `, el('span', { className: 'shape' }, shape(stage.shape))));
    if (stage.title === 'Softmax') item.append(softmaxTable(logits, stage));
    else if (stage.title === 'Logits') item.append(...logitsPicture(stage, onOpen));
    else if (stage.shape.length === 3) item.append(...mapsPicture(stage, onOpen));
    else if (stage.order) item.append(...unitsPicture(stage, onOpen, r.pictures));
    else item.append(...mapsPicture({ ...stage, shape: [SIDE, SIDE, 1] }, null));     // an MLP's input: the image
    if (stage.code.length) item.append(codeBlock(stage.code, r.code));
    return item;
  }));
  followLayer(r, true);
}

// Feature maps (H×W×C, channels last) side by side, all on one scale (the
// stage's largest value is white); a press opens the unit under it.
function mapsPicture(stage, onOpen) {
  const [h, w, c] = stage.shape, top = Math.max(1e-6, ...stage.values);
  const maps = Array.from({ length: c }, (_, k) => Array.from({ length: h * w }, (_, i) => stage.values[i * c + k] / top));
  const canvas = el('canvas', { className: c === 1 ? 'input' : '' });
  const columns = c === 1 ? 1 : COLUMNS;
  grid(canvas, maps, h, columns);
  canvas.setAttribute('aria-label', `${stage.title}: ${c} map${c > 1 ? 's' : ''} of ${h}×${w}`);
  canvas.dataset.testid = 'stage-picture';
  const caption = el('p', { className: 'caption' }, c === 1
    ? `The image the network reads: one channel of ${SIDE}×${SIDE} pixels, 0 (black) to 1 (white).`
    : stage.title.startsWith('Max')
      ? `Each map halved: every 2×2 block keeps only its largest value. ${c} maps of ${h}×${w}.`
      : `${c} feature maps of ${h}×${w}, one per filter, after the ReLU (white: the strongest in this layer). ` +
        'Press a pixel to open that unit below.');
  if (onOpen && stage.opens !== undefined) {
    canvas.classList.add('opens');
    canvas.addEventListener('click', (e) => {
      const [x, y] = pixelAt(canvas, e), step = h + 1;
      const k = Math.floor(y / step) * columns + Math.floor(x / step), row = y % step, col = x % step;
      if (k < c && row < h && col < w) onOpen({ layer: stage.opens, index: (row * w + col) * c + k });
    });
  }
  return [canvas, caption];
}

// The canvas pixel under a pointer event.
function pixelAt(canvas, e) {
  const box = canvas.getBoundingClientRect();
  return [Math.floor((e.clientX - box.left) * canvas.width / box.width),
          Math.floor((e.clientY - box.top) * canvas.height / box.height)];
}

// A dense layer's units as cells, strongest first; an MLP's first layer
// adds the weights of its strongest units as 28×28 pictures.
function unitsPicture(stage, onOpen, weights) {
  const values = stage.order.map((i) => stage.values[i]), top = Math.max(1e-6, ...values);
  const canvas = el('canvas', { className: 'opens units' });
  grid(canvas, values.map((v) => [v / top]), 1, UNIT_COLUMNS, (v) => (v > 0 ? grey(0.15 + 0.85 * v) : [45, 45, 45, 255]));
  canvas.setAttribute('aria-label', `${stage.title}: ${values.length} units, strongest first`);
  canvas.dataset.testid = 'stage-picture';
  canvas.addEventListener('click', (e) => {
    const [x, y] = pixelAt(canvas, e), rank = Math.floor(y / 2) * UNIT_COLUMNS + Math.floor(x / 2);
    if (x % 2 === 0 && y % 2 === 0 && rank < values.length) onOpen({ layer: stage.opens, index: stage.order[rank] });
  });
  const silent = values.filter((v) => v <= 0).length;
  const out = [canvas, el('p', { className: 'caption' }, `${values.length} units, strongest first (white), ` +
    `${silent} of them 0 after the ReLU (dark grey). Strongest: unit ${stage.order[0]} (${num(values[0])}). Press one to open it below.`)];
  if (weights && stage.layers[0] === 0) {
    const n = weights.length / PIXELS, pictures = el('canvas');
    grid(pictures, Array.from({ length: n }, (_, k) => weights.subarray(PIXELS * k, PIXELS * (k + 1))), SIDE, COLUMNS, (v) => signed(v));
    pictures.setAttribute('aria-label', `The weights of the ${n} strongest units of ${stage.title}, as ${SIDE}×${SIDE} pictures`);
    pictures.dataset.testid = 'stage-weights';
    out.push(pictures, el('p', { className: 'caption' }, `What the ${n} strongest of them look for: each one's ${PIXELS} ` +
      `weights as a ${SIDE}×${SIDE} picture (red +, blue −), in the same order.`));
  }
  return out;
}

// The ten logits, each a button that opens its unit.
function logitsPicture(stage, onOpen) {
  const row = el('div', { className: 'logits' });
  stage.values.forEach((v, d) => {
    const open = el('button', { type: 'button', textContent: `${d}: ${num(v, 2)}` });
    open.setAttribute('aria-label', `Open the logit of ${d}, ${num(v, 2)}`);
    open.addEventListener('click', () => onOpen({ layer: stage.opens, index: d }));
    row.append(open);
  });
  return [el('p', { className: 'caption' }, 'One per digit: the last layer\'s sums, before the softmax. Press one to open it.'), row];
}

// Logits to probabilities, every number shown: p = e^(z/T − max) / Σ.
function softmaxTable(logits, stage) {
  const t = stage.temperature ?? 1, scaled = Array.from(logits, (z) => z / t), max = Math.max(...scaled);
  const e = scaled.map((z) => Math.exp(z - max)), sum = e.reduce((a, b) => a + b, 0);
  const table = el('table', { className: 'numbers' });
  table.dataset.testid = 'softmax';
  table.append(el('caption', {}, `p = e^(z${t === 1 ? '' : '/T'} − max) ÷ Σ, Σ = ${num(sum)}` +
    (t === 1 ? '' : ` (T = ${num(t, 2)}: this network's calibrated temperature)`)));
  const power = t === 1 ? 'e^(z − max)' : 'e^(z/T − max)';
  table.append(el('tr', {}, ...['digit', 'logit z', power, 'probability'].map((h) => el('th', { scope: 'col' }, h))));
  stage.values.forEach((p, d) => table.append(el('tr', {}, el('th', { scope: 'row' }, String(d)),
    el('td', {}, num(logits[d])), el('td', {}, small(e[d])), el('td', {}, pct(p)))));
  return table;
}

// The lines of our Python named (`names`, from `code`: source_lines()), each
// with its file, line and place in the README's reading order.
function codeBlock(names, code) {
  const files = [...new Set(names.map((n) => code[n].file))].join(', ');
  const details = el('details', { className: 'code' }, el('summary', {}, `The Python that computed it: ${names.join(', ')} (${files})`));
  for (const name of names) {
    const { file, step, first, text } = code[name];
    details.append(el('p', { className: 'caption' }, `${name}: ${file}, line ${first} ` +
      `(step ${step} of the reading order in the project's README)`),
    el('pre', { tabIndex: 0 }, el('code', {}, text)));
  }
  return details;
}

// The unit form's layer choice and fields follow the stages on screen (and,
// with `fill`, the unit opened).
function followLayer(r, fill = false) {
  if (!r?.stages.length) return;
  const select = $('unit-layer'), stages = openable(r.stages), was = select.value;
  if (fill || !select.options.length) {
    select.replaceChildren(...stages.map((s) => el('option', { value: String(s.opens), textContent: `${s.title} (${shape(s.shape)})` })));
    select.value = fill && r.unit ? String(r.unit.layer) : was;
  }
  const stage = stages.find((s) => s.opens === Number(select.value)) ?? stages[0];
  const map = stage.shape.length === 3;
  $('unit-row').parentElement.hidden = $('unit-col').parentElement.hidden = !map;
  $('unit-channel-label').textContent = map ? 'Map' : 'Unit';
  const [h, w, c] = map ? stage.shape : [1, 1, stage.shape[0]];
  Object.assign($('unit-row'), { max: h - 1 });
  Object.assign($('unit-col'), { max: w - 1 });
  Object.assign($('unit-channel'), { max: c - 1 });
  if (fill && r.unit && r.unit.layer === stage.opens) {
    const [row, col, channel] = map ? r.unit.at : [0, 0, r.unit.at[0]];
    Object.assign($('unit-row'), { value: row });
    Object.assign($('unit-col'), { value: col });
    Object.assign($('unit-channel'), { value: channel });
  }
}

// One unit's arithmetic: what it adds up, the bias, the ReLU, the pooling.
function showUnit(r) {
  const u = r.unit, box = $('unit');
  $('unit-section').hidden = !u;
  if (!u) return;
  const stage = r.stages.find((s) => s.opens === u.layer);
  const where = u.type === 'Conv2D' ? `map ${u.at[2]}, row ${u.at[0]}, column ${u.at[1]}` : `unit ${u.index}`;
  const parts = [el('p', { className: 'said-unit' }, `${stage.title}, ${where}:`)];
  if (u.type === 'Conv2D') parts.push(...convParts(u));
  else parts.push(...denseParts(u));
  const sum = [`Σ = ${num(u.sum)}`, `+ bias ${num(u.bias)}`, `= ${num(u.value)}`];
  if (u.relu !== null) sum.push(`→ ReLU: max(0, ${num(u.value)}) = ${num(u.relu)}`);
  parts.push(el('p', { className: 'sum' }, sum.join(' ')));
  if (u.pool) {
    const b = u.pool.block.map((v) => num(v)), kept = u.pool.kept;
    parts.push(el('p', {}, `Max pooling: its 2×2 block (rows ${u.pool.at[0]}–${u.pool.at[0] + 1}, columns ` +
      `${u.pool.at[1]}–${u.pool.at[1] + 1}) holds ${b.join(', ')}; the largest, ${num(u.pool.max)}, goes on: ` +
      `this unit's value is ${kept ? 'kept' : 'dropped'}${kept && u.pool.max === 0 ? ' (all four are 0)' : ''}.`));
  }
  parts.push(codeBlock(u.code, r.code));
  box.replaceChildren(...parts);
}

// A convolution unit: its k×k window on each input channel (the strongest
// few in full), times the filter's weights, summed.
function convParts(u) {
  const { k, c_in: c } = u, at = (i, j, ch) => (i * k + j) * c + ch;
  const channels = [...Array(c).keys()].sort((a, b) => Math.abs(u.by_channel[b]) - Math.abs(u.by_channel[a]));
  const out = [el('p', { className: 'caption' }, `Its ${k}×${k} window on ${c === 1 ? 'the image' : `each of the ${c} maps before it`} ` +
    `(zeros past the edge), times the filter's weights, every product added up.`)];
  for (const ch of channels.slice(0, SHOWN_CHANNELS)) {
    const table = el('table', { className: 'window' });
    table.append(el('caption', {}, (c > 1 ? `Input map ${ch}: ` : '') + `input × weight = product; sum ${num(u.by_channel[ch])}`));
    for (let i = 0; i < k; i++) {
      table.append(el('tr', {}, ...Array.from({ length: k }, (_, j) => {
        const x = u.window[at(i, j, ch)], w = u.weights[at(i, j, ch)];
        return el('td', {}, `${num(x, 2)} × ${num(w, 2)}`, el('br'), `= ${num(x * w)}`);
      })));
    }
    out.push(table);
  }
  if (c > SHOWN_CHANNELS) {
    const rest = channels.slice(SHOWN_CHANNELS).reduce((s, ch) => s + u.by_channel[ch], 0);
    out.push(el('p', {}, `The other ${c - SHOWN_CHANNELS} input maps add ${num(rest)} (each: ` +
      channels.slice(SHOWN_CHANNELS).map((ch) => `${ch}: ${num(u.by_channel[ch], 2)}`).join(', ') + ').'));
  }
  return out;
}

// A dense unit: its strongest products, input × weight, and the rest summed.
function denseParts(u) {
  const table = el('table', { className: 'numbers' });
  table.append(el('caption', {}, `Its ${u.top.length} largest products of its ${u.inputs} inputs`));
  table.append(el('tr', {}, ...['input', 'value', 'weight', 'product'].map((h) => el('th', { scope: 'col' }, h))));
  for (const t of u.top) {
    const where = t.at ? ` (row ${t.at[0]}, column ${t.at[1]}${u.inputs !== PIXELS ? `, map ${t.at[2]}` : ''})` : '';
    table.append(el('tr', {}, el('th', { scope: 'row' }, `${t.input}${where}`), el('td', {}, num(t.x)),
      el('td', {}, num(t.w)), el('td', {}, num(t.product))));
  }
  return [table, el('p', {}, `The other ${u.inputs - u.top.length} products add ${num(u.rest)}.`)];
}

// One step of learning on the drawing as corrected: loss, probabilities,
// the gradient's size at each layer, the last layer's largest changes.
function showStep(r) {
  const s = r.step;
  $('step-section').hidden = !s;
  if (!s) return;
  const as = s.label < 0 ? 'no digit (every digit 10%)' : `a ${s.label}`;
  const probs = el('table', { className: 'numbers' });
  probs.dataset.testid = 'step-probs';
  probs.append(el('caption', {}, 'The network\'s probabilities (before calibration), before → after the step'));
  probs.append(el('tr', {}, ...['digit', 'before', 'after'].map((h) => el('th', { scope: 'col' }, h))));
  s.probs_before.forEach((p, d) => probs.append(el('tr', { className: d === s.label ? 'marked' : '' },
    el('th', { scope: 'row' }, String(d)), el('td', {}, pct(p)), el('td', {}, pct(s.probs_after[d])))));
  const changes = el('table', { className: 'numbers' });
  changes.append(el('caption', {}, `The last layer's ${s.changes.length} largest weight changes`));
  changes.append(el('tr', {}, ...['from unit', 'to digit', 'weight before', 'after'].map((h) => el('th', { scope: 'col' }, h))));
  for (const c of s.changes) {
    changes.append(el('tr', {}, el('td', {}, String(c.input)), el('td', {}, String(c.digit)), el('td', {}, num(c.before)),
      el('td', {}, num(c.after))));
  }
  const grads = s.grads.map((g) => `layer ${g.layer} (${g.type}): ${num(g.norm, 2)}`).join('; ');
  $('step').replaceChildren(
    el('p', {}, `Learning this drawing as ${as}: one step of gradient descent (learning rate ${s.lr}) on a copy of ` +
      `the network; the one answering stays as it is. The loss goes from ${num(s.loss_before)} to ${num(s.loss_after)}.`),
    probs, el('p', {}, `The gradient flows back from the loss through every layer; its size at each: ${grads}.`), changes,
    el('p', { className: 'caption' }, '"Learn from my samples" takes many such steps, on all your samples and MNIST digits together.'),
    codeBlock(['cross_entropy', 'Model.backward', 'Dense.backward', 'SGD.update'], r.code));
}
