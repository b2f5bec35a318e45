"""Altair charts of the security-object graph: counts, degrees, neighbourhoods.

Each function takes plain data (the graph's tables, a comparison table) and returns
an Altair chart small enough to embed: degree distributions are counted first and
drawings are limited to neighbourhoods. Score and p-value charts are reused from
:mod:`workbench.charts`. No ipywidgets here.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from workbench import schema
from workbench.graph.convert import layout
from workbench.graph.tables import (
    CONN,
    DST,
    EDGE_TYPES,
    NODE_ID,
    NODE_TYPES,
    SRC,
    SecurityGraph,
)

__all__ = [
    "count_chart",
    "degree_table",
    "degree_chart",
    "neighbourhood_chart",
    "comparison_chart",
]

#: Characters of a node key shown in a drawing.
LABEL_CHARS = 28
_TYPE_COLOURS = alt.Scale(domain=list(NODE_TYPES), scheme="tableau10")


def count_chart(graph: SecurityGraph) -> alt.HConcatChart:
    """Bars of nodes per type beside edges per type (symlog scale: counts differ 100x).

    Examples
    --------
    >>> from workbench.graph.build import build_graph
    >>> conn = pd.DataFrame({"ts": [1.0], "uid": ["C1"], "id.orig_h": ["10.0.0.2"],
    ...                      "id.resp_h": ["8.8.8.8"]})
    >>> spec = count_chart(build_graph({"conn": conn})).to_dict()
    >>> len(spec["hconcat"])
    2
    """
    counts = graph.counts()
    charts = []
    for table, order, title in (
        ("node", NODE_TYPES, "Nodes per type"),
        ("edge", EDGE_TYPES, "Edges per type"),
    ):
        part = counts[counts["table"].eq(table)]
        bars = (
            alt.Chart(part, title=title)
            .mark_bar()
            .encode(
                x=alt.X("count:Q").scale(type="symlog").title("count (symlog scale)"),
                y=alt.Y("type:N").sort(list(order)).title(None),
                tooltip=["type:N", "count:Q"],
            )
        )
        text = bars.mark_text(align="left", dx=3).encode(text="count:Q")
        charts.append((bars + text).properties(width=220))
    return alt.hconcat(*charts)


def degree_table(graph: SecurityGraph) -> pd.DataFrame:
    """Number of nodes per node type and degree.

    Examples
    --------
    >>> from workbench.graph.build import build_graph
    >>> conn = pd.DataFrame({"ts": [1.0, 2.0], "uid": ["C1", "C2"],
    ...                      "id.orig_h": "10.0.0.2", "id.resp_h": "8.8.8.8"})
    >>> degree_table(build_graph({"conn": conn})).to_numpy().tolist()
    [['Conn', 2, 2], ['IP', 2, 2]]
    """
    degrees = graph.degrees()
    table = degrees.groupby(["type", "degree"]).size().rename("nodes")
    return table.reset_index()


def degree_chart(graph: SecurityGraph) -> alt.Chart:
    """Degree distribution of each node type, on log-log axes."""
    table = degree_table(graph)
    table = table[table["degree"] > 0]
    return (
        alt.Chart(table, title="Degree distribution by node type")
        .mark_line(point=True)
        .encode(
            x=alt.X("degree:Q").scale(type="log").title("degree (log scale)"),
            y=alt.Y("nodes:Q").scale(type="log").title("nodes (log scale)"),
            color=alt.Color("type:N").scale(_TYPE_COLOURS).title("node type"),
            tooltip=["type:N", "degree:Q", "nodes:Q"],
        )
        .properties(width=360, height=220)
    )


def _labels(nodes: pd.DataFrame) -> pd.Series:
    text = nodes["key"].astype("string").fillna("")
    if schema.PROTO in nodes and schema.RESP_P in nodes:
        # A connection reads better as "udp 16464" than as its uid.
        service = nodes[schema.PROTO] + " " + nodes[schema.RESP_P].astype("string")
        text = service.where(nodes["type"].eq(CONN) & service.notna(), text)
    long = text.str.len() > LABEL_CHARS
    return text.where(~long, text.str.slice(0, LABEL_CHARS - 1) + "…")


def _edge_segments(graph: SecurityGraph, nodes: pd.DataFrame) -> pd.DataFrame:
    """One row per edge with both endpoints' coordinates and its readable fields."""
    places = nodes.set_index(NODE_ID)[["x", "y"]]
    edges = graph.edges.copy()
    edges[["x", "y"]] = places.reindex(edges[SRC]).to_numpy()
    edges[["x2", "y2"]] = places.reindex(edges[DST]).to_numpy()
    keep = [c for c in ("type", schema.UID, schema.TS, "score") if c in edges]
    return edges[["x", "y", "x2", "y2", *keep]].rename(columns={"type": "edge"})


