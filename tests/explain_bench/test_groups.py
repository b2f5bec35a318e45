"""Tests of feature groups: resolved from encoder fields, named from the schema."""

from __future__ import annotations

import numpy as np
import pytest

from workbench import schema
from workbench.datasets import bundled
from workbench.errors import SchemaError
from workbench.explain_bench.groups import (
    FLOW_GROUPS,
    FeatureGroup,
    check_targets,
    feature_targets,
    group_targets,
)
from workbench.features import FlowEncoder
from workbench.io import read_flows


@pytest.fixture(scope="module")
def cic_encoder():
    """An encoder fitted on 200 benign CIC-IDS2017 flows (CICFlowMeter statistics)."""
    flows = read_flows(bundled("cicids2017", "BENIGN_2500.csv"), progress=False)
    return FlowEncoder().fit(flows.head(200))


def test_group_targets_cic_columns_come_from_their_fields(cic_encoder):
    """Every column of a group derives from one of the group's fields or patterns."""
    fields = np.asarray(cic_encoder.feature_fields_, dtype=object)
    groups = {group.name: group for group in FLOW_GROUPS}

    targets = group_targets(cic_encoder.feature_fields_)

    assert set(targets) == set(groups)
    for name, columns in targets.items():
        assert all(groups[name].matches(field) for field in fields[columns])
    assert set(fields[targets["protocol"]]) >= {schema.PROTO}
    assert set(fields[targets["window sizes"]]) == {
        "FWD Init Win Bytes",
        "Bwd Init Win Bytes",
    }
    assert "Flow IAT Max" in set(fields[targets["inter-arrival statistics"]])


def test_group_targets_zeek_flows_have_no_cicflowmeter_groups(toy_flows):
    """Zeek-style flows give the canonical groups only; window sizes match nothing."""
    encoder = FlowEncoder().fit(toy_flows)

    targets = group_targets(encoder.feature_fields_)

    assert "window sizes" not in targets
    assert {"protocol", "destination port", "byte counts", "packet counts"} <= set(
        targets
    )
    ports = np.asarray(encoder.feature_fields_)[targets["destination port"]]
    assert set(ports) == {schema.RESP_P}


def test_group_targets_no_match_raises():
    """Groups that match no column are an error naming what to pass."""
    groups = [FeatureGroup("window sizes", patterns=(r"Init Win",))]

    with pytest.raises(SchemaError, match="feature_fields_"):
        group_targets(["duration", "proto"], groups)


def test_feature_targets_one_column_each():
    """Single-feature targets map each name to its own column."""
    targets = feature_targets(["a", "b", "c"])

    assert {k: v.tolist() for k, v in targets.items()} == {
        "a": [0],
        "b": [1],
        "c": [2],
    }


def test_check_targets_out_of_range_raises():
    """A column index beyond the features is refused with the target's name."""
    with pytest.raises(SchemaError, match="'bytes'"):
        check_targets({"bytes": [0, 7]}, n_features=5)
