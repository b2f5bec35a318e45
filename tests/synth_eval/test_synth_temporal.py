"""Tests for the ACF difference of numeric columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench.synth_eval.schema import MetricSchema
from workbench.synth_eval.temporal import (
    acf_difference,
    acf_with_band,
    per_second_sums,
)

ONE_NUMBER = MetricSchema(time="t", discrete=(), continuous=("x",), numeric_discrete=())


def _bursty(seed: int, n: int = 400) -> pd.DataFrame:
    """Flows in bursts every 20 s, so the per-second sums autocorrelate."""
    rng = np.random.default_rng(seed)
    starts = rng.choice(np.arange(0, 2000, 20), n) + rng.uniform(0, 3, n)
    return pd.DataFrame({"t": starts, "x": rng.integers(1, 100, n).astype(float)})


@pytest.mark.parity
@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_acf_with_band_equals_statsmodels():
    """Autocorrelation and Bartlett band equal statsmodels' acf at every lag."""
    stattools = pytest.importorskip("statsmodels.tsa.stattools")
    x = np.random.default_rng(0).poisson(2.0, 300).astype(float)
    rho_sm, band_sm = stattools.acf(
        x, nlags=299, alpha=0.05, fft=True, bartlett_confint=True
    )

    rho, lower, upper = acf_with_band(x)

    np.testing.assert_allclose(rho, rho_sm, atol=1e-12)
    np.testing.assert_allclose(lower, band_sm[:, 0], atol=1e-12)
    np.testing.assert_allclose(upper, band_sm[:, 1], atol=1e-12)


def test_per_second_sums_floors_times_and_fills_gaps():
    """Flows fall in their whole second; outside the range they are dropped."""
    times = np.array([10.1, 10.9, 12.0, 15.5])
    values = np.array([1.0, 2.0, 4.0, 8.0])

    sums = per_second_sums(times, values, 10, 13)

    assert sums.tolist() == [3.0, 0.0, 4.0, 0.0]


def test_acf_difference_identical_is_zero():
    """A table compared with itself has no ACF difference."""
    real = _bursty(1)

    value = acf_difference(real, real, ONE_NUMBER, mode="clean")

    assert value["x"] == 0.0


def test_acf_difference_constant_generated_sums_the_significant_real_lags():
    """A constant generated series has ACF 0: ACFD = sum of |rho_R| over K, / L."""
    real = _bursty(2)
    first, last = int(real["t"].min()), int(real["t"].max())
    flat = pd.DataFrame({"t": np.arange(first, last + 1) + 0.5, "x": 1.0})
    rho, lower, upper = acf_with_band(
        per_second_sums(real["t"].to_numpy(), real["x"].to_numpy(), first, last)
    )
    expected = np.abs(rho[lower * upper >= 0]).sum() / rho.size

    value = acf_difference(real, flat, ONE_NUMBER, mode="clean")

    assert value["x"] == pytest.approx(expected)
    assert value["x"] > 0


def test_acf_difference_reference_mode_truncates_generated_values():
    """Generated values below 1 sum to 0 in reference mode, not in clean mode."""
    real = _bursty(3)
    scaled = real.assign(x=real["x"] / 1000.0)

    reference = acf_difference(real, scaled, ONE_NUMBER, mode="reference")
    clean = acf_difference(real, scaled, ONE_NUMBER, mode="clean")

    assert clean["x"] == pytest.approx(0.0, abs=1e-12)
    assert reference["x"] > 0.0


def test_acf_difference_disjoint_times_is_nan():
    """Tables without a common second cannot be compared."""
    real = _bursty(4)
    later = real.assign(t=real["t"] + 1e6)

    value = acf_difference(real, later, ONE_NUMBER)

    assert np.isnan(value["x"])
