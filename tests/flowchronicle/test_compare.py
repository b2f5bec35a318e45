"""Tests for the real-versus-synthetic share tables."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench.errors import SchemaError
from workbench.flowchronicle.compare import (
    hour_chart,
    hour_table,
    share_chart,
    share_table,
)


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


def test_hour_table_counts_flows_per_hour_of_day():
    """Times on two days fold onto the same hours; each source's shares sum to one."""
    day = 86_400.0
    real = pd.DataFrame({"ts": [0.0, 3600.0 * 5 + 10, day + 3600.0 * 5, day - 1.0]})
    fake = pd.DataFrame({"ts": [3600.0 * 23.5, 60.0]})

    table = hour_table(real, fake)

    counts = table.pivot(index="hour", columns="source", values="flows")
    assert len(counts) == 24
    assert counts["real"].to_dict() == {
        h: {0: 1, 5: 2, 23: 1}.get(h, 0) for h in range(24)
    }
    assert counts["synthetic"][23] == 1 and counts["synthetic"][0] == 1
    assert table.groupby("source")["share"].sum().round(9).eq(1.0).all()


def test_hour_table_missing_time_raises():
    """Comparing tables without timestamps names the ts field."""
    real = pd.DataFrame({"proto": ["tcp"]})

    with pytest.raises(SchemaError, match="'ts'"):
        hour_table(real, real)


def test_hour_chart_puts_sources_side_by_side():
    """The chart offsets the two sources within each hour."""
    real = pd.DataFrame({"ts": [0.0, 7200.0]})

    chart = hour_chart(real, real.iloc[:1])

    assert chart.to_dict()["encoding"]["xOffset"]["field"] == "source"
    assert set(chart.data["source"]) == {"real", "synthetic"}
