"""The header line of a CSV flow export, and its text time stamps.

Shared by the IoT-23, CICFlowMeter and NetFlow readers. Names are stripped of the
white space older exports put around them; repeated names get ``.1``, ``.2`` suffixes
as pandas would give them. Nothing here knows what a column means.
"""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd

from workbench.errors import InputFormatError
from workbench.io._records import Region

#: Day-first layouts of the original CIC-IDS2017 CSVs, tried after ISO 8601.
_FALLBACK_TIME_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %I:%M:%S %p",
    "%d/%m/%Y %I:%M %p",
)


def split_header(source: str, data: bytes) -> tuple[list[str], Region]:
    """Column names of the first line, and the rest of the file as a region."""
    end = data.find(b"\n")
    end = len(data) if end < 0 else end
    try:
        line = data[:end].decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError as exc:
        message = f"{source}, line 1: the header line is not UTF-8 text."
        raise InputFormatError(message) from exc
    names = [name.strip() for name in next(csv.reader([line]))]
    return _unique(names), Region(data[end + 1 :], first_line=2)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        out.append(name if count == 0 else f"{name}.{count}")
    return out


def to_epoch_seconds(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Epoch seconds of time stamp text; return them and the mask of unreadable rows.

    ISO 8601 first, then the day-first layouts of the original CIC-IDS2017 files.
    Text without a zone is taken as UTC; text with a zone is converted to UTC.
    """
    text = text.astype("string").str.strip()
    stamps = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")
    for layout in _FALLBACK_TIME_FORMATS:
        missing = stamps.isna() & text.notna()
        if not missing.any():
            break
        retry = pd.to_datetime(text[missing], format=layout, utc=True, errors="coerce")
        stamps = stamps.where(~missing, retry)
    seconds = (stamps - pd.Timestamp(0, tz="UTC")) / pd.Timedelta(seconds=1)
    values = seconds.to_numpy(dtype=float, na_value=np.nan)
    bad = np.isnan(values) & text.notna().to_numpy(dtype=bool)
    return values, bad
