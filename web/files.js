// Fetching the page's own files, on the main thread and in the worker alike.

// The bytes of one of the page's files, or an error that names it and says
// what to do.
export async function fetchBytes(url) {
  let response;
  try {
    response = await fetch(url);
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
