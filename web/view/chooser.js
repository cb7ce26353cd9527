// The choice of network (view): a radio button per network of networks.js,
// each saying what it is and whether it has learned this person's
// handwriting, with a button to remove those a person added (said under
// the list, with a button to undo it); and what went wrong restoring saved
// ones, with a button to remove each that no longer loads.

import { $, say } from './dom.js';
import { networkName, pct } from '../state/format.js';

export function showNetworks(networks) {
  for (const name of networks.all.keys()) showNetwork(networks, name);
  $('models-undo').addEventListener('click', () => undoRemove(networks));
  networks.addEventListener('change', ({ detail: { what, name } }) => {
    if (what === 'listed') showNetwork(networks, name);
    else if (what === 'removed') choiceOf(name)?.remove();
    else if (what === 'chosen') checkOnly(name);
  });
}

const choiceOf = (name) => $('models').querySelector(`[data-model="${CSS.escape(name)}"]`);

function checkOnly(name) {
  const input = choiceOf(name)?.querySelector('input');
  if (input) input.checked = true;
}

function showNetwork(networks, name) {
  const m = networks.all.get(name);
  let choice = choiceOf(name);
  if (!choice) {
    choice = Object.assign(document.createElement('div'), { className: 'choice' });
    choice.dataset.model = name;
    const label = document.createElement('label');
    const input = Object.assign(document.createElement('input'), { type: 'radio', name: 'model', value: name });
    input.dataset.testid = `model-${name}`;
    input.addEventListener('change', () => networks.choose(name));
    label.append(input, document.createElement('span'));
    choice.append(label);
    if (!networks.isShipped(name)) {
      const button = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Remove' });
      button.dataset.testid = `remove-${name}`;
      button.setAttribute('aria-label', `Remove the network ${networkName(m)}`);
      button.addEventListener('click', () => remove(networks, name));
      choice.append(button);
    }
    $('models').append(choice);
  }
  choice.querySelector('input').checked = networks.chosen === name;
  const what = networks.isShipped(name) ? '' : `${m.kind.toUpperCase()} `;
  const span = choice.querySelector('span');
  span.textContent = ` ${networkName(m)} `;
  const small = document.createElement('small');
  small.textContent = `(${what}${m.layers.join('-')}, ${m.parameters.toLocaleString()} weights, ` +
    `${accuracy(m)}${m.personal ? ', knows your handwriting' : ''})`;
  span.append(small);
  $('models').hidden = false;
  $('models-repair').querySelector(`[data-name="${CSS.escape(name)}"]`)?.remove();   // replaced: nothing to repair
}

// Removes a network; says so under the list, beside a button to undo it,
// which gets the focus (the Remove button pressed is gone).
async function remove(networks, name) {
  const m = networks.all.get(name), chosen = networks.chosen === name;
  try {
    await networks.remove(name);
  } catch (e) {
    say('models-status', `Could not remove ${networkName(m)}: ${e.message}.`);
    return;
  }
  say('models-status', `Removed the network ${networkName(m)}` +
      (chosen ? `; ${networks.who(networks.chosen)} answers your drawings now.` : '.'));
  showUndo(networks);
  $('models-undo').focus();
}

// Puts back the network removed last; the focus goes to its choice when
// nothing more is left to put back.
async function undoRemove(networks) {
  const name = networkName(networks.removed);
  try {
    const m = await networks.undoRemove();
    say('models-status', `Put back the network ${name}` +
        (networks.chosen === m.name ? '; it answers your drawings again.' : '.'));
    showUndo(networks);
    if ($('models-undo').hidden) choiceOf(m.name).querySelector('input').focus();
  } catch (e) {
    say('models-status', `Could not put back ${name}: ${e.message}.`);
  }
}

function showUndo(networks) {
  const m = networks.removed;
  $('models-undo').hidden = !m;
  if (m) $('models-undo').setAttribute('aria-label', `Undo: put back the network ${networkName(m)}`);
}

// How well a network reads digits. A taught one was measured on the page's
// MNIST check digits before and after teaching: both are said, so that no
// change of digit set looks like a loss.
export function accuracy(m) {
  return m.val_before == null ? `${pct(m.val_accuracy)} on validation digits`
    : `${pct(m.val_accuracy)} on MNIST check digits, ${pct(m.val_before)} before teaching`;
}

// What restoring saved networks ran into ({problems, broken}: networks.js),
// with a button to remove each saved network that does not load.
export function showRestored(networks, { problems, broken }) {
  say('models-status', problems.join(' '));
  $('models-repair').replaceChildren(...broken.map((name) => {
    const button = Object.assign(document.createElement('button'), { type: 'button',
      textContent: `Remove the saved "${name}"` });
    button.dataset.name = name;
    button.addEventListener('click', async () => {
      await networks.forget(name);
      button.remove();
      say('models-status', `Removed the saved "${name}".`);
    });
    return button;
  }));
}
