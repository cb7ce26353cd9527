// Runs before the page's modules, as a classic script (which browsers run
// even from file://, and when a module fails): when the page cannot start at
// all, it says why, naming the file, instead of "Loading…" forever.

// The page's one way of saying it cannot start (page.js's showFailure
// calls it too, once the recognizer fails): a classic script cannot export.
function cannotStart(message) {
  document.body.dataset.state = 'error';
  const error = document.getElementById('error');
  error.textContent = message;
  error.hidden = false;
  document.getElementById('verdict').textContent = 'The recognizer is not available.';
}
window.cannotStart = cannotStart;

// Browsers load neither module scripts nor WebAssembly from file:// pages.
if (location.protocol === 'file:') {
  cannotStart('This page was opened as a file, and browsers do not run WebAssembly from file:// pages.\n' +
    'In the project folder run:  ./build.sh\nthen open the address it prints (http://127.0.0.1:8000/).');
}

// A script that does not load (main.js or a module it imports) or does not
// run: its load error reaches the window only while it is being captured.
// A module that fails to load is reported on main.js, whichever it was: the
// page's scripts (build.json lists them) are asked for to find out.
window.addEventListener('error', async (event) => {
  if (document.body.dataset.state !== 'loading') return;
  const loading = event.target instanceof HTMLScriptElement;
  const script = loading ? event.target.src : event.filename;
  if (!script) return;
  let files = [new URL(script, location.href).pathname.split('/').pop()];
  if (loading) {
    try {
      const build = await (await fetch('build.json')).json();
      const scripts = build.precache.filter((f) => f.endsWith('.js'));
      const missing = (await Promise.all(scripts.map(async (f) => ((await fetch(f, { method: 'HEAD' })).ok ? null : f))))
        .filter(Boolean);
      if (missing.length) files = missing;
    } catch {
      // build.json itself is missing: say what we know
    }
  }
  cannotStart(`The page's script${files.length > 1 ? 's' : ''} ${files.join(', ')} could not be ` +
    `${loading ? 'loaded' : 'run'}${event.message ? ` (${event.message})` : ''}. ` +
    'Run ./build.sh, which builds the page\'s files and serves them, then reload.');
}, true);
