"""Tests of top-K scoring: correlated sets, first hits and accuracy tables."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.errors import SchemaError
from workbench.explain_bench.scoring import (
    correlated_features,
    first_hit,
    topk_accuracy,
)
from workbench.explain_bench.toy import TOY_CORRELATED, make_toy


def test_correlated_features_toy_matches_the_analytic_sets():
    """At 0.7 each bit accepts its derived feature (|rho| = 0.707) and nothing else."""
    toy = make_toy(40_000, seed=5)

    accepted = correlated_features(toy.train, 0.7)

    found = {j: set(np.flatnonzero(row).tolist()) for j, row in enumerate(accepted)}
    assert found == TOY_CORRELATED


def test_correlated_features_higher_cutoff_keeps_only_the_diagonal_on_toy():
    """At 0.9 the toy features accept only themselves."""
    toy = make_toy(20_000, seed=6)

    accepted = correlated_features(toy.train, 0.9)

    np.testing.assert_array_equal(accepted, np.eye(6, dtype=bool))


def test_correlated_features_constant_column_accepts_only_itself():
    """A constant column has no correlation, not NaN."""
    x = np.arange(10.0)
    benign = np.column_stack([x, 2 * x, np.full(10, 3.0)])

    accepted = correlated_features(benign)

    assert accepted.astype(int).tolist() == [[1, 1, 0], [1, 1, 0], [0, 0, 1]]


def test_first_hit_is_the_rank_of_the_first_accepted_feature():
    """1-based rank of the first accepted feature, d + 1 when none is accepted."""
    order = np.array([[3, 1, 0, 2], [0, 1, 2, 3], [2, 3, 1, 0]])
    accepted = np.array([[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 1, 1]], dtype=bool)

    ranks = first_hit(order, accepted)

    assert ranks.tolist() == [3, 5, 1]


def test_first_hit_shape_mismatch_raises():
    """Orders of other rows than the truth are refused."""
    with pytest.raises(SchemaError, match="same shape"):
        first_hit(np.zeros((2, 3), int), np.zeros((3, 3), bool))


def test_topk_accuracy_correlated_criterion_accepts_the_partner():
    """Naming X5 for a flipped X1 misses strictly and hits when correlated."""
    correlated = correlated_features(make_toy(20_000, seed=7).train, 0.7)
    truth = np.zeros((1, 6), bool)
    truth[0, 0] = True
    order = np.array([[4, 1, 2, 3, 0, 5]])

    table = topk_accuracy({"m": order}, truth, correlated={"corr": correlated}, max_k=5)

    by = table.set_index(["criterion", "k"])["accuracy"]
    assert by[("strict", 1)] == 0.0 and by[("strict", 5)] == 1.0
    assert by[("corr", 1)] == 1.0


def test_topk_accuracy_counts_hits_per_subset():
    """Accuracy is the share of rows hit within each named subset."""
    order = np.array([[0, 1], [1, 0], [1, 0], [0, 1]])
    truth = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=bool)
    subsets = {"all": np.ones(4, bool), "firsts": np.array([1, 1, 0, 0], bool)}

    table = topk_accuracy({"m": order}, truth, subsets=subsets, max_k=2)

    by = table.set_index(["subset", "k"])
    assert by.loc[("all", 1), "accuracy"] == 0.5
    assert by.loc[("firsts", 1), "accuracy"] == 0.5
    assert by.loc[("all", 2), "accuracy"] == 1.0
    assert by.loc[("firsts", 1), "n"] == 2


def test_topk_accuracy_empty_subset_is_nan():
    """No rows in a subset gives NaN accuracy and n = 0, not an error."""
    truth = np.array([[True, False]])

    table = topk_accuracy(
        {"m": np.array([[0, 1]])}, truth, subsets={"none": np.zeros(1, bool)}
    )

    assert table["accuracy"].isna().all() and table["n"].eq(0).all()
