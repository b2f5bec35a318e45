"""Fixed-width binary encoding of graph edges, frozen on benign data and saved as JSON.

An edge ``u -> v`` of type ``t`` becomes ``[one-hot(t); record attributes; enc(u);
enc(v)]`` where ``enc(n)`` is the node type followed by one block per attribute of
every node type (blocks of other types stay 0), as in the spec's section 5.
Vocabularies are fitted once; ``transform`` never refits and sends unseen values to
OTHER. It does not train or score anything.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench import schema
from workbench.errors import ModelFileError, NotFittedError, SchemaError
from workbench.graph._blocks import Block
from workbench.graph.tables import (
    CERT,
    CONN,
    DOMAIN,
    DST,
    EDGE_ENDPOINTS,
    EDGE_TYPE,
    EDGE_TYPES,
    FILE,
    IP,
    NODE_ID,
    NODE_TYPE,
    NODE_TYPES,
    SRC,
    URI,
    USER_AGENT,
    SecurityGraph,
)

__all__ = ["EdgeEncoder", "NODE_ENCODING", "EDGE_ENCODING"]

STATE_KIND = "workbench.EdgeEncoder"
STATE_VERSION = 1
#: Durations are binned in milliseconds, as in the spec.
_SCALES = {schema.DURATION: 1000.0}

#: How each node attribute is encoded (the spec's sections 4 and 5).
NODE_ENCODING: dict[str, dict[str, str]] = {
    IP: {"internal": "flag", "resolved": "flag", "prefix": "categorical"},
    CONN: {
        schema.PROTO: "categorical",
        schema.SERVICE: "categorical",
        schema.CONN_STATE: "categorical",
        schema.ORIG_P: "port",
        schema.RESP_P: "port",
        schema.DURATION: "numeric",
        schema.ORIG_BYTES: "numeric",
        schema.RESP_BYTES: "numeric",
        schema.ORIG_PKTS: "numeric",
        schema.RESP_PKTS: "numeric",
        schema.HISTORY: "history",
    },
    DOMAIN: {
        "labels": "numeric",
        "length": "numeric",
        "tld": "categorical",
        "sld": "categorical",
    },
    URI: {
        "length": "numeric",
        "depth": "numeric",
        "has_query": "flag",
        "extension": "categorical",
    },
    USER_AGENT: {"length": "numeric", "product": "categorical"},
    CERT: {"key_length": "numeric", "validity_days": "numeric", "self_signed": "flag"},
    FILE: {"mime_type": "categorical", "size": "numeric"},
}
#: Attributes of the log record that created an edge (all categorical).
EDGE_ENCODING: tuple[str, ...] = (
    "qtype_name",
    "rcode_name",
    "method",
    "status_class",
    "version",
    "cipher",
    "validation_status",
    "source",
)


class EdgeEncoder:
    """Binary encoder of security-graph edges with vocabularies frozen by ``fit``.

    Parameters
    ----------
    min_count : int, default 5
        A categorical value or exact port needs this many training occurrences.
    max_categories : int, default 32
        At most this many values (the most frequent) per vocabulary.
    bins : int, default 32
        Log2 bins of numeric attributes.

    Attributes
    ----------
    blocks_ : list of Block
        The frozen layout.
    feature_names_ : list of str
        One name per column, e.g. ``"dst.IP.prefix=OTHER"``.
    n_features_ : int
        The fixed width D.

    Notes
    -----
    Beyond the spec's section 5 (proposed design, not the paper's), three choices
    are ours: the categorical attributes of the log record that made an edge (DNS
    query type and return code, HTTP method and status class, TLS version, cipher
    and validation status, file source) form an edge block; addresses carry a
    ``resolved`` flag (some DNS answer of the capture led to them), the one
    cross-log link a per-edge vector would otherwise lose; domains carry their last
    two labels (``sld``) as a capped vocabulary. Vocabularies count occurrences
    over edges, so an attribute of a busy node weighs more. Identities themselves
    (addresses, names, hashes) are never encoded.

    Examples
    --------
    >>> from workbench.graph.build import build_graph
    >>> conn = pd.DataFrame({"ts": [1.0, 2.0], "uid": ["C1", "C2"], "proto": "udp",
    ...                      "id.orig_h": "10.0.0.2", "id.resp_h": "8.8.8.8"})
    >>> encoder = EdgeEncoder(min_count=1).fit(build_graph({"conn": conn}))
    >>> X = encoder.transform(build_graph({"conn": conn}))
    >>> X.shape == (4, encoder.n_features_), sorted(set(X.ravel().tolist()))
    (True, [0, 1])
    """

    def __init__(
        self, *, min_count: int = 5, max_categories: int = 32, bins: int = 32
    ) -> None:
        self.min_count = min_count
        self.max_categories = max_categories
        self.bins = bins

    def get_params(self) -> dict[str, int]:
        """Constructor arguments."""
        return {
            "min_count": self.min_count,
            "max_categories": self.max_categories,
            "bins": self.bins,
        }

    def fit(self, graph: SecurityGraph) -> EdgeEncoder:
        """Freeze vocabularies on the edges of a benign graph."""
        if len(graph.edges) == 0:
            raise SchemaError("cannot fit the edge encoder on a graph without edges")
        if min(self.min_count, self.max_categories, self.bins) < 1:
            raise ValueError(f"parameters must be positive, got {self.get_params()}")

        frames = _frames(graph)
        blocks = []
        for block in _layout(self.bins):
            if block.kind in ("categorical", "port"):
                block = _with_vocabulary(block, self._vocabulary(block, frames))
            blocks.append(block)
        self._set_blocks(blocks)
        return self

    def _vocabulary(self, block: Block, frames: dict[str, pd.DataFrame]) -> tuple:
        # Both sides share one vocabulary per (node type, attribute).
        scopes = ("edge",) if block.scope == "edge" else ("src", "dst")
        counts: Counter = Counter()
        for scope in scopes:
            frame = frames[scope]
            values = _values(frame, block)[_rows(frame, block)].dropna()
            if block.kind == "port":
                values = pd.to_numeric(values, errors="coerce").dropna().astype(int)
            counts.update(values.value_counts().to_dict())
        frequent = [(v, c) for v, c in counts.items() if c >= self.min_count]
        frequent.sort(key=lambda vc: (-vc[1], str(vc[0])))
        return tuple(_plain(v) for v, _ in frequent[: self.max_categories])

    def _set_blocks(self, blocks: list[Block]) -> None:
        self.blocks_ = blocks
        self.offsets_ = np.cumsum([0] + [b.width for b in blocks])
        self.n_features_ = int(self.offsets_[-1])
        self.feature_names_ = [n for b in blocks for n in b.names()]

    def transform(self, graph: SecurityGraph) -> np.ndarray:
        """Encode every edge of ``graph`` as a row of 0/1 values (uint8, N x D)."""
        if not hasattr(self, "blocks_"):
            raise NotFittedError("call EdgeEncoder.fit (or load) before transform")
        frames = _frames(graph)

        X = np.zeros((len(graph.edges), self.n_features_), dtype=np.uint8)
        for block, offset in zip(self.blocks_, self.offsets_[:-1], strict=True):
            frame = frames[block.scope]
            mask = _rows(frame, block)
            rows, slots = block.hot(_values(frame, block)[mask])
            X[np.flatnonzero(mask)[rows], offset + slots] = 1
        return X

    def fit_transform(self, graph: SecurityGraph) -> np.ndarray:
        """Fit, then encode the same graph."""
        return self.fit(graph).transform(graph)

    # -- persistence ----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The frozen state as JSON-ready values, with a SHA-256 of its content."""
        if not hasattr(self, "blocks_"):
            raise NotFittedError("call EdgeEncoder.fit before saving it")
        state = {
            "kind": STATE_KIND,
            "version": STATE_VERSION,
            "params": self.get_params(),
            "blocks": [b.to_dict() for b in self.blocks_],
        }
        return {**state, "sha256": _digest(state)}

    @classmethod
    def from_dict(cls, state: dict[str, Any], source: str = "state") -> EdgeEncoder:
        """Rebuild an encoder from :meth:`to_dict` output, checking its hash."""
        try:
            body = {k: v for k, v in state.items() if k != "sha256"}
            if state["kind"] != STATE_KIND or state["version"] != STATE_VERSION:
                raise ValueError(
                    f"expected {STATE_KIND} version {STATE_VERSION}, got "
                    f"{state['kind']} version {state['version']}"
                )
            if state["sha256"] != _digest(body):
                raise ValueError("content hash mismatch: the file was edited")
            encoder = cls(**state["params"])
            encoder._set_blocks([Block.from_dict(b) for b in state["blocks"]])
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelFileError(
                f"{source}: not a valid edge encoder ({exc}); save it again with "
                "EdgeEncoder.save."
            ) from exc
        return encoder

    def save(self, path: str | Path) -> None:
        """Write the frozen encoder as one JSON file."""
        Path(path).write_text(json.dumps(self.to_dict(), indent=1))

    @classmethod
    def load(cls, path: str | Path) -> EdgeEncoder:
        """Read an encoder written by :meth:`save`."""
        try:
            state = json.loads(Path(path).read_text())
        except (OSError, json.JSONDecodeError) as exc:
            message = f"{path}: cannot read the edge encoder ({exc})"
            raise ModelFileError(message) from exc
        return cls.from_dict(state, source=str(path))


