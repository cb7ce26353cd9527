"""python -m py.sweep: py.train's options searched with Optuna, on one
machine or several. command.py says how (its options, and how many workers
run here), database.py keeps the study, workers.py runs its trials,
outcomes.py says how each came out, report.py shows the results, and
space.py reads the search space."""

from .command import main

__all__ = ["main"]       # as every command, py.<command>.main (python -m py.sweep runs it: __main__.py)
