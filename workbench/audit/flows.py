"""Row-level checks of a flow table: duplicates, label conflicts, order and direction.

Each check returns findings that name the rows concerned. Flows are compared as
written by the flow meter: nothing is re-extracted, sorted or relabelled here, and a
flow with its reverse direction is only reported, not merged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench import schema
from workbench.audit._rows import FILE, ID_COLUMNS, ROW, class_names, concerned
from workbench.audit.report import Finding

__all__ = [
    "SENTINEL",
    "duplicate_flows",
    "conflicting_labels",
    "time_order",
    "reverse_label_conflicts",
    "responder_first",
    "negative_values",
    "flow_findings",
]

#: The documented "not applicable" value of CICFlowMeter columns; not an error.
SENTINEL = -1.0
#: Ports below this are system ports: a flow from one to a higher port looks reversed.
SYSTEM_PORTS = 1024
_KEY = (schema.ORIG_H, schema.ORIG_P, schema.RESP_H, schema.RESP_P, schema.PROTO)
_REVERSED = (schema.RESP_H, schema.RESP_P, schema.ORIG_H, schema.ORIG_P, schema.PROTO)


def _content_columns(flows: pd.DataFrame, *, features_only: bool) -> list[str]:
    skip = {schema.UID, *ID_COLUMNS}
    if features_only:
        skip |= {*schema.FLOW_ID_FIELDS, *schema.LABEL_FIELDS}
    return [c for c in flows.columns if c not in skip]


def duplicate_flows(flows: pd.DataFrame) -> pd.DataFrame:
    """Rows equal in every column but ``uid`` to an earlier row, with that row.

    Examples
    --------
    >>> t = pd.DataFrame({"ts": [1.0, 2.0, 1.0], "orig_bytes": [5.0, 6.0, 5.0]})
    >>> duplicate_flows(t)[["row", "duplicate_of"]].values.tolist()
    [[2, 0]]
    """
    columns = _content_columns(flows, features_only=False)
    groups = flows.groupby(columns, dropna=False, sort=False).ngroup().to_numpy()
    first = pd.Series(np.arange(len(flows))).groupby(groups).transform("min")
    later = first.to_numpy() != np.arange(len(flows))
    return concerned(flows, later, {"duplicate_of": first.to_numpy()[later]})


def conflicting_labels(flows: pd.DataFrame) -> pd.DataFrame:
    """Rows whose feature vector (identity and labels aside) recurs with another label.

    Labels are compared as ``benign`` / ``malicious`` when the table has them (two
    attack names on one vector are no error for a detector), else as class names.

    Examples
    --------
    >>> t = pd.DataFrame({"orig_bytes": [5.0, 5.0, 7.0],
    ...                   "label": ["benign", "malicious", "benign"]})
    >>> conflicting_labels(t)["row"].tolist()
    [0, 1]
    """
    columns = _content_columns(flows, features_only=True)
    if not columns:
        return concerned(flows, np.zeros(len(flows), dtype=bool))
    groups = flows.groupby(columns, dropna=False, sort=False).ngroup().to_numpy()
    if schema.LABEL in flows.columns:
        classes = flows[schema.LABEL].astype("string").fillna("(unlabelled)")
    else:
        classes = class_names(flows)
    classes = pd.Series(classes.to_numpy())
    spread = classes.groupby(groups).transform("nunique").to_numpy()
    mixed = spread > 1
    return concerned(flows, mixed, {"group": groups[mixed]})


def time_order(flows: pd.DataFrame) -> pd.DataFrame:
    """Rows that start earlier than the row before them (within each file).

    Examples
    --------
    >>> t = pd.DataFrame({"ts": [1.0, 3.0, 2.0, 4.0]})
    >>> time_order(t)[["row", "backward_s"]].values.tolist()
    [[2.0, 1.0]]
    """
    ts = flows[schema.TS].to_numpy(dtype="float64", na_value=np.nan)
    step = np.diff(ts, prepend=np.nan)
    if FILE in flows.columns:
        files = flows[FILE].to_numpy()
        step[1:][files[1:] != files[:-1]] = np.nan
    backward = step < 0
    return concerned(flows, backward, {"backward_s": -step[backward]})


def _keys(flows: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    data = {
        f"k{i}": flows[c].astype("string").fillna("-").to_numpy()
        for i, c in enumerate(columns)
    }
    return pd.DataFrame(data)


def reverse_label_conflicts(flows: pd.DataFrame) -> pd.DataFrame:
    """Flows whose reverse direction (ends swapped) appears with another class.

    Examples
    --------
    >>> t = pd.DataFrame({"id.orig_h": ["a", "b"], "id.orig_p": [1, 80],
    ...                   "id.resp_h": ["b", "a"], "id.resp_p": [80, 1],
    ...                   "proto": ["tcp", "tcp"], "label": ["malicious", "benign"]})
    >>> reverse_label_conflicts(t)[["row", "reverse_row"]].values.tolist()
    [[0, 1], [1, 0]]
    """
    if any(c not in flows.columns for c in _KEY):
        return concerned(flows, np.zeros(len(flows), dtype=bool))
    classes = class_names(flows).to_numpy()
    forward = _keys(flows, _KEY).assign(row=np.arange(len(flows)), cls=classes)
    reverse = _keys(flows, _REVERSED).assign(reverse_row=forward["row"], other=classes)
    pairs = forward.merge(reverse, on=[f"k{i}" for i in range(len(_KEY))])
    pairs = pairs[pairs["cls"] != pairs["other"]].sort_values(["row", "reverse_row"])
    rows = pairs["row"].to_numpy()
    extra = {
        "reverse_row": pairs["reverse_row"].to_numpy(),
        "reverse_class": pairs["other"].to_numpy(),
    }
    return concerned(flows, rows, extra)


def responder_first(flows: pd.DataFrame) -> pd.DataFrame:
    """TCP and UDP flows from a system port to a higher port: likely reversed.

    Examples
    --------
    >>> t = pd.DataFrame({"id.orig_p": [80, 50000], "id.resp_p": [50000, 443],
    ...                   "proto": ["tcp", "tcp"]})
    >>> responder_first(t)["row"].tolist()
    [0]
    """
    if any(c not in flows.columns for c in _KEY[1::2] + (schema.PROTO,)):
        return concerned(flows, np.zeros(len(flows), dtype=bool))
    orig = flows[schema.ORIG_P].to_numpy(dtype="float64", na_value=np.nan)
    resp = flows[schema.RESP_P].to_numpy(dtype="float64", na_value=np.nan)
    ported = flows[schema.PROTO].isin(("tcp", "udp")).fillna(False).to_numpy(bool)
    return concerned(flows, ported & (orig < SYSTEM_PORTS) & (resp >= SYSTEM_PORTS))


def negative_values(flows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Per numeric column, rows holding a negative value other than :data:`SENTINEL`.

    Examples
    --------
    >>> t = pd.DataFrame({"Bwd Header Length": [20.0, -15624.0, -1.0]})
    >>> negative_values(t)["Bwd Header Length"]["row"].tolist()
    [1]
    """
    found = {}
    for column in _content_columns(flows, features_only=True):
        if not pd.api.types.is_numeric_dtype(flows[column].dtype):
            continue
        values = flows[column].to_numpy(dtype="float64", na_value=np.nan)
        bad = (values < 0) & (values != SENTINEL)
        if bad.any():
            found[column] = concerned(flows, bad, {column: values[bad]})
    return found


