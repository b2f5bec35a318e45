"""Tests for the real-versus-synthetic share tables."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.errors import SchemaError
from workbench.flowchronicle.compare import share_chart, share_table


def test_share_table_groups_rare_values_as_other():
    """Values outside the real table's top k are grouped, shares sum to one."""
    real = pd.DataFrame({"port": ["53"] * 5 + ["80"] * 3 + ["22"]})
    fake = pd.DataFrame({"port": ["53", "8080", "8080", "22"]})

    table = share_table(real, fake, "port", top=2)

    fake_shares = table[table["source"] == "synthetic"].set_index("value")["share"]
    assert fake_shares.to_dict() == {"other": 0.75, "53": 0.25}
    assert table.groupby("source")["share"].sum().round(9).eq(1.0).all()


def test_share_table_numeric_power_of_two_bins():
    """Byte counts fall in [2^k, 2^(k+1)) bins, with 0 apart."""
    real = pd.DataFrame({"orig_bytes": [0.0, 1.0, 3.0, 1000.0] * 20})

    table = share_table(real, real, "orig_bytes")

    assert set(table["value"]) == {"0", "[2^0, 2^1)", "[2^1, 2^2)", "[2^9, 2^10)"}


def test_share_table_missing_column_raises():
    """Comparing a field one table lacks names the field."""
    real = pd.DataFrame({"proto": ["tcp"]})

    with pytest.raises(SchemaError, match="service"):
        share_table(real, real, "service")


def test_share_chart_encodes_both_sources():
    """The chart's data hold both sources."""
    real = pd.DataFrame({"proto": ["tcp", "udp"]})

    chart = share_chart(real, real.iloc[:1], "proto")

    assert set(chart.data["source"]) == {"real", "synthetic"}
