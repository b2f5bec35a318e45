"""Missing and infinite values, and the rows a dropna would lose per label."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench import schema
from workbench.audit.missing import dropna_loss, missing_findings, missing_values

IAT = ("Flow IAT Mean", "Flow IAT Max")


def _single_packet_table(seed: int) -> pd.DataFrame:
    """Flows where single-packet rows have NaN inter-arrival statistics."""
    rng = np.random.default_rng(seed)
    n = 200
    label = np.where(rng.random(n) < 0.3, schema.MALICIOUS, schema.BENIGN)
    # Attacks are mostly one-packet probes, benign flows mostly longer.
    single = rng.random(n) < np.where(label == schema.MALICIOUS, 0.6, 0.05)
    table = pd.DataFrame(
        {
            schema.ORIG_PKTS: np.where(single, 1.0, 5.0),
            schema.RESP_PKTS: np.where(single, 0.0, 4.0),
            schema.LABEL: label,
            "Flow Bytes/s": np.where(rng.random(n) < 0.02, np.inf, 10.0),
        }
    )
    for column in IAT:
        table[column] = np.where(single, np.nan, rng.exponential(1.0, n))
    return table


def test_dropna_loss_counts_single_packet_rows_per_label():
    """dropna loses exactly the single-packet rows of each label."""
    table = _single_packet_table(seed=0)
    single = table[schema.ORIG_PKTS].eq(1)

    loss = dropna_loss(table).set_index("class")

    for label in (schema.BENIGN, schema.MALICIOUS):
        rows = table[schema.LABEL].eq(label)
        assert loss.loc[label, "rows"] == rows.sum()
        assert loss.loc[label, "lost"] == (rows & single).sum()
        assert loss.loc[label, "lost_tiny"] == (rows & single).sum()
    assert loss.loc[schema.MALICIOUS, "warning"]


def test_dropna_loss_inf_as_nan_adds_infinite_rows():
    """Counting infinities as missing adds the rows with an infinite rate."""
    table = _single_packet_table(seed=1)
    expected = (table[schema.ORIG_PKTS].eq(1) | np.isinf(table["Flow Bytes/s"])).sum()

    loss = dropna_loss(table, inf_as_nan=True)

    assert loss["lost"].sum() == expected


def test_missing_values_counts_nan_and_inf_per_column_and_label():
    """NaN and +inf are counted per column and class; clean columns are absent."""
    table = _single_packet_table(seed=2)

    missing = missing_values(table).set_index(["column", "class"])

    single = table[schema.ORIG_PKTS].eq(1)
    for label in (schema.BENIGN, schema.MALICIOUS):
        rows = table[schema.LABEL].eq(label)
        assert missing.loc[(IAT[0], label), "nan"] == (rows & single).sum()
    assert (
        missing.loc["Flow Bytes/s", "posinf"].sum()
        == np.isinf(table["Flow Bytes/s"]).sum()
    )
    assert schema.ORIG_PKTS not in missing.index.get_level_values("column")


def test_missing_findings_ignore_fields_the_format_lacks():
    """A canonical field missing on every row is no finding about the data."""
    table = schema.conform(_single_packet_table(seed=3), source="t")

    findings = missing_findings(table, "t")
    keys = {f.key for f in findings if f.check == "missing or infinite values"}

    assert keys == {*IAT, "Flow Bytes/s"}
    assert schema.ORIG_IP_BYTES in table.columns


def test_missing_findings_name_the_rows_lost():
    """The dropna finding of a class lists exactly its incomplete rows."""
    table = _single_packet_table(seed=4)

    findings = missing_findings(table, "t")
    lost = next(
        f for f in findings if f.key == schema.MALICIOUS and "dropna" in f.check
    )

    incomplete = table[IAT[0]].isna() | np.isinf(table["Flow Bytes/s"])
    expected = np.flatnonzero(incomplete & table[schema.LABEL].eq(schema.MALICIOUS))
    assert lost.rows["row"].tolist() == expected.tolist()
