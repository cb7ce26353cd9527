"""python -m py.sweep: pruning, failed trials, stop and resume, the local
workers and their results, and two workers sharing a study in a real
PostgreSQL server (the search space: tests/test_space.py). The trials are
tiny (784-16-10, a few epochs, 1,000 of the embedded digits): these tests
are about the mechanics, not about accuracy."""

import contextlib
import itertools
import os
import re
import shlex
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import optuna
import pytest
from conftest import REPO, assert_clean_error
from optuna.trial import TrialState

from harness import postgres
from py.sweep import command, database, outcomes, workers
from py.io import weights

# Sweeps are worker processes and database servers, on Optuna: none of it in WebAssembly.
pytestmark = pytest.mark.processes

TINY = ["layers=784,16,10", "augment=no", "nondigits=0", "font-digits=0"]


@pytest.fixture(scope="module")
def digits(tmp_path_factory, embedded):
    """1,000 of the embedded digits as a CSV (900 train, 100 validation)."""
    (x, y), path = embedded.train, tmp_path_factory.mktemp("sweep") / "digits.csv"
    rows = (",".join(map(str, [label, *np.round(image * 255).astype(int)])) for image, label in zip(x[:1000], y))
    path.write_text("\n".join(rows))
    return str(path)


def run_sweep(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "py.sweep", *args], cwd=REPO, capture_output=True, text=True,
                          env=env, timeout=timeout)


def start_sweep(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "py.sweep", *args], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def load(url: str, name: str = "sweep") -> optuna.Study:
    # Through py.sweep's storage: a test polling a database the sweep is still
    # making races it to write the tables, as other commands would.
    return optuna.load_study(study_name=name, storage=database.storage(url))


# --- workers ------------------------------------------------------------------------

