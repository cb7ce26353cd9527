"""Serve the page: python -m py.serve [--port 8000] [--dir web]

A static file server bound to 127.0.0.1. Python's mime table serves `.wasm`
as application/wasm, which Pyodide needs (with any other type it hangs).
If the port is taken it takes a free one; it prints the address either way.
"""

import argparse
import functools
import http.server
import sys
from pathlib import Path

WEB = Path(__file__).resolve().parent.parent / "web"


class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        # Revalidate every file, so a rebuilt py.zip or new weights are never stale.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        if not str(args[1] if len(args) > 1 else "").startswith(("2", "3")):
            super().log_message(format, *args)   # only failures


def make_server(folder: Path = WEB, port: int = 8000) -> http.server.ThreadingHTTPServer:
    """A server on `port`, or on a free one when that is taken (port 0: any)."""
    handler = functools.partial(Handler, directory=str(folder))
    try:
        return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError:
        return http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)


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
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--dir", type=Path, default=WEB)
    args = ap.parse_args()
    server = make_server(args.dir, args.port)
    port = server.server_address[1]
    if args.port and port != args.port:
        print(moved_warning(args.port, port), flush=True)
    print(f"Serving {args.dir} at http://127.0.0.1:{port}/  (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
