"""Findings of the audit checks, their summary table, and the files that report them.

A :class:`Finding` is one count with the rows or packets behind it; the summary table
has one line per finding and names the file that lists those rows. The module writes
CSV, Markdown, JSON and chart files; it runs no check and draws no chart itself.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import altair as alt
import pandas as pd

__all__ = ["Finding", "summary_table", "markdown_table", "write_report"]

logger = logging.getLogger(__name__)

#: How many row or packet ids the summary shows per finding.
EXAMPLES = 5
SUMMARY_COLUMNS = (
    "source",
    "check",
    "key",
    "count",
    "total",
    "share",
    "examples",
    "details",
    "advice",
)


@dataclass(frozen=True)
class Finding:
    """One result of one check: how many rows or packets, and which.

    Parameters
    ----------
    source : str
        File or data set the check ran on.
    check : str
        Name of the check, e.g. ``"duplicate packets"``.
    key : str
        What the count is about within the check: ``"all"``, a column, a label.
    count, total : int
        Rows or packets concerned, and how many were examined.
    rows : pandas.DataFrame
        The rows or packets concerned, with the id column first.
    id_column : str
        Column of ``rows`` that names them (``packet`` numbers, table ``row``).
    advice : str
        What to do about it.

    Examples
    --------
    >>> f = Finding("a.pcap", "duplicate packets", "all", 2, 8,
    ...             pd.DataFrame({"packet": [4, 7]}), "packet")
    >>> f.share, f.examples
    (0.25, '4; 7')
    """

    source: str
    check: str
    key: str
    count: int
    total: int
    rows: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False, compare=False)
    id_column: str = ""
    advice: str = ""

    @property
    def share(self) -> float | None:
        """``count / total``, or ``None`` when nothing was examined."""
        return self.count / self.total if self.total else None

    @property
    def examples(self) -> str:
        """The first few ids of the rows concerned, separated by semicolons."""
        if not self.id_column or self.id_column not in self.rows.columns:
            return ""
        return "; ".join(str(v) for v in self.rows[self.id_column].head(EXAMPLES))

    @property
    def slug(self) -> str:
        """File-name stem for the rows of this finding."""
        text = f"{Path(self.source).stem}__{self.check}__{self.key}".lower()
        return re.sub(r"[^a-z0-9_.-]+", "-", text).strip("-")[:120]


def summary_table(findings: Sequence[Finding]) -> pd.DataFrame:
    """One line per finding: counts, share, example ids and the details file.

    Examples
    --------
    >>> t = summary_table([Finding("t.csv", "missing values", "Flow IAT Max", 1, 4)])
    >>> t[["check", "count", "share"]].to_dict("records")
    [{'check': 'missing values', 'count': 1, 'share': 0.25}]
    """
    rows = [
        {
            "source": f.source,
            "check": f.check,
            "key": f.key,
            "count": f.count,
            "total": f.total,
            "share": f.share,
            "examples": f.examples,
            "details": f"findings/{f.slug}.csv" if len(f.rows) else "",
            "advice": f.advice,
        }
        for f in findings
    ]
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def markdown_table(table: pd.DataFrame) -> str:
    r"""A GitHub Markdown table of ``table`` (shares as percentages).

    Examples
    --------
    >>> print(markdown_table(pd.DataFrame({"check": ["a|b"], "share": [0.5]})))
    | check | share |
    |---|---|
    | a\|b | 50.00 % |
    """
    header = "| " + " | ".join(table.columns) + " |"
    lines = [header, "|" + "---|" * len(table.columns)]
    for _, row in table.iterrows():
        cells = [_cell(name, value) for name, value in row.items()]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(name: str, value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if name == "share" and isinstance(value, float):
        return f"{100 * value:.2f} %"
    return str(value).replace("|", "\\|").replace("\n", " ")


def write_report(
    findings: Sequence[Finding],
    out_dir: str | Path,
    *,
    charts: Mapping[str, alt.TopLevelMixin] | None = None,
    tables: Mapping[str, pd.DataFrame] | None = None,
    png: bool = False,
) -> list[Path]:
    """Write the summary, the rows of every finding, extra tables and the charts.

    Files: ``summary.csv``, ``summary.md``, ``summary.json``, ``findings/<slug>.csv``
    per finding with rows, ``tables/<name>.csv`` per extra table, and
    ``charts/<name>.html`` (plus ``.png`` when ``png``) per chart. Returns the paths
    written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    table = summary_table(findings)
    written = [out / "summary.csv", out / "summary.md", out / "summary.json"]
    table.to_csv(written[0], index=False)
    written[1].write_text("# Audit summary\n\n" + markdown_table(table) + "\n")
    records = json.loads(table.to_json(orient="records"))
    written[2].write_text(json.dumps(records, indent=1) + "\n")
    for finding in findings:
        if len(finding.rows):
            (out / "findings").mkdir(exist_ok=True)
            path = out / "findings" / f"{finding.slug}.csv"
            finding.rows.to_csv(path, index=False)
            written.append(path)
    if tables:
        (out / "tables").mkdir(exist_ok=True)
    for name, extra in (tables or {}).items():
        written.append(out / "tables" / f"{name}.csv")
        extra.to_csv(written[-1], index=False)
    written += _write_charts(charts or {}, out / "charts", png)
    logger.info("wrote %d files to %s", len(written), out)
    return written


def _write_charts(
    charts: Mapping[str, alt.TopLevelMixin], folder: Path, png: bool
) -> list[Path]:
    written: list[Path] = []
    if charts:
        folder.mkdir(parents=True, exist_ok=True)
    for name, chart in charts.items():
        # inline=True embeds the Vega libraries, so the page works offline.
        chart.save(folder / f"{name}.html", inline=True)
        written.append(folder / f"{name}.html")
        if png:
            chart.save(folder / f"{name}.png", scale_factor=1.0)
            written.append(folder / f"{name}.png")
    return written
