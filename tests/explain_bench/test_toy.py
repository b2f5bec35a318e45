"""Tests of the toy arithmetic set and of the whole benchmark on it with a small AE."""

from __future__ import annotations

import importlib.util
import math

import numpy as np
import pandas as pd

from workbench.explain_bench.jobs import toy_benchmark
from workbench.explain_bench.methods import ABS, PVALUES_EXACT, PVALUES_INTERP, SHAP
from workbench.explain_bench.report import FILES, write_report
from workbench.explain_bench.shap_ae import ShapAE
from workbench.explain_bench.toy import (
    TOY_BCE_FLOOR,
    TOY_SPLIT,
    make_toy,
    toy_autoencoder,
)

HAS_SHAP = importlib.util.find_spec("shap") is not None


def test_make_toy_derived_features_and_split():
    """X5 and X6 follow the bits; the split is half training, half test."""
    toy = make_toy(1000, seed=3)

    rows = np.vstack([toy.train, toy.test])

    assert toy.train.shape == (500, 6) and toy.test.shape == (500, 6)
    assert set(np.unique(rows[:, :4])) == {0.0, 1.0}
    np.testing.assert_array_equal(rows[:, 4], (rows[:, 1] - rows[:, 0]) / 2 + 0.5)
    np.testing.assert_array_equal(rows[:, 5], (rows[:, 2] + rows[:, 3]) / 2)
    assert len(np.unique(rows, axis=0)) == 16


def test_toy_autoencoder_validation_split_is_the_spec_s():
    """Of 50,000 training rows the autoencoder keeps 16,667 for validation."""
    autoencoder = toy_autoencoder(epochs=1)

    kept = math.ceil(autoencoder.validation_fraction * 50_000)

    assert kept == 16_667 == round(TOY_SPLIT[1] * 100_000)
    assert autoencoder.score == "bce" and autoencoder.batch_size == 128


def test_toy_benchmark_small_ae_writes_acc_at_1_to_5(tmp_path):
    """A two-epoch AE runs end to end and writes acc@1..5 for every explainer."""
    shap = ShapAE(n_records=5, background_size=20, progress=False)

    result = toy_benchmark(
        n_rows=4000, epochs=2, rate=0.05, seeds=(0,), shap=shap, progress=False
    )
    write_report(result, tmp_path)

    summary = pd.read_csv(tmp_path / "summary.csv")
    expected = {PVALUES_INTERP, PVALUES_EXACT, ABS} | ({SHAP} if HAS_SHAP else set())
    assert expected <= set(summary["method"])
    for method in expected:
        ks = summary.loc[
            summary["method"].eq(method) & summary["criterion"].eq("strict"), "k"
        ]
        assert sorted(set(ks)) == [1, 2, 3, 4, 5]
    assert all((tmp_path / name).is_file() for name in FILES)
    assert result.settings["test_rows"] == 2000
    assert result.samples.truth.sum(axis=1).tolist() == [1] * 100


def test_toy_bce_floor_is_the_loss_of_a_perfect_reconstruction():
    """Reconstructing every row exactly costs ln 2 / 6 on average, from X5 and X6."""
    rows = make_toy(20_000, seed=4).train
    p = np.clip(rows, 1e-7, 1 - 1e-7)

    loss = -(rows * np.log(p) + (1 - rows) * np.log(1 - p)).mean()

    assert abs(loss - TOY_BCE_FLOOR) < 0.005
