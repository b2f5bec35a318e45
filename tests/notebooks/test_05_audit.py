"""The audit lab notebook, run end to end by papermill with a short training."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

papermill = pytest.importorskip("papermill")

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "05_audit.ipynb"


@pytest.mark.notebook
def test_05_audit_writes_reports_and_label_fault_cost(tmp_path):
    """Three reports and the cost figures; the faulty labels flag the Thursday scan."""
    out = tmp_path / "out"
    parameters = {"n_benign": 600, "epochs": 3, "seed": 0, "output_dir": str(out)}

    papermill.execute_notebook(
        str(NOTEBOOK),
        str(tmp_path / "05_audit.ipynb"),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(NOTEBOOK.parent),
        progress_bar=False,
    )

    captures = pd.read_csv(out / "captures" / "summary.csv")
    monday = captures.query("source == 'host-192.168.10.5.pcap'")
    assert monday.query("check == 'duplicate packets'")["count"].gt(0).all()
    synscan = captures.query("source == 'synscan.pcap' and check == 'scan flows'")
    assert synscan["share"].iloc[0] > 0.95
    original = pd.read_csv(out / "cicids2017_original_labels" / "summary.csv")
    corrected = pd.read_csv(out / "cicids2017" / "summary.csv")
    suspects = "check == 'scan flows labelled benign'"
    assert original.query(suspects)["count"].iloc[0] > 10 * max(
        corrected.query(suspects)["count"].iloc[0], 1
    )
    assert (out / "cicids2017" / "charts" / "scans.html").is_file()
    cost = json.loads((out / "label_fault_cost.json").read_text())
    figures = {row["labels"]: row for row in cost["figures"]}
    rates = {row["part"]: row for row in cost["alert_rates"]}
    scan = rates["Infiltration - Portscan"]
    moved = round(scan["alert_rate"] * scan["flows"])
    assert (
        figures["faulty"]["false_positives"] - figures["corrected"]["false_positives"]
        == moved
    )
    assert figures["faulty"]["benign_flows"] == 300 + scan["flows"]
