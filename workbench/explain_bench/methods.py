"""The explanation methods the benchmark compares, each timed on the rows it ranks.

AE-pvalues (interpolated and exact), AE-abs and a random floor rank features from the
signed errors alone; SHAP_AE (``workbench.explain_bench.shap_ae``) also calls the model.
Every method returns a :class:`Ranking`: an order per row and the wall time it took.
The module scores no ranking against a truth.
"""

from __future__ import annotations

import importlib.util
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from workbench.pvalues import AEPValues
from workbench.ranking import abs_error_order

__all__ = [
    "PVALUES_INTERP",
    "PVALUES_EXACT",
    "ABS",
    "RANDOM",
    "SHAP",
    "METHODS",
    "ERROR_METHODS",
    "METHOD_KEYS",
    "Ranking",
    "available_methods",
    "timed",
    "random_order",
    "rank_from_errors",
]

logger = logging.getLogger(__name__)

PVALUES_INTERP = "AE-pvalues (interp)"
PVALUES_EXACT = "AE-pvalues (exact)"
ABS = "AE-abs"
RANDOM = "random"
SHAP = "SHAP_AE"
#: Every method, in the order of the reports.
METHODS = (PVALUES_INTERP, PVALUES_EXACT, ABS, SHAP, RANDOM)
#: Methods that need only the signed errors (no model call).
ERROR_METHODS = (PVALUES_INTERP, PVALUES_EXACT, ABS, RANDOM)
#: Short names for the command line.
METHOD_KEYS = {
    "pvalues-interp": PVALUES_INTERP,
    "pvalues-exact": PVALUES_EXACT,
    "abs": ABS,
    "shap": SHAP,
    "random": RANDOM,
}


@dataclass(frozen=True, eq=False)
class Ranking:
    """One method's feature order for a batch of rows, with its wall time.

    Attributes
    ----------
    method : str
        Method name.
    order : ndarray of int, shape (m, d)
        Features per row, most blamed first.
    seconds : float
        Wall time of ranking all m rows.

    Examples
    --------
    >>> Ranking("AE-abs", np.array([[1, 0], [0, 1]]), 0.5).ms_per_row
    250.0
    """

    method: str
    order: np.ndarray
    seconds: float

    @property
    def ms_per_row(self) -> float:
        """Milliseconds per ranked row."""
        return 1000.0 * self.seconds / max(len(self.order), 1)


def available_methods() -> tuple[str, ...]:
    """Every method whose dependencies are installed (SHAP_AE needs ``shap``).

    A missing ``shap`` is logged as a warning, so the omission is visible.

    Examples
    --------
    >>> set(ERROR_METHODS) <= set(available_methods())
    True
    """
    if importlib.util.find_spec("shap") is not None:
        return METHODS
    logger.warning(
        "the optional 'shap' package is not installed, so SHAP_AE is left out; "
        "pip install 'netsec-workbench[shap]' to compare it"
    )
    return tuple(m for m in METHODS if m != SHAP)


def timed(method: str, rank: Callable[[], np.ndarray]) -> Ranking:
    """Run ``rank()`` and wrap its order with the wall time it took.

    Examples
    --------
    >>> timed("AE-abs", lambda: abs_error_order([[0.1, -3.0]])).order.tolist()
    [[1, 0]]
    """
    start = time.perf_counter()
    order = rank()
    return Ranking(
        method, np.asarray(order, dtype=np.int64), time.perf_counter() - start
    )


def random_order(n_rows: int, n_features: int, *, seed: int = 0) -> np.ndarray:
    """A uniformly random feature order per row: the floor every method must beat.

    Examples
    --------
    >>> order = random_order(3, 4, seed=0)
    >>> order.shape, sorted(order[0].tolist())
    ((3, 4), [0, 1, 2, 3])
    """
    rng = np.random.default_rng(seed)
    base = np.broadcast_to(np.arange(n_features, dtype=np.int64), (n_rows, n_features))
    return rng.permuted(base, axis=1)


def rank_from_errors(
    errors: np.ndarray,
    reference_errors: np.ndarray,
    *,
    methods: tuple[str, ...] = ERROR_METHODS,
    tiebreak_fit: str = "reference",
    seed: int = 0,
) -> dict[str, Ranking]:
    """Rank rows by every error-only method, timing each on the whole batch.

    Parameters
    ----------
    errors : ndarray of shape (m, d)
        Signed errors of the rows to explain.
    reference_errors : ndarray of shape (n, d)
        Signed errors of benign reference rows (for AE-pvalues).
    methods : tuple of str
        Names among :data:`ERROR_METHODS`; others are ignored.
    tiebreak_fit : {"reference", "batch"}, default "reference"
        Passed to :class:`workbench.pvalues.AEPValues`.
    seed : int, default 0
        Seeds the random floor.

    Returns
    -------
    dict of str to Ranking
        One entry per requested method. AE-pvalues time excludes ``fit`` (done once
        per model), but includes p-values and ranking.

    Examples
    --------
    >>> reference = np.array([[0.0, 0.0], [1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])
    >>> rankings = rank_from_errors(np.array([[3.5, 5.0]]), reference)
    >>> rankings["AE-pvalues (exact)"].order.tolist(), rankings["AE-abs"].order.tolist()
    ([[0, 1]], [[1, 0]])
    """
    m, d = np.shape(errors)
    rankings = {}
    for method in methods:
        if method in (PVALUES_INTERP, PVALUES_EXACT):
            mode = "interp" if method == PVALUES_INTERP else "exact"
            explainer = AEPValues(mode=mode, tiebreak_fit=tiebreak_fit)
            explainer.fit(reference_errors)
            rankings[method] = timed(method, lambda e=explainer: e.rank(errors))
        elif method == ABS:
            rankings[method] = timed(method, lambda: abs_error_order(errors))
        elif method == RANDOM:
            rankings[method] = timed(method, lambda: random_order(m, d, seed=seed))
    return rankings
