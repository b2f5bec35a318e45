"""Tests for the FlowChronicle search on planted and real data."""

from __future__ import annotations

import numpy as np
import pytest

from tests.flowchronicle.fc_helpers import DNS_PORT, HTTPS_PORT, planted_table
from workbench.flowchronicle.patterns import FIXED, USE
from workbench.flowchronicle.prepare import prepare_flows
from workbench.flowchronicle.search import SearchSettings, mine_patterns


def _fixed_values(prepared, pattern, row, name):
    column = [f.name for f in prepared.features].index(name)
    return [
        prepared.domains[column][c.value]
        for c in pattern.rows[row]
        if c.column == column and c.kind == FIXED
    ]


def test_mine_patterns_finds_planted_pair(planted_result):
    """A two-row pattern DNS query -> same client's HTTPS is recovered."""
    result = planted_result

    prepared = result.prepared
    src = [f.name for f in prepared.features].index("SrcIP")
    found = [
        p
        for p in result.patterns
        if p.n_rows >= 2
        and _fixed_values(prepared, p, 0, "DstPt") == [DNS_PORT]
        and _fixed_values(prepared, p, 1, "DstPt") == [HTTPS_PORT]
        and any(c.kind == USE and c.column == src for c in p.rows[1])
    ]
    assert found


def test_mine_patterns_code_length_decreases(planted_result):
    """Every accepted pattern lowered the total code length."""
    result = planted_result

    bits = [result.initial_code_length.total] + [h["bits"] for h in result.history]

    assert all(b < a for a, b in zip(bits, bits[1:], strict=False))
    assert result.code_length.total <= bits[-1] + 1e-6


def test_mine_patterns_cover_is_disjoint(planted_result):
    """Accepted windows and uncovered records partition the records."""
    result = planted_result

    rows = np.concatenate(
        [w.reshape(-1) for w in result.cover.windows] + [result.cover.uncovered]
    )

    assert np.array_equal(np.sort(rows), np.arange(result.prepared.n))


def test_mine_patterns_is_reproducible():
    """The same data and settings give the same pattern set."""
    prepared = prepare_flows(planted_table(seed=4, n_noise=120, n_planted=30))
    settings = SearchSettings(max_iterations=4, progress=False)

    first = mine_patterns(prepared, settings)
    second = mine_patterns(prepared, settings)

    assert first.patterns == second.patterns
    assert first.code_length == second.code_length


def test_mine_patterns_unknown_family_raises():
    """A misspelt candidate family is refused."""
    prepared = prepare_flows(planted_table(n_noise=20, n_planted=2))

    with pytest.raises(ValueError, match="pairz"):
        mine_patterns(prepared, SearchSettings(families=("pairz",), progress=False))


def test_mine_patterns_cidds_slice_compresses(cidds_small):
    """On 1,500 real CIDDS-001 records a few rounds already compress."""
    prepared = prepare_flows(cidds_small)

    result = mine_patterns(prepared, SearchSettings(max_iterations=3, progress=False))

    assert 1 <= len(result.patterns) <= 3
    assert result.code_length.total < result.initial_code_length.total


def test_mine_patterns_retest_rejected_still_compresses():
    """Forgetting rejected candidates after each acceptance still compresses."""
    prepared = prepare_flows(planted_table(seed=8, n_noise=150, n_planted=40))
    settings = SearchSettings(max_iterations=6, retest_rejected=True, progress=False)

    result = mine_patterns(prepared, settings)

    assert result.settings["retest_rejected"] is True
    assert result.history
    assert result.code_length.total < result.initial_code_length.total
