"""PatternEditor: selecting, editing, sampling and saving a FlowChronicle model."""

from __future__ import annotations

import numpy as np
import pytest

from widgets.pattern_editor import PatternEditor
from workbench.datasets import bundled
from workbench.errors import ModelEditError
from workbench.flowchronicle.edit import fix_cell
from workbench.flowchronicle.model import FixedCell
from workbench.flowchronicle.model_io import load_model
from workbench.flowchronicle.network import node_marginal, variable_name
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


def test_pattern_editor_free_then_fix_cell_clicks(model):
    """Freeing a fixed cell makes it a network variable; fixing it brings it back."""
    editor = PatternEditor(model)
    cell = model.patterns[0].rows[0][0]
    value = cell.value
    text = "-".join(map(str, value)) if isinstance(value, tuple) else str(value)
    editor.feature.value = cell.feature
    editor.row.value = 0

    editor.free_button.click()
    freed = editor.model.patterns[0]
    editor.free_button.click()
    refused = editor.status.value
    editor.cell_value.value = text
    editor.fix_button.click()

    assert cell not in freed.rows[0]
    assert f"{cell.feature}-r0" in {variable_name(n) for n in freed.nodes}
    assert "not done" in refused and "already drawn" in refused
    assert cell in editor.model.patterns[0].rows[0]
    assert f"{cell.feature}-r0" not in editor.variable.options


def test_pattern_editor_table_row_click_is_sampled(model):
    """One table row set to a single value: flows in that parent state carry it."""
    editor = PatternEditor(model, n_flows=1500, seed=3)
    editor.pattern_select.value = len(model.patterns) - 1
    editor.duplicate_button.click()
    copy = editor.selected
    nodes = editor.model.patterns[copy].nodes
    k, node = next(
        (k, n)
        for k, n in enumerate(nodes)
        if len(n.parents) == 1
        and not any(model.feature(x.feature).binned for x in (n, nodes[n.parents[0]]))
        and len(n.domain) > 1
    )
    parent = nodes[node.parents[0]]
    state = parent.domain[int(np.argmax(node_marginal(nodes, node.parents[0])))]
    chosen = node.domain[-1]

    editor.variable.value = variable_name(node)
    editor.parent_values.value = str(state)
    editor.probabilities.value = f"{chosen}: 1"
    editor.table_button.click()
    for i in range(len(editor.model.patterns)):
        editor.pattern_select.value = i
        editor.weight.value = 1 if i == copy else 0
        editor.apply_weight_button.click()
    editor.sample_button.click()

    row = nodes[k].parents[0]
    table = editor.model.patterns[copy].nodes[k].cpt
    assert table[parent.domain.index(state)].tolist()[-1] == 1.0
    assert nodes[row] == parent
    flows = editor.sample
    in_state = flows[flows[model.feature(parent.feature).column] == state]
    assert len(in_state) > 50
    assert set(in_state[model.feature(node.feature).column]) == {chosen}
    others = flows[flows[model.feature(parent.feature).column] != state]
    assert set(others[model.feature(node.feature).column]) != {chosen}


def test_pattern_editor_table_row_bad_probabilities_reported(model):
    """Probabilities that do not sum to one are refused in the status line."""
    editor = PatternEditor(model)
    editor.pattern_select.value = len(model.patterns) - 1
    before = editor.model
    root = next(n for n in before.patterns[-1].nodes if not n.parents)

    editor.variable.value = variable_name(root)
    editor.probabilities.value = f"{root.domain[0]}: 0.5"
    editor.table_button.click()

    assert editor.model is before
    assert "sum to 0.5" in editor.status.value


def test_pattern_editor_apply_edit_is_the_buttons_path(model):
    """apply_edit runs an edit function, shows it, and raises on a bad edit."""
    editor = PatternEditor(model)

    editor.apply_edit(fix_cell, 0, 0, "DstPt", 8080)

    assert FixedCell("DstPt", 8080) in editor.model.patterns[0].rows[0]
    assert "fix_cell" in editor.status.value
    with pytest.raises(ModelEditError, match="not a port"):
        editor.apply_edit(fix_cell, 0, 0, "DstPt", 70000)
