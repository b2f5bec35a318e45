"""Duplicated and misordered packets of a capture, and a deduplicated copy of it.

A frame is a duplicate when a byte-identical frame was captured at most ``window_s``
earlier (500 microseconds by default, the rule of editcap's duplicate window used on
CIC-IDS2017). Both the full rule and the narrowed CIC-IDS2017 rule are reported. The
module measures and copies; it does not reorder packets or extract flows.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from workbench.audit.capture import capture_format, copy_without, iter_packets
from workbench.audit.frames import NARROWED_EXCLUDED_MACS, decode_frame, frame_class
from workbench.audit.report import Finding

__all__ = [
    "DEFAULT_WINDOW_S",
    "RULES",
    "DuplicateWindow",
    "PcapAudit",
    "audit_pcap",
    "deduplicate_pcap",
]

logger = logging.getLogger(__name__)

#: Duplicate window of the published CIC-IDS2017 fix (editcap -w 0.0005).
DEFAULT_WINDOW_S = 0.0005
#: ``full`` drops every duplicate; ``narrowed`` only broadcast and internal frames
#: from MAC addresses outside the exclusion list (CNS2022_Code pull request #4).
RULES = ("full", "narrowed")
_NS = 1_000_000_000
_ADVICE = {
    "full": "deduplicate before flow extraction (workbench audit --dedup)",
    "narrowed": "record which dedup rule (none, full, narrowed) produced the data",
    "flows": "packet counts, byte counts and gaps of these flows are inflated",
    "order": "reorder (reordercap) before flow extraction",
}


class DuplicateWindow:
    """Streaming duplicate finder over frames seen within the last ``window_ns``.

    Memory holds only the frames of the current window. Each frame is compared with
    the last earlier frame of identical bytes; the absolute time gap counts, so a
    copy written with a slightly earlier time stamp is still found.

    Examples
    --------
    >>> window = DuplicateWindow(500_000)
    >>> window.check(1, 0, b"x"), window.check(2, 100_000, b"x")
    ((None, None), (1, 100000))
    >>> window.check(3, 2_000_000, b"x")
    (None, None)
    """

    def __init__(self, window_ns: int) -> None:
        self.window_ns = int(window_ns)
        self._last: dict[bytes, tuple[int, int]] = {}
        self._order: deque[tuple[int, bytes, int]] = deque()

    def check(self, number: int, ts_ns: int, data: bytes) -> tuple[int | None, ...]:
        """Return ``(number of the original, gap in ns)``, or ``(None, None)``."""
        while self._order and self._order[0][0] < ts_ns - self.window_ns:
            _, key, old = self._order.popleft()
            if self._last.get(key, (0, None))[1] == old:
                del self._last[key]

        previous = self._last.get(data)
        self._last[data] = (ts_ns, number)
        self._order.append((ts_ns, data, number))

        if previous is None or abs(ts_ns - previous[0]) > self.window_ns:
            return None, None
        return previous[1], ts_ns - previous[0]


@dataclass(frozen=True)
class PcapAudit:
    """Per-packet audit table of one capture, and the findings drawn from it.

    Attributes
    ----------
    path : pathlib.Path
    format : str
        ``pcap`` or ``pcapng``.
    window_s : float
        Duplicate window in seconds.
    packets : pandas.DataFrame
        One row per packet: ``packet`` number, ``ts_ns``, ``time``, ``length``, MAC
        and IP addresses, ``proto``, ports, ``payload``, ``flow``, ``frame_class``,
        ``duplicate_of``, ``gap_us``, ``duplicate``, ``narrowed``, ``misordered``
        and ``backward_s``.
    """

    path: Path
    format: str
    window_s: float
    packets: pd.DataFrame

    @property
    def duplicates(self) -> pd.DataFrame:
        """Packets the full rule drops, with the packet each one copies."""
        columns = ["packet", "duplicate_of", "gap_us", "time", "flow", "frame_class"]
        columns += ["src_mac", "length", "narrowed"]
        return self.packets.loc[self.packets["duplicate"], columns]

    @property
    def misordered(self) -> pd.DataFrame:
        """Packets stamped earlier than the packet before them."""
        columns = ["packet", "time", "backward_s", "flow"]
        return self.packets.loc[self.packets["misordered"], columns]

    def per_flow(self) -> pd.DataFrame:
        """Packets and duplicates per flow, most duplicated first."""
        return _counts(self.packets, "flow")

    def per_class(self) -> pd.DataFrame:
        """Packets and duplicates per frame class (broadcast, internal, other)."""
        return _counts(self.packets, "frame_class")

    def dropped(self, rule: str = "full") -> np.ndarray:
        """Numbers of the packets that ``rule`` (one of :data:`RULES`) drops."""
        column = {"full": "duplicate", "narrowed": "narrowed"}.get(rule)
        if column is None:
            raise ValueError(f"rule must be one of {RULES}, got {rule!r}")
        return self.packets.loc[self.packets[column], "packet"].to_numpy()

    def findings(self) -> list[Finding]:
        """Duplicates under both rules, duplicates per flow, misordered packets."""
        source, total = self.path.name, len(self.packets)
        window = f"window {self.window_s * 1e6:g} us"
        narrowed = self.duplicates[self.duplicates["narrowed"]]
        backward = self.misordered
        per_flow = self.per_flow()
        per_flow = per_flow[per_flow["duplicates"] > 0]
        flows = int(self.packets["flow"].nunique())
        checks = [
            ("duplicate packets", f"full rule, {window}", self.duplicates, total),
            ("duplicate packets", f"narrowed rule, {window}", narrowed, total),
            ("duplicated flows (packets)", "flows with duplicates", per_flow, flows),
            ("misordered packets", "earlier than previous packet", backward, total),
        ]
        advice = ["full", "narrowed", "flows", "order"]
        return [
            Finding(source, check, key, len(rows), n, rows, rows.columns[0], _ADVICE[a])
            for (check, key, rows, n), a in zip(checks, advice, strict=True)
        ]


def _counts(packets: pd.DataFrame, by: str) -> pd.DataFrame:
    grouped = packets.groupby(by, sort=False).agg(
        packets=("packet", "size"),
        duplicates=("duplicate", "sum"),
        narrowed=("narrowed", "sum"),
    )
    grouped["share"] = grouped["duplicates"] / grouped["packets"]
    grouped = grouped.reset_index()
    return grouped.sort_values(
        ["duplicates", by], ascending=[False, True], kind="stable"
    )


def audit_pcap(
    path: str | Path, *, window_s: float = DEFAULT_WINDOW_S, progress: bool = True
) -> PcapAudit:
    """Find duplicated and misordered packets in a pcap or pcapng file.

    Parameters
    ----------
    path : str or Path
        The capture.
    window_s : float, default 0.0005
        Two byte-identical frames at most this far apart make the later one a
        duplicate.
    progress : bool, default True
        Show a progress bar over packets.

    Raises
    ------
    InputFormatError
        If the file is not a capture, or is truncated or damaged (the message names
        the packet and byte offset).

    Examples
    --------
    >>> from workbench.datasets import bundled
    >>> audit = audit_pcap(bundled("pcaps", "ndpi", "ssh.pcap"), progress=False)
    >>> len(audit.packets), int(audit.packets["duplicate"].sum())
    (258, 0)
    """
    if not window_s >= 0:
        raise ValueError(f"window_s must be a non-negative number, got {window_s!r}")
    path = Path(path)
    kind = capture_format(path)

    finder = DuplicateWindow(round(window_s * _NS))
    rows = []
    packets = iter_packets(path)
    for packet in tqdm(packets, desc=path.name, unit=" pkt", disable=not progress):
        frame = decode_frame(packet.linktype, packet.data)
        original, gap = finder.check(packet.number, packet.ts_ns, packet.data)
        rows.append(
            (
                packet.number,
                packet.ts_ns,
                len(packet.data),
                frame.src_mac,
                frame.dst_mac,
                frame.src,
                frame.dst,
                frame.proto,
                frame.sport,
                frame.dport,
                frame.payload,
                frame.flow,
                frame_class(frame),
                original,
                gap,
            )
        )

    table = _packet_table(rows)
    logger.info(
        "%s: %d packets, %d duplicates, %d misordered",
        path,
        len(table),
        table["duplicate"].sum(),
        table["misordered"].sum(),
    )
    return PcapAudit(path, kind, float(window_s), table)


_COLUMNS = (
    "packet",
    "ts_ns",
    "length",
    "src_mac",
    "dst_mac",
    "src",
    "dst",
    "proto",
    "sport",
    "dport",
    "payload",
    "flow",
    "frame_class",
    "duplicate_of",
    "gap_ns",
)
_INTEGER = ("sport", "dport", "payload", "duplicate_of")


def _packet_table(rows: list[tuple]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=list(_COLUMNS))
    table["ts_ns"] = table["ts_ns"].astype("int64")
    for column in _INTEGER:
        table[column] = table[column].astype("Int64")
    for column in ("src_mac", "dst_mac", "src", "dst", "proto"):
        table[column] = table[column].astype("string")
    table["time"] = table["ts_ns"] / _NS
    table["gap_us"] = table.pop("gap_ns").astype("float64") / 1_000
    table["duplicate"] = table["duplicate_of"].notna().to_numpy(dtype=bool)
    excluded = table["src_mac"].isin(NARROWED_EXCLUDED_MACS).fillna(False)
    eligible = table["frame_class"].isin(("broadcast", "internal")) & ~excluded
    table["narrowed"] = table["duplicate"] & eligible.to_numpy(dtype=bool)
    step = np.diff(table["ts_ns"].to_numpy(), prepend=table["ts_ns"].iloc[:1])
    table["misordered"] = step < 0
    table["backward_s"] = np.where(step < 0, -step / _NS, 0.0)
    return table


def deduplicate_pcap(
    source: str | Path,
    target: str | Path,
    *,
    window_s: float = DEFAULT_WINDOW_S,
    rule: str = "full",
    audit: PcapAudit | None = None,
    progress: bool = True,
) -> int:
    """Write ``source`` without its duplicated packets; return how many were dropped.

    The copy keeps the format and every other record byte for byte. Pass ``audit``
    (from :func:`audit_pcap` with the same window) to skip reading the file twice.

    Examples
    --------
    >>> import tempfile
    >>> from workbench.datasets import bundled
    >>> out = Path(tempfile.mkdtemp()) / "ssh-dedup.pcap"
    >>> deduplicate_pcap(bundled("pcaps", "ndpi", "ssh.pcap"), out, progress=False)
    0
    """
    if Path(source).resolve() == Path(target).resolve():
        message = f"{target}: the deduplicated copy must not overwrite its source."
        raise ValueError(message)
    if audit is None:
        audit = audit_pcap(source, window_s=window_s, progress=progress)
    drop = audit.dropped(rule)
    copy_without(source, target, drop)
    logger.info(
        "%s: wrote %s without %d packets (%s rule)", source, target, len(drop), rule
    )
    return len(drop)
