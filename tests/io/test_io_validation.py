"""Field presence and value ranges: required, optional, misspelt, out of range."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from tests.io.io_helpers import (
    CICIDS,
    CIDDS,
    IOT23,
    ZEEK_JSON,
    ZEEK_TSV,
    edit_lines,
    set_cell,
)
from workbench import schema
from workbench.errors import (
    InputFormatError,
    MissingFieldWarning,
    SchemaError,
    SkippedLinesWarning,
)
from workbench.io import read_flows, read_zeek_log

CONN_TSV = ZEEK_TSV / "conn.log"
CONN_JSON = ZEEK_JSON / "conn.log"
HONEYPOT = next(p for p in IOT23 if "7-1" in p.name)


def _json_edit(**values):
    """An edit that sets keys of a JSON line (NaN and inf written as JSON does)."""
    return lambda line: json.dumps({**json.loads(line), **values})


def _without_tsv_field(name: str) -> str:
    """The bundled TSV conn log without one field (in #fields, #types and data)."""
    lines = CONN_TSV.read_text().splitlines()
    index = next(ln for ln in lines if ln.startswith("#fields")).split("\t").index(name)
    out = []
    for line in lines:
        cells = line.split("\t")
        data = not line.startswith("#")
        if data or line.startswith(("#fields", "#types")):
            del cells[index - 1 if data else index]
        out.append("\t".join(cells))
    return "\n".join(out) + "\n"


def test_read_flows_misspelt_optional_csv_column_warns(write):
    """orig_byts in an IoT-23 CSV is named next to the missing orig_bytes."""
    text = HONEYPOT.read_text().replace(",orig_bytes,", ",orig_byts,", 1)
    path = write("misspelt.csv", text)

    with pytest.warns(MissingFieldWarning) as caught:
        flows = read_flows(path)

    message = str(caught[0].message)
    assert "misspelt.csv" in message and "'orig_bytes'" in message
    assert "'orig_byts' looks like 'orig_bytes'" in message
    assert flows[schema.ORIG_BYTES].isna().all()
    assert flows["orig_byts"].notna().any()


def test_read_flows_zeek_tsv_without_optional_field_warns(write):
    """A TSV conn log lacking orig_bytes warns naming the file and the field."""
    path = write("conn.log", _without_tsv_field("orig_bytes"))

    with pytest.warns(MissingFieldWarning, match=r"conn\.log: .*\['orig_bytes'\]"):
        flows = read_flows(path)

    assert flows[schema.ORIG_BYTES].isna().all()
    assert flows[schema.RESP_BYTES].notna().any()


def test_read_flows_zeek_json_key_in_no_record_warns(write):
    """A JSON conn log whose records never set orig_bytes says why it may be so."""
    records = [json.loads(line) for line in CONN_JSON.read_text().splitlines()]
    text = "\n".join(
        json.dumps({k: v for k, v in r.items() if k != "orig_bytes"}) for r in records
    )

    with pytest.warns(MissingFieldWarning, match="leaves out unset fields"):
        flows = read_flows(write("conn.json", text), format="zeek-json")

    assert flows[schema.ORIG_BYTES].isna().all()


def test_read_flows_misspelt_required_column_names_close_match(write):
    """A misspelt required column raises naming the file, field and close match."""
    text = HONEYPOT.read_text().replace(",id.orig_p,", ",id.orig_pt,", 1)
    path = write("cut.csv", text)

    with pytest.raises(SchemaError) as error:
        read_flows(path, format="zeek-csv")

    message = str(error.value)
    assert "cut.csv" in message and "['id.orig_p']" in message
    assert "'id.orig_pt' looks like 'id.orig_p'" in message


def test_read_flows_zeek_tsv_without_required_field_raises(write):
    """A TSV conn log lacking id.resp_p raises SchemaError naming it."""
    path = write("conn.log", _without_tsv_field("id.resp_p"))

    with pytest.raises(SchemaError, match=r"conn\.log: .*\['id\.resp_p'\]"):
        read_flows(path)


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        (CONN_TSV, "zeek"),
        (CONN_JSON, "zeek-json"),
        (HONEYPOT, "zeek-csv"),
        (CICIDS[0], "cicflowmeter"),
        (CIDDS, "netflow"),
    ],
)
def test_read_flows_complete_bundled_file_warns_nothing(path, fmt):
    """Complete bundled files raise no field or skipped-line warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", MissingFieldWarning)
        warnings.simplefilter("error", SkippedLinesWarning)

        flows = read_flows(path, format=fmt)

    assert len(flows) > 0


OUT_OF_RANGE = [
    # (case id, source, format, edits, line, words in the message)
    ("tsv-neg-bytes", CONN_TSV, "zeek", {12: set_cell(9, "-5", "\t")}, 12, ["-5"]),
    ("tsv-neg-dur", CONN_TSV, "zeek", {13: set_cell(8, "-0.5", "\t")}, 13, ["-0.5"]),
    ("tsv-port", CONN_TSV, "zeek", {14: set_cell(5, "70000", "\t")}, 14, ["70000"]),
    ("tsv-ip", CONN_TSV, "zeek", {15: set_cell(2, "10.0.0.256", "\t")}, 15, ["256"]),
    (
        "json-neg-pkts",
        CONN_JSON,
        "zeek-json",
        {3: _json_edit(orig_pkts=-1)},
        3,
        ["'orig_pkts'", "-1"],
    ),
    (
        "json-ip",
        CONN_JSON,
        "zeek-json",
        {4: _json_edit(**{"id.resp_h": "host-a"})},
        4,
        ["'id.resp_h'", "'host-a'"],
    ),
    (
        "json-port",
        CONN_JSON,
        "zeek-json",
        {5: _json_edit(**{"id.orig_p": -3})},
        5,
        ["'id.orig_p'", "-3"],
    ),
    ("iot23-neg-bytes", HONEYPOT, "zeek-csv", {3: set_cell(10, "-1")}, 3, ["-1"]),
    ("iot23-port", HONEYPOT, "zeek-csv", {4: set_cell(3, "65536")}, 4, ["65536"]),
    ("iot23-ip", HONEYPOT, "zeek-csv", {5: set_cell(4, "1.2.3")}, 5, ["'1.2.3'"]),
    (
        "cic-neg-duration",
        CICIDS[0],
        "cicflowmeter",
        {6: set_cell(8, "-1")},
        6,
        ["'duration'", "'Flow Duration'"],
    ),
    ("cic-neg-pkts", CICIDS[0], "cicflowmeter", {7: set_cell(9, "-2")}, 7, ["-2"]),
    ("cic-port", CICIDS[0], "cicflowmeter", {8: set_cell(5, "99999")}, 8, ["99999"]),
    ("cic-ip", CICIDS[0], "cicflowmeter", {9: set_cell(2, "nohost")}, 9, ["nohost"]),
    ("netflow-port", CIDDS, "netflow", {10: set_cell(4, "70000")}, 10, ["'Src Pt'"]),
]


@pytest.mark.parametrize(
    ("source", "fmt", "edits", "line", "words"),
    [case[1:] for case in OUT_OF_RANGE],
    ids=[case[0] for case in OUT_OF_RANGE],
)
def test_read_flows_out_of_range_value_is_malformed(
    write, source, fmt, edits, line, words
):
    """A value out of range raises naming file, line and value; skip drops it."""
    path = write(f"range-{source.name}", edit_lines(source, edits))
    whole = read_flows(source, format=fmt)

    with pytest.raises(InputFormatError) as error:
        read_flows(path, format=fmt)
    with pytest.warns(SkippedLinesWarning, match=f"lines {line}\\)"):
        flows = read_flows(path, format=fmt, on_bad_lines="skip")

    message = str(error.value)
    assert path.name in message and f"line {line}: field " in message
    for word in words:
        assert word in message
    assert len(flows) == len(whole) - 1 and flows.attrs["skipped_lines"] == 1


def test_read_flows_cicflowmeter_minus_one_marker_kept(write):
    """CIC's -1 in FWD Init Win Bytes (an extra statistic) is kept as a value."""
    path = write("marker.csv", edit_lines(CICIDS[0], {2: set_cell(74, "-1")}))

    flows = read_flows(path)

    assert flows["FWD Init Win Bytes"].iloc[0] == -1
    assert len(flows) == len(read_flows(CICIDS[0]))


