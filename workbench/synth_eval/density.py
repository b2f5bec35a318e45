"""Density and Coverage (Naeem et al. 2020) of generated flows, k nearest neighbours.

The feature map is the reference's (spec 5.5): discrete columns and numeric columns with
fewer than 40 distinct values are one-hot encoded, the rest stay numeric, and everything
is min-max scaled on both tables. Distances are computed in row chunks without building
the one-hot matrix. Precision and recall of the same paper are not computed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from workbench.synth_eval.schema import SESSION_SCHEMA, MetricSchema, metric_frame

__all__ = [
    "NEAREST_K",
    "ONE_HOT_BELOW",
    "FeatureMap",
    "feature_map",
    "density_coverage",
    "density_coverage_arrays",
]

logger = logging.getLogger(__name__)

#: Neighbours per real point (reference value).
NEAREST_K = 5
#: Numeric columns with fewer distinct values than this are one-hot encoded.
ONE_HOT_BELOW = 40
_CHUNK = 512


@dataclass(frozen=True)
class FeatureMap:
    """Real and generated rows as scaled numeric parts plus categorical codes.

    A one-hot encoded column adds 2 to the squared distance of two rows whose values
    differ and 0 otherwise, so the codes stand for the one-hot block exactly.

    Attributes
    ----------
    real_numeric, generated_numeric : numpy.ndarray
        Min-max scaled numeric columns, ``(n, p)`` float64.
    real_codes, generated_codes : numpy.ndarray
        ``(n, q)`` int64 category codes, shared by both tables.
    numeric_columns, onehot_columns : list of str
        Which columns went where.
    """

    real_numeric: np.ndarray
    generated_numeric: np.ndarray
    real_codes: np.ndarray
    generated_codes: np.ndarray
    numeric_columns: list[str]
    onehot_columns: list[str]

    def onehot(self) -> tuple[np.ndarray, np.ndarray]:
        """The explicit dense feature matrices (numeric then one-hot), for checks.

        Examples
        --------
        >>> fm = FeatureMap(np.zeros((1, 1)), np.ones((1, 1)), np.array([[0]]),
        ...                 np.array([[1]]), ["x"], ["c"])
        >>> [m.tolist() for m in fm.onehot()]
        [[[0.0, 1.0, 0.0]], [[1.0, 0.0, 1.0]]]
        """
        codes = np.vstack([self.real_codes, self.generated_codes])
        blocks = [np.eye(int(c.max()) + 1)[c] for c in codes.T]
        dense = np.hstack(blocks) if blocks else np.zeros((codes.shape[0], 0))
        n = self.real_codes.shape[0]
        return (
            np.hstack([self.real_numeric, dense[:n]]),
            np.hstack([self.generated_numeric, dense[n:]]),
        )


def feature_map(
    real: pd.DataFrame,
    generated: pd.DataFrame,
    schema: MetricSchema = SESSION_SCHEMA,
    *,
    one_hot_below: int = ONE_HOT_BELOW,
) -> FeatureMap:
    """Map both tables to the Density/Coverage feature space (all schema columns).

    Examples
    --------
    >>> from workbench.synth_eval.schema import MetricSchema
    >>> s = MetricSchema(time="t", discrete=("c",), continuous=(), numeric_discrete=())
    >>> r = pd.DataFrame({"t": [0.0, 10.0], "c": ["a", "b"]})
    >>> fm = feature_map(r, r, s, one_hot_below=2)
    >>> fm.numeric_columns, fm.onehot_columns, fm.real_numeric.ravel().tolist()
    (['t'], ['c'], [0.0, 1.0])
    """
    real, generated = metric_frame(real, schema), metric_frame(generated, schema)
    both = pd.concat([real, generated], ignore_index=True)
    numeric = [schema.time, *schema.continuous]
    onehot = list(schema.discrete) + [
        c for c in numeric if both[c].nunique() < one_hot_below
    ]
    numeric = [c for c in numeric if c not in onehot]

    values = both[numeric].to_numpy(dtype=float)
    low = values.min(axis=0) if len(values) else np.zeros(len(numeric))
    span = (values.max(axis=0) - low) if len(values) else np.ones(len(numeric))
    scaled = (values - low) / np.where(span > 0, span, 1.0)
    codes = np.column_stack(
        [pd.factorize(both[c])[0] for c in onehot]
        or [np.zeros((len(both), 0), dtype=np.int64)]
    ).astype(np.int64)
    n = len(real)
    return FeatureMap(scaled[:n], scaled[n:], codes[:n], codes[n:], numeric, onehot)


class _Side:
    """Rows one distance block is compared with, prepared once."""

    def __init__(self, numeric: np.ndarray, codes: np.ndarray) -> None:
        self.numeric_t = np.ascontiguousarray(numeric.T)
        self.norms = np.einsum("ij,ij->i", numeric, numeric)
        self.codes_t = np.ascontiguousarray(codes.T.astype(np.int32))


def _squared_distances(x_num: np.ndarray, x_codes: np.ndarray, y: _Side) -> np.ndarray:
    """Squared Euclidean distances of rows x to the rows of y (one-hot via codes)."""
    d2 = x_num @ y.numeric_t
    d2 *= -2.0
    d2 += np.einsum("ij,ij->i", x_num, x_num)[:, None]
    d2 += y.norms[None, :]
    np.maximum(d2, 0.0, out=d2)
    if x_codes.shape[1]:
        # Two differing one-hot blocks add 1 + 1 to the squared distance.
        mismatches = np.zeros(d2.shape, dtype=np.uint16)
        for j in range(x_codes.shape[1]):
            mismatches += np.not_equal.outer(
                x_codes[:, j].astype(np.int32), y.codes_t[j]
            )
        d2 += 2.0 * mismatches
    return d2


def density_coverage_arrays(
    real: np.ndarray,
    generated: np.ndarray,
    k: int = NEAREST_K,
    *,
    real_codes: np.ndarray | None = None,
    generated_codes: np.ndarray | None = None,
    chunk_size: int = _CHUNK,
    progress: bool = False,
) -> tuple[float, float]:
    """Density and Coverage of feature rows, as ``prdc.compute_prdc`` defines them.

    Parameters
    ----------
    real, generated : numpy.ndarray
        ``(N, p)`` and ``(M, p)`` numeric features.
    k : int, default 5
        The radius of a real point is the distance to its k-th nearest real neighbour.
    real_codes, generated_codes : numpy.ndarray, optional
        ``(N, q)`` and ``(M, q)`` category codes standing for one-hot blocks.
    chunk_size : int, default 512
        Real rows per distance block (memory: chunk_size x max(N, M) floats).
    progress : bool, default False
        Show a progress bar over the chunks.

    Returns
    -------
    tuple of float
        ``(density, coverage)``; density may exceed 1.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(200, 3))
    >>> d, c = density_coverage_arrays(x, x + 100.0)
    >>> float(d), float(c)
    (0.0, 0.0)
    """
    real = np.asarray(real, dtype=float)
    generated = np.asarray(generated, dtype=float)
    if real.shape[0] <= k:
        raise ValueError(f"need more than k={k} real rows, got {real.shape[0]}.")
    if real_codes is None:
        real_codes = np.zeros((real.shape[0], 0), dtype=np.int64)
        generated_codes = np.zeros((generated.shape[0], 0), dtype=np.int64)

    starts = range(0, real.shape[0], chunk_size)
    real_side, generated_side = (
        _Side(real, real_codes),
        _Side(generated, generated_codes),
    )
    radii2 = np.empty(real.shape[0])
    inside_count, covered = 0, np.zeros(real.shape[0], dtype=bool)
    for start in tqdm(starts, desc="density radii", disable=not progress):
        rows = slice(start, start + chunk_size)
        near = _squared_distances(real[rows], real_codes[rows], real_side)
        # The point itself sits at distance 0, so the (k+1)-th smallest is the k-th
        # neighbour, as in prdc. Squares keep the order, so no square root is taken.
        radii2[rows] = np.partition(near, k, axis=1)[:, k]
    for start in tqdm(starts, desc="density counts", disable=not progress):
        rows = slice(start, start + chunk_size)
        far = _squared_distances(real[rows], real_codes[rows], generated_side)
        inside = far < radii2[rows, None]
        inside_count += int(inside.sum())
        covered[rows] = inside.any(axis=1)
    density = inside_count / (k * generated.shape[0])
    return float(density), float(covered.mean())


def density_coverage(
    real: pd.DataFrame,
    generated: pd.DataFrame,
    schema: MetricSchema = SESSION_SCHEMA,
    *,
    k: int = NEAREST_K,
    progress: bool = False,
) -> tuple[float, float]:
    """Density and Coverage of generated flows against real ones (spec 5.5).

    Higher is better for both: density measures how many real neighbourhoods the
    generated flows fall into (about 1 for fresh real data), coverage the share of real
    neighbourhoods holding at least one generated flow.

    Parameters
    ----------
    real, generated : pandas.DataFrame
        Flow tables with the schema's columns.
    schema : MetricSchema, default SESSION_SCHEMA
        Column groups.
    k : int, default 5
        Nearest neighbours.
    progress : bool, default False
        Show a progress bar.

    Returns
    -------
    tuple of float
        ``(density, coverage)``.

    Notes
    -----
    The timestamp is a feature, so generated flows must lie on the training calendar;
    a generator shifted in time scores badly whatever its content.

    Examples
    --------
    >>> from workbench.synth_eval.schema import MetricSchema
    >>> s = MetricSchema(time="t", discrete=("c",), continuous=("x",),
    ...                  numeric_discrete=())
    >>> rng = np.random.default_rng(1)
    >>> r = pd.DataFrame({"t": rng.random(50), "c": rng.choice(["a", "b"], 50),
    ...                   "x": rng.random(50)})
    >>> d, c = density_coverage(r, r, s)
    >>> float(c)
    1.0
    """
    fm = feature_map(real, generated, schema)
    return density_coverage_arrays(
        fm.real_numeric,
        fm.generated_numeric,
        k,
        real_codes=fm.real_codes,
        generated_codes=fm.generated_codes,
        progress=progress,
    )
