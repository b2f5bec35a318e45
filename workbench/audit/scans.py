"""Label-independent scan heuristic, and how its findings are labelled.

A probe flow is TCP with at most two packets each way and no payload either way. A
source that, within one time window, probes at least ``min_ports`` ports of one host
(vertical scan) or one port on at least ``min_hosts`` hosts (horizontal scan) is a
scanner, and its probe flows in that window are flagged in both directions. Scans
labelled benign are likely label errors. Slow scans spread over many windows, and
scans that complete TCP handshakes with payload, are not found.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench import schema
from workbench.audit._rows import ROW, concerned
from workbench.audit.report import Finding
from workbench.errors import SchemaError

__all__ = [
    "PROBE_MAX_PACKETS",
    "ScanResult",
    "probe_flows",
    "scan_candidates",
    "scan_findings",
]

#: Packets each way a probe flow may have (SYN, RST, SYN-ACK, retransmission).
PROBE_MAX_PACKETS = 2
#: Ports below this are system ports: a flow from one to a higher port looks reversed.
SYSTEM_PORTS = 1024
_REQUIRED = (
    schema.TS,
    schema.ORIG_H,
    schema.ORIG_P,
    schema.RESP_H,
    schema.RESP_P,
    schema.PROTO,
    schema.ORIG_PKTS,
    schema.RESP_PKTS,
    schema.ORIG_BYTES,
    schema.RESP_BYTES,
)


def _floats(flows: pd.DataFrame, column: str) -> np.ndarray:
    return flows[column].to_numpy(dtype="float64", na_value=np.nan)


def probe_flows(flows: pd.DataFrame) -> np.ndarray:
    """Boolean mask of TCP flows with at most two packets each way and no payload.

    Examples
    --------
    >>> t = pd.DataFrame({"proto": ["tcp", "tcp", "udp"], "orig_pkts": [1, 5, 1],
    ...                   "resp_pkts": [1, 5, 0], "orig_bytes": [0, 0, 0],
    ...                   "resp_bytes": [0, 0, 0]})
    >>> probe_flows(t).tolist()
    [True, False, False]
    """
    tcp = flows[schema.PROTO].astype("string").eq("tcp").fillna(False).to_numpy(bool)
    few = (_floats(flows, schema.ORIG_PKTS) <= PROBE_MAX_PACKETS) & (
        _floats(flows, schema.RESP_PKTS) <= PROBE_MAX_PACKETS
    )
    empty = (_floats(flows, schema.ORIG_BYTES) == 0) & (
        _floats(flows, schema.RESP_BYTES) == 0
    )
    return tcp & few & empty


@dataclass(frozen=True)
class ScanResult:
    """What the scan heuristic found in one flow table.

    Attributes
    ----------
    probes, flagged : ndarray of bool
        Probe flows, and probe flows of a detected scanner (both directions).
    episodes : pandas.DataFrame
        One line per scanner and window: ``source``, ``window_start``, ``kind``,
        ``hosts``, ``ports``, ``flows`` flagged, and how many of them are labelled
        ``benign``, ``malicious`` or not at all; most benign-labelled first.
    """

    probes: np.ndarray
    flagged: np.ndarray
    episodes: pd.DataFrame
    window_s: float
    min_ports: int
    min_hosts: int


def _views(flows: pd.DataFrame, probes: np.ndarray, window: np.ndarray) -> pd.DataFrame:
    """Who probed whom on which port: forward, plus responder-first flows reversed."""
    rows = np.flatnonzero(probes & ~np.isnan(window))
    orig_p, resp_p = _floats(flows, schema.ORIG_P), _floats(flows, schema.RESP_P)
    forward = pd.DataFrame(
        {
            "source": flows[schema.ORIG_H].to_numpy()[rows],
            "peer": flows[schema.RESP_H].to_numpy()[rows],
            "port": resp_p[rows],
            "window": window[rows],
        }
    )
    # A reply seen first makes the flow meter swap the ends (spec section 2.2).
    flipped = rows[(orig_p[rows] < SYSTEM_PORTS) & (resp_p[rows] >= SYSTEM_PORTS)]
    backward = pd.DataFrame(
        {
            "source": flows[schema.RESP_H].to_numpy()[flipped],
            "peer": flows[schema.ORIG_H].to_numpy()[flipped],
            "port": orig_p[flipped],
            "window": window[flipped],
        }
    )
    return pd.concat([forward, backward], ignore_index=True).astype({"port": float})


def _episodes(views: pd.DataFrame, min_ports: int, min_hosts: int) -> pd.DataFrame:
    keys = ["source", "window"]
    vertical = views.groupby([*keys, "peer"])["port"].nunique()
    vertical = vertical[vertical >= min_ports].reset_index()[keys].drop_duplicates()
    horizontal = views.groupby([*keys, "port"])["peer"].nunique()
    horizontal = horizontal[horizontal >= min_hosts].reset_index()[keys]
    horizontal = horizontal.drop_duplicates()
    found = vertical.assign(vertical=True).merge(
        horizontal.assign(horizontal=True), on=keys, how="outer"
    )
    found = found.fillna({"vertical": False, "horizontal": False}).astype(
        {"vertical": bool, "horizontal": bool}
    )
    kinds = np.select(
        [found["vertical"] & found["horizontal"], found["vertical"]],
        ["vertical+horizontal", "vertical"],
        "horizontal",
    )
    sizes = views.groupby(keys).agg(
        hosts=("peer", "nunique"), ports=("port", "nunique")
    )
    found = found.assign(kind=kinds).merge(sizes.reset_index(), on=keys)
    return found[[*keys, "kind", "hosts", "ports"]]


def scan_candidates(
    flows: pd.DataFrame,
    *,
    window_s: float = 60.0,
    min_ports: int = 100,
    min_hosts: int = 20,
) -> ScanResult:
    """Find scanners and flag their probe flows.

    Parameters
    ----------
    flows : pandas.DataFrame
        Canonical flow table (time, addresses, ports, packet and payload counts).
    window_s : float, default 60
        Tumbling window length in seconds, aligned on the epoch. On a sample of a
        capture, lengthen it (or lower the thresholds) by the sampling factor.
    min_ports, min_hosts : int, default 100 and 20
        Distinct ports of one host (vertical) or hosts on one port (horizontal).

    Examples
    --------
    >>> n = 150
    >>> t = pd.DataFrame({"ts": np.arange(n) * 0.01, "id.orig_h": "10.0.0.9",
    ...     "id.orig_p": 40000, "id.resp_h": "10.0.0.1", "id.resp_p": np.arange(n),
    ...     "proto": "tcp", "orig_pkts": 1, "resp_pkts": 1, "orig_bytes": 0,
    ...     "resp_bytes": 0})
    >>> result = scan_candidates(t)
    >>> int(result.flagged.sum()), result.episodes["kind"].tolist()
    (150, ['vertical'])
    """
    _check(flows, window_s, min_ports, min_hosts)
    probes = probe_flows(flows)
    window = np.floor(_floats(flows, schema.TS) / window_s)

    views = _views(flows, probes, window)
    episodes = _episodes(views, min_ports, min_hosts)

    flagged = np.zeros(len(flows), dtype=bool)
    counts = []
    for episode in episodes.itertuples(index=False):
        ends = flows[schema.ORIG_H].eq(episode.source) | flows[schema.RESP_H].eq(
            episode.source
        )
        mine = probes & (window == episode.window) & ends.fillna(False).to_numpy(bool)
        flagged |= mine
        counts.append(_label_counts(flows, mine))
    episodes = _finish(episodes, counts, window_s)
    return ScanResult(probes, flagged, episodes, window_s, min_ports, min_hosts)


def _check(
    flows: pd.DataFrame, window_s: float, min_ports: int, min_hosts: int
) -> None:
    missing = [c for c in _REQUIRED if c not in flows.columns]
    if missing:
        message = (
            f"{flows.attrs.get('source', 'flow table')}: the scan heuristic needs "
            f"the fields {missing}; read the file with workbench.io.read_flows."
        )
        raise SchemaError(message)
    if not window_s > 0 or min_ports < 1 or min_hosts < 1:
        message = (
            f"window_s must be positive and min_ports, min_hosts at least 1; got "
            f"{window_s}, {min_ports}, {min_hosts}"
        )
        raise ValueError(message)


def _label_counts(flows: pd.DataFrame, mask: np.ndarray) -> dict[str, int]:
    if schema.LABEL not in flows.columns:
        return {"flows": int(mask.sum()), "unlabelled": int(mask.sum())}
    labels = flows[schema.LABEL].astype("string").to_numpy()[mask]
    benign = int(np.sum(labels == schema.BENIGN))
    malicious = int(np.sum(labels == schema.MALICIOUS))
    unlabelled = int(mask.sum()) - benign - malicious
    return {
        "flows": int(mask.sum()),
        "benign": benign,
        "malicious": malicious,
        "unlabelled": unlabelled,
    }


def _finish(
    episodes: pd.DataFrame, counts: list[dict], window_s: float
) -> pd.DataFrame:
    columns = ["flows", "benign", "malicious", "unlabelled"]
    counts_table = pd.DataFrame(counts, columns=columns).fillna(0).astype("int64")
    out = pd.concat([episodes.reset_index(drop=True), counts_table], axis=1)
    out.insert(1, "window_start", out.pop("window") * window_s)
    return out.sort_values(
        ["benign", "flows", "source"], ascending=[False, False, True], kind="stable"
    ).reset_index(drop=True)


_ADVICE = {
    "probe flows": "single-packet flows leave undefined statistics; keep them",
    "scan flows": "tables/*scan_episodes.csv list each scanner and window",
    "scan flows labelled benign": "check these labels: a scan labelled benign "
    "inflates the measured false-positive rate and hides the scan from recall",
}


def scan_findings(
    flows: pd.DataFrame, result: ScanResult, source: str
) -> list[Finding]:
    """Probe flows, scan flows, and scan flows labelled benign (likely label errors)."""
    benign = result.flagged & _benign(flows)
    settings = (
        f"window {result.window_s:g} s, >= {result.min_ports} ports or "
        f">= {result.min_hosts} hosts"
    )
    checks = [
        ("probe flows", "tcp, <= 2 packets each way, no payload", result.probes),
        ("scan flows", settings, result.flagged),
        ("scan flows labelled benign", "likely label errors", benign),
    ]
    totals = [len(flows), len(flows), int(result.flagged.sum())]
    return [
        Finding(
            source,
            check,
            key,
            int(mask.sum()),
            total,
            concerned(flows, mask),
            ROW,
            _ADVICE[check],
        )
        for (check, key, mask), total in zip(checks, totals, strict=True)
    ]


def _benign(flows: pd.DataFrame) -> np.ndarray:
    if schema.LABEL not in flows.columns:
        return np.zeros(len(flows), dtype=bool)
    return schema.is_benign(flows[schema.LABEL])
