"""Unidirectional NetFlow records in the CIDDS-001 CSV layout (nfdump's columns).

Each record is one direction of a connection, so only the ``orig_*`` counters are
filled; the responder's stay missing. Rows keep the file's order, which in CIDDS-001
is not time order. Flows are not paired into connections here.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.io._badlines import BadLines, field_problem
from workbench.io._convert import FINITE, INT, KEEP, TEXT
from workbench.io._csvfile import split_header, to_epoch_seconds
from workbench.io._delimited import Layout, Parsed, read_delimited
from workbench.io._fields import FieldSpec, check_fields
from workbench.io._source import read_bytes
from workbench.schema import (
    BENIGN,
    DETAILED_LABEL,
    DURATION,
    LABEL,
    MALICIOUS,
    ORIG_BYTES,
    ORIG_H,
    ORIG_P,
    ORIG_PKTS,
    PROTO,
    RESP_H,
    RESP_P,
    TS,
)

#: Extra columns named by the reader (the rest keep the file's names).
TCP_FLAGS = "tcp_flags"
FLOWS = "flows"

CANONICAL = {
    "Date first seen": TS,
    "Duration": DURATION,
    "Proto": PROTO,
    "Src IP Addr": ORIG_H,
    "Src Pt": ORIG_P,
    "Dst IP Addr": RESP_H,
    "Dst Pt": RESP_P,
    "Packets": ORIG_PKTS,
    "Bytes": ORIG_BYTES,
    "Flows": FLOWS,
    "Flags": TCP_FLAGS,
}
REQUIRED = tuple(name for name in CANONICAL if name not in ("Flows", "Flags"))
#: For messages: where each canonical field comes from.
ORIGINS = {field: f"column {name!r}" for name, field in CANONICAL.items()}
#: The CIDDS-001 label columns; ``---`` means "none" in the attack columns.
CLASS, ATTACK_TYPE = "class", "attackType"
LABEL_COLUMNS = (CLASS, ATTACK_TYPE, "attackID", "attackDescription")
NO_ATTACK = "---"
NORMAL_CLASS = "normal"
FIELDS = FieldSpec(
    "NetFlow (CIDDS-001)",
    REQUIRED,
    soft=(CLASS, ATTACK_TYPE),
    known=("Flows", "Flags", "Tos", *LABEL_COLUMNS),
)

_KINDS = {
    "Duration": FINITE,
    "Src Pt": INT,
    "Dst Pt": TEXT,
    "Packets": KEEP,
    "Bytes": KEEP,
    "Flows": INT,
    "Tos": INT,
}
_SCALED = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMG]?)\s*$")
_SCALE = {"": 1.0, "K": 1e3, "M": 1e6, "G": 1e9}
_ICMP_TYPE_CODE = re.compile(r"^\s*(\d+)\.(\d+)\s*$")


def parse_netflow(path: Path, bad: BadLines) -> Parsed:
    """Parse one CIDDS-001 style NetFlow CSV into canonical columns."""
    source = str(path)
    names, region = split_header(source, read_bytes(path))
    check_fields(source, names, FIELDS)
    layout = Layout(
        names=names,
        kinds={name: _KINDS.get(name, TEXT) for name in names},
        na_values=("",),
    )
    parsed = read_delimited(source, region, layout, bad)
    frame, lines = parsed.frame, parsed.lines
    wrong = np.zeros(len(frame), dtype=bool)
    seconds, bad_time = to_epoch_seconds(frame["Date first seen"])
    _report(bad, lines, bad_time, frame["Date first seen"], "Date first seen", "a time")
    wrong |= bad_time
    proto = frame["Proto"].str.strip().str.lower()
    columns = {"Date first seen": seconds, "Proto": proto}
    for name in ("Packets", "Bytes"):
        columns[name], rejected = _scaled(frame[name])
        _report(bad, lines, rejected, frame[name], name, "a count such as 12 or 1.2 M")
        wrong |= rejected
    columns["Dst Pt"], rejected = _ports(frame["Dst Pt"], proto)
    _report(bad, lines, rejected, frame["Dst Pt"], "Dst Pt", "a port")
    wrong |= rejected
    frame = frame.assign(**columns)
    if "Flags" in frame.columns:
        frame["Flags"] = frame["Flags"].str.strip()
    frame = _labels(frame).rename(columns=CANONICAL)
    return Parsed(frame, lines).drop(wrong)


def _report(
    bad: BadLines,
    lines: np.ndarray,
    rejected: np.ndarray,
    raw: pd.Series,
    name: str,
    expected: str,
) -> None:
    rows = np.flatnonzero(rejected)
    bad.add(
        lines[rows],
        field_problem(name, raw, rows, expected),
    )


def _scaled(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    if pd.api.types.is_numeric_dtype(raw.dtype):
        return raw.astype(float), np.zeros(len(raw), dtype=bool)
    parts = raw.astype("string").str.extract(_SCALED)
    numbers = pd.to_numeric(parts[0], errors="coerce").astype(float)
    scale = parts[1].map(_SCALE).astype(float)
    bad = (numbers.isna() & raw.notna()).to_numpy(dtype=bool)
    return (numbers * scale).round(), bad


def _ports(raw: pd.Series, proto: pd.Series) -> tuple[pd.Series, np.ndarray]:
    text = raw.astype("string").str.strip()
    ports = pd.to_numeric(text, errors="coerce")
    # nfdump prints an ICMP type and code as "type.code"; NetFlow carries type*256+code.
    icmp = text.str.extract(_ICMP_TYPE_CODE).astype("Int64")
    is_icmp = (proto == "icmp").fillna(False) & icmp[0].notna()
    encoded = icmp[0] * 256 + icmp[1]
    ports = ports.astype("Float64").mask(is_icmp, encoded.astype("Float64"))
    whole = (ports == ports.round()).fillna(False)
    bad = (text.notna() & ~whole).to_numpy(dtype=bool, na_value=False)
    return ports.mask(bad).astype("Int64"), bad


def _labels(frame: pd.DataFrame) -> pd.DataFrame:
    present = [c for c in LABEL_COLUMNS if c in frame.columns]
    for name in present:
        text = frame[name].str.strip()
        frame[name] = text.mask((text == NO_ATTACK).fillna(False))
    if CLASS not in frame.columns:
        return frame
    klass = frame[CLASS]
    normal = (klass.str.lower() == NORMAL_CLASS).fillna(False)
    label = pd.Series(pd.NA, index=frame.index, dtype="string")
    label[klass.notna()] = MALICIOUS
    label[normal] = BENIGN
    detail = frame[ATTACK_TYPE] if ATTACK_TYPE in frame.columns else klass
    frame[LABEL] = label
    frame[DETAILED_LABEL] = detail.fillna(klass).mask(normal)
    return frame
