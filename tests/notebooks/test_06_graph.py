"""The graph lab notebook, run end to end by papermill with few epochs."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

papermill = pytest.importorskip("papermill")

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "06_graph.ipynb"


@pytest.mark.notebook
def test_06_graph_writes_outputs_and_the_selected_alert(tmp_path):
    """Two epochs on the bundled TSV capture write detect's outputs and one alert."""
    out = tmp_path / "out"
    parameters = {"epochs": 2, "max_alerts": 20, "seed": 0, "output_dir": str(out)}

    papermill.execute_notebook(
        str(NOTEBOOK),
        str(tmp_path / "06_graph.ipynb"),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(NOTEBOOK.parent),
        progress_bar=False,
    )

    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["test_connections"] == 360
    assert metrics["autoencoder"]["malicious_flows"] == 207
    assert [row["detector"] for row in metrics["comparison"]] == [
        "graph autoencoder",
        "flat autoencoder",
    ]
    assert (out / "model" / "edge_encoder.json").is_file()
    alerts = pd.read_csv(out / "alerts.csv")
    selected = pd.read_csv(out / "selected_alert.csv")
    top_alert = alerts.loc[alerts["score"].idxmax(), "alert_id"]
    assert selected["alert_id"].unique().tolist() == [top_alert]
    assert selected["rank"].tolist() == list(range(1, len(selected) + 1))
