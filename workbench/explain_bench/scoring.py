"""Top-K accuracy of feature rankings against injected ground truth.

A ranking hits at K when one of its first K features was injected, or, in the
correlated variant, when one of them correlates with an injected feature on benign data
at or above a cut-off (one hop, not transitive). The module ranks nothing and draws
nothing; it turns orders and truths into numbers.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from workbench._checks import as_error_matrix
from workbench.errors import SchemaError

__all__ = [
    "STRICT",
    "correlated_features",
    "accepted_features",
    "first_hit",
    "topk_accuracy",
]

#: Name of the criterion that accepts only the injected features.
STRICT = "strict"


def correlated_features(benign: object, cutoff: float = 0.7) -> np.ndarray:
    """Which features each feature accepts: itself and those with |rho| >= cutoff.

    Parameters
    ----------
    benign : array-like of shape (n, d)
        Benign training rows, as the model sees them (after preprocessing).
    cutoff : float, default 0.7
        Smallest absolute Pearson correlation accepted; constant columns correlate
        with nothing.

    Returns
    -------
    ndarray of bool, shape (d, d)
        Symmetric, with a true diagonal.

    Examples
    --------
    >>> x = np.array([0.0, 1.0, 0.0, 1.0])
    >>> benign = np.column_stack([x, 1.0 - x, [0.0, 0.0, 1.0, 1.0], np.ones(4)])
    >>> correlated_features(benign).astype(int).tolist()
    [[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
    """
    matrix = as_error_matrix(benign, name="benign", min_rows=2)
    if not 0.0 < cutoff <= 1.0:
        raise ValueError(f"cutoff must lie in (0, 1], got {cutoff!r}")

    centred = matrix - matrix.mean(axis=0)
    norms = np.sqrt(np.square(centred).sum(axis=0))
    varying = norms > 0.0
    unit = np.divide(centred, norms, out=np.zeros_like(centred), where=varying)
    rho = unit.T @ unit

    # A small tolerance keeps rho = cutoff exactly (e.g. 1/sqrt(2) vs 0.7071) stable.
    accepted = np.abs(rho) >= cutoff - 1e-12
    accepted &= varying[:, None] & varying[None, :]
    np.fill_diagonal(accepted, True)
    return accepted


def accepted_features(truth: np.ndarray, correlated: np.ndarray | None) -> np.ndarray:
    """Features a ranking may name for each row: C(G*) = union of C(j), j in G*.

    Examples
    --------
    >>> correlated = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1]], dtype=bool)
    >>> accepted_features(np.array([[True, False, False]]), correlated).tolist()
    [[True, True, False]]
    """
    truth = np.asarray(truth, dtype=bool)
    if correlated is None:
        return truth
    return (truth.astype(np.int64) @ correlated.astype(np.int64)) > 0


def first_hit(order: np.ndarray, accepted: np.ndarray) -> np.ndarray:
    """1-based rank of the first accepted feature in each row's order.

    Rows whose order names no accepted feature get ``d + 1``.

    Examples
    --------
    >>> first_hit(np.array([[2, 0, 1], [0, 1, 2]]),
    ...           np.array([[True, False, False], [False, False, False]])).tolist()
    [2, 4]
    """
    order = np.asarray(order)
    accepted = np.asarray(accepted, dtype=bool)
    if order.shape != accepted.shape:
        message = (
            f"order {order.shape} and ground truth {accepted.shape} must have the "
            "same shape (rows, features); rank the noised rows only"
        )
        raise SchemaError(message)
    in_order = np.take_along_axis(accepted, order, axis=1)
    ranks = np.where(in_order.any(axis=1), in_order.argmax(axis=1) + 1, 0)
    return np.where(ranks > 0, ranks, order.shape[1] + 1)


def topk_accuracy(
    orders: Mapping[str, np.ndarray],
    truth: np.ndarray,
    *,
    correlated: Mapping[str, np.ndarray] | None = None,
    subsets: Mapping[str, np.ndarray] | None = None,
    max_k: int = 5,
) -> pd.DataFrame:
    """Top-K accuracy of each method, criterion and subset of noised rows.

    Parameters
    ----------
    orders : mapping of str to ndarray of shape (m, d)
        Each method's order of the m noised rows, most blamed first.
    truth : ndarray of bool, shape (m, d)
        Injected columns of each noised row.
    correlated : mapping of str to ndarray of bool, shape (d, d), optional
        Criterion name to accepted-feature matrix from :func:`correlated_features`;
        the strict criterion is always computed.
    subsets : mapping of str to ndarray of bool, shape (m,), optional
        Named row subsets (default: ``{"all": every row}``).
    max_k : int, default 5
        Largest K.

    Returns
    -------
    pandas.DataFrame
        Columns ``method, criterion, subset, k, accuracy, n``; accuracy is NaN on an
        empty subset.

    Examples
    --------
    >>> orders = {"abs": np.array([[1, 0], [0, 1]])}
    >>> truth = np.array([[True, False], [True, False]])
    >>> table = topk_accuracy(orders, truth, max_k=2)
    >>> table[["k", "accuracy"]].to_numpy().tolist()
    [[1.0, 0.5], [2.0, 1.0]]
    """
    truth = np.asarray(truth, dtype=bool)
    criteria = {STRICT: None, **(correlated or {})}
    groups = subsets if subsets is not None else {"all": np.ones(len(truth), bool)}
    ks = np.arange(1, max_k + 1)

    records = []
    for criterion, matrix in criteria.items():
        accepted = accepted_features(truth, matrix)
        for method, order in orders.items():
            hits = first_hit(order, accepted)[:, None] <= ks[None, :]
            for subset, mask in groups.items():
                n = int(np.count_nonzero(mask))
                rates = hits[mask].mean(axis=0) if n else np.full(ks.size, np.nan)
                records += [
                    (method, criterion, subset, int(k), float(r), n)
                    for k, r in zip(ks, rates, strict=True)
                ]
    columns = ["method", "criterion", "subset", "k", "accuracy", "n"]
    return pd.DataFrame.from_records(records, columns=columns)
