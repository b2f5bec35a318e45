"""Shared fixtures: small seeded flow tables and quiet torch on two cores."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch

from workbench import schema

torch.set_num_threads(1)


@pytest.fixture
def toy_flows() -> pd.DataFrame:
    """Sixty seeded benign-looking flows: DNS over UDP and HTTPS over TCP."""
    rng = np.random.default_rng(7)
    n = 60
    dns = rng.random(n) < 0.5
    frame = pd.DataFrame(
        {
            schema.TS: 1.6e9 + np.arange(n, dtype=float),
            schema.UID: [f"C{i}" for i in range(n)],
            schema.ORIG_H: ["192.168.1.10"] * n,
            schema.ORIG_P: rng.integers(49152, 65535, n),
            schema.RESP_H: np.where(dns, "8.8.8.8", "93.184.216.34"),
            schema.RESP_P: np.where(dns, 53, 443),
            schema.PROTO: np.where(dns, "udp", "tcp"),
            schema.SERVICE: np.where(dns, "dns", "ssl"),
            schema.DURATION: rng.exponential(0.2, n),
            schema.ORIG_BYTES: np.where(dns, 40, 600) + rng.integers(0, 20, n),
            schema.RESP_BYTES: np.where(dns, 120, 5000) + rng.integers(0, 200, n),
            schema.CONN_STATE: "SF",
            schema.ORIG_PKTS: np.where(dns, 1, 8),
            schema.RESP_PKTS: np.where(dns, 1, 9),
            schema.LABEL: schema.BENIGN,
        }
    )
    return schema.conform(frame, source="toy")
