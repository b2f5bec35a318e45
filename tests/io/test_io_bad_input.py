"""Bad input in every format: clear errors naming file and line, exact skip counts."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

from tests.io.io_helpers import (
    CICIDS,
    CIDDS,
    IOT23,
    ZEEK_JSON,
    ZEEK_TSV,
    csv_data_lines,
    edit_lines,
    set_cell,
)
from workbench import schema
from workbench.errors import InputFormatError, SchemaError, SkippedLinesWarning
from workbench.io import read_flows, read_zeek_log

CONN_TSV = ZEEK_TSV / "conn.log"
CONN_JSON = ZEEK_JSON / "conn.log"
HONEYPOT = next(p for p in IOT23 if "7-1" in p.name)
#: The first data line of the bundled conn.log (8 header lines precede it).
FIRST_TSV_LINE = 9


def _read_skipping(reader, path, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = reader(path, on_bad_lines="skip", **kwargs)
    messages = [str(w.message) for w in caught if w.category is SkippedLinesWarning]
    return table, messages


@pytest.mark.parametrize("content", [b"", b"  \n\n"], ids=["empty", "blank"])
@pytest.mark.parametrize("fmt", [None, "zeek", "zeek-csv", "cicflowmeter", "pcap"])
def test_read_flows_empty_file_raises(write, content, fmt):
    """An empty or blank file raises InputFormatError naming the file."""
    path = write("nothing.csv", content)

    with pytest.raises(InputFormatError, match="nothing.csv"):
        read_flows(path, format=fmt)


def test_read_zeek_log_empty_file_raises(write):
    """read_zeek_log refuses an empty file, naming it."""
    with pytest.raises(InputFormatError, match="empty"):
        read_zeek_log(write("conn.log", b""))


@pytest.mark.parametrize(
    ("source", "fmt", "column"),
    [
        (HONEYPOT, "zeek-csv", "id.orig_p"),
        (CICIDS[0], "cicflowmeter", "Dst Port"),
        (CIDDS, "netflow", "Bytes"),
    ],
)
def test_read_flows_missing_required_column_names_it(write, source, fmt, column):
    """A missing column raises SchemaError naming it and listing the columns found."""
    frame = pd.read_csv(source, dtype=str, keep_default_na=False).drop(columns=column)
    path = write("cut.csv", frame.to_csv(index=False))

    with pytest.raises(SchemaError) as error:
        read_flows(path, format=fmt)

    message = str(error.value)
    assert "cut.csv" in message and repr(column) in message
    assert repr(frame.columns[0]) in message


def test_read_zeek_log_header_without_fields_raises(write):
    """A Zeek header without #fields raises naming the file and the line to add."""
    text = "\n".join(
        line for line in CONN_TSV.read_text().splitlines() if "#fields" not in line
    )

    with pytest.raises(InputFormatError, match="#fields") as error:
        read_zeek_log(write("conn.log", text))

    assert "conn.log" in str(error.value)


def test_read_zeek_log_types_fields_mismatch_raises(write):
    """A #types line with one type too few is refused."""
    data = edit_lines(CONN_TSV, {8: lambda line: line.rsplit("\t", 1)[0]})

    with pytest.raises(InputFormatError, match="#types"):
        read_zeek_log(write("conn.log", data))


