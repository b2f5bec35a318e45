"""An alert threshold set from benign reference scores, movable without retraining.

The threshold is a small object that owns the sorted reference scores, so a slider can
move it and the alert mask is recomputed from stored scores only: no refit, no forward
pass. It does not compute scores itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from workbench.errors import SchemaError

__all__ = ["Threshold"]


@dataclass
class Threshold:
    """Cut-off on anomaly scores, set by a false-positive rate, quantile or value.

    An alert is a score strictly above :attr:`value`. With a target false-positive rate
    ``a`` over ``n`` sorted reference scores ``r``, the cut is ``r[ceil((1 - a) n)]``
    (1-based), which keeps the empirical false-positive rate on the reference at most
    ``a``.

    Parameters
    ----------
    reference_scores : array-like
        Scores of benign rows that were not used for training (validation rows).
    fpr : float, default 0.01
        Initial target false-positive rate.

    Examples
    --------
    >>> t = Threshold([0.0, 1.0, 2.0, 3.0], fpr=0.25)
    >>> t.value, t.alerts([2.5, 3.5]).tolist()
    (2.0, [True, True])
    >>> t.set(value=3.0).alerts([2.5, 3.5]).tolist()
    [False, True]
    >>> t.instance_pvalues([2.5]).tolist()
    [0.4]
    """

    reference_scores: np.ndarray
    fpr: float | None = 0.01
    value: float = field(init=False)

    def __post_init__(self) -> None:
        scores = np.sort(np.asarray(self.reference_scores, dtype=np.float64))
        if scores.ndim != 1 or scores.size == 0:
            raise SchemaError(
                "a threshold needs a non-empty 1-D array of reference scores"
            )
        if not np.isfinite(scores).all():
            raise SchemaError("reference scores contain NaN or infinity")
        self.reference_scores = scores
        self.set(fpr=0.01 if self.fpr is None else self.fpr)

    def set(
        self,
        *,
        fpr: float | None = None,
        quantile: float | None = None,
        value: float | None = None,
    ) -> Threshold:
        """Move the threshold: give one of ``fpr``, ``quantile`` or ``value``."""
        given = [
            name
            for name, v in (("fpr", fpr), ("quantile", quantile), ("value", value))
            if v is not None
        ]
        if len(given) != 1:
            raise ValueError(f"give exactly one of fpr, quantile or value, not {given}")

        if value is not None:
            self.value, self.fpr = float(value), None
            return self
        q = 1.0 - fpr if fpr is not None else quantile
        if not 0.0 <= q <= 1.0:
            raise ValueError(f"{given[0]} must lie in [0, 1], got {fpr or quantile}")
        n = self.reference_scores.size
        k = min(max(math.ceil(q * n - 1e-9), 1), n)
        self.value = float(self.reference_scores[k - 1])
        self.fpr = fpr
        return self

    def alerts(self, scores: np.ndarray) -> np.ndarray:
        """Boolean mask of scores strictly above the threshold."""
        return np.asarray(scores) > self.value

    def instance_pvalues(self, scores: np.ndarray) -> np.ndarray:
        """Conformal p-value ``(1 + #{r >= s}) / (n + 1)`` of each score."""
        scores = np.asarray(scores, dtype=np.float64)
        n = self.reference_scores.size
        at_least = n - np.searchsorted(self.reference_scores, scores, side="left")
        return (1.0 + at_least) / (n + 1.0)

    @property
    def reference_fpr(self) -> float:
        """Empirical false-positive rate of the current cut on the reference scores."""
        return float(np.mean(self.reference_scores > self.value))
