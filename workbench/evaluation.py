"""Detection figures against labels, and an Isolation Forest reference detector.

The figures treat ``malicious`` as the positive class. Flows without a label are left
out of every figure and counted, never guessed. The module does not train the
autoencoder.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

from workbench import schema
from workbench.thresholds import Threshold

__all__ = ["detection_metrics", "IsolationForestReference"]


def detection_metrics(
    labels: pd.Series,
    alerts: np.ndarray,
    scores: np.ndarray,
    detailed_labels: pd.Series | None = None,
) -> dict[str, object]:
    """Recall, precision, false-positive rate, AUROC and recall per detailed label.

    Parameters
    ----------
    labels : pandas.Series
        Normalised labels (``benign`` / ``malicious``; missing values are not scored).
    alerts : ndarray of bool
        Alert mask at the current threshold.
    scores : ndarray of float
        Anomaly scores, for the AUROC.
    detailed_labels : pandas.Series, optional
        Attack names; recall is reported per name over malicious flows.

    Returns
    -------
    dict
        Figures as plain floats (``None`` where undefined, e.g. no benign flow).

    Examples
    --------
    >>> m = detection_metrics(pd.Series(["benign", "malicious", "malicious"]),
    ...                       np.array([False, True, False]), np.array([0.1, 0.9, 0.2]))
    >>> m["recall"], m["precision"], m["fpr"], m["auroc"]
    (0.5, 1.0, 0.0, 1.0)
    """
    labels = pd.Series(labels, dtype="string").reset_index(drop=True)
    known = labels.notna().to_numpy()
    positive = labels.eq(schema.MALICIOUS).fillna(False).to_numpy()
    negative = labels.eq(schema.BENIGN).fillna(False).to_numpy()
    alerts = np.asarray(alerts, dtype=bool)

    tp = int((alerts & positive).sum())
    fp = int((alerts & negative).sum())
    figures: dict[str, object] = {
        "labelled_flows": int(known.sum()),
        "unlabelled_flows": int((~known).sum()),
        "malicious_flows": int(positive.sum()),
        "benign_flows": int(negative.sum()),
        "true_positives": tp,
        "false_positives": fp,
        "recall": _ratio(tp, positive.sum()),
        "precision": _ratio(tp, tp + fp),
        "fpr": _ratio(fp, negative.sum()),
        "auroc": None,
    }
    scored = positive | negative
    if positive.any() and negative.any():
        figures["auroc"] = float(roc_auc_score(positive[scored], scores[scored]))
    if detailed_labels is not None:
        figures["recall_by_detailed_label"] = _recall_by_name(
            pd.Series(detailed_labels, dtype="string").reset_index(drop=True),
            positive,
            alerts,
        )
    return figures


def _ratio(numerator: int, denominator: int) -> float | None:
    return float(numerator / denominator) if denominator else None


def _recall_by_name(
    names: pd.Series, positive: np.ndarray, alerts: np.ndarray
) -> dict[str, dict[str, float | int]]:
    frame = pd.DataFrame({"name": names.fillna("(none)"), "alert": alerts})[positive]
    grouped = frame.groupby("name", sort=True)["alert"].agg(["size", "sum"])
    return {
        str(name): {
            "flows": int(row["size"]),
            "recall": float(row["sum"] / row["size"]),
        }
        for name, row in grouped.iterrows()
    }


@dataclass
class IsolationForestReference:
    """Isolation Forest on the same encoded benign rows, thresholded the same way.

    The threshold comes from held-out benign rows at the same target false-positive
    rate as the autoencoder, so both detectors are compared at one operating point.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> ref = IsolationForestReference(seed=0).fit(rng.normal(size=(300, 3)))
    >>> bool(ref.score_samples(np.array([[9.0, 9.0, 9.0]]))[0] > ref.threshold.value)
    True
    """

    fpr: float = 0.01
    seed: int = 0
    validation_fraction: float = 0.2
    n_estimators: int = 200

    def fit(self, X: np.ndarray) -> IsolationForestReference:
        """Fit on benign rows, holding out a share for the threshold."""
        order = np.random.default_rng(self.seed).permutation(len(X))
        n_val = max(2, math.ceil(self.validation_fraction * len(X)))
        self.forest_ = IsolationForest(
            n_estimators=self.n_estimators, random_state=self.seed
        ).fit(X[order[n_val:]])
        self.threshold = Threshold(self.score_samples(X[order[:n_val]]), fpr=self.fpr)
        return self

    def score_samples(self, X: np.ndarray) -> np.ndarray:
        """Anomaly score (higher is more abnormal)."""
        return -self.forest_.score_samples(X)
