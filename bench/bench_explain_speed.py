"""Time per explanation: SHAP_AE against AE-pvalues on the same autoencoder.

Trains a small autoencoder on the bundled CIC-IDS2017 benign slice, then times, in the
same process, AE-pvalues (interp and exact) and AE-abs on every held-out row and
SHAP_AE (Kernel SHAP, spec defaults) on a few of them, and prints milliseconds per
explanation and the ratio to AE-pvalues (issue #5 expects SHAP_AE >= 100x slower).
The full measured tables come from ``workbench explain-bench``.

Usage: ``.venv/bin/python bench/bench_explain_speed.py [--shap-rows N]``
"""

from __future__ import annotations

import argparse
import importlib.util

import numpy as np

from workbench.autoencoder import AutoencoderDetector
from workbench.datasets import bundled
from workbench.explain_bench.jobs import prepare_flows
from workbench.explain_bench.methods import (
    ERROR_METHODS,
    PVALUES_INTERP,
    RANDOM,
    Ranking,
    rank_from_errors,
    timed,
)
from workbench.explain_bench.shap_ae import ShapAE
from workbench.io import read_flows

EXPECTED_RATIO = 100.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shap-rows", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=20)
    args = parser.parse_args()

    flows = read_flows(bundled("cicids2017", "BENIGN_2500.csv"), progress=False)
    data = prepare_flows(flows)
    detector = AutoencoderDetector(max_epochs=args.epochs, progress=False)
    detector.fit(data.train.astype(np.float32))
    errors = detector.errors(data.test)
    print(f"{len(data.test)} held-out rows, {errors.shape[1]} features")

    methods = tuple(m for m in ERROR_METHODS if m != RANDOM)
    rankings = rank_from_errors(errors, detector.reference_errors_, methods=methods)
    if importlib.util.find_spec("shap") is None:
        print("shap is not installed: SHAP_AE skipped")
    else:
        shap = ShapAE(progress=False).fit(detector.reconstruct, data.train)
        rows = shap.select(errors)[: args.shap_rows]
        rankings["SHAP_AE"] = timed(
            "SHAP_AE", lambda: shap.explain(data.test[rows], errors[rows]).order
        )
    report(rankings)


def report(rankings: dict[str, Ranking]) -> None:
    base = rankings[PVALUES_INTERP].ms_per_row
    for name, ranking in rankings.items():
        ratio = ranking.ms_per_row / base
        print(
            f"{name:>20}: {ranking.ms_per_row:10.4g} ms per explanation over "
            f"{len(ranking.order):5d} rows, {ratio:10.4g} x AE-pvalues (interp)"
        )
    if "SHAP_AE" in rankings:
        ratio = rankings["SHAP_AE"].ms_per_row / base
        verdict = "meets" if ratio >= EXPECTED_RATIO else "MISSES"
        print(f"SHAP_AE / AE-pvalues = {ratio:.3g} ({verdict} >= {EXPECTED_RATIO:g})")


if __name__ == "__main__":
    main()
