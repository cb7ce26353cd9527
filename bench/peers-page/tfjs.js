// TensorFlow.js with the backend named in this worker's URL (?backend=cpu or
// wasm): the same layers as ours, built from our spec, holding our weights
// (the raw arrays bench/peers.py writes). Training: Adam on softmax
// cross-entropy, as ours. The wasm backend runs single-threaded with SIMD
// (threads need a cross-origin isolated page, which no engine here gets).
importScripts('common.js', '../node_modules/@tensorflow/tfjs/dist/tf.min.js',
              '../node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js');

const backend = new URL(self.location.href).searchParams.get('backend');
let models, optimizers, image, batch, onehot, lr;

function build(manifest, bytes) {
  const { spec, arrays } = manifest;
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [784] }));
  if (spec.input_shape.length === 3) model.add(tf.layers.reshape({ targetShape: spec.input_shape }));
  for (const l of spec.layers) {
    model.add({
      dense: () => tf.layers.dense({ units: l.out }),
      conv2d: () => tf.layers.conv2d({ filters: l.out, kernelSize: l.k, padding: 'same' }),
      relu: () => tf.layers.reLU(),
      maxpool2d: () => tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      flatten: () => tf.layers.flatten(),
      dropout: () => tf.layers.dropout({ rate: l.p }),
    }[l.type]());
  }
  // Kernel then bias, layer after layer: the order of our parameters, and the same shapes
  // (dense (in, out); convolution (k, k, in, out), channels last like ours).
  const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  let offset = 0;
  model.setWeights(arrays.map(([, shape]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    offset += size;
    return tf.tensor(floats.subarray(offset - size, offset), shape);
  }));
  return model;
}

const loss = (kind, training) => tf.losses.softmaxCrossEntropy(onehot, models[kind].apply(batch, { training }));

function step(kind, training, optimizer = optimizers[kind]) {
  return tf.tidy(() => optimizer.minimize(() => loss(kind, training), true).dataSync()[0]);
}

// TF.js adds ε to the bias-corrected √v̂, ours (like Keras) to the raw √v: on a
// first step, ours equals TF.js's with ε / √(1 - β2). The answers are checked on
// such a step; timing uses the same ε as ours (the cost is the same).
const FIRST_STEP_EPSILON = 1e-8 / Math.sqrt(1 - 0.999);

function logits(kind, x) {
  return tf.tidy(() => Array.from(models[kind].predict(x).dataSync()));
}

serve({
  async load(setup) {
    tf.wasm.setWasmPaths(`${setup.base}node_modules/@tensorflow/tfjs-backend-wasm/dist/`);
    if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} did not start`);
    models = {};
    optimizers = {};
    for (const kind of KINDS) {
      const manifest = await (await fetch(`${setup.base}peers/${kind}.json`)).json();
      models[kind] = build(manifest, await fetchBytes(`${setup.base}peers/${kind}.bin`));
      optimizers[kind] = tf.train.adam(setup.lr, 0.9, 0.999, 1e-8);
    }
    lr = setup.lr;
    image = tf.tensor(setup.image, [1, 784]);
    batch = tf.tensor(setup.batch, [setup.labels.length, 784]);
    onehot = tf.oneHot(tf.tensor(setup.labels, undefined, 'int32'), 10);
    // What this backend cannot train shows on the first step: note it, measure the rest.
    const cannot = {};
    for (const kind of KINDS) {
      try {
        tf.tidy(() => tf.variableGrads(() => loss(kind, true)));
      } catch (e) {
        cannot[`${kind}-step`] = e.message;
      }
    }
    return { measures: MEASURES.filter((m) => !(m in cannot)), cannot, version: `${tf.version.tfjs} ${tf.getBackend()}` };
  },
  infer: (kind) => logits(kind, image),
  checkStep(kind) {
    step(kind, false, tf.train.adam(lr, 0.9, 0.999, FIRST_STEP_EPSILON));
    return logits(kind, batch);
  },
  run(measure) {
    const [kind, what] = split(measure);
    return what === 'infer' ? logits(kind, image) : step(kind, true);
  },
});
