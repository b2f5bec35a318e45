"""Duplicated and misordered packets, counted exactly, and the deduplicated copy."""

from __future__ import annotations

from tests.audit.audit_helpers import EXCLUDED_MAC, frame, write_planted
from workbench.audit.capture import iter_packets, write_pcap
from workbench.audit.packets import DuplicateWindow, audit_pcap, deduplicate_pcap
from workbench.datasets import bundled

MONDAY = ("pcaps", "cicids2017-monday", "host-192.168.10.5.pcap")


def test_audit_pcap_counts_planted_duplicates_exactly(tmp_path):
    """Ten copies 100 us late are duplicates; two copies 2 ms late are not."""
    planted = write_planted(tmp_path / "planted.pcap", seed=3)

    audit = audit_pcap(tmp_path / "planted.pcap", progress=False)

    assert set(audit.duplicates["packet"]) == planted.duplicates
    assert len(planted.duplicates) == 10
    assert audit.duplicates["gap_us"].eq(100.0).all()


def test_audit_pcap_narrowed_rule_keeps_exempt_mac(tmp_path):
    """The narrowed rule keeps the copy sent from an exempt MAC address."""
    planted = write_planted(tmp_path / "planted.pcap", seed=4)

    audit = audit_pcap(tmp_path / "planted.pcap", progress=False)
    kept = planted.duplicates - planted.narrowed
    exempt = audit.packets.set_index("packet").loc[sorted(kept), "src_mac"]

    assert set(audit.dropped("narrowed")) == planted.narrowed
    assert exempt.tolist() == [EXCLUDED_MAC]


def test_audit_pcap_counts_one_swapped_pair_as_one_misordering(tmp_path):
    """Two neighbouring packets with swapped time stamps give one misordering."""
    planted = write_planted(tmp_path / "planted.pcap", seed=5)

    audit = audit_pcap(tmp_path / "planted.pcap", progress=False)

    assert set(audit.misordered["packet"]) == planted.misordered
    assert audit.misordered["backward_s"].round(6).tolist() == [0.01]


def test_audit_pcap_window_parameter_changes_the_count(tmp_path):
    """With a 50 us window the 100 us copies are no longer duplicates."""
    write_planted(tmp_path / "planted.pcap", seed=6)

    audit = audit_pcap(tmp_path / "planted.pcap", window_s=50e-6, progress=False)

    assert not audit.packets["duplicate"].any()


def test_audit_pcap_counts_duplicates_per_flow(tmp_path):
    """Per-flow counts add up to the duplicates and name the flows concerned."""
    planted = write_planted(tmp_path / "planted.pcap", seed=7)

    audit = audit_pcap(tmp_path / "planted.pcap", progress=False)
    per_flow = audit.per_flow()
    duplicated = per_flow[per_flow["duplicates"] > 0]

    assert duplicated["duplicates"].sum() == len(planted.duplicates)
    assert duplicated["duplicates"].eq(1).all()
    assert duplicated["flow"].str.startswith("udp 192.168.10.3:53 <> ").all()


def test_deduplicate_pcap_writes_each_frame_once_in_the_window(tmp_path):
    """The copy holds the originals plus the two late copies, nothing else."""
    planted = write_planted(tmp_path / "planted.pcap", seed=8)
    target = tmp_path / "dedup.pcap"

    dropped = deduplicate_pcap(tmp_path / "planted.pcap", target, progress=False)
    copy = [p.data for p in iter_packets(target)]

    assert dropped == len(planted.duplicates)
    assert len(copy) == len(planted.frames) - len(planted.duplicates)
    assert set(copy) == set(planted.originals)


def test_duplicate_window_compares_with_the_last_copy():
    """A chain of copies each within the window are all duplicates of the previous."""
    window = DuplicateWindow(500_000)

    found = [window.check(n, n * 400_000, b"same") for n in range(1, 5)]

    assert found == [(None, None), (1, 400_000), (2, 400_000), (3, 400_000)]


def test_audit_pcap_bundled_duplicates_are_byte_identical_and_close():
    """Every duplicate reported in the bundled Monday capture copies its original."""
    path = bundled(*MONDAY)
    data = {p.number: p.data for p in iter_packets(path)}

    audit = audit_pcap(path, progress=False)
    duplicates = audit.duplicates

    assert len(duplicates) > 0
    pairs = zip(duplicates["packet"], duplicates["duplicate_of"], strict=True)
    assert all(data[a] == data[b] and a > b for a, b in pairs)
    assert duplicates["gap_us"].abs().le(500).all()


def test_audit_pcap_empty_capture_has_no_findings(tmp_path):
    """A capture with a header and no packet gives zero counts, not an error."""
    write_pcap(tmp_path / "empty.pcap", [])

    audit = audit_pcap(tmp_path / "empty.pcap", progress=False)

    assert [f.count for f in audit.findings()] == [0, 0, 0, 0]


def test_audit_pcap_ignores_ethernet_padding_in_flow_names(tmp_path):
    """Two frames differing only in padding are distinct, but one flow."""
    frames = [(0, frame(padding=0)), (1_000, frame(padding=6))]
    write_pcap(tmp_path / "pad.pcap", frames)

    audit = audit_pcap(tmp_path / "pad.pcap", progress=False)

    assert not audit.packets["duplicate"].any()
    assert audit.packets["flow"].nunique() == 1
    assert audit.packets["payload"].tolist() == [0, 0]
