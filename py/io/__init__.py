"""Files from outside, read without trusting them: weights files (weights.py),
data sets (data.py), the page's replay set (replayset.py), careful reading and
atomic writing (files.py), and the one kind of error for bad input
(errors.py). Paths come in as arguments: nothing here knows where a checkout
keeps its files. Ships to the page."""
