"""Tests for the plain-language description of a model."""

from __future__ import annotations

from tests.flowchronicle.fc_helpers import DNS_PORT
from workbench.flowchronicle.describe import describe_model, describe_pattern


def test_describe_model_one_row_per_pattern(planted_model):
    """The table lists every pattern with its weight and share."""
    model = planted_model

    table = describe_model(model)

    assert len(table) == len(model.patterns)
    assert table["weight"].tolist() == list(model.weights)
    assert abs(table["share"].sum() - 1.0) < 1e-9
    assert table["cells"].iloc[-1] == "*"


def test_describe_pattern_names_fixed_and_reused_cells(planted_model):
    """The planted pattern reads as the DNS port, then the reused client address."""
    model = planted_model
    index = next(i for i, p in enumerate(model.patterns) if p.n_rows == 2)

    text = describe_pattern(model, index)

    assert f"pattern {index}: weight {model.weights[index]}" in text
    assert "row 1:" in text
    assert "=row0." in text
    assert any(
        f"DstPt={DNS_PORT}" in describe_pattern(model, i)
        for i in range(len(model.patterns))
    )
