"""Named feature groups of flow data, and the injection targets built from them.

A group is a network characteristic (protocol, destination port, byte counts, ...)
given by canonical schema fields plus name patterns of extra flow-meter statistics
(CICFlowMeter columns). Groups are resolved against an encoder's ``feature_fields_``,
never against hard-coded column positions. The module perturbs nothing and does not
decide which groups a benchmark uses.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from workbench import schema
from workbench.errors import SchemaError

__all__ = [
    "FeatureGroup",
    "FLOW_GROUPS",
    "group_targets",
    "feature_targets",
    "check_targets",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FeatureGroup:
    """A network characteristic: schema fields plus patterns of extra column names.

    Parameters
    ----------
    name : str
        Readable name, used as the injection target's name.
    fields : tuple of str
        Canonical flow fields (constants of :mod:`workbench.schema`).
    patterns : tuple of str
        Regular expressions searched in the names of extra numeric columns, such as
        CICFlowMeter statistics.

    Examples
    --------
    >>> group = FeatureGroup("window sizes", patterns=(r"Init Win",))
    >>> group.matches("FWD Init Win Bytes"), group.matches("Flow IAT Max")
    (True, False)
    """

    name: str
    fields: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()

    def matches(self, field: str) -> bool:
        """Whether a flow field or extra column belongs to the group."""
        if field in self.fields:
            return True
        return any(re.search(pattern, field) for pattern in self.patterns)


#: Flow groups of the benchmark (spec section 6.1, plus durations and rates). Extra
#: column patterns follow the corrected CIC-IDS2017 names of ``workbench.io``.
FLOW_GROUPS: tuple[FeatureGroup, ...] = (
    FeatureGroup("protocol", (schema.PROTO, schema.SERVICE), (r"^ICMP (Code|Type)$",)),
    FeatureGroup("destination port", (schema.RESP_P,)),
    FeatureGroup(
        "byte counts",
        (
            schema.ORIG_BYTES,
            schema.RESP_BYTES,
            schema.ORIG_IP_BYTES,
            schema.RESP_IP_BYTES,
        ),
        (r"^Subflow (Fwd|Bwd) Bytes$", r"Header Length$"),
    ),
    FeatureGroup(
        "packet counts",
        (schema.ORIG_PKTS, schema.RESP_PKTS),
        (r"^Subflow (Fwd|Bwd) Packets$", r"Act Data Pkts$"),
    ),
    FeatureGroup("duration", (schema.DURATION,), (r"^Total TCP Flow Time$",)),
    FeatureGroup(
        "packet-length statistics",
        (),
        (r"Packet Length", r"Segment Size", r"Seg Size", r"^Average Packet Size$"),
    ),
    FeatureGroup("inter-arrival statistics", (), (r"IAT", r"^Active ", r"^Idle ")),
    FeatureGroup("rates", (), (r"/s(:nonfinite)?$",)),
    FeatureGroup("TCP flags", (schema.CONN_STATE, schema.HISTORY), (r"Flag",)),
    FeatureGroup("window sizes", (), (r"Init Win",)),
)


def group_targets(
    feature_fields: Sequence[str], groups: Iterable[FeatureGroup] = FLOW_GROUPS
) -> dict[str, np.ndarray]:
    """Encoded columns of each group, from the flow field each column derives from.

    Parameters
    ----------
    feature_fields : sequence of str
        ``FlowEncoder.feature_fields_``: the source field of every encoded column.
    groups : iterable of FeatureGroup, default :data:`FLOW_GROUPS`
        Groups to resolve; those matching no column are left out (and logged).

    Returns
    -------
    dict of str to ndarray of int
        Group name to ascending column indices.

    Raises
    ------
    SchemaError
        If no group matches any column.

    Examples
    --------
    >>> fields = ["duration", "proto", "proto", "id.resp_p", "Flow IAT Max"]
    >>> {k: v.tolist() for k, v in group_targets(fields).items()}
    {'protocol': [1, 2], 'destination port': [3], 'duration': [0], \
'inter-arrival statistics': [4]}
    """
    fields = list(feature_fields)
    targets: dict[str, np.ndarray] = {}
    for group in groups:
        columns = [j for j, name in enumerate(fields) if group.matches(name)]
        if columns:
            targets[group.name] = np.asarray(columns, dtype=np.int64)
        else:
            logger.info("feature group %r matches no encoded column", group.name)
    if not targets:
        message = (
            "no feature group matches the encoded columns; pass feature_fields from "
            "FlowEncoder.feature_fields_ or give groups that name these fields"
        )
        raise SchemaError(message)
    return targets


def feature_targets(
    feature_names: Sequence[str], columns: Iterable[int] | None = None
) -> dict[str, np.ndarray]:
    """One target per single feature (the toy set's setting).

    Examples
    --------
    >>> {k: v.tolist() for k, v in feature_targets(["a", "b", "c"], [0, 2]).items()}
    {'a': [0], 'c': [2]}
    """
    names = list(feature_names)
    picked = range(len(names)) if columns is None else columns
    return {names[j]: np.asarray([j], dtype=np.int64) for j in picked}


def check_targets(
    targets: Mapping[str, Sequence[int]], n_features: int
) -> dict[str, np.ndarray]:
    """Return targets as int arrays after checking every index is a valid column.

    Examples
    --------
    >>> {k: v.tolist() for k, v in check_targets({"ports": (3, 1, 3)}, 5).items()}
    {'ports': [1, 3]}
    """
    if not targets:
        raise SchemaError("targets is empty; give at least one feature or group")
    checked = {}
    for name, columns in targets.items():
        array = np.unique(np.asarray(columns, dtype=np.int64))
        if array.size == 0 or array.min() < 0 or array.max() >= n_features:
            message = (
                f"target {name!r} has columns {array.tolist()}, which must be "
                f"non-empty and lie in [0, {n_features}); build targets from the "
                "same encoder as the matrix"
            )
            raise SchemaError(message)
        checked[str(name)] = array
    return checked
