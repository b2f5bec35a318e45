"""Tests for building the generative model from a mining result."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from tests.flowchronicle.fc_helpers import DNS_PORT, tiny_model
from workbench.flowchronicle.model import FixedCell, ReuseCell, model_problems


def test_build_model_empty_pattern_last(planted_model, planted_result):
    """The empty pattern is last, weighted by the uncovered records."""
    model = planted_model

    empty = model.patterns[-1]

    assert empty.rows == ((),)
    assert model.weights[-1] == planted_result.cover.uncovered.size
    assert {n.feature for n in empty.nodes} == {f.name for f in model.features}


def test_build_model_is_consistent(planted_model):
    """Every row defines every feature once; tables are normalised."""
    model = planted_model

    problems = model_problems(model)

    assert problems == []
    for pattern in model.patterns:
        for node in pattern.nodes:
            assert np.allclose(node.cpt.sum(axis=1), 1.0)
            assert all(p < pattern.nodes.index(node) for p in node.parents)


def test_build_model_decodes_fixed_values(planted_model):
    """Fixed cells hold decoded values: the DNS port, not its code."""
    model = planted_model

    fixed = {
        c.value
        for p in model.patterns
        for row in p.rows
        for c in row
        if isinstance(c, FixedCell) and c.feature == "DstPt"
    }
    reuse = [
        c
        for p in model.patterns
        for row in p.rows
        for c in row
        if isinstance(c, ReuseCell)
    ]

    assert DNS_PORT in fixed
    assert reuse and all(c.feature in ("SrcIP", "DstIP") for c in reuse)


def test_build_model_time_model_shapes(planted_model, planted_result):
    """Each pattern keeps one start per window and one gap list per row pair."""
    model = planted_model

    usage = [u for u in planted_result.cover.usage if u > 0]

    for pattern, weight in zip(model.patterns[:-1], usage, strict=True):
        assert pattern.time_model.start_times.size == weight
        assert len(pattern.time_model.gaps) == pattern.n_rows - 1
        assert all(np.all(g >= 0) for g in pattern.time_model.gaps)


def test_model_problems_reports_tables_that_are_no_distribution():
    """A table row summing to 0.9 or holding a negative entry is a problem."""
    model = tiny_model()
    rest = model.patterns[1]
    short = replace(rest.nodes[0], cpt=np.array([[0.5, 0.4]]))
    negative = replace(rest.nodes[0], cpt=np.array([[1.5, -0.5]]))

    problems = [
        model_problems(
            replace(model, patterns=(model.patterns[0], replace(rest, nodes=nodes)))
        )
        for nodes in ((short, *rest.nodes[1:]), (negative, *rest.nodes[1:]))
    ]

    assert problems[0] == [
        "pattern 1: node 0 (Proto of row 0): table row 0 does not sum to 1"
    ]
    assert problems[1] == [
        "pattern 1: node 0 (Proto of row 0): negative or missing probabilities"
    ]
    assert model_problems(model) == []
