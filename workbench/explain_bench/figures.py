"""Altair figures of the explanation benchmark: top-K curves, times, per-sample bars.

Per-sample bars reuse the detection lab's p-value and error bars
(:mod:`workbench.charts`) and add SHAP_AE bars; the injected features are marked by a
star in front of their name, so every view shows where the truth lies. The module
keeps no state and imports no ipywidgets (the panel is ``widgets.injection_explorer``).
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from workbench import charts
from workbench.explain_bench.methods import METHODS
from workbench.explain_bench.result import BenchResult
from workbench.explain_bench.samples import BenchSamples

__all__ = [
    "INJECTED_MARK",
    "topk_chart",
    "time_chart",
    "mark_injected",
    "shap_bars",
    "sample_bars",
    "sample_points",
]

#: Put in front of the name of an injected feature in every bar chart.
INJECTED_MARK = "★ "
_WIDTH = 260


def topk_chart(result: BenchResult, *, subset: str = "all") -> alt.Chart:
    """Top-K accuracy per method (mean over seeds, rule ± sd), one panel per criterion.

    Examples
    --------
    >>> scores = pd.DataFrame({"seed": 0, "method": "AE-abs", "criterion": "strict",
    ...                        "subset": "all", "k": [1, 2], "accuracy": [0.5, 0.8],
    ...                        "n": 10})
    >>> spec = topk_chart(BenchResult(scores, pd.DataFrame(), None)).to_dict()
    >>> spec["facet"]["column"]["field"]
    'criterion'
    """
    table = result.summary()
    table = table[table["subset"].eq(subset)].copy()
    table["sd"] = table["sd"].fillna(0.0)
    table["low"] = (table["mean"] - table["sd"]).clip(lower=0.0)
    table["high"] = (table["mean"] + table["sd"]).clip(upper=1.0)
    methods = [m for m in METHODS if m in set(table["method"])]
    criteria = list(dict.fromkeys(table["criterion"]))
    colour = alt.Color("method:N").scale(domain=methods)
    x = alt.X("k:O").title("K")

    spread = alt.Chart().mark_rule().encode(x=x, y="low:Q", y2="high:Q", color=colour)
    line = (
        alt.Chart()
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("mean:Q").scale(domain=[0, 1]).title("top-K accuracy"),
            color=colour,
            tooltip=[
                "method:N",
                "k:O",
                alt.Tooltip("mean:Q", format=".3f"),
                alt.Tooltip("sd:Q", format=".3f"),
                "n:Q",
            ],
        )
    )
    return (
        alt.layer(line, spread, data=table)
        .properties(width=220, height=200)
        .facet(column=alt.Column("criterion:N").sort(criteria).title(None))
        .properties(title=f"Top-K accuracy ({subset} noised rows)")
    )


def time_chart(result: BenchResult) -> alt.Chart:
    """Milliseconds per explanation per method, on a log axis."""
    table = result.time_summary()
    return (
        alt.Chart(table, title="Time per explanation (log scale)")
        .mark_bar()
        .encode(
            x=alt.X("ms_per_row:Q").scale(type="log").title("ms per explained row"),
            y=alt.Y("method:N").sort(list(METHODS)).title(None),
            tooltip=["method:N", alt.Tooltip("ms_per_row:Q", format=".4g"), "rows:Q"],
        )
        .properties(width=420, height=150)
    )


def mark_injected(table: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``table`` whose injected features carry :data:`INJECTED_MARK`.

    Examples
    --------
    >>> table = pd.DataFrame({"feature": ["a", "b"], "injected": [False, True]})
    >>> mark_injected(table)["feature"].tolist()
    ['a', '★ b']
    """
    marked = table.copy()
    marked["feature"] = np.where(
        marked["injected"], INJECTED_MARK + marked["feature"], marked["feature"]
    )
    return marked


def shap_bars(evidence: pd.DataFrame, *, top: int = 10) -> alt.Chart:
    """Bars of summed |phi| of the features SHAP_AE ranks first (one sample)."""
    table = evidence.dropna(subset=["shap_rank"])
    table = table[table["shap_rank"] <= top]
    return (
        alt.Chart(table, title="SHAP_AE (order of the method, |phi| summed)")
        .mark_bar(color="#4d9221")
        .encode(
            x=alt.X("shap_attribution:Q").title("Σ |phi| over explained outputs"),
            y=alt.Y("feature:N")
            .sort(alt.EncodingSortField("shap_rank", op="min", order="ascending"))
            .title(None),
            tooltip=["feature:N", "shap_rank:Q", "shap_attribution:Q", "error:Q"],
        )
        .properties(width=_WIDTH)
    )


def sample_bars(
    samples: BenchSamples, sample: int, *, top: int = 10
) -> alt.HConcatChart:
    """P-value, absolute-error and (when computed) SHAP_AE bars of one noised row."""
    explanation = mark_injected(samples.explanation(sample))
    panels = [
        charts.pvalue_bars(explanation, top=top),
        charts.error_bars(explanation, top=top),
    ]
    evidence = samples.evidence(sample)
    if evidence["shap_rank"].notna().any():
        panels.append(shap_bars(mark_injected(evidence), top=top))
    line = samples.table.iloc[sample]
    title = (
        f"Sample {sample}: {line['kind']} on {line['target']} "
        f"({'flagged' if line['detected'] else 'not flagged'}); ★ = injected"
    )
    return alt.hconcat(*panels, title=title).resolve_scale(color="independent")


def sample_points(samples: BenchSamples, *, limit: int = 500) -> pd.DataFrame:
    """Noised rows for :func:`workbench.charts.alert_scatter`, coloured by outcome.

    Columns ``alert_id`` (the sample), ``score``, ``truth`` (one of
    :data:`~workbench.explain_bench.samples.OUTCOMES`), ``target`` and ``kind``;
    the ``limit`` highest scores.
    """
    table = samples.table
    outcome = samples.outcomes().to_numpy()
    points = pd.DataFrame(
        {
            "alert_id": table["sample"].to_numpy(),
            "score": table["score"].to_numpy(),
            "truth": outcome,
            "target": table["target"].to_numpy(),
            "kind": table["kind"].to_numpy(),
        }
    )
    points = points.nlargest(limit, "score", keep="first")
    return points.sort_values("alert_id").reset_index(drop=True)
