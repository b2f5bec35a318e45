"""Tests for the canonical form of patterns."""

from __future__ import annotations

import pytest

from workbench.flowchronicle.patterns import SET, USE, make_pattern


def test_make_pattern_equal_up_to_ids_and_order():
    """Cell order and placeholder numbering do not change a pattern's identity."""
    a = make_pattern([[(0, "S", 7), (2, "F", 1)], [(1, "U", 7)]])
    b = make_pattern([[(2, "F", 1), (0, "S", 3)], [(1, "U", 3)]])

    assert a == b
    assert hash(a) == hash(b)


def test_make_pattern_relabels_by_first_occurrence():
    """Placeholder ids become 0, 1, ... in row then column order."""
    p = make_pattern(
        [[(1, "S", 9), (0, "S", 4), (2, "F", 0)], [(0, "U", 9), (1, "U", 4)]]
    )

    sets = [c for c in p.rows[0] if c.kind == SET]
    uses = {c.column: c.value for c in p.rows[1] if c.kind == USE}
    assert [c.value for c in sets] == [0, 1]
    assert uses == {0: 1, 1: 0}


@pytest.mark.parametrize(
    "rows",
    [
        [[(0, "U", 0)]],
        [[(0, "F", 1), (0, "F", 2)]],
        [[(0, "S", 0)]],
        [[(0, "F", 1), (1, "S", 0), (2, "U", 0)]],
    ],
)
def test_make_pattern_rejects_ill_formed(rows):
    """Use before Set, a column twice, rows without Fixed/Use cells are refused."""
    rows = rows

    with pytest.raises(ValueError):
        make_pattern(rows)


def test_bn_variables_free_and_set_cells():
    """Free and Set cells are network variables; Fixed and Use cells are not."""
    p = make_pattern([[(0, "S", 0), (2, "F", 5)], [(0, "U", 0), (3, "F", 1)]])

    variables = p.bn_variables(4)

    assert variables == ((0, 0), (0, 1), (0, 3), (1, 1), (1, 2))
    assert p.covered_cells == 3
