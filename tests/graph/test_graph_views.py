"""Tests of the networkx conversion, the layout and the graph charts."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.graph.graph_logs import write_tiny_capture
from workbench.graph import graph_from_logs
from workbench.graph.charts import (
    comparison_chart,
    count_chart,
    degree_table,
    neighbourhood_chart,
)
from workbench.graph.convert import MAX_LAYOUT_NODES, layout, to_networkx


@pytest.fixture
def tiny_capture(tmp_path):
    """Three hand-written connections (DNS, TLS, HTTP) in TSV and JSON logs."""
    return write_tiny_capture(tmp_path)


@pytest.fixture
def graph(tiny_capture):
    """The graph of the tiny hand-written capture."""
    return graph_from_logs(tiny_capture, progress=False)


def test_to_networkx_keeps_nodes_edges_and_attributes(graph):
    """Every node and parallel edge survives, with type and uid attributes."""

    multigraph = to_networkx(graph)

    assert multigraph.number_of_nodes() == len(graph.nodes)
    assert multigraph.number_of_edges() == len(graph.edges)
    assert multigraph.nodes["Conn:C1"]["proto"] == "udp"
    data = multigraph.get_edge_data("Domain:example.com", "IP:93.184.216.34")
    assert [d["uid"] for d in data.values()] == ["C1"]


def test_degree_table_counts_every_node(graph):
    """Degree counts add up to the number of nodes of each type."""

    table = degree_table(graph)

    per_type = table.groupby("type")["nodes"].sum().to_dict()
    assert per_type == graph.nodes["type"].value_counts().to_dict()


def test_layout_positions_every_node(graph):
    """The layout gives finite coordinates to each node."""

    positions = layout(graph, seed=1)

    assert positions[["x", "y"]].notna().all().all()
    assert len(positions) == len(graph.nodes)


def test_layout_refuses_large_graphs(graph):
    """Drawing thousands of nodes is refused with a hint."""
    many = pd.DataFrame(
        {
            "node_id": [f"IP:{i}" for i in range(MAX_LAYOUT_NODES + 1)],
            "type": "IP",
            "key": "x",
        }
    )
    big = type(graph)(many, graph.edges.iloc[:0])

    with pytest.raises(ValueError, match="neighbourhood"):
        layout(big)


def test_neighbourhood_chart_draws_nodes_and_edges(graph):
    """The drawing embeds one point per node and one rule per edge."""
    small = graph.neighbourhood(["Conn:C2"], radius=1)

    spec = neighbourhood_chart(small, centre="Conn:C2").to_dict()

    sizes = sorted(len(rows) for rows in spec["datasets"].values())
    assert sizes == sorted([len(small.nodes), len(small.edges)])


def test_count_and_comparison_charts_build(graph):
    """The count chart and the comparison chart produce valid specs."""
    table = pd.DataFrame(
        {
            "detector": ["graph autoencoder", "flat autoencoder"],
            "recall": [0.5, 0.25],
            "fpr": [0.1, 0.2],
            "precision": [None, 0.3],
            "auroc": [0.8, 0.7],
        }
    )

    counts = count_chart(graph).to_dict()
    compared = comparison_chart(table).to_dict()

    assert len(counts["hconcat"]) == 2
    assert sum(len(v) for v in compared["datasets"].values()) == 7
