"""The noised rows of one benchmark seed, kept for inspection one sample at a time.

:class:`BenchSamples` holds the inputs, errors, ground truth and every method's order
of the noised rows, and builds the per-sample evidence table the explorer and the
notebook draw (p-values, absolute errors, SHAP attributions, injected flag). It runs
no model and scores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.explain_bench.methods import ABS, PVALUES_INTERP
from workbench.pvalues import AEPValues

__all__ = ["BenchSamples", "EVIDENCE_COLUMNS", "OUTCOMES"]

#: Whether AE-pvalues (interp) and AE-abs put an injected feature first.
OUTCOMES = ("both top-1", "only AE-pvalues top-1", "only AE-abs top-1", "neither")

#: Columns of :meth:`BenchSamples.evidence`.
EVIDENCE_COLUMNS = (
    "sample",
    "feature",
    "injected",
    "value",
    "error",
    "abs_error",
    "p_value",
    "pvalue_rank",
    "abs_rank",
    "shap_attribution",
    "shap_rank",
)


@dataclass(eq=False)
class BenchSamples:
    """Noised rows of one seed with what each method said about them.

    Attributes
    ----------
    feature_names : list of str
        One name per column.
    table : pandas.DataFrame
        One line per noised row (``sample`` = its position here): row, target,
        kind, factor, columns, score, detected, shap_explained, and the 1-based rank
        of the first injected feature per method (``d + 1`` when absent).
    inputs, errors : ndarray of shape (m, d)
        Noised model inputs and their signed errors.
    truth : ndarray of bool, shape (m, d)
        Injected columns.
    orders : dict of str to ndarray of shape (m, d)
        Order of each error-only method.
    explainer : AEPValues
        The fitted AE-pvalues (interp) explainer of the benchmark.
    shap_samples : ndarray of int
        Samples explained by SHAP_AE.
    shap_orders, shap_attribution : ndarray of shape (len(shap_samples), d)
        SHAP_AE order and summed |phi| of those samples.
    """

    feature_names: list[str]
    table: pd.DataFrame
    inputs: np.ndarray
    errors: np.ndarray
    truth: np.ndarray
    orders: dict[str, np.ndarray]
    explainer: AEPValues
    shap_samples: np.ndarray
    shap_orders: np.ndarray
    shap_attribution: np.ndarray

    def evidence(self, sample: int) -> pd.DataFrame:
        """Every feature of one noised row with each method's verdict.

        Returns
        -------
        pandas.DataFrame
            Columns :data:`EVIDENCE_COLUMNS`, in AE-pvalues order; SHAP columns are
            NaN when SHAP_AE did not explain this sample.
        """
        pvalues = self.explanation(sample)
        position = _positions(pvalues["feature"], self.feature_names)

        table = pd.DataFrame({"sample": sample, "feature": pvalues["feature"]})
        table["injected"] = pvalues["injected"].to_numpy()
        table["value"] = pvalues["value"].to_numpy()
        table["error"] = pvalues["error"].to_numpy()
        table["abs_error"] = np.abs(table["error"])
        table["p_value"] = pvalues["p_value"].to_numpy()
        table["pvalue_rank"] = pvalues["rank"].to_numpy()
        table["abs_rank"] = _ranks(self.orders[ABS][sample])[position]
        table["shap_attribution"], table["shap_rank"] = self._shap_columns(
            sample, position
        )
        return table.reset_index(drop=True)

    def explanation(self, sample: int) -> pd.DataFrame:
        """The AE-pvalues explanation table of one sample, plus an ``injected`` flag.

        Feeds :func:`workbench.charts.pvalue_bars` and ``error_bars``, which keep the
        extra column for tooltips. With ``tiebreak_fit="batch"`` a sample explained
        alone gets tie-breaker 0, so ties may order differently from the benchmark's
        batch order (kept in ``orders``).
        """
        self._check_sample(sample)
        table = self.explainer.explain(
            self.errors[[sample]],
            feature_names=self.feature_names,
            alert_ids=[sample],
            values=self.inputs[[sample]],
        )
        position = _positions(table["feature"], self.feature_names)
        table["injected"] = self.truth[sample, position]
        return table

    def outcomes(self) -> pd.Series:
        """Per sample, which of AE-pvalues (interp) and AE-abs put an injection first.

        Values are :data:`OUTCOMES` (strict criterion), indexed by sample.
        """
        pvalue_first = self.table[f"first_hit:{PVALUES_INTERP}"].eq(1).to_numpy()
        abs_first = self.table[f"first_hit:{ABS}"].eq(1).to_numpy()
        outcome = np.select(
            [pvalue_first & abs_first, pvalue_first, abs_first],
            list(OUTCOMES[:3]),
            default=OUTCOMES[3],
        )
        return pd.Series(outcome, index=self.table["sample"], name="outcome")

    def first_sample(self, outcome: str) -> int | None:
        """The first sample with ``outcome`` (one of :data:`OUTCOMES`), or None."""
        if outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {OUTCOMES}, got {outcome!r}")
        hits = self.outcomes()
        hits = hits[hits.eq(outcome)]
        return int(hits.index[0]) if len(hits) else None

    def _check_sample(self, sample: int) -> None:
        m = len(self.errors)
        if not 0 <= sample < m:
            raise IndexError(f"sample must lie in [0, {m}), got {sample}")

    def _shap_columns(
        self, sample: int, position: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        hit = np.flatnonzero(self.shap_samples == sample)
        if hit.size == 0:
            nan = np.full(position.size, np.nan)
            return nan, nan
        k = int(hit[0])
        ranks = _ranks(self.shap_orders[k]).astype(np.float64)
        return self.shap_attribution[k, position], ranks[position]


def _positions(features: pd.Series, names: list[str]) -> np.ndarray:
    """Column position of each named feature."""
    return pd.Index(names).get_indexer(features)


def _ranks(order: np.ndarray) -> np.ndarray:
    """1-based rank of each feature in one order."""
    ranks = np.empty(order.size, dtype=np.int64)
    ranks[order] = np.arange(1, order.size + 1)
    return ranks
