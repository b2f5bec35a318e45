"""Row-level checks of flow tables: duplicates, conflicts, order and direction."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench import schema
from workbench.audit.flows import (
    conflicting_labels,
    duplicate_flows,
    flow_findings,
    negative_values,
    responder_first,
    reverse_label_conflicts,
    time_order,
)


def _flows(n: int = 40, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            schema.TS: np.sort(rng.uniform(0, 100, n)),
            schema.UID: [f"C{i}" for i in range(n)],
            schema.ORIG_H: "192.168.1.10",
            schema.ORIG_P: rng.integers(49152, 65535, n),
            schema.RESP_H: "10.0.0.1",
            schema.RESP_P: 443,
            schema.PROTO: "tcp",
            schema.ORIG_BYTES: rng.integers(100, 900, n).astype(float),
            schema.LABEL: schema.BENIGN,
        }
    )
    return schema.conform(frame, source="toy")


def test_duplicate_flows_names_copies_and_originals():
    """Copied rows with new uids are duplicates of the first occurrence."""
    flows = _flows()
    copies = flows.iloc[[3, 7]].assign(**{schema.UID: ["X1", "X2"]})
    table = pd.concat([flows, copies], ignore_index=True)

    found = duplicate_flows(table)

    assert found[["row", "duplicate_of"]].values.tolist() == [[40, 3], [41, 7]]


def test_conflicting_labels_compares_benign_and_malicious():
    """The same feature vector labelled both ways is a conflict; names alone are not."""
    flows = _flows()
    twin = flows.iloc[[5]].assign(**{schema.TS: 500.0, schema.LABEL: "malicious"})
    table = pd.concat([flows, twin], ignore_index=True)

    found = conflicting_labels(table)

    assert sorted(found["row"]) == [5, 40]


def test_time_order_restarts_at_each_file():
    """A new file starting earlier is not a misordering; a step back within one is."""
    flows = _flows().assign(file=["a"] * 20 + ["b"] * 20)
    flows.loc[30, schema.TS] = flows.loc[29, schema.TS] - 1.0

    found = time_order(flows)

    assert found["row"].tolist() == [30]


def test_reverse_label_conflicts_finds_the_mirror_with_another_label():
    """A flow and its mirror labelled differently are both reported."""
    flows = _flows()
    mirror = flows.iloc[[2]].copy()
    mirror[[schema.ORIG_H, schema.ORIG_P, schema.RESP_H, schema.RESP_P]] = (
        flows.loc[2, [schema.RESP_H, schema.RESP_P, schema.ORIG_H, schema.ORIG_P]]
    ).to_numpy()
    mirror[schema.LABEL] = schema.MALICIOUS
    table = pd.concat([flows, mirror], ignore_index=True)

    found = reverse_label_conflicts(table)

    assert found[["row", "reverse_row"]].values.tolist() == [[2, 40], [40, 2]]


def test_responder_first_flags_system_to_high_port_flows():
    """A flow from port 443 to an ephemeral port looks reversed."""
    flows = _flows()
    flows.loc[4, [schema.ORIG_P, schema.RESP_P]] = [443, 50123]

    found = responder_first(flows)

    assert found["row"].tolist() == [4]


def test_negative_values_skip_the_minus_one_sentinel():
    """Negative values are reported except the documented -1."""
    flows = _flows().assign(**{"Bwd Header Length": 20.0})
    flows.loc[[1, 2], "Bwd Header Length"] = [-1.0, -15624.0]

    found = negative_values(flows)

    assert list(found) == ["Bwd Header Length"]
    assert found["Bwd Header Length"]["row"].tolist() == [2]


def test_flow_findings_clean_table_counts_nothing():
    """A clean, sorted table gives zero for every check."""
    flows = _flows(seed=3)

    findings = flow_findings(flows, "toy")

    assert {f.check: f.count for f in findings} == {
        "duplicate flows": 0,
        "conflicting labels": 0,
        "reverse direction, other label": 0,
        "responder-first flows": 0,
        "timestamps out of order": 0,
    }
