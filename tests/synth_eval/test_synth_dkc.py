"""Tests for the 21 domain-knowledge rules: each fires on one violating flow."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.synth_eval.dkc import RULES, dkc, dkc_rule_shares

#: A TCP web session that breaks no rule in either mode.
GOOD = {
    "ts": 1491350400.0,
    "proto": "TCP",
    "id.orig_h": "192.168.100.5",
    "id.resp_h": "10074_40",
    "id.resp_p": 80,
    "tcp_flags": ".AP.S.",
    "resp_bytes": 5000.0,
    "orig_bytes": 600.0,
    "resp_pkts": 6.0,
    "orig_pkts": 5.0,
    "duration": 1.5,
}
_UDP = {"proto": "UDP", "tcp_flags": "......"}
_NETBIOS = {
    **_UDP,
    "id.resp_p": 137,
    "resp_bytes": 0.0,
    "resp_pkts": 0.0,
    "id.resp_h": "192.168.100.255",
    "duration": 0.0,
    "orig_pkts": 1.0,
    "orig_bytes": 200.0,
}
_ICMP = {
    "proto": "ICMP",
    "tcp_flags": "......",
    "id.resp_p": 771,
    "orig_bytes": 0.0,
    "orig_pkts": 0.0,
}

#: One change of the good flow per rule that makes that rule fire. Rules 4 and 5
#: (and 7 and 8) cannot fire apart without also breaking a packet-size rule.
VIOLATIONS = {
    1: {"id.resp_p": 53, "id.resp_h": "DNS"},
    2: {**_UDP, "id.resp_p": 443},
    3: {"proto": "GRE", "tcp_flags": "......", "id.resp_p": 0},
    4: {**_ICMP, "orig_bytes": 84.0, "orig_pkts": 1.0},
    5: {**_ICMP, "orig_pkts": 1.0, "orig_bytes": 84.0},
    6: {"proto": "IGMP", "tcp_flags": "......", "id.resp_p": 771},
    7: {**_NETBIOS, "resp_bytes": 100.0, "resp_pkts": 1.0, "duration": 0.5},
    8: {**_NETBIOS, "resp_bytes": 100.0, "resp_pkts": 1.0, "duration": 0.5},
    9: {**_NETBIOS, "id.resp_h": "192.168.100.3"},
    10: {"id.resp_p": 443, "id.resp_h": "192.168.100.7"},
    11: {"id.resp_p": 993},
    12: {**_UDP, "id.resp_p": 53, "id.resp_h": "10074_40"},
    13: {**_UDP, "id.resp_p": 5353, "id.resp_h": "10074_40"},
    14: {"proto": "UDP", "id.resp_p": 3000},
    15: {"resp_bytes": 200.0},
    16: {"orig_bytes": 100.0},
    17: {"resp_bytes": 6 * 70000.0},
    18: {"orig_bytes": 5 * 70000.0},
    19: {"duration": -1.0},
    20: {"duration": 0.0},
    21: {"resp_pkts": 0.0, "resp_bytes": 0.0, "orig_pkts": 1.0, "orig_bytes": 60.0},
}


def _flows(*changes: dict) -> pd.DataFrame:
    return pd.DataFrame([{**GOOD, **change} for change in changes])


@pytest.mark.parametrize("mode", ["reference", "clean"])
def test_dkc_good_flow_breaks_no_rule(mode):
    """The base flow passes all 21 rules in both modes."""
    flows = _flows({})

    shares = dkc_rule_shares(flows, mode=mode)

    assert shares.index.tolist() == list(range(1, 22))
    assert shares.sum() == 0.0


@pytest.mark.parametrize("mode", ["reference", "clean"])
@pytest.mark.parametrize("rule", sorted(VIOLATIONS))
def test_dkc_each_rule_fires_on_its_violating_flow(rule, mode):
    """One violating flow among three good ones: that rule alone has share 1/4."""
    flows = _flows({}, VIOLATIONS[rule], {}, {})
    pairs = {4: 5, 5: 4, 7: 8, 8: 7}
    expected = {rule: 0.25} | ({pairs[rule]: 0.25} if rule in pairs else {})

    shares = dkc_rule_shares(flows, mode=mode)

    assert shares[shares > 0].to_dict() == expected


def test_dkc_rule_list_has_21_rules():
    """Rules are numbered 1 to 21, each with a description."""
    numbers = [rule.number for rule in RULES]

    assert numbers == list(range(1, 22))
    assert all(rule.text for rule in RULES)


@pytest.mark.parametrize(
    ("change", "rule", "fires_in_reference", "fires_clean"),
    [
        ({**_ICMP, "id.resp_p": 0}, 3, True, False),
        ({"id.resp_p": 80, "id.resp_h": "192.168.100.7"}, 10, False, True),
        ({"id.resp_p": 587, "id.resp_h": "192.168.100.7"}, 10, False, True),
        ({"duration": 5e-05}, 19, True, False),
    ],
)
def test_dkc_reference_quirks(change, rule, fires_in_reference, fires_clean):
    """Rules 3, 10 and 19 differ between the published code and their intent."""
    flows = _flows(change)

    reference = dkc_rule_shares(flows, mode="reference")[rule]
    clean = dkc_rule_shares(flows, mode="clean")[rule]

    assert (reference == 1.0, clean == 1.0) == (fires_in_reference, fires_clean)


def test_dkc_integer_and_float_ports_agree():
    """Ports compare as numbers: 53 and 53.0 give the same shares."""
    ints = _flows(VIOLATIONS[12], VIOLATIONS[1])
    floats = ints.astype({"id.resp_p": float})

    value_int = dkc(ints)
    value_float = dkc(floats)

    assert value_int == value_float == pytest.approx(2 / 2 / 20)


def test_dkc_divides_by_twenty():
    """Every rule broken by every flow would give 21/20."""
    flows = _flows(VIOLATIONS[15], VIOLATIONS[15])

    value = dkc(flows)

    assert value == pytest.approx(1 / 20)
