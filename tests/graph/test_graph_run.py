"""Tests of the graph detection job and the ``workbench graph-detect`` command."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.graph.graph_logs import injected_logs, synthetic_logs
from workbench.cli import main
from workbench.datasets import bundled
from workbench.graph import build_graph
from workbench.graph.labels import LabelRule
from workbench.graph.run import run_graph_detection, write_graph_outputs

OUTPUTS = {"alerts.csv", "explanations.csv", "metrics.json", "model"}


@pytest.fixture(scope="module")
def benign_logs():
    """Forty synthetic benign visits (DNS lookup, then TLS to a known site)."""
    return synthetic_logs(40, seed=0)


@pytest.fixture(scope="module")
def run(benign_logs):
    """A small job: synthetic benign training, the injected capture as test."""
    test = build_graph(injected_logs(benign_logs, ts=150.5))
    rules = [LabelRule("bad-cert", hosts=("203.0.113.9",))]
    return run_graph_detection(
        build_graph(benign_logs), test, rules=rules, epochs=3, progress=False
    )


def test_write_graph_outputs_mirror_detect(run, tmp_path):
    """The job writes the same four outputs as `workbench detect`."""

    metrics = write_graph_outputs(run, tmp_path)

    assert {p.name for p in tmp_path.iterdir()} == OUTPUTS
    saved = json.loads((tmp_path / "metrics.json").read_text())
    assert saved["alerts"] == metrics["alerts"] == int(run.analysis.alerts.sum())
    assert saved["autoencoder"]["malicious_flows"] == 1
    assert saved["graph"]["test"]["edge"]["presents"] == 41


def test_alert_table_names_edge_and_attributes(run, tmp_path):
    """Each alert row names its worst edge and its lowest-p attributes."""
    write_graph_outputs(run, tmp_path)

    alerts = pd.read_csv(tmp_path / "alerts.csv")

    assert len(alerts) == int(run.analysis.alerts.sum())
    for column in ("uid", "score", "edge_type", "edge_src", "edge_dst", "feature_1"):
        assert column in alerts.columns
    assert alerts["edge_src"].str.contains(":").all()


def test_comparison_covers_both_detectors(run):
    """The comparison reads both detectors on the same connections."""

    table = run.comparison()

    assert table["detector"].tolist() == ["graph autoencoder", "flat autoencoder"]
    assert table["connections"].nunique() == 1


def test_run_leaves_labelled_attacks_out_of_training(benign_logs):
    """Connections matched by a label rule are not trained on."""
    graph = build_graph(injected_logs(benign_logs, ts=150.5))
    rules = [LabelRule("bad-cert", hosts=("203.0.113.9",))]

    result = run_graph_detection(
        graph, graph, rules=rules, epochs=1, flat=False, progress=False
    )

    assert result.settings["attack_connections_left_out_of_training"] == 1
    assert "Xbad" not in set(result.train_graph.edges["uid"])


def test_cli_graph_detect_bundled_capture(tmp_path):
    """The command trains before the botnet, scores the capture, labels port 16464."""
    args = ["-q", "graph-detect", "--train-logs", str(bundled("zeek", "tsv"))]
    args += ["--test-logs", str(bundled("zeek", "tsv")), "--out", str(tmp_path)]
    args += ["--train-before", "1379288699", "--attack-port", "16464"]
    args += ["--attack-name", "ZeroAccess", "--epochs", "2"]

    status = main(args)

    assert status == 0
    assert {p.name for p in tmp_path.iterdir()} == OUTPUTS
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    recall = metrics["autoencoder"]["recall_by_detailed_label"]
    assert recall["ZeroAccess"]["flows"] == 207
    assert metrics["test_connections"] == 360
    assert metrics["train_connections"] + metrics["calibration_connections"] == 125


def test_cli_graph_detect_without_conn_log_exits_2(tmp_path, capsys):
    """A training folder without conn.log is a usage error, not a traceback."""
    (tmp_path / "dns.log").write_text(bundled("zeek", "json", "dns.log").read_text())
    args = ["graph-detect", "--train-logs", str(tmp_path), "--test-logs"]
    args += [str(tmp_path), "--out", str(tmp_path / "out")]

    status = main(args)

    assert status == 2
    assert "holds no conn log" in capsys.readouterr().err
