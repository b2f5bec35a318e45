"""Header decoding: addresses, ports, payload sizes and frame classes."""

from __future__ import annotations

import struct

from tests.audit.audit_helpers import frame
from workbench.audit.frames import Frame, decode_frame, frame_class


def test_decode_frame_tcp_payload_excludes_headers_and_padding():
    """TCP payload comes from the IP length, so Ethernet padding is not payload."""
    data = frame(proto="tcp", sport=1234, dport=80, payload=b"GET /", padding=9)

    decoded = decode_frame(1, data)

    assert (decoded.proto, decoded.sport, decoded.dport) == ("tcp", 1234, 80)
    assert decoded.payload == 5
    assert decoded.tcp_flags == 0x02


def test_decode_frame_reads_vlan_tags():
    """A VLAN-tagged frame is decoded past its tag."""
    plain = frame(payload=b"abc")
    tagged = plain[:12] + b"\x81\x00\x00\x0a" + plain[12:]

    decoded = decode_frame(1, tagged)

    assert (decoded.src, decoded.dst, decoded.payload) == (
        "192.168.10.5",
        "192.168.10.3",
        3,
    )


def test_decode_frame_raw_ipv6_udp():
    """Raw IPv6 (link type 101) with UDP is decoded."""
    udp = struct.pack("!HHHH", 5353, 5353, 12, 0) + b"abcd"
    ip = struct.pack("!IHBB", 6 << 28, len(udp), 17, 1) + bytes(15) + b"\x01"
    ip += bytes(15) + b"\x02"

    decoded = decode_frame(101, ip + udp)

    assert (decoded.src, decoded.dst, decoded.proto) == ("::1", "::2", "udp")
    assert decoded.flow == "udp [::1]:5353 <> [::2]:5353"


def test_decode_frame_truncated_keeps_what_it_reached():
    """A frame cut inside the IP header keeps its MAC addresses only."""
    decoded = decode_frame(1, frame()[:20])

    assert decoded.src_mac == "02:00:00:00:00:01"
    assert decoded.src is None


def test_frame_class_follows_the_narrowed_rule():
    """Broadcast, internal (192.168/16 or 224/4 both ends) and other frames."""
    frames = [
        Frame(dst_mac="ff:ff:ff:ff:ff:ff", src="10.0.0.1", dst="10.0.0.255"),
        Frame(src="192.168.10.5", dst="239.255.255.250"),
        Frame(src="192.168.10.5", dst="172.16.0.1"),
    ]

    classes = [frame_class(f) for f in frames]

    assert classes == ["broadcast", "internal", "other"]
