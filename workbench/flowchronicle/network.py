"""A pattern's Bayesian network seen from outside: variable names, marginals, pgmpy.

Variables are named ``<feature>-r<row>`` as in the FlowChronicle reference. Marginals
are exact (variable elimination over a node's ancestors, in numpy), and
:func:`pattern_network` exports one pattern's network to pgmpy so that it can be
inspected and queried there. Mining and sampling never use pgmpy: they keep their own
vectorised code, with pgmpy as the test oracle. Nothing here changes a model.
"""

from __future__ import annotations

import warnings

import numpy as np

from workbench.errors import ModelEditError
from workbench.flowchronicle.edit_checks import check_index
from workbench.flowchronicle.model import FixedCell, FlowModel, GenerativePattern, Node

__all__ = [
    "variable_name",
    "find_node",
    "node_marginal",
    "cell_distribution",
    "feature_marginal",
    "pattern_network",
]


def variable_name(node: Node) -> str:
    """The network variable name of ``node``: ``<feature>-r<row>``.

    Examples
    --------
    >>> variable_name(Node("DstPt", 1, (53,), (), np.ones((1, 1))))
    'DstPt-r1'
    """
    return f"{node.feature}-r{node.row}"


def find_node(pattern: GenerativePattern, variable: str) -> int:
    """Position of the node called ``variable`` in ``pattern.nodes``.

    Raises
    ------
    ModelEditError
        If the pattern's network has no such variable; the message lists them.
    """
    names = [variable_name(n) for n in pattern.nodes]
    if variable not in names:
        message = (
            f"the pattern's network has no variable {variable!r}; its variables are "
            f"{names} (fixed and reused cells are not network variables)."
        )
        raise ModelEditError(message)
    return names.index(variable)


def node_marginal(nodes: tuple[Node, ...], k: int) -> np.ndarray:
    """Exact marginal distribution of node ``k`` over its domain.

    Nodes must be in topological order (parents first), as in a model. Only the
    ancestors of ``k`` are visited; each is multiplied in and summed out as soon as
    no later ancestor needs it.

    Examples
    --------
    >>> a = Node("Proto", 0, ("tcp", "udp"), (), np.array([[0.25, 0.75]]))
    >>> b = Node("DstPt", 0, (80, 53), (0,), np.array([[1.0, 0.0], [0.2, 0.8]]))
    >>> node_marginal((a, b), 1).round(3).tolist()
    [0.4, 0.6]
    """
    needed = _ancestors(nodes, k) | {k}
    order = sorted(needed)
    factor, axes = np.ones(()), []
    for u in order:
        node = nodes[u]
        sizes = [len(nodes[p].domain) for p in node.parents]
        table = node.cpt.reshape(*sizes, len(node.domain))
        out = [*axes, u]
        # einsum takes at most 52 axis labels: number the live variables afresh.
        label = {v: i for i, v in enumerate(out)}
        factor = np.einsum(
            factor,
            [label[v] for v in axes],
            table,
            [label[v] for v in (*node.parents, u)],
            [label[v] for v in out],
        )
        later = {p for w in order if w > u for p in nodes[w].parents} | {k}
        keep = [a for a in out if a in later]
        factor = np.einsum(factor, list(range(len(out))), [label[v] for v in keep])
        axes = keep
    return factor / factor.sum()


def _ancestors(nodes: tuple[Node, ...], k: int) -> set[int]:
    seen: set[int] = set()
    stack = list(nodes[k].parents)
    while stack:
        u = stack.pop()
        if u not in seen:
            seen.add(u)
            stack.extend(nodes[u].parents)
    return seen


def cell_distribution(
    pattern: GenerativePattern, row: int, feature: str
) -> dict[object, float]:
    """Distribution of the value of ``feature`` in ``row``: value -> probability.

    A Fixed cell gives its value with probability 1, a Reuse cell the distribution
    of the cell it repeats, a network node its exact marginal.

    Examples
    --------
    >>> from workbench.flowchronicle.model import TimeModel
    >>> p = GenerativePattern(((FixedCell("Proto", "udp"),),), (),
    ...                       TimeModel(np.zeros(0), ()))
    >>> cell_distribution(p, 0, "Proto")
    {'udp': 1.0}
    """
    for k, node in enumerate(pattern.nodes):
        if (node.row, node.feature) == (row, feature):
            marginal = node_marginal(pattern.nodes, k)
            return dict(zip(node.domain, marginal.tolist(), strict=True))
    for cell in pattern.rows[row]:
        if cell.feature == feature:
            if isinstance(cell, FixedCell):
                return {cell.value: 1.0}
            return cell_distribution(pattern, cell.source_row, cell.source_feature)
    message = f"row {row} defines no value for {feature!r}; check the model."
    raise ModelEditError(message)


