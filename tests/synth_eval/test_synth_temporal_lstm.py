"""Tests for the LSTM next-value gap of categorical columns (slow, optional)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.synth_eval.schema import MetricSchema
from workbench.synth_eval.temporal_lstm import lstm_gap

LABELS = MetricSchema(time="t", discrete=("c",), continuous=(), numeric_discrete=())
SMALL = {"hidden_sizes": (16,), "windows": (4,), "batch_size": 64}


def _cycle(n: int, values: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"t": np.arange(float(n)), "c": (values * n)[:n]})


@pytest.mark.slow
def test_lstm_gap_constant_generator_forgets_the_cycle():
    """Fine-tuning on a constant sequence destroys a learned cycle: a large gap."""
    real = _cycle(300, ["a", "b", "c"])
    flat = pd.DataFrame({"t": np.arange(300.0), "c": "a"})

    gap = lstm_gap(real, real, flat, "c", LABELS, epochs=30, seed=0, **SMALL)

    assert gap > 0.3


@pytest.mark.slow
def test_lstm_gap_same_cycle_keeps_accuracy_and_is_seeded():
    """Fine-tuning on the same cycle keeps the accuracy; equal seeds, equal gaps."""
    real = _cycle(300, ["a", "b", "c"])

    first = lstm_gap(real, real, real, "c", LABELS, epochs=30, seed=1, **SMALL)
    again = lstm_gap(real, real, real, "c", LABELS, epochs=30, seed=1, **SMALL)

    assert first == again
    assert first < 0.1


def test_lstm_gap_sequence_shorter_than_window_is_nan():
    """No window fits in a three-value sequence."""
    short = _cycle(3, ["a", "b"])

    gap = lstm_gap(short, short, short, "c", LABELS, epochs=1, **SMALL)

    assert np.isnan(gap)
