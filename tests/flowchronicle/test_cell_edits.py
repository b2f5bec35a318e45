"""Tests for fixing and freeing cells: domains, address reuse, sampling."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from tests.flowchronicle.fc_helpers import tiny_model
from workbench.errors import ModelEditError
from workbench.flowchronicle.edit import (
    duplicate_pattern,
    fix_cell,
    free_cell,
    set_weight,
)
from workbench.flowchronicle.edit_checks import checked_model, column_values
from workbench.flowchronicle.model import FixedCell, Node, ReuseCell, model_problems
from workbench.flowchronicle.model_io import model_from_dict, model_to_dict
from workbench.flowchronicle.sample import PATTERN_COLUMN, sample_flows
from workbench.schema import ORIG_H, PROTO, RESP_P


def _only(model, index):
    """``model`` with every weight 0 except pattern ``index``'s."""
    for i in range(len(model.patterns)):
        model = set_weight(model, i, 1 if i == index else 0)
    return model


def test_fix_cell_port_8080_gives_only_8080_in_that_pattern(planted_model):
    """A copy of the empty pattern fixed to port 8080 yields only 8080 flows."""
    model = duplicate_pattern(planted_model, len(planted_model.patterns) - 1)
    copy = len(model.patterns) - 2
    before = sample_flows(model, 3000, seed=0, with_pattern=True)

    edited = fix_cell(model, copy, 0, "DstPt", 8080)
    flows = sample_flows(edited, 3000, seed=0, with_pattern=True)

    mine = flows[flows[PATTERN_COLUMN] == copy]
    assert len(mine) > 50
    assert set(mine[RESP_P]) == {8080}
    assert 8080 not in set(before.loc[before[PATTERN_COLUMN] == copy, RESP_P])
    others = flows[flows[PATTERN_COLUMN] == len(edited.patterns) - 1]
    assert set(others[RESP_P]) - {8080}


def test_fix_cell_set_address_fixes_the_rows_reusing_it():
    """Fixing the client of row 0 fixes row 1's reused client to the same value."""
    model = tiny_model()

    edited = fix_cell(model, 0, 0, "SrcIP", "10.9.9.9")

    rows = edited.patterns[0].rows
    assert FixedCell("SrcIP", "10.9.9.9") in rows[0]
    assert FixedCell("SrcIP", "10.9.9.9") in rows[1]
    assert not any(isinstance(c, ReuseCell) for row in rows for c in row)
    assert model_problems(edited) == []
    flows = sample_flows(_only(edited, 0), 200, seed=1)
    assert set(flows[ORIG_H]) == {"10.9.9.9"}


@pytest.mark.parametrize(
    ("feature", "value", "message"),
    [
        ("Proto", "icmp", "outside the column's domain"),
        ("DstPt", 70000, "not a port"),
        ("DstPt", "http", "not a port"),
        ("DstPt", 80.5, "not a port"),
        ("SrcIP", "", "non-empty text"),
    ],
)
def test_fix_cell_value_outside_column_domain_refused(feature, value, message):
    """Values a column cannot hold are refused with the feature named."""
    model = tiny_model()

    with pytest.raises(ModelEditError, match=message) as caught:
        fix_cell(model, 0, 0, feature, value)

    assert feature in str(caught.value)


def test_fix_cell_row_out_of_range_refused():
    """A row the pattern lacks is refused with the rows it has."""
    model = tiny_model()

    with pytest.raises(ModelEditError, match="rows 0 to 1"):
        fix_cell(model, 0, 2, "DstPt", 80)


def test_free_cell_fixed_port_gets_the_model_marginal():
    """Freeing the DNS port gives a root variable with the hand-computed marginal."""
    model = tiny_model()
    # Weights 30 and 70; the rest's ports: 0.6 * (.5, .1, .4) + 0.4 * (.05, .9, .05).
    counts = {80: 70 * 0.32, 53: 30 + 70 * 0.42, 443: 30 + 70 * 0.26}

    edited = free_cell(model, 0, 0, "DstPt")

    node = edited.patterns[0].nodes[-1]
    assert (node.feature, node.row, node.parents) == ("DstPt", 0, ())
    assert node.domain == (80, 53, 443)
    expected = np.array([counts[v] for v in node.domain]) / 130.0
    np.testing.assert_allclose(node.cpt[0], expected)
    assert all(c.feature != "DstPt" for c in edited.patterns[0].rows[0])
    assert model_problems(edited) == []


