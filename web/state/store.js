// What the page keeps in this browser, for this page's address:
// - IndexedDB "digits": the person's samples, {id, image: Uint8Array(PIXELS)
//   0..255, label 0..9 or -1 (not a digit), time}, and weights files by
//   network name ("cnn", "mlp": personalized; "yours", "yours-2"...: trained
//   here; "file:NAME": imported);
// - localStorage: the person's choices (network, mode).
// Whatever is stored may be damaged (another version of the page, a browser
// extension, a full disk): every reader checks what it gets and reports
// damaged records instead of failing.

import { PIXELS, SIDE } from './image.js';

const DB = 'digits';
const STORES = ['samples', 'weights'];
const SETTINGS = 'digits.settings';
let opened = null;

const done = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});

// Opens the database at whatever version it is; adds missing stores with an
// upgrade (so a database left by another version of the page never fails
// with a VersionError).
async function openDb() {
  const db = await done(indexedDB.open(DB));
  if (STORES.every((s) => db.objectStoreNames.contains(s))) return db;
  const version = db.version + 1;
  db.close();
  const request = indexedDB.open(DB, version);
  request.onupgradeneeded = () => {
    for (const s of STORES) {
      if (request.result.objectStoreNames.contains(s)) continue;
      if (s === 'samples') request.result.createObjectStore(s, { keyPath: 'id', autoIncrement: true });
      else request.result.createObjectStore(s);
    }
  };
  return done(request);
}

function db() {
  opened ??= openDb().catch((e) => {
    opened = null;
    throw new Error(`this browser's storage cannot be opened (${e?.message || e})`);
  });
  return opened;
}

async function run(storeName, mode, action) {
  const tx = (await db()).transaction(storeName, mode);
  const request = action(tx.objectStore(storeName));
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('storage transaction aborted'));
  });
}

// What is wrong with a stored sample, or null when it can be used.
function sampleProblem(s) {
  if (!(s?.image instanceof Uint8Array) || s.image.length !== PIXELS) return `no ${SIDE}×${SIDE} image`;
  if (!Number.isInteger(s.label) || s.label < -1 || s.label > 9) return `label ${JSON.stringify(s?.label)} is not a digit`;
  return null;
}

// {good: [samples], damaged: [{id, problem}]}.
export async function listSamples() {
  const all = await run('samples', 'readonly', (s) => s.getAll());
  const good = [], damaged = [];
  for (const s of all) {
    const problem = sampleProblem(s);
    if (problem) damaged.push({ id: s?.id, problem }); else good.push(s);
  }
  return { good, damaged };
}

// Adds [{image, label}] in one transaction: all of them, or none.
export const addSamples = (samples) => run('samples', 'readwrite', (s) => {
  let last = null;
  for (const { image, label } of samples) last = s.add({ image, label, time: Date.now() });
  return last;
});
export const deleteSample = (id) => run('samples', 'readwrite', (s) => s.delete(id));
// Puts a sample back as it was (its id too), or stores a change to one.
export const putSample = (sample) => run('samples', 'readwrite', (s) => s.put(sample));

// Weights files saved earlier: [[name, bytes]] (bytes not checked: loading them does that).
export async function listWeights() {
  const [names, files] = await Promise.all([run('weights', 'readonly', (s) => s.getAllKeys()),
                                            run('weights', 'readonly', (s) => s.getAll())]);
  return names.map((name, i) => [String(name), files[i]]);
}
export const saveWeights = (name, bytes) => run('weights', 'readwrite', (s) => s.put(bytes, name));
export const deleteWeights = (name) => run('weights', 'readwrite', (s) => s.delete(name));

// The person's choices: {model, mode}; defaults when none or unreadable.
export function loadSettings() {
  try {
    const s = JSON.parse(localStorage.getItem(SETTINGS) ?? '{}');
    return { model: typeof s.model === 'string' ? s.model : null, mode: s.mode === 'number' ? 'number' : 'digit' };
  } catch {
    return { model: null, mode: 'digit' };
  }
}

export function saveSettings(changes) {
  try {
    localStorage.setItem(SETTINGS, JSON.stringify({ ...loadSettings(), ...changes }));
  } catch {
    // Storage full or disabled: the choice holds for this visit only.
  }
}
