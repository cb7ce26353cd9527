"""Search py.train's options with Optuna, on one machine or several.

    python -m py.sweep 'lr=1e-4..1e-2:log' 'dropout=0..0.5' 'layers=784,128,10|784,256,10' epochs=4 --trials 12
    python -m py.sweep --space sweep.txt --trials 40 --jobs 2 --plot sweep.svg --out best.npz
    python -m py.sweep --space sweep.txt --storage postgresql://me@db-host/sweeps    # on every machine that helps

The search space: one NAME=VALUES entry per option (py/sweep/space.py), as
arguments or as the lines of a file. Each trial trains one network with
py.train's own code and scores it by its validation accuracy after its last
epoch (never a test set). Optuna's TPE sampler picks each trial's options
from the trials before it, and its median pruner stops a trial after any
epoch whose validation accuracy is below the median of the earlier trials'
at that epoch. The first 5 trials are random picks and are never pruned.

The study lives in a database: by default the SQLite file sweep.db in the
current folder, with --jobs worker processes on this machine (at most one
per core: more would only share the cores). The same command pointed at a
shared PostgreSQL database (--storage) on other machines adds their workers
to the same study. Ctrl-C stops every worker, and so does the command's end
in any other way (SIGTERM, SIGKILL): no worker outlives it. The trials that
finished stay in the database, and the same command carries on until
--trials trials have finished (complete, pruned or failed). A trial whose
options cannot train (a bad option, or a run that diverges) is recorded as
failed with its reason, and the sweep goes on.

At the end: a table of the trials, the best one's exact py.train command,
the options' importance, --plot (an SVG of validation accuracy against the
most important options) and --out (the best trial's network, trained once
more by its command).
"""

import argparse
import importlib.util
import os
import sys

from . import space
from ..io import files
from ..io.errors import ArgumentParser, BadInput


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = ArgumentParser(prog="python -m py.sweep", description=__doc__,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("entries", nargs="*", metavar="NAME=VALUES", help="search space entries (py/sweep/space.py)")
    ap.add_argument("--space", metavar="FILE", help="a file of search space entries, one per line")
    ap.add_argument("--trials", type=int, default=20,
                    help="stop when the study holds this many finished trials (default 20); more carries it on")
    ap.add_argument("--jobs", type=int, default=1,
                    help="worker processes on this machine (default 1, at most one per core)")
    ap.add_argument("--storage", default="sqlite:///sweep.db",
                    help="the study's database (default sqlite:///sweep.db; postgresql://USER@HOST/DB to share it)")
    ap.add_argument("--study", default="sweep", help="the study's name in the database (default sweep)")
    ap.add_argument("--data", help="py.train's --data (default embedded); a study keeps the data it was made with")
    ap.add_argument("--sampler-seed", type=int,
                    help="makes the sampler's picks repeatable: worker i of this command is seeded SEED+i")
    ap.add_argument("--plot", metavar="FILE.svg", help="validation accuracy against the most important options")
    ap.add_argument("--out", metavar="FILE.npz", help="the best network, trained once more by its command")
    ap.add_argument("--worker", type=int, help=argparse.SUPPRESS)    # set on the processes the command starts
    args = ap.parse_args(argv)
    for option, ok in (("--trials", args.trials >= 1), ("--jobs", args.jobs >= 1)):
        if not ok:
            raise BadInput(f"{option} {getattr(args, option[2:])}: expected at least 1")
    if args.jobs > cores():
        raise BadInput(f"--jobs {args.jobs}: at most {cores()} here, one worker per core (each trains on a core "
                       f"of its own; more would only share the cores, each worker taking its own memory)")
    if args.plot and args.out and os.path.realpath(args.plot) == os.path.realpath(args.out):
        raise BadInput(f"--out {args.out}: the same file as --plot")
    for option in ("--plot", "--out"):
        if getattr(args, option[2:]):
            files.check_output(getattr(args, option[2:]), option)
    args.dims = space.parse(args.entries) + (space.read(args.space) if args.space else [])
    if len({d.name for d in args.dims}) < len(args.dims):
        raise BadInput("search space: an option is given both on the command line and in --space")
    return args




def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if importlib.util.find_spec("optuna") is None:       # an optional extra: py.train and the page never need it
        raise BadInput("py.sweep needs Optuna, which is not installed: pip install -e '.[sweep]'")
    import optuna

    from . import database, report, workers              # they import Optuna
    optuna.logging.set_verbosity(optuna.logging.ERROR)    # one line per trial of ours instead (theirs has tracebacks)
    if args.worker is not None:
        return workers.work(args)
    study, dims, source = database.open_study(args)
    database.load_data(source)              # a bad --data is said once, here, not by every worker
    left = database.budget_left(study, args.trials)
    if left > 0:
        threads = threads_per_worker(args.jobs)
        print(f"study {args.study} in {database.shown(args.storage)}: {args.trials - left} of {args.trials} trials "
              f"done or running; {args.jobs} worker{'s' * (args.jobs > 1)} here, {threads} BLAS thread"
              f"{'s' * (threads > 1)} each", flush=True)
        try:
            workers.run_workers(argv, jobs=args.jobs, threads=threads)
        except KeyboardInterrupt:
            print(f"stopped: the finished trials are kept in {database.shown(args.storage)}; the same command carries on")
            raise
    report.report(study, dims, args)


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def threads_per_worker(jobs: int) -> int:
    """BLAS threads for each worker: one, or as many as OPENBLAS_NUM_THREADS
    asks for, but never more than a worker's share of the cores. One by
    default, since workers are how a sweep uses the cores: a small network's
    products gain little from threads, and on a busy machine idle BLAS
    threads spin (`./build.sh bench sweep` times one worker with one and
    with two threads against two workers)."""
    asked = os.environ.get("OPENBLAS_NUM_THREADS", "")
    return max(1, min(int(asked) if asked.isdigit() else 1, cores() // jobs))

