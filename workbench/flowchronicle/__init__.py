"""FlowChronicle: synthetic flows from a pattern set mined under the MDL principle.

Prepare a canonical flow table (sessions, bins, codes), mine patterns whose windows
compress the records, build a generative model (JSON interchange format), describe and
edit it, and sample synthetic flows. Evaluation metrics live elsewhere.
"""

from __future__ import annotations

from workbench.flowchronicle.prepare import PreparedFlows, prepare_flows
from workbench.flowchronicle.search import MiningResult, SearchSettings, mine_patterns

__all__ = [
    "PreparedFlows",
    "prepare_flows",
    "MiningResult",
    "SearchSettings",
    "mine_patterns",
]
