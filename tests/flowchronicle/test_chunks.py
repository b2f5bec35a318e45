"""Tests for chunked mining and the merge of chunk results."""

from __future__ import annotations

import numpy as np
import pytest

from tests.flowchronicle.fc_helpers import planted_table
from workbench.flowchronicle.chunks import mine_in_chunks
from workbench.flowchronicle.prepare import prepare_flows
from workbench.flowchronicle.search import SearchSettings


@pytest.fixture(scope="module")
def prepared():
    """Planted records, small enough for several chunk runs."""
    return prepare_flows(planted_table(seed=6, n_noise=200, n_planted=60))


def test_mine_in_chunks_cover_partitions_records(prepared):
    """Stacked chunk covers and uncovered records partition all records."""
    settings = SearchSettings(max_iterations=4, progress=False)

    result = mine_in_chunks(prepared, 3, settings)

    rows = np.concatenate(
        [w.reshape(-1) for w in result.cover.windows] + [result.cover.uncovered]
    )
    assert np.array_equal(np.sort(rows), np.arange(prepared.n))
    assert result.settings["n_chunks"] == 3


def test_mine_in_chunks_merges_duplicates(prepared):
    """A pattern found in several chunks appears once, with the summed usage."""
    settings = SearchSettings(max_iterations=4, progress=False)

    result = mine_in_chunks(prepared, 2, settings)

    assert len(set(result.patterns)) == len(result.patterns)
    chunks = {h["chunk"] for h in result.history}
    assert chunks <= {0, 1}
    assert len(result.structures) == len(result.patterns)


def test_mine_in_chunks_one_chunk_is_plain_search(prepared):
    """One chunk gives exactly the unchunked search."""
    settings = SearchSettings(max_iterations=3, progress=False)

    chunked = mine_in_chunks(prepared, 1, settings)

    from workbench.flowchronicle.search import mine_patterns

    assert chunked.patterns == mine_patterns(prepared, settings).patterns


def test_mine_in_chunks_too_many_chunks_raises(prepared):
    """More chunks than records is refused."""
    settings = SearchSettings(progress=False)

    with pytest.raises(ValueError, match="n_chunks"):
        mine_in_chunks(prepared, prepared.n + 1, settings)
