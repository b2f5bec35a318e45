"""Tests of the flow jobs on the bundled CIC-IDS2017 and IoT-23 files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench import schema
from workbench.datasets import IOT23_BENIGN, bundled
from workbench.errors import SchemaError
from workbench.explain_bench.jobs import flow_benchmark, prepare_flows
from workbench.explain_bench.methods import ERROR_METHODS
from workbench.io import read_flows


@pytest.fixture(scope="module")
def cic_flows():
    """300 benign and 736 Botnet CIC-IDS2017 flows."""
    benign = read_flows(bundled("cicids2017", "BENIGN_2500.csv"), progress=False)
    botnet = read_flows(bundled("cicids2017", "Botnet_736.csv"), progress=False)
    return pd.concat([benign.head(300), botnet], ignore_index=True)


def test_prepare_flows_splits_benign_rows_only(cic_flows):
    """Malicious flows are left out; the benign ones are split 60/40 and encoded."""
    prepared = prepare_flows(cic_flows, test_fraction=0.4, seed=1)

    assert prepared.summary["train_flows_used"] == 300
    assert prepared.train.shape[0] + prepared.test.shape[0] == 300
    assert prepared.test.shape == (120, len(prepared.feature_names))
    assert prepared.train.dtype == np.float64
    assert {"protocol", "window sizes", "TCP flags"} <= set(prepared.targets)


def test_prepare_flows_feature_targets_one_column_each(cic_flows):
    """With targets='features' every encoded column is its own target."""
    prepared = prepare_flows(cic_flows, targets="features", max_benign=100)

    assert list(prepared.targets) == prepared.feature_names
    assert all(columns.size == 1 for columns in prepared.targets.values())
    assert prepared.summary["test_rows"] == 40


def test_prepare_flows_too_few_benign_rows_raises(cic_flows):
    """A handful of benign flows cannot be split; the message says so."""
    few = cic_flows[~schema.is_benign(cic_flows[schema.LABEL])]
    few = pd.concat([cic_flows.head(5), few], ignore_index=True)

    with pytest.raises(SchemaError, match="too few"):
        prepare_flows(few)


def test_flow_benchmark_iot23_honeypot_runs_end_to_end():
    """Two epochs on a benign IoT-23 capture score every error-only method."""
    result = flow_benchmark(
        [bundled(IOT23_BENIGN[0])],
        epochs=2,
        seeds=(0,),
        methods=ERROR_METHODS,
        progress=False,
    )

    scores = result.scores
    assert set(scores["method"]) == set(ERROR_METHODS)
    assert scores.loc[scores["subset"].eq("all"), "n"].eq(181).all()
    assert result.settings["target_kind"] == "groups"
    assert result.samples.table["target"].isin(list(result.settings["targets"])).all()
