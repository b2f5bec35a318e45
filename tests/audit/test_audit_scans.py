"""The scan heuristic on synthetic flows, bundled CIC-IDS2017 rows and captures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from workbench import schema
from workbench.audit.cost import original_release_labels
from workbench.audit.scans import probe_flows, scan_candidates, scan_findings
from workbench.datasets import bundled
from workbench.io import read_flows

CIC = {
    "Infiltration - Portscan": "Infiltration_-_Portscan_2500.csv",
    "Portscan": "Portscan_2500.csv",
    "benign": "BENIGN_2500.csv",
}
DAY = 86_400.0


@pytest.fixture(scope="module")
def cic() -> pd.DataFrame:
    """The bundled Thursday scan, Friday scan and benign samples in one table."""
    return read_flows([bundled("cicids2017", name) for name in CIC.values()])


def _classes(flows: pd.DataFrame) -> np.ndarray:
    return flows[schema.DETAILED_LABEL].fillna("benign").to_numpy()


def _probes(source: str, n: int, *, ports=None, hosts=None, ts=0.0) -> pd.DataFrame:
    ports = np.arange(n) + 1 if ports is None else ports
    hosts = ["10.0.0.1"] * n if hosts is None else hosts
    return pd.DataFrame(
        {
            schema.TS: ts + np.arange(n) * 0.01,
            schema.ORIG_H: source,
            schema.ORIG_P: 40000,
            schema.RESP_H: hosts,
            schema.RESP_P: ports,
            schema.PROTO: "tcp",
            schema.ORIG_PKTS: 1,
            schema.RESP_PKTS: 1,
            schema.ORIG_BYTES: 0,
            schema.RESP_BYTES: 0,
        }
    )


def test_probe_flows_hold_for_scans_not_for_benign(cic):
    """>= 95 % of both scans' rows are probe flows, <= 2 % of benign rows."""
    classes = _classes(cic)

    rates = pd.Series(probe_flows(cic)).groupby(classes).mean()

    assert rates["Infiltration - Portscan"] >= 0.95
    assert rates["Portscan"] >= 0.95
    assert rates["benign"] <= 0.02


def test_scan_candidates_flag_most_scans_and_few_benign_rows(cic):
    """With one window per day, most scan rows and under 1 % of benign are flagged."""
    classes = _classes(cic)

    result = scan_candidates(cic, window_s=DAY)
    rates = pd.Series(result.flagged).groupby(classes).mean()

    assert rates["Infiltration - Portscan"] >= 0.9
    assert rates["Portscan"] >= 0.9
    assert rates["benign"] <= 0.01
    assert set(result.episodes["source"]) == {"192.168.10.8", "172.16.0.1"}


def test_scan_findings_flag_the_thursday_scan_under_faulty_labels(cic):
    """With the original release's labels, the Thursday scan is flagged as benign."""
    faulty = original_release_labels(cic)
    thursday = _classes(cic) == "Infiltration - Portscan"

    result = scan_candidates(faulty, window_s=DAY)
    findings = {f.check: f for f in scan_findings(faulty, result, "cic")}
    suspects = findings["scan flows labelled benign"]

    flagged_benign = result.flagged & schema.is_benign(faulty[schema.LABEL])
    assert suspects.count == flagged_benign.sum()
    assert thursday[suspects.rows["row"]].mean() > 0.99
    assert result.episodes.loc[0, "source"] == "192.168.10.8"


def test_scan_candidates_vertical_needs_min_ports():
    """150 ports of one host is a vertical scan at 100 ports, not at 200."""
    flows = _probes("10.0.0.9", 150)

    found = scan_candidates(flows, min_ports=100)
    missed = scan_candidates(flows, min_ports=200)

    assert found.flagged.all() and found.episodes["kind"].tolist() == ["vertical"]
    assert not missed.flagged.any()


def test_scan_candidates_horizontal_one_port_many_hosts():
    """Port 445 on 30 hosts is a horizontal scan; other sources stay unflagged."""
    hosts = [f"10.0.1.{i}" for i in range(30)]
    scan = _probes("10.0.0.9", 30, ports=np.full(30, 445), hosts=hosts)
    quiet = _probes("10.0.0.7", 5, ports=np.full(5, 445), hosts=hosts[:5])
    flows = pd.concat([scan, quiet], ignore_index=True)

    result = scan_candidates(flows)

    assert result.flagged.tolist() == [True] * 30 + [False] * 5
    assert result.episodes["kind"].tolist() == ["horizontal"]


def test_scan_candidates_windows_split_a_slow_scan():
    """The same probes spread over two windows fall below the threshold in each."""
    first = _probes("10.0.0.9", 60, ts=0.0)
    second = _probes("10.0.0.9", 60, ports=np.arange(60) + 100, ts=120.0)
    flows = pd.concat([first, second], ignore_index=True)

    per_minute = scan_candidates(flows, window_s=60.0)
    per_hour = scan_candidates(flows, window_s=3600.0)

    assert not per_minute.flagged.any()
    assert per_hour.flagged.all()


def test_scan_candidates_count_reversed_replies_for_the_scanner():
    """Replies seen first (victim port < 1024 to the scanner) still count."""
    forward = _probes("10.0.0.9", 60, ports=np.arange(60) + 2000)
    reversed_ = _probes("10.0.0.1", 60, ports=np.full(60, 40000))
    reversed_[schema.ORIG_P] = np.arange(60) + 1
    reversed_[schema.RESP_H] = "10.0.0.9"
    flows = pd.concat([forward, reversed_], ignore_index=True)

    result = scan_candidates(flows, min_ports=100)

    assert result.flagged.all()
    assert result.episodes["source"].tolist() == ["10.0.0.9"]


def test_scan_candidates_flag_synscan_not_monday_capture():
    """nmap's SYN scan capture is a vertical scan; the Monday capture has none."""
    synscan = read_flows([bundled("pcaps", "ndpi", "synscan.pcap")])
    monday = read_flows(
        [bundled("pcaps", "cicids2017-monday", "host-192.168.10.5.pcap")]
    )

    scan = scan_candidates(synscan)
    quiet = scan_candidates(monday)

    assert scan.episodes["kind"].tolist() == ["vertical"]
    assert scan.flagged.mean() > 0.95
    assert not quiet.flagged.any()
