"""Edits that change what kind a cell is: fix it to one value, or free it.

A fixed cell always takes its value; a free cell is a variable of the pattern's
Bayesian network. Both edits keep address reuse consistent: a row never repeats an
address that no earlier row draws. Each function returns a new model; table entries
are edited by ``table_edits``, weights and whole patterns by ``edit``.
"""

from __future__ import annotations

import logging
from dataclasses import replace

import numpy as np

from workbench.errors import ModelEditError
from workbench.flowchronicle.edit_checks import (
    check_index,
    check_row,
    checked_model,
    column_values,
    feature_kind,
    normalise_value,
    with_pattern,
)
from workbench.flowchronicle.model import (
    FixedCell,
    FlowModel,
    GenerativePattern,
    Node,
    ReuseCell,
)
from workbench.flowchronicle.network import feature_marginal, node_marginal

__all__ = ["FREE_TABLES", "fix_cell", "free_cell"]

logger = logging.getLogger(__name__)

#: Tables a freed cell can start from (see :func:`free_cell`).
FREE_TABLES = ("marginal", "uniform")

Cells = list[list[FixedCell | ReuseCell]]


def fix_cell(
    model: FlowModel, index: int, row: int, feature: str, value: object
) -> FlowModel:
    """Model where ``feature`` of ``row`` in pattern ``index`` always takes ``value``.

    Parameters
    ----------
    model : FlowModel
    index : int
        The pattern (not the empty one: copy it with ``duplicate_pattern`` first).
    row : int
        The row of the cell.
    feature : str
        The feature name, e.g. ``"DstPt"``.
    value : object
        The new value, inside the column's domain: a port 0-65535, an address, a
        protocol or flag string the model already holds, or for a binned feature an
        interval ``(lo, hi)`` or a single number.

    Returns
    -------
    FlowModel

    Raises
    ------
    ModelEditError
        For an unknown pattern, row or feature, or a value outside the column's
        domain.

    Notes
    -----
    A Fixed or Reuse cell is replaced. A network node is removed, as an intervention:
    its own parents keep their tables, and its children are conditioned on
    ``value`` when the node took it in training. For a value it never took, its
    children keep their average behaviour: the node is summed out with its marginal
    (exact when it is independent of each child's other parents). Cells of later
    rows that reuse this address become fixed to the same value too, as constant
    promotion does during mining, so no row reuses an address nobody draws.

    Examples
    --------
    >>> from workbench.flowchronicle.model import TimeModel
    >>> from workbench.flowchronicle.prepare import Feature
    >>> p = GenerativePattern(((FixedCell("DstPt", 53),),), (),
    ...                       TimeModel(np.zeros(0), ()))
    >>> m = FlowModel((Feature("DstPt", "id.resp_p", "categorical"),), (p, p), (1, 1),
    ...               (0, 1), 0.0)
    >>> fix_cell(m, 0, 0, "DstPt", 5353).patterns[0].rows
    ((FixedCell(feature='DstPt', value=5353),),)
    """
    check_index(model, index, editable=True)
    check_row(model, index, row)
    value = normalise_value(model, feature, value)

    pattern = model.patterns[index]
    nodes = pattern.nodes
    position = _node_at(pattern, row, feature)
    if position is not None:
        nodes = _drop_node(nodes, position, value)
    rows = _cells(pattern)
    rows[row] = [c for c in rows[row] if c.feature != feature]
    rows[row].append(FixedCell(feature, value))
    _fix_reuses(rows, index)

    pattern = replace(pattern, rows=tuple(tuple(r) for r in rows), nodes=nodes)
    return checked_model(with_pattern(model, index, pattern))


