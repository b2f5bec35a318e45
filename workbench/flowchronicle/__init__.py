"""FlowChronicle: synthetic flows from a pattern set mined under the MDL principle.

Prepare a canonical flow table (sessions, bins, codes), mine patterns whose windows
compress the records, build a generative model (JSON interchange format), describe and
edit it, and sample synthetic flows. Evaluation metrics live elsewhere.
"""

from __future__ import annotations

from workbench.flowchronicle.describe import describe_model, describe_pattern
from workbench.flowchronicle.edit import (
    duplicate_pattern,
    fix_cell,
    free_cell,
    remove_pattern,
    set_bandwidth,
    set_cpt_row,
    set_weight,
)
from workbench.flowchronicle.model import FlowModel, build_model
from workbench.flowchronicle.model_io import load_model, save_model
from workbench.flowchronicle.network import pattern_network
from workbench.flowchronicle.output import write_flows
from workbench.flowchronicle.prepare import PreparedFlows, prepare_flows
from workbench.flowchronicle.sample import sample_flows
from workbench.flowchronicle.search import MiningResult, SearchSettings, mine_patterns

__all__ = [
    "PreparedFlows",
    "prepare_flows",
    "MiningResult",
    "SearchSettings",
    "mine_patterns",
    "FlowModel",
    "build_model",
    "save_model",
    "load_model",
    "describe_model",
    "describe_pattern",
    "set_weight",
    "remove_pattern",
    "duplicate_pattern",
    "fix_cell",
    "free_cell",
    "set_cpt_row",
    "set_bandwidth",
    "pattern_network",
    "sample_flows",
    "write_flows",
]
