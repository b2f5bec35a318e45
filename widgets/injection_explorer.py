"""Click a noised sample to compare what each explanation method blames for it.

The explorer draws the noised rows of a benchmark seed (coloured by whether AE-pvalues
and AE-abs put an injected feature first) and, for the clicked one, its p-value bars,
absolute-error bars and SHAP_AE bars side by side, injected features starred. It reads
stored benchmark results only: no model runs, nothing is re-ranked.
"""

from __future__ import annotations

import html

import ipywidgets
import pandas as pd
import traitlets

from widgets._display import message_chart, offline_chart
from workbench import charts
from workbench.explain_bench import figures
from workbench.explain_bench.samples import BenchSamples

__all__ = ["InjectionExplorer"]


class InjectionExplorer(ipywidgets.VBox):
    """Scatter of noised samples with an ``alert`` selection, and the chosen one's bars.

    Parameters
    ----------
    samples : BenchSamples
        The noised rows of one benchmark seed (``BenchResult.samples``).
    max_points : int, default 500
        Highest-scoring samples drawn in the scatter.
    top : int, default 10
        Features drawn per bar chart.

    Attributes
    ----------
    scatter : altair.JupyterChart
        The samples; its selection :data:`workbench.charts.ALERT_SELECTION` (on field
        ``alert_id`` = sample) drives the bars.
    bars : altair.JupyterChart
        P-value, absolute-error and SHAP_AE bars of the selected sample.
    selected_sample : int or None
        The sample shown.
    status : str
        One line on the sample shown: injection, flag and each method's first hit.
    evidence : pandas.DataFrame
        ``BenchSamples.evidence`` of the selected sample.
    """

    selected_sample = traitlets.Int(None, allow_none=True)
    status = traitlets.Unicode("")

    def __init__(
        self, samples: BenchSamples, *, max_points: int = 500, top: int = 10
    ) -> None:
        self.message = ipywidgets.HTML()
        self.scatter = offline_chart(message_chart("loading samples"))
        self.bars = offline_chart(message_chart("click a sample"))
        super().__init__(children=[self.message, self.scatter, self.bars])

        self._samples = samples
        self._points = figures.sample_points(samples, limit=max_points)
        self._top = top
        self.evidence = pd.DataFrame()
        self.observe(self._on_status, names="status")
        self.select(None)

    def select(self, sample: int | None = None) -> int:
        """Show ``sample`` (default: the first one SHAP_AE explained, else sample 0).

        Does what a click on the scatter does, and highlights the sample there.
        """
        if sample is None:
            explained = self._samples.shap_samples
            sample = int(explained[0]) if len(explained) else 0
        self._draw_scatter(sample)
        self._show(sample)
        return sample

    def _draw_scatter(self, highlighted: int) -> None:
        shown = highlighted in set(self._points["alert_id"].tolist())
        selection = charts.alert_selection(highlighted if shown else None)
        chart = charts.alert_scatter(self._points, selection=selection).properties(
            title="Noised samples: did the method put an injected feature first?"
        )
        # A new chart brings a new selections object: observe that one.
        self.scatter.chart = chart
        self.scatter.selections.observe(self._on_click, names=charts.ALERT_SELECTION)

    def _on_click(self, change: dict) -> None:
        points = change["new"].value
        if points:
            clicked = int(points[0]["alert_id"])
            if clicked != self.selected_sample:
                self._show(clicked)

    def _show(self, sample: int) -> None:
        self.evidence = self._samples.evidence(sample)
        self.bars.chart = figures.sample_bars(self._samples, sample, top=self._top)
        with self.hold_trait_notifications():
            self.selected_sample = int(sample)
            self.status = self._describe(sample)

    def _describe(self, sample: int) -> str:
        line = self._samples.table.iloc[sample]
        hits = {
            column.split(":", 1)[1]: int(line[column])
            for column in line.index
            if column.startswith("first_hit:") and int(line[column]) > 0
        }
        ranks = ", ".join(f"{method} {rank}" for method, rank in hits.items())
        flagged = "flagged" if line["detected"] else "not flagged"
        return (
            f"sample {sample}: {line['kind']} on {line['target']} ({line['columns']}); "
            f"score {line['score']:.4g}, {flagged}. Rank of the first injected "
            f"feature: {ranks}"
        )

    def _on_status(self, change: dict) -> None:
        self.message.value = f"<i>{html.escape(change['new'])}</i>"
