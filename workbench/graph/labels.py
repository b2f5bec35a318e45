"""Label Zeek connections with rules on ports, addresses, protocol and time.

Zeek logs carry no ground truth; a :class:`LabelRule` names an attack and the
connections it covers, matched in both directions (the spec's section 8.1). The
module only writes the ``label`` and ``detailed_label`` columns; scoring is
elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench import schema
from workbench.errors import SchemaError

__all__ = ["LabelRule", "label_connections"]


@dataclass(frozen=True)
class LabelRule:
    """Connections of one attack: every given condition must hold.

    Parameters
    ----------
    name : str
        Attack name written to ``detailed_label``.
    ports : tuple of int, default ()
        Match if the originator or responder port is one of these.
    hosts : tuple of str, default ()
        Match if the originator or responder address is one of these.
    proto : str, optional
        Transport protocol (``"udp"``, ``"tcp"``, ``"icmp"``).
    start, end : float, optional
        Connection start in ``[start, end)``, epoch seconds.

    Examples
    --------
    >>> flows = pd.DataFrame({"ts": [1.0, 2.0], "id.orig_p": [1157, 1200],
    ...                       "id.resp_p": [16464, 80], "proto": ["udp", "tcp"]})
    >>> rule = LabelRule("ZeroAccess", ports=(16464,))
    >>> label_connections(flows, [rule])["detailed_label"].tolist()
    ['ZeroAccess', <NA>]
    """

    name: str
    ports: tuple[int, ...] = ()
    hosts: tuple[str, ...] = ()
    proto: str | None = None
    start: float | None = None
    end: float | None = None

    def matches(self, flows: pd.DataFrame) -> np.ndarray:
        """Boolean mask of the rows of ``flows`` this rule covers."""
        if not (self.ports or self.hosts or self.proto or self.start or self.end):
            raise ValueError(f"rule {self.name!r} has no condition; give at least one")
        mask = np.ones(len(flows), dtype=bool)
        if self.ports:
            mask &= _either(flows, schema.ORIG_P, schema.RESP_P, list(self.ports))
        if self.hosts:
            mask &= _either(flows, schema.ORIG_H, schema.RESP_H, list(self.hosts))
        if self.proto:
            mask &= _field(flows, schema.PROTO).eq(self.proto).fillna(False).to_numpy()
        start = pd.to_numeric(_field(flows, schema.TS), errors="coerce").to_numpy()
        if self.start is not None:
            mask &= start >= self.start
        if self.end is not None:
            mask &= start < self.end
        return mask


def _field(flows: pd.DataFrame, name: str) -> pd.Series:
    if name not in flows.columns:
        raise SchemaError(
            f"labelling needs the conn field {name!r}, which the table lacks; label "
            "a table with conn.log fields (GraphAnalysis.connections or read_flows)."
        )
    return flows[name]


def _either(flows: pd.DataFrame, first: str, second: str, values: list) -> np.ndarray:
    hits = [_field(flows, f).isin(values).fillna(False) for f in (first, second)]
    return (hits[0] | hits[1]).to_numpy(dtype=bool)


def label_connections(flows: pd.DataFrame, rules: Sequence[LabelRule]) -> pd.DataFrame:
    """Return ``flows`` with ``label`` and ``detailed_label`` set by ``rules``.

    A row matched by a rule is ``malicious`` with that rule's name (the first rule
    wins); every other row is ``benign``. Without rules the table is returned
    unchanged (unlabelled).
    """
    if not rules:
        return flows
    names = pd.Series(pd.NA, index=flows.index, dtype="string")
    for rule in rules:
        hit = rule.matches(flows) & names.isna().to_numpy()
        names[hit] = rule.name
    return flows.assign(
        **{
            schema.LABEL: np.where(names.notna(), schema.MALICIOUS, schema.BENIGN),
            schema.DETAILED_LABEL: names,
        }
    ).astype({schema.LABEL: "string"})
