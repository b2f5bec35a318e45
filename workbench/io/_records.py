"""Split the data part of a text file into records, vectorised, to find bad lines.

A *region* is the bytes after a file's header plus the line number of its first line.
:func:`is_clean` is the cheap test of the happy path (right field count everywhere,
valid UTF-8, no comment or blank lines); :func:`scan` is the slower exact pass that
gives every record's line number and field count, run only when that test fails.
Neither parses values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NEWLINE = ord("\n")
RETURN = ord("\r")
QUOTE = ord('"')


@dataclass(frozen=True)
class Region:
    """The data part of a file: its bytes and the line number of its first line."""

    data: bytes
    first_line: int


@dataclass(frozen=True)
class Records:
    """Records of a region: byte spans, physical line numbers, field counts, kinds.

    ``blank`` marks empty records and ``comment`` records starting with the comment
    byte; ``bad_utf8`` those holding bytes that are not UTF-8.
    """

    starts: np.ndarray
    ends: np.ndarray
    lines: np.ndarray
    fields: np.ndarray
    blank: np.ndarray
    comment: np.ndarray
    bad_utf8: np.ndarray


def record_count(data: bytes) -> int:
    """Number of records in ``data`` (a last line without a newline counts)."""
    if not data:
        return 0
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def is_clean(data: bytes, *, sep: bytes, n_fields: int, quoted: bool) -> bool:
    """Whether every record surely has ``n_fields`` fields and the bytes are UTF-8.

    The test compares the total separator count with ``(n_fields - 1)`` per record. That
    alone would miss a record with one field too many next to one with one too few,
    which is why the parser must still stop on a too-long record (pandas does).
    """
    if not data or data.startswith((b"\n", b"#")) or b"\r" in data:
        return False
    # With two fields or more, a blank line breaks the separator count below.
    if n_fields < 2 and b"\n\n" in data:
        return False
    if b"#" in data and b"\n#" in data:
        return False
    if quoted and b'"' in data:
        return False
    if not data.isascii() and not _is_utf8(data):
        return False
    return data.count(sep) == (n_fields - 1) * record_count(data)


def scan(region: Region, *, sep: bytes, quoted: bool, comment: bytes | None) -> Records:
    """Find every record of ``region`` with its line number and field count.

    With ``quoted``, separators and newlines between double quotes do not count
    (doubled quotes inside a quoted field toggle twice, so the parity stays right).
    """
    arr = np.frombuffer(region.data, dtype=np.uint8)
    newlines = np.flatnonzero(arr == NEWLINE)
    separators = np.flatnonzero(arr == ord(sep))
    boundaries = newlines
    if quoted:
        quotes = np.flatnonzero(arr == QUOTE)
        boundaries = newlines[np.searchsorted(quotes, newlines) % 2 == 0]
        separators = separators[np.searchsorted(quotes, separators) % 2 == 0]
    starts = np.concatenate(([0], boundaries + 1)).astype(np.int64)
    ends = np.concatenate((boundaries, [arr.size])).astype(np.int64)
    if starts[-1] == arr.size:
        starts, ends = starts[:-1], ends[:-1]
    # A carriage return before the newline belongs to the line ending.
    has_cr = (ends > starts) & (arr[np.maximum(ends - 1, 0)] == RETURN)
    ends = ends - has_cr
    lines = region.first_line + np.searchsorted(newlines, starts)
    fields = 1 + np.searchsorted(separators, ends) - np.searchsorted(separators, starts)
    blank = ends == starts
    first_byte = arr[np.minimum(starts, max(arr.size - 1, 0))]
    is_comment = np.zeros_like(blank)
    if comment:
        is_comment = ~blank & (first_byte == ord(comment))
    bad_utf8 = _bad_utf8_records(region.data, arr, starts, ends)
    return Records(starts, ends, lines, fields, blank, is_comment, bad_utf8)


def compact(data: bytes, records: Records, keep: np.ndarray) -> bytes:
    """Bytes of the kept records, each ended by a newline (slow path only)."""
    spans = zip(records.starts[keep].tolist(), records.ends[keep].tolist(), strict=True)
    pieces = [data[start:end] for start, end in spans]
    return b"\n".join(pieces) + b"\n" if pieces else b""


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _bad_utf8_records(
    data: bytes, arr: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> np.ndarray:
    bad = np.zeros(starts.size, dtype=bool)
    if data.isascii():
        return bad
    # Only records holding non-ASCII bytes need decoding; usually a handful.
    suspects = np.unique(np.searchsorted(starts, np.flatnonzero(arr >= 0x80), "right"))
    for index in suspects - 1:
        bad[index] = not _is_utf8(data[starts[index] : ends[index]])
    return bad
