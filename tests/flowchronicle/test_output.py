"""Tests for writing synthetic flows as CSV and Zeek conn.log."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.errors import SchemaError
from workbench.flowchronicle.output import output_format, write_flows
from workbench.flowchronicle.sample import sample_flows
from workbench.io import read_flows
from workbench.schema import RESP_H, RESP_P, TS


@pytest.fixture(scope="module")
def synthetic(planted_model):
    """Two hundred synthetic flows with their pattern column."""
    return sample_flows(planted_model, 200, seed=0, with_pattern=True)


def test_write_flows_zeek_reads_back(synthetic, tmp_path):
    """The Zeek conn.log we write is read back by workbench.io with equal values."""
    flows = synthetic

    path = write_flows(flows, tmp_path / "conn.log")
    back = read_flows(path, progress=False)

    assert len(back) == len(flows)
    assert np.allclose(back[TS].to_numpy(), flows[TS].to_numpy(), atol=1e-5)
    assert back[RESP_H].tolist() == flows[RESP_H].tolist()
    assert back[RESP_P].tolist() == flows[RESP_P].tolist()


def test_write_flows_csv_reads_back(synthetic, tmp_path):
    """The CSV keeps canonical names and is read back as a flow table."""
    flows = synthetic

    path = write_flows(flows, tmp_path / "flows.csv")
    back = read_flows(path, progress=False)

    assert len(back) == len(flows)
    assert back[RESP_P].tolist() == flows[RESP_P].tolist()


def test_output_format_unknown_raises():
    """Only csv and zeek are written."""
    name = "flows.parquet"

    with pytest.raises(SchemaError, match="zeek"):
        output_format(name, "parquet")
