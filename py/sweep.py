"""Search py.train's options with Optuna, on one machine or several.

    python -m py.sweep 'lr=1e-4..1e-2:log' 'dropout=0..0.5' 'layers=784,128,10|784,256,10' epochs=4 --trials 12
    python -m py.sweep --space sweep.txt --trials 40 --jobs 2 --plot sweep.svg --out best.npz
    python -m py.sweep --space sweep.txt --storage postgresql://me@db-host/sweeps    # on every machine that helps

The search space: one NAME=VALUES entry per option (py/space.py), as
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
import contextlib
import io
import math
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import warnings
from collections.abc import Iterator

from . import checkout, space, train
from .io import data, files, weights
from .io.errors import ArgumentParser, BadInput, run

try:
    import optuna
    from optuna.trial import FrozenTrial, TrialState
except ModuleNotFoundError:     # an optional extra: py.train and the page never need it
    optuna = None

STARTUP = 5          # trials picked at random before TPE takes over, and before any pruning
HEARTBEAT = 10       # seconds between a running trial's signs of life in the database;
GRACE = 60           # one silent this long (its worker was killed) is marked failed
CONNECT_TIMEOUT = 10  # seconds a database server has to answer a new connection
ATTEMPTS = 5         # to open a database that others may be making at the same moment
# A worker's BLAS threads. Products give different last bits with another
# number of threads, so a trial's command says how many it had.
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = ArgumentParser(prog="python -m py.sweep", description=__doc__,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("entries", nargs="*", metavar="NAME=VALUES", help="search space entries (py/space.py)")
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
    if optuna is None:
        raise BadInput("py.sweep needs Optuna, which is not installed: pip install -e '.[sweep]'")
    optuna.logging.set_verbosity(optuna.logging.ERROR)    # one line per trial of ours instead (theirs has tracebacks)
    if args.worker is not None:
        return work(args)
    study, dims, source = open_study(args)
    load_data(source)                       # a bad --data is said once, here, not by every worker
    left = budget_left(study, args.trials)
    if left > 0:
        threads = threads_per_worker(args.jobs)
        print(f"study {args.study} in {shown(args.storage)}: {args.trials - left} of {args.trials} trials done "
              f"or running; {args.jobs} worker{'s' * (args.jobs > 1)} here, {threads} BLAS thread"
              f"{'s' * (threads > 1)} each", flush=True)
        try:
            run_workers(argv, jobs=args.jobs, threads=threads)
        except KeyboardInterrupt:
            print(f"stopped: the finished trials are kept in {shown(args.storage)}; the same command carries on")
            raise
    report(study, dims, args)


# --- the study and its database ----------------------------------------------

def shown(url: str) -> str:
    """The database URL without its password, fit to print whatever it holds."""
    return _masked(url)[0]


def _masked(url: str) -> tuple[str, str | None]:
    """(the URL with its password as ***, the password as written, or None).
    The password is all that lies between the user's name and the host's
    last @, so that no part of it is printed, even from a URL too broken
    for SQLAlchemy to read."""
    scheme, sep, rest = url.partition("://")
    userinfo, at, host = rest.rpartition("@")
    user, colon, password = userinfo.partition(":")
    if not (sep and colon) or rest.startswith("/"):      # no user's password (sqlite:///a:b@c.db is a file)
        return url, None
    return f"{scheme}{sep}{user}:***{at}{host}", password


def storage(url: str) -> "optuna.storages.RDBStorage":
    """Optuna's storage in the database at `url`, with heartbeats: a trial
    whose worker was killed is marked failed instead of running forever. A
    server that does not answer is given CONNECT_TIMEOUT seconds."""
    import sqlalchemy.exc
    masked, password = _masked(url)
    if not _readable(url, password):
        raise BadInput(f"--storage {masked}: not a database URL (expected DIALECT://USER[:PASSWORD]@HOST[:PORT]/DATABASE; "
                       f"an @ in the password is written %40)")
    if url.startswith("sqlite"):
        wait = {"connect_args": {"timeout": 60}}           # workers take turns writing
    elif url.startswith("postgresql"):
        wait = {"connect_args": {"connect_timeout": CONNECT_TIMEOUT}}
    else:
        wait = {}
    try:
        with warnings.catch_warnings(category=optuna.exceptions.ExperimentalWarning, action="ignore"):  # heartbeats
            reachable(url, wait)
            # Commands that make a new database at the same moment (machines joining
            # a new study, or anything reading it) race to write its tables; the
            # losers find them there on a second try.
            for attempt in range(ATTEMPTS):
                try:
                    return optuna.storages.RDBStorage(url, engine_kwargs=wait, heartbeat_interval=HEARTBEAT,
                                                      grace_period=GRACE)
                except (sqlalchemy.exc.IntegrityError, sqlalchemy.exc.OperationalError):
                    if attempt == ATTEMPTS - 1:
                        raise
                    time.sleep(0.5)
    except ImportError as e:      # no driver: Optuna raises a plain ImportError, caused by the missing module's
        module = getattr(e.__cause__, "name", None) or e.name or "of its database's driver"
        raise BadInput(f"--storage {masked}: needs the Python module {module}, which is not installed "
                       f"(pip install -e '.[sweep]' brings PostgreSQL's driver only)") from None
    except (sqlalchemy.exc.SQLAlchemyError, ValueError) as e:
        reason = str(getattr(e, "orig", None) or e).strip().splitlines()[0]   # the driver's own words, one line
        raise BadInput(f"--storage {masked}: {reason if not password else reason.replace(password, '***')}") from None


def _readable(url: str, password: str | None) -> bool:
    """Whether SQLAlchemy reads `url`, and in it the password _masked found
    (an @ in a password ends it there for SQLAlchemy, the rest taken for the host)."""
    from sqlalchemy.engine import make_url
    try:
        read = make_url(url).password
    except Exception:          # sqlalchemy.exc.ArgumentError, ValueError (a port that is no number), …
        return False
    return read == (None if password is None else urllib.parse.unquote(password))


def reachable(url: str, engine_kwargs: dict) -> None:
    """Connect once, or raise: a server that is down or does not answer is
    said at once, not retried as a race between commands is."""
    import sqlalchemy
    engine = sqlalchemy.create_engine(url, **engine_kwargs)
    try:
        engine.connect().close()
    finally:
        engine.dispose()


def open_study(args: argparse.Namespace, *, sampler=None, pruner=None
               ) -> tuple["optuna.Study", list[space.Dimension], str]:
    """The study named --study, made if new: (study, its search space, its
    data source). A study keeps its space and data; a command joining it
    may leave them out, and may not give others."""
    db, given = storage(args.storage), [str(d) for d in args.dims]
    if given:
        study = optuna.create_study(study_name=args.study, storage=db, direction="maximize", load_if_exists=True,
                                    sampler=sampler, pruner=pruner)
        if "space" not in study.user_attrs:
            study.set_user_attr("space", given)
            study.set_user_attr("data", args.data or "embedded")
    else:
        try:
            study = optuna.load_study(study_name=args.study, storage=db, sampler=sampler, pruner=pruner)
        except KeyError:
            raise BadInput(f"--study {args.study}: no such study in {shown(args.storage)}; "
                           f"a new one needs a search space (NAME=VALUES entries or --space)") from None
        if "space" not in study.user_attrs:
            raise BadInput(f"--study {args.study}: not a study of py.sweep (it has no search space)")
    kept, source = study.user_attrs["space"], study.user_attrs["data"]
    if given and given != kept:
        raise BadInput(f"--study {args.study}: it searches another space ({' '.join(kept)}); "
                       f"give none to carry it on, or name another --study")
    if args.data and args.data != source:
        raise BadInput(f"--data {args.data}: study {args.study} was made with --data {source}")
    return study, space.parse(kept), source


def counts(trial: "FrozenTrial") -> bool:
    """Whether a trial counts towards --trials: finished ones (complete,
    pruned, failed with a reason) and running ones (they soon will). One
    that was interrupted, or whose worker died, has no reason and does not;
    nor does a surplus one (see `surplus`)."""
    return trial.state in (TrialState.COMPLETE, TrialState.PRUNED, TrialState.RUNNING) or \
        (trial.state == TrialState.FAIL and "error" in trial.user_attrs)


def surplus(study: "optuna.Study", number: int, budget: int) -> bool:
    """Whether trial `number` came after the study already had `budget`
    trials: two workers that finish at once both see one place left and both
    start a trial. The database numbers trials in the order they were made,
    so the later one knows it is surplus and stands down before training."""
    return sum(counts(t) for t in study.get_trials(deepcopy=False) if t.number < number) >= budget


def trained(study: "optuna.Study") -> list["FrozenTrial"]:
    """The study's trials, without the surplus ones that stood down untrained."""
    return [t for t in study.get_trials(deepcopy=False) if "surplus" not in t.user_attrs]


