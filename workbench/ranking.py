"""Feature rankings for autoencoder alerts and the long explanation table charts read.

Provides the AE-pvalues ranking rule, the AE-abs baseline order and one builder for the
tidy table of section 8 of the spec. It computes no p-values (see
:mod:`workbench.pvalues`) and draws nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbench._checks import (
    as_alert_ids,
    as_error_matrix,
    as_feature_names,
    as_side_matrix,
)

__all__ = [
    "EXPLANATION_COLUMNS",
    "rank_features",
    "abs_error_order",
    "explanation_table",
    "explain_abs",
]

#: Columns of every explanation table, in this order.
EXPLANATION_COLUMNS = (
    "alert_id",
    "feature",
    "rank",
    "p_value",
    "p_right",
    "p_left",
    "tiebreak",
    "error",
    "value",
    "reconstruction",
)


def rank_features(p: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Order each row's features: p ascending, tie-breaker descending, index descending.

    Parameters
    ----------
    p : ndarray of shape (m, d)
        Feature p-values.
    tiebreak : ndarray of shape (m, d)
        Tie-breaker, larger meaning more abnormal among equal p-values.

    Returns
    -------
    ndarray of int64, shape (m, d)
        Feature indices per row, most abnormal first.

    Notes
    -----
    p-values are compared through ``p - 1``, i.e. at the float64 resolution near 1
    (2**-53). Linear interpolation leaves rounding residues such as 3e-18 where the
    exact tail mass is 0; these then tie with 0 and the tie-breaker decides, as in
    the ae-pvalues package (observed: it ties p below 2**-54 with 0).

    Examples
    --------
    >>> rank_features(np.array([[0.5, 0.0, 0.0, 0.0]]),
    ...               np.array([[9.0, 1.0, 2.0, 1.0]])).tolist()
    [[2, 3, 1, 0]]
    """
    p = np.asarray(p, dtype=np.float64)
    tiebreak = np.asarray(tiebreak, dtype=np.float64)
    if p.ndim != 2 or p.shape != tiebreak.shape:
        message = (
            f"p {p.shape} and tiebreak {tiebreak.shape} must be 2-D arrays of the "
            "same shape (rows, features)"
        )
        raise ValueError(message)

    # A stable sort keeps the input order among complete ties; sorting the columns in
    # reverse therefore yields "feature index descending" for them.
    reverse = np.s_[:, ::-1]
    order = np.lexsort((-tiebreak[reverse], p[reverse] - 1.0), axis=-1)
    return (p.shape[1] - 1 - order).astype(np.int64, copy=False)


def abs_error_order(errors: object) -> np.ndarray:
    """Order each row's features by absolute error descending, ties by index ascending.

    This is the AE-abs baseline: same errors, no reference distribution.

    Parameters
    ----------
    errors : array-like of shape (m, d)
        Signed reconstruction errors (reconstruction minus input).

    Returns
    -------
    ndarray of int64, shape (m, d)
        Feature indices per row, largest absolute error first.

    Examples
    --------
    >>> abs_error_order([[0.1, -3.0, 3.0, 0.5]]).tolist()
    [[1, 2, 3, 0]]
    """
    matrix = as_error_matrix(errors)

    return np.argsort(-np.abs(matrix), axis=1, kind="stable").astype(np.int64)