def neighbourhood_chart(
    graph: SecurityGraph, *, centre: str | None = None, seed: int = 0
) -> alt.LayerChart:
    """Drawing of a small graph: nodes by type, edges shaded by score when scored.

    Parameters
    ----------
    graph : SecurityGraph
        A small graph, e.g. from
        :meth:`workbench.graph.analysis.GraphAnalysis.neighbourhood`.
    centre : str, optional
        Node id drawn larger (the alert's connection).
    seed : int, default 0
        Seed of the spring layout.
    """
    nodes = layout(graph, seed=seed)
    nodes["label"] = _labels(nodes)
    nodes["centre"] = nodes[NODE_ID].eq(centre) if centre else False
    edge_table = _edge_segments(graph, nodes)
    scored = "score" in edge_table.columns

    hidden = alt.Axis(title=None, labels=False, ticks=False, grid=False, domain=False)
    colour = (
        alt.Color("score:Q").scale(scheme="orangered").title("edge score")
        if scored
        else alt.value("#999999")
    )
    lines = (
        alt.Chart(edge_table)
        .mark_rule(strokeWidth=2)
        .encode(
            x=alt.X("x:Q").axis(hidden),
            y=alt.Y("y:Q").axis(hidden),
            x2="x2:Q",
            y2="y2:Q",
            color=colour,
            tooltip=list(edge_table.columns.drop(["x", "y", "x2", "y2"])),
        )
    )
    base = alt.Chart(nodes[[NODE_ID, "type", "label", "x", "y", "centre"]])
    points = base.mark_circle(opacity=1.0, stroke="black").encode(
        x="x:Q",
        y="y:Q",
        color=alt.Color("type:N").scale(_TYPE_COLOURS).title("node type"),
        size=alt.condition("datum.centre", alt.value(400), alt.value(140)),
        tooltip=[NODE_ID, "type"],
    )
    text = base.mark_text(dy=-12, fontSize=10).encode(x="x:Q", y="y:Q", text="label:N")
    return (
        alt.layer(lines, points, text)
        .resolve_scale(color="independent")
        .properties(width=420, height=320, title="Neighbourhood of the alert")
    )


def comparison_chart(table: pd.DataFrame) -> alt.Chart:
    """Bars of recall, false-positive rate, precision and AUROC per detector.

    ``table`` is :func:`workbench.graph.compare.comparison_table`'s output.
    """
    figures = [c for c in ("recall", "fpr", "precision", "auroc") if c in table]
    long = table.melt(id_vars=["detector"], value_vars=figures, var_name="figure")
    long = long.dropna(subset=["value"])
    return (
        alt.Chart(long, title="Graph vs flat detector on the same connections")
        .mark_bar()
        .encode(
            x=alt.X("value:Q").scale(domain=[0, 1]).title(None),
            y=alt.Y("detector:N").title(None),
            color=alt.Color("detector:N").legend(None),
            row=alt.Row("figure:N").sort(figures).title(None),
            tooltip=["detector:N", "figure:N", alt.Tooltip("value:Q", format=".3f")],
        )
        .properties(width=300, height=50)
    )
