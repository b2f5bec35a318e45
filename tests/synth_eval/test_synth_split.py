"""Tests for the time split of one capture into train, reference and holdout."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.errors import SchemaError
from workbench.synth_eval.split import DAY, split_by_time

START = 1491350400.0  # a midnight, UTC


def _hourly(days: int) -> pd.DataFrame:
    times = START + np.arange(0.0, days * DAY, 1800.0)
    return pd.DataFrame({"ts": times, "id": np.arange(times.size)})


def test_split_cuts_at_midnight_and_keeps_time_of_day():
    """Seven days cut near the middle: later flows move back whole days."""
    flows = _hourly(7)

    parts = split_by_time(flows, train_share=0.5, seed=1)

    assert (parts.cut - START) % DAY == 0
    assert parts.train["ts"].max() < parts.cut
    moved = pd.concat([parts.reference, parts.holdout])
    original = flows.set_index("id").loc[moved["id"], "ts"].to_numpy()
    assert np.all(original - moved["ts"].to_numpy() == parts.shift_days * DAY)
    assert moved["ts"].min() >= START


def test_split_holdout_is_disjoint_and_seeded():
    """Reference and holdout share no flow; equal seeds draw the same holdout."""
    flows = _hourly(4)

    first = split_by_time(flows, holdout_share=0.3, seed=3)
    again = split_by_time(flows, holdout_share=0.3, seed=3)

    assert set(first.reference["id"]).isdisjoint(first.holdout["id"])
    assert len(first.train) + len(first.reference) + len(first.holdout) == len(flows)
    assert first.holdout["id"].tolist() == again.holdout["id"].tolist()


def test_split_of_less_than_two_days_raises():
    """Half a day cannot be cut at a midnight."""
    flows = pd.DataFrame({"ts": START + np.arange(0.0, 40000.0, 600.0)})

    with pytest.raises(SchemaError, match="two days"):
        split_by_time(flows)
