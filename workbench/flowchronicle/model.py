"""The generative FlowChronicle model: decoded patterns, their networks and time models.

A :class:`FlowModel` is what the JSON file holds and what the sampler, the editor and
the description read: values are decoded (IPs, ports, bin intervals), each network's
tables are fitted with a K2 prior on the windows of its pattern, and each pattern keeps
its observed start times and gaps. Building it from a mining result is done here;
reading, writing, editing and sampling live in their own modules.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from workbench.flowchronicle.bn import Structure, dense_columns, fit_cpt
from workbench.flowchronicle.bn import topological_order as _topological
from workbench.flowchronicle.mdl import pattern_data
from workbench.flowchronicle.patterns import FIXED, USE, Pattern
from workbench.flowchronicle.prepare import Feature, PreparedFlows
from workbench.flowchronicle.search import MiningResult

__all__ = [
    "FixedCell",
    "ReuseCell",
    "Node",
    "TimeModel",
    "GenerativePattern",
    "FlowModel",
    "DEFAULT_BANDWIDTH",
    "build_model",
    "model_problems",
]

logger = logging.getLogger(__name__)

#: Kernel bandwidth of the time models, in ticks (1/100 s), as in the reference.
DEFAULT_BANDWIDTH = 1.0


@dataclass(frozen=True)
class FixedCell:
    """A cell with one value (binned features: one interval ``(lo, hi)``)."""

    feature: str
    value: object


@dataclass(frozen=True)
class ReuseCell:
    """A cell that repeats the IP drawn for ``source_feature`` in ``source_row``."""

    feature: str
    source_row: int
    source_feature: str


@dataclass(frozen=True)
class Node:
    """One Bayesian-network variable: a Free or Set cell of one row.

    ``cpt`` has one row per parent configuration, in row-major order over ``parents``
    (first parent most significant), and one column per ``domain`` entry.
    """

    feature: str
    row: int
    domain: tuple
    parents: tuple[int, ...]
    cpt: np.ndarray


@dataclass(frozen=True)
class TimeModel:
    """Observed start times and gaps (ticks) resampled with Gaussian jitter."""

    start_times: np.ndarray
    gaps: tuple[np.ndarray, ...]
    bandwidth: float = DEFAULT_BANDWIDTH


@dataclass(frozen=True)
class GenerativePattern:
    """Rows of Fixed and Reuse cells, the network over the other cells, its timing."""

    rows: tuple[tuple[FixedCell | ReuseCell, ...], ...]
    nodes: tuple[Node, ...]
    time_model: TimeModel

    @property
    def n_rows(self) -> int:
        """Number of rows (flows per instance)."""
        return len(self.rows)


@dataclass(frozen=True)
class FlowModel:
    """A FlowChronicle generative model; the empty pattern comes last.

    Attributes
    ----------
    features : tuple of Feature
        Modelled features, in model order.
    patterns : tuple of GenerativePattern
        The patterns; the last one is the empty pattern (single unexplained flows).
    weights : tuple of int
        Usage of each pattern; sampling probability is weight / sum of weights.
    t_range : tuple of int
        First and last tick of the training records.
    time_origin : float
        Epoch seconds of tick 0.
    metadata : dict
        Provenance: input file, creation time, code lengths, settings.
    """

    features: tuple[Feature, ...]
    patterns: tuple[GenerativePattern, ...]
    weights: tuple[int, ...]
    t_range: tuple[int, int]
    time_origin: float
    metadata: dict = field(default_factory=dict)

    def feature(self, name: str) -> Feature:
        """The feature called ``name``; KeyError when the model has none."""
        for f in self.features:
            if f.name == name:
                return f
        raise KeyError(name)


def build_model(
    result: MiningResult,
    *,
    bandwidth: float = DEFAULT_BANDWIDTH,
    input_file: str | None = None,
) -> FlowModel:
    """Generative model from a mining result.

    Parameters
    ----------
    result : MiningResult
        Output of :func:`~workbench.flowchronicle.search.mine_patterns`.
    bandwidth : float, default 1.0
        Time-model jitter in ticks; 1 replays the training timing almost exactly.
    input_file : str, optional
        Recorded in the metadata; defaults to the records' source.

    Returns
    -------
    FlowModel

    Notes
    -----
    Each network keeps the structure learned during the search and has its tables
    refitted with a K2 prior (one pseudo-count per state) on the windows the pattern
    uses in the final cover; a node's domain lists only the values seen there, so the
    model never generates an address or port a pattern did not see. The empty
    pattern's network keeps the structure learned on all records and is refitted on
    the uncovered ones (on all records when none is left). Patterns without any
    accepted window are left out.

    Examples
    --------
    >>> import pandas as pd
    >>> from workbench.flowchronicle import prepare_flows, mine_patterns, SearchSettings
    >>> table = pd.DataFrame({"ts": np.arange(40.0), "id.orig_h": ["a", "b"] * 20,
    ...     "id.resp_h": ["c"] * 40, "id.resp_p": [53, 80] * 20,
    ...     "proto": ["udp", "tcp"] * 20})
    >>> flows = prepare_flows(table)
    >>> model = build_model(mine_patterns(flows, SearchSettings(progress=False)))
    >>> sum(model.weights) <= 40, model.patterns[-1].rows
    (True, ((),))
    """
    prepared = result.prepared
    patterns, weights = [], []
    for p, s, w in zip(
        result.patterns, result.structures, result.cover.windows, strict=True
    ):
        if w.shape[0] == 0:
            logger.info("pattern %s has no window in the cover; left out", p.rows)
            continue
        patterns.append(_generative(p, s, w, prepared, bandwidth))
        weights.append(int(w.shape[0]))
    patterns.append(_empty_pattern(result, bandwidth))
    weights.append(int(result.cover.uncovered.size))
    t_max = int(prepared.times.max()) if prepared.n else 0
    return FlowModel(
        prepared.features,
        tuple(patterns),
        tuple(weights),
        (0, t_max),
        prepared.time_origin,
        _metadata(result, input_file),
    )


def _generative(
    pattern: Pattern,
    structure: Structure,
    windows: np.ndarray,
    prepared: PreparedFlows,
    bandwidth: float,
) -> GenerativePattern:
    m = prepared.codes.shape[1]
    names = [f.name for f in prepared.features]
    rows = []
    for row in pattern.rows:
        cells: list[FixedCell | ReuseCell] = []
        for c in row:
            if c.kind == FIXED:
                cells.append(
                    FixedCell(names[c.column], prepared.domains[c.column][c.value])
                )
            elif c.kind == USE:
                src_row, src_col = pattern.set_cells[c.value]
                cells.append(ReuseCell(names[c.column], src_row, names[src_col]))
        rows.append(tuple(cells))
    x = pattern_data(pattern, windows, prepared.codes)
    nodes = _nodes(x, structure, pattern.bn_variables(m), prepared)
    times = prepared.times[windows].astype(float)
    gaps = tuple(np.diff(times, axis=1).T.copy()) if windows.shape[1] > 1 else ()
    return GenerativePattern(
        tuple(rows), nodes, TimeModel(times[:, 0], gaps, bandwidth)
    )


def _nodes(
    x: np.ndarray,
    structure: Structure,
    variables: tuple[tuple[int, int], ...],
    prepared: PreparedFlows,
) -> tuple[Node, ...]:
    if not variables:
        return ()
    local, cards = dense_columns(x)
    order = _topological(structure.parents)
    position = {v: i for i, v in enumerate(order)}
    nodes = []
    for v in order:
        row, col = variables[v]
        codes = np.unique(x[:, v])
        domain = tuple(prepared.domains[col][int(c)] for c in codes)
        parents = structure.parents[v]
        cpt = fit_cpt(local, cards, v, parents, prior=1.0)
        nodes.append(
            Node(
                prepared.features[col].name,
                row,
                domain,
                tuple(position[u] for u in parents),
                cpt,
            )
        )
    return tuple(nodes)


def _empty_pattern(result: MiningResult, bandwidth: float) -> GenerativePattern:
    prepared = result.prepared
    rows = result.cover.uncovered
    if rows.size == 0:
        # Nothing is left unexplained: fit on all records so edits can still use it.
        rows = np.arange(prepared.n)
    m = prepared.codes.shape[1]
    variables = tuple((0, c) for c in range(m))
    nodes = _nodes(prepared.codes[rows], result.base, variables, prepared)
    start = prepared.times[result.cover.uncovered].astype(float)
    return GenerativePattern(((),), nodes, TimeModel(start, (), bandwidth))


def _metadata(result: MiningResult, input_file: str | None) -> dict:
    prepared = result.prepared
    origin = datetime.fromtimestamp(prepared.time_origin, tz=UTC)
    return {
        "input_file": input_file or prepared.source,
        "creation_time": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "format_version": 1,
        "time_origin": origin.isoformat(),
        "time_unit": "cs",
        "n_flows": prepared.n,
        "feature_order": [f.name for f in prepared.features],
        "feature_columns": {f.name: f.column for f in prepared.features},
        "discretisation": {"method": "quantile", "edges": prepared.bin_edges},
        "code_length_bits": {
            "model": result.code_length.model,
            "data": result.code_length.data,
        },
        "training": dict(result.settings),
    }


def model_problems(model: FlowModel) -> list[str]:
    """Every reason the model cannot generate; empty when it is consistent.

    Examples
    --------
    >>> model_problems(FlowModel((), (), (), (0, 1), 0.0))
    ['the model has no pattern; the empty pattern must come last']
    """
    if not model.patterns:
        return ["the model has no pattern; the empty pattern must come last"]
    problems = []
    if len(model.weights) != len(model.patterns):
        problems.append(
            f"{len(model.weights)} weights for {len(model.patterns)} patterns"
        )
    if any(w < 0 for w in model.weights):
        problems.append("weights must be non-negative")
    names = {f.name for f in model.features}
    for i, pattern in enumerate(model.patterns):
        problems += [f"pattern {i}: {p}" for p in _pattern_problems(pattern, names)]
    return problems


def _pattern_problems(pattern: GenerativePattern, names: set[str]) -> list[str]:
    problems = []
    seen: dict[tuple[int, str], str] = {}
    for j, row in enumerate(pattern.rows):
        for cell in row:
            seen.setdefault((j, cell.feature), "cell")
            if isinstance(cell, ReuseCell) and cell.source_row >= j:
                problems.append(f"row {j} reuses row {cell.source_row}, not earlier")
    for k, node in enumerate(pattern.nodes):
        if (node.row, node.feature) in seen:
            problems.append(f"row {node.row}: {node.feature} is both a cell and a node")
        seen[(node.row, node.feature)] = "node"
        if any(p >= k for p in node.parents):
            problems.append(f"node {k} has a parent that does not come before it")
        expected = (
            int(np.prod([len(pattern.nodes[p].domain) for p in node.parents])),
            len(node.domain),
        )
        if any(p < k for p in node.parents) and node.cpt.shape != expected:
            problems.append(
                f"node {k}: table shape {node.cpt.shape}, expected {expected}"
            )
        problems += _table_problems(node, k)
    for j, row in enumerate(pattern.rows):
        for cell in row:
            source = (
                (cell.source_row, cell.source_feature)
                if isinstance(cell, ReuseCell)
                else None
            )
            if source is not None and source not in seen:
                problems.append(
                    f"row {j} reuses {source[1]} of row {source[0]}, "
                    "which is not defined"
                )
    for j in range(pattern.n_rows):
        missing = sorted(n for n in names if (j, n) not in seen)
        if missing:
            problems.append(f"row {j} leaves {missing} undefined")
    return problems


#: Largest distance of a table row's sum from one that a consistent model may have.
_TABLE_TOLERANCE = 1e-6


def _table_problems(node: Node, k: int) -> list[str]:
    table = np.asarray(node.cpt, dtype=float)
    where = f"node {k} ({node.feature} of row {node.row})"
    if table.ndim != 2 or table.shape[1] != len(node.domain):
        return [f"{where}: table of shape {table.shape} for {len(node.domain)} values"]
    if not np.all(np.isfinite(table)) or np.any(table < 0):
        return [f"{where}: negative or missing probabilities"]
    bad = np.flatnonzero(np.abs(table.sum(axis=1) - 1.0) > _TABLE_TOLERANCE)
    if bad.size:
        return [f"{where}: table row {int(bad[0])} does not sum to 1"]
    return []
