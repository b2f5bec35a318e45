"""Candidate patterns proposed to the FlowChronicle search, family by family.

Families: pairs of Fixed values, one more Fixed cell in a row, placeholders (Set/Use on
IP columns, the way patterns grow longer), merges of one-row patterns and, in the
search's second mode, concatenations. IP columns are never fixed here. Only values that
co-occur at least ``min_support`` times are proposed. Ranking and testing belong to
``search``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import combinations

import numpy as np

from workbench.flowchronicle.patterns import FIXED, SET, USE, Pattern, make_pattern

__all__ = [
    "pair_candidates",
    "extension_candidates",
    "placeholder_candidates",
    "merge_candidates",
    "concat_candidates",
]


def _triples(pattern: Pattern) -> list[list[tuple[int, str, int]]]:
    return [[tuple(c) for c in row] for row in pattern.rows]


def pair_candidates(
    codes: np.ndarray, columns: Sequence[int], min_support: int = 2
) -> dict[Pattern, int]:
    """One-row patterns with two Fixed cells and their static scores (2 x support).

    Examples
    --------
    >>> codes = np.array([[0, 1], [0, 1], [1, 1]])
    >>> {p.rows: s for p, s in pair_candidates(codes, [0, 1]).items()}
    {((Cell(column=0, kind='F', value=0), Cell(column=1, kind='F', value=1)),): 4}
    """
    out: dict[Pattern, int] = {}
    for a, b in combinations(sorted(columns), 2):
        radix = int(codes[:, b].max()) + 1 if codes.shape[0] else 1
        keys, counts = np.unique(codes[:, a] * radix + codes[:, b], return_counts=True)
        for key, count in zip(keys.tolist(), counts.tolist(), strict=True):
            if count >= min_support:
                cells = [(a, FIXED, key // radix), (b, FIXED, key % radix)]
                out[make_pattern([cells])] = 2 * count
    return out


def extension_candidates(
    pattern: Pattern,
    windows: np.ndarray,
    codes: np.ndarray,
    columns: Sequence[int],
    min_support: int = 2,
) -> list[Pattern]:
    """``pattern`` with one more Fixed cell in one row, for values seen in its windows.

    Examples
    --------
    >>> p = make_pattern([[(0, "F", 0)]])
    >>> codes = np.array([[0, 3], [0, 3], [1, 3]])
    >>> [c.rows[0][1].value for c in extension_candidates(p, np.array([[0], [1]]),
    ...                                                    codes, [0, 1])]
    [3]
    """
    out = []
    for j, row in enumerate(pattern.rows):
        bound = {c.column for c in row}
        for col in columns:
            if col in bound:
                continue
            values, counts = np.unique(codes[windows[:, j], col], return_counts=True)
            for value in values[counts >= min_support].tolist():
                rows = _triples(pattern)
                rows[j].append((col, FIXED, value))
                out.append(make_pattern(rows))
    return out


def placeholder_candidates(
    pattern: Pattern, ip_columns: Sequence[int]
) -> list[Pattern]:
    """Reuse of an IP value in a later row, new or appended (the way patterns grow).

    Examples
    --------
    >>> p = make_pattern([[(2, "F", 5)]])
    >>> [len(c.rows) for c in placeholder_candidates(p, [0, 1])]
    [2, 2, 2, 2]
    """
    k = pattern.n_rows
    new_id = len(pattern.set_cells)
    out = []
    for i in range(k):
        for col in ip_columns:
            cell = pattern.cell(i, col)
            if cell is not None and cell.kind != SET:
                continue
            pid = cell.value if cell is not None else new_id
            set_cell = [] if cell is not None else [(col, SET, pid)]
            for j in range(i + 1, k):
                for target in ip_columns:
                    if pattern.cell(j, target) is None:
                        out.append(
                            _with(pattern, {i: set_cell, j: [(target, USE, pid)]})
                        )
            for target in ip_columns:
                rows = _triples(pattern)
                rows[i].extend(set_cell)
                rows.append([(target, USE, pid)])
                out.append(make_pattern(rows))
    return out


def _with(pattern: Pattern, extra: dict[int, list[tuple[int, str, int]]]) -> Pattern:
    rows = _triples(pattern)
    for j, cells in extra.items():
        rows[j].extend(cells)
    return make_pattern(rows)


def merge_candidates(patterns: Iterable[Pattern]) -> list[Pattern]:
    """Unions of two one-row patterns that agree on the columns they share.

    Examples
    --------
    >>> a, b = make_pattern([[(0, "F", 1)]]), make_pattern([[(1, "F", 2)]])
    >>> [len(p.rows[0]) for p in merge_candidates([a, b])]
    [2]
    """
    singles = [p for p in patterns if p.n_rows == 1]
    out = []
    for a, b in combinations(singles, 2):
        cells = {c.column: c for c in a.rows[0]}
        if any(cells.get(c.column, c) != c for c in b.rows[0]):
            continue
        cells.update({c.column: c for c in b.rows[0]})
        merged = make_pattern([list(cells.values())])
        if merged not in (a, b):
            out.append(merged)
    return out


def concat_candidates(
    patterns: Sequence[Pattern], ip_columns: Sequence[int]
) -> list[Pattern]:
    """Rows of ``a`` then rows of ``b``, for pairs sharing a Fixed IP or placeholders.

    Examples
    --------
    >>> a = make_pattern([[(0, "S", 0), (2, "F", 1)], [(0, "U", 0)]])
    >>> len(concat_candidates([a], [0, 1])[0].rows)
    4
    """
    ips = set(ip_columns)
    out = []
    for a in patterns:
        for b in patterns:
            fixed_a = {
                (c.column, c.value)
                for r in a.rows
                for c in r
                if c.kind == FIXED and c.column in ips
            }
            fixed_b = {
                (c.column, c.value)
                for r in b.rows
                for c in r
                if c.kind == FIXED and c.column in ips
            }
            if not (fixed_a & fixed_b or (a.set_cells and b.set_cells)):
                continue
            shift = len(a.set_cells)
            rows_b = [
                [
                    (c.column, c.kind, c.value + shift if c.kind != FIXED else c.value)
                    for c in row
                ]
                for row in b.rows
            ]
            out.append(make_pattern(_triples(a) + rows_b))
    return out
