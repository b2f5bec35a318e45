"""Zeek's JSON-lines logs: one object per line, keys that may be missing per line.

JSON carries no Zeek types, so a column's type comes from its values: integers become
nullable ``Int64``, numbers with a fraction ``float64``, booleans ``boolean``, lists
tuples, strings ``string``; a ``ts`` written as ISO 8601 text becomes epoch seconds.
Python's ``json`` accepts the non-standard ``NaN``, ``Infinity`` and ``-Infinity``; they
become floats, except in ``ts`` and the fields the caller names finite, where they are
malformed. Columns of mixed kinds stay as Python objects. Nested objects are not
flattened.
"""

from __future__ import annotations

import json
from collections.abc import Collection

import numpy as np
import pandas as pd

from workbench.io._badlines import BadLines, field_problem
from workbench.io._delimited import Parsed
from workbench.io._records import Region, scan
from workbench.schema import TS

_TS = TS


class _Constant(float):
    """A float that the file wrote as ``NaN``, ``Infinity`` or ``-Infinity``."""


class _Constants:
    """The ``parse_constant`` hook of :func:`json.loads`; counts what it converts."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, text: str) -> _Constant:
        self.count += 1
        return _Constant(text)


def parse_json_log(
    source: str, data: bytes, bad: BadLines, *, finite: Collection[str] = ()
) -> Parsed:
    """Parse a whole Zeek JSON-lines log held in ``data``.

    ``NaN`` and ``Infinity`` in ``ts`` or in a field named in ``finite`` make the
    line malformed.
    """
    constants = _Constants()
    records = _load_all(data, constants)
    if records is not None:
        lines = np.arange(1, len(records) + 1, dtype=np.int64)
    else:
        records, lines = _load_each(data, bad, constants)
    frame = pd.DataFrame(records, dtype=object) if records else pd.DataFrame()
    wrong = np.zeros(len(frame), dtype=bool)
    if constants.count:
        wrong = _report_constants(frame, lines, {_TS, *finite}, bad)
    columns = {name: _typed(frame[name]) for name in frame.columns}
    typed = pd.DataFrame(columns, index=frame.index)
    parsed = Parsed(typed, lines).drop(wrong)
    if _TS in typed.columns:
        parsed = _check_ts(parsed, bad)
    return parsed


def _report_constants(
    frame: pd.DataFrame, lines: np.ndarray, names: set[str], bad: BadLines
) -> np.ndarray:
    wrong = np.zeros(len(frame), dtype=bool)
    for name in sorted(names & set(frame.columns)):
        raw = frame[name]
        hit = np.fromiter((type(v) is _Constant for v in raw), bool, len(raw))
        rows = np.flatnonzero(hit)
        bad.add(lines[rows], field_problem(name, raw, rows, "a finite number"))
        wrong |= hit
    return wrong


def _load_all(data: bytes, constants: _Constants) -> list[dict] | None:
    body = data.strip()
    if b"\n\n" in body or b"\n\r\n" in body:
        return None
    try:
        text = b"[" + body.replace(b"\n", b",") + b"]"
        records = json.loads(text, parse_constant=constants)
    except ValueError:
        return None
    if not all(type(record) is dict for record in records):
        return None
    return records


def _load_each(
    data: bytes, bad: BadLines, constants: _Constants
) -> tuple[list[dict], np.ndarray]:
    found = scan(Region(data, 1), sep=b"\t", quoted=False, comment=None)
    records: list[dict] = []
    lines: list[int] = []
    problems: list[tuple[int, str]] = []
    starts, ends = found.starts.tolist(), found.ends.tolist()
    spans = zip(starts, ends, found.lines.tolist(), strict=True)
    for start, end, line in spans:
        if start == end:
            continue
        try:
            record = json.loads(data[start:end], parse_constant=constants)
        except UnicodeDecodeError:
            problems.append((line, "the line holds bytes that are not UTF-8"))
            continue
        except ValueError as exc:
            problems.append((line, f"the line is not valid JSON ({exc})"))
            continue
        if type(record) is not dict:
            problems.append((line, "the line is JSON but not an object ({...})"))
            continue
        records.append(record)
        lines.append(line)
    numbers = np.array([line for line, _ in problems], dtype=np.int64)
    bad.add(numbers, lambda i: problems[i][1])
    return records, np.array(lines, dtype=np.int64)


def _typed(column: pd.Series) -> pd.Series:
    kind = pd.api.types.infer_dtype(column, skipna=True)
    try:
        if kind == "integer":
            return column.astype("Int64")
        if kind in ("floating", "mixed-integer-float"):
            return pd.to_numeric(column).astype(float)
        if kind == "boolean":
            return column.astype("boolean")
        if kind == "string":
            return column.astype("string")
    except (TypeError, ValueError, OverflowError):
        return column
    if kind == "mixed" and column.map(_is_list_or_missing).all():
        return column.map(lambda v: tuple(v) if isinstance(v, list) else None)
    return column


def _is_list_or_missing(value: object) -> bool:
    return isinstance(value, list) or value is None or value is np.nan


def _check_ts(parsed: Parsed, bad: BadLines) -> Parsed:
    raw = parsed.frame[_TS]
    if raw.dtype == "string":
        stamps = pd.to_datetime(raw, format="ISO8601", utc=True, errors="coerce")
        seconds = (stamps - pd.Timestamp(0, tz="UTC")) / pd.Timedelta(seconds=1)
        values = seconds.to_numpy(dtype=float, na_value=np.nan)
    else:
        values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    wrong = ~np.isfinite(values) & raw.notna().to_numpy(dtype=bool)
    rows = np.flatnonzero(wrong)
    bad.add(
        parsed.lines[rows],
        field_problem(_TS, raw, rows, "a time stamp"),
    )
    frame = parsed.frame.assign(**{_TS: values})
    return Parsed(frame, parsed.lines).drop(wrong)
