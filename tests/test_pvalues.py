"""Tests of the AE-pvalues explainer (spec ae_pvalues.md, sections 3, 4 and 9)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from workbench.errors import ModelFileError, NotFittedError, SchemaError
from workbench.pvalues import AEPValues
from workbench.ranking import EXPLANATION_COLUMNS

WORKED_REFERENCE = np.array([[0.0], [1.0], [2.0], [3.0]])
WORKED_ERRORS = np.array([[2.5], [3.5], [5.0], [-0.5], [-1.0]])


def _tied_data(seed: int, n: int = 200, m: int = 50, d: int = 4):
    """Reference and explained errors rounded to one decimal, so values tie often."""
    rng = np.random.default_rng(seed)
    reference = np.round(rng.normal(size=(n, d)), 1)
    errors = np.round(rng.normal(scale=1.5, size=(m, d)), 1)
    return reference, errors


def test_pvalues_worked_values_exact():
    """Exact mode reproduces the exact column of the spec's worked table."""
    explainer = AEPValues(mode="exact").fit(WORKED_REFERENCE)

    p = explainer.pvalues(WORKED_ERRORS).p

    assert p.ravel().tolist() == [0.25, 0.0, 0.0, 0.0, 0.0]


def test_pvalues_worked_values_interp():
    """Interp mode reproduces the interp column: extension both ways, clipped at 0."""
    explainer = AEPValues(mode="interp").fit(WORKED_REFERENCE)

    result = explainer.pvalues(WORKED_ERRORS)

    assert result.p.ravel().tolist() == [0.375, 0.125, 0.0, 0.125, 0.0]
    assert result.p_right[0, 0] == 0.375
    assert result.p_left[0, 0] == 0.875


@pytest.mark.parametrize("mode", ["exact", "interp"])
def test_pvalues_at_reference_value_is_smaller_tail_mass(mode):
    """An error equal to a reference value gets the smaller of its two tail masses."""
    explainer = AEPValues(mode=mode).fit(WORKED_REFERENCE)

    result = explainer.pvalues([[1.0], [3.0]])

    assert result.p_right.ravel().tolist() == [0.75, 0.25]
    assert result.p_left.ravel().tolist() == [0.5, 1.0]
    assert result.p.ravel().tolist() == [0.5, 0.25]


@pytest.mark.parametrize("mode", ["exact", "interp"])
def test_pvalues_constant_feature_rule(mode):
    """A constant reference column gives p = 1 at its value and 0 anywhere else."""
    reference = np.full((4, 1), 5.0)
    explainer = AEPValues(mode=mode).fit(reference)

    result = explainer.pvalues([[5.0], [6.0], [4.0]])

    assert result.p.ravel().tolist() == [1.0, 0.0, 0.0]
    assert result.p_right.ravel().tolist() == [1.0, 0.0, 0.0]
    assert result.p_left.ravel().tolist() == [1.0, 0.0, 0.0]


def test_pvalues_exact_equals_brute_force_count():
    """Exact tails equal direct counts of reference errors >= e and <= e, with ties."""
    reference, errors = _tied_data(seed=3)
    errors[:5] = reference[:5]

    result = AEPValues(mode="exact", chunk_size=7).fit(reference).pvalues(errors)

    right = (reference[None, :, :] >= errors[:, None, :]).mean(axis=1)
    left = (reference[None, :, :] <= errors[:, None, :]).mean(axis=1)
    np.testing.assert_array_equal(result.p_right, right)
    np.testing.assert_array_equal(result.p_left, left)
    np.testing.assert_array_equal(result.p, np.minimum(right, left))


def test_pvalues_interp_lies_between_tails_at_neighbouring_values():
    """Between two reference values the interp right tail lies between their masses."""
    reference, _ = _tied_data(seed=4)
    errors = np.random.default_rng(5).uniform(-1.0, 1.0, size=(40, 4))

    interp = AEPValues(mode="interp").fit(reference).pvalues(errors).p_right

    below = np.where(reference[None] <= errors[:, None], reference[None], -np.inf)
    lower_value = below.max(axis=1)
    upper = (reference[None] >= lower_value[:, None]).mean(axis=1)
    lower = (reference[None] >= errors[:, None]).mean(axis=1)
    assert (interp >= lower - 1e-12).all()
    assert (interp <= upper + 1e-12).all()
    assert (interp > lower).mean() > 0.9


