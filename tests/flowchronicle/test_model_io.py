"""Tests for the JSON model file."""

from __future__ import annotations

import json

import numpy as np
import pytest

from workbench.errors import ModelFileError
from workbench.flowchronicle.model_io import load_model, model_to_dict, save_model


def test_save_load_round_trip(planted_model, tmp_path):
    """A saved model loads back with the same cells, tables and weights."""
    model = planted_model

    loaded = load_model(save_model(model, tmp_path / "model.json"))

    assert loaded.weights == model.weights
    assert loaded.t_range == model.t_range
    assert loaded.time_origin == pytest.approx(model.time_origin)
    for a, b in zip(model.patterns, loaded.patterns, strict=True):
        assert a.rows == b.rows
        assert [n.domain for n in a.nodes] == [n.domain for n in b.nodes]
        assert all(
            np.allclose(x.cpt, y.cpt) for x, y in zip(a.nodes, b.nodes, strict=True)
        )


def test_model_to_dict_follows_the_interchange_layout(planted_model):
    """Fos-R fields are present; Fixed/Reuse cells and nodes are shaped as specified."""
    data = model_to_dict(planted_model)

    assert {"input_file", "creation_time"} <= set(data["metadata"])
    assert data["patterns"][-1]["partial_flows"] == [[]]
    assert len(data["pattern_weights"]) == len(data["patterns"])
    cells = [c for p in data["patterns"] for row in p["partial_flows"] for c in row]
    assert any(c["type"] == "Fixed" and c["feature"]["type"] == "DstPt" for c in cells)
    assert any(c["type"].startswith("Reuse") and "row" in c for c in cells)
    node = data["patterns"][-1]["bayesian_network"][0]
    assert len(node["cpt"]["probas"][0]) == len(node["feature"]["domain"])


def test_save_model_fosr_spelling_reads_back(planted_model, tmp_path):
    """Fos-R's 'Drc' tag spelling is written on request and accepted on reading."""
    model = planted_model

    path = save_model(model, tmp_path / "fosr.json", fosr=True)
    loaded = load_model(path)

    text = path.read_text()
    dst_reuse = any(
        c.source_feature == "DstIP"
        for p in model.patterns
        for row in p.rows
        for c in row
        if hasattr(c, "source_row")
    )
    assert ("ReuseDst" not in text) and (not dst_reuse or "ReuseDrc" in text)
    assert loaded.patterns[0].rows == model.patterns[0].rows


def test_load_model_not_json_raises(tmp_path):
    """A file that is not JSON is refused with its path named."""
    path = tmp_path / "broken.json"
    path.write_text("{not json")

    with pytest.raises(ModelFileError, match="broken.json"):
        load_model(path)


def test_load_model_missing_table_row_raises(planted_model, tmp_path):
    """A table without every parent combination is refused."""
    data = model_to_dict(planted_model)
    nodes = [n for p in data["patterns"] for n in p["bayesian_network"] if n["parents"]]
    if not nodes:
        pytest.skip("the planted model has no node with parents")
    nodes[0]["cpt"]["parents_values"].pop()
    nodes[0]["cpt"]["probas"].pop()
    path = tmp_path / "cut.json"
    path.write_text(json.dumps(data))

    with pytest.raises(ModelFileError, match="positive probability"):
        load_model(path)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("[1, 2]", "a JSON list, not an object"),
        ('"model"', "a JSON string, not an object"),
        ("3", "a JSON number, not an object"),
        ("null", "a JSON null, not an object"),
        ('{"pattern_weights": []}', "['patterns'] are missing"),
        ('{"patterns": {}, "pattern_weights": []}', "'patterns' holds a JSON object"),
        ('{"patterns": [], "pattern_weights": [], "metadata": []}', "'metadata'"),
        ('{"patterns": ["x"], "pattern_weights": [1]}', "not a FlowChronicle model"),
        ('{"patterns": [{}], "pattern_weights": [1]}', "is missing"),
    ],
    ids=[
        "list",
        "string",
        "number",
        "null",
        "no-patterns",
        "patterns-object",
        "metadata-list",
        "pattern-string",
        "pattern-empty",
    ],
)
def test_load_model_wrong_layout_raises(tmp_path, content, words):
    """Any JSON that is not a model object raises ModelFileError naming the file."""
    path = tmp_path / "odd.json"
    path.write_text(content)

    with pytest.raises(ModelFileError) as error:
        load_model(path)

    assert "odd.json" in str(error.value) and words in str(error.value)


def test_load_model_binary_file_raises(tmp_path):
    """Bytes that are not UTF-8 text are refused as not JSON, naming the file."""
    path = tmp_path / "model.json"
    path.write_bytes(b"\xff\xfe\x00binary")

    with pytest.raises(ModelFileError, match="model.json: not a JSON file"):
        load_model(path)
