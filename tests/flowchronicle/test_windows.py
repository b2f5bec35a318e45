"""Tests for finding the windows of a pattern."""

from __future__ import annotations

import numpy as np

from workbench.flowchronicle.patterns import FIXED, SET, USE, Pattern, make_pattern
from workbench.flowchronicle.windows import FlowIndex, find_windows, window_scores


def _brute_force(pattern: Pattern, codes: np.ndarray) -> list[list[int]]:
    out = []
    for start in range(len(codes)):
        bound, rows, prev = {}, [], -1
        for j, row in enumerate(pattern.rows):
            found = None
            for r in range(prev + 1, len(codes)) if j else [start]:
                ok = all(
                    (c.kind == FIXED and codes[r, c.column] == c.value)
                    or (c.kind == USE and codes[r, c.column] == bound[c.value])
                    or c.kind == SET
                    for c in row
                )
                if ok:
                    found = r
                    break
            if found is None:
                break
            bound.update(
                {c.value: codes[found, c.column] for c in row if c.kind == SET}
            )
            rows.append(found)
            prev = found
        if len(rows) == pattern.n_rows:
            out.append(rows)
    return out


def test_find_windows_matches_brute_force():
    """Vectorised matching equals a record-by-record greedy-earliest search."""
    rng = np.random.default_rng(5)
    codes = rng.integers(0, 3, size=(200, 4))
    patterns = [
        make_pattern([[(2, "F", 1)]]),
        make_pattern([[(0, "S", 0), (2, "F", 1)], [(0, "U", 0), (3, "F", 2)]]),
        make_pattern(
            [[(0, "S", 0), (1, "S", 1), (3, "F", 0)], [(1, "U", 0), (0, "U", 1)]]
        ),
        make_pattern([[(0, "S", 0), (2, "F", 0)], [(1, "U", 0)], [(0, "U", 0)]]),
    ]

    found = [find_windows(p, FlowIndex(codes)).tolist() for p in patterns]

    assert found == [_brute_force(p, codes) for p in patterns]


def test_find_windows_no_match_is_empty():
    """A value that never occurs gives an empty (0, k) array."""
    codes = np.zeros((10, 2), dtype=np.int64)

    windows = find_windows(make_pattern([[(0, "F", 5)], [(1, "F", 0)]]), codes)

    assert windows.shape == (0, 2)


def test_window_scores_penalise_skipped_records():
    """Each record skipped inside a window costs 1/100 of a cell."""
    windows = np.array([[0, 1, 2], [0, 5, 9]])

    scores = window_scores(windows, covered_cells=4)

    assert scores.tolist() == [400, 400 - 7]
