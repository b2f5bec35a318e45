"""The greedy record-disjoint cover of the data by a pattern set.

All windows of all patterns are ranked by score (ties: start record, then the canonical
pattern order, so runs are reproducible); a window is accepted when none of its records
is covered yet. Records in no accepted window belong to the empty pattern. Scoring the
cover is ``mdl``'s job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from workbench.flowchronicle.patterns import Pattern
from workbench.flowchronicle.windows import window_scores

__all__ = ["Cover", "greedy_cover", "accept_in_order", "disjoint_count"]


@dataclass(frozen=True)
class Cover:
    """Accepted windows per pattern and the records left uncovered.

    Attributes
    ----------
    windows : tuple of numpy.ndarray
        Per pattern, ``(|W_p|, k_p)`` record ids of its accepted windows, by start.
    uncovered : numpy.ndarray
        Sorted ids of the records in no window.
    """

    windows: tuple[np.ndarray, ...]
    uncovered: np.ndarray

    @property
    def usage(self) -> np.ndarray:
        """|W_p| per pattern."""
        return np.array([w.shape[0] for w in self.windows], dtype=np.int64)


def greedy_cover(
    patterns: Sequence[Pattern], windows: Sequence[np.ndarray], n: int
) -> Cover:
    """Cover ``n`` records with the windows of ``patterns``.

    Parameters
    ----------
    patterns : sequence of Pattern
        The pattern set.
    windows : sequence of numpy.ndarray
        All windows of each pattern, as returned by ``find_windows``.
    n : int
        Number of records.

    Returns
    -------
    Cover

    Examples
    --------
    >>> from workbench.flowchronicle.patterns import make_pattern
    >>> a = make_pattern([[(0, "F", 1), (1, "F", 2)]])
    >>> b = make_pattern([[(0, "F", 1)]])
    >>> c = greedy_cover([b, a], [np.array([[0], [1], [3]]), np.array([[1]])], 4)
    >>> c.usage.tolist(), c.uncovered.tolist()
    ([2, 1], [2])
    """
    ranks = np.empty(len(patterns), dtype=np.int64)
    ranks[sorted(range(len(patterns)), key=lambda i: patterns[i].rows)] = np.arange(
        len(patterns)
    )
    sizes = [w.shape[0] for w in windows]
    owner = np.repeat(np.arange(len(patterns)), sizes)
    starts = np.concatenate([w[:, 0] for w in windows] or [np.zeros(0, np.int64)])
    scores = np.concatenate(
        [
            window_scores(w, p.covered_cells)
            for p, w in zip(patterns, windows, strict=True)
        ]
        or [np.zeros(0, dtype=np.int64)]
    )
    order = np.lexsort((ranks[owner], starts, -scores))
    priority = np.empty(order.size, dtype=np.int64)
    priority[order] = np.arange(order.size)

    bounds = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    cell_window = np.concatenate(
        [
            np.repeat(priority[a:b], w.shape[1])
            for a, b, w in zip(bounds[:-1], bounds[1:], windows, strict=True)
        ]
        or [np.zeros(0, np.int64)]
    )
    cell_row = np.concatenate(
        [w.reshape(-1) for w in windows] or [np.zeros(0, np.int64)]
    )
    taken = accept_in_order(cell_window, cell_row, order.size, n)[priority]

    kept = tuple(
        w[taken[a:b]] for a, b, w in zip(bounds[:-1], bounds[1:], windows, strict=True)
    )
    covered = np.zeros(n, dtype=bool)
    for w in kept:
        covered[w.reshape(-1)] = True
    return Cover(kept, np.flatnonzero(~covered))


def accept_in_order(
    cell_window: np.ndarray, cell_row: np.ndarray, n_windows: int, n: int
) -> np.ndarray:
    """Greedy record-disjoint selection of windows numbered in priority order.

    Window ``w`` is accepted iff none of its records lies in an accepted window with a
    smaller number. Rounds of vectorised work accept every window that comes first on
    all its records and drop every window that meets an accepted one; when rounds stop
    paying off, the rest is settled one window at a time.

    Parameters
    ----------
    cell_window, cell_row : numpy.ndarray
        One entry per (window, record) cell.
    n_windows, n : int
        Number of windows and of records.

    Returns
    -------
    numpy.ndarray
        Boolean mask over windows: accepted.

    Examples
    --------
    >>> accept_in_order(np.array([0, 0, 1, 1, 2]), np.array([0, 1, 1, 2, 2]), 3, 3)
    array([ True, False,  True])
    """
    alive = np.ones(n_windows, dtype=bool)
    accepted = np.zeros(n_windows, dtype=bool)
    covered = np.zeros(n, dtype=bool)
    while True:
        live = alive[cell_window]
        window, row = cell_window[live], cell_row[live]
        before = int(alive.sum())
        if before <= _SEQUENTIAL_BELOW:
            _accept_sequentially(window, row, covered, accepted)
            return accepted
        first = np.full(n, n_windows, dtype=np.int64)
        np.minimum.at(first, row, window)
        blocked = np.zeros(n_windows, dtype=bool)
        blocked[window[first[row] != window]] = True
        new = alive & ~blocked
        accepted |= new
        covered[row[new[window]]] = True
        alive[window[covered[row]]] = False
        if before - int(alive.sum()) < _MIN_PROGRESS * before:
            live = alive[cell_window]
            _accept_sequentially(cell_window[live], cell_row[live], covered, accepted)
            return accepted


#: Below this many undecided windows, or when a vectorised round settles fewer than
#: this share of them, the cover is finished window by window.
_SEQUENTIAL_BELOW = 64
_MIN_PROGRESS = 0.2


def _accept_sequentially(
    window: np.ndarray, row: np.ndarray, covered: np.ndarray, accepted: np.ndarray
) -> None:
    order = np.argsort(window, kind="stable")
    windows, rows = window[order].tolist(), row[order].tolist()
    taken = bytearray(covered.tobytes())
    i, size = 0, len(windows)
    while i < size:
        j = i
        while j < size and windows[j] == windows[i]:
            j += 1
        cells = rows[i:j]
        if not any(taken[r] for r in cells):
            for r in cells:
                taken[r] = 1
            accepted[windows[i]] = True
        i = j
    covered[:] = np.frombuffer(bytes(taken), dtype=bool)


def disjoint_count(windows: np.ndarray, covered_cells: int) -> int:
    """Number of record-disjoint windows picked greedily by score, then start.

    Examples
    --------
    >>> disjoint_count(np.array([[0, 2], [1, 3], [2, 4]]), covered_cells=2)
    2
    """
    if windows.shape[1] == 1:
        return int(windows.shape[0])
    scores = window_scores(windows, covered_cells)
    order = np.lexsort((windows[:, 0], -scores))
    n = int(windows.max()) + 1 if windows.size else 0
    cell_window = np.repeat(np.arange(order.size), windows.shape[1])
    accepted = accept_in_order(cell_window, windows[order].reshape(-1), order.size, n)
    return int(accepted.sum())
