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
