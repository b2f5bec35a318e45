"""Tests for editing rows of a pattern's conditional tables."""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest

from tests.flowchronicle.fc_helpers import tiny_model
from workbench.errors import ModelEditError
from workbench.flowchronicle.edit import set_cpt_row, set_weight
from workbench.flowchronicle.network import variable_name
from workbench.flowchronicle.sample import PATTERN_COLUMN, sample_flows
from workbench.flowchronicle.table_edits import parse_cpt_row
from workbench.schema import PROTO, RESP_P


def test_set_cpt_row_all_mass_on_one_value_is_sampled():
    """Port given UDP set to 443 only: UDP flows all go to 443, TCP ones still vary."""
    model = set_weight(tiny_model(), 0, 0)
    before = sample_flows(model, 2000, seed=0)

    edited = set_cpt_row(model, 1, "DstPt-r0", {"Proto-r0": "udp"}, {443: 1.0})
    flows = sample_flows(edited, 2000, seed=0)

    assert set(before.loc[before[PROTO] == "udp", RESP_P]) == {80, 53, 443}
    assert set(flows.loc[flows[PROTO] == "udp", RESP_P]) == {443}
    assert set(flows.loc[flows[PROTO] == "tcp", RESP_P]) == {80, 53, 443}
    np.testing.assert_array_equal(
        edited.patterns[1].nodes[1].cpt, [[0.5, 0.1, 0.4], [0.0, 0.0, 1.0]]
    )


def test_set_cpt_row_sequence_and_mapping_agree():
    """Probabilities by value or in domain order, parents by name or position."""
    model = tiny_model()

    by_value = set_cpt_row(
        model, 1, "DstPt-r0", {"Proto-r0": "tcp"}, {80: 0.25, 443: 0.75}
    )
    by_order = set_cpt_row(model, 1, "DstPt-r0", ["tcp"], [0.25, 0.0, 0.75])

    table = by_value.patterns[1].nodes[1].cpt
    np.testing.assert_array_equal(table, by_order.patterns[1].nodes[1].cpt)
    assert table[0].tolist() == [0.25, 0.0, 0.75]


def test_set_cpt_row_root_variable_and_original_unchanged():
    """A root takes no parent values; the input model keeps its table."""
    model = tiny_model()

    edited = set_cpt_row(model, 1, "Proto-r0", None, [0.0, 1.0])

    assert edited.patterns[1].nodes[0].cpt.tolist() == [[0.0, 1.0]]
    assert model.patterns[1].nodes[0].cpt.tolist() == [[0.6, 0.4]]


@pytest.mark.parametrize(
    ("probabilities", "message"),
    [
        ([0.5, 0.4, 0.0], "sum to 0.9"),
        ([0.5, 0.5 + 1e-8, 0.0], "tolerance 1e-09"),
        ([1.2, -0.2, 0.0], "finite and >= 0"),
        ([float("nan"), 0.5, 0.5], "finite and >= 0"),
        ([0.5, 0.5], "2 probabilities for a domain of 3 values"),
        ({8080: 1.0}, "8080 is outside its domain"),
        (["a", "b", "c"], "must be numbers"),
    ],
)
def test_set_cpt_row_refuses_a_row_that_is_no_distribution(probabilities, message):
    """Rows with the wrong sum, sign or length, or unknown values, are refused."""
    model = tiny_model()

    with pytest.raises(ModelEditError, match=message):
        set_cpt_row(model, 1, "DstPt-r0", ["udp"], probabilities)


def test_set_cpt_row_accepts_rounding_within_tolerance():
    """A sum off by 1e-12 is accepted."""
    model = tiny_model()

    edited = set_cpt_row(model, 1, "DstPt-r0", ["udp"], [0.5, 0.5 + 1e-12, 0.0])

    assert edited.patterns[1].nodes[1].cpt[1, 0] == 0.5


@pytest.mark.parametrize(
    ("index", "variable", "parents", "message"),
    [
        (1, "DstPt-r0", {"Proto-r0": "icmp"}, "'icmp' is outside its domain"),
        (1, "DstPt-r0", [], "give one value for each"),
        (1, "DstPt-r0", {"Flags-r0": "S"}, "give a value for each"),
        (1, "DstPt-r5", ["udp"], "no variable 'DstPt-r5'"),
        (0, "DstPt-r0", ["udp"], "fixed and reused cells are not"),
        (7, "DstPt-r0", ["udp"], "pattern 7 does not exist"),
    ],
)
def test_set_cpt_row_refuses_unknown_rows(index, variable, parents, message):
    """Unknown patterns, variables and parent values are refused by name."""
    model = tiny_model()

    with pytest.raises(ModelEditError, match=message):
        set_cpt_row(model, index, variable, parents, [0.0, 0.0, 1.0])


def test_set_cpt_row_on_a_mined_network_is_sampled(planted_model):
    """Every row of the mined empty pattern's port table on one port: only it comes."""
    model = planted_model
    empty = len(model.patterns) - 1
    nodes = model.patterns[empty].nodes
    k = next(i for i, n in enumerate(nodes) if n.feature == "DstPt")
    port = nodes[k].domain[-1]
    parents = [nodes[p].domain for p in nodes[k].parents]

    for values in product(*parents):
        model = set_cpt_row(model, empty, variable_name(nodes[k]), values, {port: 1})
    flows = sample_flows(model, 2000, seed=0, with_pattern=True)

    mine = flows[flows[PATTERN_COLUMN] == empty]
    assert len(mine) > 100
    assert set(mine[RESP_P]) == {port}
    assert set(planted_model.patterns[empty].nodes[k].domain) != {port}


def test_parse_cpt_row_reads_the_panel_text():
    """Parent values by ';', probabilities as value: p pairs or a plain list."""
    model = tiny_model()

    pairs = parse_cpt_row(model, 1, "DstPt-r0", " udp ", "443: 0.75; 53: 0.25")
    plain = parse_cpt_row(model, 1, "DstPt-r0", "tcp", "0.2; 0.3; 0.5")

    assert pairs == (["udp"], {443: 0.75, 53: 0.25})
    assert plain == (["tcp"], [0.2, 0.3, 0.5])
    with pytest.raises(ModelEditError, match="parents"):
        parse_cpt_row(model, 1, "DstPt-r0", "udp; tcp", "443: 1")
    with pytest.raises(ModelEditError, match="cannot read"):
        parse_cpt_row(model, 1, "DstPt-r0", "udp", "443: lots")
