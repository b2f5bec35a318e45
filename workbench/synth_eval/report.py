"""Write an evaluation as CSV, Markdown and Vega-Lite chart files.

The Markdown table follows the published layout: one row per model (Reference first),
each metric as mean ± std over runs, then the ranks and the mean rank; the metric mode
and the run settings are stated above it. Nothing here computes a metric.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.synth_eval.run import Evaluation

__all__ = ["markdown_table", "side_by_side", "write_report"]

logger = logging.getLogger(__name__)

_ARROWS = {"Density": "↑", "Coverage": "↑", "MD": "(→ ref)"}


def _cell(mean: float, std: float, digits: int) -> str:
    if np.isnan(mean):
        return "n/a"
    spread = "" if np.isnan(std) else f" ± {std:.{digits}f}"
    return f"{mean:.{digits}f}{spread}"


def _markdown(frame: pd.DataFrame) -> str:
    header = "| model | " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|---" * (frame.shape[1] + 1) + "|"
    rows = [f"| {i} | " + " | ".join(map(str, r)) + " |" for i, r in frame.iterrows()]
    return "\n".join([header, rule, *rows])


def markdown_table(evaluation: Evaluation, *, digits: int = 3) -> str:
    """The paper-style tables of means ± std and of ranks, as Markdown.

    Examples
    --------
    >>> runs = pd.DataFrame({"model": ["Reference", "A"], "run": 0,
    ...                      "metric": "JSD", "value": [0.1, 0.2]})
    >>> summary = pd.DataFrame({"mean": [0.1, 0.2], "std": [np.nan, np.nan],
    ...     "valid": [1, 1]}, index=pd.MultiIndex.from_tuples(
    ...     [("Reference", "JSD"), ("A", "JSD")], names=["model", "metric"]))
    >>> means = pd.DataFrame({"JSD": [0.1, 0.2]}, index=["Reference", "A"])
    >>> ranks = pd.DataFrame({"JSD": [1.0], "mean rank": [1.0]}, index=["A"])
    >>> ev = Evaluation(runs, summary, means, ranks, pd.DataFrame(), pd.DataFrame(),
    ...                 None, {"runs": 1, "n": 2, "mode": "clean"})
    >>> print(markdown_table(ev).splitlines()[5])
    | A | 0.200 |
    """
    settings = evaluation.settings
    means = evaluation.means
    cells = pd.DataFrame(index=means.index)
    for metric in means.columns:
        label = f"{metric}{_ARROWS.get(metric, '↓')}"
        cells[label] = [
            _cell(*evaluation.summary.loc[(model, metric), ["mean", "std"]], digits)
            for model in means.index
        ]
    ranks = evaluation.ranks.copy()
    ranks = ranks.map(lambda v: "n/a" if pd.isna(v) else f"{v:g}")
    ranks["mean rank"] = [f"{v:.3f}" for v in evaluation.ranks["mean rank"]]
    intro = (
        f"Means ± std over {settings.get('runs')} runs of {settings.get('n')} flows, "
        f"mode {settings.get('mode')!r}; EMD is EMD_ref, EMD_W1 is the textbook "
        "distance (not ranked); MD is ranked by its distance to the Reference row."
    )
    return "\n\n".join([intro, _markdown(cells), "Ranks (ties share the lower rank):",
                        _markdown(ranks)])  # fmt: skip


def side_by_side(measured: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Measured and published values of each metric in adjacent columns.

    Examples
    --------
    >>> a = pd.DataFrame({"JSD": [0.1]}, index=["X"])
    >>> b = pd.DataFrame({"JSD": [0.2]}, index=["X"])
    >>> side_by_side(a, b).columns.tolist()
    ['JSD (ours)', 'JSD (paper)']
    """
    out = pd.DataFrame(index=measured.index)
    for metric in measured.columns:
        out[f"{metric} (ours)"] = measured[metric]
        if metric in published.columns:
            out[f"{metric} (paper)"] = published[metric].reindex(measured.index)
    return out


def write_report(
    evaluation: Evaluation, out_dir: str | Path, *, charts: bool = True
) -> list[Path]:
    """Write tables (CSV), the Markdown table, settings (JSON) and charts.

    Returns
    -------
    list of Path
        The files written: ``runs.csv``, ``summary.csv``, ``means.csv``,
        ``ranks.csv``, ``per_column.csv``, ``dkc_rules.csv``, ``acfd.csv`` and
        ``lstm.csv`` (when computed), ``table.md``, ``settings.json`` and
        ``*.vl.json`` charts.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = {
        "runs.csv": evaluation.runs,
        "summary.csv": evaluation.summary.reset_index(),
        "means.csv": evaluation.means.rename_axis("model").reset_index(),
        "ranks.csv": evaluation.ranks.rename_axis("model").reset_index(),
        "per_column.csv": evaluation.per_column,
        "dkc_rules.csv": evaluation.dkc_rules.rename_axis("model").reset_index(),
    }
    if evaluation.acfd is not None:
        tables["acfd.csv"] = evaluation.acfd.rename_axis("model").reset_index()
    if evaluation.lstm is not None:
        tables["lstm.csv"] = evaluation.lstm.rename_axis("model").reset_index()
    written = []
    for name, table in tables.items():
        table.to_csv(out / name, index=False)
        written.append(out / name)
    (out / "table.md").write_text(markdown_table(evaluation) + "\n")
    (out / "settings.json").write_text(json.dumps(evaluation.settings, indent=2))
    written += [out / "table.md", out / "settings.json"]
    if charts:
        from workbench.synth_eval.charts import evaluation_charts

        for name, chart in evaluation_charts(evaluation).items():
            path = out / f"{name}.vl.json"
            path.write_text(chart.to_json())
            written.append(path)
    logger.info("wrote %d files to %s", len(written), out)
    return written
