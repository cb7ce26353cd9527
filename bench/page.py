"""`./build.sh bench page [--loads N] [--against REV]`: start-up, caching and
offline use of the page in headless Chromium, with figures, never a verdict.

Each round gives every build a fresh browser profile and loads it:
  cold     the first visit: nothing cached;
  warm     a second visit with the same profile (browser restarted);
  offline  a reload with the network off (only builds with a service worker).
In the cold visit a digit is drawn as soon as the pad shows, during loading:
"first answer" is the time from navigation to its answer on screen. The warm
visit then draws 10 digits (stroke end to answer). Bytes are counted by the
server (headers and bodies), with compression (the browser accepts br) and,
once, without. With --against REV the build of that commit (built in
.cache/bench/REV by its own build.sh) is loaded in the same rounds,
interleaved, and ratios (this build / REV) are given per round.
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

from browser import ARGS, CHROMIUM, draw_digit, load_strokes, mouse_draw, place, wait_ready

from py.checkout import REPO, WEB
from py.serve import Handler, Server



class Counting:
    """Counts the bytes a handler writes (status line, headers, bodies)."""
    sent = 0

    def setup(self) -> None:
        super().setup()
        raw, handler = self.wfile, type(self)

        class Writer:
            def write(self, data: bytes) -> int:
                handler.sent += len(data)
                return raw.write(data)

            def __getattr__(self, name):
                return getattr(raw, name)

        self.wfile = Writer()


class CountingHandler(Counting, Handler):
    plain = False             # True: ignore Accept-Encoding (measures the bytes without compression)

    def parse_request(self) -> bool:
        ok = super().parse_request()
        if ok and self.plain:
            del self.headers["Accept-Encoding"]
        return ok


class BaselineHandler(Counting, http.server.SimpleHTTPRequestHandler):
    """How the server of the builds before py/site.py served: no-cache for everything."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


@contextmanager
def serving(folder: Path, handler):
    server = Server(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build_of(rev: str) -> Path:
    """web/ of commit `rev`, built by that commit's own build.sh (kept for next time)."""
    folder = REPO / ".cache" / "bench" / rev
    if not (folder / "web" / "index.html").is_file() or not (folder / ".built").exists():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(["git", "worktree", "add", "--detach", "-f", str(folder), rev], cwd=REPO, check=True,
                       capture_output=True)
        print(f"building {rev} in {folder.relative_to(REPO)} (its own ./build.sh setup)...", flush=True)
        subprocess.run(["./build.sh", "setup"], cwd=folder, check=True, capture_output=True)
        (folder / ".built").touch()
    return folder / "web"


def visit(playwright, profile: Path, url: str, handler, *, stored: bool, draw_early=None, draws=0,
          offline=False) -> dict:
    """One visit in a persistent profile: seconds to ready and bytes sent by
    the server; the first answer's time when a digit is drawn during loading
    (draw_early); stroke-end-to-answer latencies of `draws` digits. A build
    with a service worker (`stored`) is left once it has stored itself. With
    `offline`, the visit is a reload with the network off."""
    context = playwright.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, args=ARGS,
                                                           viewport={"width": 1000, "height": 800})
    page = context.pages[0] if context.pages else context.new_page()
    out = {}
    try:
        if offline:
            page.goto(url)
            wait_ready(page)
            context.set_offline(True)
        handler.sent = 0
        start = time.perf_counter()
        page.reload() if offline else page.goto(url)
        if draw_early:
            box = page.get_by_test_id("canvas").bounding_box()
            mouse_draw(page, place(draw_early, box, 0.7, (0.15, 0.15)))
        if wait_ready(page) != "ready":
            raise SystemExit(f"{url}: the page failed: {page.locator('#error').text_content()}")
        out["ready"] = time.perf_counter() - start
        if draw_early:
            page.wait_for_selector("body[data-busy=false]", state="attached", timeout=30_000)
            out["first answer"] = time.perf_counter() - start
        out["bytes"] = handler.sent
        if draws:
            strokes = load_strokes()
            for d in range(draws):
                draw_digit(page, strokes[str(d % 10)][0], 0.7, (0.15, 0.15))
            out["latency"] = page.evaluate("performance.getEntriesByName('stroke-end-to-result').map(m => m.duration)")
        if stored and not offline:
            page.wait_for_selector("body[data-offline=ready]", state="attached", timeout=120_000)
    finally:
        context.close()
    return out


def page(loads: int, draws: int, against: str | None) -> None:
    from playwright.sync_api import sync_playwright

    builds = {"this build": (WEB, CountingHandler, True)}
    if against:
        builds[against] = (build_of(against), BaselineHandler, False)
    strokes = load_strokes()
    rows: dict[str, dict[str, list]] = {name: {} for name in builds}
    with sync_playwright() as p:
        for round_ in range(loads):
            for name, (folder, handler, has_worker) in builds.items():
                with serving(folder, handler) as url, tempfile.TemporaryDirectory() as profile:
                    go = partial(visit, p, Path(profile), url, handler, stored=has_worker)
                    got = {"cold": go(draw_early=strokes["3"][0]), "warm": go(draws=draws)}
                    if has_worker:
                        got["offline"] = go(offline=True)
                for kind, figures in got.items():
                    for key, value in figures.items():
                        rows[name].setdefault(f"{kind} {key}", []).append(value)
            print(f"round {round_ + 1}/{loads} done", flush=True)
        with serving(WEB, CountingHandler) as url, tempfile.TemporaryDirectory() as profile:
            CountingHandler.plain = True
            plain = visit(p, Path(profile), url, CountingHandler, stored=True)["bytes"]
            CountingHandler.plain = False
    report(rows, builds, loads, draws, plain)


def report(rows: dict, builds: dict, loads: int, draws: int, plain: int) -> None:
    med = statistics.median
    print(f"\nthe page in headless Chromium on this machine: {loads} rounds, each build in turn "
          f"(fresh profile: cold visit, then warm, then offline)")
    for name, figures in rows.items():
        print(f"\n{name}:")
        for key, values in figures.items():
            if key.endswith("latency"):
                flat = [v for load in values for v in load]
                print(f"  {key:22} median {med(flat):7.1f} ms   (max {max(flat):.1f}, n={len(flat)})")
            elif key.endswith("bytes"):
                print(f"  {key:22} median {med(values) / 1e3:9.1f} kB  (min {min(values) / 1e3:.1f}, max {max(values) / 1e3:.1f})")
            else:
                print(f"  {key:22} median {med(values):7.2f} s    (min {min(values):.2f}, max {max(values):.2f})")
    print(f"\nthis build, cold, if the browser accepted no compression: {plain / 1e3:.1f} kB")
    if len(builds) == 2:
        (a, fa), (b, fb) = rows.items()
        print(f"\nper-round ratios, {a} / {b} (< 1: this build is faster or smaller)")
        for key in fa:
            if key in fb and not key.endswith("latency"):
                ratios = [x / y for x, y in zip(fa[key], fb[key])]
                print(f"  {key:22} median {med(ratios):5.2f}   (range {min(ratios):.2f}-{max(ratios):.2f})")
        warm = [x / y for x, y in zip(fa["warm ready"], fb["cold ready"])]
        print(f"  {'warm / their cold':22} median {med(warm):5.2f}   (range {min(warm):.2f}-{max(warm):.2f})")


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

    from browser import launch, served

    from py import checkout
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
        page.get_by_test_id("teach-result").filter(has_text="Imported 20 samples").wait_for()
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
