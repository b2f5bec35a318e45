"""Tests of the benchmark driver on a stand-in detector with known errors."""

from __future__ import annotations

import importlib.util

import pytest

from tests.explain_bench.bench_helpers import NAMES, SCALES, MedianDetector
from workbench.errors import SchemaError
from workbench.explain_bench.groups import feature_targets
from workbench.explain_bench.injection import NoiseInjector
from workbench.explain_bench.methods import (
    ABS,
    ERROR_METHODS,
    PVALUES_EXACT,
    PVALUES_INTERP,
    RANDOM,
    SHAP,
)
from workbench.explain_bench.result import SUBSETS
from workbench.explain_bench.run import run_benchmark
from workbench.explain_bench.shap_ae import ShapAE


def _top1(result, method, subset="all", criterion="strict"):
    summary = result.summary()
    row = summary[
        summary["method"].eq(method)
        & summary["subset"].eq(subset)
        & summary["criterion"].eq(criterion)
        & summary["k"].eq(1)
    ]
    return float(row["mean"].iloc[0])


def test_run_benchmark_pvalues_beat_abs_when_scales_differ(median_result):
    """Out-of-range noise in a quiet column: p-values find it, raw errors do not."""
    pvalues = _top1(median_result, PVALUES_INTERP)
    exact = _top1(median_result, PVALUES_EXACT)
    absolute = _top1(median_result, ABS)

    assert pvalues > 0.95
    assert exact > 0.95
    assert absolute < pvalues - 0.2


def test_run_benchmark_random_floor_is_one_over_d(median_result):
    """A random order puts the one injected feature first about 1/d of the time."""
    floor = _top1(median_result, RANDOM)

    assert abs(floor - 1 / SCALES.size) < 0.05


def test_run_benchmark_scores_every_method_subset_and_k(median_result):
    """Each error method gets K = 1..5 on all and detected rows, for every criterion."""
    scores = median_result.scores

    table = scores.groupby(["seed", "method", "criterion", "subset"])["k"].apply(list)

    assert set(scores["method"]) == set(ERROR_METHODS)
    assert set(scores["subset"]) == {"all", "detected"}
    assert set(scores["criterion"]) == {"strict", "corr>=0.7", "corr>=0.9"}
    assert all(ks == [1, 2, 3, 4, 5] for ks in table)
    assert scores.loc[scores["subset"].eq("all"), "n"].eq(600).all()
    assert set(scores["seed"]) == {0, 1}


def test_run_benchmark_accuracy_grows_with_k(median_result):
    """Top-K accuracy never decreases with K."""
    summary = median_result.summary()

    steps = summary.groupby(["method", "criterion", "subset"])["mean"].diff().dropna()

    assert (steps >= 0).all()


def test_run_benchmark_detected_subset_holds_flagged_rows(median_result):
    """The detected subset size equals the flagged noised rows of the first seed."""
    samples = median_result.samples.table
    scores = median_result.scores

    first = scores[scores["seed"].eq(0) & scores["subset"].eq("detected")]

    assert first["n"].iloc[0] == samples["detected"].sum() > 0


def test_bench_samples_evidence_marks_the_injected_feature(median_result):
    """The evidence of one sample has every feature once and its injected one marked."""
    samples = median_result.samples

    evidence = samples.evidence(5)

    assert sorted(evidence["feature"]) == sorted(NAMES)
    assert evidence["injected"].sum() == samples.truth[5].sum() == 1
    assert sorted(evidence["pvalue_rank"]) == list(range(1, len(NAMES) + 1))
    assert sorted(evidence["abs_rank"]) == list(range(1, len(NAMES) + 1))
    assert evidence["shap_rank"].isna().all()


def test_bench_samples_first_sample_outcome_is_consistent(median_result):
    """The first 'only AE-pvalues' sample has p-values right and AE-abs wrong."""
    samples = median_result.samples

    sample = samples.first_sample("only AE-pvalues top-1")

    line = samples.table.iloc[sample]
    assert line[f"first_hit:{PVALUES_INTERP}"] == 1
    assert line[f"first_hit:{ABS}"] > 1


def test_bench_result_time_summary_is_relative_to_pvalues(median_result):
    """Times are per explained row, and AE-pvalues (interp) is the unit of the ratio."""
    times = median_result.time_summary().set_index("method")

    assert times.loc[PVALUES_INTERP, "vs_pvalues"] == 1.0
    assert times["rows"].eq(600).all()
    assert (times["ms_per_row"] > 0).all()


@pytest.mark.skipif(
    importlib.util.find_spec("shap") is None, reason="the shap extra is absent"
)
def test_run_benchmark_shap_scored_on_its_own_rows(gaussian):
    """SHAP_AE ranks its top-MSE rows only, and every method is scored there too."""
    benign, test = gaussian
    shap = ShapAE(n_records=4, background_size=20, nsamples=60, progress=False)

    result = run_benchmark(
        MedianDetector(benign),
        benign,
        test[:40],
        feature_targets(NAMES),
        feature_names=NAMES,
        injector=NoiseInjector(rate=0.5, kinds=("oob",)),
        seeds=(0,),
        shap=shap,
    )

    scores = result.scores
    assert set(scores.loc[scores["method"].eq(SHAP), "subset"]) == {SUBSETS[2]}
    assert scores.loc[scores["subset"].eq(SUBSETS[2]), "n"].eq(4).all()
    assert len(result.samples.shap_samples) == 4
    assert result.samples.table["shap_explained"].sum() == 4


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"feature_names": NAMES[:-1]}, SchemaError, "feature_names"),
        ({"methods": ("LIME",)}, ValueError, "methods"),
        ({"reference": "test"}, ValueError, "reference"),
        ({"seeds": ()}, ValueError, "seeds"),
    ],
)
def test_run_benchmark_bad_arguments_raise(gaussian, change, error, match):
    """Wrong names, unknown methods or references, or no seeds, are refused."""
    benign, test = gaussian
    arguments = {"feature_names": NAMES, "methods": ERROR_METHODS, **change}

    with pytest.raises(error, match=match):
        run_benchmark(
            MedianDetector(benign), benign, test, feature_targets(NAMES), **arguments
        )
