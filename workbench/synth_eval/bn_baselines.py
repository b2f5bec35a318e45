"""Bayesian-network baselines of the FlowChronicle evaluation, learned with pgmpy.

:class:`SequenceBN` puts ``window`` consecutive records in one row (their features,
the first start time and the gaps between them), learns a network by hill climbing on
BIC and samples rows that are cut back into flows; :class:`IndependentBN` is the same
with one record per row. Records are prepared exactly as FlowChronicle prepares them
(sessions, 40 quantile bins, codes), so all generators see the same input. The
reference's Gaussian-mixture binning and public-IP folding are not reproduced.
"""

from __future__ import annotations

import logging
import math
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.errors import NotFittedError, SchemaError
from workbench.flowchronicle.discretise import (
    DEFAULT_BINS,
    assign_classes,
    class_interval,
    fit_edges,
)
from workbench.flowchronicle.prepare import (
    TIME_PRECISION,
    Feature,
    PreparedFlows,
    prepare_flows,
)
from workbench.schema import TS, conform

__all__ = ["SequenceBN", "IndependentBN"]

logger = logging.getLogger(__name__)

_TIME, _GAP = "Time", "Gap"


@dataclass(frozen=True)
class _Coding:
    """How a sampled row of codes is turned back into flows."""

    features: tuple[Feature, ...]
    domains: tuple[tuple, ...]
    time_edges: np.ndarray
    gap_edges: np.ndarray
    time_origin: float
    window: int

    def columns(self) -> list[str]:
        names = []
        for i in range(1, self.window + 1):
            names += [f"{f.name}_{i}" for f in self.features]
            names.append(f"{_TIME}_1" if i == 1 else f"{_GAP}_{i}")
        return names


def _rows(
    prepared: PreparedFlows, window: int, n_bins: int
) -> tuple[np.ndarray, _Coding]:
    """Code table with one row per ``window`` consecutive records."""
    n_rows = prepared.n // window
    if n_rows < 2:
        message = (
            f"{prepared.source}: {prepared.n} records make {n_rows} rows of "
            f"{window}; a Bayesian network needs at least 2. Pass more flows."
        )
        raise SchemaError(message)
    used = n_rows * window
    times = prepared.times[:used].reshape(n_rows, window)
    gaps = np.diff(times, axis=1)
    time_edges = fit_edges(times[:, 0].astype(float), n_bins)
    gap_edges = fit_edges(gaps.reshape(-1).astype(float), n_bins)
    blocks = []
    for i in range(window):
        blocks.append(prepared.codes[i:used:window])
        when = times[:, 0] if i == 0 else gaps[:, i - 1]
        edges = time_edges if i == 0 else gap_edges
        blocks.append(assign_classes(when.astype(float), edges)[:, None])
    coding = _Coding(
        prepared.features,
        prepared.domains,
        time_edges,
        gap_edges,
        prepared.time_origin,
        window,
    )
    return np.hstack(blocks), coding


def _uniform_in(domain: list, codes: np.ndarray, integer: bool, rng) -> np.ndarray:
    bounds = np.asarray(domain, dtype=float).reshape(-1, 2)[codes]
    values = rng.uniform(bounds[:, 0], bounds[:, 1])
    return np.floor(values) if integer else values


def _ticks(codes: np.ndarray, edges: np.ndarray, rng) -> np.ndarray:
    classes = np.unique(codes)
    domain = [
        class_interval(int(c), edges, integer=True) for c in range(classes.max() + 1)
    ]
    return _uniform_in(domain, codes, True, rng)


def _decode(rows: pd.DataFrame, coding: _Coding, rng) -> pd.DataFrame:
    """Flows of sampled code rows, time-sorted, as a canonical table."""
    start = _ticks(rows[f"{_TIME}_1"].to_numpy(int), coding.time_edges, rng)
    frames = []
    for i in range(1, coding.window + 1):
        if i > 1:
            gap = rows[f"{_GAP}_{i}"].to_numpy(int)
            start = start + _ticks(gap, coding.gap_edges, rng)
        out = {TS: coding.time_origin + start / TIME_PRECISION}
        for feature, domain in zip(coding.features, coding.domains, strict=True):
            codes = rows[f"{feature.name}_{i}"].to_numpy(int)
            if feature.binned:
                integer = feature.kind == "count"
                out[feature.column] = _uniform_in(domain, codes, integer, rng)
            else:
                values = np.empty(len(domain), dtype=object)
                values[:] = list(domain)
                out[feature.column] = values[codes]
        frames.append(pd.DataFrame(out))
    flows = pd.concat(frames, ignore_index=True)
    return flows.sort_values(TS, kind="stable").reset_index(drop=True)


@contextmanager
def _quiet_pgmpy():
    """Silence pgmpy's per-call notices (dtype inference, rounding of tables)."""
    pgmpy_logger = logging.getLogger("pgmpy")
    level = pgmpy_logger.level
    pgmpy_logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            # pgmpy announces API moves on every call; they are not ours to act on.
            warnings.simplefilter("ignore", FutureWarning)
            yield
    finally:
        pgmpy_logger.setLevel(level)


