"""A panel to browse, edit and sample a FlowChronicle model in a notebook.

The panel holds the current :class:`~workbench.flowchronicle.model.FlowModel` and calls
the edit functions of :mod:`workbench.flowchronicle.edit` on button clicks; every edit
makes a new model, so earlier ones stay valid. It does not mine patterns or score
synthetic flows.
"""

from __future__ import annotations

import html

import ipywidgets
import pandas as pd
import traitlets

from workbench.errors import WorkbenchError
from workbench.flowchronicle import edit
from workbench.flowchronicle.describe import describe_model, describe_pattern
from workbench.flowchronicle.model import FlowModel
from workbench.flowchronicle.model_io import save_model
from workbench.flowchronicle.sample import sample_flows

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
    feature, row, cell_value, fix_button : ipywidgets widgets
        Which cell of the selected pattern to fix, the value, and the button.
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
    >>> editor.weight.value
    4
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
        self.apply_weight_button.on_click(lambda _: self._apply(self._set_weight))
        self.fix_button.on_click(lambda _: self._apply(self._fix))
        self.duplicate_button.on_click(lambda _: self._apply(self._duplicate))
        self.remove_button.on_click(lambda _: self._apply(self._remove))
        self.sample_button.on_click(lambda _: self._guarded(self._sample))
        self.save_button.on_click(lambda _: self._guarded(self._save))
        self.refresh()

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
            box([self.row, self.feature, self.cell_value, self.fix_button]),
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

    # -- actions --------------------------------------------------------------------

    def _apply(self, action) -> None:
        def run() -> None:
            self.model, message = action()
            self.refresh()
            self.status.value = html.escape(message)

        self._guarded(run)

    def _guarded(self, action) -> None:
        try:
            action()
        except (WorkbenchError, OSError) as exc:
            self.status.value = f"<b>not done:</b> {html.escape(str(exc))}"

    def _set_weight(self) -> tuple[FlowModel, str]:
        i, w = self.selected, int(self.weight.value)
        return edit.set_weight(self.model, i, w), f"pattern {i}: weight {w}"

    def _fix(self) -> tuple[FlowModel, str]:
        i, j, name = self.selected, int(self.row.value), self.feature.value
        value = edit.parse_value(self.model, name, self.cell_value.value)
        model = edit.fix_cell(self.model, i, j, name, value)
        return model, f"pattern {i} row {j}: {name} fixed to {value}"

    def _duplicate(self) -> tuple[FlowModel, str]:
        i = self.selected
        model = edit.duplicate_pattern(self.model, i)
        self.selected = len(model.patterns) - 2
        return model, f"pattern {i} copied to pattern {self.selected}"

    def _remove(self) -> tuple[FlowModel, str]:
        i = self.selected
        return edit.remove_pattern(self.model, i), f"pattern {i} removed"

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