def test_free_cell_uniform_table_is_sampled():
    """A freed, uniform port spreads the DNS row over every port of the model."""
    model = tiny_model()

    edited = _only(free_cell(model, 0, 0, "DstPt", table="uniform"), 0)
    flows = sample_flows(edited, 3000, seed=2)

    np.testing.assert_allclose(edited.patterns[0].nodes[-1].cpt, [[1 / 3] * 3])
    udp = flows[flows[PROTO] == "udp"]
    shares = udp[RESP_P].value_counts(normalize=True)
    assert set(shares.index) == {80, 53, 443}
    assert shares.min() > 0.25


def test_free_cell_reuse_breaks_the_link_and_round_trips():
    """Freeing row 1's reused client makes it a variable; the JSON round trip holds."""
    model = tiny_model()

    edited = free_cell(model, 0, 1, "SrcIP")

    pattern = edited.patterns[0]
    assert not any(isinstance(c, ReuseCell) for c in pattern.rows[1])
    assert ("SrcIP", 1) in {(n.feature, n.row) for n in pattern.nodes}
    assert pattern.nodes[-1].domain == column_values(model, "SrcIP")
    again = model_from_dict(model_to_dict(edited))
    assert again.patterns[0].rows == pattern.rows
    np.testing.assert_allclose(again.patterns[0].nodes[-1].cpt, pattern.nodes[-1].cpt)


def test_free_cell_network_variable_refused():
    """A cell drawn from the network (the client that row 1 reuses) is refused."""
    model = tiny_model()

    with pytest.raises(ModelEditError, match="already drawn from the network"):
        free_cell(model, 0, 0, "SrcIP")


@pytest.mark.parametrize(
    ("index", "row", "table", "message"),
    [
        (5, 0, "marginal", "does not exist"),
        (1, 0, "marginal", "duplicate_pattern"),
        (0, 3, "marginal", "no row 3"),
        (0, 0, "zipf", "not a choice"),
    ],
)
def test_free_cell_bad_arguments_refused(index, row, table, message):
    """Unknown patterns, rows and tables, and the empty pattern, are refused."""
    model = tiny_model()

    with pytest.raises(ModelEditError, match=message):
        free_cell(model, index, row, "DstPt", table=table)


def test_checked_model_refuses_a_reuse_never_set():
    """A row reusing an address no earlier row defines is reported as an edit error."""
    model = tiny_model()
    pattern = model.patterns[0]
    row = (ReuseCell("SrcIP", 0, "Flags"), *pattern.rows[1][1:])
    broken = replace(pattern, rows=(pattern.rows[0], row))

    with pytest.raises(ModelEditError, match="Flags of row 0, which is not defined"):
        checked_model(replace(model, patterns=(broken, model.patterns[1])))


def _port_then_proto():
    """Tiny model whose copied empty pattern draws DstPt, then Proto given DstPt."""
    model = duplicate_pattern(tiny_model(), 1)
    rest = model.patterns[1]
    port = Node("DstPt", 0, (80, 53), (), np.array([[0.25, 0.75]]))
    proto = Node("Proto", 0, ("tcp", "udp"), (0,), np.array([[1.0, 0.0], [0.0, 1.0]]))
    pattern = replace(rest, nodes=(port, proto, *rest.nodes[2:]))
    return replace(model, patterns=(model.patterns[0], pattern, model.patterns[2]))


def test_fix_cell_known_value_conditions_children():
    """Fixing the port to 53 leaves Proto with its table row for 53."""
    model = _port_then_proto()

    edited = fix_cell(model, 1, 0, "DstPt", 53)

    proto = next(n for n in edited.patterns[1].nodes if n.feature == "Proto")
    assert proto.parents == ()
    assert proto.cpt.tolist() == [[0.0, 1.0]]


def test_fix_cell_new_value_keeps_children_on_average():
    """Fixing the port to unseen 8080 mixes Proto's rows by the port's marginal."""
    model = _port_then_proto()

    edited = _only(fix_cell(model, 1, 0, "DstPt", 8080), 1)
    flows = sample_flows(edited, 4000, seed=4)

    proto = next(n for n in edited.patterns[1].nodes if n.feature == "Proto")
    np.testing.assert_allclose(proto.cpt, [[0.25, 0.75]])
    assert set(flows[RESP_P]) == {8080}
    assert abs((flows[PROTO] == "tcp").mean() - 0.25) < 0.03
