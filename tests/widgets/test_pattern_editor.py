"""PatternEditor: selecting, editing, sampling and saving a FlowChronicle model."""

from __future__ import annotations

import pytest

from widgets.pattern_editor import PatternEditor
from workbench.datasets import bundled
from workbench.flowchronicle.model import FixedCell
from workbench.flowchronicle.model_io import load_model
from workbench.flowchronicle.search import SearchSettings
from workbench.flowchronicle.train import train_model
from workbench.io import read_flows
from workbench.schema import RESP_P


@pytest.fixture(scope="module")
def model():
    """A model mined in three rounds from 2,000 bundled CIDDS-001 records."""
    flows = read_flows(bundled("cidds001", "cidds001_week3_sample8k.csv")).head(2000)
    settings = SearchSettings(max_iterations=3, progress=False)
    return train_model(flows, settings=settings)[0]


def test_pattern_editor_lists_every_pattern(model):
    """One option per pattern; the first is selected with its weight shown."""
    editor = PatternEditor(model)

    assert len(editor.pattern_select.options) == len(model.patterns)
    assert editor.pattern_select.value == 0
    assert editor.weight.value == model.weights[0]
    assert "pattern 0" in editor.description.value


def test_pattern_editor_selecting_shows_that_pattern(model):
    """Choosing the last option shows the empty pattern and its weight."""
    editor = PatternEditor(model)
    last = len(model.patterns) - 1

    editor.pattern_select.value = last

    assert editor.selected == last
    assert editor.weight.value == model.weights[last]
    assert "empty pattern" in editor.description.value


def test_pattern_editor_set_weight_click(model):
    """Setting a weight and clicking changes the editor's model, not the input."""
    editor = PatternEditor(model)

    editor.weight.value = 12345
    editor.apply_weight_button.click()

    assert editor.model.weights[0] == 12345
    assert model.weights[0] != 12345
    assert "weight 12345" in editor.status.value


def test_pattern_editor_duplicate_then_fix_port_and_sample(model):
    """Copy the empty pattern, fix its port to 31337, sample only that copy."""
    editor = PatternEditor(model, n_flows=200)
    editor.pattern_select.value = len(model.patterns) - 1
    editor.duplicate_button.click()
    copy = editor.selected
    port = next(n for n in editor.model.patterns[copy].nodes if n.feature == "DstPt")
    value = port.domain[0]

    editor.feature.value = "DstPt"
    editor.row.value = 0
    editor.cell_value.value = str(value)
    editor.fix_button.click()
    for i in range(len(editor.model.patterns)):
        editor.pattern_select.value = i
        editor.weight.value = 1 if i == copy else 0
        editor.apply_weight_button.click()
    editor.sample_button.click()

    assert FixedCell("DstPt", value) in editor.model.patterns[copy].rows[0]
    assert len(editor.sample) == 200
    assert set(editor.sample[RESP_P]) == {value}
    assert set(editor.sample["pattern_id"]) == {copy}


def test_pattern_editor_bad_value_reports_and_keeps_model(model):
    """An unreadable value is reported in the status line; the model is unchanged."""
    editor = PatternEditor(model)
    editor.pattern_select.value = 0
    before = editor.model

    editor.feature.value = "DstPt"
    editor.cell_value.value = "https"
    editor.fix_button.click()

    assert editor.model is before
    assert "not done" in editor.status.value


def test_pattern_editor_remove_and_save(model, tmp_path):
    """Removing a pattern and saving writes a model without it."""
    editor = PatternEditor(model)
    editor.save_path.value = str(tmp_path / "edited.json")

    editor.remove_button.click()
    editor.save_button.click()

    saved = load_model(tmp_path / "edited.json")
    assert len(saved.patterns) == len(model.patterns) - 1
    assert "saved" in editor.status.value
