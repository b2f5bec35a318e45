"""Synthetic flows drawn from a FlowChronicle model, vectorised per pattern.

Pattern instances are drawn with probability weight / sum of weights; each instance
gets a start time and gaps resampled from its pattern's time model (Gaussian jitter,
gaps clipped at 0, rows past the training end dropped), its network sampled forward in
topological order, Fixed cells written and Reuse cells copied. All instances of a
pattern are drawn in one pass. Output is a canonical flow table; files are ``output``'s.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from workbench.errors import ModelEditError
from workbench.flowchronicle.model import (
    FixedCell,
    FlowModel,
    GenerativePattern,
    Node,
    ReuseCell,
    TimeModel,
)
from workbench.flowchronicle.prepare import TIME_PRECISION
from workbench.schema import ORIG_P, TS, UID, conform

__all__ = ["PATTERN_COLUMN", "sample_flows", "sample_nodes"]

#: Extra output column naming the pattern each synthetic flow came from.
PATTERN_COLUMN = "pattern_id"
_EPHEMERAL = (49152, 65536)
_MAX_REDRAWS = 100


def sample_flows(
    model: FlowModel,
    n_flows: int | None = None,
    *,
    seed: int = 0,
    with_pattern: bool = False,
    ephemeral_ports: bool = False,
    progress: bool = False,
) -> pd.DataFrame:
    """Draw synthetic flows from ``model``.

    Parameters
    ----------
    model : FlowModel
        The generative model.
    n_flows : int, optional
        Exact number of flows. By default as many pattern instances as the training
        cover held (the sum of weights), so about as many flows as in training.
    seed : int, default 0
        Seed of the random generator; equal seeds give equal tables.
    with_pattern : bool, default False
        Add a ``pattern_id`` column (index of the pattern in the model).
    ephemeral_ports : bool, default False
        Fill ``id.orig_p`` with uniform ports from 49152-65535 (the model has no source
        port); otherwise it stays missing.
    progress : bool, default False
        Show a progress bar over patterns.

    Returns
    -------
    pandas.DataFrame
        Canonical flow table sorted by time.

    Notes
    -----
    Start times and gaps resample the training values with Gaussian jitter of the
    pattern's bandwidth (default 1/100 s), so the timing of the training data is
    replayed almost exactly: raise the bandwidth (``edit.set_bandwidth``) for new
    timings. Instances starting near the training end lose the rows that would fall
    after it. Binned values are drawn uniformly inside their training bin. With
    ``n_flows``, whole instances are kept in random order and the last one may be cut.

    Examples
    --------
    >>> from workbench.flowchronicle.model import GenerativePattern, Node, TimeModel
    >>> from workbench.flowchronicle.model import FlowModel
    >>> from workbench.flowchronicle.prepare import Feature
    >>> node = Node("Proto", 0, ("tcp", "udp"), (), np.array([[0.75, 0.25]]))
    >>> empty = GenerativePattern(((),), (node,), TimeModel(np.array([0.0, 50.0]), ()))
    >>> model = FlowModel((Feature("Proto", "proto", "categorical"),), (empty,),
    ...                   (2,), (0, 100), 1.6e9)
    >>> flows = sample_flows(model, 5, seed=1)
    >>> len(flows), sorted(set(flows["proto"]))
    (5, ['tcp', 'udp'])
    """
    weights = np.asarray(model.weights, dtype=float)
    if weights.sum() <= 0:
        message = "every pattern weight is 0; give at least one pattern a weight > 0."
        raise ModelEditError(message)
    rng = np.random.default_rng(seed)
    probs = weights / weights.sum()
    rows_per = np.array([p.n_rows for p in model.patterns], dtype=float)
    mean_rows = float(probs @ rows_per)
    wanted = (
        int(weights.sum()) if n_flows is None else int(math.ceil(n_flows / mean_rows))
    )

    frames, drawn, instances = [], 0, 0
    for _ in range(_MAX_REDRAWS):
        counts = rng.multinomial(max(wanted, 1), probs)
        batch = _draw(model, counts, rng, progress, instances)
        frames.append(batch)
        drawn += len(batch)
        instances += int(counts.sum())
        if n_flows is None or drawn >= n_flows:
            break
        wanted = int(math.ceil((n_flows - drawn) / mean_rows * 1.2)) + 1
    flows = pd.concat(frames, ignore_index=True)
    if n_flows is not None:
        flows = _exactly(flows, n_flows, rng)
    return _finish(flows, model, rng, with_pattern, ephemeral_ports)


def _draw(
    model: FlowModel,
    counts: np.ndarray,
    rng: np.random.Generator,
    progress: bool,
    first_instance: int,
) -> pd.DataFrame:
    frames = []
    for index in tqdm(np.flatnonzero(counts), desc="sampling", disable=not progress):
        frame = _sample_pattern(model, model.patterns[index], int(counts[index]), rng)
        frame[PATTERN_COLUMN] = int(index)
        frames.append(frame)
    batch = pd.concat(frames, ignore_index=True)
    # Number instances uniquely across patterns and batches.
    key = (
        batch[PATTERN_COLUMN].to_numpy() * (int(counts.max()) + 1) + batch["_instance"]
    )
    batch["_instance"] = pd.factorize(key)[0] + first_instance
    return batch


def _sample_pattern(
    model: FlowModel, pattern: GenerativePattern, count: int, rng: np.random.Generator
) -> pd.DataFrame:
    times = _times(pattern, count, model.t_range, rng)
    drawn = sample_nodes(pattern.nodes, count, rng)
    values: dict[tuple[int, str], np.ndarray] = {}
    for node, indices in zip(pattern.nodes, drawn, strict=True):
        values[(node.row, node.feature)] = _decode(
            node.domain, indices, model, node.feature, rng
        )
    for j, row in enumerate(pattern.rows):
        for cell in row:
            if isinstance(cell, FixedCell):
                values[(j, cell.feature)] = _decode(
                    (cell.value,),
                    np.zeros(count, dtype=np.int64),
                    model,
                    cell.feature,
                    rng,
                )
    frames = []
    instance = np.arange(count)
    for j, row in enumerate(pattern.rows):
        for cell in row:
            if isinstance(cell, ReuseCell):
                values[(j, cell.feature)] = values[
                    (cell.source_row, cell.source_feature)
                ]
        alive = ~np.isnan(times[:, j])
        columns = {f.column: values[(j, f.name)][alive] for f in model.features}
        columns["_t"] = times[alive, j]
        columns["_instance"] = instance[alive]
        columns["_row"] = np.full(int(alive.sum()), j)
        frames.append(pd.DataFrame(columns))
    return pd.concat(frames, ignore_index=True)


def _times(
    pattern: GenerativePattern,
    count: int,
    t_range: tuple[int, int],
    rng: np.random.Generator,
) -> np.ndarray:
    """(count, k) ticks; NaN marks rows dropped for ending past the training end."""
    out = np.empty((count, pattern.n_rows))
    out[:, 0] = _starts(pattern.time_model, count, t_range, rng)
    tm = pattern.time_model
    for i in range(1, pattern.n_rows):
        observed = tm.gaps[i - 1] if i - 1 < len(tm.gaps) else np.zeros(0)
        gap = rng.choice(observed, count) if observed.size else np.zeros(count)
        gap = np.maximum(gap + rng.normal(0.0, tm.bandwidth, count), 0.0)
        out[:, i] = out[:, i - 1] + gap
    # Gaps are >= 0, so once a row is past the end, so are the later ones.
    out[out > t_range[1]] = np.nan
    return out


def _starts(
    tm: TimeModel, count: int, t_range: tuple[int, int], rng: np.random.Generator
) -> np.ndarray:
    t_min, t_max = t_range[0], max(t_range[1], t_range[0] + 1)
    if tm.start_times.size == 0:
        return rng.uniform(t_min, t_max, count)
    starts = rng.choice(tm.start_times, count)
    todo = np.arange(count)
    for _ in range(_MAX_REDRAWS):
        draw = rng.choice(tm.start_times, todo.size)
        draw = draw + rng.normal(0.0, tm.bandwidth, todo.size)
        ok = (draw >= t_min) & (draw < t_max)
        starts[todo[ok]] = draw[ok]
        todo = todo[~ok]
        if todo.size == 0:
            break
    # Starts still outside after many redraws keep their observed value, clipped.
    starts[todo] = np.clip(starts[todo], t_min, t_max)
    return starts


def sample_nodes(
    nodes: tuple[Node, ...], count: int, rng: np.random.Generator
) -> list[np.ndarray]:
    """Forward-sample a network: per node, ``count`` indices into its domain.

    Examples
    --------
    >>> from workbench.flowchronicle.model import Node
    >>> a = Node("Proto", 0, ("tcp", "udp"), (), np.array([[0.5, 0.5]]))
    >>> b = Node("DstPt", 0, (80, 53), (0,), np.array([[1.0, 0.0], [0.0, 1.0]]))
    >>> x = sample_nodes((a, b), 6, np.random.default_rng(0))
    >>> bool(np.all(x[0] == x[1]))
    True
    """
    out: list[np.ndarray] = []
    for node in nodes:
        config = np.zeros(count, dtype=np.int64)
        for p in node.parents:
            config = config * len(nodes[p].domain) + out[p]
        out.append(_draw_rows(node.cpt, config, rng))
    return out


def _draw_rows(
    cpt: np.ndarray, config: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """One draw per entry from the table row ``config``, by inverse CDF."""
    r = cpt.shape[1]
    cum = np.cumsum(cpt, axis=1)
    cum /= cum[:, -1:]
    # Shift row j of the CDF by j so one bisection serves every row.
    flat = (cum + np.arange(cpt.shape[0])[:, None]).reshape(-1)
    pos = np.searchsorted(flat, config + rng.random(config.size), side="right")
    return np.clip(pos - config * r, 0, r - 1)


def _decode(
    domain: tuple,
    indices: np.ndarray,
    model: FlowModel,
    name: str,
    rng: np.random.Generator,
) -> np.ndarray:
    kind = model.feature(name).kind
    if kind not in ("count", "real"):
        values = np.empty(len(domain), dtype=object)
        values[:] = list(domain)
        return values[indices]
    bounds = np.asarray(domain, dtype=float).reshape(-1, 2)[indices]
    if kind == "count":
        return np.floor(rng.uniform(bounds[:, 0], bounds[:, 1])).astype(np.int64)
    return rng.uniform(bounds[:, 0], bounds[:, 1])


def _exactly(
    flows: pd.DataFrame, n_flows: int, rng: np.random.Generator
) -> pd.DataFrame:
    """Keep whole instances in random order until ``n_flows`` rows; cut the last one."""
    instances = flows["_instance"].unique()
    order = rng.permutation(instances.size)
    rank = pd.Series(np.argsort(order), index=instances)
    flows = flows.assign(_rank=flows["_instance"].map(rank).to_numpy())
    flows = flows.sort_values(["_rank", "_row"], kind="stable")
    return flows.iloc[:n_flows]


def _finish(
    flows: pd.DataFrame,
    model: FlowModel,
    rng: np.random.Generator,
    with_pattern: bool,
    ephemeral_ports: bool,
) -> pd.DataFrame:
    flows = flows.sort_values(["_t", "_instance", "_row"], kind="stable")
    flows = flows.reset_index(drop=True)
    out = flows[[f.column for f in model.features]].copy()
    out[TS] = model.time_origin + flows["_t"].to_numpy() / TIME_PRECISION
    out[UID] = [f"CFC{i:015d}" for i in range(len(out))]
    if ephemeral_ports:
        out[ORIG_P] = rng.integers(*_EPHEMERAL, size=len(out))
    if with_pattern:
        out[PATTERN_COLUMN] = flows[PATTERN_COLUMN].to_numpy()
    return conform(out, source="flowchronicle model")
