"""How each trial came out, as the sweep sees it: whether it counts towards --trials, its
validation accuracy, how it ended, and its py.train command."""

import shlex

import optuna
from optuna.trial import FrozenTrial, TrialState


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


