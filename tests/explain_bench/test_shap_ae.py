"""Tests of SHAP_AE: error share, the ranking rule, seeding, and a missing extra."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from workbench.errors import NotFittedError
from workbench.explain_bench.shap_ae import ShapAE, error_share_features


def _copier(source: int, target: int, d: int):
    """A reconstruction that rebuilds feature ``target`` from feature ``source``."""

    def reconstruct(Z):
        out = np.array(Z, dtype=np.float64)
        out[:, target] = out[:, source]
        return out

    return reconstruct


def test_error_share_features_is_the_shortest_prefix_reaching_gamma():
    """Features by squared error, cut where the cumulative share reaches gamma."""
    errors = np.array([0.5, -3.0, 2.0, 1.0])

    picked = [error_share_features(errors, g).tolist() for g in (0.1, 0.7, 0.95, 1.0)]

    assert picked == [[1], [1, 2], [1, 2, 3], [1, 2, 3, 0]]


def test_error_share_features_zero_errors_keep_one_feature():
    """A perfect reconstruction still names one feature to explain."""
    assert error_share_features(np.zeros(3), 0.5).tolist() == [0]


def test_shap_ae_names_the_input_that_drives_the_error():
    """Feature 0 is rebuilt from feature 3: the order is 0, then 3, then the rest."""
    pytest.importorskip("shap")
    rng = np.random.default_rng(0)
    background = rng.normal(size=(30, 5)) * 0.1
    reconstruct = _copier(3, 0, 5)
    x = background[:1].copy()
    x[0, 3] = 4.0

    shap_ae = ShapAE(progress=False).fit(reconstruct, background)
    result = shap_ae.explain(x, reconstruct(x) - x)

    assert result.order[0, :2].tolist() == [0, 3]
    assert sorted(result.order[0].tolist()) == [0, 1, 2, 3, 4]
    assert result.attribution[0].argmax() == 3
    assert result.explained[0].tolist() == [0]


def test_shap_ae_is_seeded_and_restores_numpy_global_state():
    """Same seed, same values; the caller's legacy NumPy random state is unchanged."""
    pytest.importorskip("shap")
    rng = np.random.default_rng(1)
    background = rng.normal(size=(20, 12))
    x = rng.normal(size=(2, 12))
    reconstruct = _copier(5, 2, 12)
    shap_ae = ShapAE(nsamples=40, progress=False).fit(reconstruct, background)
    np.random.seed(9)  # noqa: NPY002
    before = np.random.get_state()[1].copy()  # noqa: NPY002

    first = shap_ae.explain(x, reconstruct(x) - x, seed=3)
    second = shap_ae.explain(x, reconstruct(x) - x, seed=3)

    np.testing.assert_array_equal(first.attribution, second.attribution)
    np.testing.assert_array_equal(np.random.get_state()[1], before)  # noqa: NPY002


def test_shap_ae_constant_selection_keeps_five_explaining_features():
    """The 'constant' rule follows the explained feature by its 5 largest |phi|."""
    pytest.importorskip("shap")
    rng = np.random.default_rng(2)
    background = rng.normal(size=(20, 8))

    def reconstruct(Z):
        out = np.array(Z, dtype=np.float64)
        out[:, 0] = Z[:, 1:].sum(axis=1)
        return out

    x = background[:1] + 1.0
    shap_ae = ShapAE(selection="constant", progress=False).fit(reconstruct, background)
    result = shap_ae.explain(x, reconstruct(x) - x)

    explaining = result.order[0, 1:6]
    weights = result.attribution[0]
    assert result.order[0, 0] == 0
    assert set(explaining.tolist()) == set(np.argsort(-weights)[:5].tolist())


def test_shap_ae_select_takes_the_highest_mse_rows():
    """The rows explained are the n_records with the largest mean squared error."""
    errors = np.array([[0.1, 0.1], [3.0, 0.0], [0.0, 0.5], [1.0, 1.0]])

    picked = ShapAE(n_records=2).select(errors)

    assert picked.tolist() == [1, 3]


def test_shap_ae_explain_before_fit_raises():
    """The background comes from fit."""
    with pytest.raises(NotFittedError, match="fit"):
        ShapAE().explain(np.zeros((1, 2)), np.zeros((1, 2)))


def test_shap_ae_without_the_extra_says_how_to_install(monkeypatch):
    """Without shap, fit already fails and names the extra to install."""
    monkeypatch.setitem(sys.modules, "shap", None)
    shap_ae = ShapAE(progress=False)

    with pytest.raises(ImportError, match=r"netsec-workbench\[shap\]"):
        shap_ae.fit(_copier(0, 1, 2), np.zeros((3, 2)))


@pytest.mark.parametrize(
    "params",
    [{"selection": "max"}, {"gamma": 0.0}, {"n_records": 0}, {"background_size": 0}],
)
def test_shap_ae_bad_parameters_raise(params):
    """Unknown selections, gamma outside (0, 1] and non-positive sizes are refused."""
    with pytest.raises(ValueError, match=next(iter(params))):
        ShapAE(**params).fit(_copier(0, 1, 2), np.zeros((3, 2)))