def free_cell(
    model: FlowModel, index: int, row: int, feature: str, *, table: str = "marginal"
) -> FlowModel:
    """Model where ``feature`` of ``row`` in pattern ``index`` is drawn, not fixed.

    The cell becomes a new root variable of the pattern's network (no parents), so
    its value is drawn independently of the other cells.

    Parameters
    ----------
    model : FlowModel
    index : int
        The pattern (not the empty one, whose cells are all free already).
    row : int
        The row of the cell.
    feature : str
        The feature name, e.g. ``"DstPt"``.
    table : {"marginal", "uniform"}, default "marginal"
        The new variable's distribution, over every value the model holds for the
        feature: ``"marginal"`` gives each value its share among the flows the model
        generates (see :func:`~workbench.flowchronicle.network.feature_marginal`), a
        data-free estimate of the column's marginal; ``"uniform"`` gives each value
        the same probability.

    Returns
    -------
    FlowModel

    Raises
    ------
    ModelEditError
        For an unknown pattern, row, feature or table, or a cell that is already a
        network variable.

    Notes
    -----
    Freeing a Reuse cell breaks the link: the row draws its own address instead of
    repeating the earlier one. Freeing a Fixed cell that later rows reuse keeps the
    reuse: those rows repeat the value drawn here. Edit the new variable's table with
    :func:`~workbench.flowchronicle.table_edits.set_cpt_row`.

    Examples
    --------
    >>> from workbench.flowchronicle.model import TimeModel
    >>> from workbench.flowchronicle.prepare import Feature
    >>> tm = TimeModel(np.zeros(0), ())
    >>> udp = GenerativePattern(((FixedCell("Proto", "udp"),),), (), tm)
    >>> tcp = GenerativePattern(((FixedCell("Proto", "tcp"),),), (), tm)
    >>> m = FlowModel((Feature("Proto", "proto", "categorical"),), (udp, tcp),
    ...               (1, 3), (0, 1), 0.0)
    >>> node = free_cell(m, 0, 0, "Proto").patterns[0].nodes[0]
    >>> node.domain, node.cpt.tolist()
    (('tcp', 'udp'), [[0.75, 0.25]])
    """
    check_index(model, index, editable=True)
    check_row(model, index, row)
    feature_kind(model, feature)
    if table not in FREE_TABLES:
        message = f"table={table!r} is not a choice; use one of {list(FREE_TABLES)}."
        raise ModelEditError(message)
    pattern = model.patterns[index]
    if _node_at(pattern, row, feature) is not None:
        message = (
            f"pattern {index} row {row}: {feature} is already drawn from the "
            f"network; change its table with set_cpt_row or fix it with fix_cell."
        )
        raise ModelEditError(message)

    domain = column_values(model, feature)
    if table == "marginal":
        shares = feature_marginal(model, feature)
        probs = np.array([shares.get(v, 0.0) for v in domain])
    else:
        probs = np.full(len(domain), 1.0 / len(domain))
    node = Node(feature, row, domain, (), (probs / probs.sum())[None, :])
    rows = _cells(pattern)
    rows[row] = [c for c in rows[row] if c.feature != feature]

    pattern = replace(
        pattern, rows=tuple(tuple(r) for r in rows), nodes=(*pattern.nodes, node)
    )
    return checked_model(with_pattern(model, index, pattern))


def _cells(pattern: GenerativePattern) -> Cells:
    return [list(r) for r in pattern.rows]


def _node_at(pattern: GenerativePattern, row: int, feature: str) -> int | None:
    return next(
        (
            k
            for k, n in enumerate(pattern.nodes)
            if n.row == row and n.feature == feature
        ),
        None,
    )


def _fix_reuses(rows: Cells, index: int) -> None:
    """Turn every Reuse of a Fixed cell into that Fixed value, in place."""
    # Sources lie in earlier rows, so one pass in row order settles chains too.
    for j, row in enumerate(rows):
        for k, cell in enumerate(row):
            if not isinstance(cell, ReuseCell):
                continue
            source = next(
                (c for c in rows[cell.source_row] if c.feature == cell.source_feature),
                None,
            )
            if isinstance(source, FixedCell):
                row[k] = FixedCell(cell.feature, source.value)
                logger.info(
                    "pattern %d row %d: %s reused a fixed address; fixed to %s too",
                    index,
                    j,
                    cell.feature,
                    source.value,
                )


def _drop_node(
    nodes: tuple[Node, ...], position: int, value: object
) -> tuple[Node, ...]:
    """``nodes`` without node ``position``, its children conditioned on ``value``."""
    target = nodes[position]
    if value in target.domain:
        weights = np.zeros(len(target.domain))
        weights[target.domain.index(value)] = 1.0
    else:
        # A value the node never took: children keep their average behaviour.
        weights = node_marginal(nodes, position)
    out = []
    for k, node in enumerate(nodes):
        if k == position:
            continue
        if position in node.parents:
            node = _condition(node, nodes, position, weights)
        parents = tuple(p - (p > position) for p in node.parents)
        out.append(replace(node, parents=parents))
    return tuple(out)


def _condition(
    node: Node, nodes: tuple[Node, ...], parent: int, weights: np.ndarray
) -> Node:
    """``node`` with parent ``parent`` summed out under ``weights`` over its domain."""
    sizes = [len(nodes[p].domain) for p in node.parents]
    table = node.cpt.reshape(*sizes, len(node.domain))
    axis = node.parents.index(parent)
    table = np.tensordot(weights, np.moveaxis(table, axis, 0), axes=1)
    parents = tuple(p for p in node.parents if p != parent)
    return replace(node, parents=parents, cpt=table.reshape(-1, len(node.domain)))
