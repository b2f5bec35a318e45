"""Seeded session tables with the columns the synthetic-flow metrics read."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.flowchronicle.sessions import TCP_FLAGS
from workbench.schema import (
    DURATION,
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

START = 1491350400.0  # 2017-04-05 00:00 UTC, the CIDDS-001 week 3 start


def random_sessions(n: int, seed: int = 0, *, span: float = 3600.0) -> pd.DataFrame:
    """``n`` random sessions over ``span`` seconds: DNS over UDP and web over TCP."""
    rng = np.random.default_rng(seed)
    udp = rng.random(n) < 0.3
    pkts_out = rng.integers(1, 20, n).astype(float)
    pkts_in = rng.integers(0, 20, n).astype(float)
    return pd.DataFrame(
        {
            TS: START + np.sort(rng.uniform(0, span, n)),
            PROTO: np.where(udp, "udp", "tcp"),
            ORIG_H: rng.choice([f"192.168.100.{i}" for i in range(8)], n),
            RESP_H: np.where(udp, "DNS", rng.choice(["10074_40", "14193_96"], n)),
            RESP_P: np.where(udp, 53, rng.choice([80, 443], n)),
            TCP_FLAGS: np.where(udp, "......", rng.choice([".AP...", ".A...."], n)),
            RESP_BYTES: pkts_in * rng.uniform(60, 1400, n).round(),
            ORIG_BYTES: pkts_out * rng.uniform(60, 1400, n).round(),
            RESP_PKTS: pkts_in,
            ORIG_PKTS: pkts_out,
            DURATION: rng.exponential(0.5, n),
        }
    )
