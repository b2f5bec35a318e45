"""One block of the edge encoding: which slots one attribute turns on.

A block is frozen state (its vocabulary or bin count) plus a vectorised ``hot``
method returning the (row, slot) pairs to set to 1. Fitting vocabularies is
:class:`workbench.graph.encode.EdgeEncoder`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Block", "KINDS", "HISTORY_LETTERS", "OTHER", "MISSING"]

OTHER = "OTHER"
MISSING = "MISSING"
#: Zeek's conn history letters (upper case: originator; lower case: responder).
HISTORY_LETTERS = "ShAaDdFfRrCcGgTtWwIiQq^"
#: Port ranges of the spec: well-known, registered, dynamic.
PORT_RANGES = ("<1024", "1024-49151", ">=49152")
_NOT_HISTORY = "[^" + re.escape(HISTORY_LETTERS) + "]"
KINDS = ("onehot", "categorical", "numeric", "port", "flag", "history")


@dataclass(frozen=True)
class Block:
    """Slots of one attribute of one node type on one side, or of the edge itself.

    Parameters
    ----------
    scope : {"edge", "src", "dst"}
        Where the attribute is read.
    node_type : str or None
        Node type whose rows the block encodes (``None``: every row).
    attribute : str
        Column name.
    kind : str
        One of :data:`KINDS`.
    values : tuple
        Vocabulary (categorical, port, onehot), unused otherwise.
    bins : int, default 0
        Log2 bins of a numeric block.
    scale : float, default 1.0
        Factor applied before binning (1000 turns seconds into milliseconds).

    Examples
    --------
    >>> b = Block("edge", None, "method", "categorical", ("GET",))
    >>> b.slots, b.hot(pd.Series(["GET", "PUT", None]))[1].tolist()
    (['GET', 'OTHER', 'MISSING'], [0, 1, 2])
    """

    scope: str
    node_type: str | None
    attribute: str
    kind: str
    values: tuple = ()
    bins: int = 0
    scale: float = 1.0

    @property
    def slots(self) -> list[str]:
        """Readable name of every slot, in order."""
        if self.kind == "onehot":
            return [str(v) for v in self.values]
        if self.kind == "categorical":
            return [str(v) for v in self.values] + [OTHER, MISSING]
        if self.kind == "numeric":
            return [_bin_name(b, self.bins) for b in range(self.bins)] + [MISSING]
        if self.kind == "port":
            return [*PORT_RANGES, *(str(v) for v in self.values), OTHER, MISSING]
        if self.kind == "flag":
            return ["yes", "no", MISSING]
        return [*HISTORY_LETTERS, OTHER, MISSING]

    @property
    def width(self) -> int:
        """Number of slots."""
        return len(self.slots)

    def names(self) -> list[str]:
        """Feature names ``scope[.node_type].attribute=slot``."""
        head = ".".join(p for p in (self.scope, self.node_type, self.attribute) if p)
        return [f"{head}={slot}" for slot in self.slots]

    def hot(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """Row positions and slot indices to set to 1 for ``values``."""
        # Logs repeat few distinct values: encode each once, then copy by code.
        codes, uniques = pd.factorize(values.reset_index(drop=True))
        distinct = pd.Series([*uniques, pd.NA], dtype=object)
        codes = np.where(codes < 0, len(uniques), codes)
        rows, slots = self._hot_distinct(distinct)
        table = np.zeros((len(distinct), self.width), dtype=bool)
        table[rows, slots] = True
        return np.nonzero(table[codes])

    def _hot_distinct(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        if self.kind in ("onehot", "categorical"):
            return self._lookup(values.astype("string"), self.values, 0)
        if self.kind == "numeric":
            return self._numeric(values)
        if self.kind == "port":
            return self._port(values)
        if self.kind == "flag":
            return self._flag(values)
        return self._history(values.astype("string"))

    def _lookup(
        self, values: pd.Series, vocabulary: tuple, offset: int
    ) -> tuple[np.ndarray, np.ndarray]:
        index = {str(v): i for i, v in enumerate(vocabulary)}
        found = values.map(index).to_numpy(dtype=float, na_value=np.nan)
        missing = values.isna().to_numpy()
        if self.kind == "onehot":
            rows = np.flatnonzero(~np.isnan(found))
            return rows, found[rows].astype(np.int64)
        n = len(vocabulary)
        slot = np.where(np.isnan(found), n, found)
        slot = np.where(missing, n + 1, slot).astype(np.int64) + offset
        return np.arange(len(values)), slot

    def _numbers(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        x = pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()
        x = x * self.scale
        missing = np.isnan(x) | (x < 0)
        return np.where(missing, 0.0, x), missing

    def _numeric(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        x, missing = self._numbers(values)
        bins = np.minimum(self.bins - 1, np.floor(np.log2(1.0 + x))).astype(np.int64)
        return np.arange(len(x)), np.where(missing, self.bins, bins)

    def _port(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        x, missing = self._numbers(values)
        ranges = np.searchsorted([1024, 49152], x, side="right")
        exact = self._lookup(
            pd.Series(x.astype(np.int64).astype(str)).mask(missing), self.values, 3
        )[1]
        rows = np.arange(len(x))
        known = ~missing
        return (
            np.concatenate([rows[known], rows]),
            np.concatenate([ranges[known], exact]),
        )

    def _flag(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        flags = values.astype("boolean")
        slot = np.where(flags.fillna(False).to_numpy(), 0, 1)
        return np.arange(len(values)), np.where(flags.isna().to_numpy(), 2, slot)

    def _history(self, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        rows, slots = [], []
        text = values.fillna("")
        for i, letter in enumerate(HISTORY_LETTERS):
            hit = np.flatnonzero(text.str.contains(letter, regex=False).to_numpy())
            rows.append(hit)
            slots.append(np.full(hit.size, i))
        other = text.str.contains(_NOT_HISTORY, regex=True).to_numpy()
        missing = values.isna().to_numpy()
        for slot, mask in ((len(HISTORY_LETTERS), other), (self.width - 1, missing)):
            hit = np.flatnonzero(mask)
            rows.append(hit)
            slots.append(np.full(hit.size, slot))
        return np.concatenate(rows), np.concatenate(slots).astype(np.int64)

    def to_dict(self) -> dict:
        """The block as JSON-ready values."""
        return {
            "scope": self.scope,
            "node_type": self.node_type,
            "attribute": self.attribute,
            "kind": self.kind,
            "values": list(self.values),
            "bins": self.bins,
            "scale": self.scale,
        }

    @classmethod
    def from_dict(cls, state: dict) -> Block:
        """Rebuild a block written by :meth:`to_dict`."""
        if state["kind"] not in KINDS:
            raise ValueError(f"unknown block kind {state['kind']!r}")
        return cls(
            scope=str(state["scope"]),
            node_type=state["node_type"],
            attribute=str(state["attribute"]),
            kind=str(state["kind"]),
            values=tuple(state["values"]),
            bins=int(state["bins"]),
            scale=float(state["scale"]),
        )


def _bin_name(b: int, bins: int) -> str:
    low = 2**b - 1
    if b == bins - 1:
        return f"[{low},inf)"
    return f"[{low},{2 ** (b + 1) - 1})"