def test_threads_per_worker(monkeypatch):
    """One BLAS thread per worker, or what OPENBLAS_NUM_THREADS asks for up
    to each worker's share of the cores."""
    cores = len(os.sched_getaffinity(0))
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    assert command.threads_per_worker(1) == 1
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "64")
    assert command.threads_per_worker(1) == cores and command.threads_per_worker(2) == max(1, cores // 2)
    assert command.threads_per_worker(2 * cores) == 1


def test_one_worker_runs_no_more_blas_threads_than_cores(tmp_path, digits):
    """OPENBLAS_NUM_THREADS asking for far more than the machine has: the one
    worker's BLAS really runs one thread per core (threadpoolctl asks it in
    the worker), and its trial's command says so."""
    url, cores = f"sqlite:///{tmp_path}/s.db", len(os.sched_getaffinity(0))
    result = run_sweep(*TINY, "epochs=1", "--data", digits, "--storage", url, "--trials", "1",
                       env=dict(os.environ, OPENBLAS_NUM_THREADS="64"))
    assert result.returncode == 0, result.stderr
    assert f"1 worker here, {cores} BLAS thread" in result.stdout
    (trial,) = load(url).trials
    assert trial.user_attrs["blas_threads"] == cores
    assert outcomes.command(trial).startswith(f"OPENBLAS_NUM_THREADS={cores} python -m py.train ")


def test_more_jobs_than_cores_are_refused_in_one_line(tmp_path):
    """--jobs 1000000 kept forking workers until the machine ran out of
    memory: above one worker per core, the command is refused before it
    opens the database."""
    db, cores = tmp_path / "s.db", len(os.sched_getaffinity(0))
    result = run_sweep("lr=0.1", "--jobs", "1000000", "--storage", f"sqlite:///{db}")
    assert_clean_error(result, "--jobs 1000000", f"at most {cores} here, one worker per core")
    assert_clean_error(run_sweep("lr=0.1", "--jobs", str(cores + 1), "--storage", f"sqlite:///{db}"), "--jobs")
    assert not db.exists()


def alive(pid: int) -> bool:
    """Whether process `pid` runs (a zombie, ended but not yet reaped by whoever adopted it, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_workers_end_with_their_command_however_it_ends(tmp_path, digits, how):
    """Ctrl-C, SIGTERM or SIGKILL of the command while both of its workers
    train: no worker is left running (they used to carry on as orphans),
    and none leaves its trial running."""
    url = f"sqlite:///{tmp_path}/s.db"
    sweeping = start_sweep(*TINY, "epochs=200", "--data", digits, "--storage", url, "--trials", "100", "--jobs", "2")
    deadline, running = time.time() + 120, []
    while time.time() < deadline and sweeping.poll() is None and len(running) < 2:
        time.sleep(0.5)
        with contextlib.suppress(KeyError):          # KeyError: no study yet
            running = [t for t in load(url).trials if t.state == TrialState.RUNNING and "worker" in t.user_attrs]
    workers = [int(t.user_attrs["worker"].split(":")[1]) for t in running]
    try:
        assert len(workers) == 2, sweeping.communicate()
        sweeping.send_signal(how)
        sweeping.wait(timeout=60)
        deadline = time.time() + 60
        while time.time() < deadline and any(alive(pid) for pid in workers):
            time.sleep(0.2)
        assert not [pid for pid in workers if alive(pid)]
    finally:
        for pid in filter(alive, workers):      # a failed test leaves nothing running either
            os.kill(pid, signal.SIGKILL)
        sweeping.kill()
        sweeping.communicate()
    assert not [t.number for t in load(url).trials if t.state == TrialState.RUNNING]


def test_commands_opening_a_new_database_at_once_all_get_in(tmp_path):
    """Machines joining a new study, or a reader, race to make its tables:
    every one of them must get in, not be refused by the others' tables."""
    url = f"sqlite:///{tmp_path}/s.db"
    opening = "import sys; from py.sweep import database; database.storage(sys.argv[1])"
    racers = [subprocess.Popen([sys.executable, "-c", opening, url], cwd=REPO, stderr=subprocess.PIPE, text=True)
              for _ in range(6)]
    assert [(r.wait(timeout=120), r.stderr.read()) for r in racers] == [(0, "")] * 6


def test_bad_space_is_one_line_and_makes_no_study(tmp_path):
    db = tmp_path / "s.db"
    assert_clean_error(run_sweep("lr=0.1..0.01", "--storage", f"sqlite:///{db}"), "search space", "lr=0.1..0.01")
    assert_clean_error(run_sweep("lr=0.1", "lr=0.2", "--storage", f"sqlite:///{db}"), "'lr' appears twice")
    assert_clean_error(run_sweep("--storage", f"sqlite:///{db}"), "no such study", "needs a search space")
    assert_clean_error(run_sweep("lr=0.1", "--storage", "mysql+nodriver://x/y"), "--storage")
    no_driver = run_sweep("lr=0.1", "--storage", "mysql://u:secret@127.0.0.1:1/db")     # Optuna's plain ImportError
    assert_clean_error(no_driver, "--storage mysql://u:***@127.0.0.1:1/db: needs the Python module MySQLdb")
    assert "secret" not in no_driver.stderr + no_driver.stdout
    assert not db.exists() or not optuna.get_all_study_names(f"sqlite:///{db}")


# --- trials ------------------------------------------------------------------------

def enqueued_study(url: str, entries: list[str], data: str, params: list[dict]) -> None:
    """A study made as `python -m py.sweep ENTRIES --data DATA` makes it, with
    these trials queued first (Optuna hands them out before sampling), so that
    a test knows which trials the workers will run."""
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    study = database.open_study(command.parse_args([*entries, "--storage", url, "--data", data]))[0]
    for p in params:
        study.enqueue_trial(p)


def test_median_pruning_stops_a_bad_trial_early(tmp_path, digits):
    """Five good trials, then one whose learning rate is far too small: after
    its first epoch it is below the median of the first five at that epoch,
    and it stops there."""
    url, entries = f"sqlite:///{tmp_path}/s.db", ["lr=0.000001|0.01", "epochs=3", *TINY]
    enqueued_study(url, entries, digits, [{"lr": 0.01}] * workers.STARTUP + [{"lr": 0.000001}])
    result = run_sweep(*entries, "--data", digits, "--storage", url, "--trials", str(workers.STARTUP + 1))
    assert result.returncode == 0, result.stderr
    trials = load(url).trials
    assert [t.state for t in trials] == [TrialState.COMPLETE] * workers.STARTUP + [TrialState.PRUNED]
    assert all(sorted(t.intermediate_values) == [1, 2, 3] for t in trials[:-1])
    assert list(trials[-1].intermediate_values) == [1]
    assert trials[-1].intermediate_values[1] < min(t.intermediate_values[1] for t in trials[:-1])
    assert "pruned, " in result.stdout and "after 1 epoch" in result.stdout


def test_failed_trials_are_recorded_with_their_reason(tmp_path, digits):
    """An option py.train refuses and a run that diverges each fail their
    trial, with py.train's reason; the sweep goes on, and exits 0."""
    url, entries = f"sqlite:///{tmp_path}/s.db", ["lr=0.1|1000000", "nondigits=0|2", "optimizer=sgd",
                                                  "layers=784,16,10", "epochs=1", "augment=no", "font-digits=0"]
    enqueued_study(url, entries, digits, [{"lr": 0.1, "nondigits": 2.0}, {"lr": 1e6, "nondigits": 0.0},
                                          {"lr": 0.1, "nondigits": 0.0}])
    result = run_sweep(*entries, "--data", digits, "--storage", url, "--trials", "3")
    assert result.returncode == 0, result.stderr
    bad_option, diverged, fine = load(url).trials
    assert bad_option.state == TrialState.FAIL and diverged.state == TrialState.FAIL
    assert bad_option.user_attrs["error"].startswith("--nondigits 2: expected")
    assert diverged.user_attrs["error"].startswith("training diverged at epoch 1")
    assert fine.state == TrialState.COMPLETE and fine.value > 0.2       # chance: 0.1
    assert "Traceback" not in result.stderr
    for trial in (bad_option, diverged):
        assert f"trial {trial.number}: failed" in result.stdout and trial.user_attrs["error"] in result.stdout
    assert f"best: trial {fine.number}" in result.stdout


def test_stop_and_resume(tmp_path, digits):
    """Ctrl-C stops every worker: finished trials stay as they were, the
    interrupted ones are failed with no reason and do not count, and the
    same command carries on to --trials finished ones."""
    url = f"sqlite:///{tmp_path}/s.db"
    # augmented: a trial lasts long enough (a second or two) to be interrupted
    command = ["lr=1e-3..3e-2:log", "epochs=4", "layers=784,16,10", "nondigits=0", "font-digits=0", "--data", digits, "--storage", url]
    sweeping = start_sweep(*command, "--trials", "100", "--jobs", "2")
    deadline = time.time() + 120
    while time.time() < deadline and sweeping.poll() is None:
        time.sleep(0.5)
        with contextlib.suppress(KeyError):          # KeyError: no study yet
            if sum(t.state.is_finished() for t in load(url).trials) >= 2:
                break
    sweeping.send_signal(signal.SIGINT)
    out, err = sweeping.communicate(timeout=60)
    assert sweeping.returncode == 130, (out, err)
    assert err.strip().splitlines()[-1] == "interrupted" and "Traceback" not in err, err
    assert "the same command carries on" in out

    trials = load(url).trials
    kept = {t.number: (t.state, t.params, t.values, t.datetime_complete) for t in trials if outcomes.counts(t)}
    stopped = [t for t in trials if not outcomes.counts(t)]
    assert len(kept) >= 2 and all(state.is_finished() for state, *_ in kept.values())
    assert stopped and all(t.state == TrialState.FAIL and "error" not in t.user_attrs for t in stopped)
    for pid in {int(t.user_attrs["worker"].split(":")[1]) for t in trials}:     # no worker left behind
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)

    result = run_sweep(*command, "--trials", str(len(kept) + 2), "--jobs", "2")
    assert result.returncode == 0, result.stderr
    after = load(url).trials
    assert {t.number: (t.state, t.params, t.values, t.datetime_complete) for t in after if t.number in kept} == kept
    assert sum(outcomes.counts(t) for t in after) == len(kept) + 2
    for t in stopped:
        assert table_rows(result.stdout)[t.number][-1] == "interrupted (its worker stopped)"


