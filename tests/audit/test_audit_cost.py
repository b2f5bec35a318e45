"""One detector, one set of scores, two label sets: the cost of a labelling fault."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench import schema
from workbench.audit.cost import (
    THURSDAY_SCAN,
    label_fault_cost,
    original_release_labels,
)
from workbench.datasets import bundled
from workbench.io import read_flows


@pytest.fixture(scope="module")
def cost():
    """Three epochs on 400 benign rows; Thursday's scan mix; the Friday scan as well."""
    benign = read_flows([bundled("cicids2017", "BENIGN_2500.csv")]).head(400)
    scan = read_flows([bundled("cicids2017", "Infiltration_-_Portscan_2500.csv")])
    friday = read_flows([bundled("cicids2017", "Portscan_2500.csv")]).head(100)
    return label_fault_cost(
        benign, scan, others=friday, epochs=3, fpr=0.05, seed=0, progress=False
    )


def test_original_release_labels_only_relabels_the_named_attack():
    """Only rows of the named attack become benign; the input is not changed."""
    flows = pd.DataFrame(
        {
            schema.LABEL: ["malicious", "malicious", "benign"],
            schema.DETAILED_LABEL: [THURSDAY_SCAN, "Portscan", None],
        }
    )

    faulty = original_release_labels(flows)

    assert faulty[schema.LABEL].tolist() == ["benign", "malicious", "benign"]
    assert flows[schema.LABEL].tolist() == ["malicious", "malicious", "benign"]


def test_label_fault_cost_test_mix_follows_thursday(cost):
    """Held-out benign rows, scan rows in Thursday's ratio, and the extra attacks."""
    parts = cost.alert_rates.set_index("part")["flows"]

    assert parts["benign (held out)"] == 200
    assert parts[THURSDAY_SCAN] == round(200 * 64_185 / 291_211)
    assert parts["Portscan"] == 100


def test_label_fault_cost_figures_follow_from_the_same_alerts(cost):
    """Both figure lines come from one alert mask; only the labels differ."""
    flows = cost.analysis.flows
    alerts = cost.analysis.alerts
    scan = flows[schema.DETAILED_LABEL].eq(THURSDAY_SCAN).fillna(False).to_numpy(bool)
    benign = flows[schema.LABEL].eq(schema.BENIGN).fillna(False).to_numpy(bool)
    friday = ~scan & ~benign

    figures = cost.figures.set_index("labels")

    faulty_fp = alerts[benign].sum() + alerts[scan].sum()
    assert figures.loc["faulty", "fpr"] == pytest.approx(
        faulty_fp / (benign.sum() + scan.sum())
    )
    assert figures.loc["faulty", "recall"] == pytest.approx(alerts[friday].mean())
    assert figures.loc["corrected", "fpr"] == pytest.approx(alerts[benign].mean())
    assert figures.loc["corrected", "recall"] == pytest.approx(
        alerts[scan | friday].mean()
    )


def test_label_fault_cost_sweep_rescoring_nothing(cost):
    """The sweep keeps the scores and gives both label sets per threshold."""
    scores = cost.analysis.scores.copy()

    sweep = cost.sweep((0.01, 0.1))

    assert np.array_equal(cost.analysis.scores, scores)
    assert sweep[["target_fpr", "labels"]].values.tolist() == [
        [0.01, "faulty"],
        [0.01, "corrected"],
        [0.1, "faulty"],
        [0.1, "corrected"],
    ]
    assert (sweep.groupby("labels")["fpr"].diff().dropna() >= 0).all()


def test_label_fault_cost_roc_has_both_label_sets(cost):
    """ROC points of both label sets run from (0, 0) to (1, 1)."""
    roc = cost.roc()

    ends = roc.groupby("labels")[["fpr", "tpr"]].agg(["min", "max"])

    assert set(roc["labels"]) == {"faulty", "corrected"}
    assert (ends.xs("min", axis=1, level=1) == 0).all().all()
    assert (ends.xs("max", axis=1, level=1) == 1).all().all()
