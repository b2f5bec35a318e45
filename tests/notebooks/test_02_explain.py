"""The explanation lab notebook, run end to end by papermill on small data."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest

papermill = pytest.importorskip("papermill")

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "02_explain.ipynb"
CIC_BENIGN = NOTEBOOK.parents[1] / "data" / "cicids2017" / "BENIGN_2500.csv"
HAS_SHAP = importlib.util.find_spec("shap") is not None


@pytest.mark.notebook
def test_02_explain_writes_both_reports_and_the_selected_sample(tmp_path):
    """Two epochs on 3,000 toy rows and 300 CIC flows write both reports."""
    out = tmp_path / "out"
    parameters = {
        "toy_rows": 3000,
        "toy_epochs": 2,
        "flow_paths": [str(CIC_BENIGN)],
        "flow_epochs": 2,
        "max_benign": 300,
        "seeds": [0],
        "shap_records": 2,
        "shap_background": 20,
        "shap_nsamples": 60,
        "selected_sample": 3,
        "output_dir": str(out),
    }

    papermill.execute_notebook(
        str(NOTEBOOK),
        str(tmp_path / "02_explain.ipynb"),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(NOTEBOOK.parent),
        progress_bar=False,
    )

    toy = json.loads((out / "toy" / "metrics.json").read_text())
    flows = json.loads((out / "flows" / "metrics.json").read_text())
    assert toy["settings"]["test_rows"] == 1500
    assert toy["settings"]["rate"] == 0.01
    assert flows["settings"]["test_rows"] == 120
    assert flows["settings"]["rate"] == 1.0
    methods = {row["method"] for row in flows["top1"]}
    assert {"AE-pvalues (interp)", "AE-abs", "random"} <= methods
    assert ("SHAP_AE" in methods) == HAS_SHAP
    assert "## Time per explanation" in (out / "flows" / "report.md").read_text()
    selected = pd.read_csv(out / "selected_sample.csv")
    assert selected["sample"].unique().tolist() == [3]
    assert selected["injected"].any()