def feature_marginal(model: FlowModel, feature: str) -> dict[object, float]:
    """Share of each value of ``feature`` among the flows the model generates.

    Every row of every pattern contributes its cell's distribution, weighted by the
    pattern's weight: an estimate of the training column's marginal that needs no
    data. Values come in order of first appearance over patterns, rows and domains.

    Notes
    -----
    When every weight is 0, each pattern counts once. Rows lost at the end of the
    time range during sampling are not discounted.

    Examples
    --------
    >>> from workbench.flowchronicle.model import TimeModel
    >>> from workbench.flowchronicle.prepare import Feature
    >>> tm = TimeModel(np.zeros(0), ())
    >>> udp = GenerativePattern(((FixedCell("Proto", "udp"),),), (), tm)
    >>> node = Node("Proto", 0, ("tcp", "udp"), (), np.array([[0.5, 0.5]]))
    >>> m = FlowModel((Feature("Proto", "proto", "categorical"),),
    ...               (udp, GenerativePattern(((),), (node,), tm)), (1, 1), (0, 1), 0.0)
    >>> feature_marginal(m, "Proto")
    {'udp': 0.75, 'tcp': 0.25}
    """
    weights = np.asarray(model.weights, dtype=float)
    if weights.sum() <= 0:
        weights = np.ones(len(model.patterns))
    totals: dict[object, float] = {}
    for pattern, weight in zip(model.patterns, weights.tolist(), strict=True):
        for row in range(pattern.n_rows):
            for value, p in cell_distribution(pattern, row, feature).items():
                totals[value] = totals.get(value, 0.0) + weight * p
    mass = sum(totals.values())
    return {value: share / mass for value, share in totals.items()}


def pattern_network(model: FlowModel, index: int):
    """Pattern ``index``'s network as a pgmpy ``DiscreteBayesianNetwork``.

    Variables are named ``<feature>-r<row>``, states are the model's values (ports,
    addresses, protocols; binned features as ``(lo, hi)`` tuples) and the tables are
    the model's own, so pgmpy's inference answers questions about the model.

    Parameters
    ----------
    model : FlowModel
    index : int
        The pattern; the last one is the empty pattern.

    Returns
    -------
    pgmpy.models.DiscreteBayesianNetwork
        With one ``TabularCPD`` per node; empty for a pattern without free cells.

    Raises
    ------
    ModelEditError
        If the model has no pattern ``index``.

    Notes
    -----
    pgmpy takes seconds to import, so it is imported on the first call. Fixed and
    reused cells are not variables: condition on them by reading the pattern.

    Examples
    --------
    >>> from workbench.flowchronicle.model import TimeModel
    >>> from workbench.flowchronicle.prepare import Feature
    >>> node = Node("Proto", 0, ("tcp", "udp"), (), np.array([[0.25, 0.75]]))
    >>> empty = GenerativePattern(((),), (node,), TimeModel(np.zeros(0), ()))
    >>> m = FlowModel((Feature("Proto", "proto", "categorical"),), (empty,), (1,),
    ...               (0, 1), 0.0)
    >>> network = pattern_network(m, 0)
    >>> network.check_model(), network.get_cpds("Proto-r0").state_names
    (True, {'Proto-r0': ['tcp', 'udp']})
    """
    with warnings.catch_warnings():
        # pgmpy announces its own API moves on import; they are not ours to act on.
        warnings.simplefilter("ignore", FutureWarning)
        from pgmpy.factors.discrete import TabularCPD
        from pgmpy.models import DiscreteBayesianNetwork

    check_index(model, index)
    nodes = model.patterns[index].nodes
    names = [variable_name(n) for n in nodes]
    network = DiscreteBayesianNetwork()
    network.add_nodes_from(names)
    network.add_edges_from(
        (names[p], names[k]) for k, node in enumerate(nodes) for p in node.parents
    )
    for k, node in enumerate(nodes):
        parents = [names[p] for p in node.parents]
        states = {names[u]: _states(nodes[u]) for u in (*node.parents, k)}
        cpd = TabularCPD(
            names[k],
            len(node.domain),
            node.cpt.T,
            evidence=parents or None,
            evidence_card=[len(nodes[p].domain) for p in node.parents] or None,
            state_names=states,
        )
        network.add_cpds(cpd)
    return network


def _states(node: Node) -> list:
    """Domain values as plain Python objects (pgmpy compares state names by value)."""
    return [_plain(v) for v in node.domain]


def _plain(value: object) -> object:
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, np.generic):
        return value.item()
    return value
