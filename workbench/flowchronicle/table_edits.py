"""Edits of a pattern's conditional tables: one row of one variable at a time.

A row is named by the variable (``<feature>-r<row>``) and the values of its parents;
its new probabilities must form a distribution over the variable's domain. Each
function returns a new model. The network's structure and domains are not changed
here: fix or free cells with ``cell_edits`` for that.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from workbench.errors import ModelEditError
from workbench.flowchronicle.edit_checks import (
    check_index,
    checked_model,
    parse_value,
    with_pattern,
)
from workbench.flowchronicle.model import FlowModel, Node
from workbench.flowchronicle.network import find_node, variable_name

__all__ = ["SUM_TOLERANCE", "set_cpt_row", "cpt_row_index", "parse_cpt_row"]

#: Largest accepted distance of a probability row's sum from one.
SUM_TOLERANCE = 1e-9


def set_cpt_row(
    model: FlowModel,
    index: int,
    variable: str,
    parent_values: Mapping[str, object] | Sequence[object] | None,
    probabilities: Mapping[object, float] | Sequence[float],
) -> FlowModel:
    """Model where ``variable`` of pattern ``index`` follows ``probabilities``.

    Only the table row of the given parent configuration changes.

    Parameters
    ----------
    model : FlowModel
    index : int
        The pattern; the empty pattern's tables can be edited too.
    variable : str
        The network variable, ``<feature>-r<row>`` (e.g. ``"DstPt-r0"``); see
        :func:`~workbench.flowchronicle.network.variable_name`.
    parent_values : mapping, sequence or None
        The parents' values, by variable name or in the order of the node's parents;
        ``None`` or empty for a variable without parents.
    probabilities : mapping or sequence of float
        One probability per value of the variable's domain, in domain order, or a
        mapping from values to probabilities (values left out get 0). They must be
        finite, non-negative and sum to one within ``SUM_TOLERANCE``.

    Returns
    -------
    FlowModel

    Raises
    ------
    ModelEditError
        For an unknown pattern or variable, parent values that are missing or
        outside their domains, or probabilities that do not form a distribution
        over the variable's domain.

    Examples
    --------
    >>> from workbench.flowchronicle.model import GenerativePattern, TimeModel
    >>> from workbench.flowchronicle.prepare import Feature
    >>> a = Node("Proto", 0, ("tcp", "udp"), (), np.array([[0.5, 0.5]]))
    >>> b = Node("DstPt", 0, (80, 53), (0,), np.array([[0.9, 0.1], [0.2, 0.8]]))
    >>> empty = GenerativePattern(((),), (a, b), TimeModel(np.zeros(0), ()))
    >>> m = FlowModel((Feature("Proto", "proto", "categorical"),
    ...                Feature("DstPt", "id.resp_p", "categorical")), (empty,), (1,),
    ...               (0, 1), 0.0)
    >>> edited = set_cpt_row(m, 0, "DstPt-r0", {"Proto-r0": "udp"}, {53: 1.0})
    >>> edited.patterns[0].nodes[1].cpt.tolist()
    [[0.9, 0.1], [0.0, 1.0]]
    """
    check_index(model, index)
    pattern = model.patterns[index]
    k = find_node(pattern, variable)
    node = pattern.nodes[k]
    row = cpt_row_index(pattern.nodes, k, parent_values)
    probs = _distribution(node, probabilities)

    cpt = node.cpt.copy()
    cpt[row] = probs
    nodes = list(pattern.nodes)
    nodes[k] = replace(node, cpt=cpt)

    pattern = replace(pattern, nodes=tuple(nodes))
    return checked_model(with_pattern(model, index, pattern))


def cpt_row_index(
    nodes: tuple[Node, ...],
    k: int,
    parent_values: Mapping[str, object] | Sequence[object] | None,
) -> int:
    """Row of node ``k``'s table for the given parent values (see set_cpt_row).

    Examples
    --------
    >>> a = Node("Proto", 0, ("tcp", "udp"), (), np.array([[0.5, 0.5]]))
    >>> b = Node("DstPt", 0, (80, 53), (0,), np.array([[0.9, 0.1], [0.2, 0.8]]))
    >>> cpt_row_index((a, b), 1, ["udp"]), cpt_row_index((a, b), 0, None)
    (1, 0)
    """
    node = nodes[k]
    names = [variable_name(nodes[p]) for p in node.parents]
    values = _by_parent(variable_name(node), names, parent_values)
    row = 0
    for p, name, value in zip(node.parents, names, values, strict=True):
        domain = nodes[p].domain
        position = _position(domain, value)
        if position is None:
            message = (
                f"{name}: {value!r} is outside its domain; use one of "
                f"{list(domain)[:20]}."
            )
            raise ModelEditError(message)
        row = row * len(domain) + position
    return row


def _by_parent(
    variable: str,
    names: list[str],
    parent_values: Mapping[str, object] | Sequence[object] | None,
) -> list[object]:
    if parent_values is None:
        parent_values = ()
    if isinstance(parent_values, Mapping):
        if set(parent_values) != set(names):
            message = (
                f"{variable} has parents {names}; give a value for each of them "
                f"(got {sorted(parent_values)})."
            )
            raise ModelEditError(message)
        return [parent_values[n] for n in names]
    values = list(parent_values)
    if len(values) != len(names):
        message = (
            f"{variable} has parents {names}; give one value for each of them, in "
            f"that order (got {len(values)})."
        )
        raise ModelEditError(message)
    return values


def _position(domain: tuple, value: object) -> int | None:
    if isinstance(value, list):
        value = tuple(value)
    return next((i for i, v in enumerate(domain) if v == value), None)


def _distribution(
    node: Node, probabilities: Mapping[object, float] | Sequence[float]
) -> np.ndarray:
    name = variable_name(node)
    try:
        probs = _dense(node, probabilities)
    except ModelEditError:
        raise
    except (TypeError, ValueError):
        message = f"{name}: probabilities must be numbers, got {probabilities!r}."
        raise ModelEditError(message) from None
    if probs.shape != (len(node.domain),):
        message = (
            f"{name}: {probs.size} probabilities for a domain of "
            f"{len(node.domain)} values {list(node.domain)[:20]}; give one each."
        )
        raise ModelEditError(message)
    if not np.all(np.isfinite(probs)) or np.any(probs < 0):
        message = f"{name}: probabilities must be finite and >= 0, got {probs}."
        raise ModelEditError(message)
    total = float(probs.sum())
    if not math.isclose(total, 1.0, rel_tol=0.0, abs_tol=SUM_TOLERANCE):
        message = (
            f"{name}: probabilities sum to {total!r}, not 1 (tolerance "
            f"{SUM_TOLERANCE}); rescale them."
        )
        raise ModelEditError(message)
    return probs


def _dense(
    node: Node, probabilities: Mapping[object, float] | Sequence[float]
) -> np.ndarray:
    """Probabilities as one float per domain value, in domain order."""
    if not isinstance(probabilities, Mapping):
        return np.asarray(list(probabilities), dtype=float).reshape(-1)
    probs = np.zeros(len(node.domain))
    for value, p in probabilities.items():
        position = _position(node.domain, value)
        if position is None:
            message = (
                f"{variable_name(node)}: {value!r} is outside its domain "
                f"{list(node.domain)[:20]}; fix the cell to a new value with "
                "fix_cell instead."
            )
            raise ModelEditError(message)
        probs[position] = float(p)
    return probs


def parse_cpt_row(
    model: FlowModel,
    index: int,
    variable: str,
    parents_text: str,
    probabilities_text: str,
) -> tuple[list[object], dict[object, float] | list[float]]:
    """Arguments of :func:`set_cpt_row` read from two lines of text.

    ``parents_text`` lists the parents' values in order, separated by ``;`` (bins as
    ``lo-hi``). ``probabilities_text`` is either ``value: p; value: p`` (values left
    out get 0) or ``p; p; ...`` over the whole domain in order.

    Examples
    --------
    >>> from workbench.flowchronicle.model import GenerativePattern, TimeModel
    >>> from workbench.flowchronicle.prepare import Feature
    >>> a = Node("Proto", 0, ("tcp", "udp"), (), np.array([[0.5, 0.5]]))
    >>> b = Node("DstPt", 0, (80, 53), (0,), np.array([[0.9, 0.1], [0.2, 0.8]]))
    >>> empty = GenerativePattern(((),), (a, b), TimeModel(np.zeros(0), ()))
    >>> m = FlowModel((Feature("Proto", "proto", "categorical"),
    ...                Feature("DstPt", "id.resp_p", "categorical")), (empty,), (1,),
    ...               (0, 1), 0.0)
    >>> parse_cpt_row(m, 0, "DstPt-r0", "udp", "53: 1")
    (['udp'], {53: 1.0})
    """
    check_index(model, index)
    nodes = model.patterns[index].nodes
    node = nodes[find_node(model.patterns[index], variable)]
    parents = [p.strip() for p in parents_text.split(";") if p.strip()]
    if len(parents) != len(node.parents):
        names = [variable_name(nodes[p]) for p in node.parents]
        message = (
            f"{variable} has parents {names}; give their values in that order, "
            f"separated by ';' (got {len(parents)})."
        )
        raise ModelEditError(message)
    values = [
        parse_value(model, nodes[p].feature, text)
        for p, text in zip(node.parents, parents, strict=True)
    ]
    entries = [e.strip() for e in probabilities_text.split(";") if e.strip()]
    return values, _parse_probabilities(model, node, entries)


def _parse_probabilities(
    model: FlowModel, node: Node, entries: list[str]
) -> dict[object, float] | list[float]:
    try:
        if not any(":" in e for e in entries):
            return [float(e) for e in entries]
        # rpartition: IPv6 addresses hold colons themselves.
        pairs = [e.rpartition(":") for e in entries]
        return {
            parse_value(model, node.feature, value): float(p) for value, _, p in pairs
        }
    except ModelEditError:
        raise
    except ValueError:
        message = (
            f"{variable_name(node)}: cannot read the probabilities {entries}; write "
            "'value: p; value: p' or one number per value, separated by ';'."
        )
        raise ModelEditError(message) from None
