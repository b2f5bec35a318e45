"""read_zeek_log on the bundled Zeek logs (TSV and JSON), gzip and rotated folders."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from tests.io.io_helpers import ZEEK_JSON, ZEEK_TSV, json_records, tsv_fields, tsv_rows
from workbench.errors import InputFormatError
from workbench.io import read_zeek_log

TSV_LOGS = sorted(ZEEK_TSV.glob("*.log"))
JSON_LOGS = sorted(ZEEK_JSON.glob("*.log"))


@pytest.mark.parametrize("path", TSV_LOGS, ids=lambda p: p.name)
def test_read_zeek_log_tsv_rows_and_fields(path):
    """Every bundled TSV log gives one row per data line and its #fields columns."""
    expected_rows = len(tsv_rows(path))

    table = read_zeek_log(path)

    assert len(table) == expected_rows
    assert list(table.columns) == tsv_fields(path)
    assert table.attrs["skipped_lines"] == 0


@pytest.mark.parametrize("path", JSON_LOGS, ids=lambda p: p.name)
def test_read_zeek_log_json_rows_and_keys(path):
    """Every bundled JSON log gives one row per line and the union of its keys."""
    records = json_records(path)
    keys = {key for record in records for key in record}

    table = read_zeek_log(path)

    assert len(table) == len(records)
    assert set(table.columns) == keys


def test_read_zeek_log_tsv_conn_types_and_values():
    """The first conn row holds the file's values with Zeek types honoured."""
    path = ZEEK_TSV / "conn.log"
    first = tsv_rows(path)[0]

    table = read_zeek_log(path)

    row = table.iloc[0]
    assert row["ts"] == float(first[0])
    assert row["uid"] == first[1] == "CoyZrY2g74UvMMgp4a"
    assert row["orig_bytes"] == int(first[9]) == 601
    assert row["tunnel_parents"] == ()
    assert pd.isna(row["local_orig"])
    assert str(table["id.orig_p"].dtype) == "Int64"
    assert str(table["local_orig"].dtype) == "boolean"
    assert str(table["uid"].dtype) == "string"
    assert table["duration"].dtype == "float64"
    assert table.attrs["log_type"] == "conn"
    assert table.attrs["zeek_types"]["tunnel_parents"] == "table[string]"


def test_read_zeek_log_tsv_botnet_flows_on_udp_16464():
    """The ZeroAccess flows on UDP 16464 of the zat conn.log are all read."""
    rows = tsv_rows(ZEEK_TSV / "conn.log")
    expected = sum(1 for r in rows if r[6] == "udp" and r[5] == "16464")

    table = read_zeek_log(ZEEK_TSV / "conn.log")

    botnet = table[(table["proto"] == "udp") & (table["id.resp_p"] == 16464)]
    assert expected > 100
    assert len(botnet) == expected
    assert botnet["id.orig_h"].eq("192.168.33.10").all()


def test_read_zeek_log_tsv_unset_is_missing():
    """An unset '-' in count and interval fields becomes a missing value."""
    rows = tsv_rows(ZEEK_TSV / "conn.log")
    unset = [i for i, r in enumerate(rows) if r[8] == "-"]

    table = read_zeek_log(ZEEK_TSV / "conn.log")

    assert unset
    assert table["duration"].iloc[unset].isna().all()
    assert table["orig_bytes"].iloc[unset].isna().all()
    assert table["duration"].drop(index=unset).notna().all()


def test_read_zeek_log_tsv_dns_vectors_as_tuples():
    """vector[string] and vector[interval] fields become tuples of str and float."""
    path = ZEEK_TSV / "dns.log"
    fields = tsv_fields(path)
    raw = tsv_rows(path)
    answers, ttls = fields.index("answers"), fields.index("TTLs")
    i = next(n for n, r in enumerate(raw) if "," in r[answers])

    table = read_zeek_log(path)

    assert table["answers"].iloc[i] == tuple(raw[i][answers].split(","))
    expected_ttls = tuple(float(x) for x in raw[i][ttls].split(","))
    assert table["TTLs"].iloc[i] == expected_ttls
    assert str(table["AA"].dtype) == "boolean"
    assert str(table["qtype"].dtype) == "Int64"


def test_read_zeek_log_tsv_empty_set_and_unset_set():
    """'(empty)' becomes () and '-' becomes None in table[...] fields."""
    path = ZEEK_TSV / "http.log"
    fields = tsv_fields(path)
    raw = [r[fields.index("tags")] for r in tsv_rows(path)]

    table = read_zeek_log(path)

    tags = table["tags"].tolist()
    assert all(t == () for t, r in zip(tags, raw, strict=True) if r == "(empty)")
    assert all(t is None for t, r in zip(tags, raw, strict=True) if r == "-")
    assert "(empty)" in raw


def test_read_zeek_log_tsv_x509_and_files_sets():
    """x509 SAN vectors and files.log host sets are tuples of their items."""
    x509 = read_zeek_log(ZEEK_TSV / "x509.log")
    files = read_zeek_log(ZEEK_TSV / "files.log")

    raw = tsv_rows(ZEEK_TSV / "files.log")
    hosts = tsv_fields(ZEEK_TSV / "files.log").index("tx_hosts")
    assert files["tx_hosts"].iloc[0] == tuple(raw[0][hosts].split(","))
    san = x509["san.dns"].dropna()
    assert len(san) > 0
    assert all(isinstance(v, tuple) for v in san)


