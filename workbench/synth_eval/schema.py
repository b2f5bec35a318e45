"""The columns the synthetic-flow metrics read, declared once, and their normal form.

A :class:`MetricSchema` names the time column, the discrete and continuous columns and
the role each field plays in the domain-knowledge checks; :func:`metric_frame` turns a
canonical flow table into the typed frame every metric works on. Nothing here computes
a metric or reads a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.errors import SchemaError
from workbench.flowchronicle.sessions import TCP_FLAGS
from workbench.schema import (
    DURATION,
    ORIG_BYTES,
    ORIG_H,
    ORIG_PKTS,
    PROTO,
    RESP_BYTES,
    RESP_H,
    RESP_P,
    RESP_PKTS,
    TS,
)

__all__ = [
    "MODES",
    "MISSING",
    "FlowRoles",
    "MetricSchema",
    "SESSION_SCHEMA",
    "check_mode",
    "metric_frame",
]

#: ``"reference"`` reproduces the published evaluation code, quirks included;
#: ``"clean"`` applies the spec's recommended fixes. Tables always name the mode.
MODES = ("reference", "clean")
#: Stand-in for a missing discrete value, so it counts as a category of its own.
MISSING = "-"
_MISSING_PORT = -1.0
_MARK = "metric_schema"


@dataclass(frozen=True)
class FlowRoles:
    """Which column plays which part in a session record (the reference's names).

    ``in_*`` is the responder's direction (the reference's ``In``), ``out_*`` the
    originator's, as FlowChronicle's preparation maps them.

    Examples
    --------
    >>> FlowRoles().dst_port
    'id.resp_p'
    """

    proto: str = PROTO
    src_ip: str = ORIG_H
    dst_ip: str = RESP_H
    dst_port: str = RESP_P
    flags: str = TCP_FLAGS
    in_bytes: str = RESP_BYTES
    out_bytes: str = ORIG_BYTES
    in_packets: str = RESP_PKTS
    out_packets: str = ORIG_PKTS
    duration: str = DURATION


def _default_labels(roles: FlowRoles, time: str) -> dict[str, str]:
    return {
        time: "Date first seen",
        roles.proto: "Proto",
        roles.src_ip: "Src IP Addr",
        roles.dst_ip: "Dst IP Addr",
        roles.dst_port: "Dst Pt",
        roles.flags: "Flags",
        roles.in_bytes: "In Byte",
        roles.out_bytes: "Out Byte",
        roles.in_packets: "In Packet",
        roles.out_packets: "Out Packet",
        roles.duration: "Duration",
    }


@dataclass(frozen=True)
class MetricSchema:
    """Column groups of the evaluation protocol (spec section 3).

    Attributes
    ----------
    time : str
        Start time in epoch seconds; enters Density/Coverage, MD and the temporal
        metrics.
    discrete : tuple of str
        Categorical columns (JSD, CMD, one-hot in the Density feature map).
    continuous : tuple of str
        Numeric columns (EMD, PCD, ACF difference).
    numeric_discrete : tuple of str
        Discrete columns holding numbers (ports): compared as floats.
    roles : FlowRoles
        Columns the domain-knowledge checks read.
    labels : dict
        Display name of each column (the paper's names by default).

    Examples
    --------
    >>> SESSION_SCHEMA.discrete
    ('proto', 'id.orig_h', 'id.resp_h', 'id.resp_p', 'tcp_flags')
    >>> SESSION_SCHEMA.label("resp_bytes")
    'In Byte'
    """

    time: str = TS
    discrete: tuple[str, ...] = (PROTO, ORIG_H, RESP_H, RESP_P, TCP_FLAGS)
    continuous: tuple[str, ...] = (
        RESP_BYTES,
        ORIG_BYTES,
        RESP_PKTS,
        ORIG_PKTS,
        DURATION,
    )
    numeric_discrete: tuple[str, ...] = (RESP_P,)
    roles: FlowRoles = field(default_factory=FlowRoles)
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> tuple[str, ...]:
        """Every evaluated column: time, discrete, continuous."""
        return (self.time, *self.discrete, *self.continuous)

    def label(self, column: str) -> str:
        """Display name of ``column``."""
        names = {**_default_labels(self.roles, self.time), **self.labels}
        return names.get(column, column)


#: Sessions as FlowChronicle prepares them (bidirectional CIDDS-001 and Zeek conn).
SESSION_SCHEMA = MetricSchema()


def check_mode(mode: str) -> str:
    """Return ``mode`` if it is one of :data:`MODES`, else raise.

    Examples
    --------
    >>> check_mode("clean")
    'clean'
    """
    if mode not in MODES:
        message = f"mode={mode!r} is not a metric mode; use one of {MODES}."
        raise ValueError(message)
    return mode


def metric_frame(
    flows: pd.DataFrame, schema: MetricSchema = SESSION_SCHEMA, *, name: str = ""
) -> pd.DataFrame:
    """The schema's columns in the typed form every metric reads.

    Time and continuous and numeric-discrete columns become float64 (time in epoch
    seconds: min-max scaling and exact matching, all the metrics do with it, ignore the
    unit); other discrete columns become stripped strings. Missing discrete values
    become :data:`MISSING` (ports: -1), missing continuous values 0. The function is
    idempotent, and returns a frame it made earlier for the same schema as it is.

    Parameters
    ----------
    flows : pandas.DataFrame
        Canonical flow table (sessions).
    schema : MetricSchema, default SESSION_SCHEMA
        Which columns to keep.
    name : str, optional
        Name of the table for error messages (default: its ``attrs["source"]``).

    Returns
    -------
    pandas.DataFrame
        Columns ``schema.columns`` in that order, a fresh ``RangeIndex``.

    Raises
    ------
    SchemaError
        If a column is missing, or a numeric column holds text.

    Examples
    --------
    >>> flows = pd.DataFrame({"ts": [1.5], "proto": [" udp"], "id.orig_h": ["a"],
    ...     "id.resp_h": ["b"], "id.resp_p": [53], "tcp_flags": [None],
    ...     "resp_bytes": [90.0], "orig_bytes": [60], "resp_pkts": [1],
    ...     "orig_pkts": [1], "duration": [0.1]})
    >>> frame = metric_frame(flows)
    >>> frame.loc[0, "ts"], frame.loc[0, "proto"], frame.loc[0, "tcp_flags"]
    (np.float64(1.5), 'udp', '-')
    """
    if flows.attrs.get(_MARK) == schema and list(flows.columns) == list(schema.columns):
        return flows
    name = name or str(flows.attrs.get("source", "the flow table"))
    missing = [c for c in schema.columns if c not in flows.columns]
    if missing:
        message = (
            f"{name}: the metrics need the fields {missing}, which the table lacks; "
            "pass session records (workbench.flowchronicle.prepare.prepare_sessions) "
            "or a MetricSchema naming the table's columns."
        )
        raise SchemaError(message)
    out = {schema.time: _times(flows[schema.time], schema.time, name)}
    for column in schema.discrete:
        if column in schema.numeric_discrete:
            values = _numbers(flows[column], column, name)
            out[column] = np.where(np.isnan(values), _MISSING_PORT, values)
        else:
            text = flows[column].astype("string").str.strip().fillna(MISSING)
            out[column] = text.to_numpy(dtype=object)
    for column in schema.continuous:
        out[column] = np.nan_to_num(_numbers(flows[column], column, name), nan=0.0)
    frame = pd.DataFrame(out)
    frame.attrs[_MARK] = schema
    frame.attrs["source"] = name
    return frame


def _numbers(values: pd.Series, column: str, name: str) -> np.ndarray:
    numbers = pd.to_numeric(values, errors="coerce")
    bad = numbers.isna() & values.notna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        message = (
            f"{name}: field {column!r} must hold numbers, but row {row} holds "
            f"{values.iloc[row]!r}; fix the file or map the column."
        )
        raise SchemaError(message)
    return numbers.astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def _times(values: pd.Series, column: str, name: str) -> np.ndarray:
    seconds = _numbers(values, column, name)
    if np.isnan(seconds).any():
        message = (
            f"{name}: field {column!r} has {int(np.isnan(seconds).sum())} missing "
            "start times; drop those rows before evaluating."
        )
        raise SchemaError(message)
    return seconds