def table_rows(stdout: str) -> dict[int, list[str]]:
    """The trial table the sweep printed last: its cells, by trial number
    (the header's words, two spaces apart, mark where the columns start)."""
    lines = stdout.splitlines()
    top = max(i for i, line in enumerate(lines) if line.startswith("trial  state"))
    starts = [m.start() for m in re.finditer(r"\S+(?: \S+)*", lines[top])]
    rows = {}
    for line in itertools.takewhile(str.strip, lines[top + 1:]):
        cells = [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None])]
        rows[int(cells[0])] = cells
    return rows


def assert_table_is_the_storage(stdout: str, study: optuna.Study, names: list[str]) -> None:
    """Every trial in the database is a row of the printed table, with its
    state, options and validation accuracy; the best command is the best
    trial's."""
    rows = table_rows(stdout)
    assert sorted(rows) == [t.number for t in outcomes.trained(study)]
    for t in outcomes.trained(study):
        cells = rows[t.number]
        assert cells[1] == ("failed" if t.state == TrialState.FAIL else t.state.name.lower())
        assert cells[2:2 + len(names)] == [outcomes.short(t.params[n]) for n in names]
        assert cells[2 + len(names)] == (f"{100 * outcomes.accuracy(t):.2f}%" if outcomes.accuracy(t) is not None else "-")
    assert outcomes.command(study.best_trial) in stdout


def test_a_trial_made_after_the_study_was_full_stands_down():
    """Two workers that see the last place free at once both make a trial:
    the database numbers them, and the later one is surplus. It stands down
    untrained, does not count, and is not reported."""
    study = optuna.create_study(direction="maximize")
    first, second = study.ask(), study.ask()          # both running: budget 1 has one place
    assert not outcomes.surplus(study, first.number, 1) and outcomes.surplus(study, second.number, 1)
    second.set_user_attr("surplus", True)
    study.tell(second, state=TrialState.FAIL)
    study.tell(first, 0.5)
    assert [t.number for t in outcomes.trained(study)] == [first.number]
    assert sum(outcomes.counts(t) for t in study.trials) == 1


