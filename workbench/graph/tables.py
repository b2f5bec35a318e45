"""The security-object graph as two tidy tables, nodes and edges, and their vocabulary.

A node is one security object (address, connection, domain, URI, user agent,
certificate, file) keyed by identity; an edge is one typed, timestamped relation
created by one log record. This module defines the type names and columns and the
table operations (counts, degrees, slices, neighbourhoods). It does not read logs
(:mod:`workbench.graph.build`) and does not encode or score anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench import schema
from workbench.errors import SchemaError

__all__ = [
    "NODE_ID",
    "NODE_TYPE",
    "NODE_KEY",
    "EDGE_TYPE",
    "SRC",
    "DST",
    "IP",
    "CONN",
    "DOMAIN",
    "URI",
    "USER_AGENT",
    "CERT",
    "FILE",
    "NODE_TYPES",
    "EDGE_TYPES",
    "EDGE_ENDPOINTS",
    "node_id",
    "deduplicate_edges",
    "SecurityGraph",
]

NODE_ID = "node_id"
NODE_TYPE = "type"
NODE_KEY = "key"
EDGE_TYPE = "type"
SRC = "src"
DST = "dst"

IP = "IP"
CONN = "Conn"
DOMAIN = "Domain"
URI = "URI"
USER_AGENT = "UserAgent"
CERT = "Cert"
FILE = "File"
NODE_TYPES: tuple[str, ...] = (IP, CONN, DOMAIN, URI, USER_AGENT, CERT, FILE)

#: Edge type -> (source node types, destination node types), as in the spec's table.
EDGE_ENDPOINTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "orig": ((IP,), (CONN,)),
    "resp": ((CONN,), (IP,)),
    "queries": ((CONN,), (DOMAIN,)),
    "resolves_to": ((DOMAIN,), (IP,)),
    "requests": ((CONN,), (URI,)),
    "on_host": ((URI,), (DOMAIN, IP)),
    "with_ua": ((CONN,), (USER_AGENT,)),
    "sni": ((CONN,), (DOMAIN,)),
    "presents": ((CONN,), (CERT,)),
    "issued_for": ((CERT,), (DOMAIN,)),
    "transfers": ((CONN,), (FILE,)),
}
EDGE_TYPES: tuple[str, ...] = tuple(EDGE_ENDPOINTS)

_EDGE_KEY = [EDGE_TYPE, SRC, DST, schema.UID]


def node_id(node_type: str, keys: pd.Series) -> pd.Series:
    """Node identifiers ``"<type>:<key>"`` of identity keys (missing stays missing).

    Examples
    --------
    >>> node_id(IP, pd.Series(["10.0.0.1", None], dtype="string")).tolist()
    ['IP:10.0.0.1', <NA>]
    """
    return (node_type + ":" + keys.astype("string")).astype("string")


@dataclass(frozen=True, eq=False)
class SecurityGraph:
    """A typed directed multigraph of security objects, as a nodes and an edges table.

    Parameters
    ----------
    nodes : pandas.DataFrame
        One row per node: ``node_id``, ``type``, ``key`` and attribute columns (those
        of other node types are missing).
    edges : pandas.DataFrame
        One row per edge: ``type``, ``src``, ``dst``, ``ts``, ``uid`` (the log record
        that created it) and the record's attribute columns.

    Examples
    --------
    >>> nodes = pd.DataFrame({"node_id": ["IP:a", "Conn:C1"], "type": ["IP", "Conn"],
    ...                       "key": ["a", "C1"]})
    >>> edges = pd.DataFrame({"type": ["orig"], "src": ["IP:a"], "dst": ["Conn:C1"],
    ...                       "ts": [1.0], "uid": ["C1"]})
    >>> g = SecurityGraph(nodes, edges)
    >>> g.counts()["count"].tolist()
    [1, 1, 1]
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame

    def __post_init__(self) -> None:
        missing_n = {NODE_ID, NODE_TYPE, NODE_KEY} - set(self.nodes.columns)
        missing_e = {EDGE_TYPE, SRC, DST, schema.TS, schema.UID} - set(
            self.edges.columns
        )
        if missing_n or missing_e:
            raise SchemaError(
                f"a security graph needs node columns {sorted(missing_n)} and edge "
                f"columns {sorted(missing_e)}, which are missing; build it with "
                "workbench.graph.build_graph."
            )

    def __repr__(self) -> str:
        return f"SecurityGraph({len(self.nodes)} nodes, {len(self.edges)} edges)"

    def counts(self) -> pd.DataFrame:
        """Nodes per node type and edges per edge type, in the canonical type order.

        Returns
        -------
        pandas.DataFrame
            Columns ``table`` (``"node"`` or ``"edge"``), ``type`` and ``count``; types
            that do not occur are left out.
        """
        parts = []
        for table, frame, order in (
            ("node", self.nodes, NODE_TYPES),
            ("edge", self.edges, EDGE_TYPES),
        ):
            counts = frame[NODE_TYPE].value_counts()
            present = [t for t in order if t in counts.index]
            parts.append(
                pd.DataFrame(
                    {
                        "table": table,
                        "type": present,
                        "count": counts.reindex(present).to_numpy(dtype=int),
                    }
                )
            )
        return pd.concat(parts, ignore_index=True)

    def degrees(self) -> pd.DataFrame:
        """In-, out- and total degree of every node (parallel edges counted).

        Returns
        -------
        pandas.DataFrame
            Columns ``node_id``, ``type``, ``in_degree``, ``out_degree``, ``degree``.
        """
        out = self.edges[SRC].value_counts()
        into = self.edges[DST].value_counts()
        table = self.nodes[[NODE_ID, NODE_TYPE]].reset_index(drop=True)
        table["in_degree"] = into.reindex(table[NODE_ID]).fillna(0).to_numpy(int)
        table["out_degree"] = out.reindex(table[NODE_ID]).fillna(0).to_numpy(int)
        table["degree"] = table["in_degree"] + table["out_degree"]
        return table

    def connections(self) -> pd.DataFrame:
        """The connection nodes, one row per ``uid``, with their conn.log fields."""
        conns = self.nodes[self.nodes[NODE_TYPE].eq(CONN)]
        table = conns.rename(columns={NODE_KEY: schema.UID}).reset_index(drop=True)
        drop = [c for c in table.columns if table[c].isna().all() and c != schema.TS]
        return table.drop(columns=[NODE_ID, NODE_TYPE, *drop])

    def with_edges(self, mask: np.ndarray | pd.Series) -> SecurityGraph:
        """The graph restricted to the edges in ``mask`` and the nodes they touch."""
        edges = self.edges[np.asarray(mask, dtype=bool)].reset_index(drop=True)
        touched = pd.concat([edges[SRC], edges[DST]]).unique()
        nodes = self.nodes[self.nodes[NODE_ID].isin(touched)].reset_index(drop=True)
        return SecurityGraph(nodes, edges)

    def connection_start(self) -> pd.Series:
        """Start of the connection that created each edge (else the edge's time)."""
        conns = self.nodes[self.nodes[NODE_TYPE].eq(CONN)]
        start = pd.Series(
            conns[schema.TS].to_numpy(dtype=float) if schema.TS in conns else np.nan,
            index=conns[NODE_KEY].to_numpy(),
        )
        by_uid = start.reindex(self.edges[schema.UID].to_numpy()).to_numpy()
        edge_ts = self.edges[schema.TS].to_numpy(dtype=float)
        return pd.Series(np.where(np.isnan(by_uid), edge_ts, by_uid), name="start")

    def time_slice(
        self, start: float | None = None, end: float | None = None
    ) -> SecurityGraph:
        """Edges of the connections that start in ``[start, end)`` (epoch seconds).

        A connection keeps all its edges, even those logged after ``end``, so that a
        training slice never holds half a connection.
        """
        when = self.connection_start().to_numpy()
        keep = np.ones(len(when), dtype=bool)
        if start is not None:
            keep &= when >= start
        if end is not None:
            keep &= when < end
        return self.with_edges(keep)

    def neighbourhood(
        self, centre: Iterable[str], *, radius: int = 1, max_nodes: int = 40
    ) -> SecurityGraph:
        """Nodes within ``radius`` hops of ``centre`` (either direction), capped.

        Parameters
        ----------
        centre : iterable of str
            Node ids to start from.
        radius : int, default 1
            Hops to follow.
        max_nodes : int, default 40
            At most this many nodes, nearest first and, at equal distance, those
            reached through low-degree nodes first, so a drawing stays readable.

        Returns
        -------
        SecurityGraph
            The induced subgraph on the nodes kept.
        """
        kept = list(dict.fromkeys(centre))
        unknown = set(kept) - set(self.nodes[NODE_ID])
        if unknown:
            raise KeyError(f"no node {sorted(unknown)[0]!r} in this graph")
        degree = pd.concat([self.edges[SRC], self.edges[DST]]).value_counts()
        frontier = kept
        for _ in range(radius):
            found = self._neighbours(frontier, degree)
            seen = set(kept)
            frontier = [n for n in found if n not in seen]
            frontier = frontier[: max(0, max_nodes - len(kept))]
            kept += frontier
        inside = self.edges[SRC].isin(kept) & self.edges[DST].isin(kept)
        nodes = self.nodes[self.nodes[NODE_ID].isin(kept)].reset_index(drop=True)
        return SecurityGraph(nodes, self.edges[inside].reset_index(drop=True))

    def _neighbours(self, frontier: list[str], degree: pd.Series) -> list[str]:
        # Neighbours reached through low-degree nodes come first, so that a hub
        # (the monitored host) does not fill the drawing on its own.
        links = []
        for near, far in ((SRC, DST), (DST, SRC)):
            hit = self.edges[near].isin(frontier)
            links.append(
                pd.DataFrame(
                    {
                        "via": self.edges.loc[hit, near].to_numpy(),
                        "node": self.edges.loc[hit, far].to_numpy(),
                    }
                )
            )
        table = pd.concat(links, ignore_index=True)
        table["rank"] = degree.reindex(table["via"]).to_numpy()
        table = table.sort_values("rank", kind="stable")
        return list(dict.fromkeys(table["node"]))

    def to_networkx(self) -> object:
        """The graph as a :class:`networkx.MultiDiGraph` (needs the graph extra)."""
        from workbench.graph.convert import to_networkx

        return to_networkx(self)


def deduplicate_edges(edges: pd.DataFrame) -> pd.DataFrame:
    """Keep the earliest of identical (type, source, destination, uid) edges."""
    ordered = edges.sort_values(schema.TS, kind="stable", na_position="last")
    return ordered.drop_duplicates(_EDGE_KEY, keep="first").reset_index(drop=True)
