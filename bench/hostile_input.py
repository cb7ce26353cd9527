"""`./build.sh bench hostile [-k TEXT] [--repo DIR]`: every case of the hostile
catalogue (harness/hostile.py), or those whose name holds TEXT, run with DIR's
`py` package (default: this checkout; another checkout gives the figures
before a change): how each tool ended, and for the bombs their peak memory
and seconds; then how long the page's import (py.page.app.load_model) takes
to refuse each weights-file bomb. tests/test_hostile.py judges the outcomes
and the memory; time is this benchmark's to show."""

import sys
import time
from pathlib import Path

from harness.hostile import WEIGHTS, cases, run


def hostile(k: str, repo: Path) -> None:
    sys.path.insert(0, str(repo))
    chosen = [c for c in cases() if k in c.name]
    counts: dict[str, list[str]] = {}
    bombs, failing = [], 0
    for case in chosen:
        o = run(case)
        failing += bool(o.problems)
        last = o.err.strip().splitlines()[-1][:150] if o.err.strip() else ""
        print(f"{case.name}: exit {o.code}, {o.seconds:.2f} s, {o.peak_mb:.0f} MB: {'; '.join(o.problems) or 'ok'} | {last}",
              flush=True)
        for problem in o.problems:
            counts.setdefault(problem.split()[0], []).append(case.name)
        if case.bomb:
            bombs.append((case.name, o))
    print(f"\n{len(chosen)} cases with {repo}/py: {failing} with problems")
    for kind, names in sorted(counts.items()):
        print(f"  {kind}: {len(names)}")
    print("bombs (peak memory beyond the parent's, seconds, files on disk):")
    for name, o in bombs:
        print(f"  {name}: {o.peak_mb:,.0f} MB, {o.seconds:.2f} s, {o.disk_mb:.1f} MB on disk, {'; '.join(o.problems) or 'ok'}")
    from py.io.errors import BadInput
    from py.page import app
    print("the page's import of a weights-file bomb (py.page.app.load_model), seconds to refuse it:")
    for name, case in WEIGHTS.items():
        if case.bomb and k in f"weights: {name}":
            data = case.build()
            started = time.perf_counter()
            try:
                app.load_model("bomb", memoryview(data), "bomb.npz")
                outcome = "loaded"
            except BadInput:
                outcome = "refused"
            print(f"  {name}: {outcome} in {time.perf_counter() - started:.3f} s")
