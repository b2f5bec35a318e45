"""A fitted, JSON-serialisable encoder from a flow table to a numeric matrix.

Counts and durations are log-scaled then min-max scaled on training rows, categoricals
are one-hot over the values seen in training (plus ``other`` and ``missing``), responder
ports become buckets plus the frequent ports, and addresses become internal/external
flags; originator ports, addresses themselves and timestamps are identifiers, not
features. The encoder never clips test values into the training range: out-of-range
values are the signal. It does not choose which rows are benign; callers fit it on the
rows they trust.
"""

from __future__ import annotations

import ipaddress
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbench import schema
from workbench.errors import ModelFileError, NotFittedError, SchemaError

__all__ = ["FlowEncoder", "INTERNAL_NETWORKS", "PORT_BUCKETS"]

#: Networks treated as internal: RFC 1918, loopback, link-local, CGNAT and IPv6 ULA.
INTERNAL_NETWORKS: tuple[str, ...] = (
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "100.64.0.0/10",
    "fc00::/7",
    "fe80::/10",
    "::1/128",
)

#: IANA port ranges: system, user (registered) and dynamic ports.
PORT_BUCKETS: tuple[tuple[str, int, int], ...] = (
    ("system", 0, 1023),
    ("registered", 1024, 49151),
    ("dynamic", 49152, 65535),
)

_OTHER = "other"
_MISSING = "missing"
_ENCODER_VERSION = 1


@dataclass
class _NumericSpec:
    column: str
    low: float
    high: float
    indicator: bool


@dataclass
class _State:
    numeric: list[_NumericSpec] = field(default_factory=list)
    categories: dict[str, list[str]] = field(default_factory=dict)
    ports: list[int] = field(default_factory=list)
    feature_names: list[str] = field(default_factory=list)
    feature_fields: list[str] = field(default_factory=list)


