"""Drawings made as pen strokes for training, never shipped to the page: the
non-digits of outlier exposure and the fonts' digits (nondigits.py), from
fonts' glyphs (fonts.py, outlines.py, kept in glyphs.npz by strokeset.py)
and hand-drawn shapes (shapes.py); real writers' digits and characters
(unipenset.py reads a UNIPEN distribution, kept in unipen.npz), and as the
pen's path network reads them (pathset.py)."""
