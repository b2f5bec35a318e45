"""Tests for structure learning, the KT code length and the sampling tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from workbench.flowchronicle.bn import (
    bic_local_score,
    dense_columns,
    fit_cpt,
    kt_bits,
    learn_structure,
    topological_order,
)


def _dependent_data(seed: int, n: int = 400) -> np.ndarray:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 3, n)
    b = np.where(rng.random(n) < 0.9, a, rng.integers(0, 3, n))
    c = np.where(rng.random(n) < 0.85, (a + b) % 2, rng.integers(0, 2, n))
    d = rng.integers(0, 4, n)
    return np.column_stack([a, b, c, d])


@pytest.mark.parity
def test_bic_local_score_matches_pgmpy():
    """Our local BIC equals pgmpy's BIC structure score (the test oracle)."""
    structure_score = pytest.importorskip("pgmpy.structure_score")
    x = _dependent_data(0)
    frame = pd.DataFrame(x, columns=list("abcd"))
    xd, cards = dense_columns(x)

    ours = [bic_local_score(xd, cards, 2, (0, 1)), bic_local_score(xd, cards, 3, ())]
    theirs = structure_score.BIC(frame)

    assert ours[0] == pytest.approx(theirs.local_score("c", ("a", "b")))
    assert ours[1] == pytest.approx(theirs.local_score("d", ()))


def test_learn_structure_finds_dependencies_only():
    """Planted links a-b and (a, b)-c are learned; the independent d stays alone."""
    x = _dependent_data(1)

    structure = learn_structure(x)

    edges = {frozenset((u, v)) for v, pa in enumerate(structure.parents) for u in pa}
    assert frozenset((0, 1)) in edges
    assert any(2 in e for e in edges)
    assert not any(3 in e for e in edges)
    topological_order(structure.parents)


def test_learn_structure_respects_max_indegree():
    """No node gets more parents than allowed."""
    rng = np.random.default_rng(2)
    base = rng.integers(0, 2, 500)
    x = np.column_stack([base ^ (rng.random(500) < 0.05) for _ in range(6)])

    structure = learn_structure(x, max_indegree=1)

    assert max(len(p) for p in structure.parents) <= 1


def test_kt_bits_equals_sequential_prediction():
    """The closed form equals coding the rows one by one with KT estimates."""
    x = _dependent_data(3, n=60)[:, :2]
    parents = ((), (0,))

    bits = kt_bits(x, parents)

    expected, counts = 0.0, {}
    r = [len(np.unique(x[:, 0])), len(np.unique(x[:, 1]))]
    for a, b in x.tolist():
        for key, value, states in (((0, ()), a, r[0]), ((1, (a,)), b, r[1])):
            seen = counts.setdefault(key, {})
            total = sum(seen.values())
            expected -= math.log2((seen.get(value, 0) + 0.5) / (total + states / 2))
            seen[value] = seen.get(value, 0) + 1
    assert bits == pytest.approx(expected)


def test_kt_bits_constant_column_costs_nothing():
    """A column with one observed state needs no bits."""
    x = np.zeros((30, 1), dtype=np.int64)

    assert kt_bits(x, ((),)) == 0.0


def test_fit_cpt_rows_sum_to_one_with_k2_prior():
    """Every parent configuration gets a distribution, unseen ones uniform."""
    x = np.array([[0, 0], [0, 0], [1, 1]])

    table = fit_cpt(x, np.array([3, 2]), 1, (0,))

    assert table.shape == (3, 2)
    assert np.allclose(table.sum(axis=1), 1.0)
    assert table[2].tolist() == [0.5, 0.5]
    assert table[0].tolist() == pytest.approx([0.75, 0.25])
