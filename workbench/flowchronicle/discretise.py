"""Quantile bins for byte, packet and duration columns, and the intervals behind them.

Zero is its own class 0; the non-zero values go into at most ``n_bins`` quantile bins
(duplicate edges dropped), classes 1..K, class k being the interval (e[k-1], e[k]].
The module does not choose which columns to bin; ``prepare`` does.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["DEFAULT_BINS", "fit_edges", "assign_classes", "class_interval"]

#: Number of quantile bins for the non-zero values, as in the reference implementation.
DEFAULT_BINS = 40


def fit_edges(values: np.ndarray, n_bins: int = DEFAULT_BINS) -> np.ndarray:
    """Quantile edges of the non-zero values, duplicates dropped.

    Parameters
    ----------
    values : numpy.ndarray
        Non-negative numbers.
    n_bins : int, default 40
        Number of quantile bins before duplicate edges are dropped.

    Returns
    -------
    numpy.ndarray
        Sorted edges ``e[0] .. e[K]``: ``K`` bins; empty when no value is non-zero.

    Examples
    --------
    >>> fit_edges(np.array([0.0, 1.0, 2.0, 3.0, 4.0]), n_bins=2).tolist()
    [1.0, 2.5, 4.0]
    """
    positive = values[values > 0]
    if positive.size == 0:
        return np.array([], dtype=float)
    return np.unique(np.quantile(positive, np.linspace(0.0, 1.0, n_bins + 1)))


def assign_classes(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Class of each value: 0 for zero, k for a value in (e[k-1], e[k]].

    Values below ``e[0]`` fall in class 1 and values above the last edge in class K.

    Examples
    --------
    >>> assign_classes(np.array([0.0, 1.0, 2.0, 3.0, 4.0]), np.array([1.0, 2.5, 4.0]))
    array([0, 1, 1, 2, 2])
    """
    if edges.size == 0:
        return np.zeros(len(values), dtype=np.int64)
    k = len(edges) - 1
    classes = np.clip(np.searchsorted(edges, values, side="left"), 1, max(k, 1))
    return np.where(values > 0, classes, 0).astype(np.int64)


def class_interval(
    cls: int, edges: np.ndarray, *, integer: bool
) -> tuple[int, int] | tuple[float, float]:
    """The values a class stands for, in the model file's notation.

    Integer columns give a half-open ``(lo, hi)`` pair ``[lo, hi)``: class 0 is
    ``(0, 1)`` and class (a, b] is ``(floor(a) + 1, floor(b) + 1)``, the first class
    starting at the smallest observed value. Real columns give a closed ``(a, b)`` pair,
    class 0 being ``(0.0, 0.0)``.

    Examples
    --------
    >>> edges = np.array([40.0, 52.5, 1500.0])
    >>> class_interval(1, edges, integer=True), class_interval(2, edges, integer=True)
    ((40, 53), (53, 1501))
    >>> class_interval(0, edges, integer=False)
    (0.0, 0.0)
    """
    if cls == 0:
        return (0, 1) if integer else (0.0, 0.0)
    lower = float(edges[cls - 1])
    upper = float(edges[cls]) if len(edges) > 1 else lower
    if not integer:
        return (lower, upper)
    # The first class is closed on the left: it starts at the smallest value itself.
    low = math.ceil(lower) if cls == 1 else math.floor(lower) + 1
    return (low, max(math.floor(upper) + 1, low + 1))
