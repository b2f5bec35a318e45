"""The result of an explanation benchmark: per-seed scores and times, and summaries.

:class:`BenchResult` holds the long tables the benchmark measured and averages them
over seeds; it computes no ranking and writes no file (see ``report``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from workbench.explain_bench.methods import PVALUES_INTERP
from workbench.explain_bench.samples import BenchSamples

__all__ = ["BenchResult", "SUBSETS", "correlated_name"]

#: Row subsets scored: every noised row (A_all), those flagged at the benchmark's
#: false-positive rate (A_det), and those SHAP_AE explained (A_shap).
SUBSETS = ("all", "detected", "SHAP rows")


def correlated_name(cutoff: float) -> str:
    """Criterion name of the correlated variant at ``cutoff``.

    Examples
    --------
    >>> correlated_name(0.7)
    'corr>=0.7'
    """
    return f"corr>={cutoff:g}"


@dataclass(eq=False)
class BenchResult:
    """Scores, times and the first seed's noised rows of one benchmark.

    Attributes
    ----------
    scores : pandas.DataFrame
        ``seed, method, criterion, subset, k, accuracy, n`` for every seed.
    times : pandas.DataFrame
        ``seed, method, rows, seconds, ms_per_row``.
    samples : BenchSamples
        The first seed's noised rows, for the explorer.
    settings : dict
        Parameters and sizes, as written to the report.
    """

    scores: pd.DataFrame
    times: pd.DataFrame
    samples: BenchSamples
    settings: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        """Accuracy mean and standard deviation over seeds, with the mean subset size.

        Examples
        --------
        >>> scores = pd.DataFrame({"seed": [0, 1], "method": "m", "criterion": "c",
        ...                        "subset": "all", "k": 1, "accuracy": [0.5, 0.7],
        ...                        "n": [10, 12]})
        >>> empty = pd.DataFrame()
        >>> row = BenchResult(scores, empty, None).summary().iloc[0]
        >>> [round(float(row[c]), 3) for c in ("mean", "sd", "n")]
        [0.6, 0.141, 11.0]
        """
        keys = ["method", "criterion", "subset", "k"]
        grouped = self.scores.groupby(keys, sort=False)
        table = grouped.agg(
            mean=("accuracy", "mean"), sd=("accuracy", "std"), n=("n", "mean")
        )
        return table.reset_index()

    def time_summary(self) -> pd.DataFrame:
        """Mean milliseconds per explained row, and the ratio to AE-pvalues (interp)."""
        table = self.times.groupby("method", sort=False).agg(
            rows=("rows", "mean"), ms_per_row=("ms_per_row", "mean")
        )
        if PVALUES_INTERP in table.index:
            base = table.loc[PVALUES_INTERP, "ms_per_row"]
            table["vs_pvalues"] = table["ms_per_row"] / base
        return table.reset_index()
