"""Reading and writing captures: pcap, pcapng, truncated and damaged files."""

from __future__ import annotations

import gzip

import pytest

from tests.audit.audit_helpers import frame, write_pcapng, write_planted
from workbench.audit.capture import (
    capture_format,
    copy_without,
    is_capture,
    iter_packets,
    write_pcap,
)
from workbench.datasets import bundled
from workbench.errors import InputFormatError

MONDAY = ("pcaps", "cicids2017-monday", "host-192.168.10.5.pcap")


def test_write_pcap_round_trip_keeps_times_and_bytes(tmp_path):
    """Frames written as pcap come back with the same bytes, times and numbers."""
    frames = [(1_500_000_000_123_456_000 + i * 7_000, frame(sport=i)) for i in range(5)]
    path = tmp_path / "five.pcap"

    write_pcap(path, frames)
    packets = list(iter_packets(path))

    assert [(p.ts_ns, p.data) for p in packets] == frames
    assert [p.number for p in packets] == [1, 2, 3, 4, 5]


def test_write_pcap_nanosecond_keeps_nanoseconds(tmp_path):
    """The nanosecond pcap variant keeps time stamps to the nanosecond."""
    frames = [
        (1_500_000_000_000_000_001, frame()),
        (1_500_000_000_000_000_999, frame()),
    ]
    path = tmp_path / "ns.pcap"

    write_pcap(path, frames, nanosecond=True)

    assert [p.ts_ns for p in iter_packets(path)] == [f[0] for f in frames]


@pytest.mark.parametrize("tsresol", [6, 9])
def test_iter_packets_pcapng_reads_interface_resolution(tmp_path, tsresol):
    """pcapng time stamps follow the interface's if_tsresol option."""
    frames = [(1_500_000_000_000_001_000 + i * 1_000, frame(sport=i)) for i in range(3)]
    path = tmp_path / "three.pcapng"

    write_pcapng(path, frames, tsresol=tsresol)
    packets = list(iter_packets(path))

    assert capture_format(path) == "pcapng"
    assert [(p.ts_ns, p.data) for p in packets] == frames


def test_iter_packets_bundled_pcapng_and_pcap():
    """The bundled Monday pcapng and a classic pcap are both read in time order."""
    monday = list(iter_packets(bundled(*MONDAY)))
    synscan = list(iter_packets(bundled("pcaps", "ndpi", "synscan.pcap")))

    assert capture_format(bundled(*MONDAY)) == "pcapng"
    assert len(monday) == 6000 and len(synscan) > 1000
    assert all(a.ts_ns <= b.ts_ns for a, b in zip(monday, monday[1:], strict=False))


def test_iter_packets_truncated_record_names_the_packet(tmp_path):
    """A capture cut inside a record raises an error naming packet and offset."""
    path = tmp_path / "cut.pcap"
    last = len(write_planted(path).frames)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 5])

    with pytest.raises(InputFormatError, match=rf"packet {last} at byte \d+ is trunc"):
        list(iter_packets(path))


def test_iter_packets_truncated_header_raises(tmp_path):
    """A file shorter than the pcap header is refused."""
    path = tmp_path / "head.pcap"
    path.write_bytes(b"\xd4\xc3\xb2\xa1\x02\x00")

    with pytest.raises(InputFormatError, match="file header at byte 0 is truncated"):
        list(iter_packets(path))


def test_iter_packets_damaged_length_raises(tmp_path):
    """A record claiming an absurd length is reported as damaged, not read."""
    path = tmp_path / "bad.pcap"
    write_pcap(path, [(0, frame())])
    data = bytearray(path.read_bytes())
    data[24 + 8 : 24 + 12] = (10**8).to_bytes(4, "little")
    path.write_bytes(bytes(data))

    with pytest.raises(InputFormatError, match="packet 1 .* claims 100000000"):
        list(iter_packets(path))


def test_iter_packets_pcapng_bad_block_length_raises(tmp_path):
    """A pcapng block whose trailing length disagrees is reported as damaged."""
    path = tmp_path / "bad.pcapng"
    write_pcapng(path, [(0, frame())])
    data = bytearray(path.read_bytes())
    data[-4:] = (999).to_bytes(4, "little")
    path.write_bytes(bytes(data))

    with pytest.raises(InputFormatError, match="ends with a different length"):
        list(iter_packets(path))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"ts,uid\n1,a\n", "neither pcap nor pcapng"),
        (gzip.compress(b"\xd4\xc3\xb2\xa1"), "gzip-compressed"),
    ],
)
def test_capture_format_refuses_non_captures(tmp_path, content, message):
    """Empty, text and compressed files get a message saying what they are."""
    path = tmp_path / "x.pcap"
    path.write_bytes(content)

    with pytest.raises(InputFormatError, match=message):
        capture_format(path)
    assert not is_capture(path)


def test_copy_without_drops_only_the_listed_packets(tmp_path):
    """A filtered pcapng copy keeps every other packet byte for byte."""
    source = tmp_path / "in.pcapng"
    frames = [(1_500_000_000_000_000_000 + i, frame(sport=i)) for i in range(6)]
    write_pcapng(source, frames)

    kept = copy_without(source, tmp_path / "out.pcapng", [2, 5])
    copied = list(iter_packets(tmp_path / "out.pcapng"))

    assert kept == 4
    assert [(p.ts_ns, p.data) for p in copied] == [frames[i] for i in (0, 2, 3, 5)]
