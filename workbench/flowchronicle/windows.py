"""Occurrences ("windows") of a pattern in time-sorted coded records.

From every record matching row 0, each later row is matched to the earliest following
record that meets its Fixed and Use constraints (greedy-earliest, one window per start,
no maximum gap). The search is vectorised over all starts at once: Use constraints are
resolved by bisecting a (bound value, row id) ordering. Covers live in ``cover``.
"""

from __future__ import annotations

import numpy as np

from workbench.flowchronicle.patterns import FIXED, SET, USE, Pattern

__all__ = ["GAP_PENALTY", "FlowIndex", "find_windows", "window_scores"]

#: Score lost per record skipped inside a window (reference value).
GAP_PENALTY = 0.01


class FlowIndex:
    """Coded records with a sorted list of record ids per (column, code).

    Parameters
    ----------
    codes : numpy.ndarray
        ``(n, m)`` coded records in time order.

    Examples
    --------
    >>> index = FlowIndex(np.array([[0, 1], [1, 1], [0, 2]]))
    >>> index.matching([(0, 0), (1, 2)]).tolist()
    [2]
    """

    def __init__(self, codes: np.ndarray) -> None:
        self.codes = codes
        self.n = int(codes.shape[0])
        self._postings: list[list[np.ndarray]] = []
        for col in range(codes.shape[1]):
            order = np.argsort(codes[:, col], kind="stable")
            counts = np.bincount(codes[:, col], minlength=1)
            self._postings.append(np.split(order, np.cumsum(counts)[:-1]))

    def matching(self, fixed: list[tuple[int, int]]) -> np.ndarray:
        """Sorted ids of the records equal to every (column, code) pair given."""
        if not fixed:
            return np.arange(self.n, dtype=np.int64)
        lists = [self._posting(col, value) for col, value in fixed]
        rarest = min(range(len(lists)), key=lambda i: lists[i].size)
        rows = lists[rarest]
        for i, (col, value) in enumerate(fixed):
            if i != rarest and rows.size:
                rows = rows[self.codes[rows, col] == value]
        return rows

    def _posting(self, col: int, value: int) -> np.ndarray:
        postings = self._postings[col]
        if 0 <= value < len(postings):
            return postings[value]
        return np.zeros(0, dtype=np.int64)


def _matching(index: FlowIndex, row: tuple) -> np.ndarray:
    return index.matching([(c.column, c.value) for c in row if c.kind == FIXED])


def find_windows(pattern: Pattern, codes: np.ndarray | FlowIndex) -> np.ndarray:
    """Record ids of every window of ``pattern``, one row per window.

    Parameters
    ----------
    pattern : Pattern
        The pattern to match.
    codes : numpy.ndarray or FlowIndex
        ``(n, m)`` coded records in time order, or their index (faster when many
        patterns are matched).

    Returns
    -------
    numpy.ndarray
        ``(W, k)`` int64 record ids, windows ordered by start record.

    Examples
    --------
    >>> from workbench.flowchronicle.patterns import make_pattern
    >>> codes = np.array([[0, 1], [1, 5], [0, 2], [1, 5], [0, 2]])
    >>> p = make_pattern([[(0, "F", 0), (1, "S", 0)], [(0, "F", 0), (1, "U", 0)]])
    >>> find_windows(p, codes).tolist()
    [[2, 4]]
    """
    index = codes if isinstance(codes, FlowIndex) else FlowIndex(codes)
    codes = index.codes
    starts = _matching(index, pattern.rows[0])
    found = [starts]
    bound = {c.value: codes[starts, c.column] for c in pattern.rows[0] if c.kind == SET}
    for row in pattern.rows[1:]:
        candidates = _matching(index, row)
        uses = [(c.column, c.value) for c in row if c.kind == USE]
        nxt, ok = _next_match(codes, candidates, found[-1], uses, bound)
        found = [f[ok] for f in found] + [nxt]
        bound = {k: v[ok] for k, v in bound.items()}
        bound.update({c.value: codes[nxt, c.column] for c in row if c.kind == SET})
    return (
        np.column_stack(found).astype(np.int64)
        if found[0].size
        else np.zeros((0, pattern.n_rows), dtype=np.int64)
    )


def _next_match(
    codes: np.ndarray,
    candidates: np.ndarray,
    previous: np.ndarray,
    uses: list[tuple[int, int]],
    bound: dict[int, np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    n = codes.shape[0]
    if not uses:
        pos = np.searchsorted(candidates, previous, side="right")
        ok = pos < candidates.size
        return candidates[pos[ok]], ok
    # One integer key per record for its values on the Use columns; records sorted by
    # (key, id) so one bisection finds the first later record with the window's key.
    key_rows = np.zeros(candidates.size, dtype=np.int64)
    key_windows = np.zeros(previous.size, dtype=np.int64)
    for col, pid in uses:
        radix = int(codes[:, col].max()) + 1
        key_rows = key_rows * radix + codes[candidates, col]
        key_windows = key_windows * radix + bound[pid]
    order = np.lexsort((candidates, key_rows))
    composite = key_rows[order] * (n + 1) + candidates[order]
    pos = np.searchsorted(composite, key_windows * (n + 1) + previous + 1, side="left")
    ok = pos < composite.size
    ok[ok] = key_rows[order][pos[ok]] == key_windows[ok]
    return candidates[order][pos[ok]], ok


def window_scores(windows: np.ndarray, covered_cells: int) -> np.ndarray:
    """Window scores times 100, as integers: 100 x covered cells minus skipped records.

    Examples
    --------
    >>> window_scores(np.array([[0, 1], [2, 6]]), covered_cells=3).tolist()
    [300, 297]
    """
    if windows.shape[1] < 2:
        return np.full(windows.shape[0], 100 * covered_cells, dtype=np.int64)
    skipped = windows[:, -1] - windows[:, 0] - (windows.shape[1] - 1)
    return 100 * covered_cells - round(100 * GAP_PENALTY) * skipped
