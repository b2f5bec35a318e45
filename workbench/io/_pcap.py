"""Bidirectional flows of a pcap or pcapng file, measured by nfstream.

nfstream is an optional dependency (extra ``pcap``) imported only here, when a capture
is read. Two metering passes give IP-level and payload byte counts. No application
dissection is run, so ``service``, ``conn_state`` and ``history`` stay missing.
"""

from __future__ import annotations

import contextlib
import gzip
import logging
import shutil
import tempfile
from collections.abc import Iterator
from operator import attrgetter
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.errors import InputFormatError
from workbench.io._badlines import HOW_TO_SKIP, BadLines
from workbench.io._capture import CaptureFraming, check_framing
from workbench.io._delimited import Parsed
from workbench.io._protocols import protocol_names
from workbench.io._source import is_gzip
from workbench.schema import (
    DURATION,
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
    UID,
)

logger = logging.getLogger(__name__)

#: nfstream's ``accounting_mode`` values: bytes counted from the IP header, or payload.
IP_LAYER, PAYLOAD = 1, 3
#: Prefix of the ``uid`` made from nfstream's flow id (unique within one capture).
UID_PREFIX = "nf"
#: nfstream attributes kept as extra columns under the same names.
EXTRAS = ("src_mac", "dst_mac", "ip_version", "vlan_id")
_KEY = ("id", "src_ip", "src_port", "dst_ip", "dst_port", "protocol")
_FIELDS = _KEY + (
    "bidirectional_first_seen_ms",
    "bidirectional_duration_ms",
    "src2dst_packets",
    "dst2src_packets",
    "src2dst_bytes",
    "dst2src_bytes",
    *EXTRAS,
)
_MILLISECONDS = 1000.0


def parse_pcap(path: Path, bad: BadLines) -> Parsed:
    """Meter the flows of one capture into canonical columns."""
    with _plain_capture(path) as capture:
        framing = check_framing(capture)
        if framing.truncated_at is not None:
            _report_truncation(path, framing, bad)
        ip_layer = _meter(capture, path, IP_LAYER)
        payload = _meter(capture, path, PAYLOAD)
    logger.info("%s: %d packets, %d flows", path, framing.packets, len(ip_layer))
    if not ip_layer[list(_KEY)].equals(payload[list(_KEY)]):
        message = (
            f"{path}: the two nfstream passes over the capture found different flows; "
            "this should not happen with one meter. Report it with the file."
        )
        raise InputFormatError(message)
    frame = _canonical(ip_layer, payload)
    return Parsed(frame, np.arange(1, len(frame) + 1, dtype=np.int64))


def _report_truncation(path: Path, framing: CaptureFraming, bad: BadLines) -> None:
    reason = (
        f"the capture is cut inside the record starting at byte "
        f"{framing.truncated_at}, after {framing.packets} complete packets"
    )
    if bad.mode == "error":
        # Stop before nfstream quietly meters the complete part.
        message = (
            f"{path}: {reason}. Pass a complete capture, or {HOW_TO_SKIP} to read "
            "the complete packets only."
        )
        raise InputFormatError(message)
    bad.add(np.array([framing.packets + 1]), lambda i: reason)


@contextlib.contextmanager
def _plain_capture(path: Path) -> Iterator[Path]:
    if not is_gzip(path):
        yield path
        return
    # libpcap cannot read gzip: meter a decompressed temporary copy.
    with tempfile.TemporaryDirectory(prefix="workbench-pcap-") as folder:
        plain = Path(folder) / path.name.removesuffix(".gz")
        with gzip.open(path, "rb") as source, plain.open("wb") as target:
            shutil.copyfileobj(source, target)
        yield plain


def _meter(capture: Path, path: Path, accounting_mode: int) -> pd.DataFrame:
    streamer_class = _nfstreamer()
    get = attrgetter(*_FIELDS)
    try:
        streamer = streamer_class(
            source=str(capture),
            statistical_analysis=False,
            n_dissections=0,
            n_meters=1,
            accounting_mode=accounting_mode,
        )
        rows = [get(flow) for flow in streamer]
    except Exception as exc:  # nfstream raises bare ValueError and others
        message = f"{path}: nfstream cannot read the capture ({exc})."
        raise InputFormatError(message) from exc
    return pd.DataFrame(rows, columns=list(_FIELDS))


def _nfstreamer() -> type:
    try:
        from nfstream import NFStreamer
    except ImportError as exc:
        message = (
            "reading pcap files needs nfstream, an optional dependency; install it "
            "with: pip install 'netsec-workbench[pcap]'"
        )
        raise ImportError(message) from exc
    return NFStreamer


def _canonical(ip_layer: pd.DataFrame, payload: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            TS: ip_layer["bidirectional_first_seen_ms"] / _MILLISECONDS,
            UID: UID_PREFIX + ip_layer["id"].astype(str),
            ORIG_H: ip_layer["src_ip"],
            ORIG_P: ip_layer["src_port"],
            RESP_H: ip_layer["dst_ip"],
            RESP_P: ip_layer["dst_port"],
            PROTO: protocol_names(ip_layer["protocol"]),
            DURATION: ip_layer["bidirectional_duration_ms"] / _MILLISECONDS,
            ORIG_BYTES: payload["src2dst_bytes"],
            RESP_BYTES: payload["dst2src_bytes"],
            ORIG_PKTS: ip_layer["src2dst_packets"],
            RESP_PKTS: ip_layer["dst2src_packets"],
            ORIG_IP_BYTES: ip_layer["src2dst_bytes"],
            RESP_IP_BYTES: ip_layer["dst2src_bytes"],
        }
    )
    for name in EXTRAS:
        frame[name] = ip_layer[name]
    return frame
