"""Parse the data part of a delimited text file with pandas, line numbers kept.

The happy path hands the bytes straight to ``pandas.read_csv``; only when the cheap
check of :mod:`._records` fails are the records scanned (vectorised) to report the bad
ones. Every reject goes to a :class:`._badlines.BadLines` with its line number. Header
parsing and the meaning of columns belong to the format modules.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.errors import InputFormatError
from workbench.io._badlines import BadLines, field_problem
from workbench.io._convert import (
    BOOL,
    EXPECTED,
    FALSE_TEXT,
    INT,
    TRUE_TEXT,
    TUPLE_PREFIX,
    Markers,
    convert,
    parse_dtype,
)
from workbench.io._records import Records, Region, compact, is_clean, scan

#: Beyond this magnitude a float64 no longer holds every integer exactly.
_EXACT_FLOAT_INT = 2**53


@dataclass(frozen=True)
class Parsed:
    """A parsed table and the physical line number of each of its rows."""

    frame: pd.DataFrame
    lines: np.ndarray

    def drop(self, rows: np.ndarray) -> Parsed:
        """A copy without the rows marked in the boolean mask ``rows``."""
        if not rows.any():
            return self
        keep = ~rows
        return Parsed(self.frame[keep].reset_index(drop=True), self.lines[keep])


@dataclass(frozen=True)
class Layout:
    """How to split and type the records of one file."""

    names: Sequence[str]
    kinds: dict[str, str]
    sep: str = ","
    na_values: Sequence[str] = ("",)
    markers: Markers = field(default_factory=Markers)
    quoted: bool = True
    comment: bytes | None = None


class _RetryExactly(Exception):
    """The fast path met a record it cannot parse; scan the records instead."""


def read_delimited(
    source: str, region: Region, layout: Layout, bad: BadLines
) -> Parsed:
    """Parse ``region`` into typed columns; report and drop malformed records."""
    n_fields = len(layout.names)
    sep = layout.sep.encode()
    if is_clean(region.data, sep=sep, n_fields=n_fields, quoted=layout.quoted):
        try:
            frame = _parse(region.data, layout, source, fast=True)
        except _RetryExactly:
            pass
        else:
            lines = region.first_line + np.arange(len(frame), dtype=np.int64)
            return _typed(Parsed(frame, lines), region.data, layout, source, bad)
    records = scan(region, sep=sep, quoted=layout.quoted, comment=layout.comment)
    keep = _check_records(records, n_fields, bad)
    body = compact(region.data, records, keep)
    frame = _parse(body, layout, source, fast=False)
    lines = records.lines[keep]
    if len(frame) != lines.size:
        message = (
            f"{source}: found {lines.size} records but parsed {len(frame)} rows; the "
            "quoting of the file is probably broken. Check its double quotes."
        )
        raise InputFormatError(message)
    return _typed(Parsed(frame, lines), body, layout, source, bad)


def _check_records(records: Records, n_fields: int, bad: BadLines) -> np.ndarray:
    data = ~records.blank & ~records.comment
    wrong = data & (records.fields != n_fields)
    counts = records.fields[wrong]
    bad.add(
        records.lines[wrong],
        lambda i: f"found {counts[i]} fields where the header names {n_fields}",
    )
    not_utf8 = data & records.bad_utf8 & ~wrong
    bad.add(
        records.lines[not_utf8], lambda i: "the line holds bytes that are not UTF-8"
    )
    return data & ~wrong & ~not_utf8


def _parse(body: bytes, layout: Layout, source: str, *, fast: bool) -> pd.DataFrame:
    dtypes = {
        name: dtype
        for name in layout.names
        if (dtype := parse_dtype(layout.kinds[name], fast=fast)) is not None
    }
    flags = {}
    if BOOL in layout.kinds.values():
        flags = {"true_values": [TRUE_TEXT], "false_values": [FALSE_TEXT]}
    if not body.strip():
        return pd.DataFrame(
            {name: pd.Series([], dtype=object) for name in layout.names}
        )
    try:
        return pd.read_csv(
            io.BytesIO(body),
            sep=layout.sep,
            header=None,
            names=list(layout.names),
            index_col=False,
            dtype=dtypes,
            na_values=list(layout.na_values),
            keep_default_na=False,
            quoting=csv.QUOTE_MINIMAL if layout.quoted else csv.QUOTE_NONE,
            skip_blank_lines=False,
            engine="c",
            encoding="utf-8",
            low_memory=False,
            **flags,
        )
    except (pd.errors.ParserError, ValueError, UnicodeDecodeError) as exc:
        if fast:
            raise _RetryExactly from exc
        message = f"{source}: the table cannot be parsed ({exc}). Check the file."
        raise InputFormatError(message) from exc


def _typed(
    parsed: Parsed, body: bytes, layout: Layout, source: str, bad: BadLines
) -> Parsed:
    frame, lines = parsed.frame, parsed.lines
    columns: dict[str, pd.Series] = {}
    rejected = np.zeros(len(frame), dtype=bool)
    for name in layout.names:
        kind = layout.kinds[name]
        raw = frame[name]
        if kind == INT and _may_be_inexact(raw):
            raw = _reparse_as_text(body, layout, name, source)
        column, wrong = convert(raw, kind, layout.markers)
        if wrong.any():
            rows = np.flatnonzero(wrong)
            bad.add(lines[rows], _describer(name, raw, rows, kind, layout.markers))
            rejected |= wrong
        columns[name] = column
    typed = pd.DataFrame(columns, index=frame.index)
    return Parsed(typed, lines).drop(rejected)


def _describer(
    name: str, raw: pd.Series, rows: np.ndarray, kind: str, markers: Markers
) -> Callable[[int], str]:
    if kind.startswith(TUPLE_PREFIX):
        inner = EXPECTED.get(kind.removeprefix(TUPLE_PREFIX), "a value")
        expected = f"a list of {inner} items separated by {markers.set_separator!r}"
    else:
        expected = EXPECTED.get(kind, "a value")
    return field_problem(name, raw, rows, expected)


def _may_be_inexact(raw: pd.Series) -> bool:
    if raw.dtype != np.float64 or raw.empty:
        return False
    return bool(np.nanmax(np.abs(raw.to_numpy()), initial=0.0) >= _EXACT_FLOAT_INT)


def _reparse_as_text(body: bytes, layout: Layout, name: str, source: str) -> pd.Series:
    text_layout = Layout(
        names=layout.names,
        kinds={n: "text" for n in layout.names},
        sep=layout.sep,
        na_values=layout.na_values,
        markers=layout.markers,
        quoted=layout.quoted,
    )
    return _parse(body, text_layout, source, fast=False)[name]
