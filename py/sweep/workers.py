"""The worker processes and their trials: each worker runs trials until the
study holds --trials of them, and stops with the command that started it."""

import argparse
import contextlib
import io
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator

import optuna
from optuna.trial import FrozenTrial

from . import space
from .. import train
from ..cli import checkout
from ..io import data
from ..io.errors import BadInput
from .database import budget_left, load_data, open_study
from .outcomes import outcome, surplus

STARTUP = 5          # trials picked at random before TPE takes over, and before any pruning
# A worker's BLAS threads. Products give different last bits with another
# number of threads, so a trial's command says how many it had.
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


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

