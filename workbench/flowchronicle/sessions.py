"""Bidirectional sessions built from unidirectional NetFlow records.

FlowChronicle models sessions: one record per conversation with bytes and packets in
both directions. CIDDS-001 NetFlow holds one record per direction, so the two directions
of a 5-tuple are joined here. Bidirectional tables (Zeek ``conn.log``, CICFlowMeter) are
sessions already and need no call. The module neither reads files nor discretises.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from workbench.errors import SchemaError
from workbench.schema import (
    DURATION,
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
    conform,
)

__all__ = ["TCP_FLAGS", "SESSION_GAP_S", "build_sessions", "is_unidirectional"]

logger = logging.getLogger(__name__)

#: Extra column of the NetFlow reader: the six-character TCP flag string (``.AP.S.``).
TCP_FLAGS = "tcp_flags"
#: Split a 5-tuple group where the idle time between two records reaches this (seconds),
#: as the FlowChronicle reference preprocessing does.
SESSION_GAP_S = 120.0
_REQUIRED = (TS, ORIG_H, ORIG_P, RESP_H, RESP_P, PROTO, DURATION, ORIG_BYTES, ORIG_PKTS)
_NO_FLAG = "."


def is_unidirectional(flows: pd.DataFrame) -> bool:
    """True for NetFlow-style records: originator counts, no responder counts at all.

    Examples
    --------
    >>> is_unidirectional(pd.DataFrame({"orig_bytes": [60.0], "resp_bytes": [None]}))
    True
    """

    def filled(col: str) -> bool:
        return col in flows.columns and bool(flows[col].notna().any())

    has_orig = filled(ORIG_BYTES) or filled(ORIG_PKTS)
    return has_orig and not (filled(RESP_BYTES) or filled(RESP_PKTS))


def build_sessions(
    flows: pd.DataFrame,
    *,
    keep_single_flows: bool = True,
    max_gap: float = SESSION_GAP_S,
) -> pd.DataFrame:
    """Join the two directions of each conversation into one session record.

    Records sharing a direction-free 5-tuple are sorted by time and cut into sessions
    where ``|(t[i+1] - t[i]) - duration[i]| >= max_gap``. Per session, ``orig_*`` counts
    add up the records sent by the first record's sender, ``resp_*`` the others; each
    TCP flag position keeps the first flag seen; the duration runs from the first start
    to the latest end. Endpoints are then swapped so that ``id.resp_p`` is the smaller
    port.

    Parameters
    ----------
    flows : pandas.DataFrame
        Canonical flow table of unidirectional records.
    keep_single_flows : bool, default True
        Keep sessions made of one record (responder counts 0). ``False`` drops them, as
        the reference implementation does; on a sparse sample that drops most records.
    max_gap : float, default 120.0
        Idle time in seconds that starts a new session.

    Returns
    -------
    pandas.DataFrame
        Canonical table of sessions sorted by time, with ``tcp_flags`` when the input
        has it.

    Examples
    --------
    >>> raw = pd.DataFrame({
    ...     "ts": [0.0, 0.5], "duration": [0.2, 0.1], "proto": ["tcp", "tcp"],
    ...     "id.orig_h": ["10.0.0.1", "10.0.0.2"], "id.orig_p": [40000, 80],
    ...     "id.resp_h": ["10.0.0.2", "10.0.0.1"], "id.resp_p": [80, 40000],
    ...     "orig_bytes": [100.0, 900.0], "orig_pkts": [2.0, 3.0]})
    >>> s = build_sessions(raw)
    >>> s[["id.resp_p", "orig_bytes", "resp_bytes", "duration"]].values.tolist()
    [[80, 100.0, 900.0, 0.6]]
    """
    source = str(flows.attrs.get("source", "the flow table"))
    _check_columns(flows, source)

    order, starts, sizes = _segments(flows, max_gap)
    if not keep_single_flows:
        keep = sizes > 1
        order, sizes = order[np.repeat(keep, sizes)], sizes[keep]
        starts = (np.cumsum(sizes) - sizes).astype(np.int64)
    dropped = len(flows) - int(sizes.sum())
    if dropped:
        logger.info("%s: dropped %d single-record sessions", source, dropped)

    sessions = _aggregate(flows.iloc[order].reset_index(drop=True), starts, sizes)
    sessions = _swap_to_small_resp_port(sessions)
    sessions = sessions.sort_values(TS, kind="stable").reset_index(drop=True)
    return conform(sessions, source=source)


def _check_columns(flows: pd.DataFrame, source: str) -> None:
    missing = [c for c in _REQUIRED if c not in flows.columns]
    if missing:
        message = (
            f"{source}: sessions need the fields {missing}, which the table lacks; "
            "read the file with workbench.io.read_flows so fields are canonical."
        )
        raise SchemaError(message)
    if flows[TS].isna().any():
        message = (
            f"{source}: field {TS!r} has {int(flows[TS].isna().sum())} missing values; "
            "drop those rows before building sessions."
        )
        raise SchemaError(message)


def _endpoint_key(flows: pd.DataFrame) -> np.ndarray:
    orig_p, resp_p = flows[ORIG_P].fillna(-1), flows[RESP_P].fillna(-1)
    orig = list(zip(flows[ORIG_H].astype(str), orig_p.astype(int), strict=True))
    resp = list(zip(flows[RESP_H].astype(str), resp_p.astype(int), strict=True))
    pairs = [
        (p,) + (a + b if a <= b else b + a)
        for p, a, b in zip(flows[PROTO].astype(str), orig, resp, strict=True)
    ]
    return pd.factorize(pd.Series(pairs))[0]


def _segments(
    flows: pd.DataFrame, max_gap: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    group = _endpoint_key(flows)
    ts = flows[TS].to_numpy(dtype=float)
    duration = flows[DURATION].fillna(0.0).to_numpy(dtype=float)
    order = np.lexsort((np.arange(len(ts)), ts, group))

    group, ts, duration = group[order], ts[order], duration[order]
    idle = np.abs(np.diff(ts) - duration[:-1])
    cut = (np.diff(group) != 0) | (idle >= max_gap)
    starts = np.flatnonzero(np.concatenate([[True], cut])) if len(ts) else np.array([])
    starts = starts.astype(np.int64)
    sizes = np.diff(np.concatenate([starts, [len(ts)]])).astype(np.int64)
    return order.astype(np.int64), starts, sizes


def _aggregate(
    flows: pd.DataFrame, starts: np.ndarray, sizes: np.ndarray
) -> pd.DataFrame:
    session = np.repeat(np.arange(len(starts)), sizes)
    first = flows.iloc[starts].reset_index(drop=True)
    sender_h = flows[ORIG_H].astype(str).to_numpy()
    sender_p = flows[ORIG_P].fillna(-1).astype(int).to_numpy()
    from_first = (sender_h == sender_h[starts][session]) & (
        sender_p == sender_p[starts][session]
    )

    out = first[[TS, ORIG_H, ORIG_P, RESP_H, RESP_P, PROTO]].copy()
    for col, orig_col, resp_col in (
        (ORIG_BYTES, ORIG_BYTES, RESP_BYTES),
        (ORIG_PKTS, ORIG_PKTS, RESP_PKTS),
    ):
        values = flows[col].fillna(0.0).to_numpy(dtype=float)
        out[orig_col] = np.bincount(session, values * from_first, len(starts))
        out[resp_col] = np.bincount(session, values * ~from_first, len(starts))
    ts = flows[TS].to_numpy(dtype=float)
    end = ts + flows[DURATION].fillna(0.0).to_numpy(dtype=float)
    out[DURATION] = np.maximum.reduceat(end, starts) - ts[starts] if len(ts) else []
    if TCP_FLAGS in flows.columns:
        out[TCP_FLAGS] = _merge_flags(flows[TCP_FLAGS], starts)
    return out


def _merge_flags(flags: pd.Series, starts: np.ndarray) -> list[str | None]:
    text = flags.fillna("").astype(str).str.strip()
    width = max(int(text.str.len().max()), 1) if len(text) else 1
    chars = np.array([list(s.ljust(width, _NO_FLAG)) for s in text])
    n = len(chars)
    merged = np.full((len(starts), width), _NO_FLAG)
    for pos in range(width):
        # Index of the first record of each session that has this flag set.
        seen = np.where(chars[:, pos] != _NO_FLAG, np.arange(n), n)
        first = np.minimum.reduceat(seen, starts) if n else seen
        found = first < n
        merged[found, pos] = chars[first[found], pos]
    empty = np.maximum.reduceat(text.str.len().to_numpy(), starts) == 0 if n else []
    return [None if e else "".join(row) for row, e in zip(merged, empty, strict=True)]


def _swap_to_small_resp_port(sessions: pd.DataFrame) -> pd.DataFrame:
    orig_p = sessions[ORIG_P].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    resp_p = sessions[RESP_P].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    swap = orig_p < resp_p
    out = sessions.copy()
    for a, b in (
        (ORIG_H, RESP_H),
        (ORIG_P, RESP_P),
        (ORIG_BYTES, RESP_BYTES),
        (ORIG_PKTS, RESP_PKTS),
    ):
        out[a] = sessions[a].where(~swap, sessions[b])
        out[b] = sessions[b].where(~swap, sessions[a])
    return out
