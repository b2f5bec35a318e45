"""The explanation benchmark: inject known noise, rank features, score the rankings.

:func:`run_benchmark` takes a trained autoencoder, benign training rows and benign test
rows; for each seed it noises the test rows, ranks their features with every method
and scores top-K accuracy on all noised rows, on those the detector flags, and on the
rows SHAP_AE explained. It trains nothing and reads no files (``jobs`` does both).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbench.autoencoder import AutoencoderDetector
from workbench.errors import SchemaError
from workbench.explain_bench.groups import check_targets
from workbench.explain_bench.injection import Injection, NoiseInjector
from workbench.explain_bench.methods import (
    ERROR_METHODS,
    METHODS,
    SHAP,
    Ranking,
    available_methods,
    rank_from_errors,
)
from workbench.explain_bench.result import SUBSETS, BenchResult, correlated_name
from workbench.explain_bench.samples import BenchSamples
from workbench.explain_bench.scoring import (
    correlated_features,
    first_hit,
    topk_accuracy,
)
from workbench.explain_bench.shap_ae import ShapAE
from workbench.pvalues import AEPValues
from workbench.thresholds import Threshold

__all__ = ["run_benchmark"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class _Setup:
    """What stays fixed across seeds."""

    detector: AutoencoderDetector
    test: np.ndarray
    targets: dict[str, np.ndarray]
    injector: NoiseInjector
    reference_errors: np.ndarray
    correlated: dict[str, np.ndarray]
    threshold: Threshold
    methods: tuple[str, ...]
    shap: ShapAE | None
    tiebreak_fit: str
    max_k: int


def run_benchmark(
    detector: AutoencoderDetector,
    benign: np.ndarray,
    test: np.ndarray,
    targets: Mapping[str, Sequence[int]],
    *,
    feature_names: Sequence[str],
    injector: NoiseInjector | None = None,
    seeds: Sequence[int] = (0, 1, 2),
    methods: Sequence[str] | None = None,
    shap: ShapAE | None = None,
    cutoffs: Sequence[float] = (0.7, 0.9),
    fpr: float = 0.01,
    max_k: int = 5,
    reference: str = "val",
    tiebreak_fit: str = "reference",
) -> BenchResult:
    """Noise benign test rows, explain them with every method, score the rankings.

    Parameters
    ----------
    detector : AutoencoderDetector
        Trained on ``benign``; shared by every method.
    benign : ndarray of shape (n, d)
        Benign training rows: percentiles for the noise, correlations for the
        correlated criterion, background for SHAP_AE (its first rows).
    test : ndarray of shape (n_test, d)
        Held-out benign rows to noise. All of them are ranked by the error-only
        methods (the batch), the noised ones are scored.
    targets : mapping of str to sequence of int
        Features or feature groups to inject into (one drawn per noised row).
    feature_names : sequence of str
        One name per column.
    injector : NoiseInjector, optional
        Noise settings (rate, kinds, factors); fitted here on ``benign``.
    seeds : sequence of int, default (0, 1, 2)
        One injection (and random floor, and SHAP sampling) per seed.
    methods : sequence of str, optional
        Methods to compare (default: every installed one, see
        :func:`~workbench.explain_bench.methods.available_methods`); SHAP_AE needs the
        ``shap`` extra.
    shap : ShapAE, optional
        SHAP_AE settings (default ``ShapAE()``); fitted here.
    cutoffs : sequence of float, default (0.7, 0.9)
        Correlation cut-offs of the correlated criteria.
    fpr : float, default 0.01
        False-positive rate that defines the detected subset.
    max_k : int, default 5
        Largest K of top-K accuracy.
    reference : {"val", "train"}, default "val"
        Reference errors of AE-pvalues: the detector's validation rows or ``benign``.
    tiebreak_fit : {"reference", "batch"}, default "reference"
        Where AE-pvalues fits its tie-breaker.

    Returns
    -------
    BenchResult
    """
    setup = _setup(
        detector,
        benign,
        test,
        targets,
        feature_names,
        injector,
        methods,
        shap,
        cutoffs,
        fpr,
        max_k,
        reference,
        tiebreak_fit,
    )
    if len(seeds) == 0:
        raise ValueError("seeds is empty; give at least one seed")

    scores, times, samples = [], [], None
    for seed in (int(s) for s in seeds):
        logger.info("explain-bench: seed %d", seed)
        ranked = _rank_seed(setup, seed)
        scores.append(_score_seed(setup, ranked).assign(seed=seed))
        times.append(_timing(ranked).assign(seed=seed))
        if samples is None:
            samples = _samples(setup, ranked, list(feature_names))

    settings = _settings(setup, benign, seeds, cutoffs, fpr, reference)
    order = ["seed", "method", "criterion", "subset", "k", "accuracy", "n"]
    return BenchResult(
        pd.concat(scores, ignore_index=True)[order],
        pd.concat(times, ignore_index=True)[["seed", *times[0].columns[:-1]]],
        samples,
        settings,
    )


def _setup(
    detector, benign, test, targets, feature_names, injector, methods, shap,
    cutoffs, fpr, max_k, reference, tiebreak_fit,
) -> _Setup:  # fmt: skip
    """Check the arguments and build everything shared by the seeds."""
    d = detector.n_features_in_
    methods = available_methods() if methods is None else tuple(methods)
    benign = np.asarray(benign, dtype=np.float64)
    test = np.asarray(test, dtype=np.float64)
    for name, matrix in (("benign", benign), ("test", test)):
        if matrix.ndim != 2 or matrix.shape[1] != d or len(matrix) < 2:
            message = (
                f"{name} has shape {matrix.shape}; it needs at least 2 rows of the "
                f"{d} features the detector was trained on"
            )
            raise SchemaError(message)
    if len(feature_names) != d:
        raise SchemaError(f"feature_names has {len(feature_names)} names, need {d}")
    unknown = [m for m in methods if m not in METHODS]
    if unknown or not methods:
        raise ValueError(f"methods must be a non-empty subset of {METHODS}")
    if reference not in ("val", "train"):
        raise ValueError(f"reference must be 'val' or 'train', got {reference!r}")

    use_shap = SHAP in methods
    shap_ae = (shap or ShapAE()).fit(detector.reconstruct, benign) if use_shap else None
    reference_errors = (
        detector.reference_errors_ if reference == "val" else detector.errors(benign)
    )
    return _Setup(
        detector=detector,
        test=test,
        targets=check_targets(targets, d),
        injector=(injector or NoiseInjector()).fit(benign),
        reference_errors=reference_errors,
        correlated={
            correlated_name(c): correlated_features(benign, c) for c in cutoffs
        },
        threshold=Threshold(detector.threshold.reference_scores, fpr=fpr),
        methods=tuple(m for m in methods if m in ERROR_METHODS),
        shap=shap_ae,
        tiebreak_fit=tiebreak_fit,
        max_k=max_k,
    )


@dataclass(frozen=True, eq=False)
class _Seed:
    """Rankings of the noised rows of one seed."""

    injection: Injection
    errors: np.ndarray
    scores: np.ndarray
    detected: np.ndarray
    orders: dict[str, np.ndarray]
    rankings: dict[str, Ranking]
    picks: np.ndarray
    attribution: np.ndarray


def _timing(ranked: _Seed) -> pd.DataFrame:
    """Rows ranked and wall time of every method of one seed."""
    records = [
        (r.method, len(r.order), r.seconds, r.ms_per_row)
        for r in ranked.rankings.values()
    ]
    return pd.DataFrame(records, columns=["method", "rows", "seconds", "ms_per_row"])


def _samples(setup: _Setup, ranked: _Seed, names: list[str]) -> BenchSamples:
    """The noised rows of one seed, kept for the explorer."""
    rows = ranked.injection.rows
    shap = ranked.rankings.get(SHAP)
    return BenchSamples(
        feature_names=names,
        table=_sample_table(ranked, names),
        inputs=ranked.injection.X[rows],
        errors=ranked.errors,
        truth=ranked.injection.truth,
        orders=ranked.orders,
        explainer=_interp_explainer(setup),
        shap_samples=ranked.picks,
        shap_orders=shap.order if shap else np.empty((0, len(names)), np.int64),
        shap_attribution=ranked.attribution,
    )


def _rank_seed(setup: _Setup, seed: int) -> _Seed:
    """Noise the test rows and rank them with every method."""
    injection = setup.injector.inject(setup.test, setup.targets, seed=seed)
    errors = setup.detector.errors(injection.X)
    scores = setup.detector.scores_from_errors(errors, injection.X)[injection.rows]

    rankings = rank_from_errors(
        errors,
        setup.reference_errors,
        methods=setup.methods,
        tiebreak_fit=setup.tiebreak_fit,
        seed=seed,
    )
    rows = injection.rows
    orders = {name: ranking.order[rows] for name, ranking in rankings.items()}
    picks, shap_ranking, attribution = _shap(
        setup, injection.X[rows], errors[rows], seed
    )
    if shap_ranking is not None:
        rankings[SHAP] = shap_ranking
    detected = setup.threshold.alerts(scores)
    return _Seed(
        injection, errors[rows], scores, detected, orders, rankings, picks, attribution
    )


def _score_seed(setup: _Setup, ranked: _Seed) -> pd.DataFrame:
    """Top-K accuracy of every method on every subset of one seed."""
    m = ranked.injection.rows.size
    truth = ranked.injection.truth
    subsets = {SUBSETS[0]: np.ones(m, bool), SUBSETS[1]: ranked.detected}
    if ranked.picks.size:
        subsets[SUBSETS[2]] = np.isin(np.arange(m), ranked.picks)
    tables = [
        topk_accuracy(
            ranked.orders,
            truth,
            correlated=setup.correlated,
            subsets=subsets,
            max_k=setup.max_k,
        )
    ]
    if SHAP in ranked.rankings:
        # SHAP_AE ranks only its own rows, so it is scored on those alone.
        tables.append(
            topk_accuracy(
                {SHAP: ranked.rankings[SHAP].order},
                truth[ranked.picks],
                correlated=setup.correlated,
                subsets={SUBSETS[2]: np.ones(ranked.picks.size, bool)},
                max_k=setup.max_k,
            )
        )
    return pd.concat(tables, ignore_index=True)


def _shap(
    setup: _Setup, inputs: np.ndarray, errors: np.ndarray, seed: int
) -> tuple[np.ndarray, Ranking | None, np.ndarray]:
    """SHAP_AE on the noised rows it selects: picks, ranking and attributions."""
    d = inputs.shape[1]
    if setup.shap is None:
        return np.empty(0, np.int64), None, np.empty((0, d))
    picks = np.sort(setup.shap.select(errors))

    start = time.perf_counter()
    explanation = setup.shap.explain(inputs[picks], errors[picks], seed=seed)
    seconds = time.perf_counter() - start
    return picks, Ranking(SHAP, explanation.order, seconds), explanation.attribution


def _interp_explainer(setup: _Setup) -> AEPValues:
    explainer = AEPValues(mode="interp", tiebreak_fit=setup.tiebreak_fit)
    return explainer.fit(setup.reference_errors)


def _sample_table(ranked: _Seed, names: list[str]) -> pd.DataFrame:
    """Per noised row: what was injected, its score, and each method's first hit."""
    truth = ranked.injection.truth
    table = ranked.injection.table(names)
    table["score"] = ranked.scores
    table["detected"] = ranked.detected
    table["shap_explained"] = np.isin(table["sample"], ranked.picks)
    for method, order in ranked.orders.items():
        table[f"first_hit:{method}"] = first_hit(order, truth)
    if SHAP in ranked.rankings:
        ranks = np.full(len(table), -1)
        order = ranked.rankings[SHAP].order
        ranks[ranked.picks] = first_hit(order, truth[ranked.picks])
        table[f"first_hit:{SHAP}"] = ranks
    return table


