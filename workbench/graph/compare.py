"""The flat conn-only detector on the same connections, to compare with the graph.

The flat :class:`workbench.detector.FlowDetector` is trained on the conn.log records
of the graph's training connections and scores the test connections; both detectors
are then measured on the connections they both scored. Training the graph detector
is :mod:`workbench.graph.detect`'s job.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench import schema
from workbench.autoencoder import AutoencoderDetector
from workbench.detector import Analysis, FlowDetector
from workbench.evaluation import detection_metrics
from workbench.graph.analysis import GraphAnalysis
from workbench.graph.tables import SecurityGraph

__all__ = ["conn_records", "flat_baseline", "comparison_table"]

#: Columns of :func:`comparison_table`.
FIGURES = ("alerts", "recall", "precision", "fpr", "auroc")


def conn_records(graph: SecurityGraph) -> pd.DataFrame:
    """Canonical flow table of the graph's connections that have a conn.log record.

    Examples
    --------
    >>> from workbench.graph.build import build_graph
    >>> conn = pd.DataFrame({"ts": [1.0], "uid": ["C1"], "id.orig_h": ["10.0.0.2"],
    ...                      "id.resp_h": ["8.8.8.8"], "proto": ["udp"]})
    >>> conn_records(build_graph({"conn": conn}))["uid"].tolist()
    ['C1']
    """
    table = graph.connections()
    known = table[schema.ORIG_H].notna() if schema.ORIG_H in table else False
    return schema.conform(table[known].reset_index(drop=True), source="graph")


def flat_baseline(
    train: SecurityGraph,
    test: SecurityGraph,
    *,
    fpr: float = 0.01,
    epochs: int = 100,
    seed: int = 0,
    progress: bool = True,
) -> Analysis:
    """Train the flat detector on ``train``'s conn records; analyse ``test``'s."""
    autoencoder = AutoencoderDetector(
        max_epochs=epochs, fpr=fpr, seed=seed, progress=progress
    )
    detector = FlowDetector(autoencoder=autoencoder).fit(conn_records(train))
    return detector.analyse(conn_records(test))


def comparison_table(graph: GraphAnalysis, flat: Analysis) -> pd.DataFrame:
    """Alerts and labelled figures of both detectors on the connections both scored.

    Each detector is read at its own threshold; ``auroc`` compares the rankings
    without one. Figures are ``None`` where the connections carry no labels.
    """
    flat_scores = pd.DataFrame(
        {
            schema.UID: flat.flows[schema.UID].to_numpy(),
            "flat_score": flat.scores,
            "flat_alert": flat.alerts,
        }
    )
    both = graph.connections.assign(graph_alert=graph.alerts).merge(
        flat_scores, on=schema.UID, how="inner"
    )
    rows = []
    for name, alerts, scores in (
        ("graph autoencoder", both["graph_alert"], both["score"]),
        ("flat autoencoder", both["flat_alert"], both["flat_score"]),
    ):
        row = {"detector": name, "connections": len(both)}
        row.update(_figures(both, alerts.to_numpy(bool), scores.to_numpy(float)))
        rows.append(row)
    return pd.DataFrame(rows)


def _figures(table: pd.DataFrame, alerts: np.ndarray, scores: np.ndarray) -> dict:
    figures: dict[str, object] = {"alerts": int(alerts.sum())}
    if schema.LABEL not in table.columns:
        return {**figures, **dict.fromkeys(FIGURES[1:])}
    metrics = detection_metrics(table[schema.LABEL], alerts, scores)
    return {**figures, **{k: metrics[k] for k in FIGURES[1:]}}
