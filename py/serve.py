"""Serve the page: python -m py.serve [--port 8000] [--dir web]

A static file server bound to 127.0.0.1, as a static host should be set up
for this page (docs/deploying.md lists the headers):
- `.wasm` as application/wasm (Pyodide needs it: with another type it hangs);
- web/assets/* (named by their content, see py/site.py) with a year of
  `immutable` caching, and .br or .gz copies to browsers that accept them;
  everything else revalidated on each visit (`no-cache`), the page's text
  files (HTML, JS, CSS, JSON) gzipped for browsers that accept it;
- security headers: a Content-Security-Policy that allows what Pyodide needs
  ('wasm-unsafe-eval') and nothing from elsewhere, nosniff, no referrer;
- no directory listings, no server version; a request must arrive whole
  within a time limit (a slow client cannot hold a thread), and a malformed
  one gets its 400 or 414;
- the page's violation reports (POST /csp-report) logged on a line each,
  the first REPORTS_KEPT of them, each cut to REPORT_SHOWN characters.
If the port is taken it takes a free one, and says what that means.
"""

import argparse
import email.utils
import functools
import gzip
import http.server
import io
import json
import os
import re
import socket
import sys
import threading
import time
from pathlib import Path

from .cli.checkout import WEB
from .io.errors import BadInput, run

IMMUTABLE = "public, max-age=31536000, immutable"
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))        # in order of preference
TEXT = (".html", ".js", ".mjs", ".css", ".json", ".webmanifest", ".svg")    # the page's own files: gzipped when sent
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; "
       "img-src 'self' data: blob:; style-src 'self'; font-src 'self' data:; manifest-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; report-uri /csp-report")
REPORT_LIMIT = 1 << 16          # bytes of a violation report; a larger one is refused (413)
REPORTS_KEPT = 100              # violation reports kept (and logged); the server says once that it drops the others
REPORT_SHOWN = 300              # characters kept of each
SECURITY = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "Cross-Origin-Opener-Policy": "same-origin"}


class Arrival(io.RawIOBase):
    """A connection's reading side, on which each request must arrive whole
    (its line, headers and body) within `seconds` of the server waiting for
    it. A timeout per read alone lets a client that sends a byte every few
    seconds hold a thread for ever."""

    def __init__(self, connection: socket.socket, seconds: float) -> None:
        self.connection, self.seconds, self.until = connection, seconds, 0.0

    def restart(self) -> None:
        """The server waits for the next request from now on."""
        self.until = time.monotonic() + self.seconds

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:
        left = self.until - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"the request did not arrive within {self.seconds:g} s")
        self.connection.settimeout(left)
        try:
            return self.connection.recv_into(buffer)
        finally:
            self.connection.settimeout(self.seconds)     # sending the answer has a timeout of its own


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript",
                      ".wasm": "application/wasm", ".webmanifest": "application/manifest+json",
                      ".whl": "application/zip", ".npz": "application/octet-stream"}
    timeout = 30                   # seconds a request may take to arrive, waiting for it included (Arrival)
    server_version = "digits"      # not Python's version
    sys_version = ""
    security = SECURITY            # the headers every answer carries
    # A request line too broken to name its HTTP version is answered as
    # HTTP/1.0: an HTTP/0.9 answer has no status line, so its 400 says nothing.
    default_request_version = "HTTP/1.0"

    def setup(self) -> None:
        super().setup()
        self.rfile.close()         # the socket's own reader, replaced by one with a deadline
        self.arrival = Arrival(self.connection, self.timeout)
        self.rfile = io.BufferedReader(self.arrival)

    def handle_one_request(self) -> None:
        self.arrival.restart()
        super().handle_one_request()

    def send_head(self):
        if "\0" in self.path or "%00" in self.path:
            self.send_error(400, "Bad path")
            return None
        path = Path(self.translate_path(self.path))
        if path.is_dir() and not (path / "index.html").is_file():
            self.send_error(404, "Not found")          # no directory listings
            return None
        if "/assets/" in self.path.split("?")[0] and path.is_file():
            return self._asset(path)
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if path.suffix in TEXT and path.is_file() and "gzip" in self._accepted():
            return self._gzipped(path)
        return super().send_head()

    def _accepted(self) -> set[str]:
        return {e.split(";")[0].strip() for e in self.headers.get("Accept-Encoding", "").split(",")}

    def _asset(self, path: Path):
        """An immutable asset, precompressed when the browser accepts it."""
        encoding, body = next(((name, path.with_name(path.name + suffix)) for name, suffix in ENCODINGS
                               if name in self._accepted() and path.with_name(path.name + suffix).is_file()),
                              (None, path))
        f = open(body, "rb")
        vary = any(path.with_name(path.name + s).is_file() for _, s in ENCODINGS)
        self._headers(path, os.fstat(f.fileno()).st_size, encoding, vary=vary)
        return f

    def _gzipped(self, path: Path):
        """One of the page's own text files, gzipped; revalidated on each
        visit, when an unchanged one costs a 304 and no body."""
        modified = path.stat().st_mtime
        try:
            since = email.utils.parsedate_to_datetime(self.headers["If-Modified-Since"]).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            since = None
        if since is not None and "If-None-Match" not in self.headers and int(modified) <= since:
            self.send_response(304)
            self.end_headers()
            return None
        body = gzip.compress(path.read_bytes(), 6, mtime=0)
        self._headers(path, len(body), "gzip", vary=True)
        return io.BytesIO(body)

    def _headers(self, path: Path, size: int, encoding: str | None, *, vary: bool) -> None:
        """A 200's headers for the file at `path`, sent as `size` bytes in `encoding`."""
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(size))
        self.send_header("Last-Modified", email.utils.formatdate(path.stat().st_mtime, usegmt=True))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        if vary:
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()

    def do_POST(self) -> None:
        """The browser's reports of what the page's policy blocked (anything
        fetched from elsewhere, inline code): kept and logged by the server,
        within bounds. A Content-Length that is no length gets a 400."""
        if self.path != "/csp-report":
            self.send_error(405, "Only violation reports are posted here")
            return
        length = (self.headers.get("Content-Length") or "0").strip()
        if not re.fullmatch(r"[0-9]{1,12}", length):     # "abc", "-1", "1e3": int() takes "+1", "1_0", "٣" too
            self.send_error(400, "Bad Content-Length")
            return
        if int(length) > REPORT_LIMIT:
            self.send_error(413, f"A violation report is at most {REPORT_LIMIT:,} bytes")
            return
        try:
            report = json.loads(self.rfile.read(int(length)))["csp-report"]
            blocked = f"{report.get('blocked-uri', '?')} ({report.get('violated-directive', '?')})"
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):    # not a report: said as one of nothing
            blocked = "? (?)"
        self.server.report(blocked)
        self.send_response(204)
        self.end_headers()

    def send_response(self, code: int, message: str | None = None) -> None:
        """Every answer's status line and the headers all of them carry. Only
        an asset that was found is cached for good; any other answer (an
        error, for a request too malformed to have a path) is asked again."""
        super().send_response(code, message)
        immutable = code == 200 and "/assets/" in self.path.split("?")[0]
        self.send_header("Cache-Control", IMMUTABLE if immutable else "no-cache")
        for name, value in self.security.items():
            self.send_header(name, value)

    def log_message(self, format: str, *args) -> None:
        if not str(args[1] if len(args) > 1 else "").startswith(("2", "3")):
            super().log_message(format, *args)   # only failures


