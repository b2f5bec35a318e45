"""Side-by-side shares of one field in real and synthetic flows, as a table or chart.

Categorical fields compare their most frequent values; numeric fields compare
power-of-two bins (0 on its own); the time of day compares flows per hour. This is a
visual check for the generation lab, not an evaluation metric: the metrics of the
FlowChronicle protocol live elsewhere.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from workbench.errors import SchemaError
from workbench.schema import TS

__all__ = ["share_table", "share_chart", "hour_table", "hour_chart"]

_OTHER = "other"


def share_table(
    real: pd.DataFrame, synthetic: pd.DataFrame, column: str, *, top: int = 10
) -> pd.DataFrame:
    """Share of each value (or bin) of ``column`` in both tables, long format.

    Returns
    -------
    pandas.DataFrame
        Columns ``value``, ``source`` (``"real"`` or ``"synthetic"``) and ``share``.

    Examples
    --------
    >>> real = pd.DataFrame({"proto": ["tcp", "tcp", "udp"]})
    >>> fake = pd.DataFrame({"proto": ["tcp", "udp"]})
    >>> share_table(real, fake, "proto").pivot(index="value", columns="source",
    ...                                        values="share").round(2).to_dict()
    {'real': {'tcp': 0.67, 'udp': 0.33}, 'synthetic': {'tcp': 0.5, 'udp': 0.5}}
    """
    _require(real, synthetic, column)
    numeric = pd.api.types.is_numeric_dtype(real[column].dtype) and not (
        pd.api.types.is_integer_dtype(real[column].dtype)
        and real[column].nunique() < 50
    )
    label = _log2_bins if numeric else _top_values(real[column], top)
    frames = []
    for source, table in (("real", real), ("synthetic", synthetic)):
        values = label(table[column])
        shares = values.value_counts(normalize=True, dropna=False)
        frames.append(
            pd.DataFrame(
                {
                    "value": shares.index.astype(str),
                    "source": source,
                    "share": shares.to_numpy(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _top_values(reference: pd.Series, top: int):
    keep = set(reference.astype(str).value_counts().index[:top])

    def label(values: pd.Series) -> pd.Series:
        text = values.astype(str)
        return text.where(text.isin(keep), _OTHER)

    return label


def _log2_bins(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    exponent = np.floor(np.log2(np.where(numbers > 0, numbers, 1.0))).astype(int)
    text = np.where(numbers > 0, [f"[2^{e}, 2^{e + 1})" for e in exponent], "0")
    return pd.Series(np.where(np.isnan(numbers), "missing", text))


def share_chart(
    real: pd.DataFrame, synthetic: pd.DataFrame, column: str, *, top: int = 10
) -> alt.Chart:
    """Grouped bars of :func:`share_table`: one bar per source and value.

    Examples
    --------
    >>> real = pd.DataFrame({"proto": ["tcp", "udp"]})
    >>> share_chart(real, real, "proto").mark
    'bar'
    """
    table = share_table(real, synthetic, column, top=top)
    return (
        alt.Chart(table)
        .mark_bar()
        .encode(
            y=alt.Y("value:N", title=column, sort="-x"),
            x=alt.X("share:Q", axis=alt.Axis(format="%"), title="share of flows"),
            yOffset="source:N",
            color=alt.Color("source:N", title=None),
            tooltip=["value", "source", alt.Tooltip("share:Q", format=".1%")],
        )
        .properties(width=420, title=f"{column}: real vs synthetic")
    )


def _require(real: pd.DataFrame, synthetic: pd.DataFrame, column: str) -> None:
    for name, table in (("real", real), ("synthetic", synthetic)):
        if column not in table.columns:
            raise SchemaError(f"the {name} flows have no field {column!r} to compare.")


def hour_table(real: pd.DataFrame, synthetic: pd.DataFrame) -> pd.DataFrame:
    """Flows per hour of day (UTC clock of ``ts``) in both tables, long format.

    Returns
    -------
    pandas.DataFrame
        24 rows per source: ``hour`` (0-23), ``source``, ``flows`` and ``share`` (of
        that source's flows).

    Examples
    --------
    >>> real = pd.DataFrame({"ts": [0.0, 3600.0, 3700.0]})
    >>> fake = pd.DataFrame({"ts": [7200.0]})
    >>> table = hour_table(real, fake)
    >>> table[table["flows"] > 0][["hour", "source", "flows"]].values.tolist()
    [[0, 'real', 1], [1, 'real', 2], [2, 'synthetic', 1]]
    """
    _require(real, synthetic, TS)
    frames = []
    for source, table in (("real", real), ("synthetic", synthetic)):
        seconds = pd.to_numeric(table[TS], errors="coerce").dropna().to_numpy()
        hours = (np.floor(seconds / 3600.0) % 24).astype(int)
        counts = np.bincount(hours, minlength=24)
        frames.append(
            pd.DataFrame(
                {
                    "hour": np.arange(24),
                    "source": source,
                    "flows": counts,
                    "share": counts / max(int(counts.sum()), 1),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def hour_chart(real: pd.DataFrame, synthetic: pd.DataFrame) -> alt.Chart:
    """Bars of :func:`hour_table`: share of flows per hour, sources side by side.

    Shares, not counts, so samples of any size compare with the real flows.

    Examples
    --------
    >>> real = pd.DataFrame({"ts": [0.0, 3600.0]})
    >>> hour_chart(real, real).mark
    'bar'
    """
    table = hour_table(real, synthetic)
    return (
        alt.Chart(table)
        .mark_bar()
        .encode(
            x=alt.X("hour:O", title="hour of day (UTC)"),
            y=alt.Y("share:Q", axis=alt.Axis(format="%"), title="share of flows"),
            xOffset="source:N",
            color=alt.Color("source:N", title=None),
            tooltip=["hour", "source", "flows", alt.Tooltip("share:Q", format=".1%")],
        )
        .properties(width=560, title="flows per hour of day: real vs synthetic")
    )