def _layout(bins: int) -> list[Block]:
    blocks = [Block("edge", None, EDGE_TYPE, "onehot", EDGE_TYPES)]
    blocks += [Block("edge", None, a, "categorical") for a in EDGE_ENCODING]
    for side, position in ((SRC, 0), (DST, 1)):
        # Only node types that some edge type allows on this side get blocks.
        allowed = {t for ends in EDGE_ENDPOINTS.values() for t in ends[position]}
        types = tuple(t for t in NODE_TYPES if t in allowed)
        blocks.append(Block(side, None, NODE_TYPE, "onehot", types))
        for node_type in types:
            for attribute, kind in NODE_ENCODING[node_type].items():
                blocks.append(
                    Block(
                        side,
                        node_type,
                        attribute,
                        kind,
                        bins=bins if kind == "numeric" else 0,
                        scale=_SCALES.get(attribute, 1.0),
                    )
                )
    return blocks


def _with_vocabulary(block: Block, values: tuple) -> Block:
    return Block(**{**block.to_dict(), "values": values})


def _frames(graph: SecurityGraph) -> dict[str, pd.DataFrame]:
    nodes = graph.nodes.set_index(NODE_ID)
    frames = {"edge": graph.edges.reset_index(drop=True)}
    for side in (SRC, DST):
        ends = graph.edges[side]
        unknown = ~ends.isin(nodes.index)
        if unknown.any():
            raise SchemaError(
                f"edge endpoint {ends[unknown].iloc[0]!r} ({side}) is not in the "
                "nodes table; build graphs with workbench.graph.build_graph."
            )
        frames[side] = nodes.reindex(ends.to_numpy()).reset_index(drop=True)
    return frames


def _rows(frame: pd.DataFrame, block: Block) -> np.ndarray:
    if block.node_type is None:
        return np.ones(len(frame), dtype=bool)
    return frame[NODE_TYPE].eq(block.node_type).to_numpy(dtype=bool, na_value=False)


def _values(frame: pd.DataFrame, block: Block) -> pd.Series:
    if block.attribute in frame.columns:
        return frame[block.attribute]
    return pd.Series([pd.NA] * len(frame), dtype="object")


def _plain(value: object) -> object:
    return value.item() if isinstance(value, np.generic) else value


def _digest(state: dict[str, Any]) -> str:
    text = json.dumps(state, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
