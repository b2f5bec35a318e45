"""Small discrete Bayesian networks on coded columns: structure, code length, tables.

Structure is learned by greedy hill climbing on the BIC score (natural log, as pgmpy's
``bic-d``) with bounded in-degree; the data code length is the Krichevsky-Trofimov
(Dirichlet 1/2) marginal likelihood; sampling tables use a K2 prior. Parameters live in
plain arrays. pgmpy is not used here: it serves as the test oracle. No sampling here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln

__all__ = [
    "MAX_INDEGREE",
    "Structure",
    "dense_columns",
    "bic_local_score",
    "learn_structure",
    "kt_bits",
    "fit_cpt",
    "topological_order",
]

#: Maximum number of parents per node (reference value).
MAX_INDEGREE = 3
_LN2 = math.log(2.0)
_HALF = gammaln(0.5)


@dataclass(frozen=True)
class Structure:
    """Parents of each variable, as indices into the same variable list.

    Attributes
    ----------
    parents : tuple of tuple of int
        ``parents[v]`` lists the parents of variable ``v``.
    nodes : tuple of int
        Variables that were learned (non-constant at learning time); the structure
        code length counts these only. The others are roots.
    """

    parents: tuple[tuple[int, ...], ...]
    nodes: tuple[int, ...]


def dense_columns(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Recode each column to 0..r-1 over its observed values; return codes and r.

    Examples
    --------
    >>> xd, r = dense_columns(np.array([[5, 7], [9, 7]]))
    >>> xd.tolist(), r.tolist()
    ([[0, 0], [1, 0]], [2, 1])
    """
    xd = np.empty(x.shape, dtype=np.int64)
    cards = np.empty(x.shape[1], dtype=np.int64)
    for j in range(x.shape[1]):
        uniques, xd[:, j] = np.unique(x[:, j], return_inverse=True)
        cards[j] = max(len(uniques), 1)
    return xd, cards


