"""Drawings made as pen strokes for training, never shipped to the page: the
non-digits of outlier exposure and the fonts' digits (nondigits.py), from
fonts' glyphs (glyphs.py, outlines.py, kept in glyphs.npz by strokeset.py)
and hand-drawn shapes (shapes.py). Another source of pen strokes for training
(a reader of recorded handwriting) belongs here too."""
