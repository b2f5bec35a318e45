"""Fixtures of the benchmark tests: Gaussian data with unequal scales and its result."""

from __future__ import annotations

import pytest

from tests.explain_bench.bench_helpers import (
    NAMES,
    SCALES,
    MedianDetector,
    scaled_gaussian,
)
from workbench.explain_bench.groups import feature_targets
from workbench.explain_bench.injection import NoiseInjector
from workbench.explain_bench.methods import ERROR_METHODS
from workbench.explain_bench.run import run_benchmark


@pytest.fixture(scope="module")
def gaussian():
    """Benign training and test rows of independent Gaussians with SCALES."""
    return scaled_gaussian(2000, SCALES, seed=1), scaled_gaussian(600, SCALES, seed=2)


@pytest.fixture(scope="module")
def median_result(gaussian):
    """Out-of-range noise in one feature of every test row, ranked by MedianDetector."""
    benign, test = gaussian
    detector = MedianDetector(benign)
    injector = NoiseInjector(rate=1.0, kinds=("oob",))

    return run_benchmark(
        detector,
        benign,
        test,
        feature_targets(NAMES),
        feature_names=NAMES,
        injector=injector,
        seeds=(0, 1),
        methods=ERROR_METHODS,
    )
