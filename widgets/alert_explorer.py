"""Click an alert to see why it was raised: p-values, absolute errors and its flow.

The explorer reads the stored errors of an analysis and explains one flow at a time;
it never rescores. A click on the scatter and :meth:`AlertExplorer.select` run the same
code, so a notebook run by papermill shows what a click would. It does not move the
threshold (see :class:`widgets.ThresholdPanel`).
"""

from __future__ import annotations

import html

import ipywidgets
import numpy as np
import pandas as pd
import traitlets

from widgets._display import message_chart, offline_chart
from workbench import charts, schema
from workbench.detector import Analysis

__all__ = ["AlertExplorer"]


class AlertExplorer(ipywidgets.VBox):
    """Alert scatter with an ``alert`` selection, and the selected alert's evidence.

    Parameters
    ----------
    analysis : Analysis
        A scored flow table.
    max_alerts : int, default 500
        Highest-scoring alerts drawn in the scatter (keeps the chart light).
    top : int, default 10
        Features drawn per bar chart.

    Attributes
    ----------
    scatter : altair.JupyterChart
        The alerts; its selection :data:`workbench.charts.ALERT_SELECTION` drives the
        rest.
    bars : altair.JupyterChart
        P-value bars beside absolute-error bars of the selected alert.
    flow_table : ipywidgets.HTML
        The selected flow's fields.
    refresh_button : ipywidgets.Button
        Redraws the scatter after the threshold moved.
    selected_alert_id : int or None
        Row position of the flow shown, ``None`` when nothing is shown.
    is_alert : bool
        Whether that flow is an alert at the current threshold.
    status : str
        One line on what is shown, or why nothing is.
    explanation : pandas.DataFrame
        AE-pvalues explanation of the selected flow, every feature.
    flow : pandas.DataFrame
        The selected flow's fields, one row per field.
    """

    selected_alert_id = traitlets.Int(None, allow_none=True)
    is_alert = traitlets.Bool(False)
    status = traitlets.Unicode("")

    def __init__(
        self, analysis: Analysis, *, max_alerts: int = 500, top: int = 10
    ) -> None:
        self.message = ipywidgets.HTML()
        self.refresh_button = ipywidgets.Button(
            description="Refresh alerts",
            tooltip="Redraw the alerts after moving the threshold",
            icon="refresh",
        )
        self.scatter = offline_chart(message_chart("loading alerts"))
        self.bars = offline_chart(message_chart("click an alert"))
        self.flow_table = ipywidgets.HTML()
        super().__init__(
            children=[
                ipywidgets.HBox([self.refresh_button, self.message]),
                self.scatter,
                ipywidgets.HBox([self.bars, self.flow_table]),
            ]
        )

        self._analysis = analysis
        self._max_alerts = max_alerts
        self._top = top
        self.explanation = pd.DataFrame()
        self.flow = pd.DataFrame()
        self.refresh_button.on_click(lambda _: self.refresh())
        self.observe(self._on_status, names="status")
        self.refresh()

    def refresh(self) -> None:
        """Redraw the scatter from the current alerts and recheck the selection."""
        if self.selected_alert_id is None:
            self.select(None)
        else:
            self.select(self.selected_alert_id)

    def select(self, alert_id: int | None = None) -> int | None:
        """Show the evidence of ``alert_id`` (default: the highest-scoring alert).

        Does what a click on the scatter does, and highlights the alert there.

        Returns
        -------
        int or None
            The alert shown, or ``None`` when there is no alert at all.

        Raises
        ------
        IndexError
            If ``alert_id`` is not a row position of the analysed flows.
        """
        if alert_id is None:
            alert_id = self._top_alert()
        self._draw_scatter(alert_id)
        self._show(alert_id)
        return self.selected_alert_id

    def _top_alert(self) -> int | None:
        ids = self._analysis.alert_ids
        if ids.size == 0:
            return None
        return int(ids[np.argmax(self._analysis.scores[ids])])

    def _draw_scatter(self, highlighted: int | None) -> None:
        points = charts.alert_points(self._analysis, limit=self._max_alerts)
        if points.empty:
            chart = message_chart("no alerts at this threshold: lower it to see some")
        else:
            shown = highlighted in set(points["alert_id"].tolist())
            selection = charts.alert_selection(highlighted if shown else None)
            chart = charts.alert_scatter(points, selection=selection)
        # A new chart brings a new selections object: observe that one.
        self.scatter.chart = chart
        self.scatter.selections.observe(self._on_click, names=charts.ALERT_SELECTION)

    def _on_click(self, change: dict) -> None:
        points = change["new"].value
        if not points:
            return
        clicked = int(points[0]["alert_id"])
        if clicked != self.selected_alert_id:
            self._show(clicked)

    def _show(self, alert_id: int | None) -> None:
        if alert_id is None:
            self._clear("no alerts at this threshold: lower it to see some")
            return
        n = len(self._analysis.scores)
        if not 0 <= alert_id < n:
            raise IndexError(
                f"alert_id must be a flow position in [0, {n}), got {alert_id}"
            )

        self.explanation = self._analysis.explain([alert_id])
        self.flow = _flow_fields(self._analysis.flows.iloc[alert_id])
        self.bars.chart = charts.alert_bars(self.explanation, top=self._top)
        self.flow_table.value = self.flow.to_html(header=False)
        with self.hold_trait_notifications():
            self.selected_alert_id = int(alert_id)
            self.is_alert = bool(self._analysis.alerts[alert_id])
            self.status = self._describe(alert_id)

    def _describe(self, alert_id: int) -> str:
        score = self._analysis.scores[alert_id]
        cut = self._analysis.detector.autoencoder.threshold.value
        if self.is_alert:
            return f"alert {alert_id}: score {score:.4g} above threshold {cut:.4g}"
        return (
            f"flow {alert_id} is not an alert at this threshold (score {score:.4g} "
            f"at or below threshold {cut:.4g}); its evidence is kept for reference. "
            "Lower the threshold or pick another alert."
        )

    def _clear(self, reason: str) -> None:
        self.explanation = pd.DataFrame()
        self.flow = pd.DataFrame()
        self.bars.chart = message_chart(reason)
        self.flow_table.value = ""
        with self.hold_trait_notifications():
            self.selected_alert_id = None
            self.is_alert = False
            self.status = reason

    def _on_status(self, change: dict) -> None:
        self.message.value = f"<i>{html.escape(change['new'])}</i>"


def _flow_fields(row: pd.Series) -> pd.DataFrame:
    fields = [f for f in (*schema.CONN_FIELDS, *schema.LABEL_FIELDS) if f in row.index]
    values = row[fields].astype(object).where(row[fields].notna(), "")
    return pd.DataFrame({"value": values.astype(str)}, index=pd.Index(fields))
