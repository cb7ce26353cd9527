// Training a new network from scratch in the page, on the replay set of MNIST
// digits, with a live chart of its loss and accuracy; pause, resume, stop.
// `app` as in teach.js, plus addModel(description) to offer the result.

import { $ } from './dom.js';
import { pct } from './format.js';
import { TrainingControl } from './training.js';

export function setupScratch(app) {
  let control = new TrainingControl();
  let loss = [], accuracy = [], total = 1;

  $('scratch-start').addEventListener('click', async () => {
    const form = Object.fromEntries(new FormData($('scratch-form')));
    const config = { kind: form.kind, layers: form.layers, lr: Number(form.lr),
                     batch_size: Number(form.batch_size), epochs: Number(form.epochs) };
    control = new TrainingControl();
    setRunning(true);
    try {
      await app.replay();
      ({ total } = await app.call('start_scratch', config));
      loss = []; accuracy = [];
      const done = await app.train((p) => {
        loss.push([p.step, p.loss]);
        if (p.val_accuracy != null) accuracy.push([p.step, p.val_accuracy]);    // Python's None is undefined here
        draw();
        $('scratch-status').textContent = `Epoch ${p.epoch} of ${config.epochs}, step ${p.step} of ${p.total}: ` +
          `loss ${p.loss.toFixed(3)}, training accuracy ${pct(p.accuracy)}` +
          (accuracy.length ? `, validation ${pct(accuracy.at(-1)[1])}` : '') +
          (control.paused ? ' (paused)' : '');
      }, control);
      const result = done ? done.result : await app.call('stop_training');
      if (result) {
        app.addModel(result.model);
        $('scratch-status').textContent = `${done ? 'Done' : 'Stopped'}: ${pct(result.model.val_accuracy)} ` +
          'on the validation digits. It now answers your drawings as "Yours".';
      } else {
        $('scratch-status').textContent = 'Stopped before the first step.';
      }
    } catch (e) {
      $('scratch-status').textContent = `Could not train: ${e.message}`;
    } finally {
      setRunning(false);
    }
  });
  $('scratch-pause').addEventListener('click', () => {
    if (control.paused) control.resume(); else control.pause();
    $('scratch-pause').textContent = control.paused ? 'Resume' : 'Pause';
    if (control.paused) $('scratch-status').textContent += ' (paused)';
  });
  $('scratch-stop').addEventListener('click', () => control.stop());

  function setRunning(running) {
    $('scratch-start').disabled = running;
    $('scratch-pause').disabled = $('scratch-stop').disabled = !running;
    $('scratch-pause').textContent = 'Pause';
  }

  // Loss (red, left scale) per slice and validation accuracy (blue, right
  // scale, 0-100%) per epoch, against the training step.
  function draw() {
    const canvas = $('chart'), ctx = canvas.getContext('2d');
    const { width: w, height: h } = canvas, pad = 36;
    const style = getComputedStyle(document.body);
    ctx.clearRect(0, 0, w, h);
    ctx.font = '12px sans-serif';
    ctx.fillStyle = ctx.strokeStyle = style.getPropertyValue('--muted');
    ctx.strokeRect(pad, pad / 2, w - 2 * pad, h - 1.5 * pad);
    const top = Math.max(...loss.map(([, l]) => l), 1e-6);
    const x = (step) => pad + (w - 2 * pad) * step / total;
    const line = (points, y, color) => {
      ctx.strokeStyle = color; ctx.lineWidth = 2; ctx.beginPath();
      points.forEach(([s, v], i) => (i ? ctx.lineTo(x(s), y(v)) : ctx.moveTo(x(s), y(v))));
      ctx.stroke();
    };
    line(loss, (l) => h - pad + (pad / 2 + pad - h) * l / top, '#e0452b');
    line(accuracy, (a) => h - pad + (pad / 2 + pad - h) * a, '#2b7be0');
    ctx.fillText(`loss ${top.toFixed(2)}`, 2, pad / 2 + 10);
    ctx.fillText('0', pad - 12, h - pad);
    ctx.fillText('100%', w - pad + 2, pad / 2 + 10);
    ctx.fillText(`step ${total}`, w - pad - 50, h - pad / 2 + 6);
  }
}
