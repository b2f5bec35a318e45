"""A scored security graph: edge and connection scores, alerts, explanations.

:class:`GraphAnalysis` is what :meth:`workbench.graph.detect.GraphDetector.analyse`
returns. Scores are computed once, on the distinct edge vectors; explaining an alert
runs the network on its worst edge only. Training and thresholds live in
:mod:`workbench.graph.detect`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workbench import schema
from workbench.graph.tables import CONN, SecurityGraph, node_id

if TYPE_CHECKING:
    from workbench.graph.detect import GraphDetector

__all__ = ["GraphAnalysis", "Scored", "distinct_rows"]


@dataclass
class Scored:
    """Distinct edge vectors, their scores, and the map from edges to them.

    Internal to the graph detector; :class:`GraphAnalysis` is the public view.
    """

    detector: GraphDetector
    graph: SecurityGraph
    inputs: np.ndarray
    inverse: np.ndarray
    edge_scores: np.ndarray

    @classmethod
    def of(cls, detector: GraphDetector, graph: SecurityGraph) -> Scored:
        """Encode ``graph`` and score each distinct edge vector once."""
        X = detector.encoder.transform(graph)
        # Identical vectors are frequent: score each distinct one once.
        inputs, inverse = distinct_rows(X)
        ae = detector.autoencoder
        scores = ae.scores_from_errors(ae.errors(inputs), inputs)
        return cls(detector, graph, inputs, inverse, scores[inverse])

    def edge_errors(self, edges: np.ndarray) -> np.ndarray:
        """Signed errors of the given edge positions (runs the network on them)."""
        return self.detector.autoencoder.errors(self.inputs[self.inverse[edges]])

    def connection_scores(self) -> pd.DataFrame:
        """Per ``uid``: worst edge score, that edge's position, edge count, start."""
        table = pd.DataFrame(
            {
                schema.UID: self.graph.edges[schema.UID].to_numpy(),
                "score": self.edge_scores,
                "start": self.graph.connection_start().to_numpy(),
            }
        )
        table = table[table[schema.UID].notna()]
        groups = table.groupby(schema.UID, sort=False)
        worst = groups["score"].idxmax()
        return pd.DataFrame(
            {
                schema.UID: worst.index.astype("string"),
                "score": table["score"].loc[worst.to_numpy()].to_numpy(),
                "edge_id": worst.to_numpy(),
                "edges": groups.size().reindex(worst.index).to_numpy(),
                "start": groups["start"].min().reindex(worst.index).to_numpy(),
            }
        ).reset_index(drop=True)


def distinct_rows(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of a 0/1 matrix and, for each row, the position of its copy.

    Rows are packed to bits and hashed, which is much faster than ``np.unique``
    with ``axis=0`` on wide matrices.

    Examples
    --------
    >>> rows, inverse = distinct_rows(np.array([[0, 1], [1, 0], [0, 1]], np.uint8))
    >>> rows.tolist(), inverse.tolist()
    ([[0, 1], [1, 0]], [0, 1, 0])
    """
    packed = np.packbits(X, axis=1)
    codes, _ = pd.factorize(pd.Series([row.tobytes() for row in packed], dtype=object))
    first = np.unique(codes, return_index=True)[1]
    return X[first], codes.astype(np.int64)


class GraphAnalysis:
    """A scored graph: edge scores, connection scores, alerts and explanations.

    Attributes
    ----------
    graph : SecurityGraph
        The analysed graph; its edges gain ``edge_id`` and ``score`` columns.
    connections : pandas.DataFrame
        One row per connection, ordered by start time: ``uid``, ``score``,
        ``edge_id`` (its worst edge), ``edges``, ``start`` and the conn.log fields.
        Row positions are the alert ids. Label columns may be added.
    edge_scores : ndarray
        Score of every edge.
    """

    def __init__(
        self,
        detector: GraphDetector,
        graph: SecurityGraph,
        scored: Scored,
        connections: pd.DataFrame,
    ) -> None:
        self.detector = detector
        self.edge_scores = scored.edge_scores
        edges = graph.edges.assign(
            edge_id=np.arange(len(graph.edges)), score=self.edge_scores
        )
        self.graph = SecurityGraph(graph.nodes, edges)
        self.connections = connections
        self._scored = scored

    @property
    def distinct_edges(self) -> int:
        """Number of distinct edge vectors, each scored once."""
        return int(self._scored.inputs.shape[0])

    @property
    def scores(self) -> np.ndarray:
        """Connection scores, in the order of :attr:`connections`."""
        return self.connections["score"].to_numpy()

    @property
    def alerts(self) -> np.ndarray:
        """Boolean alert mask over connections at the current threshold."""
        return self.detector.threshold.alerts(self.scores)

    @property
    def alert_ids(self) -> np.ndarray:
        """Connection positions of the current alerts."""
        return np.flatnonzero(self.alerts)

    def explain(
        self,
        alert_ids: np.ndarray | list[int] | None = None,
        *,
        top: int | None = None,
        present_only: bool = False,
    ) -> pd.DataFrame:
        """AE-pvalues of the worst edge of each connection (default: every alert).

        Parameters
        ----------
        alert_ids : array-like of int, optional
            Connection positions; default: the current alerts.
        top : int, optional
            Keep the ``top`` best ranks per alert.
        present_only : bool, default False
            Rank only the bits set to 1: the attribute values the edge has (an
            unexpected value), leaving out values the model expected but did not see.

        Returns
        -------
        pandas.DataFrame
            The long table of :meth:`workbench.pvalues.AEPValues.explain`, with
            ``alert_id`` the connection position, plus ``edge_id`` and ``edge_type``.
        """
        ids = self.alert_ids if alert_ids is None else np.asarray(alert_ids, dtype=int)
        if ids.size and (ids.min() < 0 or ids.max() >= len(self.connections)):
            raise IndexError(f"alert ids must lie in [0, {len(self.connections)})")
        edges = self.connections["edge_id"].to_numpy()[ids]
        errors = self._scored.edge_errors(edges)
        values = self._scored.inputs[self._scored.inverse[edges]].astype(np.float64)
        table = self.detector.explainer.explain(
            self.detector.quantise(errors),
            feature_names=self.detector.feature_names,
            alert_ids=ids,
            values=values,
            reconstructions=values + errors,
            top=None if present_only else top,
        )
        if present_only:
            table = table[table["value"].eq(1.0)].copy()
            table["rank"] = table.groupby("alert_id").cumcount() + 1
            if top is not None:
                table = table[table["rank"] <= top]
            table = table.reset_index(drop=True)
        by_alert = pd.Series(edges, index=ids)
        table["edge_id"] = by_alert.reindex(table["alert_id"]).to_numpy()
        types = self.graph.edges["type"].to_numpy()
        table["edge_type"] = types[table["edge_id"].to_numpy()]
        return table

    def edges_of(self, alert_id: int) -> pd.DataFrame:
        """Edges of one connection, worst first."""
        uid = self.connections[schema.UID].iloc[alert_id]
        edges = self.graph.edges[self.graph.edges[schema.UID].eq(uid)]
        return edges.sort_values("score", ascending=False, kind="stable")

    def neighbourhood(
        self, alert_id: int, *, radius: int = 1, max_nodes: int = 40
    ) -> SecurityGraph:
        """The connection's node and its neighbours, edges with their scores."""
        uid = self.connections[schema.UID].iloc[alert_id]
        centre = node_id(CONN, pd.Series([uid], dtype="string")).iloc[0]
        return self.graph.neighbourhood([centre], radius=radius, max_nodes=max_nodes)
