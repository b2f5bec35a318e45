"""CICFlowMeter CSV (CIC-IDS2017, its corrected re-extraction, CSE-CIC-IDS2018 names).

Identity, time, size and label columns map onto the canonical fields; every other
statistic stays as a numeric extra column under its own (stripped) name, with NaN and
infinities kept as values. Rows are never dropped for missing values, and no sentinel
replaces them: that is a modelling choice left to the feature encoder.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.io._badlines import BadLines, field_problem
from workbench.io._convert import INT, KEEP, NUMBER, REAL, TEXT, Markers, convert
from workbench.io._csvfile import split_header, to_epoch_seconds
from workbench.io._delimited import Layout, Parsed, read_delimited
from workbench.io._fields import FieldSpec, check_fields
from workbench.io._protocols import protocol_names
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
    RESP_BYTES,
    RESP_H,
    RESP_P,
    RESP_PKTS,
    TS,
    UID,
)

logger = logging.getLogger(__name__)

#: Names of other CICFlowMeter versions, mapped to those of the corrected CIC-IDS2017.
ALIASES = {
    "Source IP": "Src IP",
    "Source Port": "Src Port",
    "Destination IP": "Dst IP",
    "Destination Port": "Dst Port",
    "Total Fwd Packets": "Total Fwd Packet",
    "Tot Fwd Pkts": "Total Fwd Packet",
    "Total Backward Packets": "Total Bwd packets",
    "Tot Bwd Pkts": "Total Bwd packets",
    "Total Length of Fwd Packets": "Total Length of Fwd Packet",
    "TotLen Fwd Pkts": "Total Length of Fwd Packet",
    "Total Length of Bwd Packets": "Total Length of Bwd Packet",
    "TotLen Bwd Pkts": "Total Length of Bwd Packet",
    "Flow Byts/s": "Flow Bytes/s",
    "Flow Pkts/s": "Flow Packets/s",
}
#: Source columns that become canonical fields.
CANONICAL = {
    "Flow ID": UID,
    "Src IP": ORIG_H,
    "Src Port": ORIG_P,
    "Dst IP": RESP_H,
    "Dst Port": RESP_P,
    "Protocol": PROTO,
    "Timestamp": TS,
    "Flow Duration": DURATION,
    "Total Fwd Packet": ORIG_PKTS,
    "Total Bwd packets": RESP_PKTS,
    "Total Length of Fwd Packet": ORIG_BYTES,
    "Total Length of Bwd Packet": RESP_BYTES,
    "Label": LABEL,
}
#: For messages: where each canonical field comes from.
ORIGINS = {
    **{field: f"column {name!r}" for name, field in CANONICAL.items()},
    DURATION: "column 'Flow Duration', microseconds converted to seconds",
}
OPTIONAL = ("Flow ID", "Label")
REQUIRED = tuple(name for name in CANONICAL if name not in OPTIONAL)
#: Row number in the unpublished full file, and label metadata: never model inputs.
DROPPED = ("id", "Attempted Category")
#: Rate and inter-arrival columns that single-packet flows leave NaN or infinite.
NONFINITE_COLUMNS = (
    "Flow Bytes/s",
    "Flow Packets/s",
    "Flow IAT Mean",
    "Flow IAT Std",
    "Flow IAT Max",
    "Flow IAT Min",
)
FIELDS = FieldSpec(
    "CICFlowMeter", REQUIRED, optional=OPTIONAL, known=DROPPED + NONFINITE_COLUMNS
)
#: Suffix of the 0/1 indicator column added for each of :data:`NONFINITE_COLUMNS`.
NONFINITE_SUFFIX = ":nonfinite"
#: How CIC writes the benign label.
CIC_BENIGN = "BENIGN"
#: What CICFlowMeter writes in ``Label`` when nobody labelled the flow.
UNLABELLED = "NeedManualLabel"
#: ``Flow Duration`` is in microseconds.
MICROSECONDS = 1e6

_TEXT_COLUMNS = ("Flow ID", "Src IP", "Dst IP", "Timestamp", "Label")
_INT_COLUMNS = (
    "Src Port",
    "Dst Port",
    "Protocol",
    "Total Fwd Packet",
    "Total Bwd packets",
    "Total Length of Fwd Packet",
    "Total Length of Bwd Packet",
)
_GARBLED_DASH = re.compile(r"\s*[\u2013\u2014\ufffd]\s*")


def parse_cicflowmeter(path: Path, bad: BadLines) -> Parsed:
    """Parse one CICFlowMeter CSV into canonical columns plus statistics."""
    source = str(path)
    names, region = split_header(source, _as_utf8(source, read_bytes(path)))
    names = [ALIASES.get(name, name) for name in names]
    check_fields(source, names, FIELDS)
    layout = Layout(
        names=names,
        kinds={name: _kind(name) for name in names},
        na_values=("", "NaN", "nan", "-nan"),
    )
    parsed = read_delimited(source, region, layout, bad)
    parsed = _map_time(parsed, bad)
    frame = parsed.frame.drop(columns=[c for c in DROPPED if c in names])
    frame, wrong = _extras(frame, parsed.lines, bad)
    frame = _canonical(frame)
    return Parsed(frame, parsed.lines).drop(wrong)


def _kind(name: str) -> str:
    if name in _TEXT_COLUMNS:
        return TEXT
    if name in _INT_COLUMNS:
        return INT
    if name == "Flow Duration":
        return REAL
    return KEEP


def _as_utf8(source: str, data: bytes) -> bytes:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        # The original CIC-IDS2017 CSVs write the dash of web-attack labels in cp1252.
        logger.info("%s is not UTF-8; reading it as cp1252 (original CIC CSVs)", source)
        return data.decode("cp1252", errors="replace").encode("utf-8")
    return data


def _map_time(parsed: Parsed, bad: BadLines) -> Parsed:
    raw = parsed.frame["Timestamp"]
    seconds, wrong = to_epoch_seconds(raw)
    rows = np.flatnonzero(wrong)
    bad.add(
        parsed.lines[rows],
        field_problem("Timestamp", raw, rows, "a time stamp"),
    )
    frame = parsed.frame.assign(Timestamp=seconds)
    return Parsed(frame, parsed.lines).drop(wrong)


def _extras(
    frame: pd.DataFrame, lines: np.ndarray, bad: BadLines
) -> tuple[pd.DataFrame, np.ndarray]:
    wrong = np.zeros(len(frame), dtype=bool)
    columns = {}
    for name in frame.columns:
        if _kind(name) != KEEP:
            continue
        raw = frame[name]
        numbers, rejected = convert(raw, NUMBER, Markers())
        present = raw.notna().to_numpy(dtype=bool)
        if rejected.any() and (rejected == present).all():
            continue  # a text column of another flow-meter version: keep as text
        rows = np.flatnonzero(rejected)
        bad.add(lines[rows], field_problem(name, raw, rows, "a number"))
        wrong |= rejected
        columns[name] = numbers
    frame = frame.assign(**columns)
    for name in NONFINITE_COLUMNS:
        if name in frame.columns:
            values = frame[name].to_numpy(dtype=float, na_value=np.nan)
            frame[name + NONFINITE_SUFFIX] = (~np.isfinite(values)).astype(np.int8)
    return frame, wrong


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.rename(columns=CANONICAL)
    frame[PROTO] = protocol_names(frame[PROTO])
    frame[DURATION] = frame[DURATION] / MICROSECONDS
    if LABEL in frame.columns:
        text = frame[LABEL].str.strip().str.replace(_GARBLED_DASH, " - ", regex=True)
        text = text.mask((text == UNLABELLED).fillna(False))
        benign = (text.str.upper() == CIC_BENIGN).fillna(False)
        label = pd.Series(pd.NA, index=frame.index, dtype="string")
        label[text.notna()] = MALICIOUS
        label[benign] = BENIGN
        frame[LABEL] = label
        frame[DETAILED_LABEL] = text.mask(benign)
    return frame