class SequenceBN:
    """Bayesian network over rows of ``window`` consecutive flows (pgmpy).

    Parameters
    ----------
    window : int, default 5
        Consecutive records per row (non-overlapping); later ones carry the gap to
        the previous record instead of a start time.
    n_bins : int, default 40
        Quantile bins for counts, duration, start times and gaps.
    max_indegree : int, default 3
        Most parents per variable in the hill climbing.
    equivalent_sample_size : float, default 10
        BDeu prior of the tables (bnlearn's "bayes" fit in the reference).
    keep_single_flows : bool, default True
        Passed to the session builder, as for FlowChronicle.

    Attributes
    ----------
    network_ : pgmpy.models.DiscreteBayesianNetwork
        The fitted network.
    n_train_ : int
        Records the network was fitted on; the default sample size.

    Examples
    --------
    >>> from workbench.flowchronicle.sessions import TCP_FLAGS
    >>> rng = np.random.default_rng(0)
    >>> table = pd.DataFrame({"ts": np.arange(60.0), "id.orig_h": ["a", "b"] * 30,
    ...     "id.resp_h": ["c"] * 60, "id.resp_p": [53, 80] * 30,
    ...     "proto": ["udp", "tcp"] * 30, "orig_bytes": rng.integers(40, 90, 60),
    ...     "resp_bytes": rng.integers(0, 900, 60)})
    >>> flows = SequenceBN(window=2).fit(table).sample(10, seed=1)
    >>> len(flows), sorted(set(flows["proto"]))
    (10, ['tcp', 'udp'])
    """

    name = "SequenceBN"

    def __init__(
        self,
        window: int = 5,
        *,
        n_bins: int = DEFAULT_BINS,
        max_indegree: int = 3,
        equivalent_sample_size: float = 10.0,
        keep_single_flows: bool = True,
    ) -> None:
        self.window = window
        self.n_bins = n_bins
        self.max_indegree = max_indegree
        self.equivalent_sample_size = equivalent_sample_size
        self.keep_single_flows = keep_single_flows

    def fit(self, flows: pd.DataFrame) -> SequenceBN:
        """Prepare ``flows`` as FlowChronicle does, learn structure and tables."""
        from pgmpy.causal_discovery import HillClimbSearch
        from pgmpy.models import DiscreteBayesianNetwork
        from pgmpy.parameter_estimator import DiscreteBayesianEstimator

        if self.window < 1:
            raise ValueError(f"window must be at least 1, got {self.window}.")
        prepared = prepare_flows(
            flows, keep_single_flows=self.keep_single_flows, n_bins=self.n_bins
        )
        codes, coding = _rows(prepared, self.window, self.n_bins)
        data = pd.DataFrame(codes, columns=coding.columns()).astype(str)
        data = data.astype("category")

        with _quiet_pgmpy():
            search = HillClimbSearch(
                scoring_method="bic-d",
                max_indegree=self.max_indegree,
                show_progress=False,
                return_type="dag",
            )
            search.fit(data)
            network = DiscreteBayesianNetwork(search.causal_graph_.edges())
            network.add_nodes_from(data.columns)
            prior = DiscreteBayesianEstimator(
                prior_type="BDeu", equivalent_sample_size=self.equivalent_sample_size
            )
            network.fit(data, estimator=prior)
        logger.info(
            "%s: %d rows, %d variables, %d edges",
            self.name,
            len(data),
            data.shape[1],
            len(network.edges()),
        )
        self.network_, self.coding_, self.n_train_ = network, coding, prepared.n
        return self

    def sample(self, n_flows: int | None = None, *, seed: int = 0) -> pd.DataFrame:
        """Draw ``n_flows`` flows (default: as many as in training), time-sorted.

        Returns
        -------
        pandas.DataFrame
            Canonical flow table (sessions), the flags in ``tcp_flags``.
        """
        if not hasattr(self, "network_"):
            raise NotFittedError(f"call {self.name}.fit(flows) before sample().")
        n_flows = self.n_train_ if n_flows is None else int(n_flows)
        n_rows = max(math.ceil(n_flows / self.window), 1)
        with _quiet_pgmpy():
            rows = self.network_.simulate(
                n_samples=n_rows, seed=seed, show_progress=False
            )
        rng = np.random.default_rng(seed)
        flows = _decode(rows.astype(str).astype(int), self.coding_, rng)
        if len(flows) > n_flows:
            keep = np.sort(rng.choice(len(flows), n_flows, replace=False))
            flows = flows.iloc[keep].reset_index(drop=True)
        return conform(flows, source=self.name)


class IndependentBN(SequenceBN):
    """Bayesian network over single flows (their features and start time).

    Parameters are those of :class:`SequenceBN` with ``window`` fixed at 1.

    Examples
    --------
    >>> table = pd.DataFrame({"ts": np.arange(40.0), "id.orig_h": ["a", "b"] * 20,
    ...     "id.resp_h": ["c"] * 40, "id.resp_p": [53, 80] * 20,
    ...     "proto": ["udp", "tcp"] * 20, "orig_bytes": [60.0, 600.0] * 20,
    ...     "resp_bytes": [90.0, 9000.0] * 20})
    >>> flows = IndependentBN().fit(table).sample(5)
    >>> len(flows), set(flows["id.resp_h"])
    (5, {'c'})
    """

    name = "IndependentBN"

    def __init__(
        self,
        *,
        n_bins: int = DEFAULT_BINS,
        max_indegree: int = 3,
        equivalent_sample_size: float = 10.0,
        keep_single_flows: bool = True,
    ) -> None:
        super().__init__(
            1,
            n_bins=n_bins,
            max_indegree=max_indegree,
            equivalent_sample_size=equivalent_sample_size,
            keep_single_flows=keep_single_flows,
        )
