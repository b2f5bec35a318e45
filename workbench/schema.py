"""The canonical flow table: field names, types and label values, defined once.

Every reader returns this table and every model reads it, so field names appear here and
nowhere else as literals. Names follow Zeek's ``conn.log``. The module does not read
files and does not derive features; see ``workbench.io`` and ``workbench.features``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from workbench.errors import SchemaError

__all__ = [
    "TS",
    "UID",
    "ORIG_H",
    "ORIG_P",
    "RESP_H",
    "RESP_P",
    "PROTO",
    "SERVICE",
    "DURATION",
    "ORIG_BYTES",
    "RESP_BYTES",
    "CONN_STATE",
    "HISTORY",
    "ORIG_PKTS",
    "RESP_PKTS",
    "ORIG_IP_BYTES",
    "RESP_IP_BYTES",
    "LABEL",
    "DETAILED_LABEL",
    "CONN_FIELDS",
    "LABEL_FIELDS",
    "FLOW_ID_FIELDS",
    "COUNT_FIELDS",
    "CATEGORICAL_FIELDS",
    "FIELD_DTYPES",
    "BENIGN",
    "MALICIOUS",
    "conform",
    "extra_numeric_columns",
    "is_benign",
]

TS = "ts"
UID = "uid"
ORIG_H = "id.orig_h"
ORIG_P = "id.orig_p"
RESP_H = "id.resp_h"
RESP_P = "id.resp_p"
PROTO = "proto"
SERVICE = "service"
DURATION = "duration"
ORIG_BYTES = "orig_bytes"
RESP_BYTES = "resp_bytes"
CONN_STATE = "conn_state"
HISTORY = "history"
ORIG_PKTS = "orig_pkts"
RESP_PKTS = "resp_pkts"
ORIG_IP_BYTES = "orig_ip_bytes"
RESP_IP_BYTES = "resp_ip_bytes"
LABEL = "label"
DETAILED_LABEL = "detailed_label"

CONN_FIELDS: tuple[str, ...] = (
    TS,
    UID,
    ORIG_H,
    ORIG_P,
    RESP_H,
    RESP_P,
    PROTO,
    SERVICE,
    DURATION,
    ORIG_BYTES,
    RESP_BYTES,
    CONN_STATE,
    HISTORY,
    ORIG_PKTS,
    RESP_PKTS,
    ORIG_IP_BYTES,
    RESP_IP_BYTES,
)
LABEL_FIELDS: tuple[str, ...] = (LABEL, DETAILED_LABEL)

#: Fields that identify a flow in an alert list; never model inputs.
FLOW_ID_FIELDS: tuple[str, ...] = (TS, UID, ORIG_H, ORIG_P, RESP_H, RESP_P, PROTO)

#: Heavy-tailed non-negative quantities (log-scaled by the feature encoder).
COUNT_FIELDS: tuple[str, ...] = (
    DURATION,
    ORIG_BYTES,
    RESP_BYTES,
    ORIG_PKTS,
    RESP_PKTS,
    ORIG_IP_BYTES,
    RESP_IP_BYTES,
)

#: Low-cardinality text fields (one-hot encoded by the feature encoder).
CATEGORICAL_FIELDS: tuple[str, ...] = (PROTO, SERVICE, CONN_STATE, HISTORY)

FIELD_DTYPES: dict[str, str] = {
    TS: "float64",
    UID: "string",
    ORIG_H: "string",
    ORIG_P: "Int64",
    RESP_H: "string",
    RESP_P: "Int64",
    PROTO: "string",
    SERVICE: "string",
    DURATION: "float64",
    ORIG_BYTES: "float64",
    RESP_BYTES: "float64",
    CONN_STATE: "string",
    HISTORY: "string",
    ORIG_PKTS: "float64",
    RESP_PKTS: "float64",
    ORIG_IP_BYTES: "float64",
    RESP_IP_BYTES: "float64",
    LABEL: "string",
    DETAILED_LABEL: "string",
}

#: The two values of ``label`` after normalisation; the attack name goes in
#: ``detailed_label``.
BENIGN = "benign"
MALICIOUS = "malicious"


def conform(frame: pd.DataFrame, *, source: str) -> pd.DataFrame:
    """Return ``frame`` as a canonical flow table.

    Canonical fields come first in the order of :data:`CONN_FIELDS`, then the label
    fields when present, then any extra columns the source provided (kept as they are).
    Missing canonical fields are added as all-missing columns.

    Parameters
    ----------
    frame : pandas.DataFrame
        Flows with canonical field names (extra columns allowed).
    source : str
        File or description used in error messages.

    Returns
    -------
    pandas.DataFrame
        A new frame with canonical dtypes and a fresh ``RangeIndex``.

    Raises
    ------
    SchemaError
        If a canonical field cannot be converted to its type.

    Examples
    --------
    >>> t = conform(pd.DataFrame({"ts": [1.5], "proto": ["udp"]}), source="demo")
    >>> list(t.columns[:3]), str(t["id.orig_p"].dtype)
    (['ts', 'uid', 'id.orig_h'], 'Int64')
    """
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for field in CONN_FIELDS + LABEL_FIELDS:
        if field in frame.columns:
            out[field] = _cast(frame[field].to_numpy(), field, source)
        elif field in CONN_FIELDS:
            out[field] = _missing(len(out), FIELD_DTYPES[field])
    extras = [c for c in frame.columns if c not in out.columns]
    if extras:
        out = pd.concat([out, frame[extras].reset_index(drop=True)], axis=1)
    out.attrs["source"] = source
    return out


def _missing(n: int, dtype: str) -> pd.Series:
    if dtype == "float64":
        return pd.Series(np.full(n, np.nan))
    return pd.Series([pd.NA] * n, dtype=dtype)


def _cast(values: np.ndarray, field: str, source: str) -> pd.Series:
    dtype = FIELD_DTYPES[field]
    series = pd.Series(values)
    try:
        if dtype == "string":
            return series.astype("string")
        numeric = pd.to_numeric(series, errors="raise")
        return numeric.astype(dtype)
    except (TypeError, ValueError) as exc:
        bad = _first_unconvertible(series)
        message = (
            f"{source}: field {field!r} must hold {dtype} values, but row {bad} holds "
            f"{series.iloc[bad]!r}. Check the column mapping of this file or pass the "
            "right format."
        )
        raise SchemaError(message) from exc


def _first_unconvertible(series: pd.Series) -> int:
    coerced = pd.to_numeric(series, errors="coerce")
    bad = coerced.isna() & series.notna()
    return int(np.flatnonzero(bad.to_numpy())[0]) if bad.any() else 0


def extra_numeric_columns(frame: pd.DataFrame) -> list[str]:
    """Names of numeric columns beyond the canonical and label fields.

    CICFlowMeter statistics, for example, arrive as such extras.

    Examples
    --------
    >>> extra_numeric_columns(pd.DataFrame({"ts": [1.0], "Flow IAT Max": [3.0]}))
    ['Flow IAT Max']
    """
    known = set(CONN_FIELDS) | set(LABEL_FIELDS)
    return [
        c
        for c in frame.columns
        if c not in known
        and pd.api.types.is_numeric_dtype(frame[c].dtype)
        and not pd.api.types.is_bool_dtype(frame[c].dtype)
    ]


def is_benign(labels: Iterable[object]) -> np.ndarray:
    """Boolean mask of rows whose normalised ``label`` is :data:`BENIGN`.

    Examples
    --------
    >>> is_benign(["benign", "malicious", None]).tolist()
    [True, False, False]
    """
    series = pd.Series(list(labels), dtype="string")
    return series.eq(BENIGN).fillna(False).to_numpy(dtype=bool)
