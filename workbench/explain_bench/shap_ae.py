"""SHAP_AE: Kernel SHAP explanations of autoencoder errors, after Antwarg et al. (2021).

For each explained row, the features carrying a share ``gamma`` of the squared error
are explained by Kernel SHAP on their *reconstructed values*; each is followed in the
ranking by the inputs that push its reconstruction most. ``shap`` is an optional extra,
imported only when explaining. The module trains nothing and chooses no rows to noise.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from workbench._checks import as_error_matrix
from workbench.errors import NotFittedError, SchemaError

__all__ = ["ShapAE", "ShapExplanation", "error_share_features", "SELECTIONS"]

logger = logging.getLogger(__name__)

#: How explaining features are kept: |phi| above the row's mean or median, or the
#: five largest.
SELECTIONS = ("mean", "median", "constant")
#: Explaining features kept by the ``constant`` selection (the official code's 5).
CONSTANT_TOP = 5
#: Kernel SHAP's former ``l1_reg="auto"`` rule: AIC feature selection when fewer
#: than this share of all coalitions is sampled.
AUTO_L1_FRACTION = 0.2


@dataclass(frozen=True, eq=False)
class ShapExplanation:
    """SHAP_AE result for a batch of rows.

    Attributes
    ----------
    order : ndarray of int, shape (m, d)
        Features per row, most blamed first: the SHAP_AE list, then the remaining
        features by absolute error descending.
    attribution : ndarray of shape (m, d)
        Sum over the explained outputs of |phi| of each input feature (for bars).
    explained : list of ndarray
        Per row, the high-error features whose reconstruction was explained.
    """

    order: np.ndarray
    attribution: np.ndarray
    explained: list[np.ndarray]


def error_share_features(errors: np.ndarray, gamma: float) -> np.ndarray:
    """Shortest prefix of features by squared error holding ``gamma`` of the total.

    Examples
    --------
    >>> error_share_features(np.array([0.1, -2.0, 1.5, 0.2]), 0.5).tolist()
    [1]
    >>> error_share_features(np.array([0.1, -2.0, 1.5, 0.2]), 0.8).tolist()
    [1, 2]
    """
    squared = np.square(np.asarray(errors, dtype=np.float64))
    order = np.argsort(-squared, kind="stable")
    cumulative = np.cumsum(squared[order])
    if cumulative[-1] <= 0.0:
        return order[:1]
    stop = int(np.searchsorted(cumulative, gamma * cumulative[-1], side="left"))
    return order[: min(stop, order.size - 1) + 1]


class ShapAE:
    """Rank features of autoencoder errors with Kernel SHAP (SHAP_AE baseline).

    Parameters
    ----------
    n_records : int, default 100
        Rows explained by :meth:`select`: the highest by mean squared error.
    gamma : float, default 0.5
        Share of the row's squared error whose features are explained.
    selection : {"mean", "median", "constant"}, default "mean"
        Explaining features kept per explained output: |phi| strictly above the mean
        or median |phi|, or the 5 largest.
    background_size : int, default 200
        Background rows for Kernel SHAP: the first rows given to :meth:`fit`.
    nsamples : int or "auto", default "auto"
        Coalitions per row (``"auto"``: 2 d + 2048, capped by shap at 2**d - 2).
    l1_reg : str or float, default "auto"
        Passed to Kernel SHAP; ``"auto"`` reproduces its former default (AIC
        selection when under 20 % of the coalitions are sampled, else none).
    seed : int, default 0
        Seeds the coalition sampling (row ``i`` uses ``seed + i``).
    progress : bool, default True
        Show a progress bar over rows.

    Attributes
    ----------
    background_ : ndarray of shape (background_size, d)
        Background rows of Kernel SHAP.
    l1_reg_ : str or float
        The ``l1_reg`` passed to Kernel SHAP, ``"auto"`` resolved.

    Notes
    -----
    The official code runs one explainer per high-error feature; here one explainer
    covers the row's high-error outputs with shared coalitions, which gives the same
    estimator and saves model calls, so its time is a lower bound of the original's.
    The sign of phi (contributing versus offsetting features) is dropped, as in the
    official code. Needs the ``shap`` extra.

    Examples
    --------
    >>> import pytest; _ = pytest.importorskip("shap")  # an optional extra
    >>> def reconstruct(Z):  # feature 0 is rebuilt from feature 2
    ...     return np.column_stack([Z[:, 2], Z[:, 1], Z[:, 2]])
    >>> shap_ae = ShapAE(progress=False).fit(reconstruct, np.zeros((4, 3)))
    >>> x = np.array([[0.0, 0.0, 1.0]])
    >>> shap_ae.explain(x, reconstruct(x) - x).order.tolist()
    [[0, 2, 1]]
    """

    def __init__(
        self,
        *,
        n_records: int = 100,
        gamma: float = 0.5,
        selection: str = "mean",
        background_size: int = 200,
        nsamples: int | str = "auto",
        l1_reg: str | float = "auto",
        seed: int = 0,
        progress: bool = True,
    ) -> None:
        self.n_records = n_records
        self.gamma = gamma
        self.selection = selection
        self.background_size = background_size
        self.nsamples = nsamples
        self.l1_reg = l1_reg
        self.seed = seed
        self.progress = progress

    def fit(
        self, reconstruct: Callable[[np.ndarray], np.ndarray], benign: object
    ) -> ShapAE:
        """Keep the model's reconstruction function and the background rows.

        Parameters
        ----------
        reconstruct : callable
            Maps an (n, d) matrix to its (n, d) reconstruction, e.g.
            ``AutoencoderDetector.reconstruct``.
        benign : array-like of shape (n, d)
            Benign training rows; the first ``background_size`` form the background.

        Raises
        ------
        ImportError
            If the optional ``shap`` package is not installed.
        """
        self._check_params()
        matrix = as_error_matrix(benign, name="benign")
        # Importing shap takes a second or two: pay it here, not in timed explains.
        _import_shap()

        self.background_ = matrix[: self.background_size].copy()
        self.reconstruct_ = reconstruct
        self.n_features_in_ = matrix.shape[1]
        self.l1_reg_ = self._l1_reg()
        return self

    def select(self, errors: object) -> np.ndarray:
        """Positions of the ``n_records`` rows with the largest mean squared error."""
        matrix = as_error_matrix(errors)
        mse = np.square(matrix).mean(axis=1)
        return np.argsort(-mse, kind="stable")[: self.n_records]

    def explain(
        self, X: object, errors: object, *, seed: int | None = None
    ) -> ShapExplanation:
        """Rank the features of each row of ``X`` given its signed errors.

        Parameters
        ----------
        X : array-like of shape (m, d)
            Model inputs of the rows to explain.
        errors : array-like of shape (m, d)
            Their signed errors (reconstruction minus input).
        seed : int, optional
            Overrides the constructor's ``seed`` for this call.
        """
        if not hasattr(self, "background_"):
            raise NotFittedError("call ShapAE.fit(reconstruct, benign) first")
        shap = _import_shap()
        d = self.n_features_in_
        inputs = as_error_matrix(X, name="X", n_features=d)
        errs = as_error_matrix(errors, name="errors", n_features=d)
        if errs.shape != inputs.shape:
            raise SchemaError(f"X {inputs.shape} and errors {errs.shape} differ")

        order = np.empty(inputs.shape, dtype=np.int64)
        attribution = np.zeros(inputs.shape)
        explained = []
        first_seed = self.seed if seed is None else seed
        rows = tqdm(range(len(inputs)), desc="SHAP_AE", disable=not self.progress)
        for i in rows:
            top = error_share_features(errs[i], self.gamma)
            phi = self._phi(shap, inputs[i], top, first_seed + i)
            attribution[i] = np.abs(phi).sum(axis=1)
            order[i] = self._order(np.abs(phi), top, errs[i])
            explained.append(top)
        return ShapExplanation(order, attribution, explained)

    def _phi(self, shap: Any, x: np.ndarray, top: np.ndarray, seed: int) -> np.ndarray:
        """Kernel SHAP values (d, len(top)) of the reconstructions of ``top``."""

        def model(Z: np.ndarray) -> np.ndarray:
            return np.asarray(self.reconstruct_(Z), dtype=np.float64)[:, top]

        with _shap_quiet(), _numpy_seed(seed):
            explainer = shap.KernelExplainer(model, self.background_)
            values = explainer.shap_values(
                x[None, :],
                nsamples=self.nsamples,
                l1_reg=self.l1_reg_,
                silent=True,
            )
        return np.asarray(values, dtype=np.float64).reshape(x.size, top.size)

    def _order(
        self, weight: np.ndarray, top: np.ndarray, errors: np.ndarray
    ) -> np.ndarray:
        """SHAP_AE list for one row, completed by absolute error descending."""
        ranked: list[int] = []
        for k, j in enumerate(top):
            ranked.append(int(j))
            column = weight[:, k]
            by_weight = np.argsort(-column, kind="stable")
            if self.selection == "constant":
                keep = by_weight[:CONSTANT_TOP]
            else:
                cut = column.mean() if self.selection == "mean" else np.median(column)
                keep = by_weight[column[by_weight] > cut]
            ranked.extend(int(i) for i in keep)
        rest = np.argsort(-np.abs(errors), kind="stable")
        ranked.extend(int(i) for i in rest)
        # dict.fromkeys keeps the first occurrence of each feature, in order.
        return np.fromiter(dict.fromkeys(ranked), dtype=np.int64, count=errors.size)

    def _l1_reg(self) -> str | float:
        """Resolve ``l1_reg="auto"`` for the fitted number of features."""
        if self.l1_reg != "auto":
            return self.l1_reg
        d = self.n_features_in_
        nsamples = 2 * d + 2048 if self.nsamples == "auto" else int(self.nsamples)
        whole = 2.0**d - 2.0
        return "aic" if nsamples < AUTO_L1_FRACTION * whole else 0

    def _check_params(self) -> None:
        """Raise ValueError on a constructor argument outside its allowed values."""
        if self.selection not in SELECTIONS:
            raise ValueError(
                f"selection must be one of {SELECTIONS}, got {self.selection!r}"
            )
        if not 0.0 < self.gamma <= 1.0:
            raise ValueError(f"gamma must lie in (0, 1], got {self.gamma!r}")
        for name in ("n_records", "background_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")


def _import_shap() -> Any:
    try:
        import shap
    except ImportError as exc:
        message = (
            "SHAP_AE needs the optional 'shap' package: pip install "
            "'netsec-workbench[shap]', or leave 'shap' out of the methods"
        )
        raise ImportError(message) from exc
    return shap


class _DropBackgroundWarning(logging.Filter):
    """Drop shap's 'large background' warning, logged again for every row."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "background data samples" not in record.getMessage()


@contextmanager
def _shap_quiet():
    shap_logger = logging.getLogger("shap")
    drop = _DropBackgroundWarning()
    shap_logger.addFilter(drop)
    try:
        yield
    finally:
        shap_logger.removeFilter(drop)


@contextmanager
def _numpy_seed(seed: int):
    # Kernel SHAP samples coalitions from NumPy's global generator; seed it for the
    # call and give the caller their state back.
    state = np.random.get_state()  # noqa: NPY002 (shap uses the legacy generator)
    np.random.seed(seed)  # noqa: NPY002
    try:
        yield
    finally:
        np.random.set_state(state)  # noqa: NPY002
