"""Convert the security-object graph to networkx, and lay out small graphs to draw.

networkx (the ``graph`` extra) is imported inside these functions only, so the rest
of the package works without it. Nothing here scores or draws; the Altair drawing
is :func:`workbench.graph.charts.neighbourhood_chart`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.graph.tables import DST, NODE_ID, SRC, SecurityGraph

__all__ = ["to_networkx", "layout"]

#: Largest graph :func:`layout` accepts: a drawing of more nodes is unreadable.
MAX_LAYOUT_NODES = 500


def _networkx() -> object:
    try:
        import networkx
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "converting the graph needs networkx; install the graph extra: "
            "pip install 'netsec-workbench[graph]'"
        ) from exc
    return networkx


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def to_networkx(graph: SecurityGraph) -> object:
    """The graph as a :class:`networkx.MultiDiGraph`.

    Nodes carry their non-missing attributes; each edge carries its columns and the
    key of its row position.

    Examples
    --------
    >>> nodes = pd.DataFrame({"node_id": ["IP:a", "Conn:C1"], "type": ["IP", "Conn"],
    ...                       "key": ["a", "C1"]})
    >>> edges = pd.DataFrame({"type": ["orig"], "src": ["IP:a"], "dst": ["Conn:C1"],
    ...                       "ts": [1.0], "uid": ["C1"]})
    >>> g = to_networkx(SecurityGraph(nodes, edges))
    >>> g.number_of_nodes(), g.number_of_edges(), g.nodes["IP:a"]["type"]
    (2, 1, 'IP')
    """
    nx = _networkx()
    multigraph = nx.MultiDiGraph()
    for record in graph.nodes.to_dict(orient="records"):
        attributes = {k: _plain(v) for k, v in record.items() if not _missing(v)}
        multigraph.add_node(attributes.pop(NODE_ID), **attributes)
    for position, record in enumerate(graph.edges.to_dict(orient="records")):
        attributes = {k: _plain(v) for k, v in record.items() if not _missing(v)}
        source, target = attributes.pop(SRC), attributes.pop(DST)
        multigraph.add_edge(source, target, key=position, **attributes)
    return multigraph


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, tuple) and bool(pd.isna(value)))


def layout(graph: SecurityGraph, *, seed: int = 0) -> pd.DataFrame:
    """Spring-layout positions of the nodes of a small graph.

    Returns
    -------
    pandas.DataFrame
        The nodes table with ``x`` and ``y`` columns added.

    Raises
    ------
    ValueError
        If the graph has more than :data:`MAX_LAYOUT_NODES` nodes; draw a
        neighbourhood (:meth:`SecurityGraph.neighbourhood`) instead.
    """
    if len(graph.nodes) > MAX_LAYOUT_NODES:
        raise ValueError(
            f"the graph has {len(graph.nodes)} nodes; drawings take at most "
            f"{MAX_LAYOUT_NODES}. Draw a neighbourhood of an alert instead."
        )
    nx = _networkx()
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes[NODE_ID])
    simple.add_edges_from(zip(graph.edges[SRC], graph.edges[DST], strict=True))
    positions = nx.spring_layout(simple, seed=seed) if len(simple) else {}
    table = graph.nodes.reset_index(drop=True).copy()
    table["x"] = [float(positions[n][0]) for n in table[NODE_ID]]
    table["y"] = [float(positions[n][1]) for n in table[NODE_ID]]
    return table
