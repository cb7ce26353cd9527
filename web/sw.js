// The service worker: the page works offline after one visit. Registered as
// sw.js?v=<build version> (main.js), so every build is a new worker that
// stores that build's files (build.json's "precache" list) in a cache of its
// own, and drops the caches of older builds once it takes over.
//
// Every asset is checked against the SHA-256 in build.json before it is kept
// (the page checks them before it uses them: files.js's fetchAsset).
//
// Fetching: the page's own files come from this build's cache, so a visit
// starts without waiting for the network, and all of them belong to one
// build. build.json alone goes to the network first: that is how the page
// learns of a newer build (and then registers its worker, and offers to
// switch). The large files under assets/ never change (their folder is named
// by their content): while online this worker leaves them to the browser,
// whose HTTP cache serves them at once and keeps the WebAssembly it compiled
// (passing the runtime through a service worker measured slower); offline they
// come from this cache.

const VERSION = new URL(self.location).searchParams.get('v') ?? 'dev';
const CACHE = `digits-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const build = await (await fetch('build.json', { cache: 'no-cache' })).json();
    const urls = [...build.precache, 'build.json'];
    const responses = await Promise.all(urls.map((url) => checked(url, build.sha256[url])));
    const cache = await caches.open(CACHE);                 // stored only once every file is known good
    await Promise.all(urls.map((url, i) => cache.put(url, responses[i])));
  })());
});

// A file to keep, as the server sends it; an asset only once it matches the
// SHA-256 that build.json records, fetched once more past the browser's
// cache if it does not. A file still damaged fails the install, which the
// next visit tries again: nothing damaged is kept for offline use.
async function checked(url, expected) {
  for (const cache of ['default', 'reload']) {
    const response = await fetch(url, { cache });
    if (!response.ok) throw new Error(`${url}: the server answered ${response.status}`);
    if (!expected || await sha256(await response.clone().arrayBuffer()) === expected) return response;
  }
  throw new Error(`${url} is damaged: what the server sends is not this build's file`);
}

// Hex SHA-256 of bytes, as py/site.py writes it in build.json (files.js has
// the same: a classic worker such as this one cannot import a module).
async function sha256(bytes) {
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))]
    .map((b) => b.toString(16).padStart(2, '0')).join('');
}

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith('digits-') && name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

// The page asks a waiting worker to take over when the person chooses to reload.
self.addEventListener('message', (event) => {
  if (event.data === 'take-over') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  const asset = url.pathname.includes('/assets/');
  if (asset && navigator.onLine) return;
  const fromCache = () => caches.open(CACHE).then((cache) => cache.match(event.request));
  const fromNetwork = () => fetch(event.request);
  const first = asset || url.pathname.endsWith('/build.json') ? [fromNetwork, fromCache] : [fromCache, fromNetwork];
  event.respondWith((async () => {
    try {
      const response = await first[0]();
      if (response) return response;
    } catch {
      // offline, or not stored: the other way
    }
    const response = await first[1]();
    if (!response) throw new TypeError(`${url.pathname}: not stored for offline use, and the network is off`);
    return response;
  })());
});
