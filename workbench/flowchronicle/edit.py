"""Edits of a FlowChronicle model: weights, removal, copies, timing, cells, tables.

Every function returns a new :class:`~workbench.flowchronicle.model.FlowModel` and
leaves its argument unchanged; an edit that would leave the model unable to generate
(a probability row that is no distribution, a value outside its column's domain, a
row reusing an address nobody draws) raises :class:`~workbench.errors.ModelEditError`
saying what to do instead. This module gathers the whole editing API; cell and table
edits are written in ``cell_edits`` and ``table_edits``. No undo history is kept.
"""

from __future__ import annotations

from dataclasses import replace

from workbench.errors import ModelEditError
from workbench.flowchronicle.cell_edits import fix_cell, free_cell
from workbench.flowchronicle.edit_checks import check_index, parse_value, with_pattern
from workbench.flowchronicle.model import FlowModel
from workbench.flowchronicle.table_edits import set_cpt_row

__all__ = [
    "set_weight",
    "remove_pattern",
    "duplicate_pattern",
    "set_bandwidth",
    "fix_cell",
    "free_cell",
    "set_cpt_row",
    "parse_value",
]


def set_weight(model: FlowModel, index: int, weight: int) -> FlowModel:
    """Model with pattern ``index`` drawn ``weight`` times per sum of weights.

    Examples
    --------
    >>> import numpy as np
    >>> from workbench.flowchronicle.model import GenerativePattern, TimeModel
    >>> p = GenerativePattern(((),), (), TimeModel(np.zeros(0), ()))
    >>> set_weight(FlowModel((), (p,), (3,), (0, 1), 0.0), 0, 7).weights
    (7,)
    """
    check_index(model, index)
    if weight < 0:
        raise ModelEditError(
            f"weight {weight} is negative; use 0 to disable a pattern."
        )
    weights = list(model.weights)
    weights[index] = int(weight)
    return replace(model, weights=tuple(weights))


def remove_pattern(model: FlowModel, index: int) -> FlowModel:
    """Model without pattern ``index`` (the empty pattern cannot be removed)."""
    check_index(model, index, editable=True)
    keep = [i for i in range(len(model.patterns)) if i != index]
    return replace(
        model,
        patterns=tuple(model.patterns[i] for i in keep),
        weights=tuple(model.weights[i] for i in keep),
    )


def duplicate_pattern(
    model: FlowModel, index: int, weight: int | None = None
) -> FlowModel:
    """Model with a copy of pattern ``index`` inserted before the empty pattern.

    The copy gets ``weight`` (default: the original's) and is an ordinary, editable
    pattern even when the original is the empty pattern.
    """
    check_index(model, index)
    copy = model.patterns[index]
    last = len(model.patterns) - 1
    weight = model.weights[index] if weight is None else int(weight)
    return replace(
        model,
        patterns=model.patterns[:last] + (copy,) + model.patterns[last:],
        weights=model.weights[:last] + (weight,) + model.weights[last:],
    )


def set_bandwidth(model: FlowModel, index: int, bandwidth: float) -> FlowModel:
    """Model whose pattern ``index`` jitters times by ``bandwidth`` ticks (1/100 s)."""
    check_index(model, index)
    if not bandwidth >= 0:
        raise ModelEditError(f"bandwidth {bandwidth} must be a number >= 0.")
    pattern = model.patterns[index]
    pattern = replace(
        pattern, time_model=replace(pattern.time_model, bandwidth=float(bandwidth))
    )
    return with_pattern(model, index, pattern)
