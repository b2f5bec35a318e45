"""``workbench audit`` end to end: report files, dedup copies and exit status 2."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.audit.audit_helpers import write_planted
from workbench.audit.capture import iter_packets
from workbench.cli import main
from workbench.datasets import bundled


@pytest.fixture
def planted(tmp_path):
    """A capture with planted duplicates, and a 300-row flow table with a copy."""
    capture = write_planted(tmp_path / "planted.pcap", seed=11)
    flows = pd.read_csv(bundled("cicids2017", "BENIGN_2500.csv")).head(300)
    pd.concat([flows, flows.iloc[[7]]]).to_csv(tmp_path / "benign.csv", index=False)
    return capture


def test_audit_command_writes_report_and_dedup_copy(tmp_path, planted, capsys):
    """Exit 0; the duplicates file lists the planted packets; charts and copy exist."""
    out = tmp_path / "out"
    args = [str(tmp_path / "planted.pcap"), str(tmp_path / "benign.csv")]

    status = main(["-q", "audit", *args, "--out", str(out), "--dedup", "--png"])

    assert status == 0
    summary = pd.read_csv(out / "summary.csv").set_index(["source", "check", "key"])
    full = summary.loc[
        ("planted.pcap", "duplicate packets", "full rule, window 500 us")
    ]
    assert full["count"] == len(planted.duplicates)
    listed = pd.read_csv(out / full["details"])
    assert set(listed["packet"]) == planted.duplicates
    copies = summary.loc[("benign.csv", "duplicate flows", "all")]
    assert pd.read_csv(out / copies["details"])["duplicate_of"].tolist() == [7]
    dedup = list(iter_packets(out / "dedup" / "planted.pcap"))
    assert len(dedup) == len(planted.frames) - len(planted.duplicates)
    assert (out / "charts" / "findings.html").is_file()
    assert (out / "charts" / "planted_duplicate_gaps.png").is_file()
    assert "duplicate packets" in capsys.readouterr().out


def test_audit_command_truncated_capture_exit_2(tmp_path, capsys):
    """A truncated capture gives exit status 2 and names the broken packet."""
    path = tmp_path / "cut.pcap"
    last = len(write_planted(path).frames)
    path.write_bytes(path.read_bytes()[:-3])

    status = main(["-q", "audit", str(path), "--out", str(tmp_path / "out")])

    assert status == 2
    assert f"packet {last}" in capsys.readouterr().err


def test_audit_command_bad_settings_exit_2(tmp_path, capsys):
    """A non-positive scan threshold is refused before any file is read."""
    path = tmp_path / "planted.pcap"
    write_planted(path)

    status = main(
        ["-q", "audit", str(path), "--out", str(tmp_path), "--min-hosts", "0"]
    )

    assert status == 2
    assert "--min-hosts" in capsys.readouterr().err
