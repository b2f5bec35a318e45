"""Chunked FlowChronicle mining: mine contiguous time slices apart, then merge.

All chunks share the global code table, so merging needs no remapping: equal patterns
from different chunks become one pattern whose usage is the sum, the chunk covers are
stacked (windows never span chunks), each merged pattern's network structure is
relearned on all its windows, and the empty pattern's on the globally uncovered records.
The search itself lives in ``search``.
"""

from __future__ import annotations

import logging
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict

import numpy as np

from workbench.flowchronicle.bn import learn_structure
from workbench.flowchronicle.cover import Cover
from workbench.flowchronicle.mdl import code_length, pattern_data
from workbench.flowchronicle.patterns import Pattern
from workbench.flowchronicle.prepare import PreparedFlows
from workbench.flowchronicle.search import MiningResult, SearchSettings, mine_patterns

__all__ = ["mine_in_chunks", "merge_results"]

logger = logging.getLogger(__name__)


def mine_in_chunks(
    prepared: PreparedFlows,
    n_chunks: int,
    settings: SearchSettings | None = None,
    *,
    n_jobs: int = 1,
) -> MiningResult:
    """Mine ``n_chunks`` contiguous slices of the records and merge the results.

    Parameters
    ----------
    prepared : PreparedFlows
        Coded, time-sorted records.
    n_chunks : int
        Number of slices (the reference hard-codes 350); 1 mines the whole table.
    settings : SearchSettings, optional
        Search knobs for every chunk.
    n_jobs : int, default 1
        Worker processes; 1 mines the chunks one after the other.

    Returns
    -------
    MiningResult
        The merged pattern set with its stacked cover, scored on all records.

    Notes
    -----
    Each chunk is scored with the global domain sizes |D_c| and its own time span, so
    chunk code lengths are not those of the reference, which recodes every chunk.
    Patterns that only span chunk borders cannot be found.

    Examples
    --------
    >>> import pandas as pd
    >>> from workbench.flowchronicle.prepare import prepare_flows
    >>> table = pd.DataFrame({"ts": np.arange(60.0), "id.orig_h": ["a", "b"] * 30,
    ...     "id.resp_h": ["c"] * 60, "id.resp_p": [53, 80] * 30,
    ...     "proto": ["udp", "tcp"] * 30})
    >>> merged = mine_in_chunks(prepare_flows(table), 2, SearchSettings(progress=False))
    >>> int(merged.cover.usage.sum() + merged.cover.uncovered.size) <= 60
    True
    """
    settings = settings or SearchSettings()
    if not 1 <= n_chunks <= max(prepared.n, 1):
        message = (
            f"n_chunks={n_chunks} must lie between 1 and the {prepared.n} records."
        )
        raise ValueError(message)
    if n_chunks == 1:
        return mine_patterns(prepared, settings)
    bounds = np.linspace(0, prepared.n, n_chunks + 1).round().astype(int)
    slices = [
        prepared.slice(a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True)
    ]
    quiet = SearchSettings(**{**asdict(settings), "progress": False})
    if n_jobs > 1:
        with ProcessPoolExecutor(max_workers=n_jobs) as pool:
            results = list(pool.map(mine_patterns, slices, [quiet] * len(slices)))
    else:
        results = [mine_patterns(s, quiet) for s in slices]
    merged = merge_results(prepared, results, bounds[:-1].tolist())
    logger.info("merged %d chunks into %d patterns", n_chunks, len(merged.patterns))
    return merged


def merge_results(
    prepared: PreparedFlows, results: list[MiningResult], offsets: list[int]
) -> MiningResult:
    """Merge chunk results mined on ``prepared`` sliced at ``offsets``.

    Duplicates (equal canonical patterns) are merged and their windows stacked.
    """
    windows: dict[Pattern, list[np.ndarray]] = {}
    uncovered = []
    history = []
    for chunk, (result, offset) in enumerate(zip(results, offsets, strict=True)):
        for pattern, w in zip(result.patterns, result.cover.windows, strict=True):
            windows.setdefault(pattern, []).append(w + offset)
        uncovered.append(result.cover.uncovered + offset)
        history += [{**h, "chunk": chunk} for h in result.history]

    patterns = [p for p, ws in windows.items() if sum(w.shape[0] for w in ws) > 0]
    stacked = tuple(_by_start(np.concatenate(windows[p])) for p in patterns)
    cover = Cover(stacked, np.sort(np.concatenate(uncovered)))
    structures = [
        learn_structure(pattern_data(p, w, prepared.codes))
        for p, w in zip(patterns, stacked, strict=True)
    ]
    base = learn_structure(prepared.codes)
    sizes = prepared.domain_sizes.tolist()
    length = code_length(
        patterns, structures, base, cover, prepared.codes, prepared.times, sizes
    )
    empty = Cover((), np.arange(prepared.n))
    initial = code_length([], [], base, empty, prepared.codes, prepared.times, sizes)
    settings = {**results[0].settings, "n_chunks": len(results)} if results else {}
    return MiningResult(
        prepared,
        tuple(patterns),
        tuple(structures),
        base,
        cover,
        length,
        initial,
        tuple(history),
        settings,
    )


def _by_start(windows: np.ndarray) -> np.ndarray:
    return windows[np.argsort(windows[:, 0], kind="stable")]
