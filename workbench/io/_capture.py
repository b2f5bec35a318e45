"""Check the framing of a pcap or pcapng file before a flow meter reads it.

libpcap (under nfstream) stops quietly at a record cut short, so a truncated capture
would give fewer flows without a word. Walking the record headers is cheap (no packet
is decoded) and tells exactly where the file breaks. Packet contents are not checked.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import InputFormatError

#: Classic pcap magic numbers (micro- and nanosecond) and their byte order.
PCAP_MAGICS = {
    b"\xd4\xc3\xb2\xa1": "<",
    b"\xa1\xb2\xc3\xd4": ">",
    b"\x4d\x3c\xb2\xa1": "<",
    b"\xa1\xb2\x3c\x4d": ">",
}
#: Block type of a pcapng Section Header Block (also the file's first bytes).
PCAPNG_MAGIC = b"\x0a\x0d\x0d\x0a"
_BYTE_ORDER = {b"\x4d\x3c\x2b\x1a": "<", b"\x1a\x2b\x3c\x4d": ">"}
_PCAPNG_PACKET_BLOCKS = (2, 3, 6)
_PCAP_HEADER, _RECORD_HEADER = 24, 16
#: No link layer sends more in one frame; a larger length means a broken record.
_MAX_RECORD = 1 << 26


@dataclass(frozen=True)
class CaptureFraming:
    """What the walk over the records found.

    ``truncated_at`` is the byte offset of a last record that runs past the end of
    the file (``None`` when the file ends cleanly); ``packets`` counts the complete
    packet records before it.
    """

    packets: int
    truncated_at: int | None


def is_capture(head: bytes) -> bool:
    """Whether ``head`` starts like a pcap or pcapng file."""
    return head[:4] in PCAP_MAGICS or head[:4] == PCAPNG_MAGIC


def check_framing(path: Path) -> CaptureFraming:
    """Walk the record headers of the capture at ``path``.

    Raises
    ------
    InputFormatError
        If the file is not a capture, its header is cut, or a record length is
        impossible (a damaged file rather than a cut one).
    """
    with path.open("rb") as handle:
        size = path.stat().st_size
        if size < 4:
            raise _error(path, f"holds only {size} bytes, less than a capture header")
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            magic = bytes(data[:4])
            if magic in PCAP_MAGICS:
                return _walk_pcap(path, data, PCAP_MAGICS[magic])
            if magic == PCAPNG_MAGIC:
                return _walk_pcapng(path, data)
    raise _error(path, f"starts with {magic!r}, which is neither pcap nor pcapng")


def _walk_pcap(path: Path, data: mmap.mmap, order: str) -> CaptureFraming:
    size = len(data)
    if size < _PCAP_HEADER:
        raise _error(path, "is cut inside the 24-byte pcap file header")
    length = struct.Struct(order + "I")
    offset, packets = _PCAP_HEADER, 0
    while offset < size:
        if size - offset < _RECORD_HEADER:
            return CaptureFraming(packets, offset)
        captured = length.unpack_from(data, offset + 8)[0]
        if captured > _MAX_RECORD:
            raise _broken(
                path, f"packet record {packets + 1} at byte {offset}", captured
            )
        if offset + _RECORD_HEADER + captured > size:
            return CaptureFraming(packets, offset)
        offset += _RECORD_HEADER + captured
        packets += 1
    return CaptureFraming(packets, None)


def _walk_pcapng(path: Path, data: mmap.mmap) -> CaptureFraming:
    size, offset, packets, order = len(data), 0, 0, "<"
    while offset < size:
        if size - offset < 12:
            return CaptureFraming(packets, offset)
        if bytes(data[offset : offset + 4]) == PCAPNG_MAGIC:
            order = _BYTE_ORDER.get(bytes(data[offset + 8 : offset + 12]), "")
            if not order:
                what = (
                    f"has a section header at byte {offset} without a byte-order mark"
                )
                raise _error(path, what)
        block_type, length = struct.unpack_from(order + "II", data, offset)
        if length < 12 or length % 4 or length > _MAX_RECORD:
            raise _broken(path, f"the block at byte {offset}", length)
        if offset + length > size:
            return CaptureFraming(packets, offset)
        if struct.unpack_from(order + "I", data, offset + length - 4)[0] != length:
            raise _broken(path, f"the block at byte {offset}", length)
        packets += block_type in _PCAPNG_PACKET_BLOCKS
        offset += length
    return CaptureFraming(packets, None)


def _error(path: Path, what: str) -> InputFormatError:
    return InputFormatError(f"{path} {what}; pass an intact pcap or pcapng file.")


def _broken(path: Path, where: str, length: int) -> InputFormatError:
    message = (
        f"{path}: {where} declares an impossible length of {length} bytes; the "
        "capture is damaged. Repair it (for example with pcapfix) or cut it before "
        "that byte."
    )
    return InputFormatError(message)
