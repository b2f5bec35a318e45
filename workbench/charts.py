"""Altair charts of the detection lab: score distributions, alerts and explanations.

Every function takes plain data (arrays, flow tables, the long explanation table of
:mod:`workbench.ranking`) and returns an Altair chart; data are binned or capped first
so that no chart embeds more than a few thousand rows. The module imports no ipywidgets
and keeps no state: the interactive panels live in the separate ``widgets`` package.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import altair as alt
import numpy as np
import pandas as pd

from workbench import schema
from workbench.errors import SchemaError

if TYPE_CHECKING:
    from workbench.detector import Analysis

__all__ = [
    "ALERT_SELECTION",
    "THRESHOLD_PARAM",
    "P_FLOOR",
    "label_counts",
    "label_chart",
    "score_bins",
    "score_distribution",
    "analysis_distribution",
    "alert_points",
    "alert_selection",
    "alert_scatter",
    "pvalue_bars",
    "error_bars",
    "alert_bars",
    "linked_alerts",
]

#: Name of the point selection (on ``alert_id``) of the alert scatter.
ALERT_SELECTION = "alert"
#: Name of the chart parameter that places the threshold rule.
THRESHOLD_PARAM = "threshold"
#: Smallest p-value drawn: a p-value of 0 (an error beyond every reference error) is
#: drawn at this value and flagged in the tooltip.
P_FLOOR = 1e-6

_REFERENCE = "reference (benign validation)"
_ABOVE = "input above reconstruction"
_BELOW = "input below reconstruction"
_DIRECTION_COLOURS = ["#5e3c99", "#e66101"]
_BAR_WIDTH = 260
_BAR_TOOLTIP = ["feature:N", "p_value:Q", "error:Q", "value:Q", "reconstruction:Q"]


def label_counts(flows: pd.DataFrame) -> pd.DataFrame:
    """Flows per label and detailed label (missing values shown as ``(none)``).

    Examples
    --------
    >>> flows = pd.DataFrame({"label": ["benign", "malicious", "malicious"],
    ...                       "detailed_label": [None, "DDoS", "DDoS"]})
    >>> label_counts(flows).to_numpy().tolist()
    [['malicious', 'DDoS', 2], ['benign', '(none)', 1]]
    """
    columns = [c for c in schema.LABEL_FIELDS if c in flows.columns]
    if not columns:
        return pd.DataFrame({"flows": [len(flows)]})
    named = flows[columns].astype("string").fillna("(none)")
    counts = named.value_counts(sort=True).rename("flows").reset_index()
    return counts.sort_values("flows", ascending=False, kind="stable").reset_index(
        drop=True
    )


def label_chart(flows: pd.DataFrame) -> alt.LayerChart:
    """Horizontal bars of :func:`label_counts` on a symlog axis (counts differ 100x)."""
    counts = label_counts(flows)
    if schema.DETAILED_LABEL in counts.columns:
        y_field = schema.DETAILED_LABEL
    elif schema.LABEL in counts.columns:
        y_field = schema.LABEL
    else:
        raise SchemaError(
            "the flow table has no label column; there is nothing to count"
        )
    colour = (
        alt.Color(f"{schema.LABEL}:N").legend(orient="bottom")
        if schema.LABEL in counts
        else alt.Undefined
    )
    # A symlog axis keeps the bars anchored at zero (a log axis cannot draw them).
    bars = (
        alt.Chart(counts, title="Flows per label")
        .mark_bar()
        .encode(
            x=alt.X("flows:Q").scale(type="symlog").title("flows (symlog scale)"),
            y=alt.Y(f"{y_field}:N").sort("-x").title(None),
            color=colour,
            tooltip=list(counts.columns),
        )
    )
    return bars + bars.mark_text(align="left", dx=3).encode(text="flows:Q")


def score_bins(
    reference_scores: np.ndarray,
    test_scores: np.ndarray,
    test_labels: Sequence[object] | None = None,
    *,
    bins: int = 60,
) -> pd.DataFrame:
    """Share of each group's flows per logarithmic score bin.

    Groups are the benign reference scores and the test scores, the latter split by
    label when labels are given. Scores of zero are put in the lowest bin.

    Returns
    -------
    pandas.DataFrame
        One row per group and bin: ``group``, ``score_low``, ``score_high``,
        ``score_mid`` (geometric centre), ``flows`` and ``share``.

    Examples
    --------
    >>> table = score_bins(np.array([0.1, 0.2]), np.array([0.1, 5.0]), bins=4)
    >>> len(table), table.groupby("group")["share"].sum().round(6).tolist()
    (8, [1.0, 1.0])
    """
    groups = {_REFERENCE: np.asarray(reference_scores, dtype=np.float64)}
    test = np.asarray(test_scores, dtype=np.float64)
    if test_labels is None:
        groups["test"] = test
    else:
        names = pd.Series(list(test_labels), dtype="string").fillna("unlabelled")
        for name in sorted(names.unique()):
            groups[f"test: {name}"] = test[names.eq(name).to_numpy()]
    edges = _log_edges(np.concatenate(list(groups.values())), bins)

    frames = []
    for group, scores in groups.items():
        logs = np.clip(np.log10(np.maximum(scores, 10 ** edges[0])), *edges[[0, -1]])
        counts, _ = np.histogram(logs, edges)
        share = counts / max(len(scores), 1)
        frames.append(pd.DataFrame({"group": group, "flows": counts, "share": share}))
    table = pd.concat(frames, ignore_index=True)
    table.insert(1, "score_low", np.tile(10 ** edges[:-1], len(groups)))
    table.insert(2, "score_high", np.tile(10 ** edges[1:], len(groups)))
    table.insert(3, "score_mid", np.sqrt(table["score_low"] * table["score_high"]))
    return table


def _log_edges(scores: np.ndarray, bins: int) -> np.ndarray:
    positive = scores[np.isfinite(scores) & (scores > 0)]
    if positive.size == 0:
        raise SchemaError("scores hold no positive finite value; nothing to plot")
    low, high = np.log10(positive.min()), np.log10(positive.max())
    if high - low < 1e-9:
        low, high = low - 0.5, high + 0.5
    return np.linspace(low, high, bins + 1)


def score_distribution(
    reference_scores: np.ndarray,
    test_scores: np.ndarray,
    threshold: float,
    *,
    test_labels: Sequence[object] | None = None,
    bins: int = 60,
) -> alt.LayerChart:
    """Score distributions of the reference and the test flows, with the threshold.

    The threshold is the chart parameter :data:`THRESHOLD_PARAM`, so a widget can move
    the rule without rebuilding the chart.

    Examples
    --------
    >>> chart = score_distribution([0.1, 0.2], [0.1, 5.0], 0.15, bins=4)
    >>> chart.to_dict()["params"][0]["name"], len(chart.data)
    ('threshold', 8)
    """
    table = score_bins(reference_scores, test_scores, test_labels, bins=bins)
    cut = alt.param(name=THRESHOLD_PARAM, value=float(threshold))
    x = alt.X("score_mid:Q").scale(type="log").title("anomaly score (log scale)")
    areas = (
        alt.Chart()
        .mark_area(interpolate="step", opacity=0.3, line=True)
        .encode(
            x=x,
            y=alt.Y("share:Q").stack(None).title("share of the group's flows"),
            color=alt.Color("group:N").title(None).legend(orient="top", columns=2),
            tooltip=["group:N", "score_low:Q", "score_high:Q", "flows:Q"],
        )
    )
    # One datum of its own, so the layer's table does not draw one rule per row.
    rule = (
        alt.Chart(alt.InlineData(values=[{}]))
        .mark_rule(color="black", strokeDash=[4, 3], size=2)
        .encode(x=alt.XDatum(cut, type="quantitative"))
    )
    return (
        alt.layer(areas, rule, data=table)
        .add_params(cut)
        .properties(
            width=520, height=220, title="Anomaly scores; dashed rule: threshold"
        )
    )


def analysis_distribution(analysis: Analysis, *, bins: int = 60) -> alt.LayerChart:
    """:func:`score_distribution` of an analysis at its detector's current threshold."""
    threshold = analysis.detector.autoencoder.threshold
    return score_distribution(
        threshold.reference_scores,
        analysis.scores,
        threshold.value,
        test_labels=analysis.flows.get(schema.LABEL),
        bins=bins,
    )


