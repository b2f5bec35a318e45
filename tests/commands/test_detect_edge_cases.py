import json

import pandas as pd
import pytest

from workbench.cli import main
from workbench.datasets import IOT23_BENIGN, bundled

pytestmark = pytest.mark.slow


def test_detect_no_alerts_writes_empty_tables(tmp_path):
    """When nothing crosses the threshold, the job still writes every output."""
    path = str(bundled(IOT23_BENIGN[2]))
    head = tmp_path / "three.csv"
    pd.read_csv(path).head(3).to_csv(head, index=False)

    status = main(
        [
            "-q",
            "detect",
            "--train",
            path,
            "--test",
            str(head),
            "--out",
            str(tmp_path / "out"),
            "--epochs",
            "3",
            "--fpr",
            "0.5",
        ]
    )

    out = tmp_path / "out"
    metrics = json.loads((out / "metrics.json").read_text())
    alerts = pd.read_csv(out / "alerts.csv")
    assert status == 0
    assert len(alerts) == metrics["alerts"]
    assert "feature_1" in alerts.columns
    assert list(pd.read_csv(out / "explanations.csv").columns)[:3] == [
        "alert_id",
        "feature",
        "rank",
    ]


def test_detect_canonical_features_across_sources(tmp_path, capsys):
    """IoT-23 CSV training and a pcap test work with --canonical-features only."""
    train = str(bundled(IOT23_BENIGN[1]))
    pcap = str(bundled("pcaps", "ndpi", "synscan.pcap"))
    common = ["-q", "detect", "--train", train, "--test", pcap, "--epochs", "30"]

    mixed = main([*common, "--out", str(tmp_path / "a")])
    message = capsys.readouterr().err
    canonical = main([*common, "--out", str(tmp_path / "b"), "--canonical-features"])

    assert mixed == 2 and "--canonical-features" in message
    assert canonical == 0
    metrics = json.loads((tmp_path / "b" / "metrics.json").read_text())
    assert metrics["test_flows"] == 1994 and metrics["alerts"] > 1000
