"""Tests for the greedy record-disjoint cover."""

from __future__ import annotations

import numpy as np

from workbench.flowchronicle.cover import accept_in_order, disjoint_count, greedy_cover
from workbench.flowchronicle.patterns import make_pattern


def test_accept_in_order_equals_sequential_greedy():
    """The vectorised rounds accept exactly what a window-by-window pass accepts."""
    rng = np.random.default_rng(11)
    for _ in range(50):
        n, count, k = int(rng.integers(5, 300)), int(rng.integers(1, 600)), 2
        windows = np.sort(rng.integers(0, n, size=(count, k)), axis=1)
        cells = np.repeat(np.arange(count), k)

        accepted = accept_in_order(cells, windows.reshape(-1), count, n)

        taken, expected = set(), []
        for w in windows.tolist():
            expected.append(taken.isdisjoint(w))
            if expected[-1]:
                taken.update(w)
        assert accepted.tolist() == expected


def test_greedy_cover_prefers_higher_scores():
    """A window covering more cells wins over a narrower pattern on shared records."""
    narrow = make_pattern([[(0, "F", 1)]])
    wide = make_pattern([[(0, "F", 1), (1, "F", 1)]])
    windows = [np.array([[0], [1], [2]]), np.array([[1], [2]])]

    cover = greedy_cover([narrow, wide], windows, 4)

    assert cover.usage.tolist() == [1, 2]
    assert cover.windows[0].tolist() == [[0]]
    assert cover.uncovered.tolist() == [3]


def test_greedy_cover_ties_are_reproducible():
    """Equal scores are broken by start record, whatever the pattern order."""
    a = make_pattern([[(0, "F", 1)]])
    b = make_pattern([[(1, "F", 2)]])
    windows_a, windows_b = np.array([[0], [2]]), np.array([[0], [1]])

    first = greedy_cover([a, b], [windows_a, windows_b], 3)
    second = greedy_cover([b, a], [windows_b, windows_a], 3)

    assert first.usage.tolist() == second.usage.tolist()[::-1]


def test_disjoint_count_overlapping_chain():
    """Overlapping two-record windows in a chain: every other one is picked."""
    windows = np.array([[i, i + 1] for i in range(10)])

    count = disjoint_count(windows, covered_cells=2)

    assert count == 5
