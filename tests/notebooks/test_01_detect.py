"""The detection lab notebook, run end to end by papermill on a small slice."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

papermill = pytest.importorskip("papermill")

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "01_detect.ipynb"


@pytest.mark.notebook
def test_01_detect_writes_metrics_and_the_selected_alert(tmp_path):
    """Two epochs on 2,000 flows write metrics.json and the top alert's explanation."""
    out = tmp_path / "out"
    parameters = {"epochs": 2, "n_rows": 2000, "seed": 0, "output_dir": str(out)}

    papermill.execute_notebook(
        str(NOTEBOOK),
        str(tmp_path / "01_detect.ipynb"),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(NOTEBOOK.parent),
        progress_bar=False,
    )

    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["test_flows"] == 2000
    assert metrics["target_fpr"] == 0.01
    assert 0 < metrics["alerts"] < 2000
    labelled = metrics["autoencoder"]
    assert labelled["benign_flows"] + labelled["malicious_flows"] == 2000
    alerts = pd.read_csv(out / "alerts.csv")
    selected = pd.read_csv(out / "selected_alert.csv")
    top_alert = alerts.loc[alerts["score"].idxmax(), "alert_id"]
    assert selected["alert_id"].unique().tolist() == [top_alert]
    assert selected["rank"].tolist() == list(range(1, len(selected) + 1))
    assert selected["p_value"].between(0, 1).all()
