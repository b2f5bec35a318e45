"""Vectorised tail-mass kernels of AE-pvalues, one reference column at a time.

Each kernel takes the distinct reference values of one feature (ascending) and their
cumulative counts with a leading 0, and returns tail masses in counts (divide by n for
p-values). They validate nothing: :mod:`workbench.pvalues` checks inputs first.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "distinct_counts",
    "robust_stats",
    "sorted_robust_stats",
    "exact_masses",
    "interp_masses",
    "constant_masses",
    "to_pvalue",
]

#: Quantile range (percent) of the tie-breaker's robust scale, as in the package.
TIEBREAK_QUANTILES = (1.0, 99.0)
#: Scales below this are treated as zero and replaced by 1 (scikit-learn's convention).
ZERO_SCALE = 10 * np.finfo(np.float64).eps


def distinct_counts(column: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct values of a sorted column and their cumulative counts.

    The counts start with 0 and end with the column size: ``cum[l]`` values of the
    column lie below the ``l``-th distinct value. They are int32 when that suffices.
    """
    new = np.empty(column.size, dtype=bool)
    new[0] = True
    np.not_equal(column[1:], column[:-1], out=new[1:])
    starts = np.flatnonzero(new)

    dtype = np.int32 if column.size < np.iinfo(np.int32).max else np.int64
    return column[starts], np.append(starts, column.size).astype(dtype)


def robust_stats(errors: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the median and the 1st-to-99th percentile range (zero replaced by 1)."""
    center = np.median(errors, axis=axis)
    low, high = np.percentile(errors, TIEBREAK_QUANTILES, axis=axis)

    scale = high - low
    scale[scale < ZERO_SCALE] = 1.0
    return center, scale


def sorted_robust_stats(columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return :func:`robust_stats` of each row of ``columns``, already sorted ascending.

    Reads the order statistics directly (linear interpolation between the two
    neighbours of position ``(n - 1) q``) instead of partitioning again.
    """
    n = columns.shape[1]
    stats = []
    for percent in (50.0, *TIEBREAK_QUANTILES):
        position = (n - 1) * percent / 100.0
        below = min(int(np.floor(position)), n - 2)
        fraction = position - below
        low, high = columns[:, below], columns[:, below + 1]
        stats.append(low + (high - low) * fraction)

    center, q_low, q_high = stats
    scale = q_high - q_low
    scale[scale < ZERO_SCALE] = 1.0
    return center, scale


def exact_masses(
    values: np.ndarray, cum: np.ndarray, e: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return #{r >= e} and #{r <= e} with one binary search in the distinct values."""
    below = np.searchsorted(values, e, side="left")
    # e is a reference value exactly when the value at its insertion point equals it.
    hit = values[np.minimum(below, values.size - 1)] == e

    n = cum[-1]
    return (n - cum[below]).astype(np.float64), cum[below + hit].astype(np.float64)


def interp_masses(
    values: np.ndarray, cum: np.ndarray, e: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return both tail masses interpolated linearly, end segments extended, clipped."""
    lo = np.searchsorted(values, e, side="right") - 1
    np.clip(lo, 0, values.size - 2, out=lo)
    hi = lo + 1
    u_lo = values[lo]
    t = (e - u_lo) / (values[hi] - u_lo)

    n = cum[-1]
    # Tail masses at the bracketing knots: right = #{r >= u}, left = #{r <= u}.
    c_lo, c_hi, c_next = cum[lo], cum[hi], cum[hi + 1]
    right = (1.0 - t) * (n - c_lo) + t * (n - c_hi)
    left = (1.0 - t) * c_hi + t * c_next
    return np.clip(right, 0.0, n), np.clip(left, 0.0, n)


def constant_masses(value: float, n: int, e: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return the constant-feature rule: both tails n where e equals value, else 0."""
    masses = np.where(e == value, float(n), 0.0)

    return masses, masses


def to_pvalue(masses: np.ndarray, n: int, smoothing: bool) -> np.ndarray:
    """Turn tail masses in counts into p-values in place, optionally smoothed."""
    if smoothing:
        masses += 1.0
        n += 1
    masses /= n
    return masses
