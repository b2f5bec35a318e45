"""Pick an alerted connection to see its graph neighbourhood and its p-value bars.

The explorer reads a :class:`workbench.graph.GraphAnalysis`: it never rescores the
graph (explaining one edge runs the network on that edge only). Picking an alert in
the list and :meth:`GraphAlertExplorer.select` run the same code, so a notebook run by
papermill shows what a click would. It does not move the threshold.
"""

from __future__ import annotations

import html

import ipywidgets
import numpy as np
import pandas as pd
import traitlets

from widgets._display import message_chart, offline_chart
from workbench import charts, schema
from workbench.graph.analysis import GraphAnalysis
from workbench.graph.charts import neighbourhood_chart
from workbench.graph.tables import CONN, SecurityGraph

__all__ = ["GraphAlertExplorer"]

_EDGE_COLUMNS = ["type", "src", "dst", "score"]


class GraphAlertExplorer(ipywidgets.VBox):
    """Alert list; the picked alert's neighbourhood drawing, p-value bars and edges.

    Parameters
    ----------
    analysis : GraphAnalysis
        A scored graph.
    max_alerts : int, default 200
        Highest-scoring alerts listed.
    radius : int, default 2
        Hops drawn around the alert's connection.
    max_nodes : int, default 16
        Nodes drawn at most.
    top : int, default 10
        Attributes per bar chart.

    Attributes
    ----------
    alert_list : ipywidgets.Select
        One entry per alert, highest score first; its value is the alert id.
    drawing : altair.JupyterChart
        The neighbourhood, edges shaded by score.
    bars : altair.JupyterChart
        P-value bars beside absolute-error bars of the alert's worst edge.
    edge_table : ipywidgets.HTML
        The alert connection's edges, worst first.
    selected_alert_id : int or None
        Connection position shown, ``None`` when nothing is shown.
    status : str
        One line on what is shown, or why nothing is.
    explanation : pandas.DataFrame
        AE-pvalues explanation of the worst edge, every attribute.
    neighbourhood : SecurityGraph or None
        The graph drawn.
    """

    selected_alert_id = traitlets.Int(None, allow_none=True)
    status = traitlets.Unicode("")

    def __init__(
        self,
        analysis: GraphAnalysis,
        *,
        max_alerts: int = 200,
        radius: int = 2,
        max_nodes: int = 16,
        top: int = 10,
    ) -> None:
        self.alert_list = ipywidgets.Select(
            options=[], rows=10, layout=ipywidgets.Layout(width="560px")
        )
        self.message = ipywidgets.HTML()
        self.drawing = offline_chart(message_chart("pick an alert"))
        self.bars = offline_chart(message_chart("pick an alert"))
        self.edge_table = ipywidgets.HTML()
        super().__init__(
            children=[
                self.message,
                ipywidgets.HBox([self.alert_list, self.drawing]),
                self.bars,
                self.edge_table,
            ]
        )

        self._analysis = analysis
        self._max_alerts = max_alerts
        self._radius = radius
        self._max_nodes = max_nodes
        self._top = top
        self.explanation = pd.DataFrame()
        self.neighbourhood: SecurityGraph | None = None
        self.observe(self._on_status, names="status")
        self.alert_list.observe(self._on_pick, names="value")
        self.refresh()

    def refresh(self) -> None:
        """List the current alerts again (after the threshold moved)."""
        ids = self._analysis.alert_ids
        ids = ids[np.argsort(-self._analysis.scores[ids], kind="stable")]
        ids = ids[: self._max_alerts]
        with self.alert_list.hold_trait_notifications():
            self.alert_list.options = [(self._entry(i), int(i)) for i in ids]
        if ids.size == 0:
            self._clear("no alerts at this threshold: lower it to see some")
        elif self.alert_list.value is None:
            self._clear(f"{ids.size} alerts listed: pick one")

    def _entry(self, alert_id: int) -> str:
        row = self._analysis.connections.iloc[alert_id]
        parts = [f"{row['score']:.4g}"]
        for field in (schema.PROTO, schema.ORIG_H, schema.RESP_H, schema.RESP_P):
            value = row.get(field)
            parts.append("-" if value is None or pd.isna(value) else str(value))
        label = row.get(schema.DETAILED_LABEL)
        if label is None or pd.isna(label):
            label = row.get(schema.LABEL)
        tag = "" if label is None or pd.isna(label) else f"  [{label}]"
        return f"{parts[0]}  {parts[1]} {parts[2]} -> {parts[3]}:{parts[4]}{tag}"

    def select(self, alert_id: int | None = None) -> int | None:
        """Show ``alert_id`` (default: the highest-scoring alert), as a pick would.

        Raises
        ------
        IndexError
            If ``alert_id`` is not a listed alert.
        """
        listed = [value for _, value in self.alert_list.options]
        if alert_id is None:
            if not listed:
                return None
            alert_id = listed[0]
        if alert_id not in listed:
            raise IndexError(
                f"connection {alert_id} is not a listed alert; pick one of the "
                f"{len(listed)} listed (highest score first) or lower the threshold"
            )
        if self.alert_list.value == alert_id:
            self._show(alert_id)
        self.alert_list.value = int(alert_id)
        return self.selected_alert_id

    def _on_pick(self, change: dict) -> None:
        if change["new"] is not None:
            self._show(int(change["new"]))

    def _show(self, alert_id: int) -> None:
        analysis = self._analysis
        uid = analysis.connections[schema.UID].iloc[alert_id]
        self.explanation = analysis.explain([alert_id])
        self.neighbourhood = analysis.neighbourhood(
            alert_id, radius=self._radius, max_nodes=self._max_nodes
        )
        self.drawing.chart = neighbourhood_chart(
            self.neighbourhood, centre=f"{CONN}:{uid}"
        )
        self.bars.chart = charts.alert_bars(self.explanation, top=self._top)
        edges = analysis.edges_of(alert_id)[_EDGE_COLUMNS]
        self.edge_table.value = edges.to_html(index=False, float_format="{:.4g}".format)
        worst = self.explanation["edge_type"].iloc[0]
        with self.hold_trait_notifications():
            self.selected_alert_id = int(alert_id)
            self.status = (
                f"connection {uid}: score {analysis.scores[alert_id]:.4g} "
                f"(threshold {analysis.detector.threshold.value:.4g}), worst edge "
                f"'{worst}'"
            )

    def _clear(self, reason: str) -> None:
        self.explanation = pd.DataFrame()
        self.neighbourhood = None
        self.drawing.chart = message_chart(reason)
        self.bars.chart = message_chart(reason)
        self.edge_table.value = ""
        with self.hold_trait_notifications():
            self.selected_alert_id = None
            self.status = reason

    def _on_status(self, change: dict) -> None:
        self.message.value = f"<i>{html.escape(change['new'])}</i>"