class FlowEncoder:
    """Encode canonical flow tables as float32 matrices with readable feature names.

    Parameters
    ----------
    top_categories : int, default 12
        Values kept per categorical field (most frequent in training); the rest map to
        ``<field>=other``.
    top_ports : int, default 12
        Responder ports seen most often in training that get their own column.
    extra_numeric : bool, default True
        Also encode numeric columns beyond the canonical ones (CICFlowMeter statistics).
    internal_networks : tuple of str
        CIDR blocks whose addresses count as internal.

    Attributes
    ----------
    feature_names_ : list of str
        One readable name per output column, e.g. ``log(orig_bytes)`` or ``proto=udp``.
    feature_fields_ : list of str
        The flow field each output column derives from (for feature groups).

    Examples
    --------
    >>> flows = schema.conform(pd.DataFrame({
    ...     "proto": ["udp", "tcp", "udp"], "orig_bytes": [10.0, 2000.0, None],
    ...     "id.resp_p": [53, 443, 53], "id.orig_h": ["10.0.0.1"] * 3,
    ... }), source="demo")
    >>> encoder = FlowEncoder().fit(flows)
    >>> "proto=udp" in encoder.feature_names_, encoder.transform(flows).shape[0]
    (True, 3)
    """

    def __init__(
        self,
        *,
        top_categories: int = 12,
        top_ports: int = 12,
        extra_numeric: bool = True,
        internal_networks: tuple[str, ...] = INTERNAL_NETWORKS,
    ) -> None:
        self.top_categories = top_categories
        self.top_ports = top_ports
        self.extra_numeric = extra_numeric
        self.internal_networks = internal_networks

    # -- fitting --------------------------------------------------------------------

    def fit(self, flows: pd.DataFrame) -> FlowEncoder:
        """Learn scales, vocabularies and frequent ports from ``flows``."""
        _check_table(flows)
        if len(flows) == 0:
            raise SchemaError("cannot fit the feature encoder on an empty flow table")

        state = _State()
        for column in self._numeric_columns(flows):
            values = _log_scale(_as_float(flows[column]))
            finite = values[np.isfinite(values)]
            low, high = (
                (float(finite.min()), float(finite.max()))
                if finite.size
                else (
                    0.0,
                    0.0,
                )
            )
            indicator = column in schema.COUNT_FIELDS or finite.size < values.size
            state.numeric.append(_NumericSpec(column, low, high, indicator))
        for column in schema.CATEGORICAL_FIELDS:
            counts = flows[column].dropna().value_counts()
            state.categories[column] = [
                str(v) for v in counts.index[: self.top_categories]
            ]
        ports = flows[schema.RESP_P].dropna().value_counts()
        state.ports = [int(p) for p in ports.index[: self.top_ports]]

        state.feature_names, state.feature_fields = _layout(state)
        self._state = state
        self.feature_names_ = state.feature_names
        self.feature_fields_ = state.feature_fields
        return self

    def _numeric_columns(self, flows: pd.DataFrame) -> list[str]:
        columns = [c for c in schema.COUNT_FIELDS if flows[c].notna().any()]
        if self.extra_numeric:
            columns += schema.extra_numeric_columns(flows)
        return columns

    # -- transforming ---------------------------------------------------------------

    def transform(self, flows: pd.DataFrame) -> np.ndarray:
        """Encode ``flows`` as an ``(n_flows, n_features)`` float32 matrix."""
        state = self._fitted_state()
        _check_table(flows)
        missing = [s.column for s in state.numeric if s.column not in flows.columns]
        if missing:
            message = (
                f"{flows.attrs.get('source', 'flow table')}: columns {missing} were "
                "present when the encoder was fitted but are absent now; encode flows "
                "from the same kind of source as the training data, or fit with "
                "extra_numeric=False (workbench detect --canonical-features) to use "
                "only the fields every reader provides."
            )
            raise SchemaError(message)

        blocks = [self._numeric_block(flows, spec) for spec in state.numeric]
        blocks += [_one_hot(flows[c], v, c) for c, v in state.categories.items()]
        blocks.append(self._port_block(flows[schema.RESP_P], state.ports))
        blocks.append(self._address_flags(flows))
        # Fill a column-major float32 matrix block by block: one cast, no big concat.
        out = np.empty((len(flows), len(state.feature_names)), np.float32, order="F")
        start = 0
        for block in blocks:
            out[:, start : start + block.shape[1]] = block
            start += block.shape[1]
        return np.ascontiguousarray(out)

    def fit_transform(self, flows: pd.DataFrame) -> np.ndarray:
        """Fit on ``flows`` and return their encoding."""
        return self.fit(flows).transform(flows)

    @staticmethod
    def _numeric_block(flows: pd.DataFrame, spec: _NumericSpec) -> np.ndarray:
        values = _log_scale(_as_float(flows[spec.column]))
        finite = np.isfinite(values)
        span = spec.high - spec.low or 1.0
        # Non-finite values sit at the training minimum; the indicator carries them.
        scaled = np.where(finite, (values - spec.low) / span, 0.0)
        if not spec.indicator:
            return scaled[:, None]
        return np.column_stack([scaled, (~finite).astype(np.float64)])

    def _port_block(self, ports: pd.Series, frequent: list[int]) -> np.ndarray:
        values = ports.to_numpy(dtype="float64", na_value=np.nan)
        columns = [values == p for p in frequent]
        columns.append(~np.isin(values, frequent) & ~np.isnan(values))
        bucket = self._port_buckets(ports)
        return np.column_stack([np.column_stack(columns).astype(np.float64), bucket])

    @staticmethod
    def _port_buckets(ports: pd.Series) -> np.ndarray:
        values = ports.to_numpy(dtype="float64", na_value=np.nan)
        columns = [(values >= low) & (values <= high) for _, low, high in PORT_BUCKETS]
        columns.append(np.isnan(values))
        return np.column_stack(columns).astype(np.float64)

    def _address_flags(self, flows: pd.DataFrame) -> np.ndarray:
        networks = [ipaddress.ip_network(n) for n in self.internal_networks]
        columns = []
        for column in (schema.ORIG_H, schema.RESP_H):
            flags = _address_kinds(flows[column], networks)
            columns.append(flags)
        return np.concatenate(columns, axis=1)

    # -- persistence ----------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the fitted state as plain JSON-compatible data."""
        state = self._fitted_state()
        return {
            "version": _ENCODER_VERSION,
            "params": {
                "top_categories": self.top_categories,
                "top_ports": self.top_ports,
                "extra_numeric": self.extra_numeric,
                "internal_networks": list(self.internal_networks),
            },
            "numeric": [vars(s) for s in state.numeric],
            "categories": state.categories,
            "ports": state.ports,
            "feature_names": state.feature_names,
            "feature_fields": state.feature_fields,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "encoder") -> FlowEncoder:
        """Rebuild a fitted encoder from :meth:`to_dict` output."""
        if not isinstance(data, dict):
            raise ModelFileError(
                f"{source}: an encoder description is a JSON object, got "
                f"{type(data).__name__}; the file is damaged or not an encoder."
            )
        try:
            if data["version"] != _ENCODER_VERSION:
                raise ModelFileError(
                    f"{source}: encoder version {data['version']} is not supported "
                    f"(expected {_ENCODER_VERSION}); retrain the model."
                )
            params = dict(data["params"])
            params["internal_networks"] = tuple(params["internal_networks"])
            encoder = cls(**params)
            state = _State(
                numeric=[_NumericSpec(**s) for s in data["numeric"]],
                categories={k: list(v) for k, v in data["categories"].items()},
                ports=[int(p) for p in data["ports"]],
            )
        except (KeyError, TypeError) as exc:
            raise ModelFileError(
                f"{source}: the encoder description lacks or mangles {exc}; the file "
                "is "
                "damaged or was not written by this workbench."
            ) from exc
        state.feature_names, state.feature_fields = _layout(state)
        if state.feature_names != data.get("feature_names"):
            raise ModelFileError(
                f"{source}: feature names do not match the encoder state"
            )
        encoder._state = state
        encoder.feature_names_ = state.feature_names
        encoder.feature_fields_ = state.feature_fields
        return encoder

    def save(self, path: str | Path) -> None:
        """Write the fitted state as JSON."""
        Path(path).write_text(json.dumps(self.to_dict(), indent=1))

    @classmethod
    def load(cls, path: str | Path) -> FlowEncoder:
        """Read an encoder written by :meth:`save`."""
        try:
            data = json.loads(Path(path).read_text())
        except json.JSONDecodeError as exc:
            raise ModelFileError(f"{path}: not valid JSON ({exc})") from exc
        return cls.from_dict(data, source=str(path))

    def _fitted_state(self) -> _State:
        if not hasattr(self, "_state"):
            raise NotFittedError("call FlowEncoder.fit before transform or to_dict")
        return self._state