@pytest.mark.parametrize(
    ("log", "field"),
    [
        ("files.log", "tx_hosts"),
        ("ssl.log", "cert_chain_fuids"),
        ("x509.log", "san.dns"),
        ("http.log", "resp_fuids"),
        ("dns.log", "answers"),
    ],
)
def test_read_zeek_log_json_lists_as_tuples(log, field):
    """JSON lists become tuples equal to the lists, [] becomes ()."""
    records = json_records(ZEEK_JSON / log)
    expected = [tuple(r[field]) if field in r else None for r in records]

    table = read_zeek_log(ZEEK_JSON / log)

    assert table[field].tolist() == expected


def test_read_zeek_log_json_types_from_values():
    """JSON integers become Int64, fractions float, booleans boolean, text string."""
    table = read_zeek_log(ZEEK_JSON / "dns.log")

    assert str(table["trans_id"].dtype) == "Int64"
    assert table["ts"].dtype == "float64"
    assert str(table["AA"].dtype) == "boolean"
    assert str(table["query"].dtype) == "string"


def test_read_zeek_log_json_missing_keys_are_missing():
    """A key absent from one line is a missing value in that row."""
    records = json_records(ZEEK_JSON / "weird.log")
    without_uid = [i for i, r in enumerate(records) if "uid" not in r]

    table = read_zeek_log(ZEEK_JSON / "weird.log")

    assert without_uid
    assert table["uid"].iloc[without_uid].isna().all()


def test_read_zeek_log_json_iso_time_stamps(write):
    """A ts written as ISO 8601 text becomes epoch seconds."""
    path = write("conn.log", '{"ts":"2019-12-03T22:44:56.052279Z","uid":"C1"}\n')

    table = read_zeek_log(path)

    assert math.isclose(table["ts"].iloc[0], 1575413096.052279, abs_tol=1e-6)


@pytest.mark.parametrize("name", ["conn.log", "dns.log"])
@pytest.mark.parametrize("folder", [ZEEK_TSV, ZEEK_JSON], ids=["tsv", "json"])
def test_read_zeek_log_gzip_equals_plain(write, folder, name):
    """A gzip-compressed log reads exactly like the plain one."""
    plain = folder / name
    packed = write(name + ".gz", plain.read_bytes())

    table = read_zeek_log(packed)

    pd.testing.assert_frame_equal(table, read_zeek_log(plain))


def test_read_zeek_log_rotated_folder_sorted_by_ts(write):
    """Hourly rotated conn logs (some gzip) read as one table sorted by ts."""
    lines = (ZEEK_TSV / "conn.log").read_text().splitlines()
    header = [line for line in lines if line.startswith("#") and "#close" not in line]
    body = [line for line in lines if line and not line.startswith("#")]
    parts = [body[0::3], body[1::3], body[2::3]]
    names = ["conn.10:00:00-11:00:00.log.gz", "conn.11:00:00-12:00:00.log.gz"]
    for name, part in zip([*names, "conn.log"], parts, strict=True):
        path = write(f"logs/{name}", "\n".join(header + part + ["#close\tx"]) + "\n")

    table = read_zeek_log(path.parent)

    assert len(table) == len(body)
    assert table["ts"].is_monotonic_increasing
    expected = sorted(float(line.split("\t")[0]) for line in body)
    assert table["ts"].tolist() == expected


def test_read_zeek_log_folder_of_several_types_needs_log_type(write):
    """A folder of conn and dns logs is refused without log_type, read with it."""
    write("logs/conn.log", (ZEEK_TSV / "conn.log").read_text())
    folder = write("logs/dns.log", (ZEEK_TSV / "dns.log").read_text()).parent

    with pytest.raises(InputFormatError, match="several types"):
        read_zeek_log(folder)
    table = read_zeek_log(folder, log_type="dns")

    assert len(table) == len(tsv_rows(ZEEK_TSV / "dns.log"))
    assert table.attrs["log_type"] == "dns"


def test_read_zeek_log_declared_separator_and_markers(write):
    """A log with comma separator, '|' sets and other markers reads like Zeek's."""
    text = (ZEEK_TSV / "dns.log").read_text()
    assert "|" not in text and "NULL" not in text and "EMPTY" not in text
    body = text.replace(",", "|").replace("(empty)", "EMPTY")
    body = re.sub(r"(?<=\t)-(?=\t|\n)", "NULL", body).replace("\t", ",")
    body = body.replace("#separator \\x09", "#separator \\x2c")

    table = read_zeek_log(write("dns.log", body))

    assert body.count("NULL") > 10 and "#set_separator,|" in body
    pd.testing.assert_frame_equal(table, read_zeek_log(ZEEK_TSV / "dns.log"))


def test_read_zeek_log_without_close_footer(write):
    """A log cut before its #close line (still being written) reads all rows."""
    lines = (ZEEK_TSV / "conn.log").read_text().splitlines()
    path = write("conn.log", "\n".join(lines[:-1]) + "\n")

    table = read_zeek_log(path)

    assert len(table) == len(tsv_rows(ZEEK_TSV / "conn.log"))


def test_read_zeek_log_header_only_gives_empty_typed_table(write):
    """A log with a header and no rows gives an empty table with typed columns."""
    lines = (ZEEK_TSV / "conn.log").read_text().splitlines()
    header = [line for line in lines if line.startswith("#")]

    table = read_zeek_log(write("conn.log", "\n".join(header) + "\n"))

    assert len(table) == 0
    assert list(table.columns) == tsv_fields(ZEEK_TSV / "conn.log")
    assert str(table["orig_bytes"].dtype) == "Int64"
