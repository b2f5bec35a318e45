import numpy as np
import pytest

from workbench.autoencoder import AutoencoderDetector
from workbench.errors import ModelFileError, NotFittedError, SchemaError


def _correlated(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 6)).astype(np.float32)
    X[:, 3] = X[:, 0] - X[:, 1]
    X[:, 4] = 0.5 * X[:, 2]
    X[:, 5] = X[:, 0]
    return X


def _small(**kwargs) -> AutoencoderDetector:
    params = {"hidden": (16, 4), "max_epochs": 60, "progress": False, "seed": 3}
    return AutoencoderDetector(**{**params, **kwargs})


def test_autoencoder_separates_obvious_anomaly():
    """Rows that break the learned correlations score far above benign rows."""
    X = _correlated(1500, seed=0)
    detector = _small().fit(X)
    normal = _correlated(200, seed=1)
    broken = normal.copy()
    broken[:, 5] = normal[:, 0] + 6.0

    normal_scores = detector.score_samples(normal)
    broken_scores = detector.score_samples(broken)

    assert np.median(broken_scores) > 5 * np.median(normal_scores)
    assert detector.predict(broken).mean() > 0.9
    assert detector.predict(normal).mean() < 0.1


def test_autoencoder_seeded_runs_reproducible():
    """The same seed gives the same weights, scores and threshold."""
    X = _correlated(300, seed=0)

    first = _small(max_epochs=5).fit(X)
    second = _small(max_epochs=5).fit(X)

    np.testing.assert_array_equal(first.score_samples(X), second.score_samples(X))
    assert first.threshold_ == second.threshold_
    assert _small(max_epochs=5, seed=4).fit(X).threshold_ != first.threshold_


def test_autoencoder_threshold_moves_without_retraining(monkeypatch):
    """Changing the FPR neither refits nor runs the network."""
    detector = _small(max_epochs=3).fit(_correlated(300, seed=0))
    before = detector.threshold_

    def fail(*args, **kwargs):
        raise AssertionError("the network must not run")

    monkeypatch.setattr(detector.network_, "forward", fail)
    monkeypatch.setattr(detector, "fit", fail)
    detector.set_threshold(fpr=0.2)

    assert detector.threshold_ < before
    assert detector.threshold.reference_fpr <= 0.2


def test_autoencoder_errors_are_reconstruction_minus_input():
    """Signed errors follow the spec's sign convention and give the mse score."""
    X = _correlated(200, seed=0)
    detector = _small(max_epochs=2).fit(X)

    errors = detector.errors(X[:5])

    np.testing.assert_allclose(errors, detector.reconstruct(X[:5]) - X[:5], atol=1e-6)
    np.testing.assert_allclose(
        detector.score_samples(X[:5]), np.square(errors).mean(axis=1), rtol=1e-6
    )


def test_autoencoder_save_load_round_trip(tmp_path):
    """A saved model reloads without pickle and scores identically."""
    X = _correlated(300, seed=0)
    detector = _small(max_epochs=3).fit(X).set_threshold(fpr=0.05)
    detector.save(tmp_path)

    again = AutoencoderDetector.load(tmp_path)

    np.testing.assert_array_equal(again.score_samples(X), detector.score_samples(X))
    assert again.threshold_ == detector.threshold_
    assert not any(p.suffix in {".pt", ".pkl", ".pickle"} for p in tmp_path.iterdir())


def test_autoencoder_bce_scores_binary_inputs():
    """The bce variant trains on 0/1 inputs and keeps scores non-negative."""
    X = (np.random.default_rng(0).random((300, 5)) < 0.3).astype(np.float32)

    detector = _small(score="bce", max_epochs=3).fit(X)

    assert (detector.score_samples(X) >= 0).all()


def test_autoencoder_bad_input(tmp_path):
    """Unfitted use, wrong widths, NaN and damaged folders raise clear errors."""
    with pytest.raises(NotFittedError):
        _small().score_samples(np.zeros((2, 6)))
    detector = _small(max_epochs=1).fit(_correlated(100, seed=0))
    with pytest.raises(SchemaError, match="6"):
        detector.score_samples(np.zeros((2, 3)))
    with pytest.raises(SchemaError, match="NaN"):
        detector.score_samples(np.full((2, 6), np.nan))
    with pytest.raises(SchemaError, match="at least 10"):
        _small().fit(np.zeros((3, 6)))
    with pytest.raises(ModelFileError, match=str(tmp_path)):
        AutoencoderDetector.load(tmp_path)
