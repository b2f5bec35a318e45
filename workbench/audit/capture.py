"""Packets of a pcap or pcapng file, read one record at a time, and filtered copies.

Records come out in file order with their capture time in integer nanoseconds, their
link type and the byte offset of the record, so that an error or a finding can name
the packet. Nothing here decodes protocol headers (see ``workbench.audit.frames``) or
keeps the whole file in memory; gzip-compressed and damaged files are refused, not
repaired.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workbench.errors import InputFormatError

__all__ = [
    "Packet",
    "is_capture",
    "capture_format",
    "iter_packets",
    "write_pcap",
    "copy_without",
]

#: Classic pcap magic numbers: byte order and nanoseconds per time unit.
_PCAP_MAGICS = {
    b"\xd4\xc3\xb2\xa1": ("<", 1_000),
    b"\xa1\xb2\xc3\xd4": (">", 1_000),
    b"\x4d\x3c\xb2\xa1": ("<", 1),
    b"\xa1\xb2\x3c\x4d": (">", 1),
}
_PCAPNG_MAGIC = b"\x0a\x0d\x0d\x0a"
_GZIP_MAGIC = b"\x1f\x8b"
#: pcapng blocks: section header, interface description, packet blocks.
_SHB, _IDB, _OPB, _SPB, _EPB = 0x0A0D0D0A, 1, 2, 3, 6
_BOM = 0x1A2B3C4D
#: Larger captured lengths mean a damaged record (Wireshark's own limit is 256 KiB).
_MAX_CAPLEN = 262_144
#: Larger pcapng blocks mean a damaged length field.
_MAX_BLOCK = 64 * 1024 * 1024
_REPAIR = "the file is damaged or was cut short; repair it with pcapfix, or re-capture"


@dataclass(frozen=True)
class Packet:
    """One captured frame.

    Attributes
    ----------
    number : int
        Position in the file, from 1 (as Wireshark numbers packets).
    ts_ns : int
        Capture time in nanoseconds since the epoch.
    linktype : int
        Link-layer type of the interface (1 = Ethernet).
    data : bytes
        Captured bytes of the frame.
    orig_len : int
        Length of the frame on the wire.
    offset : int
        Byte offset of the packet record in the file.
    """

    number: int
    ts_ns: int
    linktype: int
    data: bytes
    orig_len: int
    offset: int


@dataclass(frozen=True)
class _Block:
    raw: bytes
    packet: Packet | None


def is_capture(path: str | Path) -> bool:
    """Whether ``path`` is a file that starts like a pcap or pcapng capture.

    Examples
    --------
    >>> from workbench.datasets import bundled
    >>> is_capture(bundled("pcaps", "ndpi", "ssh.pcap")), is_capture(bundled("zeek"))
    (True, False)
    """
    path = Path(path)
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        head = handle.read(4)
    return head in _PCAP_MAGICS or head == _PCAPNG_MAGIC


def capture_format(path: str | Path) -> str:
    """Return ``"pcap"`` or ``"pcapng"`` from the magic number of ``path``.

    Raises
    ------
    InputFormatError
        If the file is empty, compressed, or neither pcap nor pcapng.

    Examples
    --------
    >>> from workbench.datasets import bundled
    >>> capture_format(bundled("pcaps", "ndpi", "synscan.pcap"))
    'pcap'
    """
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(4)
    if head in _PCAP_MAGICS:
        return "pcap"
    if head == _PCAPNG_MAGIC:
        return "pcapng"
    if not head:
        message = f"{path} is empty; pass a pcap or pcapng capture."
    elif head[:2] == _GZIP_MAGIC:
        message = f"{path} is gzip-compressed; decompress it (gunzip) and retry."
    else:
        message = (
            f"{path} is neither pcap nor pcapng: it starts with {head!r}. Pass a "
            "capture written by tcpdump, dumpcap or Wireshark."
        )
    raise InputFormatError(message)


def iter_packets(path: str | Path) -> Iterator[Packet]:
    """Yield the packets of a pcap or pcapng file in file order.

    Raises
    ------
    InputFormatError
        On a truncated or damaged record; the message names the packet and its offset.

    Examples
    --------
    >>> from workbench.datasets import bundled
    >>> packets = list(iter_packets(bundled("pcaps", "ndpi", "ssh.pcap")))
    >>> packets[0].number, packets[0].linktype
    (1, 1)
    """
    for block in _iter_blocks(Path(path)):
        if block.packet is not None:
            yield block.packet


def _iter_blocks(path: Path) -> Iterator[_Block]:
    kind = capture_format(path)
    with path.open("rb") as handle:
        if kind == "pcap":
            yield from _pcap_blocks(path, handle)
        else:
            yield from _pcapng_blocks(path, handle)


def _read_exact(
    handle, size: int, path: Path, what: str, offset: int, start: bytes = b""
) -> bytes:
    data = start + handle.read(size - len(start))
    if len(data) < size:
        message = (
            f"{path}: {what} at byte {offset} is truncated: {size} bytes expected, "
            f"{len(data)} found; {_REPAIR}."
        )
        raise InputFormatError(message)
    return data


def _pcap_blocks(path: Path, handle) -> Iterator[_Block]:
    header = _read_exact(handle, 24, path, "the pcap file header", 0)
    order, unit_ns = _PCAP_MAGICS[header[:4]]
    snaplen, linktype = struct.unpack_from(order + "II", header, 16)
    yield _Block(header, None)
    limit = max(snaplen, _MAX_CAPLEN)
    offset, number = 24, 0
    while record := handle.read(16):
        number += 1
        what = f"packet {number}"
        record = _read_exact(handle, 16, path, f"the header of {what}", offset, record)
        seconds, fraction, caplen, orig_len = struct.unpack(order + "IIII", record)
        if caplen > limit:
            message = (
                f"{path}: {what} at byte {offset} claims {caplen} captured bytes, more "
                f"than the snapshot length {snaplen}; {_REPAIR}."
            )
            raise InputFormatError(message)
        data = _read_exact(handle, caplen, path, what, offset)
        ts_ns = seconds * 1_000_000_000 + fraction * unit_ns
        packet = Packet(number, ts_ns, linktype & 0x0FFFFFFF, data, orig_len, offset)
        yield _Block(record + data, packet)
        offset += 16 + caplen


@dataclass
class _Interface:
    linktype: int
    snaplen: int
    tsresol: int = 6
    tsoffset_s: int = 0

    def ts_ns(self, ticks: int) -> int:
        # The top bit of if_tsresol selects powers of two instead of ten.
        if self.tsresol & 0x80:
            nanos = (ticks * 1_000_000_000) >> (self.tsresol & 0x7F)
        elif self.tsresol <= 9:
            nanos = ticks * 10 ** (9 - self.tsresol)
        else:
            nanos = ticks // 10 ** (self.tsresol - 9)
        return nanos + self.tsoffset_s * 1_000_000_000


def _pcapng_blocks(path: Path, handle) -> Iterator[_Block]:
    order, interfaces = "<", []
    offset, number = 0, 0
    while head := handle.read(8):
        where = f"the pcapng block at byte {offset}"
        head = _read_exact(handle, 8, path, where, offset, head)
        if head[:4] == _PCAPNG_MAGIC:
            bom = _read_exact(handle, 4, path, where, offset)
            order = "<" if struct.unpack("<I", bom)[0] == _BOM else ">"
            head, interfaces = head + bom, []
        block_type, length = struct.unpack_from(order + "II", head)
        if length < 12 or length % 4 or length > _MAX_BLOCK:
            message = f"{path}: {where} declares a length of {length} bytes; {_REPAIR}."
            raise InputFormatError(message)
        raw = head + _read_exact(handle, length - len(head), path, where, offset)
        if raw[-4:] != raw[4:8]:
            message = f"{path}: {where} ends with a different length; {_REPAIR}."
            raise InputFormatError(message)
        packet = None
        if block_type == _IDB:
            interfaces.append(_interface(raw, order))
        elif block_type in (_EPB, _OPB, _SPB):
            number += 1
            packet = _packet(raw, order, interfaces, number, offset, path)
        yield _Block(raw, packet)
        offset += length


def _interface(raw: bytes, order: str) -> _Interface:
    linktype, _, snaplen = struct.unpack_from(order + "HHI", raw, 8)
    interface = _Interface(linktype, snaplen)
    position = 16
    while position + 4 <= len(raw) - 4:
        code, size = struct.unpack_from(order + "HH", raw, position)
        value = raw[position + 4 : position + 4 + size]
        if code == 0:
            break
        if code == 9 and size == 1:
            interface.tsresol = value[0]
        elif code == 14 and size == 8:
            interface.tsoffset_s = struct.unpack(order + "q", value)[0]
        position += 4 + size + (-size % 4)
    return interface


def _packet(
    raw: bytes, order: str, interfaces: list[_Interface], number: int, offset: int, path
) -> Packet:
    block_type = struct.unpack_from(order + "I", raw)[0]
    if block_type == _SPB:
        message = (
            f"{path}: packet {number} at byte {offset} is a simple packet block, which "
            "has no time stamp; the audit needs one. Convert the file with "
            "`editcap -F pcapng` from a capture with time stamps."
        )
        raise InputFormatError(message)
    if block_type == _EPB:
        iface, high, low, caplen, orig_len = struct.unpack_from(order + "IIIII", raw, 8)
    else:
        iface, _, high, low, caplen, orig_len = struct.unpack_from(
            order + "HHIIII", raw, 8
        )
    if iface >= len(interfaces) or 28 + caplen > len(raw) - 4:
        message = (
            f"{path}: packet {number} at byte {offset} names interface {iface} or "
            f"holds {caplen} bytes that its block cannot contain; {_REPAIR}."
        )
        raise InputFormatError(message)
    interface = interfaces[iface]
    ts_ns = interface.ts_ns((high << 32) | low)
    data = raw[28 : 28 + caplen]
    return Packet(number, ts_ns, interface.linktype, data, orig_len, offset)


def write_pcap(
    path: str | Path,
    frames: Iterable[tuple[int, bytes]],
    *,
    linktype: int = 1,
    nanosecond: bool = False,
) -> int:
    """Write ``(ts_ns, frame bytes)`` pairs as a classic pcap file; return the count.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "two.pcap"
    >>> write_pcap(out, [(1_000_000_000, b"ab"), (1_000_500_000, b"ab")])
    2
    >>> [p.ts_ns for p in iter_packets(out)]
    [1000000000, 1000500000]
    """
    magic = b"\x4d\x3c\xb2\xa1" if nanosecond else b"\xd4\xc3\xb2\xa1"
    unit = 1 if nanosecond else 1_000
    count = 0
    with Path(path).open("wb") as handle:
        handle.write(magic + struct.pack("<HHiII", 2, 4, 0, 0, _MAX_CAPLEN))
        handle.write(struct.pack("<I", linktype))
        for ts_ns, data in frames:
            seconds, rest = divmod(int(ts_ns), 1_000_000_000)
            header = struct.pack("<IIII", seconds, rest // unit, len(data), len(data))
            handle.write(header + data)
            count += 1
    return count


def copy_without(source: str | Path, target: str | Path, drop: np.ndarray) -> int:
    """Copy a capture record by record, leaving out the packets numbered in ``drop``.

    Headers, interface blocks and the kept records are copied byte for byte, so the
    copy keeps the format, time resolution and comments of ``source``. Returns the
    number of packets written.
    """
    dropped = {int(n) for n in np.asarray(drop).ravel()}
    kept = 0
    with Path(target).open("wb") as handle:
        for block in _iter_blocks(Path(source)):
            if block.packet is not None and block.packet.number in dropped:
                continue
            handle.write(block.raw)
            kept += block.packet is not None
    return kept
