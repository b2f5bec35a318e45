"""Tests of the compared methods: parity with ae-pvalues, baselines, availability."""

from __future__ import annotations

import importlib.util
import logging

import numpy as np
import pytest

from workbench.explain_bench import methods
from workbench.explain_bench.methods import (
    ABS,
    ERROR_METHODS,
    PVALUES_EXACT,
    PVALUES_INTERP,
    RANDOM,
    SHAP,
    random_order,
    rank_from_errors,
)
from workbench.pvalues import AEPValues
from workbench.ranking import abs_error_order


def _package(reference, errors, folder):
    """The ae-pvalues package's order and p-values (inputs 0, reconstructions = e)."""
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
def test_parity_benchmark_interp_ranking_matches_package(tmp_path):
    """On random float64 errors the order is the package's; p-values within 1e-9."""
    rng = np.random.default_rng(21)
    reference = rng.normal(size=(400, 7)) * rng.uniform(0.1, 4.0, size=7)
    errors = rng.standard_t(df=4, size=(80, 7))
    errors[:10] *= 25.0

    package_order, package_p = _package(reference, errors, tmp_path)
    rankings = rank_from_errors(
        errors, reference, methods=(PVALUES_INTERP,), tiebreak_fit="batch"
    )
    ours = AEPValues(mode="interp", tiebreak_fit="batch").fit(reference)

    np.testing.assert_array_equal(rankings[PVALUES_INTERP].order, package_order)
    np.testing.assert_allclose(ours.pvalues(errors).p, package_p, rtol=0, atol=1e-9)
    assert (package_p == 0).any()


def test_rank_from_errors_gives_each_requested_method():
    """Every error-only method returns a permutation per row; SHAP is not among them."""
    rng = np.random.default_rng(0)
    reference, errors = rng.normal(size=(50, 4)), rng.normal(size=(9, 4))

    rankings = rank_from_errors(errors, reference, methods=(*ERROR_METHODS, SHAP))

    assert set(rankings) == set(ERROR_METHODS)
    for ranking in rankings.values():
        assert (np.sort(ranking.order, axis=1) == np.arange(4)).all()
        assert ranking.seconds >= 0.0
    np.testing.assert_array_equal(rankings[ABS].order, abs_error_order(errors))


def test_rank_from_errors_exact_mode_uses_empirical_counts():
    """Exact p-values rank an error just beyond the reference range first."""
    reference = np.column_stack([np.arange(4.0), np.arange(4.0) * 10])
    errors = np.array([[3.2, 25.0]])

    rankings = rank_from_errors(errors, reference, methods=(PVALUES_EXACT, ABS))

    assert rankings[PVALUES_EXACT].order.tolist() == [[0, 1]]
    assert rankings[ABS].order.tolist() == [[1, 0]]


def test_random_order_is_seeded_and_uniform_at_first_place():
    """Each feature comes first about 1/d of the time; the seed fixes the draw."""
    order = random_order(4000, 5, seed=1)

    share = np.bincount(order[:, 0], minlength=5) / 4000

    np.testing.assert_array_equal(order, random_order(4000, 5, seed=1))
    assert not np.array_equal(order, random_order(4000, 5, seed=2))
    assert np.abs(share - 0.2).max() < 0.03
    assert RANDOM in ERROR_METHODS


def test_available_methods_without_shap_warns_and_leaves_it_out(monkeypatch, caplog):
    """A missing shap is logged, and SHAP_AE is left out of the defaults."""
    real = importlib.util.find_spec

    def no_shap(name, *args):
        return None if name == "shap" else real(name, *args)

    monkeypatch.setattr(methods.importlib.util, "find_spec", no_shap)

    with caplog.at_level(logging.WARNING, logger=methods.__name__):
        available = methods.available_methods()

    assert SHAP not in available
    assert set(ERROR_METHODS) <= set(available)
    assert "netsec-workbench[shap]" in caplog.text
