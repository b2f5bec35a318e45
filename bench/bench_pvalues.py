"""Benchmark AE-pvalues explanations: against the ae-pvalues package, then at scale.

Part 1 runs the package (test-only oracle) and ours on the same signed errors, checks
identical rankings and p-values (interp mode, tie-breaker fitted on the batch) and
prints the speed ratio. Part 2 runs ours alone at the spec's target size
(m = 100,000, d = 80, n = 300,000), both modes plus ranking, and prints seconds, peak
extra memory and the ratio to one plain ``np.sort`` of the reference measured in the
same process.

Usage: ``.venv/bin/python bench/bench_pvalues.py [--quick] [--skip-package]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tracemalloc

import numpy as np

from workbench.pvalues import AEPValues
from workbench.ranking import rank_features

SPEED_TARGET = 100.0  # ours at least 100x faster than the package (spec section 4)
SCALE_SECONDS_TARGET = 10.0  # both modes plus ranking (spec section 4.5)
SCALE_MEMORY_TARGET_MB = 1024.0


def make_errors(n: int, m: int, d: int, seed: int = 0):
    """Return continuous signed errors: benign reference and rows to explain."""
    rng = np.random.default_rng(seed)
    scales = rng.uniform(0.05, 2.0, size=d)
    reference = rng.normal(size=(n, d)) * scales
    errors = rng.standard_t(df=3, size=(m, d)) * scales * 1.5
    errors[: m // 100] *= 30.0  # a few obvious anomalies that saturate at p = 0
    return reference, errors


def best_of(repeats: int, function):
    """Return (fastest seconds, last result) over ``repeats`` calls."""
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def run_package(reference, errors):
    """Run ae-pvalues on the signed errors; return (seconds, order, p-values)."""
    from ae_pvalues import ae_pvalues_no_model

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        order, p = ae_pvalues_no_model(
            np.zeros_like(reference),
            reference,
            np.zeros_like(errors),
            errors,
            output_folder=folder,
        )
        seconds = time.perf_counter() - start
    return seconds, np.asarray(order), np.asarray(p)


def ours_end_to_end(reference, errors):
    """Fit, p-values and ranking as the package does them: interp, batch tie-breaker."""
    explainer = AEPValues(mode="interp", tiebreak_fit="batch").fit(reference)
    result = explainer.pvalues(errors)
    return rank_features(result.p, result.tiebreak), result.p


def compare_with_package(n: int, m: int, d: int) -> None:
    """Print times, rows/s and the speed ratio against the package, and parity."""
    reference, errors = make_errors(n, m, d)
    print(f"== vs ae-pvalues package: n={n:,} reference rows, m={m:,} rows, d={d}")

    package_s, package_order, package_p = run_package(reference, errors)
    ours_s, (order, p) = best_of(5, lambda: ours_end_to_end(reference, errors))
    explainer = AEPValues(mode="interp", tiebreak_fit="batch").fit(reference)
    explain_s, _ = best_of(5, lambda: explainer.rank(errors))

    same_order = bool(np.array_equal(order, package_order))
    max_diff = float(np.abs(p - package_p).max())
    print(f"package      {package_s:9.3f} s  {m / package_s:12,.0f} rows/s")
    print(f"ours fit+exp {ours_s:9.3f} s  {m / ours_s:12,.0f} rows/s")
    print(f"ours explain {explain_s:9.3f} s  {m / explain_s:12,.0f} rows/s (fitted)")
    ratio = package_s / ours_s
    verdict = "meets" if ratio >= SPEED_TARGET else "MISSES"
    print(f"speed ratio (package / ours fit+explain) {ratio:,.0f}x, {verdict} >= 100x")
    print(f"identical rankings: {same_order}; max |p diff| = {max_diff:.2e}")
    if not same_order or max_diff > 1e-12:
        raise SystemExit("parity with ae-pvalues failed")


def traced(function):
    """Return (seconds, peak traced MB above the start, result) of one call."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    base, _ = tracemalloc.get_traced_memory()
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, (peak - base) / 2**20, result


def explain_both_modes(explainer: AEPValues, errors: np.ndarray) -> None:
    """P-values and ranking in interp mode, then in exact mode, on one fit."""
    for mode in ("interp", "exact"):
        explainer.mode = mode
        result = explainer.pvalues(errors)
        rank_features(result.p, result.tiebreak)
        del result


def scale_run(n: int, m: int, d: int) -> None:
    """Print seconds and peak extra memory of ours alone at the given size."""
    reference, errors = make_errors(n, m, d, seed=1)
    print(f"== scale run: n={n:,} reference rows, m={m:,} rows, d={d}")
    baseline_s, _ = best_of(3, lambda: np.sort(reference, axis=0))
    print(f"baseline np.sort(reference, axis=0): {baseline_s:.3f} s")

    fit_s, explainer = best_of(1, lambda: AEPValues().fit(reference))
    timings = {"fit": fit_s}
    for mode in ("interp", "exact"):
        explainer.mode = mode
        timings[f"{mode} p-values"], result = best_of(
            1, lambda: explainer.pvalues(errors)
        )
        timings[f"{mode} ranking"], _ = best_of(
            1, lambda r=result: rank_features(r.p, r.tiebreak)
        )
        del result
    for name, seconds in timings.items():
        print(f"{name:18s} {seconds:7.3f} s  ({seconds / baseline_s:5.1f}x np.sort)")
    both = sum(s for name, s in timings.items() if name != "fit")
    verdict = "meets" if both <= SCALE_SECONDS_TARGET else "MISSES"
    print(
        f"both modes + ranking {both:.2f} s ({both / baseline_s:.1f}x np.sort), "
        f"{verdict} <= {SCALE_SECONDS_TARGET:.0f} s; with fit {both + fit_s:.2f} s"
    )

    _, fit_mb, explainer = traced(lambda: AEPValues().fit(reference))
    _, explain_mb, _ = traced(lambda: explain_both_modes(explainer, errors))
    verdict = "meets" if explain_mb <= SCALE_MEMORY_TARGET_MB else "MISSES"
    print(
        f"peak extra memory: fit {fit_mb:,.0f} MB (includes the fitted state), "
        f"explain both modes {explain_mb:,.0f} MB, {verdict} <= 1 GB"
    )


def main() -> None:
    """Parse the size flags and run both parts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, seconds")
    parser.add_argument("--skip-package", action="store_true", help="only part 2")
    args = parser.parse_args()

    if not args.skip_package:
        sizes = (5_000, 1_000, 20) if args.quick else (20_000, 5_000, 20)
        compare_with_package(*sizes)
    scale_run(*((30_000, 10_000, 80) if args.quick else (300_000, 100_000, 80)))


if __name__ == "__main__":
    main()
