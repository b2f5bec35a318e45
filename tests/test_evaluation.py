import numpy as np
import pandas as pd
import pytest

from workbench.evaluation import IsolationForestReference, detection_metrics


def test_detection_metrics_hand_computed():
    """Counts, recall, precision and FPR on a table worked out by hand."""
    labels = pd.Series(["benign"] * 4 + ["malicious"] * 4 + [None])
    alerts = np.array([1, 0, 0, 0, 1, 1, 1, 0, 1], dtype=bool)
    scores = np.array([5, 1, 2, 3, 6, 7, 8, 4, 9], dtype=float)
    detailed = pd.Series([None] * 4 + ["DDoS", "DDoS", "C&C", "C&C", None])

    m = detection_metrics(labels, alerts, scores, detailed)

    assert (m["true_positives"], m["false_positives"]) == (3, 1)
    assert m["recall"] == 0.75 and m["precision"] == 0.75 and m["fpr"] == 0.25
    assert m["unlabelled_flows"] == 1
    assert m["auroc"] == pytest.approx(15 / 16)
    assert m["recall_by_detailed_label"] == {
        "C&C": {"flows": 2, "recall": 0.5},
        "DDoS": {"flows": 2, "recall": 1.0},
    }


def test_detection_metrics_undefined_figures_are_none():
    """Without benign flows FPR and AUROC are undefined, not zero."""
    m = detection_metrics(pd.Series(["malicious"] * 3), np.ones(3, bool), np.ones(3))

    assert m["fpr"] is None and m["auroc"] is None and m["recall"] == 1.0


def test_isolation_forest_reference_threshold_on_heldout():
    """The reference detector's cut keeps the held-out FPR under the target."""
    X = np.random.default_rng(2).normal(size=(500, 4))

    ref = IsolationForestReference(fpr=0.05, seed=1).fit(X)

    assert ref.threshold.reference_fpr <= 0.05
    assert ref.threshold.alerts(ref.score_samples(X + 10)).all()
