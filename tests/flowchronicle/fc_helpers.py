"""Seeded canonical tables with a planted FlowChronicle pattern, and a tiny model."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.flowchronicle.model import (
    FixedCell,
    FlowModel,
    GenerativePattern,
    Node,
    ReuseCell,
    TimeModel,
)
from workbench.flowchronicle.prepare import FEATURES
from workbench.schema import (
    DURATION,
    ORIG_BYTES,
    ORIG_H,
    ORIG_P,
    ORIG_PKTS,
    PROTO,
    RESP_BYTES,
    RESP_H,
    RESP_P,
    RESP_PKTS,
    TS,
    conform,
)

#: The planted behaviour: a DNS query (port 53) then, from the same client, HTTPS.
DNS_PORT, HTTPS_PORT = 53, 443
DNS_SERVER = "10.0.0.53"


def planted_table(
    seed: int = 0, n_noise: int = 300, n_planted: int = 120
) -> pd.DataFrame:
    """Bidirectional flows: random noise plus ``n_planted`` DNS-then-HTTPS pairs."""
    rng = np.random.default_rng(seed)
    clients = [f"192.168.1.{i}" for i in range(1, 21)]
    servers = [f"172.16.0.{i}" for i in range(1, 41)]
    day = 86_400.0
    noise = pd.DataFrame(
        {
            TS: rng.uniform(0, day, n_noise),
            ORIG_H: rng.choice(clients, n_noise),
            RESP_H: rng.choice(servers, n_noise),
            RESP_P: rng.choice([22, 25, 80, 8080], n_noise),
            PROTO: "tcp",
            DURATION: rng.exponential(2.0, n_noise),
            ORIG_BYTES: rng.integers(100, 5000, n_noise).astype(float),
            RESP_BYTES: rng.integers(100, 50000, n_noise).astype(float),
            ORIG_PKTS: rng.integers(2, 40, n_noise).astype(float),
            RESP_PKTS: rng.integers(2, 60, n_noise).astype(float),
        }
    )
    start = rng.uniform(0, day - 10, n_planted)
    client = rng.choice(clients, n_planted)
    query = pd.DataFrame(
        {
            TS: start,
            ORIG_H: client,
            RESP_H: DNS_SERVER,
            RESP_P: DNS_PORT,
            PROTO: "udp",
            DURATION: 0.01,
            ORIG_BYTES: 60.0,
            RESP_BYTES: 120.0,
            ORIG_PKTS: 1.0,
            RESP_PKTS: 1.0,
        }
    )
    https = pd.DataFrame(
        {
            TS: start + rng.uniform(0.05, 0.3, n_planted),
            ORIG_H: client,
            RESP_H: rng.choice(servers, n_planted),
            RESP_P: HTTPS_PORT,
            PROTO: "tcp",
            DURATION: rng.exponential(1.0, n_planted),
            ORIG_BYTES: rng.integers(500, 3000, n_planted).astype(float),
            RESP_BYTES: rng.integers(1000, 90000, n_planted).astype(float),
            ORIG_PKTS: rng.integers(5, 30, n_planted).astype(float),
            RESP_PKTS: rng.integers(5, 80, n_planted).astype(float),
        }
    )
    frame = pd.concat([noise, query, https], ignore_index=True)
    frame[TS] = frame[TS] + 1.6e9
    frame[ORIG_P] = rng.integers(49152, 65535, len(frame))
    return conform(frame.sample(frac=1.0, random_state=seed), source="planted")


def tiny_model() -> FlowModel:
    """Hand-written model: a DNS-then-HTTPS pattern reusing the client, and the rest.

    Pattern 0, row 0: UDP to port 53 of a drawn server from a drawn client; row 1:
    the same client, TCP port 443, a drawn server. The empty pattern draws Proto,
    then DstPt given Proto, and both addresses independently.
    """
    features = tuple(
        f for f in FEATURES if f.name in ("SrcIP", "DstIP", "DstPt", "Proto")
    )
    clients = ("192.168.1.1", "192.168.1.2")
    servers = ("10.0.0.1", "10.0.0.2", "10.0.0.3")
    dns = GenerativePattern(
        (
            (FixedCell("DstPt", 53), FixedCell("Proto", "udp")),
            (
                ReuseCell("SrcIP", 0, "SrcIP"),
                FixedCell("DstPt", 443),
                FixedCell("Proto", "tcp"),
            ),
        ),
        (
            Node("SrcIP", 0, clients, (), np.array([[0.5, 0.5]])),
            Node("DstIP", 0, servers[:1], (), np.array([[1.0]])),
            Node("DstIP", 1, servers, (), np.array([[0.2, 0.3, 0.5]])),
        ),
        TimeModel(np.arange(0.0, 9000.0, 500.0), (np.array([5.0, 10.0]),)),
    )
    rest = GenerativePattern(
        ((),),
        (
            Node("Proto", 0, ("tcp", "udp"), (), np.array([[0.6, 0.4]])),
            Node(
                "DstPt",
                0,
                (80, 53, 443),
                (0,),
                np.array([[0.5, 0.1, 0.4], [0.05, 0.9, 0.05]]),
            ),
            Node("SrcIP", 0, clients, (), np.array([[0.3, 0.7]])),
            Node("DstIP", 0, servers, (), np.array([[0.2, 0.2, 0.6]])),
        ),
        TimeModel(np.arange(0.0, 10000.0, 250.0), ()),
    )
    return FlowModel(features, (dns, rest), (30, 70), (0, 10000), 1.6e9)
