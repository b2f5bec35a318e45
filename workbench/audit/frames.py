"""Header fields of captured frames: addresses, protocol, ports and payload size.

Decodes Ethernet (with VLAN tags), Linux cooked captures, BSD loopback and raw IP,
then IPv4 or IPv6 and TCP or UDP, far enough to name a packet's flow and to tell a
probe from a packet that carries data. It does not reassemble fragments or streams,
does not check checksums and does not look at application payloads.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass

__all__ = [
    "Frame",
    "decode_frame",
    "BROADCAST_MAC",
    "NARROWED_EXCLUDED_MACS",
    "frame_class",
]

BROADCAST_MAC = "ff:ff:ff:ff:ff:ff"
#: Source MAC addresses whose frames the narrowed rule never drops (PR #4).
NARROWED_EXCLUDED_MACS: frozenset[str] = frozenset(
    {
        "00:c1:b1:14:eb:31",
        "01:00:0c:cc:cc:cc",
        "01:00:5e:00:00:16",
        "24:6e:96:4a:37:7a",
        "01:80:c2:00:00:0e",
    }
)

_PROTOCOLS = {1: "icmp", 6: "tcp", 17: "udp", 58: "icmp", 132: "sctp"}
_ETHERTYPES = {0x0800: "ipv4", 0x86DD: "ipv6", 0x0806: "arp"}
_VLAN_TAGS = (0x8100, 0x88A8, 0x9100)
_IPV6_EXTENSIONS = (0, 43, 60)
_IPV6_FRAGMENT = 44
_LINKTYPE_NULL, _LINKTYPE_ETHERNET, _LINKTYPE_RAW = 0, 1, 101
_LINKTYPE_SLL, _LINKTYPE_SLL2, _LINKTYPE_IPV4, _LINKTYPE_IPV6 = 113, 276, 228, 229


@dataclass(frozen=True)
class Frame:
    """What the audit needs from one frame; ``None`` where the frame has no such field.

    ``proto`` is the transport protocol name (``tcp``, ``udp``, ``icmp``) for IP
    frames and the link-layer protocol (``arp``, ``ethertype 0x88cc``) otherwise.
    ``payload`` counts the transport payload bytes as declared by the IP and UDP
    length fields (so Ethernet padding is not payload); for other IP protocols it is
    the IP payload.
    """

    src_mac: str | None = None
    dst_mac: str | None = None
    proto: str | None = None
    src: str | None = None
    dst: str | None = None
    sport: int | None = None
    dport: int | None = None
    payload: int | None = None
    tcp_flags: int | None = None

    @property
    def flow(self) -> str:
        """Direction-free flow name: protocol and the two sorted endpoints."""
        if self.src is None or self.dst is None:
            return self.proto or "unknown link layer"
        ends = sorted(
            [_endpoint(self.src, self.sport), _endpoint(self.dst, self.dport)]
        )
        return f"{self.proto} {ends[0]} <> {ends[1]}"


def _endpoint(address: str, port: int | None) -> str:
    if port is None:
        return address
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def decode_frame(linktype: int, data: bytes) -> Frame:
    """Decode the link, network and transport headers of one captured frame.

    Truncated or unknown headers end the decoding: fields not reached stay ``None``.

    Examples
    --------
    >>> eth = bytes.fromhex("ffffffffffff" "020000000001" "0806") + bytes(28)
    >>> decode_frame(1, eth).proto, decode_frame(1, eth).dst_mac
    ('arp', 'ff:ff:ff:ff:ff:ff')
    """
    try:
        return _decode_link(linktype, data)
    except (struct.error, IndexError, ValueError, OSError):
        return Frame()


def _decode_link(linktype: int, data: bytes) -> Frame:
    if linktype == _LINKTYPE_ETHERNET:
        src_mac, dst_mac = _mac(data[6:12]), _mac(data[0:6])
        ethertype, offset = struct.unpack_from("!H", data, 12)[0], 14
        while ethertype in _VLAN_TAGS:
            ethertype, offset = (
                struct.unpack_from("!H", data, offset + 2)[0],
                offset + 4,
            )
        return _decode_network(ethertype, data[offset:], src_mac, dst_mac)
    if linktype == _LINKTYPE_SLL:
        return _decode_network(struct.unpack_from("!H", data, 14)[0], data[16:])
    if linktype == _LINKTYPE_SLL2:
        return _decode_network(struct.unpack_from("!H", data, 0)[0], data[20:])
    if linktype == _LINKTYPE_NULL:
        family = struct.unpack_from("=I", data, 0)[0]
        return _decode_network(0x0800 if family == 2 else 0x86DD, data[4:])
    if linktype in (_LINKTYPE_RAW, _LINKTYPE_IPV4, _LINKTYPE_IPV6):
        version = data[0] >> 4
        return _decode_network(0x0800 if version == 4 else 0x86DD, data)
    return Frame()


def _decode_network(
    ethertype: int, data: bytes, src_mac: str | None = None, dst_mac: str | None = None
) -> Frame:
    macs = {"src_mac": src_mac, "dst_mac": dst_mac}
    try:
        if ethertype == 0x0800:
            return _decode_ipv4(data, macs)
        if ethertype == 0x86DD:
            return _decode_ipv6(data, macs)
    except (struct.error, IndexError, ValueError, OSError):
        # A header cut short: keep the link-layer fields already read.
        return Frame(**macs)
    name = _ETHERTYPES.get(ethertype)
    if name is None:
        # Values below 0x0600 are IEEE 802.3 lengths, not types.
        name = "llc" if ethertype < 0x0600 else f"ethertype 0x{ethertype:04x}"
    return Frame(proto=name, **macs)


def _decode_ipv4(data: bytes, macs: dict) -> Frame:
    header = (data[0] & 0x0F) * 4
    total, fragment = struct.unpack_from("!H2xH", data, 2)
    number = data[9]
    src, dst = _ipv4(data[12:16]), _ipv4(data[16:20])
    ip = {"src": src, "dst": dst, "proto": _PROTOCOLS.get(number, str(number)), **macs}
    if fragment & 0x1FFF:
        # A later fragment carries no transport header.
        return Frame(payload=total - header, **ip)
    return _decode_transport(number, data[header:], total - header, ip)


def _decode_ipv6(data: bytes, macs: dict) -> Frame:
    length, number = struct.unpack_from("!HB", data, 4)
    src, dst = _ipv6(data[8:24]), _ipv6(data[24:40])
    offset = 40
    while number in _IPV6_EXTENSIONS or number == _IPV6_FRAGMENT:
        size = 8 if number == _IPV6_FRAGMENT else (data[offset + 1] + 1) * 8
        number, offset, length = data[offset], offset + size, length - size
    ip = {"src": src, "dst": dst, "proto": _PROTOCOLS.get(number, str(number)), **macs}
    return _decode_transport(number, data[offset:], length, ip)


def _decode_transport(number: int, data: bytes, length: int, ip: dict) -> Frame:
    if number == 6 and len(data) >= 14:
        sport, dport = struct.unpack_from("!HH", data, 0)
        header = (data[12] >> 4) * 4
        flags = data[13]
        payload = max(length - header, 0)
        return Frame(sport=sport, dport=dport, payload=payload, tcp_flags=flags, **ip)
    if number == 17 and len(data) >= 8:
        sport, dport, udp_length = struct.unpack_from("!HHH", data, 0)
        return Frame(sport=sport, dport=dport, payload=max(udp_length - 8, 0), **ip)
    return Frame(payload=max(length, 0), **ip)


def _mac(raw: bytes) -> str:
    if len(raw) != 6:
        raise ValueError("short MAC address")
    return ":".join(f"{byte:02x}" for byte in raw)


def _ipv4(raw: bytes) -> str:
    return socket.inet_ntop(socket.AF_INET, raw)


def _ipv6(raw: bytes) -> str:
    return socket.inet_ntop(socket.AF_INET6, raw)


def frame_class(frame: Frame) -> str:
    """``broadcast``, ``internal`` or ``other``, the classes of the narrowed dedup rule.

    ``internal`` means IPv4 with both addresses in 192.168.0.0/16 or 224.0.0.0/4, as
    in the narrowed CIC-IDS2017 rule (CNS2022_Code pull request #4).

    Examples
    --------
    >>> frame_class(Frame(src="192.168.10.5", dst="224.0.0.251"))
    'internal'
    >>> frame_class(Frame(src="192.168.10.5", dst="8.8.8.8"))
    'other'
    """
    if frame.dst_mac == BROADCAST_MAC:
        return "broadcast"
    if frame.src is not None and frame.dst is not None:
        if _internal(frame.src) and _internal(frame.dst):
            return "internal"
    return "other"


def _internal(address: str) -> bool:
    parts = address.split(".")
    if len(parts) != 4:
        return False
    first, second = int(parts[0]), int(parts[1])
    return (first == 192 and second == 168) or 224 <= first <= 239
