// onnxruntime-web's WebAssembly backend (single-threaded, SIMD) running the
// ONNX graphs bench/peers.py builds from our weights. Inference only:
// onnxruntime-web trains nothing.
importScripts('common.js', '../node_modules/onnxruntime-web/dist/ort.wasm.min.js');

let sessions, image;

async function logits(kind) {
  const out = await sessions[kind].run({ x: image });
  return Array.from(out.logits.data);
}

serve({
  async load(setup) {
    ort.env.wasm.wasmPaths = `${setup.base}node_modules/onnxruntime-web/dist/`;
    ort.env.wasm.numThreads = 1;
    sessions = {};
    for (const kind of KINDS) {
      sessions[kind] = await ort.InferenceSession.create(await fetchBytes(`${setup.base}peers/${kind}.onnx`),
                                                         { executionProviders: ['wasm'] });
    }
    image = new ort.Tensor('float32', setup.image, [1, 784]);
    const why = 'onnxruntime-web runs inference only';
    return { measures: ['mlp-infer', 'cnn-infer'], cannot: { 'mlp-step': why, 'cnn-step': why }, version: ort.env.versions.web };
  },
  infer: (kind) => logits(kind),
  run(measure) {
    return logits(split(measure)[0]);
  },
});
