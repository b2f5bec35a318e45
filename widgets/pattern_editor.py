"""A panel to browse, edit and sample a FlowChronicle model in a notebook.

The panel holds the current :class:`~workbench.flowchronicle.model.FlowModel` and calls
the edit functions of :mod:`workbench.flowchronicle.edit` on button clicks, through
:meth:`PatternEditor.apply_edit`, which notebooks may call too; every edit makes a new
model, so earlier ones stay valid. It does not mine patterns or score synthetic flows.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets
import pandas as pd
import traitlets

from workbench.errors import ModelEditError, WorkbenchError
from workbench.flowchronicle import edit
from workbench.flowchronicle.describe import describe_model, describe_pattern
from workbench.flowchronicle.model import FlowModel
from workbench.flowchronicle.model_io import save_model
from workbench.flowchronicle.network import variable_name
from workbench.flowchronicle.sample import sample_flows
from workbench.flowchronicle.table_edits import parse_cpt_row

__all__ = ["PatternEditor"]


class PatternEditor(ipywidgets.VBox):
    """Pattern list, description, weight and cell edits, sampling and saving.

    Parameters
    ----------
    model : FlowModel
        The model to edit; it is not changed (edits make new models).
    n_flows : int, default 1000
        Initial number of flows for the sample button.
    seed : int, default 0
        Initial sampling seed.

    Attributes
    ----------
    model : FlowModel
        The current, edited model.
    sample : pandas.DataFrame or None
        The flows of the last click on ``sample_button``.
    pattern_select : ipywidgets.Select
        The patterns; its value is the selected pattern's index.
    weight, apply_weight_button : ipywidgets widgets
        Weight of the selected pattern and the button that applies it.
    feature, row, cell_value, fix_button, free_button : ipywidgets widgets
        Which cell of the selected pattern to fix (to the value) or to free (drawn
        from the pattern's network), and the two buttons.
    variable, parent_values, probabilities, table_button : ipywidgets widgets
        One row of a network table: the variable, its parents' values separated by
        ``;``, the new probabilities (``value: p; value: p``) and the button.
    table_info : ipywidgets.HTML
        The selected variable's parents and values.
    duplicate_button, remove_button : ipywidgets.Button
        Copy or remove the selected pattern.
    n_flows, seed, sample_button, sample_view : ipywidgets widgets
        Sampling controls and the head of the last sample.
    save_path, save_button : ipywidgets widgets
        Where to write the model JSON.
    status : ipywidgets.HTML
        What the last action did, or why it failed.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.flowchronicle.model import GenerativePattern, Node, TimeModel
    >>> from workbench.flowchronicle.prepare import Feature
    >>> node = Node("Proto", 0, ("tcp", "udp"), (), np.array([[0.5, 0.5]]))
    >>> empty = GenerativePattern(((),), (node,), TimeModel(np.array([0.0]), ()))
    >>> m = FlowModel((Feature("Proto", "proto", "categorical"),), (empty,), (4,),
    ...               (0, 10), 0.0)
    >>> editor = PatternEditor(m)
    >>> editor.weight.value, editor.variable.options
    (4, ('Proto-r0',))
    """

    selected = traitlets.Int(0)

    def __init__(self, model: FlowModel, *, n_flows: int = 1000, seed: int = 0) -> None:
        self.model = model
        self.sample: pd.DataFrame | None = None
        self.pattern_select = ipywidgets.Select(rows=10, layout={"width": "100%"})
        self.description = ipywidgets.HTML()
        self.weight = ipywidgets.BoundedIntText(min=0, max=10**9, description="weight")
        self.apply_weight_button = ipywidgets.Button(description="set weight")
        names = [f.name for f in model.features]
        self.feature = ipywidgets.Dropdown(options=names, description="feature")
        self.row = ipywidgets.BoundedIntText(min=0, max=0, description="row")
        self.cell_value = ipywidgets.Text(
            description="value", placeholder="53 or 40-53"
        )
        self.fix_button = ipywidgets.Button(description="fix cell")
        self.free_button = ipywidgets.Button(description="free cell")
        self._make_table_controls()
        self.duplicate_button = ipywidgets.Button(description="duplicate")
        self.remove_button = ipywidgets.Button(description="remove")
        self.n_flows = ipywidgets.BoundedIntText(
            value=n_flows, min=1, max=10**7, description="flows"
        )
        self.seed = ipywidgets.IntText(value=seed, description="seed")
        self.sample_button = ipywidgets.Button(
            description="sample", button_style="info"
        )
        self.sample_view = ipywidgets.HTML()
        self.save_path = ipywidgets.Text(value="model.json", description="save to")
        self.save_button = ipywidgets.Button(description="save")
        self.status = ipywidgets.HTML()
        super().__init__(children=self._layout())

        self.pattern_select.observe(self._on_select, names="value")
        self.variable.observe(lambda _: self._show_variable(), names="value")
        self.apply_weight_button.on_click(lambda _: self._guarded(self._set_weight))
        self.fix_button.on_click(lambda _: self._guarded(self._fix))
        self.free_button.on_click(lambda _: self._guarded(self._free))
        self.table_button.on_click(lambda _: self._guarded(self._set_table_row))
        self.duplicate_button.on_click(lambda _: self._guarded(self._duplicate))
        self.remove_button.on_click(lambda _: self._guarded(self._remove))
        self.sample_button.on_click(lambda _: self._guarded(self._sample))
        self.save_button.on_click(lambda _: self._guarded(self._save))
        self.refresh()

    def _make_table_controls(self) -> None:
        self.variable = ipywidgets.Dropdown(description="variable")
        self.parent_values = ipywidgets.Text(
            description="parents", placeholder="tcp; 40-53"
        )
        self.probabilities = ipywidgets.Text(
            description="probabilities", placeholder="53: 0.9; 80: 0.1"
        )
        self.table_button = ipywidgets.Button(description="set table row")
        self.table_info = ipywidgets.HTML()

    def _layout(self) -> list[ipywidgets.Widget]:
        box = ipywidgets.HBox
        return [
            self.pattern_select,
            self.description,
            box(
                [
                    self.weight,
                    self.apply_weight_button,
                    self.duplicate_button,
                    self.remove_button,
                ]
            ),
            box(
                [
                    self.row,
                    self.feature,
                    self.cell_value,
                    self.fix_button,
                    self.free_button,
                ]
            ),
            box([self.variable, self.parent_values, self.probabilities]),
            box([self.table_button, self.table_info]),
            box([self.n_flows, self.seed, self.sample_button]),
            box([self.save_path, self.save_button]),
            self.status,
            self.sample_view,
        ]

    # -- display ------------------------------------------------------------------

    def refresh(self) -> None:
        """Relist the patterns of the current model and show the selected one."""
        table = describe_model(self.model)
        options = [
            (f"{i}: w={row.weight} ({100 * row.share:.1f}%) {row.cells}"[:160], i)
            for i, row in table.iterrows()
        ]
        index = min(self.selected, len(options) - 1)
        self.pattern_select.options = options
        self.pattern_select.value = index
        self._show(index)

    def _on_select(self, change: dict) -> None:
        if change["new"] is not None:
            self._show(int(change["new"]))

    def _show(self, index: int) -> None:
        self.selected = index
        pattern = self.model.patterns[index]
        self.description.value = (
            f"<pre>{html.escape(describe_pattern(self.model, index))}</pre>"
        )
        self.weight.value = int(self.model.weights[index])
        self.row.max = pattern.n_rows - 1
        self.row.value = min(self.row.value, self.row.max)
        self.variable.options = [variable_name(n) for n in pattern.nodes]
        self._show_variable()

    def _show_variable(self) -> None:
        nodes = self.model.patterns[self.selected].nodes
        names = [variable_name(n) for n in nodes]
        if self.variable.value not in names:
            self.table_info.value = "no network variable in this pattern"
            return
        node = nodes[names.index(self.variable.value)]
        parents = ", ".join(names[p] for p in node.parents) or "none"
        values = ", ".join(str(v) for v in node.domain[:12])
        more = " ..." if len(node.domain) > 12 else ""
        self.table_info.value = html.escape(
            f"parents: {parents}; values: {values}{more}"
        )

    # -- actions --------------------------------------------------------------------

    def apply_edit(
        self, function: Callable[..., FlowModel], *args, note: str = ""
    ) -> FlowModel:
        """Make ``function(model, *args)`` the current model and show it.

        ``function`` is an edit of :mod:`workbench.flowchronicle.edit`, such as
        ``fix_cell``; the buttons call this method too. Errors are raised (the
        buttons show them in ``status`` instead) and leave the model unchanged.

        Parameters
        ----------
        function : callable
            The edit, taking the model first.
        *args
            The edit's other arguments.
        note : str, optional
            What to show in ``status``; by default the call itself.

        Returns
        -------
        FlowModel
            The new current model.
        """
        model = function(self.model, *args)
        self.model = model
        self.refresh()
        self.status.value = html.escape(note or f"{function.__name__}{args!r}")
        return model

    def _guarded(self, action) -> None:
        try:
            action()
        except (WorkbenchError, OSError) as exc:
            self.status.value = f"<b>not done:</b> {html.escape(str(exc))}"

    def _set_weight(self) -> None:
        i, w = self.selected, int(self.weight.value)
        self.apply_edit(edit.set_weight, i, w, note=f"pattern {i}: weight {w}")

    def _fix(self) -> None:
        i, j, name = self.selected, int(self.row.value), self.feature.value
        value = edit.parse_value(self.model, name, self.cell_value.value)
        note = f"pattern {i} row {j}: {name} fixed to {value}"
        self.apply_edit(edit.fix_cell, i, j, name, value, note=note)

    def _free(self) -> None:
        i, j, name = self.selected, int(self.row.value), self.feature.value
        note = f"pattern {i} row {j}: {name} now drawn from the network"
        self.apply_edit(edit.free_cell, i, j, name, note=note)

    def _set_table_row(self) -> None:
        i, variable = self.selected, self.variable.value
        if variable is None:
            message = f"pattern {i} has no network variable; free a cell first."
            raise ModelEditError(message)
        parents, probabilities = parse_cpt_row(
            self.model,
            i,
            variable,
            self.parent_values.value,
            self.probabilities.value,
        )
        note = f"pattern {i}: table of {variable} given {parents} set"
        self.apply_edit(
            edit.set_cpt_row, i, variable, parents, probabilities, note=note
        )

    def _duplicate(self) -> None:
        i, copy = self.selected, len(self.model.patterns) - 1
        # The copy takes the empty pattern's place, just before it; show it.
        self.selected = copy
        note = f"pattern {i} copied to pattern {copy}"
        self.apply_edit(edit.duplicate_pattern, i, note=note)

    def _remove(self) -> None:
        i = self.selected
        self.apply_edit(edit.remove_pattern, i, note=f"pattern {i} removed")

    def _sample(self) -> None:
        self.sample = sample_flows(
            self.model,
            int(self.n_flows.value),
            seed=int(self.seed.value),
            with_pattern=True,
        )
        self.sample_view.value = self.sample.head(20).to_html(max_cols=12)
        self.status.value = f"sampled {len(self.sample)} flows"

    def _save(self) -> None:
        path = save_model(self.model, self.save_path.value)
        self.status.value = f"saved {html.escape(str(path))}"