def budget_left(study: "optuna.Study", budget: int) -> int:
    with warnings.catch_warnings(category=optuna.exceptions.ExperimentalWarning, action="ignore"):
        optuna.storages.fail_stale_trials(study)       # running trials whose worker went silent
    return budget - sum(counts(t) for t in study.get_trials(deepcopy=False))


def load_data(source: str) -> data.Dataset:
    ds = checkout.dataset(source)
    data.check_trainable(ds, source)
    return ds


# --- workers and trials --------------------------------------------------------

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


def run_workers(argv: list[str], *, jobs: int, threads: int) -> None:
    """Start `jobs` worker processes (this command again, with --worker i)
    and wait for them. Their BLAS thread count is set before numpy loads.
    A worker's stdin is a pipe that only this process can write to: when
    it closes, because this process stops them (Ctrl-C) or ends in any way
    (SIGTERM, SIGKILL: the system closes it), every worker stops (Stop).
    Each has a process group of its own, so that that pipe is the one way a
    Ctrl-C at the terminal reaches them."""
    env = dict(os.environ, **{name: str(threads) for name in THREAD_VARIABLES})
    lifeline, held = os.pipe()
    workers: list[subprocess.Popen] = []
    try:
        for i in range(jobs):
            workers.append(subprocess.Popen([sys.executable, "-m", "py.sweep", *argv, "--worker", str(i)], env=env,
                                            stdin=lifeline, process_group=0))
        codes = [w.wait() for w in workers]
    finally:
        os.close(held)          # the workers still running stop, each marking its running trial failed
        os.close(lifeline)
        for w in workers:
            w.wait()
    for code in codes:
        if code:
            sys.exit(code)       # the worker has said why, in one line


