"""Tests of the benchmark report files and their Markdown tables."""

from __future__ import annotations

import json

import pandas as pd

from workbench.explain_bench.methods import ABS, ERROR_METHODS, PVALUES_INTERP
from workbench.explain_bench.report import (
    FILES,
    accuracy_table,
    markdown_report,
    time_table,
    write_report,
)


def test_write_report_writes_every_file(median_result, tmp_path):
    """CSV, Markdown and JSON files appear, and the CSVs round-trip the scores."""
    metrics = write_report(median_result, tmp_path, title="Gaussian")

    scores = pd.read_csv(tmp_path / "scores.csv")
    assert all((tmp_path / name).is_file() for name in FILES)
    assert len(scores) == len(median_result.scores)
    assert json.loads((tmp_path / "metrics.json").read_text()) == json.loads(
        json.dumps(metrics, default=str)
    )
    assert (tmp_path / "report.md").read_text().startswith("# Gaussian")


def test_accuracy_table_has_one_row_per_method_in_report_order(median_result):
    """Methods come in the order of METHODS, with one column per criterion and K."""
    table = accuracy_table(median_result, "all", ("strict", "corr>=0.7"))

    assert table["method"].tolist() == list(ERROR_METHODS[:3]) + ["random"]
    assert table.columns[:4].tolist() == ["method", "n", "strict top-1", "strict top-2"]
    assert len(table.columns) == 2 + 10
    assert table["n"].eq("600").all()


def test_markdown_report_shows_subsets_sensitivity_and_times(median_result):
    """The report has the A_all and A_det tables, the 0.9 run and the timing table."""
    text = markdown_report(median_result)

    assert "(A_all)" in text and "(A_det)" in text
    assert "corr>=0.9 top-1" in text
    assert "## Time per explanation" in text
    assert text.count(f"| {PVALUES_INTERP} |") == 4


def test_time_table_reports_the_ratio_to_pvalues(median_result):
    """The timing table carries the ratio column, 1× for AE-pvalues (interp)."""
    table = time_table(median_result).set_index("method")

    assert table.loc[PVALUES_INTERP, "× AE-pvalues (interp)"] == "1×"
    assert ABS in table.index
