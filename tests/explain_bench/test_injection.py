"""Tests of the noise injector: what it changes, where, by how much, and its record."""

from __future__ import annotations

import math

import numpy as np
import pytest

from workbench.errors import NotFittedError, SchemaError
from workbench.explain_bench.injection import OOB_DRAW, NoiseInjector


def _mixed(n: int = 400, seed: int = 0) -> np.ndarray:
    """Two 0/1 columns, then two continuous columns on different scales."""
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 2, size=(n, 2)).astype(float)
    levels = rng.uniform(0.0, 1.0, size=(n, 2)) * [1.0, 10.0]
    return np.hstack([bits, levels])


def test_inject_flip_toggles_only_the_target_bits():
    """A flipped group changes its 0/1 columns to 1 - x and nothing else."""
    X = _mixed()
    injector = NoiseInjector(rate=0.1, kinds=("flip",)).fit(X)

    noised = injector.inject(X, {"bits": [0, 1, 2]})

    rows = noised.rows
    np.testing.assert_array_equal(noised.X[rows, :2], 1.0 - X[rows, :2])
    np.testing.assert_array_equal(noised.X[:, 2:], X[:, 2:])
    assert noised.truth[:, :2].all() and not noised.truth[:, 2:].any()
    assert set(noised.kind) == {"flip"}


def test_inject_oob_goes_beyond_the_benign_99th_percentile():
    """Out-of-range values land in q99 + [0.5, 2] x (q99 - q1 + eps)."""
    X = _mixed()
    injector = NoiseInjector(rate=0.2, kinds=("oob",), eps=0.1).fit(X)

    noised = injector.inject(X, {"level": [3]})

    values = noised.X[noised.rows, 3]
    span = injector.q99_[3] - injector.q1_[3] + 0.1
    u = (values - injector.q99_[3]) / span
    assert (values > X[:, 3].max()).all()
    assert (u >= OOB_DRAW[0]).all() and (u <= OOB_DRAW[1]).all()
    np.testing.assert_allclose(noised.factor, u)


def test_inject_scale_multiplies_and_pushes_zeros_out_of_range():
    """Scaling multiplies by a drawn factor; a zero, unchanged by scaling, goes oob."""
    X = _mixed()
    X[:20, 2] = 0.0
    injector = NoiseInjector(rate=1.0, kinds=("scale",), factors=(5.0,)).fit(X)

    noised = injector.inject(X, {"level": [2]})

    zero = X[:, 2] == 0.0
    np.testing.assert_allclose(noised.X[~zero, 2], 5.0 * X[~zero, 2])
    assert (noised.X[zero, 2] > injector.q99_[2]).all()
    assert set(noised.factor) == {5.0}


def test_inject_noises_ceil_rate_times_rows():
    """The spec's count: ceil(1 % of 250) = 3 rows, at least one row always."""
    X = _mixed(250)
    injector = NoiseInjector(rate=0.01).fit(X)

    counts = [injector.inject(X[:n], {"bit": [0]}).rows.size for n in (250, 50)]

    assert counts == [math.ceil(0.01 * 250), 1]


def test_inject_is_seeded():
    """The same seed draws the same rows and targets; another seed draws others."""
    X = _mixed()
    injector = NoiseInjector(rate=0.05, seed=3).fit(X)
    targets = {"bit": [0], "level": [2], "other": [3]}

    first, again = injector.inject(X, targets), injector.inject(X, targets)
    other = injector.inject(X, targets, seed=4)

    np.testing.assert_array_equal(first.X, again.X)
    assert first.target.tolist() == again.target.tolist()
    assert first.rows.tolist() != other.rows.tolist()


def test_inject_group_members_share_one_draw():
    """All members of a group get the same oob draw u, whatever their scale."""
    X = _mixed()
    injector = NoiseInjector(rate=0.1, kinds=("oob",)).fit(X)

    noised = injector.inject(X, {"levels": [2, 3]})

    values = noised.X[noised.rows][:, 2:]
    span = injector.q99_[2:] - injector.q1_[2:] + injector.eps
    u = (values - injector.q99_[2:]) / span
    np.testing.assert_allclose(u[:, 0], u[:, 1])


def test_inject_leaves_the_input_and_other_rows_alone():
    """The input matrix is not modified and rows that were not drawn are copied."""
    X = _mixed()
    before = X.copy()
    injector = NoiseInjector(rate=0.1).fit(X)

    noised = injector.inject(X, {"bit": [0], "level": [3]})

    untouched = np.setdiff1d(np.arange(len(X)), noised.rows)
    np.testing.assert_array_equal(X, before)
    np.testing.assert_array_equal(noised.X[untouched], X[untouched])
    assert (noised.X[noised.rows] != X[noised.rows]).any(axis=1).all()


def test_inject_table_names_the_perturbed_columns():
    """The per-row table names the columns that were changed."""
    X = _mixed()
    injector = NoiseInjector(rate=0.05, kinds=("flip",)).fit(X)

    table = injector.inject(X, {"bits": [0, 1]}).table(["a", "b", "c", "d"])

    assert table["columns"].eq("a; b").all()
    assert table["target"].eq("bits").all()


def test_inject_without_an_applicable_kind_raises():
    """Flipping needs a 0/1 column; continuous-only targets are refused."""
    X = _mixed()
    injector = NoiseInjector(kinds=("flip",)).fit(X)

    with pytest.raises(SchemaError, match="flip needs 0/1 columns"):
        injector.inject(X, {"levels": [2, 3]})


def test_inject_before_fit_raises():
    """Percentiles are learnt on benign rows first."""
    with pytest.raises(NotFittedError, match="fit"):
        NoiseInjector().inject(_mixed(), {"bit": [0]})


def test_inject_target_out_of_range_raises():
    """A target column beyond the matrix is refused with its name."""
    X = _mixed()
    injector = NoiseInjector().fit(X)

    with pytest.raises(SchemaError, match="'far'"):
        injector.inject(X, {"far": [9]})


@pytest.mark.parametrize(
    "params",
    [{"rate": 0.0}, {"rate": 1.5}, {"kinds": ("swap",)}, {"factors": ()}, {"eps": -1}],
)
def test_fit_bad_parameters_raise(params):
    """Rates outside (0, 1], unknown kinds, no factors or a negative eps are refused."""
    with pytest.raises(ValueError, match=next(iter(params))):
        NoiseInjector(**params).fit(_mixed())