def test_read_flows_netflow_host_tokens_kept(write):
    """CIDDS-001 host tokens are not taken for malformed addresses in NetFlow."""
    edits = {2: set_cell(3, "DNS"), 3: set_cell(5, "EXT_SERVER")}
    path = write("tokens.csv", edit_lines(CIDDS, edits))

    flows = read_flows(path)

    assert flows[schema.ORIG_H].iloc[0] == "DNS"
    assert flows[schema.RESP_H].iloc[1] == "EXT_SERVER"
    assert flows[schema.ORIG_H].str.contains("_").any()


NONFINITE = [
    # (case id, source, format, edits, line, field)
    ("json-nan-ts", CONN_JSON, "zeek-json", {3: _json_edit(ts=np.nan)}, 3, "ts"),
    (
        "json-inf-duration",
        CONN_JSON,
        "zeek-json",
        {4: _json_edit(duration=np.inf)},
        4,
        "duration",
    ),
    (
        "json-nan-bytes",
        CONN_JSON,
        "zeek-json",
        {5: _json_edit(orig_bytes=np.nan)},
        5,
        "orig_bytes",
    ),
    ("tsv-nan-dur", CONN_TSV, "zeek", {12: set_cell(8, "nan", "\t")}, 12, "duration"),
    ("tsv-inf-dur", CONN_TSV, "zeek", {13: set_cell(8, "inf", "\t")}, 13, "duration"),
    ("csv-nan-dur", HONEYPOT, "zeek-csv", {3: set_cell(8, "NaN")}, 3, "duration"),
    ("csv-inf-dur", HONEYPOT, "zeek-csv", {4: set_cell(8, "inf")}, 4, "duration"),
    ("csv-infinity", HONEYPOT, "zeek-csv", {5: set_cell(8, "Infinity")}, 5, "duration"),
    (
        "csv-inf-count",
        HONEYPOT,
        "zeek-csv",
        {6: set_cell(9, "Infinity")},
        6,
        "orig_bytes",
    ),
    ("netflow-nan", CIDDS, "netflow", {7: set_cell(1, "nan")}, 7, "Duration"),
]


