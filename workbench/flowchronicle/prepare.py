"""Turn a canonical flow table into the integer-coded table that FlowChronicle mines.

One record is a timestamp plus up to ten features: both IPs, the responder port, the
protocol, TCP flags, bytes and packets per direction, and duration. Counts and duration
are binned by quantiles; every feature becomes codes 0..|D|-1 in order of first
appearance. This module does not read files (use ``workbench.io.read_flows``) and keeps
no source port: the reference schema has none.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbench.errors import SchemaError
from workbench.flowchronicle.discretise import (
    DEFAULT_BINS,
    assign_classes,
    class_interval,
    fit_edges,
)
from workbench.flowchronicle.sessions import (
    TCP_FLAGS,
    build_sessions,
    is_unidirectional,
)
from workbench.schema import (
    DURATION,
    HISTORY,
    ORIG_BYTES,
    ORIG_H,
    ORIG_PKTS,
    PROTO,
    RESP_BYTES,
    RESP_H,
    RESP_P,
    RESP_PKTS,
    TS,
)

__all__ = [
    "Feature",
    "FEATURES",
    "TIME_PRECISION",
    "PreparedFlows",
    "prepare_flows",
    "prepare_sessions",
]

logger = logging.getLogger(__name__)

#: Ticks per second of the integer time axis (centiseconds), as in the reference.
TIME_PRECISION = 100


@dataclass(frozen=True)
class Feature:
    """One modelled feature: its model-file name, its table column and its kind.

    ``kind`` is ``"ip"`` (never fixed by candidate generation, may be reused),
    ``"categorical"``, ``"count"`` (binned integer) or ``"real"`` (binned real).

    Examples
    --------
    >>> Feature("DstPt", "id.resp_p", "categorical").binned
    False
    """

    name: str
    column: str
    kind: str

    @property
    def binned(self) -> bool:
        """True for quantile-binned features."""
        return self.kind in ("count", "real")


#: Features in model order. ``Fwd`` is the responder direction (the reference's
#: ``In``) and ``Bwd`` the originator's (``Out``), as the Fos-R exporter maps them.
FEATURES: tuple[Feature, ...] = (
    Feature("SrcIP", ORIG_H, "ip"),
    Feature("DstIP", RESP_H, "ip"),
    Feature("DstPt", RESP_P, "categorical"),
    Feature("Proto", PROTO, "categorical"),
    Feature("Flags", TCP_FLAGS, "categorical"),
    Feature("FwdByt", RESP_BYTES, "count"),
    Feature("BwdByt", ORIG_BYTES, "count"),
    Feature("FwdPkt", RESP_PKTS, "count"),
    Feature("BwdPkt", ORIG_PKTS, "count"),
    Feature("Duration", DURATION, "real"),
)


@dataclass(frozen=True)
class PreparedFlows:
    """Integer-coded, time-sorted records ready for mining.

    Attributes
    ----------
    codes : numpy.ndarray
        ``(n, m)`` int64 codes, column j coding ``features[j]``.
    times : numpy.ndarray
        ``(n,)`` int64 ticks (1/100 s) since ``time_origin``, non-decreasing.
    features : tuple of Feature
        The modelled features.
    domains : tuple of tuple
        Per feature, the value of each code: a category, or for binned features the
        interval ``(lo, hi)`` of the class (half-open for counts, closed for reals).
    bin_edges : dict
        Quantile edges per binned feature name.
    time_origin : float
        Epoch seconds of tick 0 (the first record).
    source : str
        Where the records came from.
    """

    codes: np.ndarray
    times: np.ndarray
    features: tuple[Feature, ...]
    domains: tuple[tuple, ...]
    bin_edges: dict[str, list[float]] = field(default_factory=dict)
    time_origin: float = 0.0
    source: str = ""

    @property
    def n(self) -> int:
        """Number of records."""
        return int(self.codes.shape[0])

    @property
    def domain_sizes(self) -> np.ndarray:
        """|D_c| per feature."""
        return np.array([len(d) for d in self.domains], dtype=np.int64)

    @property
    def ip_columns(self) -> tuple[int, ...]:
        """Indices of the IP features."""
        return tuple(j for j, f in enumerate(self.features) if f.kind == "ip")

    def slice(self, start: int, stop: int) -> PreparedFlows:
        """Records ``start:stop`` with the same code tables (for chunked mining)."""
        return PreparedFlows(
            self.codes[start:stop],
            self.times[start:stop],
            self.features,
            self.domains,
            self.bin_edges,
            self.time_origin,
            self.source,
        )


def prepare_flows(
    flows: pd.DataFrame,
    *,
    sessions: str = "auto",
    keep_single_flows: bool = True,
    n_bins: int = DEFAULT_BINS,
) -> PreparedFlows:
    """Code a canonical flow table for mining.

    Parameters
    ----------
    flows : pandas.DataFrame
        Canonical flow table (output of any reader).
    sessions : {"auto", "always", "never"}, default "auto"
        Join the two directions of unidirectional records first (see
        :func:`~workbench.flowchronicle.sessions.build_sessions`). ``"auto"`` does so
        when the table has no responder counts at all.
    keep_single_flows : bool, default True
        Passed to ``build_sessions``; ``False`` reproduces the reference.
    n_bins : int, default 40
        Quantile bins for counts and duration.

    Returns
    -------
    PreparedFlows

    Raises
    ------
    SchemaError
        If a required field is missing or ``sessions`` is not one of the choices.

    Examples
    --------
    >>> table = pd.DataFrame({"ts": [10.0, 10.5], "id.orig_h": ["a", "b"],
    ...     "id.resp_h": ["c", "c"], "id.resp_p": [53, 53], "proto": ["udp", "udp"],
    ...     "orig_bytes": [60.0, 0.0], "resp_bytes": [90.0, 90.0]})
    >>> p = prepare_flows(table, n_bins=2)
    >>> [f.name for f in p.features], p.times.tolist()
    (['SrcIP', 'DstIP', 'DstPt', 'Proto', 'FwdByt', 'BwdByt'], [0, 50])
    """
    source = str(flows.attrs.get("source", "the flow table"))
    flows = _maybe_sessions(flows, sessions, keep_single_flows, source)
    _check_time(flows, source)

    order = np.argsort(flows[TS].to_numpy(dtype=float), kind="stable")
    flows = flows.iloc[order].reset_index(drop=True)
    ticks = np.round(flows[TS].to_numpy(dtype=float) * TIME_PRECISION).astype(np.int64)
    features = _present_features(flows, source)

    columns, domains, edges = [], [], {}
    for feature in features:
        codes, domain, feature_edges = _encode(
            flows[feature.column], feature, n_bins, source
        )
        columns.append(codes)
        domains.append(domain)
        if feature_edges is not None:
            edges[feature.name] = feature_edges
    codes = np.column_stack(columns) if columns else np.zeros((len(flows), 0), int)
    origin = int(ticks[0]) if len(ticks) else 0
    return PreparedFlows(
        codes.astype(np.int64),
        ticks - origin,
        features,
        tuple(domains),
        edges,
        origin / TIME_PRECISION,
        source,
    )


def prepare_sessions(
    flows: pd.DataFrame, *, sessions: str = "auto", keep_single_flows: bool = True
) -> pd.DataFrame:
    """The canonical records ``prepare_flows`` codes: sessions for NetFlow input.

    Parameters are those of :func:`prepare_flows`; the result is a canonical flow table,
    handy for comparing synthetic flows with what the model saw.

    Examples
    --------
    >>> table = pd.DataFrame({"ts": [1.0], "id.orig_h": ["a"], "id.resp_h": ["b"],
    ...                       "resp_bytes": [5.0]})
    >>> len(prepare_sessions(table))
    1
    """
    source = str(flows.attrs.get("source", "the flow table"))
    return _maybe_sessions(flows, sessions, keep_single_flows, source)


def _maybe_sessions(
    flows: pd.DataFrame, sessions: str, keep_single_flows: bool, source: str
) -> pd.DataFrame:
    if sessions not in ("auto", "always", "never"):
        message = (
            f"sessions={sessions!r} is not a choice; use 'auto', 'always' or 'never'."
        )
        raise SchemaError(message)
    if sessions == "always" or (sessions == "auto" and is_unidirectional(flows)):
        built = build_sessions(flows, keep_single_flows=keep_single_flows)
        logger.info(
            "%s: %d records joined into %d sessions", source, len(flows), len(built)
        )
        return built
    return flows


def _check_time(flows: pd.DataFrame, source: str) -> None:
    for col in (TS, ORIG_H, RESP_H):
        if col not in flows.columns or flows[col].isna().all():
            message = (
                f"{source}: FlowChronicle needs field {col!r}, which is missing or "
                "empty; read the file with workbench.io.read_flows."
            )
            raise SchemaError(message)
    if len(flows) == 0:
        raise SchemaError(f"{source}: the table holds no records to mine.")
    if flows[TS].isna().any():
        message = (
            f"{source}: field {TS!r} has {int(flows[TS].isna().sum())} missing values; "
            "drop those rows before preparing."
        )
        raise SchemaError(message)


def _present_features(flows: pd.DataFrame, source: str) -> tuple[Feature, ...]:
    present = []
    for feature in FEATURES:
        column = feature.column
        if feature.name == "Flags" and _empty(flows, TCP_FLAGS):
            column = HISTORY
        if _empty(flows, column):
            logger.info("%s: no values for %s; feature left out", source, feature.name)
            continue
        present.append(Feature(feature.name, column, feature.kind))
    return tuple(present)


def _empty(flows: pd.DataFrame, column: str) -> bool:
    return column not in flows.columns or bool(flows[column].isna().all())


def _encode(
    values: pd.Series, feature: Feature, n_bins: int, source: str
) -> tuple[np.ndarray, tuple, list[float] | None]:
    if not feature.binned:
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        return codes, tuple(_plain(v) for v in uniques), None
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    missing = np.isnan(numbers)
    if missing.any():
        logger.warning(
            "%s: field %r has %d missing values, counted as 0",
            source,
            feature.column,
            int(missing.sum()),
        )
        numbers = np.where(missing, 0.0, numbers)
    if (numbers < 0).any():
        message = (
            f"{source}: field {feature.column!r} holds negative values; FlowChronicle "
            "bins non-negative counts and durations only. Fix or drop those records."
        )
        raise SchemaError(message)
    edges = fit_edges(numbers, n_bins)
    classes = assign_classes(numbers, edges)
    observed, codes = np.unique(classes, return_inverse=True)
    integer = feature.kind == "count"
    domain = tuple(class_interval(int(c), edges, integer=integer) for c in observed)
    return codes.reshape(-1), domain, edges.tolist()


def _plain(value: object) -> object:
    if (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and np.isnan(value))
    ):
        return None
    return value.item() if isinstance(value, np.generic) else value
