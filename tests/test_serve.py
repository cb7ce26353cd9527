"""The local server that `./build.sh` starts: headers a static host needs,
caching, compression, and no surprises for odd requests."""

import gzip
import json
import http.client
import socket
import subprocess
import sys
import threading

import pytest
from harness.browser import served
from conftest import REPO, assert_clean_error, run_cli

from py import serve

pytestmark = pytest.mark.processes     # a server on a socket: not inside WebAssembly



def get(base: str, path: str, **headers) -> http.client.HTTPResponse:
    host, port = base.split("//")[1].rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def test_assets_are_immutable_and_the_page_revalidated(build):
    with served() as base:
        page, asset = get(base, "/"), get(base, "/" + build["lock"])
    assert page.status == 200 and page.headers["Cache-Control"] == "no-cache"
    assert asset.status == 200 and asset.headers["Cache-Control"] == serve.IMMUTABLE


def test_compressed_copies_go_to_browsers_that_accept_them(build):
    wasm = build["runtime"] + "pyodide.asm.wasm"
    raw = (REPO / "web" / wasm).read_bytes()
    with served() as base:
        plain = get(base, "/" + wasm)
        br = get(base, "/" + wasm, **{"Accept-Encoding": "gzip, deflate, br"})
        gz = get(base, "/" + wasm, **{"Accept-Encoding": "gzip"})
    assert plain.body == raw and plain.headers["Content-Type"] == "application/wasm"
    assert br.headers["Content-Encoding"] == "br" and len(br.body) < len(raw) / 2
    assert br.headers["Content-Type"] == "application/wasm" and br.headers["Vary"] == "Accept-Encoding"
    assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.body) == raw


