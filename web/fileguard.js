// Browsers load neither module scripts nor WebAssembly from file:// pages:
// say what to do instead of spinning. (A classic script, which file:// runs.)
if (location.protocol === 'file:') {
  document.body.dataset.state = 'error';
  const error = document.getElementById('error');
  error.textContent = 'This page was opened as a file, and browsers do not run WebAssembly from file:// pages.\n' +
    'In the project folder run:  ./build.sh\nthen open the address it prints (http://127.0.0.1:8000/).';
  error.hidden = false;
  document.getElementById('verdict').textContent = 'The recognizer is not available.';
}