_ADVICE = {
    "duplicate flows": "drop exact copies before splitting train and test",
    "conflicting labels": "check the labelling rules that gave these rows two classes",
    "timestamps out of order": "sort by ts before windowed or sequence features",
    "reverse direction, other label": "label both directions of a flow with one rule",
    "responder-first flows": "reorder packets before flow extraction; check direction",
    "negative values": "a flow-meter artefact: treat the value as missing",
}


def flow_findings(flows: pd.DataFrame, source: str) -> list[Finding]:
    """Run every check of this module on ``flows``; one finding per check."""
    checks = {
        "duplicate flows": duplicate_flows,
        "conflicting labels": conflicting_labels,
        "reverse direction, other label": reverse_label_conflicts,
        "responder-first flows": responder_first,
    }
    if schema.TS in flows.columns:
        checks["timestamps out of order"] = time_order
    findings = []
    for check, function in checks.items():
        rows = function(flows)
        count = rows[ROW].nunique()
        findings.append(
            Finding(source, check, "all", count, len(flows), rows, ROW, _ADVICE[check])
        )
    for column, rows in negative_values(flows).items():
        advice = _ADVICE["negative values"]
        findings.append(
            Finding(
                source,
                "negative values",
                column,
                len(rows),
                len(flows),
                rows,
                ROW,
                advice,
            )
        )
    return findings
