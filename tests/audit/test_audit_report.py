"""Summary table, Markdown and the files the report writes."""

from __future__ import annotations

import json

import pandas as pd

from workbench.audit.report import Finding, markdown_table, summary_table, write_report


def _findings() -> list[Finding]:
    rows = pd.DataFrame({"packet": [4, 9, 12], "gap_us": [1.0, 2.0, 3.0]})
    return [
        Finding("a.pcap", "duplicate packets", "full rule", 3, 30, rows, "packet"),
        Finding("t.csv", "duplicate flows", "all", 0, 10, pd.DataFrame(), "row"),
    ]


def test_summary_table_one_line_per_finding():
    """Counts, shares, example ids and the details file per finding."""
    findings = _findings()

    table = summary_table(findings)

    assert table["share"].tolist() == [0.1, 0.0]
    assert table["examples"].tolist() == ["4; 9; 12", ""]
    assert table["details"].tolist() == [
        "findings/a__duplicate-packets__full-rule.csv",
        "",
    ]


def test_markdown_table_has_one_row_per_line_and_escapes_pipes():
    """Cells with a pipe are escaped so the table keeps its columns."""
    table = pd.DataFrame({"check": ["a|b", "c"], "count": [1, 2]})

    text = markdown_table(table)

    lines = text.splitlines()
    assert len(lines) == 4
    assert lines[2] == "| a\\|b | 1 |"


def test_write_report_writes_summary_rows_and_tables(tmp_path):
    """Summary CSV/Markdown/JSON, the rows of each nonempty finding, extra tables."""
    findings = _findings()
    extra = {"per_flow": pd.DataFrame({"flow": ["x"], "duplicates": [3]})}

    written = write_report(findings, tmp_path, tables=extra)

    names = {p.relative_to(tmp_path).as_posix() for p in written}
    assert {"summary.csv", "summary.md", "summary.json", "tables/per_flow.csv"} <= names
    rows = pd.read_csv(tmp_path / "findings" / "a__duplicate-packets__full-rule.csv")
    assert rows["packet"].tolist() == [4, 9, 12]
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert [s["count"] for s in summary] == [3, 0]
    assert "| a.pcap | duplicate packets |" in (tmp_path / "summary.md").read_text()
