"""The evaluation lab notebook, run end to end by papermill with small settings."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

papermill = pytest.importorskip("papermill")

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "04_evaluate.ipynb"


@pytest.mark.notebook
def test_04_evaluate_writes_ranked_report(tmp_path):
    """Two generators, two runs of 300 flows: ranks, table and settings are written."""
    out = tmp_path / "out"
    parameters = {
        "generators": ["independent-bn", "flowchronicle"],
        "max_iterations": 2,
        "runs": 2,
        "n": 300,
        "seed": 1,
        "output_dir": str(out),
    }

    papermill.execute_notebook(
        str(NOTEBOOK),
        str(tmp_path / "04_evaluate.ipynb"),
        parameters=parameters,
        kernel_name="python3",
        cwd=str(NOTEBOOK.parent),
        progress_bar=False,
    )

    ranks = pd.read_csv(out / "ranks.csv")
    assert ranks["model"].tolist() == ["IndependentBN", "FlowChronicle"]
    assert ranks["mean rank"].between(1, 2).all()
    settings = json.loads((out / "settings.json").read_text())
    assert (settings["runs"], settings["n"], settings["seed"]) == (2, 300, 1)
    assert "| Reference |" in (out / "table.md").read_text()
    assert (out / "acfd.vl.json").exists()