def test_pvalues_smoothing_counts_one_extra_reference_row():
    """Smoothing gives (1 + count) / (n + 1), so p is never 0."""
    reference, errors = _tied_data(seed=6)
    errors[0] = 99.0

    result = AEPValues(mode="exact", smoothing=True).fit(reference).pvalues(errors)

    count = (reference[None, :, :] >= errors[:, None, :]).sum(axis=1)
    np.testing.assert_allclose(result.p_right, (1 + count) / 201, rtol=0, atol=1e-15)
    assert result.p.min() > 0


def test_pvalues_right_tail_counts_absolute_errors():
    """tails="right" counts |r| >= |e| and leaves the left tail NaN."""
    reference, errors = _tied_data(seed=7)

    explainer = AEPValues(mode="exact", tails="right").fit(reference)
    result = explainer.pvalues(errors)

    expected = (np.abs(reference)[None] >= np.abs(errors)[:, None]).mean(axis=1)
    np.testing.assert_array_equal(result.p, expected)
    assert np.isnan(result.p_left).all()


@pytest.mark.parametrize("mode", ["exact", "interp"])
def test_pvalues_negating_errors_keeps_two_tail_pvalues_and_order(mode):
    """Negating reference and explained errors swaps the tails, keeps p and order."""
    rng = np.random.default_rng(8)
    reference, errors = rng.normal(size=(300, 6)), 2 * rng.normal(size=(40, 6))
    errors[0] = 50.0

    plus = AEPValues(mode=mode).fit(reference)
    minus = AEPValues(mode=mode).fit(-reference)

    np.testing.assert_allclose(
        plus.pvalues(errors).p, minus.pvalues(-errors).p, rtol=0, atol=1e-12
    )
    np.testing.assert_array_equal(plus.rank(errors), minus.rank(-errors))


def test_pvalues_tiebreak_batch_of_one_row_is_zero():
    """Fitted on the batch, the tie-breaker of a single row is 0 everywhere."""
    rng = np.random.default_rng(9)
    reference, row = rng.normal(size=(100, 3)), np.array([[9.0, -9.0, 0.1]])

    batch = AEPValues(tiebreak_fit="batch").fit(reference).pvalues(row)
    fixed = AEPValues(tiebreak_fit="reference").fit(reference).pvalues(row)

    assert (batch.tiebreak == 0).all()
    assert (fixed.tiebreak > 0).all()


def test_pvalues_tiebreak_reference_does_not_depend_on_batch():
    """Fitted on the reference, a row's tie-breaker and order ignore its batch mates."""
    rng = np.random.default_rng(10)
    reference, errors = rng.normal(size=(100, 5)), 20 * rng.normal(size=(30, 5))
    explainer = AEPValues(tiebreak_fit="reference").fit(reference)

    alone = explainer.pvalues(errors[:1]).tiebreak
    together = explainer.pvalues(errors).tiebreak[:1]
    explainer.tiebreak_fit = "batch"
    batch = explainer.pvalues(errors).tiebreak[:1]

    np.testing.assert_array_equal(alone, together)
    assert not np.allclose(batch, together)


def test_pvalues_tiebreak_is_robust_distance_from_reference_median():
    """The reference tie-breaker is |e - median| / (Q99 - Q1) of the reference."""
    rng = np.random.default_rng(11)
    reference, errors = rng.normal(size=(101, 2)), rng.normal(size=(5, 2))

    tiebreak = AEPValues().fit(reference).pvalues(errors).tiebreak

    low, high = np.percentile(reference, [1, 99], axis=0)
    expected = np.abs(errors - np.median(reference, axis=0)) / (high - low)
    np.testing.assert_allclose(tiebreak, expected, rtol=1e-14)


def test_pvalues_chunk_size_does_not_change_results():
    """Processing rows in chunks of 3 gives the same arrays as one chunk."""
    reference, errors = _tied_data(seed=12)

    small = AEPValues(tiebreak_fit="batch", chunk_size=3).fit(reference)
    large = AEPValues(tiebreak_fit="batch").fit(reference)

    for name in ("p", "p_right", "p_left", "tiebreak"):
        np.testing.assert_array_equal(
            getattr(small.pvalues(errors), name), getattr(large.pvalues(errors), name)
        )


def test_rank_complete_ties_put_higher_feature_index_first():
    """Features tied on p and tie-breaker are ordered by index descending."""
    reference = np.tile(np.arange(10.0)[:, None], (1, 4))
    explainer = AEPValues(mode="exact").fit(reference)

    order = explainer.rank([[50.0, 50.0, 4.5, 50.0], [4.5, 4.5, 4.5, 4.5]])

    assert order.tolist() == [[3, 1, 0, 2], [3, 2, 1, 0]]


