"""Input checks shared by the explanation modules: error matrices, names and alert ids.

Each check returns a clean NumPy array or list, or raises :class:`SchemaError` with a
message that names the argument and says what to pass instead. Nothing is repaired
silently: NaN, infinity and wrong shapes are refused, never dropped or clipped.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from workbench.errors import SchemaError

__all__ = ["as_error_matrix", "as_feature_names", "as_alert_ids", "as_side_matrix"]


def as_error_matrix(
    errors: object,
    *,
    name: str = "errors",
    n_features: int | None = None,
    min_rows: int = 1,
) -> np.ndarray:
    """Return ``errors`` as a finite, C-contiguous float64 matrix (rows, features).

    Examples
    --------
    >>> as_error_matrix([[1, 2], [3, 4]]).dtype
    dtype('float64')
    """
    try:
        matrix = np.asarray(errors, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        message = f"{name} must be a numeric array of shape (rows, features): {exc}"
        raise SchemaError(message) from exc
    if matrix.ndim != 2:
        message = (
            f"{name} must be 2-D (rows, features), got shape {matrix.shape}; "
            "reshape a single row with .reshape(1, -1)"
        )
        raise SchemaError(message)
    rows, columns = matrix.shape
    if rows < min_rows or columns == 0:
        message = (
            f"{name} has shape {matrix.shape}; it needs at least {min_rows} row(s) "
            "and one feature column"
        )
        raise SchemaError(message)
    if n_features is not None and columns != n_features:
        message = (
            f"{name} has {columns} feature columns but the explainer was fitted on "
            f"{n_features}; pass errors of the same features in the same order"
        )
        raise SchemaError(message)
    finite = np.isfinite(matrix)
    if not finite.all():
        row, column = np.argwhere(~finite)[0]
        message = (
            f"{name} holds {int((~finite).sum())} NaN or infinite value(s), the "
            f"first at row {row}, column {column}; drop or impute those rows first"
        )
        raise SchemaError(message)
    return np.ascontiguousarray(matrix)


def as_feature_names(feature_names: Sequence[str], n_features: int) -> np.ndarray:
    """Return the feature names as an object array, checking there is one per column.

    Examples
    --------
    >>> as_feature_names(["a", "b"], 2).tolist()
    ['a', 'b']
    """
    if isinstance(feature_names, str):
        raise SchemaError("feature_names must be a sequence of names, not one string")
    names = np.asarray(list(feature_names), dtype=object)
    if names.ndim != 1 or names.size != n_features:
        message = (
            f"feature_names has {names.size} entries but the errors have {n_features} "
            "columns; pass one name per column, in column order"
        )
        raise SchemaError(message)
    return names


def as_alert_ids(alert_ids: object | None, n_rows: int) -> np.ndarray:
    """Return unique int64 alert ids, one per row (``0 .. n_rows - 1`` when None).

    Examples
    --------
    >>> as_alert_ids(None, 3).tolist()
    [0, 1, 2]
    """
    if alert_ids is None:
        return np.arange(n_rows, dtype=np.int64)
    ids = np.asarray(alert_ids)
    if ids.ndim != 1 or ids.size != n_rows:
        message = (
            f"alert_ids has shape {ids.shape} but the errors have {n_rows} rows; "
            "pass one id per row"
        )
        raise SchemaError(message)
    if ids.size and not np.issubdtype(ids.dtype, np.integer):
        message = f"alert_ids must be integers, got dtype {ids.dtype}"
        raise SchemaError(message)
    ids = ids.astype(np.int64)
    if np.unique(ids).size != ids.size:
        raise SchemaError("alert_ids holds duplicates; each alert needs its own id")
    return ids


def as_side_matrix(
    array: object | None, name: str, shape: tuple[int, int]
) -> np.ndarray:
    """Return an optional float64 matrix of the given shape, or NaN when it is None.

    Examples
    --------
    >>> as_side_matrix(None, "values", (1, 2)).tolist()
    [[nan, nan]]
    """
    if array is None:
        return np.full(shape, np.nan)
    try:
        matrix = np.asarray(array, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise SchemaError(f"{name} must be a numeric array: {exc}") from exc
    if matrix.shape != shape:
        message = (
            f"{name} has shape {matrix.shape} but the errors have shape {shape}; "
            "pass the rows and columns the errors were computed from"
        )
        raise SchemaError(message)
    return matrix