def alert_points(analysis: Analysis, *, limit: int = 500) -> pd.DataFrame:
    """The ``limit`` highest-scoring current alerts, as rows for :func:`alert_scatter`.

    Columns: ``alert_id``, ``score``, ``time`` (when flows have timestamps) and
    ``truth`` (the detailed label of malicious flows, else the label) when labelled.
    """
    ids = analysis.alert_ids
    top = ids[np.argsort(-analysis.scores[ids], kind="stable")[:limit]]
    ids = np.sort(top)
    points = pd.DataFrame({"alert_id": ids, "score": analysis.scores[ids]})
    flows = analysis.flows.iloc[ids].reset_index(drop=True)
    if schema.TS in flows.columns and flows[schema.TS].notna().any():
        points["time"] = pd.to_datetime(flows[schema.TS], unit="s")
    if schema.LABEL in flows.columns and flows[schema.LABEL].notna().any():
        points["truth"] = _truth(flows)
    return points


def _truth(flows: pd.DataFrame) -> np.ndarray:
    label = flows[schema.LABEL].astype("string").fillna("unlabelled")
    if schema.DETAILED_LABEL not in flows.columns:
        return label.to_numpy(dtype=object)
    detailed = flows[schema.DETAILED_LABEL].astype("string")
    named = label.eq(schema.MALICIOUS) & detailed.notna()
    return detailed.where(named, label).to_numpy(dtype=object)