def test_rank_saturated_features_ordered_by_tiebreak():
    """Among p = 0 features, the larger robust distance ranks first."""
    reference = np.tile(np.arange(10.0)[:, None], (1, 3))
    explainer = AEPValues(mode="exact").fit(reference)

    order = explainer.rank([[20.0, 40.0, 30.0]])

    assert order.tolist() == [[1, 2, 0]]


def test_explain_table_columns_ranks_and_sorting():
    """explain returns one row per alert and feature, sorted by alert id then rank."""
    rng = np.random.default_rng(13)
    reference, errors = rng.normal(size=(50, 3)), rng.normal(size=(2, 3))
    values = rng.normal(size=(2, 3))
    explainer = AEPValues().fit(reference)

    table = explainer.explain(
        errors, feature_names=["a", "b", "c"], alert_ids=[7, 2], values=values
    )

    assert tuple(table.columns) == EXPLANATION_COLUMNS
    assert table["alert_id"].tolist() == [2, 2, 2, 7, 7, 7]
    assert table["rank"].tolist() == [1, 2, 3, 1, 2, 3]
    first = table[table["alert_id"] == 7].iloc[0]
    column = ["a", "b", "c"].index(first["feature"])
    assert first["error"] == errors[0, column]
    assert first["reconstruction"] == pytest.approx(
        values[0, column] + errors[0, column]
    )
    expected_first = explainer.rank(errors)[0, 0]
    assert column == expected_first


def test_explain_top_keeps_best_ranks():
    """top=2 keeps ranks 1 and 2 of every alert, with their p-values."""
    rng = np.random.default_rng(14)
    reference, errors = rng.normal(size=(50, 4)), rng.normal(size=(3, 4))
    explainer = AEPValues().fit(reference)

    table = explainer.explain(errors, feature_names=list("wxyz"), top=2)

    assert len(table) == 6
    assert table["rank"].tolist() == [1, 2] * 3
    assert isinstance(table, pd.DataFrame)
    assert table["p_value"].notna().all()


@pytest.mark.parametrize("mode", ["exact", "interp"])
def test_to_dict_json_round_trip_gives_identical_pvalues(mode):
    """A state written to JSON text and read back explains exactly as the original."""
    reference, errors = _tied_data(seed=15)
    explainer = AEPValues(mode=mode, smoothing=True).fit(reference)

    restored = AEPValues.from_dict(json.loads(json.dumps(explainer.to_dict())))

    before, after = explainer.pvalues(errors), restored.pvalues(errors)
    for name in ("p", "p_right", "p_left", "tiebreak"):
        np.testing.assert_array_equal(getattr(before, name), getattr(after, name))
    assert restored.get_params() == explainer.get_params()


@pytest.mark.parametrize(
    "change",
    [
        lambda state: state.update(kind="other"),
        lambda state: state["columns"][0]["counts"].pop(),
        lambda state: state["columns"][1].update(values=[2.0, 1.0]),
        lambda state: state["params"].update(mode="fast"),
        lambda state: state.pop("tiebreak_scale"),
    ],
)
def test_from_dict_rejects_inconsistent_state(change):
    """A damaged or foreign state raises ModelFileError, never explains wrongly."""
    reference = np.array([[0.0, 1.0], [1.0, 2.0], [1.0, 3.0]])
    state = AEPValues().fit(reference).to_dict()

    change(state)

    with pytest.raises(ModelFileError):
        AEPValues.from_dict(state, source="model/pvalues.json")


@pytest.mark.parametrize(
    ("reference", "errors", "match"),
    [
        (np.zeros((1, 2)), np.zeros((1, 2)), "at least 2 row"),
        (np.zeros(5), np.zeros((1, 1)), "must be 2-D"),
        (np.array([[0.0], [np.nan]]), np.zeros((1, 1)), "NaN or infinite"),
        (np.zeros((3, 2)), np.zeros((1, 3)), "3 feature columns"),
        (np.zeros((3, 2)), np.array([[np.inf, 0.0]]), "row 0, column 0"),
        (np.zeros((3, 2)), [["a", "b"]], "numeric array"),
    ],
)
def test_pvalues_bad_input_raises_schema_error(reference, errors, match):
    """Wrong shapes, non-finite values and too few reference rows are refused."""
    with pytest.raises(SchemaError, match=match):
        AEPValues().fit(reference).pvalues(errors)


def test_explain_feature_names_of_wrong_length_raise():
    """feature_names must hold one name per column."""
    explainer = AEPValues().fit(np.zeros((3, 2)))

    with pytest.raises(SchemaError, match="one name per column"):
        explainer.explain(np.zeros((1, 2)), feature_names=["only_one"])


