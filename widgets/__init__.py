"""Notebook panels of the workbench labs, thin layers over the core's plain data.

Panels hold no model logic: they call the core (thresholds, explanations, charts) and
show the result. Charts render offline (Altair's JupyterChart with vl-convert).
"""

from __future__ import annotations

from widgets._display import enable_offline
from widgets.alert_explorer import AlertExplorer
from widgets.graph_explorer import GraphAlertExplorer
from widgets.pattern_editor import PatternEditor
from widgets.threshold_panel import ThresholdPanel

__all__ = [
    "AlertExplorer",
    "GraphAlertExplorer",
    "PatternEditor",
    "ThresholdPanel",
    "enable_offline",
]
