"""Tests for the candidate families."""

from __future__ import annotations

import numpy as np

from workbench.flowchronicle.candidates import (
    concat_candidates,
    extension_candidates,
    merge_candidates,
    pair_candidates,
    placeholder_candidates,
)
from workbench.flowchronicle.patterns import SET, USE, make_pattern


def test_pair_candidates_only_cooccurring_pairs():
    """Value pairs seen fewer than min_support times are not proposed."""
    codes = np.array([[0, 1, 2], [0, 1, 2], [0, 1, 3], [1, 0, 3]])

    pairs = pair_candidates(codes, [0, 1, 2], min_support=2)

    fixed = {tuple((c.column, c.value) for c in p.rows[0]): s for p, s in pairs.items()}
    assert fixed[((0, 0), (1, 1))] == 6
    assert fixed[((0, 0), (2, 2))] == 4
    assert ((0, 1), (1, 0)) not in fixed


def test_extension_candidates_never_touch_ip_columns():
    """Extensions fix only the columns they are offered, in any row."""
    p = make_pattern([[(2, "F", 1)], [(3, "F", 0)]])
    codes = np.array([[7, 7, 1, 0], [7, 7, 1, 0], [8, 8, 1, 0]])
    windows = np.array([[0, 1], [1, 2]])

    out = extension_candidates(p, windows, codes, [2, 3], min_support=1)

    added = [
        (j, c.column)
        for q in out
        for j, row in enumerate(q.rows)
        for c in row
        if (j, c.column) not in ((0, 2), (1, 3))
    ]
    assert sorted(added) == [(0, 3), (1, 2)]


def test_placeholder_candidates_grow_and_link_rows():
    """New Set/Use pairs link existing rows; appended rows reuse an address."""
    p = make_pattern([[(2, "F", 1)], [(2, "F", 2)]])

    out = placeholder_candidates(p, [0, 1])

    longer = [q for q in out if q.n_rows == 3]
    linked = [q for q in out if q.n_rows == 2]
    assert len(linked) == 4
    assert len(longer) == 8
    for q in out:
        assert any(c.kind == SET for row in q.rows for c in row)
        assert any(c.kind == USE for row in q.rows for c in row)


def test_merge_candidates_skip_conflicts():
    """Two one-row patterns fixing one column to different values do not merge."""
    a = make_pattern([[(0, "F", 1)]])
    b = make_pattern([[(0, "F", 2), (1, "F", 3)]])
    c = make_pattern([[(1, "F", 3)]])

    merged = merge_candidates([a, b, c])

    assert [m.rows[0] for m in merged] == [
        make_pattern([[(0, "F", 1), (1, "F", 3)]]).rows[0]
    ]


def test_concat_candidates_need_shared_placeholders_or_ips():
    """Patterns without placeholders or common fixed IPs are not concatenated."""
    plain = make_pattern([[(2, "F", 1)]])
    linked = make_pattern([[(0, "S", 0), (2, "F", 1)], [(0, "U", 0)]])

    out = concat_candidates([plain, linked], [0, 1])

    assert len(out) == 1
    assert out[0].n_rows == 4
    assert len(out[0].set_cells) == 2
