"""One call from a canonical flow table to a FlowChronicle model: prepare, mine, build.

The steps stay available one by one (``prepare_flows``, ``mine_patterns`` or
``mine_in_chunks``, ``build_model``); this function only chains them and records the
settings in the model's metadata. It reads and writes no files.
"""

from __future__ import annotations

import pandas as pd

from workbench.flowchronicle.chunks import mine_in_chunks
from workbench.flowchronicle.discretise import DEFAULT_BINS
from workbench.flowchronicle.model import DEFAULT_BANDWIDTH, FlowModel, build_model
from workbench.flowchronicle.prepare import prepare_flows
from workbench.flowchronicle.search import MiningResult, SearchSettings

__all__ = ["train_model"]


def train_model(
    flows: pd.DataFrame,
    *,
    settings: SearchSettings | None = None,
    sessions: str = "auto",
    keep_single_flows: bool = True,
    n_bins: int = DEFAULT_BINS,
    n_chunks: int = 1,
    n_jobs: int = 1,
    bandwidth: float = DEFAULT_BANDWIDTH,
    input_file: str | None = None,
    seed: int | None = None,
) -> tuple[FlowModel, MiningResult]:
    """Mine a FlowChronicle model from a canonical flow table.

    Parameters
    ----------
    flows : pandas.DataFrame
        Canonical flow table (any reader's output).
    settings : SearchSettings, optional
        Search knobs (iteration cap, candidate families, progress bar).
    sessions, keep_single_flows, n_bins
        Passed to :func:`~workbench.flowchronicle.prepare.prepare_flows`.
    n_chunks, n_jobs : int, default 1
        Passed to :func:`~workbench.flowchronicle.chunks.mine_in_chunks`.
    bandwidth : float, default 1.0
        Time-model jitter in ticks (1/100 s).
    input_file : str, optional
        Recorded in the model metadata; defaults to the table's source.
    seed : int, optional
        Recorded in the model metadata. The search is deterministic (ties are broken
        by candidate order), so the same input always gives the same model.

    Returns
    -------
    tuple of (FlowModel, MiningResult)

    Examples
    --------
    >>> import numpy as np
    >>> table = pd.DataFrame({"ts": np.arange(40.0), "id.orig_h": ["a", "b"] * 20,
    ...     "id.resp_h": ["c"] * 40, "id.resp_p": [53, 80] * 20,
    ...     "proto": ["udp", "tcp"] * 20})
    >>> model, result = train_model(table, settings=SearchSettings(progress=False))
    >>> model.metadata["training"]["n_chunks"]
    1
    """
    prepared = prepare_flows(
        flows, sessions=sessions, keep_single_flows=keep_single_flows, n_bins=n_bins
    )
    result = mine_in_chunks(prepared, n_chunks, settings, n_jobs=n_jobs)
    model = build_model(result, bandwidth=bandwidth, input_file=input_file)
    model.metadata["training"].update(
        n_chunks=n_chunks,
        seed=seed,
        sessions=sessions,
        keep_single_flows=keep_single_flows,
        reference_pruning=False,
        bandwidth=bandwidth,
    )
    model.metadata["discretisation"]["bins"] = n_bins
    return model, result