def test_two_local_workers_report_and_best_weights(tmp_path, digits):
    """--jobs 2: two processes, each with no more BLAS threads than its
    share of the cores (threadpoolctl counts them in the worker); the table
    is the database's; the SVG has a dot per trial and option; --out is the
    best trial's network, and its command run again gives the same weights
    bit for bit."""
    url, svg, out = f"sqlite:///{tmp_path}/s.db", tmp_path / "s.svg", tmp_path / "best.npz"
    env = dict(os.environ, OPENBLAS_NUM_THREADS="64")     # as many as allowed: each worker's share of the cores
    # augmented, so that a trial lasts longer than a worker takes to start: both get some
    result = run_sweep("lr=1e-3..3e-2:log", "dropout=0|0.2", "epochs=2", "layers=784,16,10", "nondigits=0", "font-digits=0",
                       "--data", digits, "--storage", url, "--trials", "4", "--jobs", "2",
                       "--plot", str(svg), "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr
    study = load(url)
    trials = outcomes.trained(study)      # not a surplus one, if both workers took the last place at once
    assert len(trials) == 4 and all(t.state.is_finished() for t in trials)
    assert len(study.trials) - len(trials) <= 1
    assert len({t.user_attrs["worker"] for t in trials}) == 2
    assert {t.user_attrs["blas_threads"] for t in trials} == {max(1, len(os.sched_getaffinity(0)) // 2)}
    assert_table_is_the_storage(result.stdout, study, ["lr", "dropout"])

    dots = ET.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}circle")
    scored = [t for t in trials if outcomes.accuracy(t) is not None]
    assert len(list(dots)) == 2 * len(scored)

    best = study.best_trial
    model, meta = weights.load(out)
    assert meta["val_accuracy"] == best.value and "the same as trial" in result.stdout
    again = tmp_path / "again.npz"
    words = shlex.split(outcomes.command(best))
    assert words[:4] == [f"OPENBLAS_NUM_THREADS={best.user_attrs['blas_threads']}", "python", "-m", "py.train"]
    done = subprocess.run([sys.executable, *words[2:], "--out", str(again)], cwd=REPO, capture_output=True,
                          env=dict(env, OPENBLAS_NUM_THREADS=words[0].split("=")[1]))
    assert done.returncode == 0, done.stderr
    first, second = ({n: p for n, p, _ in m.parameters()} for m in (model, weights.load(again)[0]))
    assert all(np.array_equal(first[n], second[n]) for n in first)


def test_two_workers_share_a_study_on_postgresql(digits):
    """Two commands, as on two machines, point at one PostgreSQL database:
    the second joins the study the first made, both run trials, and the
    report equals what the database holds."""
    command = ["lr=1e-3..3e-2:log", "layers=784,16,10|784,24,10", "epochs=4", "nondigits=0", "font-digits=0", "--data", digits,
               "--trials", "6"]
    with postgres.server() as url:
        first = start_sweep(*command, "--storage", url)
        deadline = time.time() + 60
        while time.time() < deadline and first.poll() is None:
            try:
                load(url)
                break
            except KeyError:        # not made yet
                time.sleep(0.2)
        second = start_sweep(*command, "--storage", url)
        for worker in (first, second):
            out, err = worker.communicate(timeout=300)
            assert worker.returncode == 0, (out, err)
        report = run_sweep(*command, "--storage", url)      # the study is done: this only reports
        assert report.returncode == 0, report.stderr
        study = load(url)
        trials = outcomes.trained(study)      # two workers may both start a trial when one is left: one stands down
        assert len(trials) == sum(outcomes.counts(t) for t in study.trials) == 6
        assert all(t.state.is_finished() for t in study.trials)
        assert len({t.user_attrs["worker"] for t in trials}) == 2
        assert_table_is_the_storage(report.stdout, study, ["lr", "layers"])
        assert not re.search(r"^trial \d+:", report.stdout, re.M)     # no trial ran
        assert optuna.storages.RDBStorage(url).engine.url.get_backend_name() == "postgresql"


# --- optional ---------------------------------------------------------------------

def test_the_page_and_training_need_no_optuna():
    probe = ("import sys; sys.modules['optuna'] = None\n"
             "import py.train, py.page.app, py.sweep\n"
             "from py.io.errors import run\n"
             "run(lambda: py.sweep.main(['lr=0.1']))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert_clean_error(result, "py.sweep needs Optuna", "pip install -e '.[sweep]'")