class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 128       # Python's default of 5 overflows under a burst of requests
    daemon_threads = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.violations: list[str] = []      # what the page's policy blocked (tests look)
        self.dropping = False                # REPORTS_KEPT reports are kept: the others are not
        self.lock = threading.Lock()         # requests are handled by threads of their own

    def report(self, blocked: str) -> None:
        """Keep and log one violation report, cut to REPORT_SHOWN printable
        characters (a line of the log each), while fewer than REPORTS_KEPT
        are kept; then say once that the others are dropped."""
        blocked = "".join(c if c.isprintable() else "?" for c in blocked[:REPORT_SHOWN])
        with self.lock:
            keep = len(self.violations) < REPORTS_KEPT
            if keep:
                self.violations.append(blocked)
            said_before, self.dropping = self.dropping, not keep
        if keep:
            print(f"the page's Content-Security-Policy blocked {blocked}", file=sys.stderr)
        elif not said_before:
            print(f"{REPORTS_KEPT} violation reports kept: the others are dropped, and not logged", file=sys.stderr)

    def handle_error(self, request, client_address) -> None:
        """One line, not a traceback: a browser that drops a download it no
        longer needs, or a client that stops talking, is not a server fault."""
        error = sys.exc_info()[1]
        print(f"{client_address[0]}: {type(error).__name__}: {error}", file=sys.stderr)


def make_server(folder: Path = WEB, port: int = 8000) -> Server:
    """A server on `port`, or on a free one when that is taken (port 0: any)."""
    handler = functools.partial(Handler, directory=str(folder))
    try:
        return Server(("127.0.0.1", port), handler)
    except OSError:
        return Server(("127.0.0.1", 0), handler)


def moved_warning(wanted: int, got: int) -> str:
    """What a person must know when the usual address is taken: browsers keep
    the page's samples and networks per address, so they seem to vanish."""
    return (f"Port {wanted} is busy (is this page already served there? Then open http://127.0.0.1:{wanted}/).\n"
            f"Serving at port {got} instead. Your browser keeps samples and networks separately for each\n"
            f"address, so those you made at port {wanted} are not visible at this one. To get back to them,\n"
            f"stop whatever uses port {wanted} and start this server again (or export them to a file there).")


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m py.serve", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=8000, help="1 to 65535 (default 8000)")
    ap.add_argument("--dir", type=Path, default=WEB)
    args = ap.parse_args()
    if not 1 <= args.port <= 65535:
        raise BadInput(f"--port {args.port}: a port is a number from 1 to 65535")
    if not (args.dir / "index.html").is_file():
        raise BadInput(f"--dir {args.dir}: no index.html there (run ./build.sh, which builds and serves web/)")
    server = make_server(args.dir, args.port)
    port = server.server_address[1]
    if port != args.port:
        print(moved_warning(args.port, port), flush=True)
    print(f"Serving {args.dir} at http://127.0.0.1:{port}/  (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    run(main)
