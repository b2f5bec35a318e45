"""The generation lab notebook, run end to end by papermill on a small slice."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

papermill = pytest.importorskip("papermill")

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "03_generate.ipynb"


@pytest.mark.notebook
def test_03_generate_writes_model_edit_and_synthetic_flows(tmp_path):
    """Three rounds on 1,500 records, pattern 0 moved to port 8080: files say so."""
    out = tmp_path / "out"
    parameters = {
        "n_rows": 1500,
        "max_iterations": 3,
        "n_flows": 400,
        "seed": 0,
        "output_dir": str(out),
        "edit_pattern": 0,
        "edit_row": 0,
        "edit_feature": "DstPt",
        "edit_value": 8080,
        "edit_weight": 300,
    }

    papermill.execute_notebook(
        str(NOTEBOOK),
        str(tmp_path / "03_generate.ipynb"),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(NOTEBOOK.parent),
        progress_bar=False,
    )

    model = json.loads((out / "model.json").read_text())
    edited = json.loads((out / "model_edited.json").read_text())
    patterns = pd.read_csv(out / "patterns.csv")
    synthetic = pd.read_csv(out / "synthetic.csv")
    hours = pd.read_csv(out / "hours.csv")
    assert model["metadata"]["training"]["max_iterations"] == 3
    assert len(model["patterns"]) == len(patterns) <= 4
    assert len(synthetic) == 400
    assert synthetic["pattern_id"].between(0, len(patterns) - 1).all()
    fixed = {"type": "Fixed", "feature": {"type": "DstPt", "domain": [8080]}}
    assert fixed in edited["patterns"][0]["partial_flows"][0]
    assert fixed not in model["patterns"][0]["partial_flows"][0]
    assert edited["pattern_weights"][0] == 300
    column = model["metadata"]["feature_columns"]["DstPt"]
    mine = synthetic[synthetic["pattern_id"] == 0]
    assert len(edited["patterns"][0]["partial_flows"]) == 1
    assert len(mine) > 20
    assert set(mine[column]) == {8080}
    assert len(hours) == 48
    flows_per_source = hours.groupby("source")["flows"].sum()
    assert flows_per_source["synthetic"] == 400
    assert flows_per_source["real"] > 0
    conn = (out / "conn.log").read_text().splitlines()
    assert conn[4] == "#path\tconn"
    assert len([line for line in conn if not line.startswith("#")]) == 400