def alert_selection(
    selected: int | None = None, *, empty: bool = True
) -> alt.Parameter:
    """The click selection :data:`ALERT_SELECTION` on field ``alert_id``.

    ``selected`` pre-selects one alert; ``empty=False`` makes an empty selection match
    nothing (what filtered companion charts want).
    """
    initial = alt.Undefined if selected is None else [{"alert_id": int(selected)}]
    return alt.selection_point(
        name=ALERT_SELECTION,
        fields=["alert_id"],
        on="click",
        value=initial,
        empty=empty,
    )


def alert_scatter(
    points: pd.DataFrame, *, selection: alt.Parameter | None = None
) -> alt.Chart:
    """Alerts over time (or by alert id) against score, with the ``alert`` selection.

    Examples
    --------
    >>> spec = alert_scatter(pd.DataFrame({"alert_id": [3, 9], "score": [1.0, 2.0]}))
    >>> spec.to_dict()["params"][0]["select"]
    {'type': 'point', 'fields': ['alert_id'], 'on': 'click'}
    """
    alert = alert_selection() if selection is None else selection
    x = (
        alt.X("time:T").title("flow start")
        if "time" in points.columns
        else alt.X("alert_id:Q").title("alert id (flow position)")
    )
    colour = alt.Color("truth:N").title("label") if "truth" in points else alt.Undefined
    return (
        alt.Chart(points, title="Alerts (click one)")
        .mark_circle()
        .encode(
            x=x,
            y=alt.Y("score:Q")
            .scale(type="log", nice=False)
            .title("anomaly score (log scale)"),
            color=colour,
            size=alt.condition(alert, alt.value(140), alt.value(30)),
            opacity=alt.condition(alert, alt.value(1.0), alt.value(0.5)),
            tooltip=list(points.columns),
        )
        .add_params(alert)
        .properties(width=420, height=260)
    )


def _bar_table(explanation: pd.DataFrame, top: int, by_pvalue: bool) -> pd.DataFrame:
    missing = {"alert_id", "feature", "rank", "p_value", "error"} - set(explanation)
    if missing:
        raise SchemaError(
            f"explanation table lacks columns {sorted(missing)}; pass the table "
            "returned by Analysis.explain"
        )
    table = explanation.assign(abs_error=explanation["error"].abs())
    table["direction"] = np.where(table["error"] > 0, _BELOW, _ABOVE)
    if by_pvalue:
        table = table[table["rank"] <= top].copy()
        table["beyond_reference"] = table["p_value"].eq(0.0)
        table["minus_log10_p"] = -np.log10(table["p_value"].clip(lower=P_FLOOR))
        return table
    table = table.sort_values(["alert_id", "abs_error"], ascending=[True, False])
    table = table.groupby("alert_id", sort=False).head(top)
    table["abs_rank"] = table.groupby("alert_id").cumcount() + 1
    return table