def _layout(state: _State) -> tuple[list[str], list[str]]:
    """Feature names and their source fields, in the column order of ``transform``."""
    names: list[str] = []
    fields: list[str] = []

    def add(name: str, source: str) -> None:
        names.append(name)
        fields.append(source)

    for spec in state.numeric:
        add(f"log({spec.column})", spec.column)
        if spec.indicator:
            add(f"missing({spec.column})", spec.column)
    for column, values in state.categories.items():
        for value in [*values, _OTHER, _MISSING]:
            add(f"{column}={value}", column)
    for port in state.ports:
        add(f"{schema.RESP_P}={port}", schema.RESP_P)
    add(f"{schema.RESP_P}={_OTHER}", schema.RESP_P)
    for bucket, _, _ in PORT_BUCKETS:
        add(f"{schema.RESP_P} {bucket}", schema.RESP_P)
    add(f"{schema.RESP_P} {_MISSING}", schema.RESP_P)
    for column in (schema.ORIG_H, schema.RESP_H):
        for kind in ("internal", "multicast", _MISSING):
            add(f"{column} {kind}", column)
    return names, fields


def _check_table(flows: pd.DataFrame) -> None:
    absent = [c for c in schema.CONN_FIELDS if c not in flows.columns]
    if absent:
        source = flows.attrs.get("source", "flow table")
        raise SchemaError(
            f"{source}: missing canonical fields {absent}; read files with "
            "workbench.io.read_flows or pass the table through schema.conform."
        )


def _as_float(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan
    )


def _log_scale(values: np.ndarray) -> np.ndarray:
    # Signed log1p: counts are non-negative, but CICFlowMeter uses -1 as a marker.
    with np.errstate(invalid="ignore"):
        return np.sign(values) * np.log1p(np.abs(values))


def _one_hot(series: pd.Series, vocabulary: list[str], column: str) -> np.ndarray:
    text = series.astype("string")
    # Look up each distinct value once: get_indexer is slow on mostly-missing columns.
    distinct, uniques = pd.factorize(text, use_na_sentinel=True)
    lookup = pd.Index(vocabulary, dtype="string").get_indexer(
        pd.Index(uniques, dtype="string")
    )
    codes = np.append(lookup, -1)[distinct]
    out = np.zeros((len(series), len(vocabulary) + 2))
    missing = text.isna().to_numpy()
    other = (codes < 0) & ~missing
    rows = np.flatnonzero(codes >= 0)
    out[rows, codes[rows]] = 1.0
    out[other, len(vocabulary)] = 1.0
    out[missing, len(vocabulary) + 1] = 1.0
    return out


def _address_kinds(addresses: pd.Series, networks: list) -> np.ndarray:
    """Internal, multicast and missing flags, computed once per distinct address."""
    codes, uniques = pd.factorize(addresses, use_na_sentinel=True)
    table = np.zeros((len(uniques) + 1, 3))
    table[-1, 2] = 1.0  # index -1 (missing) lands on the last row
    for i, text in enumerate(uniques):
        try:
            address = ipaddress.ip_address(str(text))
        except ValueError:
            # Anonymised tokens (CIDDS-001 "16972_85") are external hosts.
            continue
        table[i, 0] = float(any(address in net for net in networks))
        table[i, 1] = float(address.is_multicast or str(text).endswith(".255"))
    return table[codes]
