"""Column kinds and their vectorised conversion, each returning the rows it rejects.

A kind says what a column must hold: ``text``, ``time`` (finite float), ``finite``
(finite float, as ``time``), ``real`` (float, NaN and infinities allowed), ``int``
(nullable integer), ``number`` (integer or float as found, non-finite allowed),
``bool`` (Zeek ``T``/``F``), ``keep`` (as parsed) and ``tuple:<kind>`` (a Zeek
container). Missing values are allowed in every kind. Nothing here knows file formats
or line numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

TEXT = "text"
TIME = "time"
FINITE = "finite"
REAL = "real"
INT = "int"
NUMBER = "number"
BOOL = "bool"
KEEP = "keep"
TUPLE_PREFIX = "tuple:"

#: What each kind holds, for error messages.
EXPECTED = {
    TIME: "a finite number (a time stamp)",
    FINITE: "a finite number",
    REAL: "a number",
    INT: "an integer",
    NUMBER: "a number",
    BOOL: "T or F",
}

_NAN_TOKENS = ("nan", "-nan", "+nan")
_TRUE = ("T", "true", "True", "TRUE")
_FALSE = ("F", "false", "False", "FALSE")
_INT64_MAX = np.iinfo(np.int64).max


@dataclass(frozen=True)
class Markers:
    """Zeek's markers inside fields: the empty value and the container separator."""

    empty: str | None = None
    unset: str | None = None
    set_separator: str = ","


#: How Zeek writes booleans; the CSV parser reads them itself on the fast path.
TRUE_TEXT, FALSE_TEXT = "T", "F"


def parse_dtype(kind: str, *, fast: bool) -> str | None:
    """The dtype to ask the CSV parser for, or ``None`` to let it infer one.

    On the fast path booleans are parsed by pandas (which fails on any other token);
    the exact path reads them as text to find the bad ones.
    """
    if kind == BOOL:
        return "boolean" if fast else "string"
    if kind == TEXT or kind.startswith(TUPLE_PREFIX):
        return "string"
    return None


def convert(
    series: pd.Series, kind: str, markers: Markers
) -> tuple[pd.Series, np.ndarray]:
    """Convert a parsed column to ``kind``; return it and the mask of rejected rows.

    Rejected rows hold a missing value in the result.
    """
    if kind == KEEP:
        return series, np.zeros(len(series), dtype=bool)
    if kind == TEXT:
        return _text(series, markers), np.zeros(len(series), dtype=bool)
    if kind == BOOL:
        return _bool(series)
    if kind.startswith(TUPLE_PREFIX):
        return _tuples(series, kind.removeprefix(TUPLE_PREFIX), markers)
    return _number(series, kind)


def to_numbers(series: pd.Series, *, nonfinite: bool) -> tuple[pd.Series, np.ndarray]:
    """Numbers of a column as parsed; NaN text counts as a value when ``nonfinite``."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
        series.dtype
    ):
        return series, np.zeros(len(series), dtype=bool)
    text = series.astype("string")
    numbers = pd.to_numeric(text, errors="coerce")
    bad = (numbers.isna() & text.notna()).to_numpy(dtype=bool, copy=True)
    if nonfinite and bad.any():
        nan_text = text.str.strip().str.lower().isin(_NAN_TOKENS)
        bad &= ~nan_text.to_numpy(dtype=bool, na_value=False)
    return numbers, bad


def _number(series: pd.Series, kind: str) -> tuple[pd.Series, np.ndarray]:
    numbers, bad = to_numbers(series, nonfinite=kind in (REAL, NUMBER))
    if kind == NUMBER:
        return _plain(numbers), bad
    if kind in (TIME, FINITE, REAL):
        values = numbers.to_numpy(dtype=float, na_value=np.nan)
        if kind != REAL:
            bad |= np.isinf(values)
        return pd.Series(values, index=series.index), bad
    return _integers(numbers, bad)


def _integers(numbers: pd.Series, bad: np.ndarray) -> tuple[pd.Series, np.ndarray]:
    dtype = numbers.dtype
    if pd.api.types.is_float_dtype(dtype):
        values = numbers.to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            fraction = np.isfinite(values) & (values != np.round(values))
            bad |= np.isinf(values) | fraction
            bad |= np.abs(values) > _INT64_MAX
        numbers = pd.Series(np.where(bad, np.nan, values), index=numbers.index)
    elif pd.api.types.is_unsigned_integer_dtype(dtype):
        values = numbers.to_numpy(dtype=float, na_value=0.0)
        bad |= values > _INT64_MAX
        numbers = numbers.where(~bad, 0)
    result = numbers.astype("Int64")
    if bad.any():
        result = result.mask(bad)
    return result, bad


def _plain(numbers: pd.Series) -> pd.Series:
    # Nullable results of to_numeric become NumPy dtypes, so NaN and inf stay values.
    if isinstance(numbers.dtype, pd.api.extensions.ExtensionDtype):
        if numbers.isna().any() or pd.api.types.is_float_dtype(numbers.dtype):
            return numbers.astype("Float64").astype(float)
        return numbers.astype("int64")
    return numbers


def _text(series: pd.Series, markers: Markers) -> pd.Series:
    text = series if series.dtype == "string" else series.astype("string")
    if markers.empty:
        # Zeek writes an empty string as the empty marker.
        hit = text.to_numpy(dtype=object, na_value="") == markers.empty
        if hit.any():
            text = text.copy()
            text[hit] = ""
    return text


def _bool(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    if series.dtype == "boolean":
        return series, np.zeros(len(series), dtype=bool)
    # Few distinct values: classify each once (isin on strings is slow).
    codes, uniques = pd.factorize(series.astype("string"), use_na_sentinel=True)
    words = [str(value).strip() for value in uniques]
    truth = np.array([w in _TRUE for w in words] + [False], dtype=bool)
    known = np.array([w in _TRUE or w in _FALSE for w in words] + [False], dtype=bool)
    result = pd.array(truth[codes], dtype="boolean")
    result[~known[codes]] = pd.NA
    bad = ~known[codes] & (codes >= 0)
    return pd.Series(result, index=series.index), bad


def _tuples(
    series: pd.Series, inner: str, markers: Markers
) -> tuple[pd.Series, np.ndarray]:
    text = series.astype("string")
    # Containers repeat a lot (mostly empty): convert each distinct value once.
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    parsed = [_split(str(value), inner, markers) for value in uniques]
    values = np.empty(len(parsed) + 1, dtype=object)
    values[:-1] = [value for value, _ in parsed]
    values[-1] = None
    rejected = np.array([bad for _, bad in parsed] + [False], dtype=bool)
    return pd.Series(values[codes], index=series.index), rejected[codes]


def _split(value: str, inner: str, markers: Markers) -> tuple[tuple | None, bool]:
    if value == markers.empty:
        return (), False
    items = value.split(markers.set_separator)
    try:
        converted = tuple(
            None if item == markers.unset else _ELEMENT.get(inner, str)(item)
            for item in items
        )
    except ValueError:
        return None, True
    return converted, False


def _element_int(item: str) -> int:
    return int(item)


def _element_float(item: str) -> float:
    return float(item)


def _element_bool(item: str) -> bool:
    if item in _TRUE:
        return True
    if item in _FALSE:
        return False
    raise ValueError(item)


def _element_number(item: str) -> int | float:
    try:
        return int(item)
    except ValueError:
        return float(item)


_ELEMENT = {
    INT: _element_int,
    TIME: _element_float,
    REAL: _element_float,
    NUMBER: _element_number,
    BOOL: _element_bool,
}
