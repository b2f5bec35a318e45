"""Small helpers the graph builders share: columns that may be absent, edge frames.

A :class:`Part` collects what one log contributes (node keys with attributes, and
edges) before :func:`workbench.graph.build.build_graph` merges all parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench import schema
from workbench.graph.tables import DST, EDGE_TYPE, NODE_KEY, SRC

__all__ = ["Part", "column", "edge_frame"]


def column(frame: pd.DataFrame, name: str, dtype: str | None = "string") -> pd.Series:
    """Column ``name`` of ``frame`` as ``dtype``, or an all-missing column if absent.

    ``dtype=None`` keeps the values as they are (tuples of container fields).

    Examples
    --------
    >>> column(pd.DataFrame({"a": [1]}), "b").tolist()
    [<NA>]
    """
    if name in frame.columns:
        values = frame[name].reset_index(drop=True)
        return values if dtype is None else values.astype(dtype)
    if dtype is None:
        return pd.Series([None] * len(frame), dtype=object)
    if dtype == "float64":
        return pd.Series(np.full(len(frame), np.nan))
    return pd.Series([pd.NA] * len(frame), dtype=dtype)


def edge_frame(
    edge_type: str,
    src: pd.Series,
    dst: pd.Series,
    ts: pd.Series,
    uid: pd.Series,
    **attributes: pd.Series,
) -> pd.DataFrame:
    """Edges of one type; rows with a missing endpoint are dropped.

    Examples
    --------
    >>> s = pd.Series
    >>> edge_frame("orig", s(["IP:a", None]), s(["Conn:C1", "Conn:C2"]),
    ...            s([1.0, 2.0]), s(["C1", "C2"]))["dst"].tolist()
    ['Conn:C1']
    """
    frame = pd.DataFrame(
        {
            EDGE_TYPE: edge_type,
            SRC: src.astype("string").to_numpy(),
            DST: dst.astype("string").to_numpy(),
            schema.TS: pd.Series(ts).astype("float64").to_numpy(),
            schema.UID: uid.astype("string").to_numpy(),
            **{k: v.astype("string").to_numpy() for k, v in attributes.items()},
        }
    )
    return frame[frame[SRC].notna() & frame[DST].notna()]


@dataclass
class Part:
    """Nodes (keys and attributes, by node type) and edges found in one log."""

    nodes: dict[str, list[pd.DataFrame]] = field(default_factory=dict)
    edges: list[pd.DataFrame] = field(default_factory=list)

    def add_nodes(
        self, node_type: str, keys: pd.Series, attributes: pd.DataFrame
    ) -> None:
        """Record nodes with attributes (rows aligned with ``keys``)."""
        table = attributes.reset_index(drop=True).copy()
        table.insert(0, NODE_KEY, keys.astype("string").to_numpy())
        self.nodes.setdefault(node_type, []).append(table)

    def add_keys(self, node_type: str, *keys: pd.Series) -> None:
        """Record nodes known by their key only."""
        for values in keys:
            table = pd.DataFrame({NODE_KEY: values.astype("string").to_numpy()})
            self.nodes.setdefault(node_type, []).append(table)

    def add_edges(self, edges: pd.DataFrame) -> None:
        """Record edges built by :func:`edge_frame`."""
        self.edges.append(edges)

    def edge_table(self) -> pd.DataFrame:
        """All edges of this part in one table."""
        return pd.concat(self.edges, ignore_index=True)
