"""Tests for Density and Coverage: prdc parity, feature map, limits."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest

from tests.synth_eval.synth_helpers import random_sessions
from workbench.synth_eval.density import (
    density_coverage,
    density_coverage_arrays,
    feature_map,
)


def _prdc(real: np.ndarray, fake: np.ndarray, k: int) -> tuple[float, float]:
    prdc = pytest.importorskip("prdc")
    # prdc prints the sizes; keep the test output clean.
    with contextlib.redirect_stdout(io.StringIO()):
        scores = prdc.compute_prdc(real, fake, k)
    return scores["density"], scores["coverage"]


@pytest.mark.parity
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_density_coverage_arrays_equal_prdc_on_random_data(seed):
    """Gaussian real and shifted fake features: the same numbers as prdc."""
    rng = np.random.default_rng(seed)
    real = rng.normal(size=(300, 4))
    fake = rng.normal(0.4, 1.3, size=(260, 4))
    expected = _prdc(real, fake, 5)

    density, coverage = density_coverage_arrays(real, fake, 5, chunk_size=70)

    assert density == pytest.approx(expected[0], rel=1e-12)
    assert coverage == pytest.approx(expected[1], rel=1e-12)


@pytest.mark.parity
def test_density_coverage_flows_equal_prdc_on_onehot_matrix():
    """The code trick gives prdc's result on the explicit one-hot feature matrix."""
    real, fake = random_sessions(250, seed=3), random_sessions(200, seed=4)
    onehot_real, onehot_fake = feature_map(real, fake).onehot()
    expected = _prdc(onehot_real, onehot_fake, 5)

    density, coverage = density_coverage(real, fake)

    assert density == pytest.approx(expected[0], rel=1e-12)
    assert coverage == pytest.approx(expected[1], rel=1e-12)


def test_feature_map_one_hot_columns_follow_the_rule():
    """Discrete columns and numeric ones with under 40 values are one-hot."""
    real = random_sessions(200, seed=5)

    fm = feature_map(real, real)

    assert fm.onehot_columns[:5] == [
        "proto",
        "id.orig_h",
        "id.resp_h",
        "id.resp_p",
        "tcp_flags",
    ]
    assert set(fm.onehot_columns[5:]) == {"resp_pkts", "orig_pkts"}
    assert fm.numeric_columns == ["ts", "resp_bytes", "orig_bytes", "duration"]
    assert fm.real_numeric.min() == 0.0 and fm.real_numeric.max() == 1.0


def test_density_coverage_far_away_is_zero_and_self_coverage_one():
    """Rows far from every real row score 0; real data covers itself fully."""
    rng = np.random.default_rng(6)
    real = rng.normal(size=(120, 3))

    far = density_coverage_arrays(real, real + 50.0)
    same = density_coverage_arrays(real, real)

    assert far == (0.0, 0.0)
    assert same[1] == 1.0


def test_density_coverage_chunk_size_does_not_change_result():
    """Chunking is an implementation detail."""
    rng = np.random.default_rng(8)
    real, fake = rng.random((150, 2)), rng.random((90, 2))
    codes_r, codes_f = rng.integers(0, 3, (150, 2)), rng.integers(0, 3, (90, 2))

    small = density_coverage_arrays(
        real, fake, real_codes=codes_r, generated_codes=codes_f, chunk_size=7
    )
    large = density_coverage_arrays(
        real, fake, real_codes=codes_r, generated_codes=codes_f, chunk_size=1000
    )

    assert small == large


def test_density_coverage_needs_more_than_k_rows():
    """Five real rows cannot give a fifth neighbour."""
    with pytest.raises(ValueError, match="k=5"):
        density_coverage_arrays(np.zeros((5, 2)), np.zeros((3, 2)))
