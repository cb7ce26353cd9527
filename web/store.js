// What the page keeps in this browser (IndexedDB): the person's corrected
// samples, {id, image: Uint8Array(784) 0..255, label, time}, and personalized
// weights files by model name.

const DB = 'digits';
let opened = null;

function db() {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore('samples', { keyPath: 'id', autoIncrement: true });
      request.result.createObjectStore('weights');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opened;
}

async function run(storeName, mode, action) {
  const tx = (await db()).transaction(storeName, mode);
  const request = action(tx.objectStore(storeName));
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error);
  });
}

export const addSample = (image, label) =>
  run('samples', 'readwrite', (s) => s.add({ image, label, time: Date.now() }));
export const listSamples = () => run('samples', 'readonly', (s) => s.getAll());
export const deleteSample = (id) => run('samples', 'readwrite', (s) => s.delete(id));
export const saveWeights = (name, bytes) => run('weights', 'readwrite', (s) => s.put(bytes, name));
export const loadWeights = (name) => run('weights', 'readonly', (s) => s.get(name));
export const deleteWeights = (name) => run('weights', 'readwrite', (s) => s.delete(name));
