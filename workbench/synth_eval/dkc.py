"""Domain-knowledge checks (DKC): the share of generated flows breaking protocol rules.

The 21 rules of the FlowChronicle evaluation (spec 5.7) are compared as numbers. In
``"reference"`` mode three rules keep the published code's effective behaviour (rule 3
fires on every port 0, rule 10 misses ports 80 and 587, rule 19 also fires on durations
below 1e-4 s); ``"clean"`` mode applies the intended rules. DKC divides the sum of the
21 shares by 20, as published. Real flows are not read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.synth_eval.schema import (
    SESSION_SCHEMA,
    MetricSchema,
    check_mode,
    metric_frame,
)

__all__ = [
    "DKC_DIVISOR",
    "DomainConstants",
    "CIDDS_CONSTANTS",
    "Rule",
    "RULES",
    "dkc",
    "dkc_rule_shares",
]

#: The published DKC divides by 20 although there are 21 rules; kept for comparability.
DKC_DIVISOR = 20


@dataclass(frozen=True)
class DomainConstants:
    """Port sets and address conventions the rules refer to (CIDDS-001 values).

    Examples
    --------
    >>> 53 in CIDDS_CONSTANTS.udp_ports
    True
    """

    udp_ports: frozenset[int] = frozenset(
        {0, 53, 67, 123, 137, 138, 1900, 3544, 3702, 5353, 8612}
    )
    tcp_ports: frozenset[int] = frozenset(
        {0, 25, 80, 84, 443, 445, 587, 993, 8000, 8080, 8088}
    )
    netbios_ports: frozenset[int] = frozenset({137, 138, 1900})
    internal_prefix: str = "192.168"
    broadcast_suffix: str = ".255"
    dns_server: str = "DNS"
    mdns_address: str = "10008_251"
    no_flags: str = "......"
    min_packet_bytes: int = 42
    max_packet_bytes: int = 65535


#: Constants of the bundled CIDDS-001 data (anonymised addresses as in the dataset).
CIDDS_CONSTANTS = DomainConstants()
_REF_INTERNAL_SERVICE = (25, 443, 8000)
_CLEAN_INTERNAL_SERVICE = (25, 80, 443, 587, 8000)
_REF_SHORTEST_PRINTED = 1e-4


@dataclass(frozen=True)
class _Flows:
    """The columns the rules read, as arrays, plus the settings."""

    proto: pd.Series
    port: np.ndarray
    dst_ip: pd.Series
    flags: pd.Series
    in_bytes: np.ndarray
    out_bytes: np.ndarray
    in_pkts: np.ndarray
    out_pkts: np.ndarray
    duration: np.ndarray
    mode: str
    const: DomainConstants

    def is_proto(self, name: str) -> np.ndarray:
        # The reference tests "contains" in rules 1-6; on CIDDS values it is equality.
        if self.mode == "reference":
            return self.proto.str.contains(name, regex=False).to_numpy(dtype=bool)
        return (self.proto == name).to_numpy(dtype=bool)

    def port_in(self, ports) -> np.ndarray:
        return np.isin(self.port, np.fromiter(ports, dtype=float))

    def internal_dst(self) -> np.ndarray:
        prefix = self.const.internal_prefix
        return self.dst_ip.str.startswith(prefix).to_numpy(dtype=bool)


def _rule3(f: _Flows) -> np.ndarray:
    zero = f.port == 0
    if f.mode == "reference":
        return zero
    return zero & ~(f.is_proto("ICMP") | f.is_proto("IGMP"))


def _rule10(f: _Flows) -> np.ndarray:
    ports = _REF_INTERNAL_SERVICE if f.mode == "reference" else _CLEAN_INTERNAL_SERVICE
    return f.port_in(ports) & f.internal_dst()


def _rule19(f: _Flows) -> np.ndarray:
    negative = f.duration < 0
    if f.mode == "reference":
        # The reference looks for "-" in the printed number: 1e-05 has one.
        return negative | ((f.duration > 0) & (f.duration < _REF_SHORTEST_PRINTED))
    return negative


def _netbios(f: _Flows) -> np.ndarray:
    return f.port_in(f.const.netbios_ports)


@dataclass(frozen=True)
class Rule:
    """One check: its number, when a flow breaks it, and the vectorised test."""

    number: int
    text: str
    test: Callable[[_Flows], np.ndarray]


def _dst_not(f: _Flows, address: str) -> np.ndarray:
    return (f.dst_ip != address).to_numpy(dtype=bool)


#: The 21 rules of spec 5.7, in order.
RULES: tuple[Rule, ...] = (
    Rule(
        1,
        "TCP to a UDP-only port",
        lambda f: f.is_proto("TCP") & f.port_in(f.const.udp_ports),
    ),
    Rule(
        2,
        "UDP to a TCP-only port",
        lambda f: f.is_proto("UDP") & f.port_in(f.const.tcp_ports),
    ),
    Rule(3, "port 0 (clean: outside ICMP/IGMP)", _rule3),
    Rule(4, "ICMP with Out Byte", lambda f: f.is_proto("ICMP") & (f.out_bytes != 0)),
    Rule(5, "ICMP with Out Packet", lambda f: f.is_proto("ICMP") & (f.out_pkts != 0)),
    Rule(
        6,
        "IGMP with bytes",
        lambda f: f.is_proto("IGMP") & ((f.in_bytes != 0) | (f.out_bytes != 0)),
    ),
    Rule(
        7,
        "NetBIOS/SSDP broadcast with In Byte",
        lambda f: _netbios(f) & (f.in_bytes != 0),
    ),
    Rule(
        8,
        "NetBIOS/SSDP broadcast with In Packet",
        lambda f: _netbios(f) & (f.in_pkts != 0),
    ),
    Rule(
        9,
        "NetBIOS/SSDP not to a broadcast address",
        lambda f: (
            _netbios(f)
            & ~f.dst_ip.str.endswith(f.const.broadcast_suffix).to_numpy(dtype=bool)
        ),
    ),
    Rule(10, "internet service port to an internal address", _rule10),
    Rule(
        11,
        "DHCP/IMAPS port to an external address",
        lambda f: f.port_in((67, 993)) & ~f.internal_dst(),
    ),
    Rule(
        12,
        "DNS port not to the DNS server",
        lambda f: (f.port == 53) & _dst_not(f, f.const.dns_server),
    ),
    Rule(
        13,
        "mDNS port not to the mDNS group",
        lambda f: (f.port == 5353) & _dst_not(f, f.const.mdns_address),
    ),
    Rule(
        14,
        "TCP flags on a non-TCP flow",
        lambda f: (
            (f.proto != "TCP").to_numpy(dtype=bool)
            & (f.flags != f.const.no_flags).to_numpy(dtype=bool)
        ),
    ),
    Rule(
        15,
        "In packets below the minimum size",
        lambda f: f.const.min_packet_bytes * f.in_pkts > f.in_bytes,
    ),
    Rule(
        16,
        "Out packets below the minimum size",
        lambda f: f.const.min_packet_bytes * f.out_pkts > f.out_bytes,
    ),
    Rule(
        17,
        "In packets above the maximum size",
        lambda f: f.in_bytes > f.const.max_packet_bytes * f.in_pkts,
    ),
    Rule(
        18,
        "Out packets above the maximum size",
        lambda f: f.out_bytes > f.const.max_packet_bytes * f.out_pkts,
    ),
    Rule(19, "negative duration (reference: also below 1e-4 s)", _rule19),
    Rule(
        20,
        "zero duration with several packets",
        lambda f: (f.duration == 0) & (f.in_pkts + f.out_pkts > 1),
    ),
    Rule(
        21,
        "positive duration with one packet",
        lambda f: (f.duration > 0) & (f.in_pkts + f.out_pkts == 1),
    ),
)


def dkc_rule_shares(
    generated: pd.DataFrame,
    schema: MetricSchema = SESSION_SCHEMA,
    *,
    mode: str = "reference",
    constants: DomainConstants = CIDDS_CONSTANTS,
) -> pd.Series:
    """Share of flows breaking each of the 21 rules, indexed by rule number.

    Examples
    --------
    >>> flows = pd.DataFrame({"ts": [0.0], "proto": ["udp"], "id.orig_h": ["a"],
    ...     "id.resp_h": ["b"], "id.resp_p": [53], "tcp_flags": ["......"],
    ...     "resp_bytes": [0.0], "orig_bytes": [60.0], "resp_pkts": [0.0],
    ...     "orig_pkts": [1.0], "duration": [0.0]})
    >>> shares = dkc_rule_shares(flows)
    >>> shares[shares > 0].to_dict()  # port 53 to "b", not to the DNS server
    {12: 1.0}
    """
    check_mode(mode)
    frame = metric_frame(generated, schema, name="the generated flows")
    roles = schema.roles
    flows = _Flows(
        proto=frame[roles.proto].astype(str).str.upper(),
        port=frame[roles.dst_port].to_numpy(dtype=float),
        dst_ip=frame[roles.dst_ip].astype(str),
        flags=frame[roles.flags].astype(str),
        in_bytes=frame[roles.in_bytes].to_numpy(dtype=float),
        out_bytes=frame[roles.out_bytes].to_numpy(dtype=float),
        in_pkts=frame[roles.in_packets].to_numpy(dtype=float),
        out_pkts=frame[roles.out_packets].to_numpy(dtype=float),
        duration=frame[roles.duration].to_numpy(dtype=float),
        mode=mode,
        const=constants,
    )
    shares = {
        rule.number: float(np.mean(rule.test(flows))) if len(frame) else 0.0
        for rule in RULES
    }
    return pd.Series(shares, name="share", dtype=float)


def dkc(
    generated: pd.DataFrame,
    schema: MetricSchema = SESSION_SCHEMA,
    *,
    mode: str = "reference",
    constants: DomainConstants = CIDDS_CONSTANTS,
) -> float:
    """DKC: the 21 rule shares summed and divided by 20 (maximum 1.05).

    Parameters
    ----------
    generated : pandas.DataFrame
        Flows to check (sessions with the schema's columns).
    schema : MetricSchema, default SESSION_SCHEMA
        Which column plays which role (``schema.roles``).
    mode : {"reference", "clean"}, default "reference"
        Rules 3, 10 and 19 as published or as intended.
    constants : DomainConstants, default CIDDS_CONSTANTS
        Port sets and address names of the data set.

    Returns
    -------
    float
        Lower is better; fresh real data scores near 0.

    Examples
    --------
    >>> flows = pd.DataFrame({"ts": [0.0, 1.0], "proto": ["tcp", "tcp"],
    ...     "id.orig_h": ["a", "a"], "id.resp_h": ["b", "b"], "id.resp_p": [80, 0],
    ...     "tcp_flags": [".A....", ".A...."], "resp_bytes": [100.0, 100.0],
    ...     "orig_bytes": [100.0, 100.0], "resp_pkts": [1.0, 1.0],
    ...     "orig_pkts": [1.0, 1.0], "duration": [0.5, 0.5]})
    >>> dkc(flows) * 20  # the second flow breaks rule 1 (port 0 is UDP's) and 3
    1.0
    """
    shares = dkc_rule_shares(generated, schema, mode=mode, constants=constants)
    return float(shares.sum() / DKC_DIVISOR)