def explanation_table(
    order: np.ndarray,
    errors: object,
    *,
    feature_names: Sequence[str],
    alert_ids: object | None = None,
    values: object | None = None,
    reconstructions: object | None = None,
    pvalues: dict[str, np.ndarray] | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """Build the long explanation table from any per-row feature order.

    Parameters
    ----------
    order : ndarray of int, shape (m, d)
        Feature indices per row, most abnormal first.
    errors : array-like of shape (m, d)
        Signed reconstruction errors (reconstruction minus input).
    feature_names : sequence of str
        One name per column.
    alert_ids : array-like of int, optional
        One unique id per row; defaults to ``0 .. m - 1``.
    values, reconstructions : array-like of shape (m, d), optional
        Model inputs and outputs. When only one is given the other is derived from
        ``error = reconstruction - value``; when neither is given both columns are NaN.
    pvalues : dict, optional
        Arrays of shape (m, d) under any of the keys ``p_value``, ``p_right``,
        ``p_left`` and ``tiebreak``; missing keys give NaN columns.
    top : int, optional
        Keep the ``top`` best ranks per alert (all features when larger than d).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EXPLANATION_COLUMNS`, one row per alert and kept feature, sorted
        by ``alert_id`` then ``rank`` (1 = most abnormal).

    Examples
    --------
    >>> table = explanation_table(np.array([[1, 0]]), [[0.1, -2.0]],
    ...                           feature_names=["bytes", "packets"])
    >>> table[["alert_id", "feature", "rank", "error"]].to_numpy().tolist()
    [[0, 'packets', 1, -2.0], [0, 'bytes', 2, 0.1]]
    """
    matrix = as_error_matrix(errors)
    m, d = matrix.shape
    order = _check_order(order, (m, d))
    names = as_feature_names(feature_names, d)
    ids = as_alert_ids(alert_ids, m)
    keep = d if top is None else _check_top(top, d)
    columns = _side_columns(matrix, values, reconstructions, pvalues)

    # Put alerts in id order first, so that rows come out sorted by alert then rank.
    rows = np.argsort(ids, kind="stable")
    picked = order[rows, :keep]
    gather = {
        key: array[rows[:, None], picked].ravel() for key, array in columns.items()
    }

    table = {
        "alert_id": np.repeat(ids[rows], keep),
        "feature": names[picked.ravel()],
        "rank": np.tile(np.arange(1, keep + 1, dtype=np.int64), m),
        **gather,
    }
    return pd.DataFrame(table, columns=list(EXPLANATION_COLUMNS))


def explain_abs(
    errors: object,
    *,
    feature_names: Sequence[str],
    alert_ids: object | None = None,
    values: object | None = None,
    reconstructions: object | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """Explain rows with the AE-abs baseline, as a table with NaN p-value columns.

    Parameters are those of :func:`explanation_table`, without ``order`` and
    ``pvalues``.

    Examples
    --------
    >>> table = explain_abs([[0.1, -2.0]], feature_names=["bytes", "packets"], top=1)
    >>> table[["feature", "rank", "p_value"]].to_numpy().tolist()
    [['packets', 1, nan]]
    """
    order = abs_error_order(errors)

    return explanation_table(
        order,
        errors,
        feature_names=feature_names,
        alert_ids=alert_ids,
        values=values,
        reconstructions=reconstructions,
        top=top,
    )


def _check_order(order: object, shape: tuple[int, int]) -> np.ndarray:
    """Return ``order`` as an int64 matrix holding a permutation of columns per row."""
    array = np.asarray(order)
    if array.shape != shape or not np.issubdtype(array.dtype, np.integer):
        message = (
            f"order must be an integer array of shape {shape} (one feature permutation "
            f"per row), got {array.dtype} of shape {array.shape}"
        )
        raise ValueError(message)
    expected = np.arange(shape[1])
    if not (np.sort(array, axis=1) == expected).all():
        raise ValueError("each row of order must be a permutation of 0 .. d - 1")
    return array.astype(np.int64, copy=False)


def _check_top(top: int, n_features: int) -> int:
    """Return how many ranks to keep: ``top`` capped at ``n_features``."""
    if isinstance(top, bool) or not isinstance(top, int | np.integer) or top < 1:
        raise ValueError(f"top must be a positive integer or None, got {top!r}")
    return min(int(top), n_features)


def _side_columns(
    errors: np.ndarray,
    values: object | None,
    reconstructions: object | None,
    pvalues: dict[str, np.ndarray] | None,
) -> dict[str, np.ndarray]:
    """Return every per-cell column of the table as an (m, d) float64 array."""
    shape = errors.shape
    value = as_side_matrix(values, "values", shape)
    recon = as_side_matrix(reconstructions, "reconstructions", shape)
    # error = reconstruction - value, so one of the two determines the other.
    if values is not None and reconstructions is None:
        recon = value + errors
    elif reconstructions is not None and values is None:
        value = recon - errors
    given = pvalues or {}
    unknown = set(given) - {"p_value", "p_right", "p_left", "tiebreak"}
    if unknown:
        raise ValueError(f"unknown p-value column(s) {sorted(unknown)}")
    stats = {
        key: as_side_matrix(given.get(key), key, shape)
        for key in ("p_value", "p_right", "p_left", "tiebreak")
    }
    return {**stats, "error": errors, "value": value, "reconstruction": recon}
