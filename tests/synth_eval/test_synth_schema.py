"""Tests for the declared metric columns and the typed metric frame."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.synth_eval.synth_helpers import random_sessions
from workbench.errors import SchemaError
from workbench.synth_eval.schema import SESSION_SCHEMA, check_mode, metric_frame


def test_metric_frame_keeps_schema_columns_in_order():
    """Only the 11 schema columns come out, time first, ports as floats."""
    flows = random_sessions(20).assign(extra=1)

    frame = metric_frame(flows)

    assert list(frame.columns) == list(SESSION_SCHEMA.columns)
    assert frame["id.resp_p"].dtype == float
    assert set(frame["proto"]) <= {"tcp", "udp"}


def test_metric_frame_is_idempotent():
    """A frame converted twice equals the frame converted once."""
    flows = random_sessions(30, seed=2)
    flows.loc[3, "tcp_flags"] = None

    once = metric_frame(flows)
    twice = metric_frame(once.copy())

    pd.testing.assert_frame_equal(once, twice)
    assert once.loc[3, "tcp_flags"] == "-"


def test_metric_frame_missing_column_names_it():
    """A table without the flags column raises a SchemaError naming it."""
    flows = random_sessions(5).drop(columns="tcp_flags")

    with pytest.raises(SchemaError, match="tcp_flags"):
        metric_frame(flows, name="gen.csv")


def test_metric_frame_text_in_numeric_column_names_row():
    """Text in a byte column raises with the field and the row."""
    flows = random_sessions(5).astype({"orig_bytes": object})
    flows.loc[2, "orig_bytes"] = "1.2 M"

    with pytest.raises(SchemaError, match="orig_bytes.*row 2"):
        metric_frame(flows)


def test_check_mode_rejects_unknown():
    """Only 'reference' and 'clean' are modes."""
    with pytest.raises(ValueError, match="reference"):
        check_mode("paper")
