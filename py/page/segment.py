"""Split a written number into its digits.

People write a number left to right, one digit after another, but one digit
may take several strokes (a 4's two lines, a 5's detached bar, a 7's cross
bar) that need not touch. So strokes are grouped by where they sit
horizontally: two strokes belong to the same digit when their horizontal
extents overlap by a good part of the narrower one (a chain of such overlaps
joins a group, like connected components). Touching ink alone does not join:
neighbours written close together often touch. Each group is then
preprocessed like a single digit.
"""

import numpy as np

OVERLAP = 0.3      # of the narrower stroke's width
MIN_WIDTH = 0.15   # a stroke counts as at least this wide (fraction of the writing's height): a 1 is a line


def group(strokes: list[np.ndarray]) -> list[list[int]]:
    """Stroke indices per digit, digits ordered left to right.
    strokes: (n_i, 2) arrays of x, y in any one unit."""
    if not strokes:
        return []
    every = np.concatenate(strokes)
    height = max(float(np.ptp(every[:, 1])), 1e-6)
    lo = np.array([s[:, 0].min() for s in strokes])
    hi = np.array([s[:, 0].max() for s in strokes])
    mid, half = (lo + hi) / 2, np.maximum((hi - lo) / 2, MIN_WIDTH * height / 2)
    parent = list(range(len(strokes)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for a in range(len(strokes)):
        for b in range(a + 1, len(strokes)):
            overlap = min(mid[a] + half[a], mid[b] + half[b]) - max(mid[a] - half[a], mid[b] - half[b])
            if overlap >= OVERLAP * 2 * min(half[a], half[b]):
                parent[root(a)] = root(b)
    groups: dict[int, list[int]] = {}
    for i in range(len(strokes)):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda g: lo[g].min())

