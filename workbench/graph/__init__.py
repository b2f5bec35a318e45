"""The security-object graph of Zeek logs and an autoencoder over its edges (Sec2graph).

Reading a capture folder, building the graph, encoding edges, labelling and
converting to networkx are re-exported here. The detector
(:mod:`workbench.graph.detect`) and the job (:mod:`workbench.graph.run`) import
PyTorch, so they are imported from their modules; networkx only by the conversion.
"""

from __future__ import annotations

from workbench.graph.build import build_graph, graph_from_logs, merge_graphs
from workbench.graph.capture import GRAPH_LOGS, read_capture
from workbench.graph.convert import to_networkx
from workbench.graph.encode import EdgeEncoder
from workbench.graph.labels import LabelRule, label_connections
from workbench.graph.tables import EDGE_TYPES, NODE_TYPES, SecurityGraph

__all__ = [
    "GRAPH_LOGS",
    "EDGE_TYPES",
    "NODE_TYPES",
    "EdgeEncoder",
    "LabelRule",
    "SecurityGraph",
    "build_graph",
    "graph_from_logs",
    "label_connections",
    "merge_graphs",
    "read_capture",
    "to_networkx",
]
