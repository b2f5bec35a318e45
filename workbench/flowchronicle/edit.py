"""Edits of a FlowChronicle model: weights, removal, copies, fixed values, timing.

Every function returns a new :class:`~workbench.flowchronicle.model.FlowModel` and
leaves its argument unchanged; an edit that would leave the model unable to generate
raises :class:`~workbench.errors.ModelEditError` saying what to do instead. Fixing a
network cell conditions its children on the chosen value. No undo history is kept.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from workbench.errors import ModelEditError
from workbench.flowchronicle.model import (
    FixedCell,
    FlowModel,
    GenerativePattern,
    Node,
    model_problems,
)

__all__ = [
    "set_weight",
    "remove_pattern",
    "duplicate_pattern",
    "fix_cell",
    "set_bandwidth",
    "parse_value",
]


def _check_index(model: FlowModel, index: int, *, editable: bool = False) -> None:
    if not 0 <= index < len(model.patterns):
        message = (
            f"pattern {index} does not exist; the model has patterns 0 to "
            f"{len(model.patterns) - 1}."
        )
        raise ModelEditError(message)
    if editable and index == len(model.patterns) - 1:
        message = (
            f"pattern {index} is the empty pattern (unexplained flows); copy it with "
            "duplicate_pattern and edit the copy."
        )
        raise ModelEditError(message)


def _checked(model: FlowModel) -> FlowModel:
    problems = model_problems(model)
    if problems:
        raise ModelEditError("the edit breaks the model: " + "; ".join(problems[:3]))
    return model


def set_weight(model: FlowModel, index: int, weight: int) -> FlowModel:
    """Model with pattern ``index`` drawn ``weight`` times per sum of weights.

    Examples
    --------
    >>> from workbench.flowchronicle.model import GenerativePattern, TimeModel
    >>> p = GenerativePattern(((),), (), TimeModel(np.zeros(0), ()))
    >>> set_weight(FlowModel((), (p,), (3,), (0, 1), 0.0), 0, 7).weights
    (7,)
    """
    _check_index(model, index)
    if weight < 0:
        raise ModelEditError(
            f"weight {weight} is negative; use 0 to disable a pattern."
        )
    weights = list(model.weights)
    weights[index] = int(weight)
    return replace(model, weights=tuple(weights))


def remove_pattern(model: FlowModel, index: int) -> FlowModel:
    """Model without pattern ``index`` (the empty pattern cannot be removed)."""
    _check_index(model, index, editable=True)
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
    _check_index(model, index)
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
    _check_index(model, index)
    if not bandwidth >= 0:
        raise ModelEditError(f"bandwidth {bandwidth} must be a number >= 0.")
    pattern = model.patterns[index]
    pattern = replace(
        pattern, time_model=replace(pattern.time_model, bandwidth=float(bandwidth))
    )
    return _with_pattern(model, index, pattern)


def _with_pattern(
    model: FlowModel, index: int, pattern: GenerativePattern
) -> FlowModel:
    patterns = list(model.patterns)
    patterns[index] = pattern
    return replace(model, patterns=tuple(patterns))


def fix_cell(
    model: FlowModel, index: int, row: int, feature: str, value: object
) -> FlowModel:
    """Model where ``feature`` of ``row`` in pattern ``index`` always takes ``value``.

    A Fixed or Reuse cell is replaced. A network node is removed and its children are
    conditioned on ``value``, which must then lie in the node's domain. Binned features
    take an interval ``(lo, hi)`` or a single number.

    Examples
    --------
    >>> from workbench.flowchronicle.model import GenerativePattern, TimeModel
    >>> from workbench.flowchronicle.prepare import Feature
    >>> p = GenerativePattern(((FixedCell("DstPt", 53),),), (),
    ...                       TimeModel(np.zeros(0), ()))
    >>> m = FlowModel((Feature("DstPt", "id.resp_p", "categorical"),), (p, p), (1, 1),
    ...               (0, 1), 0.0)
    >>> fix_cell(m, 0, 0, "DstPt", 5353).patterns[0].rows
    ((FixedCell(feature='DstPt', value=5353),),)
    """
    _check_index(model, index, editable=True)
    pattern = model.patterns[index]
    if not 0 <= row < pattern.n_rows:
        raise ModelEditError(
            f"pattern {index} has no row {row}; it has {pattern.n_rows} rows."
        )
    value = _normalise(model, feature, value)

    rows = [list(r) for r in pattern.rows]
    nodes = pattern.nodes
    position = next(
        (k for k, n in enumerate(nodes) if n.row == row and n.feature == feature), None
    )
    if position is not None:
        nodes = _drop_node(nodes, position, value, index)
    rows[row] = [c for c in rows[row] if c.feature != feature]
    rows[row].append(FixedCell(feature, value))
    pattern = replace(pattern, rows=tuple(tuple(r) for r in rows), nodes=nodes)
    return _checked(_with_pattern(model, index, pattern))


def _kind(model: FlowModel, feature: str) -> str:
    try:
        return model.feature(feature).kind
    except KeyError:
        names = [f.name for f in model.features]
        message = f"unknown feature {feature!r}; use one of {names}."
        raise ModelEditError(message) from None


def _normalise(model: FlowModel, feature: str, value: object) -> object:
    kind = _kind(model, feature)
    if kind == "count":
        low, high = (value, value + 1) if np.isscalar(value) else value
        low, high = int(low), int(high)
        if not 0 <= low < high:
            raise ModelEditError(
                f"{feature}: need 0 <= lo < hi for [lo, hi), got {value!r}."
            )
        return (low, high)
    if kind == "real":
        low, high = (value, value) if np.isscalar(value) else value
        if not 0 <= float(low) <= float(high):
            raise ModelEditError(
                f"{feature}: need 0 <= a <= b for [a, b], got {value!r}."
            )
        return (float(low), float(high))
    if feature == "DstPt" and value is not None:
        return int(value)
    return value


def _drop_node(
    nodes: tuple[Node, ...], position: int, value: object, index: int
) -> tuple[Node, ...]:
    target = nodes[position]
    children = [k for k, n in enumerate(nodes) if position in n.parents]
    if children and value not in target.domain:
        message = (
            f"pattern {index}: other cells depend on {target.feature} of row "
            f"{target.row}, so its new value must be one seen in training: "
            f"{list(target.domain)[:10]}."
        )
        raise ModelEditError(message)
    chosen = target.domain.index(value) if children else 0
    out = []
    for k, node in enumerate(nodes):
        if k == position:
            continue
        if position in node.parents:
            node = _condition(node, nodes, position, chosen)
        parents = tuple(p - (p > position) for p in node.parents)
        out.append(replace(node, parents=parents))
    return tuple(out)


def _condition(node: Node, nodes: tuple[Node, ...], parent: int, chosen: int) -> Node:
    """``node`` with parent ``parent`` fixed at domain index ``chosen``."""
    sizes = [len(nodes[p].domain) for p in node.parents]
    table = node.cpt.reshape(*sizes, len(node.domain))
    axis = node.parents.index(parent)
    table = np.take(table, chosen, axis=axis)
    parents = tuple(p for p in node.parents if p != parent)
    return replace(node, parents=parents, cpt=table.reshape(-1, len(node.domain)))


def parse_value(model: FlowModel, feature: str, text: str) -> object:
    """A typed cell value from text: a port number, a word, or ``lo-hi`` for bins.

    Examples
    --------
    >>> from workbench.flowchronicle.prepare import Feature
    >>> m = FlowModel((Feature("DstPt", "id.resp_p", "categorical"),
    ...                Feature("BwdByt", "orig_bytes", "count")), (), (), (0, 1), 0.0)
    >>> parse_value(m, "DstPt", " 443 "), parse_value(m, "BwdByt", "40-53")
    (443, (40, 53))
    """
    kind = _kind(model, feature)
    text = text.strip()
    try:
        if kind in ("count", "real"):
            parts = [float(p) for p in text.replace(",", "-").split("-") if p.strip()]
            if len(parts) not in (1, 2):
                raise ValueError(text)
            value = parts[0] if len(parts) == 1 else tuple(parts)
            return _normalise(model, feature, value)
        if feature == "DstPt":
            return int(text)
    except ValueError:
        message = (
            f"{feature}: cannot read {text!r}; give a number, or 'lo-hi' for a binned "
            "feature."
        )
        raise ModelEditError(message) from None
    return text
