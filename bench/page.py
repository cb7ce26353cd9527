"""`./build.sh bench page [--loads N] [--links L,...] [--against REV]`: the
first visit on slow links, start-up, caching and offline use of the page in
headless Chromium, with figures, never a verdict.

Each round gives every build a fresh browser profile per link and loads it:
  cold     the first visit, nothing cached, through each link in --links: a
           digit is drawn as soon as the pad shows, during loading, and
           "first answer" is the time from navigation to its answer on
           screen; the visit lasts until the service worker has stored the
           build (the first visit's bytes "in all");
and on `local` (no throttle) also
  warm     a second visit with the same profile (browser restarted), drawing
           --draws digits (stroke end to answer);
  offline  a reload with the network off (only builds with a service worker).
Every byte is counted, and throttled, by the bench's own server, so the Web
Worker's and the service worker's requests pass the link too (Chromium's
per-page network emulation leaves a dedicated worker's requests alone). A
link is one shared pipe: all responses together get its bandwidth, each
request waits one round trip and each new connection one more (the server
speaks HTTP/1.0: a connection per request). Before the rounds, the page
fetches a file of known size through each link, and the time it took shows
the throttle at work. Bytes are headers and bodies as sent, with compression
(the browser accepts br) and, once, without; per file, before the first
answer and in all.

With --against REV the build of that commit (built in .cache/bench/REV by its
own build.sh) is loaded in the same rounds, interleaved (who goes first
alternates), and ratios (this build / REV) are given per round.
"""

import http.server
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import NamedTuple

from harness.browser import ARGS, CHROMIUM, draw_digit, load_strokes, mouse_draw, place, wait_ready

from py.cli.checkout import REPO, WEB
from py.serve import Handler, Server


class Link(NamedTuple):
    name: str
    mbps: float | None         # megabits per second down; None: as fast as the machine serves
    rtt: float                 # seconds of one round trip


# Lighthouse's "Slow 4G" (its mobile default), a better phone link, and no throttle.
LINKS = {"slow4g": Link("Slow 4G (1.6 Mb/s, 150 ms)", 1.6, 0.150),
         "9mbps": Link("9 Mb/s, 40 ms", 9.0, 0.040),
         "local": Link("local (no throttle)", None, 0.0)}
PROBE = "/bench-probe.bin"       # the file of known size that shows the throttle at work
PROBE_BYTES = 500_000
CHUNK = 16 * 1024                # bytes paced at a time: parallel downloads share the link fairly


class Meter:
    """What a server sent, response by response ([path, bytes, epoch seconds
    at its last byte]), paced through one link shared by every connection."""

    def __init__(self, link: Link) -> None:
        self.link, self.lock, self.free_at, self.log = link, threading.Lock(), 0.0, []

    def wait(self, seconds: float) -> None:
        if self.link.mbps:
            time.sleep(seconds)

    def pace(self, n: int) -> None:
        """Returns once `n` more bytes have passed the link, after those before them."""
        if not self.link.mbps:
            return
        with self.lock:
            self.free_at = max(time.monotonic(), self.free_at) + n * 8 / (self.link.mbps * 1e6)
            until = self.free_at
        time.sleep(max(0.0, until - time.monotonic()))

    def sent(self, since: float = 0.0, until: float = float("inf")) -> int:
        return sum(n for _, n, t in self.log if since <= t <= until)


class Metered:
    """A handler whose every byte is counted, and paced, by the server's meter;
    it also serves PROBE, PROBE_BYTES of zeros."""

    def setup(self) -> None:
        super().setup()
        self.server.meter.wait(self.server.meter.link.rtt)        # the connection's handshake
        raw, handler = self.wfile, self

        class Writer:
            def write(self, data: bytes) -> int:
                for at in range(0, len(data), CHUNK):
                    piece = data[at:at + CHUNK]
                    handler.server.meter.pace(len(piece))
                    handler.response_bytes += len(piece)
                    raw.write(piece)
                return len(data)

            def __getattr__(self, name):
                return getattr(raw, name)

        self.wfile = Writer()

    def handle_one_request(self) -> None:
        self.response_bytes = 0
        super().handle_one_request()
        if self.response_bytes:
            self.server.meter.log.append((self.path.split("?")[0], self.response_bytes, time.time()))

    def parse_request(self) -> bool:
        ok = super().parse_request()
        if ok:
            self.server.meter.wait(self.server.meter.link.rtt)    # the request's way up, the answer's down
            if self.server.plain:
                del self.headers["Accept-Encoding"]
        return ok

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.split("?")[0] != PROBE:
            return super().do_GET()
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(PROBE_BYTES))
        self.end_headers()
        self.wfile.write(bytes(PROBE_BYTES))


