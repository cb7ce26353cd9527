// Every sequence of up to `depth` steps of what a person does with a drawing
// and their samples, played on the page's own state modules (drawing.js,
// samples.js: what the pad and the correction row call), and after each
// sequence what is stored checked against what the person chose:
//   - one sample per drawing at most, labelled with the last choice made for
//     it (a correction, or the file's label when an import first brought it);
//   - nothing lost: every drawing kept and not removed is there;
//   - Undo in the samples offers exactly what was removed and is not back,
//     the last removed first;
//   - the correction row shows as kept what is kept of the drawing on the pad.
// The samples live in memory here (the same four calls as store.js's
// IndexedDB, which the end-to-end tests use): the search plays ten thousand
// sequences in seconds. Run by tests/test_samples.py with page.evaluate;
// resolves with {played, failures}.
async ({ depth }) => {
  const { Drawing } = await import('./state/drawing.js');
  const { Samples } = await import('./state/samples.js');

  // store.js's sample calls, in memory; listed by id, as IndexedDB lists them.
  const inMemory = () => {
    const rows = new Map();
    let next = 1;
    return {
      listSamples: async () => ({ good: [...rows.values()].sort((a, b) => a.id - b.id).map((s) => ({ ...s })), damaged: [] }),
      addSamples: async (samples) => {
        for (const { image, label } of samples) rows.set(next, { id: next++, image, label });
        return next - 1;
      },
      deleteSample: async (id) => { rows.delete(id); },
      putSample: async (sample) => { rows.set(sample.id, { ...sample }); },
    };
  };

  // The pad's strokes are numbered as drawn (stroke k is the point [k, 0]),
  // and the image the network reads has pixel k lit for each stroke k on the
  // pad: the same strokes, the same image, as the worker's preprocessing gives.
  const imageOf = (strokeNumbers) => {
    const image = new Array(784).fill(0);
    for (const k of strokeNumbers) image[k] = 1;
    return image;
  };
  const onPad = (drawing) => drawing.strokes.map((stroke) => stroke[0][0]);
  const keyOf = (strokeNumbers) => imageOf(strokeNumbers).map((v) => 255 * v).join(',');

  // The file imported: drawings of the first strokes one might draw, one of
  // them twice with two labels (the first counts).
  const FILE = [[[0], 7], [[0, 1], 3], [[1], 5], [[0], 3]];
  const fileImages = new Uint8Array(784 * FILE.length);
  FILE.forEach(([strokes], i) => { for (const k of strokes) fileImages[784 * i + k] = 255; });
  const fileLabels = Int8Array.from(FILE, ([, label]) => label);

  // What each step does to the page, and to what the person expects to be
  // stored (`want`: image key -> label; `gone`: [key, label] removed, the last last).
  // A correction at step i says label i: every choice differs from the one before.
  const STEPS = {
    draw: async (world) => { world.drawing.begin([world.strokes++, 0]); world.drawing.end(); },
    correct: async ({ drawing, samples, want }, i) => {
      if (drawing.isEmpty) return;                         // no drawing, no correction row
      await samples.keep(imageOf(onPad(drawing)), i);
      want.set(keyOf(onPad(drawing)), i);
    },
    clear: async ({ drawing }) => drawing.clear(),
    undo: async ({ drawing }) => drawing.undo(),
    'switch mode': async ({ drawing }) => drawing.switchTo(drawing.mode === 'digit' ? 'number' : 'digit'),
    import: async ({ samples, want }) => {
      await samples.add(fileImages, fileLabels);
      for (const [strokes, label] of FILE) if (!want.has(keyOf(strokes))) want.set(keyOf(strokes), label);
    },
    remove: async ({ samples, want, gone }) => {
      const [first] = (await samples.list()).good;
      if (!first) return;
      await samples.remove(first);
      const key = first.image.join(',');
      gone.push([key, want.get(key)]);
      want.delete(key);
    },
    'put back': async ({ samples, want, gone }) => {
      await samples.undoRemove();
      const back = gone.pop();
      if (back) want.set(...back);
    },
  };

  // Plays `steps` from a fresh page state; what is wrong then, or null. With
  // `stateOnly`, the state itself (to tell a step that changed nothing).
  async function play(steps, { stateOnly = false } = {}) {
    const world = { drawing: new Drawing(), samples: new Samples(inMemory()), want: new Map(), gone: [], strokes: 0 };
    for (const [i, step] of steps.entries()) {
      await STEPS[step](world, i);
      // What came back is no longer removed.
      world.gone = world.gone.filter(([key]) => !world.want.has(key));
    }
    const { drawing, samples, want, gone } = world, { good } = await samples.list();
    if (stateOnly) {
      return JSON.stringify([drawing.mode, onPad(drawing), good.map((s) => [s.id, s.label]), [...want], gone]);
    }
    const stored = new Map(good.map((s) => [s.image.join(','), s.label]));
    const problems = [];
    if (stored.size !== good.length) problems.push('two samples of one drawing');
    if (stored.size !== want.size || [...want].some(([key, label]) => stored.get(key) !== label)) {
      problems.push(`labels ${JSON.stringify(good.map((s) => s.label))}, chosen ${JSON.stringify([...want.values()])}`);
    }
    const { next, count } = samples.removed;
    if (count !== gone.length || (next?.image.join(',') ?? null) !== (gone.at(-1)?.[0] ?? null)) {
      problems.push(`Undo would put back ${count}, ${gone.length} removed`);
    }
    if (!drawing.isEmpty) {
      const { sample } = await samples.kept(imageOf(onPad(drawing)));
      if ((sample?.label ?? null) !== (want.get(keyOf(onPad(drawing))) ?? null)) problems.push('the row shows another label');
    }
    return problems.length ? problems.join('; ') : null;
  }

  // Depth first; a step that changes nothing (Undo with nothing to undo, a
  // correction with no drawing...) leads where the shorter sequence leads.
  let played = 0;
  const failures = [];
  async function search(steps, before) {
    const state = await play(steps, { stateOnly: true });
    if (state === before) return;
    played++;
    const problem = await play(steps);
    if (problem && failures.length < 10) failures.push(`${steps.join(', ')}: ${problem}`);
    if (steps.length < depth) for (const step of Object.keys(STEPS)) await search([...steps, step], state);
  }
  await search([], null);
  return { played, failures };
}
