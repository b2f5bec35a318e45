"""Zeek conn logs exported as CSV with labels (the IoT-23 ``*-labeled.csv`` files).

Columns are Zeek's conn fields plus ``label`` and ``detailed-label``. Labels are
normalised to :data:`~workbench.schema.BENIGN` / :data:`~workbench.schema.MALICIOUS`
whatever their case; the detailed label is kept as written. The raw IoT-23 TSV files
(labels after the last field separated by spaces) are not read here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from workbench.io._badlines import BadLines, field_problem
from workbench.io._convert import FINITE, INT, TEXT, TIME, Markers
from workbench.io._csvfile import split_header
from workbench.io._delimited import Layout, Parsed, read_delimited
from workbench.io._fields import FieldSpec, check_fields
from workbench.io._source import read_bytes
from workbench.io._zeek_tsv import kind_of
from workbench.schema import (
    BENIGN,
    CONN_FIELDS,
    DETAILED_LABEL,
    DURATION,
    LABEL,
    MALICIOUS,
    ORIG_BYTES,
    ORIG_H,
    ORIG_IP_BYTES,
    ORIG_P,
    ORIG_PKTS,
    PROTO,
    RESP_BYTES,
    RESP_H,
    RESP_IP_BYTES,
    RESP_P,
    RESP_PKTS,
    TS,
)

#: How IoT-23 spells the detailed label column.
DETAILED_LABEL_HEADER = "detailed-label"

#: Zeek's types of conn fields beyond the canonical ones, as in its ``#types`` line.
ZEEK_CONN_EXTRA_TYPES = {
    "local_orig": "bool",
    "local_resp": "bool",
    "missed_bytes": "count",
    "tunnel_parents": "set[string]",
    "ip_proto": "count",
    "vlan": "int",
    "inner_vlan": "int",
    "orig_shunted_pkts": "count",
    "orig_shunted_bytes": "count",
}

_CANONICAL_KINDS = {
    TS: TIME,
    ORIG_P: INT,
    RESP_P: INT,
    DURATION: FINITE,
    ORIG_BYTES: INT,
    RESP_BYTES: INT,
    ORIG_PKTS: INT,
    RESP_PKTS: INT,
    ORIG_IP_BYTES: INT,
    RESP_IP_BYTES: INT,
}
REQUIRED = (TS, ORIG_H, ORIG_P, RESP_H, RESP_P, PROTO)
#: Required conn fields, the other conn fields, the labels, Zeek's extra conn fields.
FIELDS = FieldSpec(
    "Zeek conn CSV",
    REQUIRED,
    optional=tuple(name for name in CONN_FIELDS if name not in REQUIRED),
    soft=(LABEL, DETAILED_LABEL),
    known=tuple(ZEEK_CONN_EXTRA_TYPES),
)


def parse_zeek_csv(path: Path, bad: BadLines) -> Parsed:
    """Parse one labelled conn-log CSV into canonical columns."""
    source = str(path)
    names, region = split_header(source, read_bytes(path))
    names = [DETAILED_LABEL if n == DETAILED_LABEL_HEADER else n for n in names]
    check_fields(source, names, FIELDS)
    layout = Layout(
        names=names,
        kinds={name: _kind(name) for name in names},
        na_values=("", "-"),
        markers=Markers(empty="(empty)", unset="-"),
    )
    parsed = read_delimited(source, region, layout, bad)
    if LABEL in names:
        parsed = _normalise_labels(parsed, bad)
    return parsed


def _kind(name: str) -> str:
    if name in _CANONICAL_KINDS:
        return _CANONICAL_KINDS[name]
    if name in ZEEK_CONN_EXTRA_TYPES:
        return kind_of(ZEEK_CONN_EXTRA_TYPES[name])
    return TEXT


def _normalise_labels(parsed: Parsed, bad: BadLines) -> Parsed:
    raw = parsed.frame[LABEL]
    lowered = raw.str.strip().str.lower()
    known = lowered.isin((BENIGN, MALICIOUS)).to_numpy(dtype=bool, na_value=False)
    wrong = raw.notna().to_numpy(dtype=bool) & ~known
    rows = np.flatnonzero(wrong)
    bad.add(
        parsed.lines[rows],
        field_problem(LABEL, raw, rows, f"{BENIGN!r} or {MALICIOUS!r} in any case"),
    )
    frame = parsed.frame.assign(**{LABEL: lowered.astype("string")})
    return Parsed(frame, parsed.lines).drop(wrong)


def looks_like(names: list[str]) -> bool:
    """Whether CSV header ``names`` look like a Zeek conn export."""
    return DETAILED_LABEL_HEADER in names or {TS, ORIG_H, RESP_H} <= set(names)
