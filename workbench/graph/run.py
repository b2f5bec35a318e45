"""The graph detection job: build graphs, train, score, compare, write results.

``run_graph_detection`` is what ``workbench graph-detect`` and the graph notebook
both call; it keeps everything in memory, and ``write_graph_outputs`` writes the same
files as ``workbench detect``: ``alerts.csv``, ``explanations.csv``,
``metrics.json`` and ``model/``. Drawing happens elsewhere.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from workbench import schema
from workbench.detection_run import TOP_FEATURES, add_top_features
from workbench.detector import Analysis
from workbench.errors import SchemaError
from workbench.evaluation import detection_metrics
from workbench.graph.analysis import GraphAnalysis
from workbench.graph.build import graph_from_logs, merge_graphs
from workbench.graph.compare import comparison_table, flat_baseline
from workbench.graph.detect import GraphDetector, default_autoencoder
from workbench.graph.labels import LabelRule, label_connections
from workbench.graph.tables import DST, SRC, SecurityGraph

__all__ = [
    "GraphRun",
    "load_graph",
    "run_graph_detection",
    "graph_alert_table",
    "write_graph_outputs",
]

logger = logging.getLogger(__name__)

#: Identity fields of an alert row, when the connection has a conn.log record.
_IDENTITY = (*schema.FLOW_ID_FIELDS, *schema.LABEL_FIELDS)

GraphSource = SecurityGraph | str | Path | Sequence[str | Path]


def load_graph(
    source: GraphSource, *, on_bad_lines: str = "error", progress: bool = True
) -> SecurityGraph:
    """A graph as given, or built from one or several folders of Zeek logs."""
    if isinstance(source, SecurityGraph):
        return source
    folders = [source] if isinstance(source, str | Path) else list(source)
    if not folders:
        raise SchemaError("no log folder given; pass at least one folder of Zeek logs")
    graphs = [
        graph_from_logs(f, on_bad_lines=on_bad_lines, progress=progress)
        for f in folders
    ]
    return merge_graphs(graphs)


@dataclass
class GraphRun:
    """Everything one graph detection job produced, before it is written out."""

    detector: GraphDetector
    analysis: GraphAnalysis
    train_graph: SecurityGraph
    flat: Analysis | None = None
    settings: dict[str, object] = field(default_factory=dict)

    def comparison(self) -> pd.DataFrame:
        """Graph vs flat detector on the same connections (empty without flat)."""
        if self.flat is None:
            return pd.DataFrame()
        return comparison_table(self.analysis, self.flat)

    def score_summary(self) -> pd.DataFrame:
        """Connections, alerts and scores per label, in and after the training period.

        Rows are labelled by ``detailed_label`` (``benign`` when unset; ``all``
        without labels) and by whether the connection starts before
        ``train_before``: the training period holds the training and held-out
        connections when train and test are the same capture.
        """
        table = self.analysis.connections
        if schema.DETAILED_LABEL in table:
            group = table[schema.DETAILED_LABEL].fillna(schema.BENIGN)
        else:
            group = pd.Series("all", index=table.index)
        cut = self.settings.get("train_before")
        after = np.ones(len(table), dtype=bool)
        if cut is not None:
            after = table["start"].to_numpy(dtype=float) >= float(cut)
        frame = pd.DataFrame(
            {
                "label": group.to_numpy(),
                "period": np.where(after, "after training", "training period"),
                "score": self.analysis.scores,
                "alert": self.analysis.alerts,
            }
        )
        summary = frame.groupby(["label", "period"]).agg(
            connections=("score", "size"),
            alerts=("alert", "sum"),
            median_score=("score", "median"),
            max_score=("score", "max"),
        )
        return summary.reset_index()

    def metrics(self) -> dict[str, object]:
        """Sizes, threshold and labelled figures, as written to ``metrics.json``."""
        threshold = self.detector.threshold
        connections = self.analysis.connections
        figures: dict[str, object] = {
            **self.settings,
            **self.detector.summary_,
            "test_connections": len(connections),
            "test_edges": len(self.analysis.graph.edges),
            "test_nodes": len(self.analysis.graph.nodes),
            "alerts": int(self.analysis.alerts.sum()),
            "threshold": threshold.value,
            "target_fpr": threshold.fpr,
            "reference_fpr": threshold.reference_fpr,
            "encoder_width": self.detector.encoder.n_features_,
            "graph": {
                "train": _counts(self.train_graph),
                "test": _counts(self.analysis.graph),
            },
        }
        if _labelled(connections):
            figures["autoencoder"] = detection_metrics(
                connections[schema.LABEL],
                self.analysis.alerts,
                self.analysis.scores,
                connections[schema.DETAILED_LABEL],
            )
        figures["score_summary"] = self.score_summary().to_dict(orient="records")
        if self.flat is not None:
            figures["flat_alerts"] = int(self.flat.alerts.sum())
            figures["comparison"] = self.comparison().to_dict(orient="records")
        return figures


def _counts(graph: SecurityGraph) -> dict[str, dict[str, int]]:
    table = graph.counts()
    return {
        kind: dict(zip(part["type"], part["count"].astype(int).tolist(), strict=True))
        for kind, part in table.groupby("table")
    }


def _labelled(connections: pd.DataFrame) -> bool:
    return schema.LABEL in connections and connections[schema.LABEL].notna().any()


def run_graph_detection(
    train: GraphSource,
    test: GraphSource,
    *,
    train_before: float | None = None,
    rules: Sequence[LabelRule] = (),
    fpr: float = 0.01,
    epochs: int = 50,
    seed: int = 0,
    flat: bool = True,
    on_bad_lines: str = "error",
    progress: bool = True,
) -> GraphRun:
    """Train the graph detector on benign connections and score the test capture.

    Parameters
    ----------
    train, test : SecurityGraph, folder or folders of Zeek logs
        Training and test captures (several training folders are merged).
    train_before : float, optional
        Train only on connections that start before this time (epoch seconds).
    rules : sequence of LabelRule
        Label the connections; matching training connections are left out of
        training.
    fpr : float, default 0.01
        Target false-positive rate over held-out benign connections.
    epochs, seed, progress
        Training settings of the autoencoder(s).
    flat : bool, default True
        Also train the flat conn-only detector on the same connections.
    on_bad_lines : {"error", "skip"}
        How malformed log lines are handled.
    """
    read = {"on_bad_lines": on_bad_lines, "progress": progress}
    full_train, test_graph = load_graph(train, **read), load_graph(test, **read)
    train_graph = full_train.time_slice(end=train_before)
    train_graph, excluded = _without_attacks(train_graph, rules)

    autoencoder = default_autoencoder(epochs=epochs, seed=seed, progress=progress)
    detector = GraphDetector(autoencoder=autoencoder, fpr=fpr).fit(train_graph)
    analysis = detector.analyse(test_graph)
    analysis.connections = label_connections(analysis.connections, list(rules))
    baseline = None
    if flat:
        baseline = flat_baseline(
            train_graph,
            test_graph,
            fpr=fpr,
            epochs=2 * epochs,
            seed=seed,
            progress=progress,
        )
    settings = {
        "train_before": train_before,
        "attack_connections_left_out_of_training": excluded,
        "labels": [rule.name for rule in rules],
    }
    return GraphRun(detector, analysis, train_graph, baseline, settings)


def _without_attacks(
    graph: SecurityGraph, rules: Sequence[LabelRule]
) -> tuple[SecurityGraph, int]:
    if not rules:
        return graph, 0
    labelled = label_connections(graph.connections(), list(rules))
    attack = labelled.loc[labelled[schema.LABEL].eq(schema.MALICIOUS), schema.UID]
    if attack.empty:
        return graph, 0
    logger.info("leaving %d labelled attack connections out of training", len(attack))
    keep = ~graph.edges[schema.UID].isin(set(attack)).to_numpy()
    return graph.with_edges(keep), int(len(attack))


def graph_alert_table(
    analysis: GraphAnalysis, explanations: pd.DataFrame
) -> pd.DataFrame:
    """One row per alert: connection identity, score, worst edge, top attributes.

    ``explanations`` should rank present attributes only
    (``analysis.explain(present_only=True)``), so that ``feature_1`` names a
    value the edge has.
    """
    ids = analysis.alert_ids
    connections = analysis.connections.iloc[ids]
    identity = [c for c in _IDENTITY if c in connections.columns]
    table = connections[identity].reset_index(drop=True)
    table.insert(0, "alert_id", ids)
    table["score"] = analysis.scores[ids]
    threshold = analysis.detector.threshold
    table["p_instance"] = threshold.instance_pvalues(analysis.scores[ids])
    edges = analysis.graph.edges.iloc[connections["edge_id"].to_numpy()]
    table["edge_type"] = edges["type"].to_numpy()
    table["edge_src"] = edges[SRC].to_numpy()
    table["edge_dst"] = edges[DST].to_numpy()

    return add_top_features(table, explanations, ids)


def write_graph_outputs(
    run: GraphRun, out: str | Path, *, explain_top: int | None = 10
) -> dict[str, object]:
    """Write alerts, explanations, metrics and the model; return the metrics."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    explanations = run.analysis.explain(top=explain_top)
    present = run.analysis.explain(top=TOP_FEATURES, present_only=True)
    graph_alert_table(run.analysis, present).to_csv(out / "alerts.csv", index=False)
    explanations.to_csv(out / "explanations.csv", index=False)
    metrics = run.metrics()
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2, default=_plain))
    run.detector.save(out / "model")
    return metrics


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if value is pd.NA:
        return None
    raise TypeError(f"cannot write {type(value).__name__} to metrics.json")
