"""Benchmarks that print figures (never timed tests). Run them as
`./build.sh bench WHAT`, which sets everything up first:

    train     our trainer's samples/s against PyTorch's (CPU) on the source design's MLP and the shipped
              CNN (batch 64, Adam, no augmentation), in turn round by round (train.py)
    page      the first visit through slow links (Slow 4G, 9 Mb/s, throttled by the bench's server):
              first answer, bytes before it and in all, per file; locally also warm and offline start-up
              and stroke-end-to-answer latency (headless Chromium; page.py)
    drawn     drawings made with the mouse on the real page (harness/heldout.py), for each network:
              digits right / "not sure" / wrong (our own styles; other hands', held out; real writers, held
              out), and how many held-out non-digits get "not sure", per group. `drawn own hands nondigits
              writers writers-nondigits` picks parts (drawn.py)
    half      the shipped networks as trained (float32) and as the page gets them (float16): bytes,
              validation, held-out drawings rendered natively, answers that differ (half.py)
    finetune  "Learn from my samples" on 20 samples in the page, MLP and CNN (page.py)
    peers     ours against TensorFlow.js (cpu and wasm backends) and onnxruntime-web (wasm) in one
              headless Chromium, each engine in a Web Worker, with the same weights: inference of one
              image and training steps (batch 32, Adam), round by round (peers.py)
    engines   the page in Chromium, Firefox ESR and WPE WebKit in turn, each a new browser: start-up cold
              and stroke-end-to-answer latency, with per-round ratios to Chromium (browsers.py)
    hostile   the hostile catalogue (harness/hostile.py) through the commands: outcomes, and each bomb's
              peak memory and seconds; the page's import refusing weights-file bombs, seconds (hostile_input.py)
    sweep     a small py.sweep (12 MLP trials) as --jobs 1, --jobs 1 with two BLAS threads, and --jobs 2,
              in turn round by round: wall time, speed-up, best validation accuracy (sweep.py)

Each one's smallest settings are run by tests/test_bench.py, so that none stops working unseen.
"""

import argparse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="./build.sh bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    t = sub.add_parser("train", help="our trainer against PyTorch's (train.py)")
    t.add_argument("--samples", type=int, default=60_000)
    t.add_argument("--batch", type=int, default=64)
    t.add_argument("--rounds", type=int, default=9)
    t.add_argument("--models", default="mlp,cnn", help="mlp, cnn or both, comma-separated (default mlp,cnn)")
    pg = sub.add_parser("page", help="start-up, caching, offline (page.py)")
    pg.add_argument("--loads", type=int, default=5, help="rounds (default 5)")
    pg.add_argument("--draws", type=int, default=10, help="digits drawn in each warm visit")
    pg.add_argument("--against", metavar="REV", help="also load the build of this commit, interleaved")
    pg.add_argument("--links", default="slow4g,9mbps,local",
                    help="links to load through, comma-separated: slow4g, 9mbps, local (default: all three)")
    dr = sub.add_parser("drawn", help="held-out drawings on the page (drawn.py)")
    # No choices=: Python 3.11's argparse checks an empty list against them.
    dr.add_argument("parts", nargs="*", help="own, hands, nondigits, writers, writers-nondigits (default: all)")
    dr.add_argument("--most", type=int, help="at most this many drawings of each part (a quick look)")
    ha = sub.add_parser("half", help="float32 against the page's float16 copies (half.py)")
    ha.add_argument("--most", type=int, help="at most this many drawings of each part (a quick look)")
    ft = sub.add_parser("finetune", help="learning from 20 samples in the page (page.py)")
    ft.add_argument("--rounds", type=int, default=3)
    pe = sub.add_parser("peers", help="ours against TF.js and onnxruntime-web (peers.py)")
    pe.add_argument("--rounds", type=int, default=7)
    pe.add_argument("--json", action="store_true", help="end with one line of JSON: ours_ms and ratios")
    pe.add_argument("--compare", type=Path, action="append", default=[], metavar="FOLDER",
                    help="also run the py/ package in FOLDER (e.g. a checkout of an older commit)")
    en = sub.add_parser("engines", help="start-up and latency in three browser engines (browsers.py)")
    en.add_argument("--rounds", type=int, default=5)
    en.add_argument("--draws", type=int, default=10, help="digits drawn after each load")
    ho = sub.add_parser("hostile", help="hostile input: outcomes, bombs' memory and time (hostile_input.py)")
    ho.add_argument("-k", default="", help="only the cases whose name holds this")
    ho.add_argument("--repo", type=Path, default=REPO, help="whose py/ package to run (default: this checkout)")
    sw = sub.add_parser("sweep", help="--jobs 1 against --jobs 2 (sweep.py)")
    sw.add_argument("--rounds", type=int, default=3, help="default 3")
    sw.add_argument("--trials", type=int, default=12, help="trials of each sweep (default 12)")
    sw.add_argument("--epochs", type=int, default=4, help="epochs of every trial (default 4)")
    return ap


def main() -> None:
    ap = parser()
    args = ap.parse_args()
    if args.what == "train":
        from .train import NETWORKS, train
        models = args.models.split(",")
        if not models or not set(models) <= set(NETWORKS):
            ap.error(f"train: --models {args.models}: networks are {', '.join(NETWORKS)}")
        train(args.samples, args.batch, args.rounds, models)
    elif args.what == "page":
        from .page import LINKS, page
        links = args.links.split(",")
        if not links or not set(links) <= set(LINKS):
            ap.error(f"page: --links {args.links}: links are {', '.join(LINKS)}")
        page(args.loads, args.draws, args.against, links)
    elif args.what == "drawn":
        from .drawn import PARTS, drawn
        if not set(args.parts) <= set(PARTS):
            ap.error(f"drawn: parts are {', '.join(PARTS)}")
        drawn(args.parts or list(PARTS), args.most)
    elif args.what == "half":
        from .half import half
        half(args.most)
    elif args.what == "finetune":
        from .page import finetune
        finetune(args.rounds)
    elif args.what == "peers":
        from .peers import peers
        peers(args.rounds, args.json, args.compare)
    elif args.what == "engines":
        from .browsers import bench
        bench(args.rounds, args.draws)
    elif args.what == "hostile":
        from .hostile_input import hostile
        hostile(args.k, args.repo)
    else:
        from .sweep import sweep
        sweep(args.rounds, args.trials, args.epochs)


if __name__ == "__main__":
    main()
