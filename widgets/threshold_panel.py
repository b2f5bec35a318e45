"""A slider that moves an analysis's alert threshold and shows what it changes.

The panel only calls :meth:`workbench.thresholds.Threshold.set` and recounts alerts
from the stored scores: it never retrains or rescores. It does not explain alerts
(see :class:`widgets.AlertExplorer`).
"""

from __future__ import annotations

import math

import ipywidgets
import traitlets

from widgets._display import offline_chart
from workbench import charts, schema
from workbench.detector import Analysis
from workbench.evaluation import detection_metrics

__all__ = ["ThresholdPanel"]

#: Largest target false-positive rate the slider offers.
MAX_FPR = 0.5


class ThresholdPanel(ipywidgets.VBox):
    """FPR slider (log scale), live alert figures and the score distributions.

    Moving the slider sets the threshold of ``analysis.detector`` (shared with every
    other view of the same analysis) and moves the rule of the distribution chart
    through its ``threshold`` parameter.

    Parameters
    ----------
    analysis : Analysis
        A scored flow table; recall, precision and the test FPR need its flows to carry
        the ``label`` field, and are ``None`` otherwise.
    bins : int, default 60
        Score bins of the distribution chart.

    Attributes
    ----------
    slider : ipywidgets.FloatLogSlider
        Target false-positive rate on the benign reference scores.
    summary : ipywidgets.HTML
        The current figures, as text.
    chart : altair.JupyterChart
        Score distributions; ``chart.params.threshold`` follows the slider.
    threshold_value, alert_count, recall, precision, test_fpr, reference_fpr
        The current figures (``None`` where undefined or without labels).

    Notes
    -----
    The smallest FPR the slider offers is ``1 / n`` for ``n`` reference scores: below
    it every target gives the same cut, the largest reference score.
    """

    fpr = traitlets.Float(None, allow_none=True)
    threshold_value = traitlets.Float()
    alert_count = traitlets.Int()
    reference_fpr = traitlets.Float()
    recall = traitlets.Float(None, allow_none=True)
    precision = traitlets.Float(None, allow_none=True)
    test_fpr = traitlets.Float(None, allow_none=True)

    def __init__(self, analysis: Analysis, *, bins: int = 60) -> None:
        threshold = analysis.detector.autoencoder.threshold
        n = threshold.reference_scores.size
        low = math.floor(math.log10(1.0 / n) * 10) / 10
        start = threshold.fpr if threshold.fpr else max(threshold.reference_fpr, 1 / n)
        self.slider = ipywidgets.FloatLogSlider(
            value=start,
            base=10,
            min=low,
            max=math.log10(MAX_FPR),
            step=0.05,
            description="target FPR",
            readout_format=".2%",
            continuous_update=True,
            style={"description_width": "initial"},
        )
        self.summary = ipywidgets.HTML()
        self.chart = offline_chart(charts.analysis_distribution(analysis, bins=bins))
        super().__init__(children=[self.slider, self.summary, self.chart])

        self._analysis = analysis
        labels = analysis.flows.get(schema.LABEL)
        self._labelled = labels is not None and bool(labels.notna().any())
        self.slider.observe(self._on_slider, names="value")
        self.refresh()

    def _on_slider(self, change: dict) -> None:
        self._analysis.detector.autoencoder.threshold.set(fpr=float(change["new"]))
        self.refresh()

    def refresh(self) -> None:
        """Recount from the stored scores at the current threshold; move the rule."""
        threshold = self._analysis.detector.autoencoder.threshold
        alerts = threshold.alerts(self._analysis.scores)

        figures: dict[str, object] = {}
        if self._labelled:
            flows = self._analysis.flows
            figures = detection_metrics(
                flows[schema.LABEL], alerts, self._analysis.scores
            )

        with self.hold_trait_notifications():
            self.fpr = threshold.fpr
            self.threshold_value = threshold.value
            self.alert_count = int(alerts.sum())
            self.reference_fpr = threshold.reference_fpr
            self.recall = figures.get("recall")
            self.precision = figures.get("precision")
            self.test_fpr = figures.get("fpr")
        setattr(self.chart.params, charts.THRESHOLD_PARAM, threshold.value)
        self.summary.value = self._summary_html()

    def _summary_html(self) -> str:
        parts = [
            f"threshold <b>{self.threshold_value:.4g}</b>",
            f"<b>{self.alert_count}</b> alerts of {len(self._analysis.scores)} flows",
            f"FPR on reference {_percent(self.reference_fpr)}",
        ]
        if self._labelled:
            parts += [
                f"recall {_percent(self.recall)}",
                f"precision {_percent(self.precision)}",
                f"FPR on test benign {_percent(self.test_fpr)}",
            ]
        return " · ".join(parts)


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.2f}%"
