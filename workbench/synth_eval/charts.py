"""Altair charts of an evaluation: metric means with spread, ranks, per-column values.

Every chart reads the tables of an :class:`~workbench.synth_eval.run.Evaluation` and
nothing else; they render offline once the notebook has called
``widgets.enable_offline()``. Saving is ``report``'s job.
"""

from __future__ import annotations

import altair as alt

from workbench.synth_eval.ranking import REFERENCE
from workbench.synth_eval.run import Evaluation

__all__ = [
    "metric_chart",
    "rank_chart",
    "per_column_chart",
    "acfd_chart",
    "evaluation_charts",
]


def metric_chart(evaluation: Evaluation) -> alt.FacetChart:
    """One small bar chart per metric: mean per model with a ± std rule.

    Examples
    --------
    >>> import pandas as pd
    >>> summary = pd.DataFrame({"mean": [0.1, 0.2], "std": [0.01, 0.02],
    ...     "valid": [2, 2]}, index=pd.MultiIndex.from_tuples(
    ...     [("Reference", "JSD"), ("A", "JSD")], names=["model", "metric"]))
    >>> ev = Evaluation(pd.DataFrame(), summary, pd.DataFrame(), pd.DataFrame(),
    ...                 pd.DataFrame(), pd.DataFrame(), None)
    >>> metric_chart(ev).to_dict()["facet"]["field"]
    'metric'
    """
    data = evaluation.summary.reset_index()
    data["low"], data["high"] = data["mean"] - data["std"], data["mean"] + data["std"]
    data["row"] = data["model"].eq(REFERENCE).map({True: "reference", False: "model"})
    base = alt.Chart().encode(y=alt.Y("model:N", sort=None, title=None))
    bars = base.mark_bar().encode(
        x=alt.X("mean:Q", title="mean over runs"),
        color=alt.Color("row:N", legend=None),
        tooltip=["model", "metric", alt.Tooltip("mean:Q", format=".4f"),
                 alt.Tooltip("std:Q", format=".4f"), "valid"],
    )  # fmt: skip
    spread = base.mark_rule().encode(x="low:Q", x2="high:Q")
    return (
        alt.layer(bars, spread, data=data)
        .properties(width=180, height=110)
        .facet(facet=alt.Facet("metric:N", sort=None), columns=3)
        .resolve_scale(x="independent")
    )


def rank_chart(evaluation: Evaluation) -> alt.LayerChart:
    """Heat map of each generator's rank per metric, mean rank last.

    Examples
    --------
    >>> import pandas as pd
    >>> ranks = pd.DataFrame({"JSD": [1.0, 2.0], "mean rank": [1.0, 2.0]},
    ...                      index=["A", "B"])
    >>> ev = Evaluation(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), ranks,
    ...                 pd.DataFrame(), pd.DataFrame(), None)
    >>> rank_chart(ev).layer[1].mark
    'text'
    """
    ranks = evaluation.ranks.rename_axis("model").reset_index()
    data = ranks.melt(id_vars="model", var_name="metric", value_name="rank")
    base = alt.Chart(data).encode(
        x=alt.X("metric:N", sort=None, title=None),
        y=alt.Y("model:N", sort=None, title=None),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("rank:Q", scale=alt.Scale(scheme="greens", reverse=True))
    )
    text = base.mark_text().encode(text=alt.Text("rank:Q", format=".3g"))
    return (cells + text).properties(title="rank per metric (1 = best)")


def per_column_chart(evaluation: Evaluation, metric: str = "JSD") -> alt.Chart:
    """Grouped bars of one metric per column (``JSD``, ``EMD`` or ``EMD_W1``).

    Examples
    --------
    >>> import pandas as pd
    >>> per_column = pd.DataFrame({"model": ["A"], "metric": ["JSD"],
    ...                            "column": ["proto"], "value": [0.1]})
    >>> ev = Evaluation(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
    ...                 pd.DataFrame(), per_column, pd.DataFrame(), None)
    >>> per_column_chart(ev).mark
    'bar'
    """
    data = evaluation.per_column[evaluation.per_column["metric"] == metric]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("column:N", sort=None, title=None),
            yOffset=alt.YOffset("model:N", sort=None),
            x=alt.X("value:Q", title=f"{metric}, mean over runs (lower is better)"),
            color=alt.Color("model:N", sort=None),
            tooltip=["model", "column", alt.Tooltip("value:Q", format=".4f")],
        )
        .properties(width=380, title=f"{metric} per column")
    )


def acfd_chart(evaluation: Evaluation) -> alt.Chart:
    """Grouped bars of the ACF difference x 10^5 per continuous column.

    Examples
    --------
    >>> import pandas as pd
    >>> acfd = pd.DataFrame({"In Byte": [4.0]}, index=["A"])
    >>> ev = Evaluation(pd.DataFrame(), pd.DataFrame(), pd.DataFrame(),
    ...                 pd.DataFrame(), pd.DataFrame(), pd.DataFrame(), acfd)
    >>> acfd_chart(ev).mark
    'bar'
    """
    data = evaluation.acfd.rename_axis("model").reset_index()
    data = data.melt(id_vars="model", var_name="column", value_name="ACFD x 1e5")
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("column:N", sort=None, title=None),
            yOffset=alt.YOffset("model:N", sort=None),
            x=alt.X("ACFD x 1e5:Q", title="ACF difference x 10^5 (lower is better)"),
            color=alt.Color("model:N", sort=None),
            tooltip=["model", "column", alt.Tooltip("ACFD x 1e5:Q", format=".2f")],
        )
        .properties(width=380, title="temporal: ACF difference per column")
    )


def evaluation_charts(evaluation: Evaluation) -> dict[str, alt.TopLevelMixin]:
    """Every chart of an evaluation by file stem, for ``report.write_report``."""
    charts = {
        "metrics": metric_chart(evaluation),
        "ranks": rank_chart(evaluation),
        "jsd_per_column": per_column_chart(evaluation, "JSD"),
        "emd_per_column": per_column_chart(evaluation, "EMD"),
    }
    if evaluation.acfd is not None:
        charts["acfd"] = acfd_chart(evaluation)
    return charts
