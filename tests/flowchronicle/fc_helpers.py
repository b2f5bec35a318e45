"""Seeded canonical tables with a planted FlowChronicle pattern, for the tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

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
