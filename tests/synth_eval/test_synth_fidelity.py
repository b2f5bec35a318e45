"""Tests for JSD, both EMDs, PCD and CMD on hand-computed cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import wasserstein_distance

from tests.synth_eval.synth_helpers import random_sessions
from workbench.synth_eval.fidelity import (
    cmd,
    emd_ref,
    emd_ref_per_column,
    emd_w1,
    fd_bin_count,
    jsd,
    jsd_per_column,
    pcd,
)
from workbench.synth_eval.schema import MetricSchema

ONE_NUMBER = MetricSchema(time="t", discrete=(), continuous=("x",), numeric_discrete=())
TWO_LABELS = MetricSchema(
    time="t", discrete=("a", "b"), continuous=(), numeric_discrete=()
)


def _numbers(values) -> pd.DataFrame:
    return pd.DataFrame({"t": 0.0, "x": np.asarray(values, dtype=float)})


def _reference_emd(x_real: np.ndarray, x_gen: np.ndarray) -> float:
    """EMD_ref built the published way: real FD bins, CDF heights as samples."""
    edges = np.histogram_bin_edges(x_real, "fd")
    f_real = np.cumsum(np.histogram(x_real, edges)[0]) / x_real.size
    f_gen = np.cumsum(np.histogram(x_gen, edges)[0]) / x_gen.size
    return float(wasserstein_distance(f_real, f_gen))


def test_jsd_identical_tables_is_zero():
    """Equal tables are at distance 0 on every discrete column."""
    flows = random_sessions(200)

    per_column = jsd_per_column(flows, flows)

    assert per_column.tolist() == [0.0] * 5
    assert jsd(flows, flows) == 0.0


def test_jsd_disjoint_values_is_sqrt_ln2():
    """Columns without a shared value reach the maximum sqrt(ln 2)."""
    real = pd.DataFrame({"t": 0.0, "a": ["x", "y"], "b": ["u", "u"]})
    fake = pd.DataFrame({"t": 0.0, "a": ["z", "z"], "b": ["v", "w"]})

    value = jsd(real, fake, TWO_LABELS)

    assert value == pytest.approx(np.sqrt(np.log(2)))


def test_jsd_hand_computed_half_overlap():
    """p = (1/2, 1/2), q = (1, 0): JS = ln 2 - 3/4 ln(4/3), root taken."""
    real = pd.DataFrame({"t": 0.0, "a": ["x", "y"], "b": ["u", "u"]})
    fake = pd.DataFrame({"t": 0.0, "a": ["x", "x"], "b": ["u", "u"]})
    divergence = 0.5 * (0.5 * np.log(0.5 / 0.75) + 0.5 * np.log(0.5 / 0.25))
    divergence += 0.5 * np.log(1 / 0.75)

    per_column = jsd_per_column(real, fake, TWO_LABELS)

    assert per_column["a"] == pytest.approx(np.sqrt(divergence))
    assert per_column["b"] == 0.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_emd_ref_equals_histogram_construction(seed):
    """Lazy bins give the published number on heavy-tailed data, outliers included."""
    rng = np.random.default_rng(seed)
    x_real = np.round(rng.pareto(1.2, 400) * 100)
    x_gen = np.concatenate([np.round(rng.pareto(1.0, 300) * 120), [-5.0, 1e7]])

    value = emd_ref_per_column(_numbers(x_real), _numbers(x_gen), ONE_NUMBER)["x"]

    assert value == pytest.approx(_reference_emd(x_real, x_gen), rel=1e-12, abs=1e-15)


def test_emd_ref_identical_is_zero_and_outside_is_mean_real_cdf():
    """Same values give 0; values all beyond the real range give mean F_R."""
    x_real = np.array([1.0, 2.0, 2.0, 3.0, 7.0, 8.0, 9.0, 10.0])
    edges = np.histogram_bin_edges(x_real, "fd")
    mean_cdf = np.mean(np.cumsum(np.histogram(x_real, edges)[0]) / x_real.size)

    same = emd_ref(_numbers(x_real), _numbers(x_real), ONE_NUMBER)
    outside = emd_ref(_numbers(x_real), _numbers([50.0, 60.0]), ONE_NUMBER)

    assert same == 0.0
    assert outside == pytest.approx(mean_cdf)


@pytest.mark.parametrize(
    "values",
    [np.arange(50.0), np.zeros(10), np.r_[np.zeros(30), 1e6], np.linspace(0, 1, 7)],
)
def test_fd_bin_count_matches_numpy(values):
    """The bin count is numpy's, including IQR 0 and constant data."""
    expected = len(np.histogram_bin_edges(values, "fd")) - 1

    count = fd_bin_count(values)

    assert count == expected


def test_emd_w1_identical_zero_and_opposite_ends_one():
    """W1 on min-max scaled values: 0 for equal tables, 1 at opposite ends."""
    low, high = _numbers([0.0, 0.0, 0.0]), _numbers([5.0, 5.0])

    same = emd_w1(low, low, ONE_NUMBER)
    apart = emd_w1(low, high, ONE_NUMBER)

    assert same == 0.0
    assert apart == 1.0


def test_pcd_identical_zero_and_sign_flip():
    """Reversing one column flips one correlation from 1 to -1: sqrt(2 * 4)."""
    schema = MetricSchema(
        time="t", discrete=(), continuous=("x", "y"), numeric_discrete=()
    )
    real = pd.DataFrame({"t": 0.0, "x": [1.0, 2.0, 3.0], "y": [2.0, 4.0, 6.0]})
    fake = real.assign(y=[6.0, 4.0, 2.0])

    same = pcd(real, real, schema)
    flipped = pcd(real, fake, schema)

    assert same == 0.0
    assert flipped == pytest.approx(np.sqrt(8.0))


def test_pcd_constant_column_counts_as_zero():
    """A constant generated column zeroes its row, diagonal included."""
    schema = MetricSchema(
        time="t", discrete=(), continuous=("x", "y"), numeric_discrete=()
    )
    real = pd.DataFrame({"t": 0.0, "x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 3.0]})
    fake = real.assign(y=2.0)

    value = pcd(real, fake, schema)

    # Entries (x,y), (y,x) and (y,y) go from 1 to 0.
    assert value == pytest.approx(np.sqrt(3.0))


def test_cmd_identical_zero_and_disjoint_sqrt2():
    """One cell each, different cells: the pair's norm is sqrt(1 + 1)."""
    real = pd.DataFrame({"t": 0.0, "a": ["x", "x"], "b": ["u", "u"]})
    fake = pd.DataFrame({"t": 0.0, "a": ["y", "y"], "b": ["v", "v"]})

    same = cmd(real, real, TWO_LABELS)
    disjoint = cmd(real, fake, TWO_LABELS)

    assert same == 0.0
    assert disjoint == pytest.approx(np.sqrt(2.0))


def test_cmd_averages_the_ten_pairs():
    """Five discrete columns give ten pairs; one changed column moves four of them."""
    real = random_sessions(100, seed=4)
    fake = real.assign(tcp_flags="XXXXXX")

    value = cmd(real, fake)

    # A pair with the flags column shares no cell: its squared norm is the real
    # joint table's plus the fake one's (the other column's shares, flags fixed).
    joint_norms = []
    for other in ("proto", "id.orig_h", "id.resp_h", "id.resp_p"):
        joint = real.groupby([other, "tcp_flags"]).size() / len(real)
        marginal = real[other].value_counts(normalize=True)
        joint_norms.append(np.sqrt((joint**2).sum() + (marginal**2).sum()))
    assert value == pytest.approx(sum(joint_norms) / 10)