def _counts(
    xd: np.ndarray, cards: np.ndarray, v: int, parents: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Non-zero counts n_jk and their configuration totals N_j (observed configs)."""
    config = np.zeros(xd.shape[0], dtype=np.int64)
    space = 1
    for u in parents:
        config = config * cards[u] + xd[:, u]
        space *= int(cards[u])
    r = int(cards[v])
    if space * r <= _BINCOUNT_LIMIT:
        table = np.bincount(config * r + xd[:, v], minlength=space * r).reshape(
            space, r
        )
        n_j = table.sum(axis=1)
        return table[table > 0], n_j[n_j > 0]
    keys, n_jk = np.unique(config * r + xd[:, v], return_counts=True)
    _, config_of_key = np.unique(keys // r, return_inverse=True)
    return n_jk, np.bincount(config_of_key, weights=n_jk)


#: Count with a dense table up to this many cells, by sorting above.
_BINCOUNT_LIMIT = 1 << 18


def bic_local_score(
    xd: np.ndarray, cards: np.ndarray, v: int, parents: tuple[int, ...]
) -> float:
    """BIC of node ``v`` given ``parents`` on dense codes (natural log).

    Examples
    --------
    >>> xd = np.array([[0, 0], [1, 1], [0, 0], [1, 1]])
    >>> round(bic_local_score(xd, np.array([2, 2]), 1, (0,)), 3)
    -1.386
    """
    n_jk, n_j = _counts(xd, cards, v, parents)
    ll = float(np.sum(n_jk * np.log(n_jk))) - float(np.sum(n_j * np.log(n_j)))
    q = float(np.prod([cards[u] for u in parents])) if parents else 1.0
    return ll - 0.5 * math.log(xd.shape[0]) * q * float(cards[v] - 1)


def learn_structure(
    x: np.ndarray,
    *,
    max_indegree: int = MAX_INDEGREE,
    epsilon: float = 1e-4,
    tabu_length: int = 100,
    max_iter: int = 1000,
) -> Structure:
    """Hill-climb a DAG on the BIC score from the empty graph.

    Each step applies the best single edge addition, removal or reversal that keeps the
    graph acyclic and within ``max_indegree``; it stops when no step gains at least
    ``epsilon``. The reverse of the last ``tabu_length`` steps is forbidden. Constant
    columns stay isolated and are left out of ``nodes``.

    Parameters
    ----------
    x : numpy.ndarray
        ``(N, V)`` codes, one column per variable.
    max_indegree : int, default 3
    epsilon : float, default 1e-4
    tabu_length : int, default 100
    max_iter : int, default 1000

    Returns
    -------
    Structure

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a = rng.integers(0, 3, 300)
    >>> b = (a + (rng.random(300) < 0.1)) % 3
    >>> x = np.column_stack([a, b, rng.integers(0, 2, 300)])
    >>> s = learn_structure(x)
    >>> sorted(len(p) for p in s.parents)
    [0, 0, 1]
    """
    xd, cards = dense_columns(x)
    nodes = tuple(int(v) for v in np.flatnonzero(cards > 1))
    parents: list[set[int]] = [set() for _ in range(x.shape[1])]
    if x.shape[0] == 0 or len(nodes) < 2:
        return Structure(tuple(() for _ in parents), nodes)
    cache: dict[tuple[int, frozenset[int]], float] = {}

    def score(v: int, pa: set[int]) -> float:
        key = (v, frozenset(pa))
        if key not in cache:
            cache[key] = bic_local_score(xd, cards, v, tuple(sorted(pa)))
        return cache[key]

    gains = {v: _child_gains(v, nodes, parents, score, max_indegree) for v in nodes}
    tabu: list[tuple[str, int, int]] = []
    for _ in range(max_iter):
        best = _best_step(nodes, parents, gains, tabu)
        if best is None or best[0] < epsilon:
            break
        _, op, u, v = best
        _apply(parents, op, u, v)
        # Only the nodes whose parent sets changed need new gains.
        for w in (u, v) if op == "reverse" else (v,):
            gains[w] = _child_gains(w, nodes, parents, score, max_indegree)
        tabu = ([_reverse_of(op, u, v)] + tabu)[:tabu_length]
    return Structure(tuple(tuple(sorted(p)) for p in parents), nodes)


def _child_gains(v, nodes, parents, score, max_indegree) -> dict[int, float]:
    """Gain of toggling each edge u -> v: removal if present, else addition."""
    base = score(v, parents[v])
    out = {}
    for u in nodes:
        if u == v:
            continue
        if u in parents[v]:
            out[u] = score(v, parents[v] - {u}) - base
        elif len(parents[v]) < max_indegree:
            out[u] = score(v, parents[v] | {u}) - base
    return out


def _best_step(nodes, parents, gains, tabu):
    reach = _descendants(parents)
    best = None
    for v in nodes:
        for u, gain in gains[v].items():
            if u in parents[v]:
                moves = [("remove", gain)]
                if v in gains[u] and not _other_path(reach, parents, u, v):
                    moves.append(("reverse", gain + gains[u][v]))
            elif u not in reach[v]:
                moves = [("add", gain)]
            else:
                continue
            for op, g in moves:
                if (best is None or g > best[0]) and (op, u, v) not in tabu:
                    best = (g, op, u, v)
    return best


def _descendants(parents: list[set[int]]) -> list[set[int]]:
    children: list[list[int]] = [[] for _ in parents]
    for child, pa in enumerate(parents):
        for p in pa:
            children[p].append(child)
    out = []
    for start in range(len(parents)):
        seen: set[int] = set()
        stack = list(children[start])
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(children[node])
        out.append(seen)
    return out


def _other_path(reach: list[set[int]], parents: list[set[int]], u: int, v: int) -> bool:
    """True if v is reachable from u other than through the edge u -> v itself."""
    return any(v in reach[c] for c in range(len(parents)) if u in parents[c] and c != v)


def _apply(parents: list[set[int]], op: str, u: int, v: int) -> None:
    if op == "add":
        parents[v].add(u)
    elif op == "remove":
        parents[v].discard(u)
    else:
        parents[v].discard(u)
        parents[u].add(v)


def _reverse_of(op: str, u: int, v: int) -> tuple[str, int, int]:
    if op == "add":
        return ("remove", u, v)
    if op == "remove":
        return ("add", u, v)
    return ("reverse", v, u)


def kt_bits(
    x: np.ndarray,
    parents: tuple[tuple[int, ...], ...],
    cards: np.ndarray | None = None,
) -> float:
    """Krichevsky-Trofimov code length in bits of ``x`` under a fixed structure.

    Counts are refitted on ``x``; ``r_v`` is the number of states of ``v`` seen in x.
    When ``cards`` is given, ``x`` already holds codes below ``cards`` (global codes)
    and is not recoded.

    Examples
    --------
    >>> round(kt_bits(np.array([[0], [0], [1]]), ((),)), 3)
    4.0
    """
    if x.size == 0:
        return 0.0
    if cards is None:
        x, cards = dense_columns(x)
    total = 0.0
    for v, pa in enumerate(parents):
        seen = np.count_nonzero(np.bincount(x[:, v], minlength=int(cards[v])))
        if seen <= 1:
            continue
        n_jk, n_j = _counts(x, cards, v, pa)
        half_r = seen / 2.0
        total += float(np.sum(gammaln(n_j + half_r)) - n_j.size * gammaln(half_r))
        total -= float(np.sum(gammaln(n_jk + 0.5)) - n_jk.size * _HALF)
    return total / _LN2


def fit_cpt(
    x: np.ndarray,
    cards: np.ndarray,
    v: int,
    parents: tuple[int, ...],
    prior: float = 1.0,
) -> np.ndarray:
    """Conditional table of ``v`` with ``prior`` pseudo-counts per state (K2: 1).

    ``x`` holds codes 0..cards-1. Row ``j`` is the parent configuration with index
    ``j`` in row-major order over ``parents`` (first parent most significant).

    Examples
    --------
    >>> fit_cpt(np.array([[0, 1], [0, 1], [1, 0]]), np.array([2, 2]), 1, (0,)).tolist()
    [[0.25, 0.75], [0.6666666666666666, 0.3333333333333333]]
    """
    q = int(np.prod([cards[u] for u in parents])) if parents else 1
    config = np.zeros(x.shape[0], dtype=np.int64)
    for u in parents:
        config = config * cards[u] + x[:, u]
    counts = np.bincount(config * cards[v] + x[:, v], minlength=q * int(cards[v]))
    table = counts.reshape(q, int(cards[v])).astype(float) + prior
    return table / table.sum(axis=1, keepdims=True)


def topological_order(parents: tuple[tuple[int, ...], ...]) -> list[int]:
    """Variables ordered so that parents come first (smallest index first on ties).

    Examples
    --------
    >>> topological_order(((2,), (), ()))
    [1, 2, 0]
    """
    remaining = {v: set(pa) for v, pa in enumerate(parents)}
    order: list[int] = []
    while remaining:
        ready = sorted(v for v, pa in remaining.items() if not pa)
        if not ready:
            raise ValueError("the parent lists hold a cycle")
        order.append(ready[0])
        del remaining[ready[0]]
        for pa in remaining.values():
            pa.discard(ready[0])
    return order
