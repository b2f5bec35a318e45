"""Shared fixtures: a canonical flow table built from the bundled CIDDS-001 sample.

The table is built with pandas here, independently of ``workbench.io``, so the
FlowChronicle tests do not depend on the readers.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.flowchronicle.fc_helpers import planted_table
from workbench.datasets import bundled
from workbench.flowchronicle.model import FlowModel, build_model
from workbench.flowchronicle.prepare import prepare_flows
from workbench.flowchronicle.search import MiningResult, SearchSettings, mine_patterns
from workbench.flowchronicle.sessions import TCP_FLAGS
from workbench.schema import (
    DURATION,
    ORIG_BYTES,
    ORIG_H,
    ORIG_P,
    ORIG_PKTS,
    PROTO,
    RESP_H,
    RESP_P,
    TS,
    conform,
)

EPOCH = pd.Timestamp("1970-01-01")
CIDDS = ("cidds001", "cidds001_week3_sample8k.csv")


def cidds_table(n_rows: int | None = None) -> pd.DataFrame:
    """Canonical table of the first ``n_rows`` records of the CIDDS-001 sample."""
    raw = pd.read_csv(bundled(*CIDDS), nrows=n_rows)
    frame = pd.DataFrame(
        {
            TS: (pd.to_datetime(raw["Date first seen"]) - EPOCH).dt.total_seconds(),
            DURATION: raw["Duration"],
            PROTO: raw["Proto"].str.strip().str.lower(),
            ORIG_H: raw["Src IP Addr"],
            ORIG_P: raw["Src Pt"],
            RESP_H: raw["Dst IP Addr"],
            RESP_P: raw["Dst Pt"],
            ORIG_PKTS: raw["Packets"],
            ORIG_BYTES: raw["Bytes"],
            TCP_FLAGS: raw["Flags"],
            "flows": raw["Flows"],
        }
    )
    return conform(frame, source="cidds001_week3_sample8k.csv")


@pytest.fixture(scope="session")
def cidds_small() -> pd.DataFrame:
    """The first 1,500 records of the CIDDS-001 sample as a canonical table."""
    return cidds_table(1500)


@pytest.fixture(scope="session")
def planted_result() -> MiningResult:
    """Mining result on the planted DNS-then-HTTPS data (10 rounds)."""
    prepared = prepare_flows(planted_table(seed=0))
    return mine_patterns(prepared, SearchSettings(max_iterations=10, progress=False))


@pytest.fixture(scope="session")
def planted_model(planted_result) -> FlowModel:
    """The generative model of :func:`planted_result`."""
    return build_model(planted_result, input_file="planted.csv")
