"""Tests for the common generator interface and the Bayesian-network baselines."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.datasets import bundled
from workbench.errors import NotFittedError, WorkbenchError
from workbench.flowchronicle.prepare import prepare_sessions
from workbench.io import read_flows
from workbench.synth_eval.generators import (
    FlowChronicleGenerator,
    Generator,
    make_generator,
)
from workbench.synth_eval.schema import SESSION_SCHEMA, metric_frame

HALF_DAY = pd.Timestamp("2017-04-05 12:00").timestamp()


@pytest.fixture(scope="module")
def morning() -> pd.DataFrame:
    """CIDDS-001 records of the first half day (about 800 NetFlow records)."""
    flows = read_flows(bundled("cidds001", "cidds001_week3_sample8k.csv"))
    return flows[flows["ts"] < HALF_DAY].reset_index(drop=True)


#: Small settings: two rounds of search, pairs of flows for the sequence network.
OPTIONS = {"flowchronicle": {"max_iterations": 2}, "sequence-bn": {"window": 2}}


@pytest.fixture(scope="module")
def fitted(morning) -> dict:
    """Each generator fitted once on the morning records."""
    names = ("independent-bn", "sequence-bn", "flowchronicle")
    return {n: make_generator(n, **OPTIONS.get(n, {})).fit(morning) for n in names}


@pytest.mark.parametrize("name", ["independent-bn", "sequence-bn", "flowchronicle"])
def test_generator_samples_sessions_on_training_calendar(morning, fitted, name):
    """Each generator gives n flows with the metric columns, values seen in training."""
    sessions = prepare_sessions(morning)
    generator = fitted[name]

    flows = generator.sample(300, seed=4)

    frame = metric_frame(flows, SESSION_SCHEMA)
    assert isinstance(generator, Generator)
    assert len(flows) == 300
    assert flows["ts"].is_monotonic_increasing
    assert flows["ts"].between(sessions["ts"].min() - 1, HALF_DAY + 3600).all()
    assert set(frame["id.resp_h"]) <= set(sessions["id.resp_h"])
    assert set(frame["proto"]) <= set(sessions["proto"])
    assert (frame["orig_bytes"] >= 0).all()


def test_generator_default_size_is_training_size(morning, fitted):
    """Without n, about as many flows as training sessions are drawn."""
    generator = fitted["independent-bn"]

    flows = generator.sample(seed=0)

    assert len(flows) == len(prepare_sessions(morning))


def test_sequence_bn_equal_seeds_equal_flows(fitted):
    """Sampling is reproducible."""
    generator = fitted["sequence-bn"]

    first = generator.sample(50, seed=9)
    again = generator.sample(50, seed=9)

    pd.testing.assert_frame_equal(first, again)


def test_generator_sample_before_fit_raises():
    """An unfitted generator names the call to make first."""
    with pytest.raises(NotFittedError, match="fit"):
        FlowChronicleGenerator().sample(10)


def test_make_generator_unknown_name_lists_choices():
    """A typo in a generator name lists the valid names."""
    with pytest.raises(WorkbenchError, match="sequence-bn"):
        make_generator("sequence_bn")


@pytest.mark.slow
def test_tvae_samples_sessions(morning):
    """TVAE (optional extra) trains a few epochs and samples canonical sessions."""
    pytest.importorskip("ctgan")
    generator = make_generator("tvae", epochs=2, batch_size=100)

    flows = generator.fit(morning).sample(50, seed=1)

    assert len(flows) == 50
    assert set(flows["proto"].dropna()) <= {"tcp", "udp", "icmp"}
