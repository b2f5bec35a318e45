"""Tests of the ranking rule, the AE-abs baseline and the long explanation table."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.errors import SchemaError
from workbench.ranking import (
    EXPLANATION_COLUMNS,
    abs_error_order,
    explain_abs,
    explanation_table,
    rank_features,
)


def test_rank_features_p_then_tiebreak_then_index_descending():
    """Lower p first; equal p by larger tie-breaker; complete ties by higher index."""
    p = np.array([[0.2, 0.0, 0.0, 0.0, 0.1]])
    tiebreak = np.array([[9.0, 1.0, 3.0, 1.0, 0.0]])

    order = rank_features(p, tiebreak)

    assert order.tolist() == [[2, 3, 1, 4, 0]]


def test_rank_features_all_tied_rows_reverse_the_columns():
    """A row with every feature tied is ordered by feature index descending."""
    p = np.full((2, 5), 0.5)

    order = rank_features(p, np.zeros((2, 5)))

    assert order.tolist() == [[4, 3, 2, 1, 0]] * 2


def test_rank_features_rounding_residue_ties_with_zero():
    """p below float64 resolution near 1 ties with 0, so the tie-breaker decides."""
    p = np.array([[3e-18, 0.0], [1e-10, 0.0]])
    tiebreak = np.array([[1.0, 2.0], [1.0, 2.0]])

    order = rank_features(p, tiebreak)

    assert order.tolist() == [[1, 0], [1, 0]]
    assert rank_features(p, tiebreak[:, ::-1]).tolist() == [[0, 1], [1, 0]]


def test_rank_features_shape_mismatch_raises():
    """p and tie-breaker of different shapes are refused."""
    p, tiebreak = np.zeros((2, 3)), np.zeros((2, 4))

    with pytest.raises(ValueError, match="same shape"):
        rank_features(p, tiebreak)


def test_abs_error_order_largest_magnitude_first_ties_by_index_ascending():
    """AE-abs ranks |e| descending and breaks ties by the lower index."""
    errors = [[0.5, -2.0, 2.0, 0.0], [1.0, 1.0, 1.0, 1.0]]

    order = abs_error_order(errors)

    assert order.tolist() == [[1, 2, 0, 3], [0, 1, 2, 3]]


def test_abs_error_order_rejects_nan():
    """AE-abs refuses non-finite errors like the p-value explainer does."""
    errors = [[0.5, np.nan]]

    with pytest.raises(SchemaError, match="NaN or infinite"):
        abs_error_order(errors)


def test_explain_abs_table_has_nan_pvalue_columns():
    """The AE-abs table has every column, NaN p-values and ranks 1..d per alert."""
    errors = np.array([[0.1, -3.0, 2.0], [1.0, 0.0, -0.5]])

    table = explain_abs(errors, feature_names=["a", "b", "c"], alert_ids=[5, 3])

    assert tuple(table.columns) == EXPLANATION_COLUMNS
    assert table[["p_value", "p_right", "p_left", "tiebreak"]].isna().all().all()
    assert table["alert_id"].tolist() == [3, 3, 3, 5, 5, 5]
    assert table["feature"].tolist() == ["a", "c", "b", "b", "c", "a"]
    assert table["rank"].tolist() == [1, 2, 3, 1, 2, 3]


def test_explanation_table_derives_values_from_reconstructions():
    """Given reconstructions only, values are reconstruction minus error."""
    errors = np.array([[1.0, -2.0]])
    reconstructions = np.array([[5.0, 5.0]])

    table = explanation_table(
        np.array([[1, 0]]),
        errors,
        feature_names=["x", "y"],
        reconstructions=reconstructions,
        pvalues={"p_value": np.array([[0.3, 0.0]])},
    )

    assert table["value"].tolist() == [7.0, 4.0]
    assert table["reconstruction"].tolist() == [5.0, 5.0]
    assert table["p_value"].tolist() == [0.0, 0.3]
    assert table["p_right"].isna().all()


def test_explanation_table_top_larger_than_features_keeps_all():
    """top above the number of features keeps every feature once."""
    errors = np.zeros((2, 3))

    table = explain_abs(errors, feature_names=["a", "b", "c"], top=10)

    assert len(table) == 6


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"alert_ids": [1, 1]}, SchemaError, "duplicates"),
        ({"alert_ids": [1.5, 2.0]}, SchemaError, "integers"),
        ({"alert_ids": [1]}, SchemaError, "one id per row"),
        ({"values": np.zeros((2, 2))}, SchemaError, "values has shape"),
        ({"feature_names": "abc"}, SchemaError, "not one string"),
        ({"top": 0}, ValueError, "positive integer"),
    ],
)
def test_explain_abs_bad_arguments_raise(kwargs, error, match):
    """Bad ids, shapes, names and top values are refused with a clear message."""
    arguments = {"feature_names": ["a", "b", "c"], **kwargs}

    with pytest.raises(error, match=match):
        explain_abs(np.zeros((2, 3)), **arguments)


def test_explanation_table_rejects_order_that_is_not_a_permutation():
    """An order row repeating a feature is refused."""
    order = np.array([[0, 0, 1]])

    with pytest.raises(ValueError, match="permutation"):
        explanation_table(order, np.zeros((1, 3)), feature_names=["a", "b", "c"])
