"""Tests of rule labels on Zeek connections."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.graph.labels import LabelRule, label_connections


@pytest.fixture
def flows() -> pd.DataFrame:
    """Four connections: to and from port 16464, web, and ICMP from a peer."""
    return pd.DataFrame(
        {
            "ts": [1.0, 2.0, 3.0, 4.0],
            "id.orig_h": ["10.0.0.2", "5.6.7.8", "10.0.0.2", "5.6.7.8"],
            "id.orig_p": [1157, 16464, 1200, 3],
            "id.resp_h": ["5.6.7.8", "10.0.0.2", "93.184.216.34", "10.0.0.2"],
            "id.resp_p": [16464, 1157, 80, 3],
            "proto": ["udp", "udp", "tcp", "icmp"],
        }
    )


def test_label_rule_port_matches_both_directions(flows):
    """A port rule labels connections to and from that port."""
    rule = LabelRule("ZeroAccess", ports=(16464,))

    labelled = label_connections(flows, [rule])

    assert labelled["label"].tolist() == ["malicious", "malicious", "benign", "benign"]
    assert labelled["detailed_label"].fillna("").tolist() == [
        "ZeroAccess",
        "ZeroAccess",
        "",
        "",
    ]


def test_label_rule_conditions_combine(flows):
    """Host, protocol and time conditions must all hold."""
    rule = LabelRule("peer", hosts=("5.6.7.8",), proto="icmp", start=3.5)

    labelled = label_connections(flows, [rule])

    assert labelled["label"].eq("malicious").tolist() == [False, False, False, True]


def test_label_rules_first_match_wins(flows):
    """With overlapping rules a connection takes the first rule's name."""
    rules = [LabelRule("first", ports=(16464,)), LabelRule("second", proto="udp")]

    labelled = label_connections(flows, rules)

    assert labelled["detailed_label"].iloc[:2].tolist() == ["first", "first"]


def test_label_connections_without_rules_unchanged(flows):
    """No rule, no label column."""

    labelled = label_connections(flows, [])

    assert "label" not in labelled.columns


def test_label_rule_without_condition_refused(flows):
    """A rule that would match everything is refused."""

    rule = LabelRule("everything")

    with pytest.raises(ValueError, match="no condition"):
        rule.matches(flows)