def _feature_axis(sort_field: str) -> alt.Y:
    order = alt.EncodingSortField(sort_field, op="min", order="ascending")
    return alt.Y("feature:N").sort(order).title(None)


def _bars(data: object, x: alt.X, sort_field: str, title: str) -> alt.Chart:
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            x=x,
            y=_feature_axis(sort_field),
            color=alt.Color("direction:N")
            .scale(domain=[_ABOVE, _BELOW], range=_DIRECTION_COLOURS)
            .legend(orient="bottom", title=None),
            tooltip=_BAR_TOOLTIP,
        )
        .properties(width=_BAR_WIDTH)
    )


def pvalue_bars(explanation: pd.DataFrame, *, top: int = 10) -> alt.LayerChart:
    """Bars of −log10 p per feature, most abnormal (rank 1) on top.

    ``explanation`` is an AE-pvalues explanation table; give it one alert (or filter
    the chart by the ``alert`` selection, as :func:`linked_alerts` does). Bars of
    p-values of zero end at :data:`P_FLOOR` and are marked "p = 0".
    """
    table = _bar_table(explanation, top, by_pvalue=True)
    x = alt.X("minus_log10_p:Q").title("−log10 p-value (longer = more abnormal)")
    bars = _bars(alt.Undefined, x, "rank", "Feature p-values (AE-pvalues)")
    marks = (
        alt.Chart()
        .mark_text(align="right", dx=-4, color="white", fontSize=10)
        .encode(x=x, y=_feature_axis("rank"), text=alt.value("p = 0"))
        .transform_filter("datum.beyond_reference")
    )
    return alt.layer(bars, marks, data=table)


def error_bars(explanation: pd.DataFrame, *, top: int = 10) -> alt.Chart:
    """Bars of absolute reconstruction error per feature, largest on top."""
    table = _bar_table(explanation, top, by_pvalue=False)
    x = alt.X("abs_error:Q").title("|reconstruction − input|")
    return _bars(table, x, "abs_rank", "Absolute errors (AE-abs)")


def alert_bars(explanation: pd.DataFrame, *, top: int = 10) -> alt.HConcatChart:
    """P-value bars beside absolute-error bars for one alert.

    Give the AE-pvalues explanation of one alert with every feature (``top=None``),
    so that the error bars can pick their own largest features.

    Examples
    --------
    >>> table = pd.DataFrame({"alert_id": [4, 4], "feature": ["a", "b"],
    ...                       "rank": [1, 2], "p_value": [0.0, 0.5],
    ...                       "error": [0.2, -0.9]})
    >>> spec = alert_bars(table).to_dict()
    >>> [len(spec["datasets"][k]) for k in sorted(spec["datasets"])]
    [2, 2]
    """
    ids = explanation["alert_id"].unique()
    if len(ids) != 1:
        raise SchemaError(
            f"alert_bars draws one alert, got {len(ids)}; filter the explanation "
            "table on one alert_id first"
        )
    return alt.hconcat(
        pvalue_bars(explanation, top=top),
        error_bars(explanation, top=top),
        title=f"Alert {int(ids[0])}: p-values vs absolute errors",
    ).resolve_scale(color="shared")


def linked_alerts(
    analysis: Analysis, *, max_alerts: int = 50, top: int = 10
) -> alt.HConcatChart:
    """Alert scatter whose click filters p-value and error bars; pure Vega-Lite.

    The explanations of the ``max_alerts`` highest-scoring alerts are embedded in the
    spec (``top`` features each), so the chart works without a kernel: in exported
    HTML and in executed notebooks. The highest-scoring alert is selected at first.
    """
    points = alert_points(analysis, limit=max_alerts)
    if points.empty:
        raise SchemaError("there are no alerts at this threshold; lower it to see some")
    ids = points["alert_id"].to_numpy()
    first = int(ids[np.argmax(points["score"].to_numpy())])
    alert = alert_selection(first, empty=False)
    scatter = alert_scatter(points, selection=alert)

    pvalues = pvalue_bars(analysis.explain(ids, top=top), top=top)
    errors = error_bars(analysis.explain(ids, top=top, method="abs"), top=top)
    return alt.hconcat(
        scatter,
        alt.vconcat(
            pvalues.transform_filter(alert), errors.transform_filter(alert)
        ).resolve_scale(y="independent"),
    ).resolve_scale(color="independent")