class Stop:
    """How a worker is stopped: its stdin, the parent's pipe, closes (the
    parent stops its workers, or has ended), or SIGINT reaches it. The
    KeyboardInterrupt that stops it is raised at once only while it starts
    up or trains (interruptible()). Raised inside a database call in the
    middle of a trial, it can leave a connection holding a lock that the
    worker's own last write (the trial failed) then waits a minute for, and
    raised inside Optuna's bookkeeping it ends in a traceback: there the
    stop waits for the next check()."""

    def __init__(self) -> None:
        self.asked = self.training = False
        signal.signal(signal.SIGINT, self._signal)
        threading.Thread(target=self._watch_parent, daemon=True).start()

    def _watch_parent(self) -> None:
        while os.read(sys.stdin.fileno(), 1):       # nothing is written: it returns when the pipe closes
            pass
        os.kill(os.getpid(), signal.SIGINT)

    def _signal(self, signum: int, frame: object) -> None:
        self.asked = True
        if self.training:
            raise KeyboardInterrupt

    def check(self) -> None:
        if self.asked:
            raise KeyboardInterrupt

    @contextlib.contextmanager
    def interruptible(self) -> Iterator[None]:
        """Training, or starting up: a stop raises KeyboardInterrupt at once."""
        self.check()
        self.training = True
        try:
            yield
        finally:
            self.training = False

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Database calls in the middle of training: a stop waits for their end."""
        self.training = False
        try:
            yield
        finally:
            self.training = True
        self.check()


def work(args: argparse.Namespace) -> None:
    """One worker process: trials until the study has --trials of them, or until it is stopped."""
    stop = Stop()
    seed = None if args.sampler_seed is None else args.sampler_seed + args.worker
    try:
        with stop.interruptible():      # starting up: a stop leaves at once, writing nothing more
            study, dims, source = open_study(
                args, sampler=optuna.samplers.TPESampler(n_startup_trials=STARTUP, seed=seed),
                pruner=optuna.pruners.MedianPruner(n_startup_trials=STARTUP))
            ds = load_data(source)
        run_trials(study, dims, ds, source=source, budget=args.trials, stop=stop)
    except KeyboardInterrupt:
        sys.exit(130)            # Optuna has marked the trial failed; the command that started us says the rest


class Surplus(Exception):
    """A trial made after the study was full: it ends, failed, untrained."""


def run_trials(study: "optuna.Study", dims: list[space.Dimension], ds: data.Dataset, *, source: str,
               budget: int, stop: Stop) -> None:
    """Run trials in this process until the study holds `budget` of them."""
    threads = blas_threads()
    with tempfile.TemporaryDirectory() as scratch:
        def objective(trial: "optuna.Trial") -> float:
            if surplus(study, trial.number, budget):
                trial.set_user_attr("surplus", True)
                raise Surplus
            return train_trial(trial, dims, ds, source=source, threads=threads, scratch=scratch, stop=stop)

        def after(study: "optuna.Study", trial: "FrozenTrial") -> None:
            if "surplus" not in trial.user_attrs:
                print(f"trial {trial.number}: {outcome(trial)}", flush=True)
            stop.check()
            if budget_left(study, budget) <= 0:
                study.stop()

        if budget_left(study, budget) > 0:
            study.optimize(objective, catch=(BadInput, Surplus), callbacks=[after])


def train_trial(trial: "optuna.Trial", dims: list[space.Dimension], ds: data.Dataset, *, source: str,
                threads: int, scratch: str, stop: Stop) -> float:
    """Train the network of the trial's options; returns its validation
    accuracy after the last epoch. After each epoch the pruner may stop it.
    BadInput (an option py.train refuses, a run that diverges) is kept as
    the trial's reason for failing."""
    trial.set_user_attr("worker", f"{socket.gethostname()}:{os.getpid()}")
    trial.set_user_attr("blas_threads", threads)

    def on_epoch(row: dict) -> None:
        with stop.held():
            trial.report(row["val_acc"], row["epoch"])
            prune = trial.should_prune()
        if prune:
            raise optuna.TrialPruned(f"pruned after epoch {row['epoch']}")

    try:
        options = [a for d in dims for a in space.argv(d.name, d.pick(trial))]
        args = train.parse_args(options + ["--data", source, "--out", os.path.join(scratch, "unused.npz")])
        trial.set_user_attr("argv", train_argv(args))
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
                stop.interruptible():
            history = train.fit(args, ds, on_epoch=on_epoch)[1]
    except BadInput as e:
        trial.set_user_attr("error", str(e))
        raise
    return history[-1]["val_acc"]


