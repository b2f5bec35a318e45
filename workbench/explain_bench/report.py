"""Benchmark reports: the measured tables as CSV, Markdown and JSON files.

:func:`markdown_report` renders the headline tables (top-K accuracy per method, strict
and correlated, on each subset, mean ± sd over seeds, and time per explanation);
:func:`write_report` writes them next to the raw scores. Nothing is computed here
beyond averages, and nothing is drawn.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench.explain_bench.methods import METHODS
from workbench.explain_bench.result import SUBSETS, BenchResult, correlated_name
from workbench.explain_bench.scoring import STRICT

__all__ = ["accuracy_table", "time_table", "markdown_report", "write_report", "FILES"]

#: Files written by :func:`write_report`.
FILES = (
    "scores.csv",
    "summary.csv",
    "times.csv",
    "samples.csv",
    "report.md",
    "metrics.json",
)

_SUBSET_TITLES = {
    "all": "all noised rows (A_all)",
    "detected": "noised rows the detector flags (A_det)",
    "SHAP rows": "rows SHAP_AE explained (top by MSE among the noised rows)",
}


def accuracy_table(
    result: BenchResult, subset: str, criteria: tuple[str, ...]
) -> pd.DataFrame:
    """Wide table for one subset: one row per method, ``mean ± sd`` per criterion and K.

    Examples
    --------
    >>> scores = pd.DataFrame({"seed": [0, 1], "method": "AE-abs",
    ...                        "criterion": "strict", "subset": "all", "k": 1,
    ...                        "accuracy": [0.5, 0.7], "n": [10, 12]})
    >>> table = accuracy_table(BenchResult(scores, pd.DataFrame(), None), "all",
    ...                        ("strict",))
    >>> table.to_dict("records")
    [{'method': 'AE-abs', 'n': '11', 'strict top-1': '0.600 ± 0.141'}]
    """
    summary = result.summary()
    summary = summary[
        summary["subset"].eq(subset) & summary["criterion"].isin(criteria)
    ]
    if summary.empty:
        return pd.DataFrame()
    cell = summary["mean"].map("{:.3f}".format)
    spread = summary["sd"].map(lambda v: "" if np.isnan(v) else f" ± {v:.3f}")
    summary = summary.assign(
        cell=cell + spread,
        column=summary["criterion"] + " top-" + summary["k"].astype(str),
    )
    wide = summary.pivot_table(
        index="method", columns="column", values="cell", aggfunc="first", sort=False
    )
    columns = [f"{c} top-{k}" for c in criteria for k in sorted(summary["k"].unique())]
    wide = wide.reindex(columns=[c for c in columns if c in wide.columns])
    sizes = summary.groupby("method", sort=False)["n"].first().map("{:.0f}".format)
    wide.insert(0, "n", sizes)
    order = [m for m in METHODS if m in wide.index]
    return wide.reindex(order).reset_index()


def time_table(result: BenchResult) -> pd.DataFrame:
    """Milliseconds per explanation and the ratio to AE-pvalues (interp)."""
    table = result.time_summary()
    table["ms_per_row"] = table["ms_per_row"].map("{:.4g}".format)
    table["rows"] = table["rows"].map("{:.0f}".format)
    if "vs_pvalues" in table.columns:
        table["vs_pvalues"] = table["vs_pvalues"].map("{:.3g}×".format)
    names = {
        "rows": "rows ranked per seed",
        "ms_per_row": "ms per explanation",
        "vs_pvalues": "× AE-pvalues (interp)",
    }
    return table.rename(columns=names)


def markdown_report(
    result: BenchResult, *, title: str = "Explanation benchmark"
) -> str:
    """The measured tables of one benchmark as Markdown."""
    settings = result.settings
    cutoffs = settings.get("cutoffs", [0.7])
    headline = (STRICT, correlated_name(cutoffs[0]))
    lines = [f"# {title}", "", _settings_line(settings), ""]
    for subset in SUBSETS:
        table = accuracy_table(result, subset, headline)
        if table.empty:
            continue
        lines += [f"## Top-K accuracy, {_SUBSET_TITLES[subset]}", ""]
        lines += [_markdown(table), ""]
    if len(cutoffs) > 1:
        sensitivity = tuple(correlated_name(c) for c in cutoffs)
        table = accuracy_table(result, "all", (STRICT, *sensitivity))
        keep = ["method", "n", *[c for c in table.columns if c.endswith("top-1")]]
        lines += ["## Correlation cut-off sensitivity (top-1, all noised rows)", ""]
        lines += [_markdown(table[keep]), ""]
    lines += ["## Time per explanation", "", _markdown(time_table(result)), ""]
    lines += [
        "AE-pvalues and AE-abs time excludes the forward pass, which detection has "
        "already paid; SHAP_AE time includes its model calls.",
        "",
    ]
    return "\n".join(lines)


def write_report(
    result: BenchResult, out: str | Path, *, title: str = "Explanation benchmark"
) -> dict[str, Any]:
    """Write :data:`FILES` into ``out``; return the metrics written as JSON."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    result.scores.to_csv(out / "scores.csv", index=False)
    result.summary().to_csv(out / "summary.csv", index=False)
    result.times.to_csv(out / "times.csv", index=False)
    result.samples.table.to_csv(out / "samples.csv", index=False)
    (out / "report.md").write_text(markdown_report(result, title=title))

    summary = result.summary()
    top1 = summary[summary["k"].eq(1)]
    metrics = {
        "settings": result.settings,
        "top1": top1.replace({np.nan: None}).to_dict("records"),
        "times": result.time_summary().to_dict("records"),
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2, default=str))
    return metrics


def _settings_line(settings: dict[str, Any]) -> str:
    shap = settings.get("shap")
    shap_text = (
        f"; SHAP_AE on the top {shap['n_records']} noised rows by MSE, background "
        f"{shap['background_size']} rows, nsamples {shap['nsamples']}"
        if shap
        else ""
    )
    model = (
        f" Autoencoder: hidden {settings['hidden']}, {settings['epochs']} epochs (of "
        f"{settings['max_epochs']}), final validation loss "
        f"{settings['final_val_loss']:.4g}."
        if "hidden" in settings
        else ""
    )
    return (
        f"Data: {settings.get('data', '?')}; {settings.get('benign_rows')} benign "
        f"training rows, {settings.get('test_rows')} held-out rows, "
        f"{settings.get('features')} features. Noise: rate {settings.get('rate')}, "
        f"kinds {', '.join(settings.get('kinds', []))}, targets "
        f"{', '.join(settings.get('targets', {}))}. Seeds "
        f"{settings.get('seeds')} (mean ± sd). Detected = score above the threshold "
        f"at FPR {settings.get('fpr')}. Correlated criterion: |ρ| ≥ "
        f"{settings.get('cutoffs', [0.7])[0]} on benign training rows{shap_text}."
        f"{model}"
    )


def _markdown(table: pd.DataFrame) -> str:
    """A plain Markdown table (no optional ``tabulate`` dependency)."""
    header = "| " + " | ".join(map(str, table.columns)) + " |"
    rule = "|" + "|".join("---" for _ in table.columns) + "|"
    rows = ["| " + " | ".join(map(str, row)) + " |" for row in table.to_numpy()]
    return "\n".join([header, rule, *rows])
