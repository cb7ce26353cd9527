// What "See inside" asks Python (state, no DOM): for the drawing as the
// network reads it, the pictures (gradient × input, the first layer, the
// pen's path), every layer's output, one unit opened, and one step of
// learning; and, once, the source lines that compute them.
// `drawing()` gives the strokes as fresh arrays each time ({points, ends,
// digit}: main.js's read()); each call hands its arrays over to the worker.

import * as python from '../worker/python.js';

// float32 bytes (a Uint8Array from Python) as a Float32Array.
export const floats = (bytes) => (bytes ? new Float32Array(bytes.slice().buffer) : null);

export class Inside {
  #code = null;

  constructor(drawing, networks) {
    Object.assign(this, { drawing, networks });
  }

  // Everything for the drawing by the chosen network: {digit, image, attribution,
  // first, first_size, path, path_probs (python.inside), stages,
  // pictures (python.trace, decoded), unit, step}. The unit opened is
  // `unit` ({layer, index}) when the network has it, else its strongest
  // of the first layer; the step is for `label` (a correction), if any.
  async look({ unit = null, label = null } = {}) {
    const name = this.networks.chosen;
    const read = () => { const { points, ends } = this.drawing(); return [name, points, ends, 1]; };
    const { points, ends, digit } = this.drawing();
    const pictures = await this.networks.lookInside(points, ends);
    const { stages, pictures: weights } = await python.trace(...read());
    for (const stage of stages) stage.values = floats(stage.values);
    const out = { ...pictures, digit, stages, pictures: floats(weights), unit: null, step: null };
    if (!stages.length) return out;
    const chosen = unit && openable(stages).some((s) => s.opens === unit.layer) ? unit : strongest(stages);
    out.unit = await python.openUnit(...read(), chosen.layer, chosen.index);
    if (label !== null) out.step = await python.learnStep(...read(), label);
    return out;
  }

  // {function name: {file, step, first, text}}, asked once.
  code() {
    this.#code ??= python.sourceLines().catch((e) => { this.#code = null; throw e; });
    return this.#code;
  }
}

// The stages whose units open: a convolution's or a dense layer's.
export const openable = (stages) => stages.filter((s) => s.opens !== undefined);

// The first openable stage's strongest unit: {layer, index}.
function strongest(stages) {
  const { opens, values } = openable(stages)[0];
  return { layer: opens, index: values.indexOf(Math.max(...values)) };
}