def train_argv(args: argparse.Namespace) -> list[str]:
    """py.train's arguments for exactly `args`, every option spelled out:
    the command means the same after py.train's defaults change."""
    argv = [a for name in space.SETTINGS for a in space.argv(name, getattr(args, name.replace("-", "_")))]
    return argv + (["--data", args.data] if args.data != checkout.DEFAULT_DATA else [])


def blas_threads() -> int:
    """The threads this process's BLAS really runs (threadpoolctl asks the library)."""
    from threadpoolctl import threadpool_info
    return max((lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"), default=1)


# --- results ---------------------------------------------------------------------

def command(trial: "FrozenTrial") -> str:
    """The trial's training as a shell command: run again, it gives the same weights bit for bit."""
    return (f"OPENBLAS_NUM_THREADS={trial.user_attrs['blas_threads']} python -m py.train "
            + shlex.join(trial.user_attrs["argv"]))


def accuracy(trial: "FrozenTrial") -> float | None:
    """Validation accuracy: a complete trial's result, a pruned one's last epoch's."""
    if trial.state == TrialState.COMPLETE:
        return trial.value
    if trial.state == TrialState.PRUNED and trial.intermediate_values:
        return trial.intermediate_values[max(trial.intermediate_values)]
    return None


def seconds(trial: "FrozenTrial") -> float | None:
    if trial.datetime_start and trial.datetime_complete:
        return (trial.datetime_complete - trial.datetime_start).total_seconds()
    return None


def outcome(trial: "FrozenTrial") -> str:
    """One line: how the trial ended, and its options."""
    options = " ".join(f"{k}={short(v)}" for k, v in trial.params.items())
    took = f", {seconds(trial):.1f} s" if seconds(trial) is not None else ""
    if trial.state == TrialState.FAIL:
        return f"failed{took}: {trial.user_attrs.get('error', 'interrupted')} ({options})"
    epochs = len(trial.intermediate_values)
    what = "pruned" if trial.state == TrialState.PRUNED else "complete"
    return f"{what}, {100 * accuracy(trial):.2f}% after {epochs} epoch{'s' * (epochs > 1)}{took} ({options})"


def short(value) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def table(trials: list["FrozenTrial"], names: list[str], best: int | None) -> str:
    """The trials, one row each: options, validation accuracy, epochs, time, and why a trial failed."""
    header = ["trial", "state", *names, "val acc", "epochs", "time (s)", "note"]
    rows = [header]
    for t in trials:
        acc, took = accuracy(t), seconds(t)
        note = ("best" if t.number == best else
                t.user_attrs.get("error", "interrupted (its worker stopped)") if t.state == TrialState.FAIL else "")
        rows.append([str(t.number), "failed" if t.state == TrialState.FAIL else t.state.name.lower(),
                     *(short(t.params[n]) if n in t.params else "-" for n in names),
                     "-" if acc is None else f"{100 * acc:.2f}%", str(len(t.intermediate_values)),
                     "-" if took is None else f"{took:.1f}", note])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
    return "\n".join("  ".join(c.rjust(w) if i and c[:1].isdigit() else c.ljust(w)
                               for i, (c, w) in enumerate(zip(r, widths))) + "  " + r[-1] for r in rows)


def importances(study: "optuna.Study", names: list[str]) -> dict[str, float]:
    """Optuna's importance of each searched option (PED-ANOVA, over the
    complete trials), most important first; {} before two trials complete."""
    complete = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    if not names or len(complete) < 2:
        return {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # "few trials": the report says how many there were
        return optuna.importance.get_param_importances(study, params=names)


def report(study: "optuna.Study", dims: list[space.Dimension], args: argparse.Namespace) -> None:
    trials = trained(study)
    complete = [t for t in trials if t.state == TrialState.COMPLETE]
    best = max(complete, key=lambda t: (t.value, -t.number), default=None)    # the first of equals
    names = [d.name for d in dims if not d.fixed]
    print(f"\n{table(trials, names, best and best.number)}\n")
    if best is None:
        if args.out or args.plot:
            raise BadInput(f"study {args.study}: no trial has completed, so there is no best network to write")
        print("no trial has completed yet")
        return
    print(f"best: trial {best.number}, validation accuracy {100 * best.value:.2f}%\n  {command(best)}")
    ranked = importances(study, names)
    if ranked:
        print(f"importance (Optuna's PED-ANOVA over {len(complete)} complete trials): "
              + ", ".join(f"{name} {value:.2f}" for name, value in ranked.items()))
    if args.plot:
        if not names:
            raise BadInput(f"--plot {args.plot}: the search space has no option that varies, so nothing to plot")
        picture = accuracy_svg(trials, {d.name: d for d in dims}, list(ranked)[:3] or names[:3], best, ranked)
        files.write_atomically(args.plot, picture.encode())
        print(f"wrote {args.plot}")
    if args.out:
        retrain(best, args.out)


def retrain(best: "FrozenTrial", out: str) -> None:
    """Run the best trial's command once more, writing `out`, with the
    trial's BLAS threads: the same weights, bit for bit."""
    print(f"\ntraining trial {best.number}'s network once more -> {out}", flush=True)
    env = dict(os.environ, **{name: str(best.user_attrs["blas_threads"]) for name in THREAD_VARIABLES})
    done = subprocess.run([sys.executable, "-m", "py.train", *best.user_attrs["argv"], "--out", out], env=env)
    if done.returncode:
        sys.exit(done.returncode)     # py.train has said why
    acc = weights.load(out)[1]["val_accuracy"]
    same = "the same as" if acc == best.value else "NOT the same as"
    print(f"{out}: validation accuracy {100 * acc:.2f}%, {same} trial {best.number}'s")


def accuracy_svg(trials: list["FrozenTrial"], dims: dict[str, space.Dimension], names: list[str],
                 best: "FrozenTrial", importance: dict[str, float]) -> str:
    """One panel per option in `names`: each trial's validation accuracy (%)
    against the option's value. Complete trials are filled dots, the best
    red; pruned ones hollow, at their last epoch's accuracy."""
    w, h, pad = 320, 260, 48
    scored = [(t, 100 * accuracy(t)) for t in trials if accuracy(t) is not None]
    lo = math.floor(min(a for _, a in scored) - 0.5)
    hi = min(100.0, math.ceil(max(a for _, a in scored) + 0.5))
    sy = lambda a: h - pad - (h - 2 * pad) * (a - lo) / (hi - lo)
    out = []
    for i, name in enumerate(names):
        dim, x0 = dims[name], i * w
        if dim.choices:     # one column per choice
            where = {v: k for k, v in enumerate(dim.choices)}
            place, left, right = (lambda v: where[v]), -0.5, len(dim.choices) - 0.5
            ticks = [(k, str(v)) for k, v in enumerate(dim.choices)]
        else:
            place = (lambda v: math.log10(v)) if dim.log else float
            left, right = place(dim.low), place(dim.high)
            ticks = [(left + (right - left) * k / 4, "") for k in range(5)]
            ticks = [(x, f"{10 ** x if dim.log else x:.3g}") for x, _ in ticks]
        sx = lambda x: x0 + pad + (w - 1.5 * pad) * (x - left) / (right - left)
        title = name + (" (log scale)" if dim.log else "") + \
            (f", importance {importance[name]:.2f}" if name in importance else "")
        out += [f'<text x="{x0 + w / 2}" y="18" text-anchor="middle" font-weight="bold">{title}</text>',
                f'<line x1="{x0 + pad}" y1="{sy(lo)}" x2="{x0 + w - pad / 2}" y2="{sy(lo)}" stroke="#888"/>',
                f'<line x1="{x0 + pad}" y1="{sy(lo)}" x2="{x0 + pad}" y2="{sy(hi)}" stroke="#888"/>']
        out += [f'<text x="{sx(x):.1f}" y="{h - pad + 16}" text-anchor="middle">{label}</text>' for x, label in ticks]
        out += [f'<text x="{x0 + pad - 4}" y="{sy(a) + 4:.1f}" text-anchor="end">{a:.3g}</text>'
                for a in (lo + (hi - lo) * k / 4 for k in range(5))]
        for t, a in scored:
            if name in t.params:
                style = ('fill="#d62728" r="5"' if t is best else 'fill="#1f77b4" fill-opacity="0.7" r="4"'
                         if t.state == TrialState.COMPLETE else 'fill="none" stroke="#999" r="4"')
                out.append(f'<circle cx="{sx(place(t.params[name])):.1f}" cy="{sy(a):.1f}" {style}>'
                           f'<title>trial {t.number}: {a:.2f}%</title></circle>')
    out.append(f'<text x="{pad}" y="{h - 8}">validation accuracy (%): complete trials (blue), the best (red), '
               f'pruned ones at their last epoch (hollow)</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w * len(names)}" height="{h}" '
            f'font-family="sans-serif" font-size="11">\n<rect width="100%" height="100%" fill="white"/>\n'
            + "\n".join(out) + "\n</svg>\n")


if __name__ == "__main__":
    run(main)