def test_security_headers_and_no_version():
    with served() as base:
        response = get(base, "/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'wasm-unsafe-eval'" in csp and "unsafe-inline" not in csp and "'unsafe-eval'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "Python" not in response.headers["Server"]


def test_no_listings_and_odd_paths_get_an_answer(capfd):
    with served() as base:
        listing, nul, escape = get(base, "/assets/"), get(base, "/index.html%00.js"), get(base, "/../../etc/passwd")
    assert listing.status == 404 and b"Directory listing" not in listing.body
    assert nul.status == 400
    assert escape.status == 404
    assert "Traceback" not in capfd.readouterr().err


def exchange(base: str, request: bytes) -> bytes:
    """Send raw bytes, return all the server answers until it hangs up."""
    port = int(base.rstrip("/").rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        answer = b""
        while piece := s.recv(65536):
            answer += piece
    return answer


def test_a_malformed_request_line_and_a_huge_url_get_their_answer(capfd):
    """Too broken to have a path or a version, they still get a status line
    (not HTTP/0.9's bare page) with the usual headers, never cached."""
    with served() as base:
        garbage = exchange(base, b"\x00\xff\xfe garbage\r\n\r\n")
        huge = exchange(base, b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        assert get(base, "/").status == 200          # and the server goes on
    for answer, status in ((garbage, b"400"), (huge, b"414")):
        head = answer.split(b"\r\n\r\n")[0].split(b"\r\n")
        assert head[0].startswith(b"HTTP/1.0 " + status), answer[:200]
        assert b"Cache-Control: no-cache" in head and b"X-Content-Type-Options: nosniff" in head
    assert "Traceback" not in capfd.readouterr().err


def test_a_missing_asset_is_not_cached_for_good():
    with served() as base:
        missing = get(base, "/assets/nothing-here.js")
    assert missing.status == 404 and missing.headers["Cache-Control"] == "no-cache"


def test_a_slow_client_is_cut_off_at_the_deadline(monkeypatch):
    """A byte of its headers every 0.3 s keeps every single read short, but
    the whole request must arrive within the handler's timeout: the server
    hangs up while the client is still sending, and the thread is free. (A
    timeout per read alone never hangs up on it.)"""
    monkeypatch.setattr(serve.Handler, "timeout", 2)
    with served() as base:
        port = int(base.rstrip("/").rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(b"GET / HTTP/1.1\r\nX-Slow: ")
            s.settimeout(0.3)
            sent, hung_up = 0, False
            try:
                while sent < 100 and not hung_up:        # 30 s and more of trickling: far past the deadline
                    try:
                        hung_up = s.recv(1) == b""
                    except TimeoutError:                 # the server still waits: one byte more
                        s.sendall(b"a")
                        sent += 1
            except ConnectionError:                      # reset, or a broken pipe: hung up as well
                hung_up = True
        assert hung_up, f"still connected after {sent} bytes trickled"
        assert get(base, "/").status == 200


def test_an_idle_connection_is_closed_and_does_not_starve_others(monkeypatch):
    monkeypatch.setattr(serve.Handler, "timeout", 1)
    with served() as base:
        port = int(base.rstrip("/").rsplit(":", 1)[1])
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(50)]   # never say a word
        assert get(base, "/").status == 200                                          # others are served meanwhile
        idle[0].settimeout(10)
        assert idle[0].recv(1) == b""                          # closed by the server, after its 1 s timeout
        for s in idle:
            s.close()


def test_a_burst_of_connections_is_queued_not_refused():
    with served() as base:
        results = []
        threads = [threading.Thread(target=lambda: results.append(get(base, "/").status)) for _ in range(200)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert results.count(200) == 200


def test_an_impossible_port_is_refused_in_one_line():
    assert_clean_error(run_cli("py.serve", "--port", "99999"), "--port 99999")


def test_a_busy_port_is_said_plainly_with_what_it_means_for_saved_samples():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "py.serve", "--port", str(port)], cwd=REPO,
                                  stdout=subprocess.PIPE, text=True)
        try:
            lines = [server.stdout.readline() for _ in range(5)]
        finally:
            server.terminate()
            server.wait(10)
    said = "".join(lines)
    assert f"Port {port} is busy" in said and "samples and networks" in said
    assert "Serving" in lines[-1] and f":{port}/" not in lines[-1]


def test_the_pages_own_text_files_are_gzipped_and_an_unchanged_one_costs_a_304():
    raw = (REPO / "web" / "main.js").read_bytes()
    with served() as base:
        zipped = get(base, "/main.js", **{"Accept-Encoding": "gzip, br"})
        again = get(base, "/main.js", **{"Accept-Encoding": "gzip", "If-Modified-Since": zipped.headers["Last-Modified"]})
        plain = get(base, "/main.js")
        index = get(base, "/", **{"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped.body) == raw
    assert zipped.headers["Content-Type"] == "text/javascript" and zipped.headers["Cache-Control"] == "no-cache"
    assert len(zipped.body) < len(raw) / 2 and zipped.headers["Vary"] == "Accept-Encoding"
    assert again.status == 304 and again.body == b""
    assert plain.body == raw and "Content-Encoding" not in plain.headers
    assert gzip.decompress(index.body) == (REPO / "web" / "index.html").read_bytes()


def post_report(base: str, body: bytes, length: str | None = None) -> bytes:
    """POST a violation report as raw bytes (its Content-Length as given); the answer."""
    head = f"POST /csp-report HTTP/1.1\r\nHost: x\r\nContent-Type: application/csp-report\r\n" \
           f"Content-Length: {len(body) if length is None else length}\r\n\r\n"
    return exchange(base, head.encode() + body)


def test_violation_reports_are_bounded_in_what_is_kept_and_logged(capfd):
    """A flood of large reports: the server keeps and logs REPORTS_KEPT of
    them, each cut short on one line, then says once that it drops the rest."""
    report = lambda i: json.dumps({"csp-report": {"blocked-uri": f"http://x/{i}" + "a\nb" * 12_000,     # noqa: E731
                                                  "violated-directive": "connect-src"}}).encode()
    with served() as base:
        answers = [post_report(base, report(i)) for i in range(serve.REPORTS_KEPT + 30)]
        kept = list(base.server.violations)
        base.server.violations.clear()                           # room again: kept and logged again
        post_report(base, report("again"))
        assert base.server.violations == [kept[0].replace("/0", "/again")[:serve.REPORT_SHOWN]]
    assert all(a.startswith(b"HTTP/1.0 204") for a in answers)
    assert len(kept) == serve.REPORTS_KEPT and all(len(k) <= serve.REPORT_SHOWN for k in kept)
    assert kept[0].startswith("http://x/0a?ba?b")                # a newline never starts a line of the log
    log = capfd.readouterr().err.splitlines()
    blocked = [line for line in log if "Content-Security-Policy blocked" in line]
    assert len(blocked) == serve.REPORTS_KEPT + 1 and all(len(line) < serve.REPORT_SHOWN + 100 for line in log)
    assert sum("the others are dropped" in line for line in log) == 1


@pytest.mark.parametrize("length, body, status", [
    ("abc", b"{}", b"400"), ("-1", b"{}", b"400"), ("1e3", b"{}", b"400"), ("+2", b"{}", b"400"),
    (str(serve.REPORT_LIMIT + 1), b"{}", b"413"), (None, b"[" * 50_000 + b"]" * 10_000, b"204"),
    (None, b'{"csp-report": 5}', b"204"), (None, b"\xff\xfe", b"204")])
def test_a_malformed_violation_report_gets_its_answer(capfd, length, body, status):
    with served() as base:
        answer = post_report(base, body, length)
        assert get(base, "/").status == 200                  # and the server goes on
    assert answer.split(b"\r\n")[0].split(b" ")[1] == status, answer[:200]
    assert "Traceback" not in capfd.readouterr().err
