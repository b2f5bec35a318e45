"""Tests for drawing synthetic flows from a model."""

from __future__ import annotations

import numpy as np
import pytest

from tests.flowchronicle.fc_helpers import DNS_PORT, HTTPS_PORT
from workbench.errors import ModelEditError
from workbench.flowchronicle.edit import set_weight
from workbench.flowchronicle.model import FixedCell
from workbench.flowchronicle.sample import PATTERN_COLUMN, sample_flows, sample_nodes
from workbench.schema import ORIG_H, ORIG_P, RESP_P, TS


def test_sample_flows_exact_count_and_order(planted_model):
    """n_flows flows come back, sorted by time, inside the training time range."""
    model = planted_model

    flows = sample_flows(model, 700, seed=3)

    assert len(flows) == 700
    assert flows[TS].is_monotonic_increasing
    t_min, t_max = model.t_range
    assert flows[TS].min() >= model.time_origin + t_min / 100 - 1e-6
    assert flows[TS].max() <= model.time_origin + t_max / 100 + 1e-6


def test_sample_flows_seeded(planted_model):
    """Equal seeds give equal tables; different seeds differ."""
    model = planted_model

    a = sample_flows(model, 200, seed=1)
    b = sample_flows(model, 200, seed=1)
    c = sample_flows(model, 200, seed=2)

    assert a.equals(b)
    assert not a.equals(c)


def test_sample_flows_pattern_rows_keep_fixed_and_reused_values(planted_model):
    """Flows of the planted pattern carry its ports and reuse the client address."""
    model = planted_model
    index = next(
        i
        for i, p in enumerate(model.patterns)
        if p.n_rows == 2
        and FixedCell("DstPt", DNS_PORT) in p.rows[0]
        and FixedCell("DstPt", HTTPS_PORT) in p.rows[1]
    )
    only = model
    for i in range(len(model.patterns)):
        only = set_weight(only, i, 1 if i == index else 0)

    flows = sample_flows(only, 400, seed=0, with_pattern=True)

    assert set(flows[PATTERN_COLUMN]) == {index}
    dns = flows[flows[RESP_P] == DNS_PORT]
    https = flows[flows[RESP_P] == HTTPS_PORT]
    assert len(dns) >= len(https) > 150
    assert set(https[ORIG_H]) <= set(dns[ORIG_H])


def test_sample_flows_default_count_near_training(planted_model, planted_result):
    """Without n_flows, about as many flows as training records come back."""
    model = planted_model

    flows = sample_flows(model, seed=0)

    assert (
        abs(len(flows) - planted_result.prepared.n) < 0.25 * planted_result.prepared.n
    )


def test_sample_flows_mix_follows_weights(planted_model):
    """The share of empty-pattern flows matches its weight share of flows."""
    model = planted_model
    weights = np.array(model.weights, dtype=float)
    rows = np.array([p.n_rows for p in model.patterns])
    expected = weights[-1] / (weights * rows).sum()

    flows = sample_flows(model, 4000, seed=5, with_pattern=True)

    share = float((flows[PATTERN_COLUMN] == len(model.patterns) - 1).mean())
    assert share == pytest.approx(expected, abs=0.04)


def test_sample_flows_all_zero_weights_raise(planted_model):
    """A model with no positive weight cannot generate."""
    model = planted_model
    for i in range(len(model.patterns)):
        model = set_weight(model, i, 0)

    with pytest.raises(ModelEditError, match="weight"):
        sample_flows(model, 10)


def test_sample_flows_ephemeral_ports(planted_model):
    """Source ports are missing by default and ephemeral on request."""
    model = planted_model

    plain = sample_flows(model, 50, seed=0)
    ported = sample_flows(model, 50, seed=0, ephemeral_ports=True)

    assert plain[ORIG_P].isna().all()
    assert ported[ORIG_P].between(49152, 65535).all()


def test_sample_nodes_follows_the_table():
    """Forward sampling reproduces a conditional table's frequencies."""
    from workbench.flowchronicle.model import Node

    parent = Node("Proto", 0, ("tcp", "udp"), (), np.array([[0.3, 0.7]]))
    child = Node(
        "DstPt", 0, (80, 53, 443), (0,), np.array([[0.5, 0.0, 0.5], [0.0, 1.0, 0.0]])
    )

    a, b = sample_nodes((parent, child), 20_000, np.random.default_rng(0))

    assert a.mean() == pytest.approx(0.7, abs=0.02)
    assert np.all(b[a == 1] == 1)
    assert np.mean(b[a == 0] == 2) == pytest.approx(0.5, abs=0.03)


def test_sample_flows_pattern_without_network_is_generated():
    """A pattern whose cells are all fixed (no network) still produces its flows."""
    from workbench.flowchronicle.model import (
        FlowModel,
        GenerativePattern,
        Node,
        TimeModel,
    )
    from workbench.flowchronicle.prepare import Feature

    features = (
        Feature("DstPt", "id.resp_p", "categorical"),
        Feature("Proto", "proto", "categorical"),
    )
    fixed = GenerativePattern(
        ((FixedCell("DstPt", 123), FixedCell("Proto", "udp")),) * 2,
        (),
        TimeModel(np.array([10.0, 20.0]), (np.array([5.0]),)),
    )
    nodes = (
        Node("DstPt", 0, (80,), (), np.array([[1.0]])),
        Node("Proto", 0, ("tcp",), (), np.array([[1.0]])),
    )
    empty = GenerativePattern(((),), nodes, TimeModel(np.array([0.0]), ()))
    model = FlowModel(features, (fixed, empty), (3, 0), (0, 1000), 1.6e9)

    flows = sample_flows(model, 40, seed=0, with_pattern=True)

    assert len(flows) == 40
    assert set(flows[RESP_P]) == {123}
    assert set(flows["proto"]) == {"udp"}
