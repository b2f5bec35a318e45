"""read_flows on pcap and pcapng captures through nfstream, broken captures too."""

from __future__ import annotations

import sys
import warnings

import pandas as pd
import pytest

from tests.io.io_helpers import PCAPS, count_ip_packets, count_packets
from workbench import schema
from workbench.errors import InputFormatError, SkippedLinesWarning
from workbench.io import read_flows

pytest.importorskip("nfstream")

MONDAY = next(p for p in PCAPS if p.parent.name == "cicids2017-monday")
SYNSCAN = next(p for p in PCAPS if p.name == "synscan.pcap")
SSH_GUESS = next(p for p in PCAPS if p.name == "ssh_sshguess.pcap")


@pytest.mark.parametrize("path", PCAPS, ids=lambda p: p.name)
def test_read_flows_pcap_counts_every_ip_packet(path):
    """Flows of each bundled capture account for all of its IP packets."""
    packets = count_ip_packets(path)

    flows = read_flows(path)

    assert len(flows) > 0
    counted = flows[schema.ORIG_PKTS].sum() + flows[schema.RESP_PKTS].sum()
    assert counted == packets
    assert flows[schema.UID].is_unique
    assert (flows[schema.ORIG_IP_BYTES] >= flows[schema.ORIG_BYTES]).all()
    assert flows[schema.DURATION].ge(0).all()


def test_read_flows_pcapng_monday_host():
    """The CIC-IDS2017 Monday pcapng gives about 190 flows of host 192.168.10.5."""
    flows = read_flows(MONDAY)

    assert 150 <= len(flows) <= 230
    host = flows[schema.ORIG_H].eq("192.168.10.5") | flows[schema.RESP_H].eq(
        "192.168.10.5"
    )
    assert host.all()
    start = pd.Timestamp("2017-07-03", tz="UTC").timestamp()
    assert flows[schema.TS].between(start, start + 86400).all()
    assert {"udp", "tcp"} <= set(flows[schema.PROTO])


def test_read_flows_pcap_synscan_one_source_many_ports():
    """The nmap SYN scan is one source probing about a thousand ports of one host."""
    flows = read_flows(SYNSCAN)

    tcp = flows[flows[schema.PROTO] == "tcp"]
    assert tcp[schema.ORIG_H].nunique() == 1
    assert tcp[schema.RESP_H].nunique() == 1
    assert tcp[schema.RESP_P].nunique() >= 1000
    assert tcp[schema.ORIG_BYTES].eq(0).all()


def test_read_flows_pcap_truncated_raises_with_file(write):
    """A capture cut inside a packet record raises naming the file."""
    data = SSH_GUESS.read_bytes()
    path = write("cut.pcap", data[: len(data) // 2 + 3])

    with pytest.raises(InputFormatError, match="cut.pcap") as error:
        read_flows(path)

    assert "complete packets" in str(error.value)


def test_read_flows_pcap_truncated_skip_reads_complete_packets(write):
    """In skip mode the complete packets are read and the cut record is counted."""
    data = MONDAY.read_bytes()
    path = write("cut.pcapng", data[: len(data) // 3])
    complete = count_packets(path)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        flows = read_flows(path, on_bad_lines="skip")

    assert flows.attrs["skipped_lines"] == 1
    assert flows[schema.ORIG_PKTS].sum() + flows[schema.RESP_PKTS].sum() == complete
    assert any(issubclass(w.category, SkippedLinesWarning) for w in caught)


def test_read_flows_pcap_cut_header_raises(write):
    """A file cut inside the pcap header raises naming the file."""
    path = write("head.pcap", SSH_GUESS.read_bytes()[:20])

    with pytest.raises(InputFormatError, match="head.pcap"):
        read_flows(path, format="pcap")


def test_read_flows_pcap_not_a_capture_raises(write):
    """A text file passed as pcap raises naming the file, not an nfstream error."""
    path = write("notes.pcap", "these are not packets\n")

    with pytest.raises(InputFormatError, match="notes.pcap"):
        read_flows(path, format="pcap")


def test_read_flows_pcap_header_only_gives_empty_table(write):
    """With allow_empty=True a capture without packets gives an empty table."""
    path = write("empty.pcap", SSH_GUESS.read_bytes()[:24])

    flows = read_flows(path, allow_empty=True)

    assert len(flows) == 0
    assert list(flows.columns[: len(schema.CONN_FIELDS)]) == list(schema.CONN_FIELDS)


def test_read_flows_pcap_gzip_equals_plain(write):
    """A gzip-compressed capture gives the same flows as the plain one."""
    path = write("ssh.pcap.gz", SSH_GUESS.read_bytes())

    flows = read_flows(path)

    pd.testing.assert_frame_equal(flows, read_flows(SSH_GUESS), check_like=True)


def test_read_flows_pcap_without_nfstream_explains(monkeypatch):
    """Without nfstream installed, the error says how to install it."""
    monkeypatch.setitem(sys.modules, "nfstream", None)

    with pytest.raises(ImportError, match=r"netsec-workbench\[pcap\]"):
        read_flows(SSH_GUESS)
