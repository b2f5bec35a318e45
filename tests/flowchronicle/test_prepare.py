"""Tests for coding a canonical flow table for mining."""

from __future__ import annotations

import numpy as np
import pytest

from tests.flowchronicle.fc_helpers import planted_table
from workbench.errors import SchemaError
from workbench.flowchronicle.prepare import prepare_flows
from workbench.schema import RESP_H, TS


def test_prepare_flows_codes_decode_to_the_table():
    """Categorical codes map back to the original values, in time order."""
    table = planted_table(seed=1, n_noise=50, n_planted=10)

    prepared = prepare_flows(table)

    names = [f.name for f in prepared.features]
    ordered = table.sort_values(TS, kind="stable")
    dst = prepared.codes[:, names.index("DstIP")]
    decoded = [prepared.domains[names.index("DstIP")][c] for c in dst]
    assert decoded == ordered[RESP_H].tolist()
    assert np.all(np.diff(prepared.times) >= 0)
    assert prepared.times[0] == 0


def test_prepare_flows_domains_match_codes():
    """Every code of every feature indexes its domain, and all are used."""
    table = planted_table(seed=2, n_noise=80, n_planted=5)

    prepared = prepare_flows(table, n_bins=8)

    for j, domain in enumerate(prepared.domains):
        assert set(np.unique(prepared.codes[:, j])) == set(range(len(domain)))


def test_prepare_flows_cidds_builds_sessions(cidds_small):
    """Unidirectional CIDDS-001 records are joined and all ten features kept."""
    flows = cidds_small

    prepared = prepare_flows(flows)

    assert [f.name for f in prepared.features] == [
        "SrcIP",
        "DstIP",
        "DstPt",
        "Proto",
        "Flags",
        "FwdByt",
        "BwdByt",
        "FwdPkt",
        "BwdPkt",
        "Duration",
    ]
    assert prepared.n < len(flows)
    assert prepared.features[4].column == "tcp_flags"


def test_prepare_flows_unknown_sessions_choice_raises():
    """A misspelt sessions option is refused with the choices named."""
    table = planted_table(n_noise=10, n_planted=2)

    with pytest.raises(SchemaError, match="'auto'"):
        prepare_flows(table, sessions="yes")


def test_prepare_flows_missing_addresses_raise():
    """A table without responder addresses cannot be mined."""
    table = planted_table(n_noise=10, n_planted=2).drop(columns=[RESP_H])

    with pytest.raises(SchemaError, match="id.resp_h"):
        prepare_flows(table)
