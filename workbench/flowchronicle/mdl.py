"""The MDL code length of a FlowChronicle pattern set and of the data given it.

L = L(M) + L(D | M) with the reference's encoding: a universal code for counts, a
uniform code for Fixed values and start times, ``L_N`` for gaps inside a window, and the
Krichevsky-Trofimov code for the cells left to each pattern's Bayesian network.
Nothing encodes which records a window uses; that gap is the reference's, kept for
comparability. The search that minimises L lives in ``search``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln

from workbench.flowchronicle.bn import MAX_INDEGREE, Structure, kt_bits
from workbench.flowchronicle.cover import Cover
from workbench.flowchronicle.patterns import FIXED, SET, USE, Pattern

__all__ = [
    "CodeLength",
    "universal_bits",
    "log_binomial",
    "row_bits",
    "structure_bits",
    "pattern_bits",
    "pattern_data",
    "window_bits",
    "code_length",
]

_LOG_C0 = math.log2(2.865064)
_LN2 = math.log(2.0)


@dataclass(frozen=True)
class CodeLength:
    """Model and data code lengths in bits.

    Examples
    --------
    >>> CodeLength(10.0, 90.0).total
    100.0
    """

    model: float
    data: float

    @property
    def total(self) -> float:
        """L(M) + L(D | M)."""
        return self.model + self.data


def universal_bits(x: int | np.ndarray) -> float | np.ndarray:
    """Rissanen's universal integer code length L_N(x) for x >= 1.

    Examples
    --------
    >>> round(universal_bits(1), 3), round(universal_bits(16), 3)
    (1.519, 8.519)
    """
    z = np.asarray(x, dtype=float)
    bits = np.full(z.shape, _LOG_C0)
    z = np.log2(np.maximum(z, 1.0))
    while np.any(z > 0):
        bits = bits + np.where(z > 0, z, 0.0)
        z = np.where(z > 0, np.log2(np.maximum(z, 1e-300)), 0.0)
    return float(bits) if bits.ndim == 0 else bits


def log_binomial(a: int, b: int) -> float:
    """log2 of the binomial coefficient C(a, b); 0 for b = 0.

    Examples
    --------
    >>> log_binomial(4, 2) == math.log2(6)
    True
    """
    if b <= 0:
        return 0.0
    return float(gammaln(a + 1) - gammaln(b + 1) - gammaln(a - b + 1)) / _LN2


def row_bits(pattern: Pattern, j: int, domain_sizes: Sequence[int]) -> float:
    """Code length of row ``j`` of ``pattern`` (reference encoding).

    Examples
    --------
    >>> from workbench.flowchronicle.patterns import make_pattern
    >>> p = make_pattern([[(0, "F", 1), (1, "F", 0)]])
    >>> round(row_bits(p, 0, [4, 2, 3]), 3)
    6.17
    """
    m = len(domain_sizes)
    row = pattern.rows[j]
    f = sum(c.kind == FIXED for c in row)
    u = sum(c.kind == USE for c in row)
    s = sum(c.kind == SET for c in row)
    sets_before = sum(c.kind == SET for r in pattern.rows[:j] for c in r)
    bits = math.log2(m) + log_binomial(m, f)
    bits += sum(math.log2(domain_sizes[c.column]) for c in row if c.kind == FIXED)
    if j > 0 and sets_before > 0 and m - f - s > 0:
        bits += math.log2(m - f - s) + log_binomial(m - f, u)
        bits += u * math.log2(sets_before)
    if m - f - u > 0:
        bits += math.log2(m - f - u) + log_binomial(m - f - u, s)
    return bits


def structure_bits(structure: Structure, max_indegree: int = MAX_INDEGREE) -> float:
    """Code length of a BN structure over its learned nodes.

    Examples
    --------
    >>> s = Structure(parents=((), (0,)), nodes=(0, 1))
    >>> round(structure_bits(s), 3)
    3.17
    """
    size = len(structure.nodes)
    return sum(
        math.log2(max_indegree) + log_binomial(size - 1, len(structure.parents[v]))
        for v in structure.nodes
    )


def pattern_bits(
    pattern: Pattern, structure: Structure, domain_sizes: Sequence[int]
) -> float:
    """L(p): number of rows, each row, and the BN structure."""
    rows = sum(row_bits(pattern, j, domain_sizes) for j in range(pattern.n_rows))
    return float(universal_bits(pattern.n_rows)) + rows + structure_bits(structure)


def pattern_data(
    pattern: Pattern, windows: np.ndarray, codes: np.ndarray
) -> np.ndarray:
    """The BN data X_p: one row per window, one column per Free or Set cell.

    Examples
    --------
    >>> from workbench.flowchronicle.patterns import make_pattern
    >>> p = make_pattern([[(0, "F", 1)]])
    >>> pattern_data(p, np.array([[1]]), np.array([[0, 7], [1, 8]])).tolist()
    [[8]]
    """
    variables = pattern.bn_variables(codes.shape[1])
    if not variables:
        return np.zeros((windows.shape[0], 0), dtype=np.int64)
    rows = windows[:, [j for j, _ in variables]]
    cols = np.array([c for _, c in variables])
    return codes[rows, cols[None, :]]


def window_bits(
    pattern: Pattern,
    structure: Structure,
    windows: np.ndarray,
    codes: np.ndarray,
    times: np.ndarray,
    domain_sizes: Sequence[int],
) -> float:
    """Data bits of one pattern's accepted windows: starts, gaps, usage and its BN.

    Examples
    --------
    >>> from workbench.flowchronicle.patterns import make_pattern
    >>> p = make_pattern([[(0, "F", 0)]])
    >>> s = Structure(parents=((),), nodes=())
    >>> round(window_bits(p, s, np.array([[0]]), np.array([[0, 1]]),
    ...                   np.array([0, 8]), [1, 2]), 3)
    4.519
    """
    if windows.shape[0] == 0:
        return 0.0
    bits = windows.shape[0] * _log_span(times) + float(universal_bits(windows.shape[0]))
    if windows.shape[1] > 1:
        gaps = np.diff(times[windows], axis=1).reshape(-1)
        bits += float(np.sum(universal_bits(gaps + 1)))
    variables = pattern.bn_variables(codes.shape[1])
    cards = np.array([domain_sizes[c] for _, c in variables], dtype=np.int64)
    return bits + kt_bits(
        pattern_data(pattern, windows, codes), structure.parents, cards
    )


def _log_span(times: np.ndarray) -> float:
    return math.log2(max(int(times.max() - times.min()), 1)) if times.size else 0.0


def code_length(
    patterns: Sequence[Pattern],
    structures: Sequence[Structure],
    base: Structure,
    cover: Cover,
    codes: np.ndarray,
    times: np.ndarray,
    domain_sizes: Sequence[int],
    cache: dict | None = None,
) -> CodeLength:
    """L(M) and L(D | M) of a pattern set and its cover.

    Parameters
    ----------
    patterns, structures : sequence
        The pattern set and the BN structure of each pattern.
    base : Structure
        Structure of the empty pattern's network BN_0 over all columns.
    cover : Cover
        Accepted windows per pattern and uncovered records.
    codes, times : numpy.ndarray
        Coded records and their integer times.
    domain_sizes : sequence of int
        |D_c| per column.
    cache : dict, optional
        Memo of :func:`pattern_bits` per (pattern, structure) and of
        :func:`window_bits` per (pattern, structure, windows), reused across calls on
        the same records.

    Returns
    -------
    CodeLength
    """
    model = float(universal_bits(len(patterns) + 1)) + structure_bits(base)
    for p, s in zip(patterns, structures, strict=True):
        if cache is None:
            model += pattern_bits(p, s, domain_sizes)
            continue
        if (p, s) not in cache:
            cache[(p, s)] = pattern_bits(p, s, domain_sizes)
        model += cache[(p, s)]
    sizes = np.asarray(domain_sizes, dtype=np.int64)
    data = cover.uncovered.size * _log_span(times)
    data += kt_bits(codes[cover.uncovered], base.parents, sizes)
    for p, s, w in zip(patterns, structures, cover.windows, strict=True):
        key = (p, s, w.tobytes())
        if cache is None or key not in cache:
            bits = window_bits(p, s, w, codes, times, domain_sizes)
            if cache is None:
                data += bits
                continue
            cache[key] = bits
        data += cache[key]
    return CodeLength(model, data)
