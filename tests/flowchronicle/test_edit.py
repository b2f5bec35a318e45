"""Tests for editing a generative model."""

from __future__ import annotations

import numpy as np
import pytest

from tests.flowchronicle.fc_helpers import DNS_PORT
from workbench.errors import ModelEditError
from workbench.flowchronicle.edit import (
    duplicate_pattern,
    fix_cell,
    remove_pattern,
    set_bandwidth,
    set_weight,
)
from workbench.flowchronicle.model import FixedCell, model_problems
from workbench.flowchronicle.sample import PATTERN_COLUMN, sample_flows
from workbench.schema import RESP_P


def test_set_weight_leaves_the_original_alone(planted_model):
    """Edits return a new model; the argument is unchanged."""
    model = planted_model

    edited = set_weight(model, 0, 999)

    assert edited.weights[0] == 999
    assert model.weights[0] != 999


def test_remove_pattern_keeps_the_empty_pattern_last(planted_model):
    """Removing a pattern drops it and its weight; the empty pattern cannot go."""
    model = planted_model

    edited = remove_pattern(model, 0)

    assert len(edited.patterns) == len(model.patterns) - 1
    assert edited.weights == model.weights[1:]
    with pytest.raises(ModelEditError, match="empty pattern"):
        remove_pattern(model, len(model.patterns) - 1)


def test_fix_cell_node_with_children_conditions_them(planted_model):
    """Fixing a network node conditions its children and keeps the model valid."""
    model = duplicate_pattern(planted_model, len(planted_model.patterns) - 1)
    index = len(model.patterns) - 2
    pattern = model.patterns[index]
    parent = next(
        k
        for k, n in enumerate(pattern.nodes)
        if any(k in m.parents for m in pattern.nodes)
    )
    node = pattern.nodes[parent]
    value = node.domain[0]

    edited = fix_cell(model, index, node.row, node.feature, value)

    new = edited.patterns[index]
    assert FixedCell(node.feature, value) in new.rows[node.row]
    assert len(new.nodes) == len(pattern.nodes) - 1
    assert model_problems(edited) == []


def test_fix_cell_new_port_is_generated(planted_model):
    """A copy of the DNS pattern moved to port 31337 produces flows to that port."""
    model = planted_model
    index = next(
        i
        for i, p in enumerate(model.patterns)
        if FixedCell("DstPt", DNS_PORT) in p.rows[0]
    )
    model = duplicate_pattern(model, index)
    copy = len(model.patterns) - 2
    model = fix_cell(model, copy, 0, "DstPt", 31337)
    for i in range(len(model.patterns)):
        model = set_weight(model, i, 1 if i == copy else 0)

    flows = sample_flows(model, 100, seed=0, with_pattern=True)

    assert set(flows[PATTERN_COLUMN]) == {copy}
    assert 31337 in set(flows[RESP_P])
    assert DNS_PORT not in set(flows[RESP_P])


def test_fix_cell_unknown_feature_raises(planted_model):
    """A feature the model lacks is refused with the known ones listed."""
    model = planted_model

    with pytest.raises(ModelEditError, match="DstPt"):
        fix_cell(model, 0, 0, "Port", 80)


def test_fix_cell_empty_pattern_refused(planted_model):
    """The empty pattern itself is not edited in place."""
    model = planted_model

    with pytest.raises(ModelEditError, match="duplicate_pattern"):
        fix_cell(model, len(model.patterns) - 1, 0, "DstPt", 80)


def test_set_bandwidth_changes_time_jitter(planted_model):
    """A larger bandwidth is stored on the pattern's time model."""
    model = planted_model

    edited = set_bandwidth(model, 0, 500.0)

    assert edited.patterns[0].time_model.bandwidth == 500.0
    assert np.array_equal(
        edited.patterns[0].time_model.start_times,
        model.patterns[0].time_model.start_times,
    )
    with pytest.raises(ModelEditError):
        set_bandwidth(model, 0, -1.0)


def test_parse_value_reads_ports_bins_and_words(planted_model):
    """Ports become ints, binned features intervals, other features stay text."""
    from workbench.flowchronicle.edit import parse_value

    model = planted_model

    assert parse_value(model, "DstPt", "8080") == 8080
    assert parse_value(model, "BwdByt", "100-200") == (100, 200)
    assert parse_value(model, "Proto", "udp") == "udp"
    with pytest.raises(ModelEditError, match="DstPt"):
        parse_value(model, "DstPt", "http")
