"""Tests for exact marginals and the pgmpy export of a pattern's network."""

from __future__ import annotations

import numpy as np
import pytest

from tests.flowchronicle.fc_helpers import tiny_model
from workbench.errors import ModelEditError
from workbench.flowchronicle.edit import fix_cell, set_cpt_row
from workbench.flowchronicle.model import Node
from workbench.flowchronicle.network import (
    feature_marginal,
    find_node,
    node_marginal,
    pattern_network,
    variable_name,
)


def _chain(seed: int) -> tuple[Node, ...]:
    """A -> B -> C plus A -> C, random seeded tables."""
    rng = np.random.default_rng(seed)

    def table(rows: int, size: int) -> np.ndarray:
        return rng.dirichlet(np.ones(size), rows)

    a = Node("Proto", 0, ("tcp", "udp"), (), table(1, 2))
    b = Node("DstPt", 0, (80, 53, 443), (0,), table(2, 3))
    c = Node("Flags", 0, ("S", "SA", "F", "R"), (0, 1), table(6, 4))
    return a, b, c


def _variable_elimination():
    inference = pytest.importorskip("pgmpy.inference")
    return inference.VariableElimination


def test_node_marginal_matches_brute_force_joint():
    """The eliminated marginal of C equals summing the full joint by hand."""
    a, b, c = _chain(0)

    joint = a.cpt[0][:, None, None] * b.cpt[:, :, None] * c.cpt.reshape(2, 3, 4)

    np.testing.assert_allclose(node_marginal((a, b, c), 2), joint.sum(axis=(0, 1)))
    np.testing.assert_allclose(node_marginal((a, b, c), 1), joint.sum(axis=(0, 2)))
    np.testing.assert_allclose(node_marginal((a, b, c), 0), a.cpt[0])


def test_feature_marginal_weights_patterns_by_usage():
    """Ports of the tiny model: fixed 53 and 443 (weight 30) plus the rest's table."""
    model = tiny_model()

    shares = feature_marginal(model, "DstPt")

    assert list(shares) == [53, 443, 80]
    expected = np.array([30 + 70 * 0.42, 30 + 70 * 0.26, 70 * 0.32]) / 130
    np.testing.assert_allclose(list(shares.values()), expected)


def test_pattern_network_names_states_and_passes_check_model():
    """Variables are <feature>-r<row>, states the model's values, edges its parents."""
    model = tiny_model()

    network = pattern_network(model, 1)

    assert set(network.nodes()) == {"Proto-r0", "DstPt-r0", "SrcIP-r0", "DstIP-r0"}
    assert set(network.edges()) == {("Proto-r0", "DstPt-r0")}
    assert network.check_model()
    cpd = network.get_cpds("DstPt-r0")
    assert cpd.state_names["DstPt-r0"] == [80, 53, 443]
    assert cpd.state_names["Proto-r0"] == ["tcp", "udp"]


@pytest.mark.parity
def test_pattern_network_pgmpy_marginal_matches_tables():
    """pgmpy's variable elimination gives the port marginal computed by hand."""
    elimination = _variable_elimination()
    model = tiny_model()

    query = elimination(pattern_network(model, 1)).query(
        ["DstPt-r0"], show_progress=False
    )
    given_udp = elimination(pattern_network(model, 1)).query(
        ["DstPt-r0"], evidence={"Proto-r0": "udp"}, show_progress=False
    )

    np.testing.assert_allclose(query.values, [0.32, 0.42, 0.26])
    np.testing.assert_allclose(given_udp.values, [0.05, 0.9, 0.05])
    nodes = model.patterns[1].nodes
    np.testing.assert_allclose(query.values, node_marginal(nodes, 1))


@pytest.mark.parity
def test_pattern_network_mined_patterns_match_pgmpy(planted_model):
    """Every mined pattern exports cleanly; pgmpy's marginals equal ours."""
    elimination = _variable_elimination()
    model = planted_model

    networks = [pattern_network(model, i) for i in range(len(model.patterns))]

    assert all(network.check_model() for network in networks)
    nodes = model.patterns[-1].nodes
    inference = elimination(networks[-1])
    for k, node in enumerate(nodes):
        result = inference.query([variable_name(node)], show_progress=False)
        assert result.state_names[variable_name(node)] == list(node.domain)
        np.testing.assert_allclose(result.values, node_marginal(nodes, k), atol=1e-9)


def test_pattern_network_follows_an_edit():
    """After set_cpt_row the exported table holds the new row."""
    model = set_cpt_row(tiny_model(), 1, "DstPt-r0", ["udp"], {80: 1.0})

    cpd = pattern_network(model, 1).get_cpds("DstPt-r0")

    np.testing.assert_allclose(cpd.get_values()[:, 1], [1.0, 0.0, 0.0])


def test_pattern_network_without_free_cells_is_empty():
    """A pattern whose cells are all fixed exports a network with no variable."""
    model = tiny_model()
    for row, feature, value in [
        (0, "SrcIP", "a"),
        (0, "DstIP", "b"),
        (1, "DstIP", "c"),
    ]:
        model = fix_cell(model, 0, row, feature, value)

    network = pattern_network(model, 0)

    assert len(network.nodes()) == 0
    assert network.check_model()
    with pytest.raises(ModelEditError, match="pattern 4 does not exist"):
        pattern_network(model, 4)


def test_find_node_lists_the_variables():
    """An unknown variable is refused with the network's variables listed."""
    pattern = tiny_model().patterns[0]

    with pytest.raises(ModelEditError, match=r"\['SrcIP-r0', 'DstIP-r0'"):
        find_node(pattern, "SrcIP-r1")


def test_node_marginal_long_chain_past_einsum_labels():
    """A 70-node chain (more nodes than einsum has labels) propagates exactly."""
    rng = np.random.default_rng(5)
    nodes = [Node("DstPt", 0, (1, 2, 3), (), rng.dirichlet(np.ones(3), 1))]
    for row in range(1, 70):
        nodes.append(
            Node("DstPt", row, (1, 2, 3), (row - 1,), rng.dirichlet(np.ones(3), 3))
        )
    expected = nodes[0].cpt[0]
    for node in nodes[1:]:
        expected = expected @ node.cpt

    marginal = node_marginal(tuple(nodes), 69)

    np.testing.assert_allclose(marginal, expected)
