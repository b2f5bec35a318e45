"""Frames, captures and flow tables built by the audit tests, with known answers.

Frames are assembled byte by byte here (Ethernet, IPv4, UDP or TCP), independently of
the decoder under test; a small pcapng writer covers the format the package only reads.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workbench.audit.capture import write_pcap

EXCLUDED_MAC = "24:6e:96:4a:37:7a"
START_NS = 1_499_083_689_000_000_000
SPACING_NS = 10_000_000


def _mac(text: str) -> bytes:
    return bytes.fromhex(text.replace(":", ""))


def _ip(text: str) -> bytes:
    return bytes(int(part) for part in text.split("."))


def frame(
    *,
    src_ip: str = "192.168.10.5",
    dst_ip: str = "192.168.10.3",
    sport: int = 50000,
    dport: int = 53,
    payload: bytes = b"",
    proto: str = "udp",
    src_mac: str = "02:00:00:00:00:01",
    dst_mac: str = "02:00:00:00:00:02",
    tcp_flags: int = 0x02,
    padding: int = 0,
) -> bytes:
    """An Ethernet/IPv4 frame carrying UDP or TCP; ``padding`` zero bytes at the end."""
    if proto == "udp":
        transport = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
        number = 17
    else:
        transport = struct.pack(
            "!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, tcp_flags, 1024, 0, 0
        )
        number = 6
    body = transport + payload
    ip = struct.pack("!BBHHHBBH", 0x45, 0, 20 + len(body), 1, 0, 64, number, 0)
    ip += _ip(src_ip) + _ip(dst_ip)
    ethernet = _mac(dst_mac) + _mac(src_mac) + b"\x08\x00"
    return ethernet + ip + body + bytes(padding)


@dataclass
class PlantedCapture:
    """A capture with planted duplicates and one misordered packet, and the answers."""

    frames: list[tuple[int, bytes]]
    duplicates: set[int]
    narrowed: set[int]
    misordered: set[int]
    originals: list[bytes]


def planted_capture(seed: int = 0) -> PlantedCapture:
    """100 distinct frames 10 ms apart; 10 copies 100 us later, 2 copies 2 ms later.

    One of the 10 close copies comes from a MAC address the narrowed rule exempts,
    and two neighbouring frames without copies swap their time stamps.
    """
    rng = np.random.default_rng(seed)
    n = 100
    chosen = rng.choice(np.arange(2, n - 3), size=12, replace=False)
    close, late = set(chosen[:10].tolist()), set(chosen[10:].tolist())
    exempt = int(chosen[0])
    free = [i for i in range(1, n - 2) if not {i - 1, i, i + 1, i + 2} & set(chosen)]
    swap = int(rng.choice(free))

    originals = []
    for i in range(n):
        mac = EXCLUDED_MAC if i == exempt else "02:00:00:00:00:01"
        originals.append(frame(sport=40000 + i, payload=bytes([i]) * 8, src_mac=mac))
    events = []
    for i, data in enumerate(originals):
        ts = START_NS + i * SPACING_NS
        ts = {swap: ts + SPACING_NS, swap + 1: ts - SPACING_NS}.get(i, ts)
        events.append((ts, i * 10, data, "original"))
        if i in close:
            events.append((ts + 100_000, i * 10 + 1, data, "close"))
        if i in late:
            events.append((ts + 2_000_000, i * 10 + 2, data, "late"))
    events.sort(key=lambda e: e[1])
    numbers = {event[1]: k + 1 for k, event in enumerate(events)}
    duplicates = {numbers[e[1]] for e in events if e[3] == "close"}
    return PlantedCapture(
        frames=[(e[0], e[2]) for e in events],
        duplicates=duplicates,
        narrowed=duplicates - {numbers[exempt * 10 + 1]},
        misordered={numbers[(swap + 1) * 10]},
        originals=originals,
    )


def write_planted(path: Path, seed: int = 0) -> PlantedCapture:
    """Write :func:`planted_capture` as a classic pcap at ``path``."""
    planted = planted_capture(seed)
    write_pcap(path, planted.frames)
    return planted


def write_pcapng(
    path: Path, frames: list[tuple[int, bytes]], *, tsresol: int = 9
) -> None:
    """A minimal little-endian pcapng: section header, one Ethernet interface, EPBs."""
    section = struct.pack("<IIIHHq", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1)
    section += struct.pack("<I", 28)
    option = struct.pack("<HHB3x", 9, 1, tsresol) + struct.pack("<HH", 0, 0)
    interface = struct.pack("<HHI", 1, 0, 262144) + option
    blocks = [section, _block(1, interface)]
    per_second = 10**tsresol
    for ts_ns, data in frames:
        ticks = ts_ns * per_second // 1_000_000_000
        body = (
            struct.pack(
                "<IIIII", 0, ticks >> 32, ticks & 0xFFFFFFFF, len(data), len(data)
            )
            + data
            + bytes(-len(data) % 4)
        )
        blocks.append(_block(6, body))
    path.write_bytes(b"".join(blocks))


def _block(kind: int, body: bytes) -> bytes:
    length = 12 + len(body)
    return struct.pack("<II", kind, length) + body + struct.pack("<I", length)
