// The first visit's downloads, started as soon as this small module arrives
// (it imports nothing), while the rest of the page's code is still on its
// way: build.json's `first_answer`, what the first answer needs, group after
// group, each once the one before has arrived, and dropped. On a slow link,
// files fetched together share it and all arrive late; so the runtime comes
// first, and Python starts while the wheels and the network still arrive.
// The worker (and Pyodide in it) asks for each file when it needs it, and the
// browser hands it this same download, or its HTTP cache (the files are
// immutable). This runs on the main thread, which starting Python never
// keeps busy. A page that a service worker serves has it all on the device
// already, and skips this; a failure here is the worker's to report.

// As a blob, which the browser keeps outside JavaScript's heap: reading the
// body chunk by chunk here kept the main thread busy while the page started,
// and delayed the first answer.
async function drain(url) {
  await (await fetch(url)).blob();
}

async function fetchInOrder() {
  const { first_answer: groups } = await (await fetch('build.json')).json();
  for (const urls of groups) await Promise.all(urls.map((url) => drain(url).catch(() => {})));
}

if (!navigator.serviceWorker?.controller) fetchInOrder().catch(() => {});
