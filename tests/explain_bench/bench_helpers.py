"""A stand-in detector whose errors are known exactly, for the benchmark tests."""

from __future__ import annotations

import numpy as np

from workbench.thresholds import Threshold

#: Column standard deviations: the last columns are noisy, so their errors are large.
SCALES = np.array([0.2, 0.2, 0.2, 0.2, 1.0, 1.0, 5.0, 5.0])
NAMES = [f"f{j}" for j in range(SCALES.size)]


class MedianDetector:
    """Reconstructs every row as the benign median, so errors are median - x.

    It offers what ``run_benchmark`` uses of an ``AutoencoderDetector``: the
    reference errors, the threshold, ``errors``, ``scores_from_errors`` and
    ``reconstruct``, without any training.
    """

    def __init__(self, benign: np.ndarray, fpr: float = 0.01) -> None:
        self.median = np.median(benign, axis=0)
        self.n_features_in_ = benign.shape[1]
        self.reference_errors_ = self.errors(benign)
        scores = self.scores_from_errors(self.reference_errors_)
        self.threshold = Threshold(scores, fpr=fpr)

    def reconstruct(self, X: np.ndarray) -> np.ndarray:
        return np.broadcast_to(self.median, np.shape(X)).astype(np.float64)

    def errors(self, X: np.ndarray) -> np.ndarray:
        return self.reconstruct(X) - np.asarray(X, dtype=np.float64)

    def scores_from_errors(
        self, errors: np.ndarray, X: np.ndarray | None = None
    ) -> np.ndarray:
        return np.square(errors).mean(axis=1)


def scaled_gaussian(n: int, scales: np.ndarray, seed: int) -> np.ndarray:
    """Independent Gaussian columns with the given standard deviations."""
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, scales.size)) * scales
