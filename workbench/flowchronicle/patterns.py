"""FlowChronicle patterns over coded records: cells, rows and their canonical form.

A pattern is an ordered tuple of rows; a row lists its Fixed, Set and Use cells, and
every other column is Free. Patterns are kept in canonical form (cells sorted by column,
placeholder ids numbered by first occurrence), so equal patterns hash equal. This module
knows nothing about data, scores or which columns hold IPs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

__all__ = ["FIXED", "SET", "USE", "Cell", "Pattern", "make_pattern"]

FIXED = "F"
SET = "S"
USE = "U"
_KINDS = (FIXED, SET, USE)


class Cell(NamedTuple):
    """One constrained cell: column index, kind and a code (Fixed) or id (Set/Use)."""

    column: int
    kind: str
    value: int


Row = tuple[Cell, ...]


@dataclass(frozen=True)
class Pattern:
    """An ordered list of partial flows, in canonical form.

    Build patterns with :func:`make_pattern`, which canonicalises and validates.

    Examples
    --------
    >>> p = make_pattern([[(2, "F", 7), (0, "S", 5)], [(0, "U", 5)]])
    >>> p.rows[1], p.set_cells, p.covered_cells
    ((Cell(column=0, kind='U', value=0),), {0: (0, 0)}, 2)
    >>> p.bn_variables(3)
    ((0, 0), (0, 1), (1, 1), (1, 2))
    """

    rows: tuple[Row, ...]

    @property
    def n_rows(self) -> int:
        """Number of rows k_p."""
        return len(self.rows)

    @cached_property
    def covered_cells(self) -> int:
        """Fixed plus Use cells over all rows: cells explained by the pattern itself."""
        return sum(c.kind != SET for row in self.rows for c in row)

    @cached_property
    def set_cells(self) -> dict[int, tuple[int, int]]:
        """Placeholder id -> (row, column) of its Set cell."""
        return {
            c.value: (j, c.column)
            for j, row in enumerate(self.rows)
            for c in row
            if c.kind == SET
        }

    def bn_variables(self, m: int) -> tuple[tuple[int, int], ...]:
        """(row, column) of every Free or Set cell, row by row: the BN's variables."""
        out = []
        for j, row in enumerate(self.rows):
            bound = {c.column for c in row if c.kind != SET}
            out.extend((j, col) for col in range(m) if col not in bound)
        return tuple(out)

    def cell(self, row: int, column: int) -> Cell | None:
        """The constrained cell at (row, column), or None when it is Free."""
        for c in self.rows[row]:
            if c.column == column:
                return c
        return None


def make_pattern(rows: Iterable[Iterable[tuple[int, str, int]]]) -> Pattern:
    """Canonical pattern from rows of ``(column, kind, value)`` triples.

    Cells are sorted by column and placeholder ids renumbered 0, 1, ... in order of
    first occurrence. Raises ``ValueError`` for an ill-formed pattern: a column twice in
    a row, an unknown kind, a Use before its Set, or a row without Fixed or Use cells.

    Examples
    --------
    >>> make_pattern([[(3, "F", 1)]]) == make_pattern([[(3, "F", 1)]])
    True
    """
    sorted_rows = [sorted(Cell(*c) for c in row) for row in rows]
    relabel: dict[int, int] = {}
    set_row: dict[int, int] = {}
    out: list[Row] = []
    for j, row in enumerate(sorted_rows):
        _check_row(row, j)
        cells = []
        for c in row:
            if c.kind == SET:
                if c.value in relabel:
                    raise ValueError(f"placeholder {c.value} is set twice")
                relabel[c.value] = len(relabel)
                set_row[c.value] = j
            elif c.kind == USE and set_row.get(c.value, j) >= j:
                raise ValueError(f"row {j} uses placeholder {c.value} before its Set")
            value = c.value if c.kind == FIXED else relabel[c.value]
            cells.append(Cell(c.column, c.kind, int(value)))
        out.append(tuple(cells))
    if not out:
        raise ValueError("a pattern needs at least one row")
    return Pattern(tuple(out))


def _check_row(row: list[Cell], j: int) -> None:
    columns = [c.column for c in row]
    if len(set(columns)) != len(columns):
        raise ValueError(f"row {j} constrains a column twice")
    if any(c.kind not in _KINDS for c in row):
        raise ValueError(f"row {j} holds an unknown cell kind")
    if not any(c.kind in (FIXED, USE) for c in row):
        raise ValueError(f"row {j} has no Fixed or Use cell")