def test_pvalues_before_fit_raises_not_fitted():
    """Explaining before fit raises NotFittedError."""
    explainer = AEPValues()

    with pytest.raises(NotFittedError):
        explainer.pvalues(np.zeros((1, 2)))


@pytest.mark.parametrize(
    "params",
    [
        {"mode": "fast"},
        {"tiebreak_fit": "all"},
        {"tails": "left"},
        {"chunk_size": 0},
        {"smoothing": "yes"},
    ],
)
def test_fit_bad_parameter_raises_value_error(params):
    """An option outside its allowed values is refused at fit."""
    explainer = AEPValues(**params)

    with pytest.raises(ValueError, match=next(iter(params))):
        explainer.fit(np.zeros((3, 2)))


def test_pvalues_tails_changed_after_fit_raises():
    """Changing tails after fit needs a refit, since the distributions differ."""
    explainer = AEPValues().fit(np.zeros((3, 2)))

    explainer.tails = "right"

    with pytest.raises(ValueError, match="fit again"):
        explainer.pvalues(np.zeros((1, 2)))


def _package_pvalues(reference, errors, folder):
    """Run the ae-pvalues package with inputs 0 and reconstructions = errors."""
    package = pytest.importorskip("ae_pvalues")
    order, p = package.ae_pvalues_no_model(
        np.zeros_like(reference),
        reference,
        np.zeros_like(errors),
        errors,
        output_folder=str(folder),
    )
    return np.asarray(order), np.asarray(p)


@pytest.mark.parity
def test_parity_worked_values_match_package(tmp_path):
    """The package gives the interp column of the worked table, as we do."""
    reference = np.hstack([WORKED_REFERENCE, np.full((4, 1), 5.0)])
    errors = np.hstack([WORKED_ERRORS, np.array([[5.0], [6.0], [5.0], [5.0], [4.0]])])

    _, package_p = _package_pvalues(reference, errors, tmp_path)
    ours = AEPValues(mode="interp", tiebreak_fit="batch").fit(reference)

    np.testing.assert_allclose(ours.pvalues(errors).p, package_p, rtol=0, atol=1e-12)


@pytest.mark.parity
def test_parity_random_continuous_pvalues_and_orders(tmp_path):
    """On continuous float64 errors p-values agree within 1e-12 and orders match."""
    rng = np.random.default_rng(16)
    reference = rng.normal(size=(300, 6)) * rng.uniform(0.1, 3.0, size=6)
    errors = rng.standard_t(df=3, size=(60, 6)) * 2.0
    errors[:4] *= 40.0

    package_order, package_p = _package_pvalues(reference, errors, tmp_path)
    ours = AEPValues(mode="interp", tiebreak_fit="batch").fit(reference)

    np.testing.assert_allclose(ours.pvalues(errors).p, package_p, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(ours.rank(errors), package_order)
    assert (package_p == 0).sum() > 4


@pytest.mark.parity
def test_parity_complete_ties_order_by_index_descending(tmp_path):
    """Identical columns tie on p and tie-breaker; both put the higher index first."""
    rng = np.random.default_rng(17)
    base_reference, base_errors = rng.normal(size=(200, 2)), rng.normal(size=(20, 2))
    reference = base_reference[:, [0, 1, 0, 1, 0]]
    errors = 3.0 * base_errors[:, [0, 1, 0, 1, 0]]
    errors[0] = 100.0

    package_order, package_p = _package_pvalues(reference, errors, tmp_path)
    ours = AEPValues(mode="interp", tiebreak_fit="batch").fit(reference)
    order = ours.rank(errors)

    np.testing.assert_allclose(ours.pvalues(errors).p, package_p, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(order, package_order)
    # Columns 0, 2, 4 are copies, so are 1, 3: each group comes out index descending.
    assert order[0].tolist() in ([4, 2, 0, 3, 1], [3, 1, 4, 2, 0])


@pytest.mark.parity
def test_parity_grid_errors_with_ties_and_constant_column(tmp_path):
    """On errors rounded to 0.1 (ties, a constant column, p residues near 0) too."""
    rng = np.random.default_rng(2)
    reference = np.round(rng.normal(size=(500, 5)), 1)
    errors = np.round(rng.normal(size=(100, 5)) * 2, 1)
    reference[:, 3], errors[:50, 3] = 0.7, 0.7

    package_order, package_p = _package_pvalues(reference, errors, tmp_path)
    ours = AEPValues(mode="interp", tiebreak_fit="batch").fit(reference)

    np.testing.assert_allclose(ours.pvalues(errors).p, package_p, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(ours.rank(errors), package_order)