MALFORMED = [
    # (case id, source, reader format, edits, line, words in the message)
    ("tsv-too-many", CONN_TSV, "zeek", {12: lambda s: s + "\tx"}, 12, ["21 fields"]),
    ("tsv-too-few", CONN_TSV, "zeek", {13: lambda s: s[:30]}, 13, ["fields"]),
    (
        "tsv-text-in-count",
        CONN_TSV,
        "zeek",
        {14: set_cell(9, "abc", "\t")},
        14,
        ["'orig_bytes'", "'abc'"],
    ),
    (
        "tsv-bad-bool",
        CONN_TSV,
        "zeek",
        {15: set_cell(12, "yes", "\t")},
        15,
        ["'local_orig'", "'yes'"],
    ),
    ("tsv-inf-time", CONN_TSV, "zeek", {16: set_cell(0, "inf", "\t")}, 16, ["'ts'"]),
    (
        "tsv-nan-count",
        CONN_TSV,
        "zeek",
        {17: set_cell(15, "nan", "\t")},
        17,
        ["'orig_pkts'"],
    ),
    (
        "tsv-fraction-port",
        CONN_TSV,
        "zeek",
        {18: set_cell(3, "80.5", "\t")},
        18,
        ["'id.orig_p'"],
    ),
    ("json-syntax", CONN_JSON, "zeek-json", {4: '{"ts": 1.0,'}, 4, ["not valid JSON"]),
    ("json-not-object", CONN_JSON, "zeek-json", {5: "[1, 2]"}, 5, ["not an object"]),
    (
        "json-text-in-count",
        CONN_JSON,
        "zeek-json",
        {6: lambda s: json.dumps({**json.loads(s), "orig_bytes": "many"})},
        6,
        ["'orig_bytes'", "'many'"],
    ),
    ("iot23-too-few", HONEYPOT, "zeek-csv", {3: "1.0,C1"}, 3, ["2 fields"]),
    (
        "iot23-text-duration",
        HONEYPOT,
        "zeek-csv",
        {4: set_cell(8, "long")},
        4,
        ["'duration'", "'long'"],
    ),
    (
        "iot23-unknown-label",
        HONEYPOT,
        "zeek-csv",
        {5: set_cell(21, "Suspicious")},
        5,
        ["'label'", "'Suspicious'"],
    ),
    (
        "cic-text-statistic",
        CICIDS[0],
        "cicflowmeter",
        {6: set_cell(25, "lots")},
        6,
        ["'Flow IAT Max'", "'lots'"],
    ),
    (
        "cic-bad-time",
        CICIDS[0],
        "cicflowmeter",
        {7: set_cell(7, "yesterday")},
        7,
        ["'Timestamp'"],
    ),
    (
        "cic-too-many",
        CICIDS[0],
        "cicflowmeter",
        {8: lambda s: s + ",1"},
        8,
        ["92 fields"],
    ),
    (
        "netflow-bad-bytes",
        CIDDS,
        "netflow",
        {9: set_cell(8, "12 X")},
        9,
        ["'Bytes'", "'12 X'"],
    ),
    (
        "netflow-bad-date",
        CIDDS,
        "netflow",
        {10: set_cell(0, "soon")},
        10,
        ["'Date first seen'"],
    ),
    ("netflow-bad-port", CIDDS, "netflow", {11: set_cell(4, "http")}, 11, ["'Src Pt'"]),
]


@pytest.mark.parametrize(
    ("source", "fmt", "edits", "line", "words"),
    [case[1:] for case in MALFORMED],
    ids=[case[0] for case in MALFORMED],
)
def test_read_flows_malformed_line_names_file_line_field(
    write, source, fmt, edits, line, words
):
    """The first malformed line raises naming the file, its number and the field."""
    path = write(f"broken-{source.name}", edit_lines(source, edits))

    with pytest.raises(InputFormatError) as error:
        read_flows(path, format=fmt)

    message = str(error.value)
    assert path.name in message and f"line {line}:" in message
    for word in words:
        assert word in message
    assert type(error.value) is InputFormatError


@pytest.mark.parametrize(
    ("source", "fmt", "edits", "line", "words"),
    [case[1:] for case in MALFORMED],
    ids=[case[0] for case in MALFORMED],
)
def test_read_flows_malformed_line_skipped_exactly(
    write, source, fmt, edits, line, words
):
    """In skip mode the same line is dropped, counted and named in the warning."""
    path = write(f"broken-{source.name}", edit_lines(source, edits))
    whole = read_flows(source, format=fmt)

    flows, messages = _read_skipping(read_flows, path, format=fmt)

    assert len(flows) == len(whole) - 1
    assert flows.attrs["skipped_lines"] == 1
    assert len(messages) == 1 and f"lines {line})" in messages[0]


def test_read_zeek_log_nonfinite_interval_kept(write):
    """nan and inf in an interval field are kept as float values (documented)."""
    data = edit_lines(
        CONN_TSV, {9: set_cell(8, "inf", "\t"), 10: set_cell(8, "nan", "\t")}
    )

    table = read_zeek_log(write("conn.log", data))

    assert table["duration"].iloc[0] == float("inf")
    assert pd.isna(table["duration"].iloc[1])
    assert table.attrs["skipped_lines"] == 0


