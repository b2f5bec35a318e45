"""Noise injection with a known answer: perturb one feature or group per chosen row.

:class:`NoiseInjector` learns benign percentiles, then picks a share of the rows of a
matrix and perturbs one target (a feature or a feature group) in each, recording which
columns it changed: the ground truth an explanation should point to. It works on
encoded model inputs, so it knows nothing about flows; it neither scores nor explains.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench._checks import as_error_matrix
from workbench.errors import NotFittedError, SchemaError
from workbench.explain_bench.groups import check_targets

__all__ = ["KINDS", "SCALE_FACTORS", "OOB_DRAW", "Injection", "NoiseInjector"]

#: Perturbation kinds: flip a 0/1 feature, push a value beyond the benign 99th
#: percentile, or scale it.
KINDS = ("flip", "oob", "scale")
#: Factors ``c`` of the ``scale`` kind (spec section 6.1).
SCALE_FACTORS = (2.0, 5.0, 10.0)
#: Range of ``u`` in ``q99 + u * (q99 - q1 + eps)`` for the ``oob`` kind.
OOB_DRAW = (0.5, 2.0)


@dataclass(frozen=True, eq=False)
class Injection:
    """A noised copy of a matrix and, per noised row, what was changed.

    Attributes
    ----------
    X : ndarray of shape (n, d)
        The matrix with the noised rows perturbed (the input is left untouched).
    rows : ndarray of int, shape (m,)
        Positions of the noised rows, ascending.
    target : ndarray of str, shape (m,)
        Name of the feature or group perturbed in each noised row.
    kind : ndarray of str, shape (m,)
        Perturbation kind of each noised row (one of :data:`KINDS`).
    factor : ndarray of float, shape (m,)
        Scale factor ``c`` (``scale``), draw ``u`` (``oob``) or NaN (``flip``).
    truth : ndarray of bool, shape (m, d)
        Columns actually perturbed: the ground truth ``G*`` of each noised row.
    """

    X: np.ndarray
    rows: np.ndarray
    target: np.ndarray
    kind: np.ndarray
    factor: np.ndarray
    truth: np.ndarray

    def table(self, feature_names: Sequence[str] | None = None) -> pd.DataFrame:
        """One line per noised row: ``sample, row, target, kind, factor, columns``."""
        names = None if feature_names is None else np.asarray(feature_names, object)
        columns = [
            "; ".join(names[c] if names is not None else map(str, c))
            for c in (np.flatnonzero(t) for t in self.truth)
        ]
        return pd.DataFrame(
            {
                "sample": np.arange(len(self.rows)),
                "row": self.rows,
                "target": self.target,
                "kind": self.kind,
                "factor": self.factor,
                "columns": columns,
            }
        )


class NoiseInjector:
    """Perturb one feature or feature group in a seeded share of rows.

    Parameters
    ----------
    rate : float, default 0.01
        Share of rows noised: ``ceil(rate * n)`` rows, drawn without replacement.
    kinds : sequence of str, default :data:`KINDS`
        Kinds to draw from, uniformly among those that apply to the drawn target:
        ``flip`` (x -> 1 - x) applies to the target's 0/1 columns, ``oob``
        (x -> q99 + u (q99 - q1 + eps), u ~ U(0.5, 2)) and ``scale`` (x -> c x, or
        ``oob`` where x = 0) to its other columns.
    factors : sequence of float, default :data:`SCALE_FACTORS`
        Scale factors drawn uniformly for ``scale``.
    eps : float, default 0.1
        Added to the 1-99 % range so that ``oob`` moves constant columns too.
    seed : int, default 0
        Seeds rows, targets, kinds and draws.

    Attributes
    ----------
    q1_, q99_ : ndarray of shape (d,)
        1st and 99th percentiles of each benign column.
    binary_ : ndarray of bool, shape (d,)
        Columns whose benign values are all 0 or 1.

    Notes
    -----
    A target is drawn uniformly among those for which some kind applies. A group gets
    one kind and one draw on all its members the kind applies to; those members are
    the ground truth. The perturbation acts on the matrix given (for flows: encoded,
    log- and min-max-scaled inputs), so ``scale`` multiplies the scaled value.

    Examples
    --------
    >>> benign = np.array([[0.0, 0.2], [1.0, 0.4], [0.0, 0.6], [1.0, 0.8]])
    >>> injector = NoiseInjector(rate=0.5, kinds=("flip",)).fit(benign)
    >>> noised = injector.inject(benign, {"bit": [0], "level": [1]})
    >>> noised.rows.tolist(), noised.target.tolist(), noised.truth.sum(axis=1).tolist()
    ([2, 3], ['bit', 'bit'], [1, 1])
    >>> noised.X[noised.rows, 0].tolist()
    [1.0, 0.0]
    """

    def __init__(
        self,
        *,
        rate: float = 0.01,
        kinds: Sequence[str] = KINDS,
        factors: Sequence[float] = SCALE_FACTORS,
        eps: float = 0.1,
        seed: int = 0,
    ) -> None:
        self.rate = rate
        self.kinds = tuple(kinds)
        self.factors = tuple(factors)
        self.eps = eps
        self.seed = seed

    def fit(self, benign: object) -> NoiseInjector:
        """Learn the benign 1st/99th percentiles and the 0/1 columns."""
        self._check_params()
        matrix = as_error_matrix(benign, name="benign", min_rows=2)

        self.q1_, self.q99_ = np.percentile(matrix, [1.0, 99.0], axis=0)
        self.binary_ = ((matrix == 0.0) | (matrix == 1.0)).all(axis=0)
        self.n_features_in_ = matrix.shape[1]
        return self

    def applicable(self, columns: Sequence[int], kind: str) -> np.ndarray:
        """Columns among ``columns`` that ``kind`` perturbs."""
        self._check_fitted()
        columns = np.asarray(columns, dtype=np.int64)
        binary = self.binary_[columns]
        return columns[binary] if kind == "flip" else columns[~binary]

    def inject(
        self,
        X: object,
        targets: Mapping[str, Sequence[int]],
        *,
        seed: int | None = None,
    ) -> Injection:
        """Return a noised copy of ``X`` and the ground truth of each noised row.

        Parameters
        ----------
        X : array-like of shape (n, d)
            Rows to noise (benign test rows).
        targets : mapping of str to sequence of int
            Feature or group name to its column indices.
        seed : int, optional
            Overrides the constructor's ``seed`` for this call.
        """
        self._check_fitted()
        matrix = as_error_matrix(X, name="X", n_features=self.n_features_in_)
        eligible = self._eligible(check_targets(targets, matrix.shape[1]))
        rng = np.random.default_rng(self.seed if seed is None else seed)

        rows, which, kind, scale, draw = self._draw(rng, matrix.shape[0], eligible)

        noised = matrix.copy()
        truth = np.zeros((rows.size, matrix.shape[1]), dtype=bool)
        for t, (columns, kinds) in enumerate(eligible.values()):
            for k in kinds:
                chosen = np.flatnonzero((which == t) & (kind == k))
                members = self.applicable(columns, k)
                cells = np.ix_(rows[chosen], members)
                noised[cells] = self._perturb(
                    matrix[cells], members, k, scale[chosen], draw[chosen]
                )
                truth[np.ix_(chosen, members)] = True

        factor = np.where(kind == "scale", scale, np.where(kind == "oob", draw, np.nan))
        target = np.asarray(list(eligible), dtype=object)[which]
        return Injection(noised, rows, target, kind.astype(object), factor, truth)

    def _eligible(
        self, targets: dict[str, np.ndarray]
    ) -> dict[str, tuple[np.ndarray, list[str]]]:
        """Targets with the kinds that apply to them; targets with none are dropped."""
        eligible = {}
        for name, columns in targets.items():
            kinds = [k for k in self.kinds if self.applicable(columns, k).size]
            if kinds:
                eligible[name] = (columns, kinds)
        if not eligible:
            message = (
                f"no target has a column that the kinds {list(self.kinds)} can "
                "perturb (flip needs 0/1 columns, oob and scale need others); add "
                "kinds or targets"
            )
            raise SchemaError(message)
        return eligible

    def _draw(
        self,
        rng: np.random.Generator,
        n: int,
        eligible: dict[str, tuple[np.ndarray, list[str]]],
    ) -> tuple[np.ndarray, ...]:
        """Rows, target index, kind and both random factors of every noised row."""
        m = min(n, max(1, math.ceil(self.rate * n - 1e-9)))
        rows = np.sort(rng.choice(n, size=m, replace=False))
        which = rng.integers(len(eligible), size=m)
        kinds = [kinds for _, kinds in eligible.values()]
        n_kinds = np.array([len(k) for k in kinds])[which]
        pick = np.floor(rng.random(m) * n_kinds).astype(np.int64)
        kind = np.array([kinds[t][k] for t, k in zip(which, pick, strict=True)])
        scale = rng.choice(np.asarray(self.factors, dtype=np.float64), size=m)
        draw = rng.uniform(*OOB_DRAW, size=m)
        return rows, which, kind, scale, draw

    def _perturb(
        self,
        block: np.ndarray,
        members: np.ndarray,
        kind: str,
        scale: np.ndarray,
        draw: np.ndarray,
    ) -> np.ndarray:
        """Perturbed values of one kind for a block of rows by member columns."""
        if kind == "flip":
            return 1.0 - block
        q1, q99 = self.q1_[members], self.q99_[members]
        beyond = q99 + draw[:, None] * (q99 - q1 + self.eps)
        if kind == "oob":
            return beyond
        # Scaling zero changes nothing, so zeros are pushed out of range instead.
        return np.where(block == 0.0, beyond, scale[:, None] * block)

    def _check_params(self) -> None:
        """Raise ValueError on a constructor argument outside its allowed values."""
        if not 0.0 < self.rate <= 1.0:
            raise ValueError(f"rate must lie in (0, 1], got {self.rate!r}")
        unknown = set(self.kinds) - set(KINDS)
        if not self.kinds or unknown:
            raise ValueError(f"kinds must be a non-empty subset of {KINDS}")
        factors = np.asarray(self.factors, dtype=np.float64)
        if factors.size == 0 or not np.isfinite(factors).all():
            raise ValueError(f"factors must be finite numbers, got {self.factors!r}")
        if not self.eps >= 0.0:
            raise ValueError(f"eps must be non-negative, got {self.eps!r}")

    def _check_fitted(self) -> None:
        if not hasattr(self, "binary_"):
            raise NotFittedError("call NoiseInjector.fit(benign) before inject")
