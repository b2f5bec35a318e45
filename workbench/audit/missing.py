"""Missing and infinite values per column and label, and what a ``dropna`` would cost.

Flow meters leave rate and inter-arrival statistics undefined for flows of one packet,
and such flows are what a port scan produces, so dropping incomplete rows removes
attacks first (the CIC-IDS2017 labelling lost about half of the Thursday scan this
way). The module counts; it never drops or fills a value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench import schema
from workbench.audit._rows import ID_COLUMNS, ROW, class_names, concerned
from workbench.audit.report import Finding

__all__ = ["LOSS_WARNING", "missing_values", "dropna_loss", "missing_findings"]

#: Share of a label's rows whose loss to ``dropna`` is flagged (spec section 5.4).
LOSS_WARNING = 0.05
_CLASS = "class"


def _numeric(flows: pd.DataFrame) -> list[str]:
    # A canonical field that is missing on every row was not provided by the format
    # (``schema.conform`` adds it); that is no finding about the data.
    absent = {c for c in schema.CONN_FIELDS if c in flows and flows[c].isna().all()}
    return [
        c
        for c in flows.columns
        if c not in ID_COLUMNS
        and c not in absent
        and pd.api.types.is_numeric_dtype(flows[c].dtype)
        and not pd.api.types.is_bool_dtype(flows[c].dtype)
    ]


def _values(flows: pd.DataFrame, column: str) -> np.ndarray:
    return flows[column].to_numpy(dtype="float64", na_value=np.nan)


def missing_values(flows: pd.DataFrame) -> pd.DataFrame:
    """NaN, +inf and -inf counts per numeric column and class (nonzero lines only).

    The class is the detailed label, else the label.

    Examples
    --------
    >>> t = pd.DataFrame({"x": [1.0, np.nan, np.inf], "label": ["benign"] * 3})
    >>> missing_values(t)[["column", "class", "nan", "posinf"]].to_dict("records")
    [{'column': 'x', 'class': 'benign', 'nan': 1, 'posinf': 1}]
    """
    classes = class_names(flows).to_numpy()
    parts = []
    for column in _numeric(flows):
        values = _values(flows, column)
        counts = (
            pd.DataFrame(
                {
                    _CLASS: classes,
                    "nan": np.isnan(values),
                    "posinf": np.isposinf(values),
                    "neginf": np.isneginf(values),
                }
            )
            .groupby(_CLASS, sort=True)[["nan", "posinf", "neginf"]]
            .sum()
        )
        counts = counts[counts.sum(axis=1) > 0].reset_index()
        counts.insert(0, "column", column)
        parts.append(counts)
    columns = ["column", _CLASS, "nan", "posinf", "neginf"]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns].astype(
        {"nan": "int64", "posinf": "int64", "neginf": "int64"}
    )


def _incomplete(flows: pd.DataFrame, *, inf_as_nan: bool) -> np.ndarray:
    lost = np.zeros(len(flows), dtype=bool)
    for column in _numeric(flows):
        values = _values(flows, column)
        lost |= ~np.isfinite(values) if inf_as_nan else np.isnan(values)
    return lost


def _tiny(flows: pd.DataFrame) -> np.ndarray:
    tiny = np.ones(len(flows), dtype=bool)
    for column in (schema.ORIG_PKTS, schema.RESP_PKTS):
        if column not in flows.columns:
            return np.zeros(len(flows), dtype=bool)
        tiny &= _values(flows, column) <= 1
    return tiny


def dropna_loss(flows: pd.DataFrame, *, inf_as_nan: bool = False) -> pd.DataFrame:
    """Rows per class that dropping incomplete numeric rows would remove.

    Parameters
    ----------
    flows : pandas.DataFrame
        Flow table.
    inf_as_nan : bool, default False
        Count infinities as missing too (the common ``replace(inf, nan).dropna()``).

    Returns
    -------
    pandas.DataFrame
        ``class``, ``rows``, ``lost``, ``lost_share``, ``lost_tiny`` (lost rows of at
        most one packet each way), ``tiny_share`` and ``warning`` (lost share above
        :data:`LOSS_WARNING`).

    Examples
    --------
    >>> t = pd.DataFrame({"x": [1.0, np.nan, np.nan, 4.0],
    ...                   "label": ["benign", "benign", "malicious", "malicious"]})
    >>> dropna_loss(t)[["class", "rows", "lost"]].values.tolist()
    [['benign', 2, 1], ['malicious', 2, 1]]
    """
    frame = pd.DataFrame(
        {
            _CLASS: class_names(flows).to_numpy(),
            "lost": _incomplete(flows, inf_as_nan=inf_as_nan),
        }
    )
    frame["lost_tiny"] = frame["lost"] & _tiny(flows)
    table = frame.groupby(_CLASS, sort=True).agg(
        rows=("lost", "size"), lost=("lost", "sum"), lost_tiny=("lost_tiny", "sum")
    )
    table = table.reset_index().astype({"lost": "int64", "lost_tiny": "int64"})
    table["lost_share"] = table["lost"] / table["rows"]
    lost = table["lost"].where(table["lost"] > 0)
    table["tiny_share"] = (table["lost_tiny"] / lost).fillna(0.0)
    table["warning"] = table["lost_share"] > LOSS_WARNING
    columns = [_CLASS, "rows", "lost", "lost_share", "lost_tiny", "tiny_share"]
    return table[[*columns, "warning"]]


def missing_findings(flows: pd.DataFrame, source: str) -> list[Finding]:
    """One finding per column with non-finite values and one per class for dropna.

    The dropna findings count rows with NaN or an infinity, as lost by the common
    ``replace([inf, -inf], nan).dropna()``; :func:`dropna_loss` also counts NaN only.
    """
    findings = []
    for column in _numeric(flows):
        values = _values(flows, column)
        bad = ~np.isfinite(values)
        if bad.any():
            rows = concerned(flows, bad, {column: values[bad]})
            advice = "fill with a sentinel (-1) and add a 0/1 indicator; never drop"
            findings.append(
                Finding(
                    source,
                    "missing or infinite values",
                    column,
                    int(bad.sum()),
                    len(flows),
                    rows,
                    ROW,
                    advice,
                )
            )
    lost = _incomplete(flows, inf_as_nan=True)
    classes = class_names(flows).to_numpy()
    for line in dropna_loss(flows, inf_as_nan=True).itertuples(index=False):
        rows = concerned(flows, lost & (classes == line[0]))
        advice = "keep rows with missing values"
        if line.warning:
            advice = (
                f"dropna would remove over {LOSS_WARNING:.0%} of this class; {advice}"
            )
        findings.append(
            Finding(
                source,
                "rows lost to dropna (NaN or inf)",
                str(line[0]),
                int(line.lost),
                int(line.rows),
                rows,
                ROW,
                advice,
            )
        )
    return findings