@pytest.mark.parametrize(
    ("source", "fmt", "edits", "line", "field"),
    [case[1:] for case in NONFINITE],
    ids=[case[0] for case in NONFINITE],
)
def test_read_flows_nonfinite_canonical_value_is_malformed(
    write, source, fmt, edits, line, field
):
    """NaN or inf in ts, a count or duration is a malformed line in every layout."""
    path = write(f"nonfinite-{source.name}", edit_lines(source, edits))

    with pytest.raises(InputFormatError) as error:
        read_flows(path, format=fmt)

    assert f"line {line}: field {field!r}" in str(error.value)


def test_read_flows_missing_duration_stays_missing():
    """Zeek's unset marker in duration is a missing value, not a malformed line."""
    flows = read_flows(CONN_TSV)

    assert flows[schema.DURATION].isna().any()
    assert flows.attrs["skipped_lines"] == 0


def test_read_zeek_log_json_nan_ts_is_malformed(write):
    """read_zeek_log refuses NaN in a JSON ts, as TSV refuses a non-finite time."""
    path = write("conn.log", edit_lines(CONN_JSON, {2: _json_edit(ts=np.nan)}))

    with pytest.raises(InputFormatError, match="line 2: field 'ts'"):
        read_zeek_log(path)


def test_read_zeek_log_json_infinity_in_double_kept(write):
    """read_zeek_log keeps Infinity in a JSON duration as a float (documented)."""
    path = write("conn.log", edit_lines(CONN_JSON, {1: _json_edit(duration=np.inf)}))

    table = read_zeek_log(path)

    assert table["duration"].iloc[0] == np.inf
    assert table.attrs["skipped_lines"] == 0


def test_read_flows_skip_warning_names_the_caller(write):
    """The skipped-lines warning points at the calling line, not the reader."""
    path = write("one.csv", edit_lines(HONEYPOT, {3: set_cell(3, "x")}))

    with pytest.warns(SkippedLinesWarning) as caught:
        read_flows(path, on_bad_lines="skip")

    assert caught[0].filename == __file__


def test_read_flows_error_says_how_to_skip_in_python_and_shell(write):
    """The malformed-line error names both the keyword and the command-line flag."""
    path = write("one.csv", edit_lines(HONEYPOT, {3: set_cell(3, "x")}))

    with pytest.raises(InputFormatError) as error:
        read_flows(path)

    message = str(error.value)
    assert "on_bad_lines='skip'" in message and "--on-bad-lines skip" in message


def test_read_flows_header_only_file_raises(write):
    """A file with a header and no rows is refused by default, naming the file."""
    path = write("header.csv", HONEYPOT.read_text().splitlines()[0] + "\n")

    with pytest.raises(InputFormatError, match="no flows in .*header.csv"):
        read_flows(path)


def test_read_flows_every_line_skipped_raises(write):
    """A file whose every line is skipped is refused, saying how many were skipped."""
    lines = HONEYPOT.read_text().splitlines()[:3]
    path = write("bad.csv", "\n".join([lines[0]] + [ln + ",x" for ln in lines[1:]]))

    with pytest.warns(SkippedLinesWarning):
        with pytest.raises(InputFormatError, match="all 2 malformed lines"):
            read_flows(path, on_bad_lines="skip")


def test_read_flows_empty_file_among_others_raises(write):
    """An empty table in a list of files is named even when the others hold flows."""
    empty = write("header.csv", HONEYPOT.read_text().splitlines()[0] + "\n")

    with pytest.raises(InputFormatError, match="header.csv"):
        read_flows([HONEYPOT, empty])
    flows = read_flows([HONEYPOT, empty], allow_empty=True)

    assert len(flows) == len(read_flows(HONEYPOT))
    assert flows.attrs["sources"][str(empty)] == 0


def test_read_flows_anonymised_hosts_accepted_in_zeek_csv(write):
    """CIDDS-001 host tokens (as in sampled flows) pass the address check."""
    edits = {2: set_cell(2, "16972_85"), 3: set_cell(4, "EXT_SERVER")}
    path = write("sampled.csv", edit_lines(HONEYPOT, edits))

    flows = read_flows(path)

    assert flows[schema.ORIG_H].iloc[0] == "16972_85"
    assert flows[schema.RESP_H].iloc[1] == "EXT_SERVER"
