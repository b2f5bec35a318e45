"""Column-wise fidelity of synthetic flows: JSD, EMD (two ways), PCD and CMD.

Each metric compares a real and a generated flow table over the columns a
:class:`~workbench.synth_eval.schema.MetricSchema` declares, as the FlowChronicle
evaluation defines them (spec ``synthetic_flow_metrics.md`` 5.1-5.4); lower is better
for all. Nothing here subsamples, repeats or ranks: that is the evaluation run's job.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon
from scipy.stats import wasserstein_distance

from workbench.synth_eval.schema import SESSION_SCHEMA, MetricSchema, metric_frame

__all__ = [
    "jsd",
    "jsd_per_column",
    "emd_ref",
    "emd_ref_per_column",
    "emd_w1",
    "emd_w1_per_column",
    "fd_bin_count",
    "pcd",
    "cmd",
]


def jsd_per_column(
    real: pd.DataFrame, generated: pd.DataFrame, schema: MetricSchema = SESSION_SCHEMA
) -> pd.Series:
    """Jensen-Shannon distance (natural log) of each discrete column.

    Value counts of both tables on the union of their values; the distance is the
    square root of the divergence, between 0 and sqrt(ln 2).

    Examples
    --------
    >>> from workbench.synth_eval.schema import MetricSchema
    >>> s = MetricSchema(time="t", discrete=("c",), continuous=(), numeric_discrete=())
    >>> a = pd.DataFrame({"t": [0.0, 1.0], "c": ["x", "x"]})
    >>> b = pd.DataFrame({"t": [0.0, 1.0], "c": ["y", "y"]})
    >>> round(float(jsd_per_column(a, b, s)["c"]) ** 2, 6)  # ln 2
    0.693147
    """
    real, generated = metric_frame(real, schema), metric_frame(generated, schema)
    out = {}
    for column in schema.discrete:
        p = real[column].value_counts()
        q = generated[column].value_counts()
        p, q = p.align(q, fill_value=0)
        out[column] = float(jensenshannon(p.to_numpy(float), q.to_numpy(float)))
    return pd.Series(out, name="JSD", dtype=float)


def jsd(
    real: pd.DataFrame, generated: pd.DataFrame, schema: MetricSchema = SESSION_SCHEMA
) -> float:
    """Mean Jensen-Shannon distance over the discrete columns (spec 5.1).

    Examples
    --------
    >>> t = pd.DataFrame({"ts": [0.0], "proto": ["tcp"], "id.orig_h": ["a"],
    ...     "id.resp_h": ["b"], "id.resp_p": [80], "tcp_flags": [".A...."],
    ...     "resp_bytes": [1.0], "orig_bytes": [1.0], "resp_pkts": [1.0],
    ...     "orig_pkts": [1.0], "duration": [0.0]})
    >>> jsd(t, t)
    0.0
    """
    return float(jsd_per_column(real, generated, schema).mean())


def fd_bin_count(values: np.ndarray) -> int:
    """Number of Freedman-Diaconis bins numpy builds for ``values`` (1 when IQR = 0).

    Examples
    --------
    >>> x = np.arange(100.0)
    >>> fd_bin_count(x) == len(np.histogram_bin_edges(x, "fd")) - 1
    True
    """
    first, last = _outer_edges(values)
    q75, q25 = np.percentile(values, [75, 25])
    width = 2.0 * (q75 - q25) * values.size ** (-1.0 / 3.0)
    return int(np.ceil((last - first) / width)) if width else 1


def _outer_edges(values: np.ndarray) -> tuple[float, float]:
    first, last = float(values.min()), float(values.max())
    if first == last:
        first, last = first - 0.5, last + 0.5
    return first, last


def _bin_of(values: np.ndarray, first: float, last: float, bins: int) -> np.ndarray:
    """1-based bin of each value, numpy's uniform edges recomputed only where needed.

    Values must lie in [first, last]. Edge i is ``i * step + first`` (the last one is
    ``last``), exactly as ``np.linspace`` computes it, so the bins are numpy's even
    when there are far too many to build.
    """
    step = (last - first) / bins

    def edge(i: np.ndarray) -> np.ndarray:
        return np.where(i >= bins, last, i.astype(float) * step + first)

    guess = np.floor((values - first) / step) if step else np.zeros(values.size)
    index = np.clip(guess, 0, bins - 1).astype(np.int64)
    # Float rounding can put the guess one or two bins off; walk to the right bin.
    for _ in range(4):
        index = np.where((index > 0) & (edge(index) > values), index - 1, index)
        up = (index < bins - 1) & (edge(index + 1) <= values)
        index = np.where(up, index + 1, index)
    return index + 1


def _emd_ref_column(x_real: np.ndarray, x_gen: np.ndarray) -> float:
    bins = fd_bin_count(x_real)
    first, last = _outer_edges(x_real)
    inside = x_gen[(x_gen >= first) & (x_gen <= last)]
    j_real = _bin_of(x_real, first, last, bins)
    j_gen = _bin_of(inside, first, last, bins)
    # Both CDFs over the bins are step functions that only move at occupied bins.
    steps = np.union1d(j_real, j_gen)
    f_real = np.searchsorted(np.sort(j_real), steps, side="right") / x_real.size
    f_gen = np.searchsorted(np.sort(j_gen), steps, side="right") / x_gen.size
    lengths = np.diff(np.append(steps, bins + 1))
    return float(np.sum(np.abs(f_real - f_gen) * lengths) / bins)


def emd_ref_per_column(
    real: pd.DataFrame, generated: pd.DataFrame, schema: MetricSchema = SESSION_SCHEMA
) -> pd.Series:
    """EMD as the reference computes it, per continuous column (spec 5.2, EMD_ref).

    Freedman-Diaconis bins of the real values; the B cumulative bin shares of both
    tables are compared as two samples, which gives the mean CDF gap over the bins
    (generated values outside the real range count in the total only). The bins are
    never built, so heavy tails cost no memory.

    Examples
    --------
    >>> from workbench.synth_eval.schema import MetricSchema
    >>> s = MetricSchema(time="t", discrete=(), continuous=("x",), numeric_discrete=())
    >>> a = pd.DataFrame({"t": 0.0, "x": [1.0, 2.0, 3.0, 4.0]})
    >>> b = pd.DataFrame({"t": 0.0, "x": [9.0, 9.0, 9.0, 9.0]})
    >>> float(emd_ref_per_column(a, b, s)["x"])  # 2 bins, real CDF 0.5 then 1
    0.75
    """
    real, generated = metric_frame(real, schema), metric_frame(generated, schema)
    out = {
        c: _emd_ref_column(real[c].to_numpy(float), generated[c].to_numpy(float))
        for c in schema.continuous
    }
    return pd.Series(out, name="EMD_ref", dtype=float)


def emd_ref(
    real: pd.DataFrame, generated: pd.DataFrame, schema: MetricSchema = SESSION_SCHEMA
) -> float:
    """Mean :func:`emd_ref_per_column`: the EMD of the published tables.

    Examples
    --------
    >>> from workbench.synth_eval.schema import MetricSchema
    >>> s = MetricSchema(time="t", discrete=(), continuous=("x",), numeric_discrete=())
    >>> a = pd.DataFrame({"t": 0.0, "x": [1.0, 5.0, 2.0]})
    >>> emd_ref(a, a, s)
    0.0
    """
    return float(emd_ref_per_column(real, generated, schema).mean())


def emd_w1_per_column(
    real: pd.DataFrame, generated: pd.DataFrame, schema: MetricSchema = SESSION_SCHEMA
) -> pd.Series:
    """Textbook earth mover's distance per continuous column (spec 5.2, EMD_W1).

    Values are min-max scaled on both tables together, then the 1-Wasserstein
    distance between the two empirical distributions is taken; range [0, 1].

    Examples
    --------
    >>> from workbench.synth_eval.schema import MetricSchema
    >>> s = MetricSchema(time="t", discrete=(), continuous=("x",), numeric_discrete=())
    >>> a = pd.DataFrame({"t": 0.0, "x": [0.0, 0.0]})
    >>> b = pd.DataFrame({"t": 0.0, "x": [10.0, 10.0]})
    >>> float(emd_w1_per_column(a, b, s)["x"])
    1.0
    """
    real, generated = metric_frame(real, schema), metric_frame(generated, schema)
    out = {}
    for column in schema.continuous:
        x, y = _scaled_pair(real[column].to_numpy(float), generated[column].to_numpy())
        out[column] = float(wasserstein_distance(x, y))
    return pd.Series(out, name="EMD_W1", dtype=float)


def emd_w1(
    real: pd.DataFrame, generated: pd.DataFrame, schema: MetricSchema = SESSION_SCHEMA
) -> float:
    """Mean :func:`emd_w1_per_column`; not comparable with the published EMD.

    Examples
    --------
    >>> from workbench.synth_eval.schema import MetricSchema
    >>> s = MetricSchema(time="t", discrete=(), continuous=("x",), numeric_discrete=())
    >>> a = pd.DataFrame({"t": 0.0, "x": [0.0, 4.0]})
    >>> b = pd.DataFrame({"t": 0.0, "x": [1.0, 4.0]})
    >>> emd_w1(a, b, s)
    0.125
    """
    return float(emd_w1_per_column(real, generated, schema).mean())


def _scaled_pair(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y, dtype=float)
    low = min(x.min(), y.min())
    span = max(x.max(), y.max()) - low
    scale = span if span > 0 else 1.0
    return (x - low) / scale, (y - low) / scale


def pcd(
    real: pd.DataFrame, generated: pd.DataFrame, schema: MetricSchema = SESSION_SCHEMA
) -> float:
    """Pairwise correlation difference of the continuous columns (spec 5.3).

    Frobenius norm of the difference of the two Pearson matrices after min-max scaling
    on both tables; entries of a constant column (diagonal included) count as 0.

    Examples
    --------
    >>> from workbench.synth_eval.schema import MetricSchema
    >>> s = MetricSchema(time="t", discrete=(), continuous=("x", "y"),
    ...                  numeric_discrete=())
    >>> a = pd.DataFrame({"t": 0.0, "x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 3.0]})
    >>> b = pd.DataFrame({"t": 0.0, "x": [1.0, 2.0, 3.0], "y": [3.0, 2.0, 1.0]})
    >>> round(pcd(a, b, s) ** 2, 6)  # two off-diagonal entries 1 - (-1)
    8.0
    """
    real, generated = metric_frame(real, schema), metric_frame(generated, schema)
    columns = list(schema.continuous)
    scaled_r, scaled_g = [], []
    for column in columns:
        x, y = _scaled_pair(real[column].to_numpy(float), generated[column].to_numpy())
        scaled_r.append(x)
        scaled_g.append(y)
    diff = _correlation(np.column_stack(scaled_r)) - _correlation(
        np.column_stack(scaled_g)
    )
    return float(np.linalg.norm(diff, "fro"))


def _correlation(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = np.corrcoef(x, rowvar=False) if x.shape[0] > 1 else np.full((1, 1), 0.0)
    return np.nan_to_num(np.atleast_2d(corr), nan=0.0)


def cmd(
    real: pd.DataFrame, generated: pd.DataFrame, schema: MetricSchema = SESSION_SCHEMA
) -> float:
    """Contingency matrix difference over all pairs of discrete columns (spec 5.4).

    Per pair, the Frobenius norm of the difference of the two joint share tables
    (each sums to 1, indexed by every category of either table); mean over pairs.

    Examples
    --------
    >>> from workbench.synth_eval.schema import MetricSchema
    >>> s = MetricSchema(time="t", discrete=("a", "b"), continuous=(),
    ...                  numeric_discrete=())
    >>> r = pd.DataFrame({"t": 0.0, "a": ["x", "y"], "b": ["u", "v"]})
    >>> g = pd.DataFrame({"t": 0.0, "a": ["x", "y"], "b": ["v", "u"]})
    >>> cmd(r, g, s)
    1.0
    """
    real, generated = metric_frame(real, schema), metric_frame(generated, schema)
    both = pd.concat([real, generated], ignore_index=True)
    codes = {c: pd.factorize(both[c])[0] for c in schema.discrete}
    n = len(real)
    norms = []
    for a, b in itertools.combinations(schema.discrete, 2):
        key = codes[a].astype(np.int64) * (codes[b].max() + 1) + codes[b]
        _, cell = np.unique(key, return_inverse=True)
        size = int(cell.max()) + 1
        p = np.bincount(cell[:n], minlength=size) / max(n, 1)
        q = np.bincount(cell[n:], minlength=size) / max(len(generated), 1)
        norms.append(float(np.linalg.norm(p - q)))
    return float(np.mean(norms)) if norms else 0.0
