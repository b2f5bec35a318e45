"""The security-object graph of Zeek logs and an autoencoder over its edges (Sec2graph).

Reading a capture folder, building the graph, encoding edges, scoring connections
and converting to networkx live in one module each; this package re-exports their
public names. networkx is imported only by the conversion.
"""

from __future__ import annotations

from workbench.graph.build import build_graph, graph_from_logs
from workbench.graph.capture import GRAPH_LOGS, read_capture
from workbench.graph.tables import EDGE_TYPES, NODE_TYPES, SecurityGraph

__all__ = [
    "GRAPH_LOGS",
    "EDGE_TYPES",
    "NODE_TYPES",
    "SecurityGraph",
    "build_graph",
    "graph_from_logs",
    "read_capture",
]
