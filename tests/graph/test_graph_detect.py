"""Tests of the graph detector: training, connection scores, threshold, explanation."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from tests.graph.graph_logs import injected_logs, small_autoencoder, synthetic_logs
from workbench.errors import NotFittedError, SchemaError
from workbench.graph import build_graph
from workbench.graph.detect import GraphDetector

INJECTED = "Xbad"


@pytest.fixture(scope="module")
def benign_logs():
    """Forty synthetic benign visits (DNS lookup, then TLS to a known site)."""
    return synthetic_logs(40, seed=0)


@pytest.fixture(scope="module")
def trained(benign_logs):
    """A detector trained once on the synthetic benign capture."""
    graph = build_graph(benign_logs)
    return GraphDetector(autoencoder=small_autoencoder()).fit(graph)


@pytest.fixture
def fitted(trained):
    """A private copy of the trained detector (tests move its threshold)."""
    return copy.deepcopy(trained)


@pytest.fixture
def injected_analysis(fitted, benign_logs):
    """The benign capture plus one connection with an unseen certificate, scored."""
    test = build_graph(injected_logs(benign_logs, ts=150.5))
    return fitted.analyse(test)


def test_graph_detector_training_loss_falls(fitted):
    """The BCE loss ends well below where it started."""

    history = fitted.autoencoder.history_

    assert history[-1]["train_loss"] < 0.5 * history[0]["train_loss"]


def test_graph_detector_injected_unseen_certificate_ranked_first(injected_analysis):
    """The connection presenting an unseen certificate and domain scores highest."""

    connections = injected_analysis.connections

    top = connections["uid"].iloc[int(np.argmax(injected_analysis.scores))]
    assert top == INJECTED
    assert injected_analysis.alerts[connections["uid"].eq(INJECTED).to_numpy()].all()


def test_graph_detector_explanation_names_unseen_attributes(injected_analysis):
    """The injected alert's worst edge is explained by OTHER or rare attributes."""
    position = int(np.flatnonzero(injected_analysis.connections["uid"].eq(INJECTED))[0])

    table = injected_analysis.explain([position], top=5)

    assert table["edge_type"].iloc[0] in {"presents", "sni", "issued_for", "resp"}
    assert table["rank"].tolist() == [1, 2, 3, 4, 5]
    assert (table["p_value"] < 0.05).all()


def test_graph_detector_connection_score_is_worst_edge(injected_analysis):
    """A connection's score is the maximum of its edges' scores."""
    edges = injected_analysis.graph.edges

    worst = edges.groupby("uid")["score"].max()

    table = injected_analysis.connections.set_index("uid")
    assert np.allclose(table["score"], worst.reindex(table.index))
    assert np.allclose(edges.loc[table["edge_id"], "score"], table["score"])


def test_graph_detector_threshold_fpr_on_held_out(fitted):
    """The held-out connections' false-positive rate is at most the target."""

    rate = fitted.threshold.reference_fpr

    assert rate <= fitted.fpr
    assert fitted.summary_["calibration_connections"] == 16


def test_graph_detector_moving_threshold_keeps_scores(injected_analysis):
    """Changing the target FPR changes alerts, never the stored scores."""
    scores = injected_analysis.scores.copy()
    before = injected_analysis.alerts.sum()

    injected_analysis.detector.set_threshold(fpr=0.5)

    assert injected_analysis.alerts.sum() > before
    assert np.array_equal(injected_analysis.scores, scores)


def test_graph_detector_save_load_same_scores(fitted, benign_logs, tmp_path):
    """A saved detector scores a graph exactly as the original."""
    graph = build_graph(benign_logs)
    fitted.set_threshold(fpr=0.2)

    fitted.save(tmp_path)
    loaded = GraphDetector.load(tmp_path)

    assert np.allclose(loaded.analyse(graph).scores, fitted.analyse(graph).scores)
    assert loaded.threshold.value == fitted.threshold.value


def test_graph_detector_identical_edges_scored_once(fitted, benign_logs):
    """Edges with identical vectors share one forward pass and one score."""
    graph = build_graph(benign_logs)

    analysis = fitted.analyse(graph)

    distinct = analysis.distinct_edges
    assert distinct < len(graph.edges)
    assert len(np.unique(analysis.edge_scores)) <= distinct


def test_graph_detector_needs_fit(benign_logs):
    """Scoring before fit says what to do."""

    detector = GraphDetector()

    with pytest.raises(NotFittedError, match="fit"):
        detector.analyse(build_graph(benign_logs))


def test_graph_detector_too_few_connections(benign_logs):
    """A capture of two connections cannot be split; the error says why."""
    logs = {"conn": benign_logs["conn"].head(2)}

    detector = GraphDetector(autoencoder=small_autoencoder())

    with pytest.raises(SchemaError, match="at least 4"):
        detector.fit(build_graph(logs))


def test_graph_analysis_explain_present_only_ranks_set_bits(injected_analysis):
    """present_only ranks the attribute values the edge has, ranks restarting at 1."""
    position = int(np.flatnonzero(injected_analysis.connections["uid"].eq(INJECTED))[0])

    table = injected_analysis.explain([position], top=4, present_only=True)

    assert table["value"].eq(1.0).all()
    assert table["rank"].tolist() == [1, 2, 3, 4]
    assert table["p_value"].is_monotonic_increasing
