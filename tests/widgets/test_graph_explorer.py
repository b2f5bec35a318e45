"""Tests of the graph alert explorer: picking alerts, as a user would."""

from __future__ import annotations

import numpy as np
import pytest

from widgets.graph_explorer import GraphAlertExplorer
from workbench.autoencoder import AutoencoderDetector
from workbench.datasets import bundled
from workbench.graph import graph_from_logs
from workbench.graph.detect import GraphDetector

#: Start of the first ZeroAccess (UDP 16464) connection in the bundled TSV capture.
BOTNET_START = 1379288699.0


@pytest.fixture(scope="module")
def graph_analysis():
    """The bundled TSV capture scored by a small detector trained before the botnet."""
    graph = graph_from_logs(bundled("zeek", "tsv"), progress=False)
    autoencoder = AutoencoderDetector(
        hidden=(16, 4), score="bce", batch_size=64, max_epochs=5, progress=False
    )
    detector = GraphDetector(autoencoder=autoencoder)
    return detector.fit(graph.time_slice(end=BOTNET_START)).analyse(graph)


def test_graph_explorer_lists_alerts_highest_first(graph_analysis):
    """The list holds the alerts, highest score first, nothing selected yet."""

    explorer = GraphAlertExplorer(graph_analysis, max_alerts=30)

    ids = [value for _, value in explorer.alert_list.options]
    assert len(ids) == min(30, graph_analysis.alerts.sum())
    assert list(graph_analysis.scores[ids]) == sorted(
        graph_analysis.scores[ids], reverse=True
    )
    assert explorer.selected_alert_id is None


def test_graph_explorer_pick_shows_neighbourhood_and_bars(graph_analysis):
    """Picking an alert in the list shows its neighbourhood and its p-values."""
    explorer = GraphAlertExplorer(graph_analysis, max_alerts=30)
    picked = explorer.alert_list.options[2][1]

    explorer.alert_list.value = picked

    uid = graph_analysis.connections["uid"].iloc[picked]
    assert explorer.selected_alert_id == picked
    assert f"Conn:{uid}" in set(explorer.neighbourhood.nodes["node_id"])
    assert set(explorer.explanation["alert_id"]) == {picked}
    assert uid in explorer.status


def test_graph_explorer_select_defaults_to_top_alert(graph_analysis):
    """select() with no argument shows the highest-scoring alert."""
    explorer = GraphAlertExplorer(graph_analysis)

    shown = explorer.select()

    assert shown == int(
        graph_analysis.alert_ids[
            np.argmax(graph_analysis.scores[graph_analysis.alert_ids])
        ]
    )


def test_graph_explorer_select_unlisted_raises(graph_analysis):
    """Asking for a connection that is not a listed alert says what to do."""
    explorer = GraphAlertExplorer(graph_analysis)
    quiet = int(np.argmin(graph_analysis.scores))

    with pytest.raises(IndexError, match="lower the threshold"):
        explorer.select(quiet)