@pytest.mark.parametrize(
    ("source", "fmt", "line"),
    [
        (CONN_TSV, "zeek", 11),
        (CONN_JSON, "zeek-json", 3),
        (HONEYPOT, "zeek-csv", 4),
        (CIDDS, "netflow", 5),
    ],
)
def test_read_flows_non_utf8_line_names_it(write, source, fmt, line):
    """Bytes that are not UTF-8 raise naming the line; skip mode drops that line."""
    data = edit_lines(
        source, {line: lambda s: s.encode()[:8] + b"\xff\xfe" + s.encode()[8:]}
    )
    path = write("latin.dat", data)
    whole = read_flows(source, format=fmt)

    with pytest.raises(InputFormatError, match=f"line {line}: .*UTF-8"):
        read_flows(path, format=fmt)
    flows, messages = _read_skipping(read_flows, path, format=fmt)

    assert len(flows) == len(whole) - 1 and len(messages) == 1


def test_read_flows_skip_counts_several_kinds_exactly(write):
    """Five bad lines of different kinds are skipped and counted as five."""
    edits = {
        3: "1.0,C1",
        7: set_cell(8, "long"),
        11: set_cell(21, "Nope"),
        12: lambda s: s + ",extra",
        20: set_cell(3, "port"),
    }
    path = write("five.csv", edit_lines(HONEYPOT, edits))

    flows, messages = _read_skipping(read_flows, path)

    assert flows.attrs["skipped_lines"] == 5
    assert len(flows) == csv_data_lines(HONEYPOT) - 5
    assert "skipped 5" in messages[0] and "lines 3, 7, 11, 12, 20)" in messages[0]


def test_read_flows_error_reports_earliest_line(write):
    """With a bad value before a bad field count, the earlier line is reported."""
    path = write(
        "two.csv", edit_lines(HONEYPOT, {9: lambda s: s + ",x", 4: set_cell(8, "?")})
    )

    with pytest.raises(InputFormatError, match="line 4:"):
        read_flows(path)


def test_read_zeek_log_skip_mode_counts_tsv_lines(write):
    """read_zeek_log skips and counts bad TSV lines, keeping the others."""
    edits = {FIRST_TSV_LINE: set_cell(9, "x", "\t"), 30: lambda s: s + "\t1"}
    path = write("conn.log", edit_lines(CONN_TSV, edits))

    table, messages = _read_skipping(read_zeek_log, path)

    assert table.attrs["skipped_lines"] == 2
    assert len(table) == len(read_zeek_log(CONN_TSV)) - 2
    assert "lines 9, 30)" in messages[0]


def test_read_flows_crlf_and_blank_lines_read_like_plain(write):
    """Windows line ends and blank lines change nothing and are not counted."""
    text = HONEYPOT.read_text().replace("\n", "\r\n").replace("\r\n", "\r\n\r\n", 3)
    path = write("windows.csv", text)

    flows = read_flows(path)

    pd.testing.assert_frame_equal(flows, read_flows(HONEYPOT), check_exact=True)
    assert flows.attrs["skipped_lines"] == 0


def test_read_flows_quoted_set_field_in_csv(write):
    """A quoted CSV cell holding a comma-separated set becomes a tuple."""
    header = HONEYPOT.read_text().splitlines()[0]
    lines = HONEYPOT.read_text().splitlines()[1:3]
    quoted = lines[0].split(",")
    quoted[20] = '"CabcD1,CefgH2"'
    path = write("quoted.csv", "\n".join([header, ",".join(quoted), lines[1]]) + "\n")

    flows = read_flows(path)

    assert flows["tunnel_parents"].iloc[0] == ("CabcD1", "CefgH2")
    assert len(flows) == 2


def test_read_flows_header_only_csv_gives_empty_table(write):
    """With allow_empty=True a CSV with only its header gives an empty table."""
    path = write("header.csv", HONEYPOT.read_text().splitlines()[0] + "\n")

    flows = read_flows(path, allow_empty=True)

    assert len(flows) == 0
    assert schema.LABEL in flows.columns
