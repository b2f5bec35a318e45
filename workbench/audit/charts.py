"""Altair charts of the audit: findings, duplicates, missing values, scans, cost.

Each function takes the tables the checks return and gives one chart; tables are
aggregated or capped first so that no chart embeds more than a few thousand rows.
The module runs no check and keeps no state.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from workbench.audit.missing import LOSS_WARNING

__all__ = [
    "findings_chart",
    "duplicate_gap_chart",
    "duplicate_flow_chart",
    "dropna_chart",
    "missing_chart",
    "scan_chart",
    "cost_chart",
    "roc_chart",
]

#: Most bars or points drawn by one chart.
LIMIT = 5000
_WIDTH = 420
_LABEL_COLOURS = alt.Scale(domain=["faulty", "corrected"], range=["#d7191c", "#2c7bb6"])


def findings_chart(summary: pd.DataFrame) -> alt.Chart:
    """Share of rows or packets concerned per finding (nonzero findings only).

    Examples
    --------
    >>> t = pd.DataFrame({"source": ["a"], "check": ["duplicate packets"],
    ...                   "key": ["all"], "count": [3], "share": [0.3]})
    >>> findings_chart(t).mark
    'bar'
    """
    data = summary[summary["count"] > 0].assign(
        finding=lambda t: t["check"] + ": " + t["key"].astype(str)
    )
    data = data[["source", "finding", "count", "share"]].head(LIMIT)
    return (
        alt.Chart(data, title="Findings: share of rows or packets concerned")
        .mark_bar()
        .encode(
            x=alt.X("share:Q", axis=alt.Axis(format="%"), title="share"),
            y=alt.Y("finding:N", title=None, axis=alt.Axis(labelLimit=360)),
            yOffset=alt.YOffset("source:N"),
            color=alt.Color("source:N"),
            tooltip=[
                "source",
                "finding",
                "count",
                alt.Tooltip("share:Q", format=".2%"),
            ],
        )
        .properties(width=_WIDTH)
    )


def _gap_edges(largest: float) -> np.ndarray:
    """Edges 0, 1, 2, 5, 10, 20, 50, ... microseconds, up to past ``largest``."""
    edges = [0.0, 1.0]
    while edges[-1] <= largest:
        step = edges[-1]
        edges.append(step * (2.5 if str(int(step)).startswith("2") else 2.0))
    return np.asarray(edges)


def duplicate_gap_chart(packets: pd.DataFrame) -> alt.Chart:
    """Duplicates per gap to their original (1-2-5 bins), stacked by frame class.

    ``packets`` is :attr:`workbench.audit.packets.PcapAudit.packets`.

    Examples
    --------
    >>> p = pd.DataFrame({"duplicate": [False, True], "gap_us": [np.nan, 3.0],
    ...                   "frame_class": ["other", "other"]})
    >>> duplicate_gap_chart(p).data["gap"].tolist()
    ['2-5 us']
    """
    dups = packets[packets["duplicate"]]
    gaps = dups["gap_us"].abs().to_numpy(dtype=float)
    edges = _gap_edges(gaps.max() if len(gaps) else 1.0)
    names = [f"{lo:g}-{hi:g} us" for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
    which = np.clip(np.searchsorted(edges, gaps, side="right") - 1, 0, len(names) - 1)
    data = pd.DataFrame(
        {"gap": np.asarray(names)[which], "bin": which, "class": dups["frame_class"]}
    )
    data = data.groupby(["bin", "gap", "class"]).size().rename("packets").reset_index()
    return (
        alt.Chart(data, title="Time from original to duplicate")
        .mark_bar()
        .encode(
            x=alt.X("gap:N", sort=names, title="gap"),
            y=alt.Y("packets:Q", stack="zero", title="duplicated packets"),
            color=alt.Color("class:N", title="frame class"),
            tooltip=["gap", "class", "packets"],
        )
        .properties(width=_WIDTH)
    )


def duplicate_flow_chart(per_flow: pd.DataFrame, *, top: int = 15) -> alt.Chart:
    """Duplicated packets of the most affected flows (``PcapAudit.per_flow()``)."""
    data = per_flow[per_flow["duplicates"] > 0].head(top)
    return (
        alt.Chart(data, title=f"Flows with the most duplicated packets (top {top})")
        .mark_bar()
        .encode(
            x=alt.X("duplicates:Q", title="duplicated packets"),
            y=alt.Y("flow:N", sort="-x", title=None),
            tooltip=[
                "flow",
                "packets",
                "duplicates",
                alt.Tooltip("share:Q", format=".1%"),
            ],
        )
        .properties(width=_WIDTH)
    )


def dropna_chart(loss: pd.DataFrame) -> alt.LayerChart:
    """Share of each class a ``dropna`` would remove, with the warning level."""
    bars = (
        alt.Chart(loss, title="Rows a dropna would remove, per class")
        .mark_bar()
        .encode(
            x=alt.X(
                "lost_share:Q",
                axis=alt.Axis(format="%"),
                title="share lost",
                scale=alt.Scale(domain=[0, 1]),
            ),
            y=alt.Y("class:N", title=None),
            color=alt.Color("warning:N", title=f"over {LOSS_WARNING:.0%}"),
            tooltip=["class", "rows", "lost", "lost_tiny"],
        )
    )
    rule = alt.Chart(pd.DataFrame({"x": [LOSS_WARNING]})).mark_rule().encode(x="x:Q")
    return (bars + rule).properties(width=_WIDTH)


def missing_chart(missing: pd.DataFrame) -> alt.Chart:
    """Heat map of non-finite values per column and class (``missing_values``)."""
    data = missing.assign(values=missing[["nan", "posinf", "neginf"]].sum(axis=1))
    return (
        alt.Chart(data.head(LIMIT), title="Missing and infinite values")
        .mark_rect()
        .encode(
            x=alt.X("class:N", title=None),
            y=alt.Y("column:N", title=None),
            color=alt.Color("values:Q", scale=alt.Scale(type="log")),
            tooltip=["column", "class", "nan", "posinf", "neginf"],
        )
    )


_SCAN_TOOLTIP = [
    "source", "window_start", "kind", "hosts", "ports", "flows", "benign",
    "malicious", "unlabelled",
]  # fmt: skip


def scan_chart(episodes: pd.DataFrame) -> alt.LayerChart:
    """Scanners by hosts and ports probed; colour shows the share labelled benign."""
    flows = episodes["flows"].where(episodes["flows"] > 0)
    data = episodes.assign(benign_share=episodes["benign"] / flows).head(LIMIT)
    base = alt.Chart(data, title="Scans found (one point per source and window)")
    points = base.mark_circle(opacity=0.8).encode(
        x=alt.X("ports:Q", scale=alt.Scale(type="log"), title="distinct ports"),
        y=alt.Y("hosts:Q", scale=alt.Scale(type="log"), title="distinct hosts"),
        size=alt.Size("flows:Q", title="probe flows"),
        color=alt.Color(
            "benign_share:Q",
            title="labelled benign",
            scale=alt.Scale(domain=[0, 1], scheme="redyellowblue", reverse=True),
        ),
        tooltip=_SCAN_TOOLTIP,
    )
    names = base.mark_text(align="right", dx=-12).encode(
        x="ports:Q", y="hosts:Q", text="source:N"
    )
    return (points + names).properties(width=_WIDTH)


def cost_chart(figures: pd.DataFrame) -> alt.Chart:
    """FPR and recall of one detector under the faulty and the corrected labels."""
    data = figures.melt(
        id_vars=["labels"], value_vars=["fpr", "recall"], var_name="figure"
    )
    return (
        alt.Chart(data, title="Same detector, same scores: only the labels differ")
        .mark_bar()
        .encode(
            x=alt.X("labels:N", title=None, sort=["faulty", "corrected"]),
            y=alt.Y("value:Q", axis=alt.Axis(format="%"), title=None),
            color=alt.Color("labels:N", scale=_LABEL_COLOURS, legend=None),
            column=alt.Column("figure:N", title=None),
            tooltip=["labels", "figure", alt.Tooltip("value:Q", format=".2%")],
        )
        .properties(width=120)
    )


def roc_chart(roc: pd.DataFrame) -> alt.Chart:
    """ROC curves of the same scores under both label sets (``LabelFaultCost.roc``)."""
    parts = [
        group.iloc[
            np.linspace(0, len(group) - 1, min(len(group), LIMIT // 2)).astype(int)
        ]
        for _, group in roc.groupby("labels", sort=False)
    ]
    data = pd.concat(parts, ignore_index=True)
    return (
        alt.Chart(data, title="ROC of the same scores")
        .mark_line()
        .encode(
            x=alt.X("fpr:Q", title="false-positive rate"),
            y=alt.Y("tpr:Q", title="recall"),
            color=alt.Color("labels:N", scale=_LABEL_COLOURS),
            order="fpr:Q",
        )
        .properties(width=300, height=300)
    )
