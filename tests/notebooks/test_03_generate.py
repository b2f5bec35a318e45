"""The generation lab notebook, run end to end by papermill on a small slice."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

papermill = pytest.importorskip("papermill")

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "03_generate.ipynb"


@pytest.mark.notebook
def test_03_generate_writes_model_and_synthetic_flows(tmp_path):
    """Three rounds on 1,500 records write the model, patterns and 400 flows twice."""
    out = tmp_path / "out"
    parameters = {
        "n_rows": 1500,
        "max_iterations": 3,
        "n_flows": 400,
        "seed": 0,
        "output_dir": str(out),
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
    patterns = pd.read_csv(out / "patterns.csv")
    synthetic = pd.read_csv(out / "synthetic.csv")
    assert model["metadata"]["training"]["max_iterations"] == 3
    assert len(model["patterns"]) == len(patterns) <= 4
    assert len(synthetic) == 400
    assert synthetic["pattern_id"].between(0, len(patterns) - 1).all()
    conn = (out / "conn.log").read_text().splitlines()
    assert conn[4] == "#path\tconn"
    assert len([line for line in conn if not line.startswith("#")]) == 400
