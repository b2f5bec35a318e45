"""Tests for quantile bins and the intervals classes stand for."""

from __future__ import annotations

import numpy as np

from workbench.flowchronicle.discretise import assign_classes, class_interval, fit_edges


def test_fit_edges_zero_is_left_out():
    """Zeros do not shape the quantile edges."""
    values = np.array([0.0] * 50 + [10.0, 20.0, 30.0])

    edges = fit_edges(values, n_bins=2)

    assert edges.tolist() == [10.0, 20.0, 30.0]


def test_assign_classes_every_value_inside_its_interval():
    """Decoding a class interval contains the value that produced it."""
    rng = np.random.default_rng(3)
    values = np.concatenate([np.zeros(20), rng.integers(1, 10_000, 500).astype(float)])
    edges = fit_edges(values, n_bins=40)

    classes = assign_classes(values, edges)

    for value, cls in zip(values, classes, strict=True):
        low, high = class_interval(int(cls), edges, integer=True)
        assert low <= value < high


def test_fit_edges_duplicates_dropped():
    """A column with three distinct values gets few edges, one class per value."""
    values = np.array([5.0] * 30 + [6.0] * 30 + [7.0] * 30)

    edges = fit_edges(values, n_bins=40)

    classes = assign_classes(values, edges)
    assert len(edges) < 10
    assert all(len(np.unique(classes[values == v])) == 1 for v in (5.0, 6.0, 7.0))


def test_class_interval_real_is_closed():
    """Real classes are closed intervals; class 0 is the single value 0."""
    edges = np.array([0.5, 1.5, 2.5])

    assert class_interval(0, edges, integer=False) == (0.0, 0.0)
    assert class_interval(2, edges, integer=False) == (1.5, 2.5)
