"""Check the canonical fields of a reader's table: types, ranges and addresses.

Every check works on whole columns (addresses once per distinct value) and reports the
offending rows with their line numbers to a :class:`._badlines.BadLines`; the rows are
then dropped. Nothing is clipped or repaired, and extra columns are not looked at.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from workbench.io._badlines import BadLines
from workbench.io._convert import FINITE, INT, TIME, Markers, convert
from workbench.io._delimited import Parsed
from workbench.schema import (
    COUNT_FIELDS,
    FIELD_DTYPES,
    ORIG_H,
    ORIG_P,
    RESP_H,
    RESP_P,
    TS,
)

#: The largest TCP or UDP port number (ICMP type and code fit below it too).
MAX_PORT = 65535
#: Fields holding IP addresses, checked where a format promises real addresses.
ADDRESS_FIELDS = (ORIG_H, RESP_H)
#: CIDDS-001's anonymised hosts (``16972_85``, ``EXT_SERVER``, ``DNS``), accepted as
#: addresses so that flows sampled from a model of that data set can be read back.
ANONYMISED_HOST = re.compile(r"\d+_\d+|[A-Z][A-Z0-9_]*")

_KINDS = {TS: TIME, ORIG_P: INT, RESP_P: INT}
_PORT = f"a port number (0 to {MAX_PORT})"
_COUNT = "a non-negative number"


def check_canonical(
    parsed: Parsed,
    bad: BadLines,
    *,
    addresses: bool,
    origins: Mapping[str, str] | None = None,
) -> Parsed:
    """Report and drop rows whose canonical fields are of the wrong type or range.

    Parameters
    ----------
    parsed : Parsed
        A reader's table with canonical field names.
    bad : BadLines
        Where the offending lines go.
    addresses : bool
        Also check that ``id.orig_h`` and ``id.resp_h`` hold IPv4 or IPv6 addresses.
    origins : mapping, optional
        For messages: the file's column each canonical field came from.

    Returns
    -------
    Parsed
        The table with the numeric canonical fields converted and bad rows dropped.
    """
    frame = parsed.frame
    origins = origins or {}
    wrong = np.zeros(len(frame), dtype=bool)
    columns = {}
    for name, dtype in FIELD_DTYPES.items():
        if name not in frame.columns or dtype == "string":
            continue
        raw = frame[name]
        kind = _KINDS.get(name, FINITE)
        columns[name], rejected = convert(raw, kind, Markers())
        expected = "an integer" if kind == INT else "a finite number"
        wrong |= _report(bad, parsed.lines, rejected, raw, name, expected, origins)
        out_of_range = _out_of_range(name, columns[name]) & ~rejected
        expected = _PORT if kind == INT else _COUNT
        wrong |= _report(bad, parsed.lines, out_of_range, raw, name, expected, origins)
    for name in ADDRESS_FIELDS if addresses else ():
        if name in frame.columns:
            raw = frame[name]
            invalid = not_addresses(raw)
            expected = "an IPv4 or IPv6 address"
            wrong |= _report(bad, parsed.lines, invalid, raw, name, expected, origins)
    return Parsed(frame.assign(**columns), parsed.lines).drop(wrong)


def not_addresses(values: pd.Series) -> np.ndarray:
    """Mask of the present values that are not IP address text, tested per value.

    :data:`ANONYMISED_HOST` tokens count as addresses.

    Examples
    --------
    >>> hosts = ["10.0.0.1", "::1", "10.0.0.300", None, "16972_85", "host-a"]
    >>> not_addresses(pd.Series(hosts)).tolist()
    [False, False, True, False, False, True]
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    valid = [_is_address(value) for value in uniques]
    return ~np.array(valid + [True], dtype=bool)[codes]


def _is_address(value: object) -> bool:
    if not isinstance(value, str):
        return False
    if ANONYMISED_HOST.fullmatch(value):
        return True
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _out_of_range(name: str, column: pd.Series) -> np.ndarray:
    values = column.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        if name in (ORIG_P, RESP_P):
            return (values < 0) | (values > MAX_PORT)
        if name in COUNT_FIELDS:
            return values < 0
    return np.zeros(len(values), dtype=bool)


def _report(
    bad: BadLines,
    lines: np.ndarray,
    rows: np.ndarray,
    raw: pd.Series,
    name: str,
    expected: str,
    origins: Mapping[str, str],
) -> np.ndarray:
    if rows.any():
        found = np.flatnonzero(rows)
        bad.add(lines[found], _describer(name, raw, found, expected, origins))
    return rows


def _describer(
    name: str,
    raw: pd.Series,
    rows: np.ndarray,
    expected: str,
    origins: Mapping[str, str],
) -> Callable[[int], str]:
    origin = f" (from {origins[name]})" if name in origins else ""

    def describe(i: int) -> str:
        value = raw.iloc[rows[i]]
        value = value.item() if isinstance(value, np.generic) else value
        return f"field {name!r}{origin} holds {value!r}, which is not {expected}"

    return describe