def _settings(
    setup: _Setup,
    benign: np.ndarray,
    seeds: Sequence[int],
    cutoffs: Sequence[float],
    fpr: float,
    reference: str,
) -> dict[str, Any]:
    """Parameters and sizes, for the report."""
    injector = setup.injector
    settings: dict[str, Any] = {
        "benign_rows": int(len(benign)),
        "test_rows": int(len(setup.test)),
        "features": int(setup.detector.n_features_in_),
        "targets": {k: int(v.size) for k, v in setup.targets.items()},
        "rate": injector.rate,
        "kinds": list(injector.kinds),
        "factors": list(injector.factors),
        "eps": injector.eps,
        "seeds": [int(s) for s in seeds],
        "cutoffs": [float(c) for c in cutoffs],
        "fpr": fpr,
        "threshold": setup.threshold.value,
        "reference": reference,
        "reference_rows": int(len(setup.reference_errors)),
        "tiebreak_fit": setup.tiebreak_fit,
        "methods": [*setup.methods, *([SHAP] if setup.shap else [])],
    }
    if setup.shap is not None:
        params = ("n_records", "gamma", "selection", "background_size", "nsamples")
        settings["shap"] = {p: getattr(setup.shap, p) for p in params}
        settings["shap"]["l1_reg"] = setup.shap.l1_reg_
    return settings
