// Fetching the page's own files, on the main thread and in the worker alike.
// Their names (build.json's) are relative to the page's folder, web/, which
// is not where the worker's script is: `atPage` resolves them there.

// The address of a file of the page, given as build.json names it.
export const atPage = (name) => new URL(`../${name}`, import.meta.url).href;

// The bytes of one of the page's files, or an error that names it and says
// what to do. `init`: fetch's options.
async function fetchBytes(url, init) {
  let response;
  try {
    response = await fetch(atPage(url), init);
  } catch {
    // fetch says only "Failed to fetch" (Chromium) or "NetworkError..." (Firefox).
    throw new Error(`${url}: could not be downloaded: the network is off or the server has stopped. ` +
                    'Reconnect (or start the server again with ./build.sh) and try again.');
  }
  if (!response.ok) {
    throw new Error(`${url}: the server answered ${response.status} ${response.statusText}. ` +
                    'Run ./build.sh, which builds the page\'s files and serves them.');
  }
  return new Uint8Array(await response.arrayBuffer());
}

// The bytes of one of the build's assets (under assets/), checked against
// the SHA-256 that build.json records before anyone uses them. Assets are
// kept in the browser's cache for a year: a copy that does not match,
// damaged on its way here or in that cache, is fetched once more past the
// cache, which keeps the new copy in its place (so a file that the server
// serves right again is right on the next visit, or at once); if that one
// does not match either, the error names the file.
export async function fetchAsset(url) {
  const expected = (await fetchBuild()).sha256[url];
  const bytes = await fetchBytes(url);
  if (await sha256(bytes) === expected) return bytes;
  const again = await fetchBytes(url, { cache: 'reload' });
  if (await sha256(again) === expected) return again;
  throw new Error(`${url} is damaged: what the server sends is not this build's file. ` +
                  'Run ./build.sh, which builds the page\'s files again and serves them, then reload.');
}

// Hex SHA-256 of bytes, as py/site.py writes it in build.json.
async function sha256(bytes) {
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))]
    .map((b) => b.toString(16).padStart(2, '0')).join('');
}

let built = null;

// build.json: where the page's large files are in this build (py/site.py).
export function fetchBuild() {
  built ??= fetchBytes('build.json').then((bytes) => {
    try {
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      throw new Error(`build.json: damaged (${e.message}). Run ./build.sh, which builds the page's files again.`);
    }
  }).catch((e) => { built = null; throw e; });
  return built;
}

// The shipped networks' names, the first answers first: build.json's
// `shipped` (py/site.py's SHIPPED).
export const shippedNames = (build) => build.shipped;