class MeteredHandler(Metered, Handler):
    """The project's server (py/serve.py), metered."""


class BaselineHandler(Metered, http.server.SimpleHTTPRequestHandler):
    """How the server of the builds before py/site.py served: no-cache for everything."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


@contextmanager
def serving(folder: Path, handler, link: Link = LINKS["local"], plain: bool = False):
    """`folder` served on a free port through `link`; yields the URL (its
    server's meter is `url.meter`). `plain`: ignore Accept-Encoding."""
    server = Server(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    server.meter, server.plain = Meter(link), plain
    server.handle_error = lambda *_: None          # a browser closed while downloading: no fault here
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = Url(f"http://127.0.0.1:{server.server_address[1]}/")
    url.meter = server.meter
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


class Url(str):
    meter: Meter


def build_of(rev: str) -> Path:
    """web/ of commit `rev`, built by that commit's own build.sh (kept for next time)."""
    folder = REPO / ".cache" / "bench" / rev
    if not (folder / "web" / "index.html").is_file() or not (folder / ".built").exists():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(["git", "worktree", "prune"], cwd=REPO, check=True, capture_output=True)
        subprocess.run(["git", "worktree", "add", "--detach", "-f", str(folder), rev], cwd=REPO, check=True,
                       capture_output=True)
        print(f"building {rev} in {folder.relative_to(REPO)} (its own ./build.sh setup)...", flush=True)
        subprocess.run(["./build.sh", "setup"], cwd=folder, check=True, capture_output=True)
        (folder / ".built").touch()
    return folder / "web"


def browse(playwright, profile: Path):
    context = playwright.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, args=ARGS,
                                                           viewport={"width": 1000, "height": 800})
    return context, (context.pages[0] if context.pages else context.new_page())


def probe(playwright, link: Link) -> float:
    """Seconds the page takes to fetch PROBE through `link` (the median of 3)."""
    with serving(WEB, MeteredHandler, link) as url, tempfile.TemporaryDirectory() as profile:
        context, page = browse(playwright, Path(profile))
        try:
            page.goto(url + "manifest.webmanifest")
            page.wait_for_timeout(1000)           # the browser's own requests (a favicon) out of the way
            return statistics.median(page.evaluate("""async (probe) => { const start = performance.now();
                await (await fetch(probe, {cache: 'no-store'})).arrayBuffer();
                return (performance.now() - start) / 1000; }""", PROBE) for _ in range(3))
        finally:
            context.close()


def cold(playwright, profile: Path, url: Url, *, stroke, timeout_s: float, stored: bool) -> dict:
    """The first visit: a digit drawn during loading; seconds to ready and to
    its answer, bytes before that answer and in all (once the service worker,
    if the build has one, has stored it), and bytes per file. A page that
    fails or gives up gives {"failed": what it said, "bytes": ...}."""
    context, page = browse(playwright, profile)
    url.meter.log.clear()
    try:
        start = time.perf_counter()
        page.goto(url, timeout=timeout_s * 1000)
        box = page.get_by_test_id("canvas").bounding_box()
        mouse_draw(page, place(stroke, box, 0.7, (0.15, 0.15)))
        try:
            state = wait_ready(page, timeout_s * 1000)
        except Exception:               # Playwright's timeout: the page is still loading
            state = f"still loading after {timeout_s:.0f} s"
        if state != "ready":
            said = page.locator("#error").text_content() if state == "error" else state
            return {"failed": said, "failed after": time.perf_counter() - start,
                    "bytes by then": url.meter.sent()}
        ready = time.perf_counter() - start
        page.wait_for_selector("body[data-busy=false]", state="attached", timeout=30_000)
        answered = time.perf_counter() - start
        # The page's own mark, where it has one: when the answer was shown.
        origin, mark = page.evaluate("""[performance.timeOrigin,
            performance.getEntriesByName('first-answer')[0]?.startTime ?? null]""")
        first = mark / 1000 if mark is not None else answered
        answer_at = origin / 1000 + first
        if stored:
            page.wait_for_selector("body[data-offline=ready]", state="attached", timeout=timeout_s * 1000)
        files: dict[str, list[int]] = {}        # file -> [bytes before the first answer, bytes in all]
        for path, n, t in url.meter.log:
            name = path.rsplit("/", 1)[-1] or "index.html"
            got = files.setdefault(name, [0, 0])
            got[0] += n if t <= answer_at else 0
            got[1] += n
        return {"ready": ready, "first answer": first, "bytes before the answer": url.meter.sent(until=answer_at),
                "bytes": url.meter.sent(), "requests": len(url.meter.log), "files": files}
    finally:
        context.close()


def revisit(playwright, profile: Path, url: Url, *, draws: int = 0, offline: bool = False) -> dict:
    """A visit with the profile of an earlier one: seconds to ready, bytes, and
    stroke-end-to-answer latencies of `draws` digits. With `offline`, a reload
    with the network off."""
    context, page = browse(playwright, profile)
    try:
        if offline:
            page.goto(url)
            wait_ready(page)
            context.set_offline(True)
        url.meter.log.clear()
        start = time.perf_counter()
        page.reload() if offline else page.goto(url)
        if wait_ready(page) != "ready":
            raise SystemExit(f"{url}: the page failed: {page.locator('#error').text_content()}")
        out = {"ready": time.perf_counter() - start, "bytes": url.meter.sent()}
        if draws:
            strokes = load_strokes()
            for d in range(draws):
                draw_digit(page, strokes[str(d % 10)][0], 0.7, (0.15, 0.15))
            out["latency"] = page.evaluate("performance.getEntriesByName('stroke-end-to-result').map(m => m.duration)")
        return out
    finally:
        context.close()


def page(loads: int, draws: int, against: str | None, links: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    builds = {"this build": WEB}
    if against:
        builds[against] = build_of(against)
    strokes = load_strokes()
    # rows[link][build] -> one {measure: value} per round; files[link][build] -> the last round's per-file bytes
    rows = {link: {name: [] for name in builds} for link in links}
    files = {link: {} for link in links}
    with sync_playwright() as p:
        print("the throttle at work: the page fetches a file of known size through each link")
        for key in links:
            link = LINKS[key]
            if link.mbps:
                took = probe(p, link)
                expected = 2 * link.rtt + PROBE_BYTES * 8 / (link.mbps * 1e6)
                print(f"  {link.name:28} {PROBE_BYTES:,} bytes in {took:5.2f} s (a link of that speed: {expected:.2f} s; "
                      f"{PROBE_BYTES * 8 / 1e6 / (took - 2 * link.rtt):.2f} Mb/s measured)", flush=True)
        for round_ in range(loads):
            for key in links:
                order = list(builds.items())
                for name, folder in order if round_ % 2 == 0 else order[::-1]:
                    has_worker = (folder / "sw.js").is_file()
                    handler = MeteredHandler if (folder / "build.json").is_file() else BaselineHandler
                    timeout = 240.0 if LINKS[key].mbps else 90.0
                    with serving(folder, handler, LINKS[key]) as url, tempfile.TemporaryDirectory() as profile:
                        got = {"cold": cold(p, Path(profile), url, stroke=strokes["3"][0], timeout_s=timeout,
                                            stored=has_worker)}
                        if key == "local" and "failed" not in got["cold"]:
                            got["warm"] = revisit(p, Path(profile), url, draws=draws)
                            if has_worker:
                                got["offline"] = revisit(p, Path(profile), url, offline=True)
                    files[key][name] = got["cold"].pop("files", None)
                    rows[key][name].append({f"{kind} {measure}": value for kind, figures in got.items()
                                            for measure, value in figures.items()})
            print(f"round {round_ + 1}/{loads} done", flush=True)
        plain = None
        if "local" in links:
            with serving(WEB, MeteredHandler, plain=True) as url, tempfile.TemporaryDirectory() as profile:
                plain = cold(p, Path(profile), url, stroke=strokes["3"][0], timeout_s=90, stored=True)["bytes"]
    report(rows, files, loads, plain)


def report(rows: dict, files: dict, loads: int, plain: int | None) -> None:
    med = statistics.median
    print(f"\nthe page in headless Chromium on this machine: {loads} rounds, each build in turn through each link "
          f"(a fresh profile: the first visit; locally then warm, then offline)")
    for key, builds in rows.items():
        print(f"\n=== {LINKS[key].name} ===")
        for name, rounds in builds.items():
            print(f"{name}:")
            for measure in dict.fromkeys(m for r in rounds for m in r):
                values = [r[measure] for r in rounds if measure in r]
                if measure.endswith("latency"):
                    flat = [v for load in values for v in load]
                    print(f"  {measure:30} median {med(flat):7.1f} ms   (max {max(flat):.1f}, n={len(flat)})")
                elif measure.endswith("failed"):
                    print(f"  {measure:30} in {len(values)} of {loads} rounds: {values[-1]}")
                elif "bytes" in measure:
                    print(f"  {measure:30} median {med(values) / 1e3:9.1f} kB (min {min(values) / 1e3:.1f}, "
                          f"max {max(values) / 1e3:.1f})")
                elif measure.endswith("requests"):
                    print(f"  {measure:30} median {med(values):7.0f}")
                else:
                    print(f"  {measure:30} median {med(values):7.2f} s    (min {min(values):.2f}, max {max(values):.2f})")
        per_file(files[key])
        if len(builds) == 2:
            (a, ra), (b, rb) = builds.items()
            print(f"per-round ratios, {a} / {b} (< 1: this build is faster or smaller)")
            for measure in dict.fromkeys(m for r in ra for m in r):
                ratios = [x[measure] / y[measure] for x, y in zip(ra, rb)
                          if measure in y and not measure.endswith(("latency", "failed")) and y[measure]]
                if ratios:
                    print(f"  {measure:30} median {med(ratios):5.2f}   (range {min(ratios):.2f}-{max(ratios):.2f}, "
                          f"{len(ratios)} rounds)")
    if plain is not None:
        print(f"\nthis build, cold, if the browser accepted no compression: {plain / 1e6:.2f} MB")


def per_file(files: dict) -> None:
    """Bytes per file of each build's last first visit, before the first
    answer and in all; the page's own small files (HTML, JS, CSS, icons) together."""
    builds = {name: got for name, got in files.items() if got}
    if not builds:
        return
    rows: dict[str, dict[str, list[int]]] = {}
    for name, got in builds.items():
        for f, (before, total) in got.items():
            key = f if f.endswith((".zip", ".whl", ".wasm", ".npz", ".asm.js")) else "the page's own files"
            cell = rows.setdefault(key, {}).setdefault(name, [0, 0])
            cell[0] += before
            cell[1] += total
    print("bytes per file, last round (kB before the first answer / in all):")
    print(f"  {'file':48}" + "".join(f"{name:>24}" for name in builds))
    for f in sorted(rows, key=lambda f: -max(c[1] for c in rows[f].values())):
        cells = [f"{rows[f][b][0] / 1e3:8.1f} / {rows[f][b][1] / 1e3:8.1f}" if b in rows[f] else "-" for b in builds]
        print(f"  {f[:48]:48}" + "".join(f"{c:>24}" for c in cells))


# In the page: records the gaps between animation frames (ms) in window.gaps until window.stopGaps.
FRAME_GAPS = """() => { window.gaps = []; window.stopGaps = false; let last = performance.now();
    const tick = (t) => { window.gaps.push(t - last); last = t; if (!window.stopGaps) requestAnimationFrame(tick); };
    requestAnimationFrame(tick); }"""


def finetune(rounds: int) -> None:
    """`./build.sh bench finetune`: "Learn from my samples" in the page on 20
    samples (imported as a CSV file), for the MLP and the CNN in turn: seconds
    from the press to "Done" (the replay set already loaded), and the gaps
    between the page's animation frames meanwhile (the page must stay smooth:
    the training runs in the worker, a slice at a time)."""
    import numpy as np
    from playwright.sync_api import sync_playwright

    from harness.browser import launch, served

    from py.cli import checkout
    x, y = checkout.dataset("embedded").val
    rows = ["label," + ",".join(f"pixel{i}" for i in range(784))]
    rows += [",".join(map(str, [int(y[i]), *np.round(x[i] * 255).astype(int)])) for i in range(20)]
    times = {"mlp": [], "cnn": []}
    gaps = {"mlp": [], "cnn": []}
    with sync_playwright() as p, served() as url, tempfile.TemporaryDirectory() as tmp:
        samples = Path(tmp) / "twenty.csv"
        samples.write_text("\n".join(rows) + "\n")
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1000, "height": 800})
        page.goto(url)
        wait_ready(page)
        page.get_by_test_id("import-samples").set_input_files(str(samples))
        page.get_by_test_id("import-result").filter(has_text="Imported 20 samples").wait_for()
        for r in range(rounds + 1):                    # the first round also loads the replay set: not counted
            for model in ("mlp", "cnn"):
                page.get_by_test_id(f"model-{model}").check()
                page.wait_for_selector("body[data-busy=false]", state="attached")
                page.evaluate(FRAME_GAPS)
                start = time.perf_counter()
                page.get_by_test_id("finetune").click()
                page.wait_for_selector("#finetune:disabled", state="attached")
                page.wait_for_selector("#finetune:enabled", state="attached", timeout=300_000)
                if r:
                    times[model].append(time.perf_counter() - start)
                    gaps[model] += page.evaluate("window.stopGaps = true; window.gaps")
        browser.close()
    print(f"fine-tuning on 20 samples in the page (headless Chromium), {rounds} rounds")
    for model, values in times.items():
        print(f"  {model.upper()}: median {statistics.median(values):.1f} s (min {min(values):.1f}, max {max(values):.1f}); "
              f"frame gaps meanwhile: median {statistics.median(gaps[model]):.1f} ms, "
              f"max {max(gaps[model]):.1f} ms over {len(gaps[model])} frames")
