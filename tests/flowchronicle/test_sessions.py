"""Tests for joining unidirectional NetFlow records into sessions."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.errors import SchemaError
from workbench.flowchronicle.sessions import (
    TCP_FLAGS,
    build_sessions,
    is_unidirectional,
)
from workbench.schema import (
    DURATION,
    ORIG_BYTES,
    ORIG_H,
    ORIG_P,
    ORIG_PKTS,
    PROTO,
    RESP_BYTES,
    RESP_H,
    RESP_P,
    RESP_PKTS,
    TS,
)


def _records(rows: list[tuple]) -> pd.DataFrame:
    columns = [
        TS,
        DURATION,
        ORIG_H,
        ORIG_P,
        RESP_H,
        RESP_P,
        ORIG_BYTES,
        ORIG_PKTS,
        TCP_FLAGS,
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame[PROTO] = "tcp"
    return frame


def test_build_sessions_joins_both_directions():
    """Request and reply of one 5-tuple become one session with both directions."""
    flows = _records(
        [
            (10.0, 1.0, "10.0.0.1", 40000, "10.0.0.2", 80, 300.0, 3.0, ".A..S."),
            (10.2, 0.5, "10.0.0.2", 80, "10.0.0.1", 40000, 9000.0, 7.0, ".AP..F"),
        ]
    )

    sessions = build_sessions(flows)

    assert len(sessions) == 1
    row = sessions.iloc[0]
    assert (row[ORIG_H], row[RESP_H], row[RESP_P]) == ("10.0.0.1", "10.0.0.2", 80)
    assert (row[ORIG_BYTES], row[RESP_BYTES]) == (300.0, 9000.0)
    assert (row[ORIG_PKTS], row[RESP_PKTS]) == (3.0, 7.0)
    assert row[TCP_FLAGS] == ".AP.SF"
    assert row[DURATION] == pytest.approx(1.0)


def test_build_sessions_swaps_so_resp_port_is_smaller():
    """A session first seen from the server side is turned around."""
    flows = _records(
        [
            (5.0, 0.1, "10.0.0.2", 443, "10.0.0.1", 50000, 800.0, 2.0, ".A...."),
        ]
    )

    sessions = build_sessions(flows)

    row = sessions.iloc[0]
    assert (row[ORIG_H], row[ORIG_P], row[RESP_P]) == ("10.0.0.1", 50000, 443)
    assert (row[ORIG_BYTES], row[RESP_BYTES]) == (0.0, 800.0)


def test_build_sessions_splits_on_long_idle_time():
    """Two records of one 5-tuple 300 s apart are two sessions."""
    flows = _records(
        [
            (0.0, 1.0, "10.0.0.1", 40000, "10.0.0.2", 80, 1.0, 1.0, ".A...."),
            (300.0, 1.0, "10.0.0.1", 40000, "10.0.0.2", 80, 1.0, 1.0, ".A...."),
        ]
    )

    sessions = build_sessions(flows)

    assert len(sessions) == 2


def test_build_sessions_reference_mode_drops_single_records():
    """keep_single_flows=False keeps only sessions made of two or more records."""
    flows = _records(
        [
            (0.0, 0.1, "10.0.0.1", 40000, "10.0.0.2", 80, 1.0, 1.0, ".A...."),
            (0.1, 0.1, "10.0.0.2", 80, "10.0.0.1", 40000, 1.0, 1.0, ".A...."),
            (50.0, 0.1, "10.0.0.3", 40001, "10.0.0.2", 22, 1.0, 1.0, ".A...."),
        ]
    )

    kept = build_sessions(flows, keep_single_flows=True)
    reference = build_sessions(flows, keep_single_flows=False)

    assert len(kept) == 2
    assert len(reference) == 1
    assert reference.iloc[0][RESP_P] == 80


def test_build_sessions_missing_field_names_it():
    """A table without ports is refused with the missing fields named."""
    flows = _records([(0.0, 0.1, "a", 1, "b", 2, 1.0, 1.0, ".A....")]).drop(
        columns=[ORIG_P]
    )

    with pytest.raises(SchemaError, match="id.orig_p"):
        build_sessions(flows)


def test_is_unidirectional_bidirectional_table_false():
    """A table with responder bytes is not unidirectional."""
    table = pd.DataFrame({ORIG_BYTES: [1.0], RESP_BYTES: [2.0]})

    assert not is_unidirectional(table)


def test_build_sessions_cidds_sample_counts(cidds_small):
    """On real CIDDS-001 records every record lands in exactly one session."""
    flows = cidds_small

    sessions = build_sessions(flows)

    assert 0 < len(sessions) <= len(flows)
    assert sessions[ORIG_PKTS].sum() + sessions[RESP_PKTS].sum() == pytest.approx(
        flows[ORIG_PKTS].sum()
    )
    assert sessions[TS].is_monotonic_increasing
    ports = sessions[[ORIG_P, RESP_P]].dropna()
    assert (ports[RESP_P] <= ports[ORIG_P]).all()
