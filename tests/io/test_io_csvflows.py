"""read_flows on the CSV layouts: IoT-23 Zeek CSV, CICFlowMeter, CIDDS-001 NetFlow."""

from __future__ import annotations

import csv
import math
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from tests.io.io_helpers import CICIDS, CIDDS, IOT23, csv_data_lines
from workbench import schema
from workbench.io import read_flows

NONFINITE = (
    "Flow Bytes/s",
    "Flow Packets/s",
    "Flow IAT Mean",
    "Flow IAT Std",
    "Flow IAT Max",
    "Flow IAT Min",
)


def _raw_rows(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("path", IOT23, ids=lambda p: p.name)
def test_read_flows_iot23_rows_and_labels(path):
    """Each IoT-23 file gives all its rows with labels normalised to lower case."""
    raw = _raw_rows(path)
    expected = pd.Series([r["label"].lower() for r in raw]).value_counts().to_dict()

    flows = read_flows(path)

    assert len(flows) == csv_data_lines(path) == len(raw)
    assert flows[schema.LABEL].value_counts().to_dict() == expected
    assert set(flows[schema.LABEL].unique()) <= {schema.BENIGN, schema.MALICIOUS}


def test_read_flows_iot23_mirai_label_counts():
    """IoT-23 capture 34-1 holds 1923 benign and 21222 malicious flows."""
    path = next(p for p in IOT23 if "34-1" in p.name)

    flows = read_flows(path)

    counts = flows[schema.LABEL].value_counts()
    assert counts[schema.BENIGN] == 1923
    assert counts[schema.MALICIOUS] == 21222


def test_read_flows_iot23_detailed_label_and_dash():
    """'detailed-label' maps to detailed_label; '-' becomes missing."""
    path = next(p for p in IOT23 if "34-1" in p.name)
    raw = [r["detailed-label"] for r in _raw_rows(path)]

    flows = read_flows(path)

    detailed = flows[schema.DETAILED_LABEL]
    dash = np.array([value == "-" for value in raw])
    assert dash.any()
    assert detailed[dash].isna().all()
    assert detailed[~dash].tolist() == [v for v in raw if v != "-"]
    assert "detailed-label" not in flows.columns


def test_read_flows_iot23_canonical_values():
    """Canonical fields hold the CSV's values with the schema's dtypes."""
    path = next(p for p in IOT23 if "7-1" in p.name)
    first = _raw_rows(path)[0]

    flows = read_flows(path)

    row = flows.iloc[0]
    assert row[schema.TS] == float(first["ts"])
    assert row[schema.ORIG_P] == int(first["id.orig_p"])
    assert row[schema.ORIG_IP_BYTES] == float(first["orig_ip_bytes"])
    assert row[schema.CONN_STATE] == first["conn_state"]
    for field, dtype in schema.FIELD_DTYPES.items():
        assert str(flows[field].dtype) == dtype, field


@pytest.mark.parametrize("path", CICIDS, ids=lambda p: p.name)
def test_read_flows_cicids_rows_labels_and_mapping(path):
    """Each CIC file keeps every row, maps its label and converts units."""
    raw = _raw_rows(path)
    label = raw[0]["Label"]

    flows = read_flows(path)

    assert len(flows) == len(raw) == csv_data_lines(path)
    expected_label = schema.BENIGN if label == "BENIGN" else schema.MALICIOUS
    assert flows[schema.LABEL].eq(expected_label).all()
    if label != "BENIGN":
        assert flows[schema.DETAILED_LABEL].eq(label).all()
    durations = [int(r["Flow Duration"]) / 1e6 for r in raw]
    assert np.allclose(flows[schema.DURATION], durations)
    assert flows[schema.ORIG_PKTS].tolist() == [
        float(r["Total Fwd Packet"]) for r in raw
    ]
    assert flows[schema.UID].tolist() == [r["Flow ID"] for r in raw]


def test_read_flows_cicids_time_stamp_is_utc():
    """Timestamp text (UTC in the corrected release) becomes epoch seconds."""
    path = CICIDS[0]
    first = _raw_rows(path)[0]["Timestamp"]
    expected = datetime.fromisoformat(first).replace(tzinfo=UTC).timestamp()

    flows = read_flows(path)

    assert math.isclose(flows[schema.TS].iloc[0], expected, abs_tol=1e-6)


def test_read_flows_cicids_protocol_names():
    """Protocol numbers become tcp/udp names; statistics stay as extra columns."""
    path = next(p for p in CICIDS if p.name.startswith("BENIGN"))
    raw = _raw_rows(path)
    names = {"6": "tcp", "17": "udp", "1": "icmp"}
    expected = [names.get(r["Protocol"], r["Protocol"]) for r in raw]

    flows = read_flows(path)

    assert flows[schema.PROTO].tolist() == expected
    assert "Flow IAT Max" in schema.extra_numeric_columns(flows)
    assert "id" not in flows.columns and "Attempted Category" not in flows.columns
    assert "Protocol" not in flows.columns and "Label" not in flows.columns


def test_read_flows_cicids_indicator_columns_always_present():
    """Every file gets the same six non-finite indicators, zero where all finite."""
    tables = [read_flows(path) for path in CICIDS[:2]]

    for flows in tables:
        for name in NONFINITE:
            indicator = flows[name + ":nonfinite"]
            assert indicator.dtype == "int8"
            assert indicator.sum() == (~np.isfinite(flows[name])).sum()
    assert list(tables[0].columns) == list(tables[1].columns)


def test_read_flows_cicids_infinity_and_nan_kept(write):
    """Infinity and NaN in rate columns are kept as values and flagged."""
    lines = CICIDS[0].read_text().splitlines()
    header = lines[0].split(",")
    bytes_col, iat_col = header.index("Flow Bytes/s"), header.index("Flow IAT Std")
    edited = []
    for number, line in enumerate(lines[1:]):
        cells = line.split(",")
        if number % 10 == 0:
            cells[bytes_col] = "Infinity"
        if number % 7 == 0:
            cells[iat_col] = "NaN"
        edited.append(",".join(cells))
    path = write("cic.csv", "\n".join([lines[0], *edited]) + "\n")

    flows = read_flows(path)

    assert len(flows) == len(edited)
    every_tenth = np.arange(len(flows)) % 10 == 0
    assert np.isposinf(flows["Flow Bytes/s"][every_tenth]).all()
    assert np.isfinite(flows["Flow Bytes/s"][~every_tenth]).all()
    assert flows["Flow Bytes/s:nonfinite"].tolist() == every_tenth.astype(int).tolist()
    every_seventh = np.arange(len(flows)) % 7 == 0
    assert flows["Flow IAT Std"][every_seventh].isna().all()
    assert flows["Flow IAT Std:nonfinite"].sum() == every_seventh.sum()


def test_read_flows_cicids_original_layout(write):
    """Original CIC quirks: spaced names, old names, duplicate column, cp1252 dash."""
    header = (
        " Flow ID, Source IP, Source Port, Destination IP, Destination Port, Protocol,"
        " Timestamp, Flow Duration, Total Fwd Packets, Total Backward Packets,"
        "Total Length of Fwd Packets, Total Length of Bwd Packets, Flow Bytes/s,"
        " Fwd Header Length, Fwd Header Length, Label"
    )
    row = (
        "a-b-1-80-6,172.16.0.1,1,192.168.10.50,80,6,6/7/2017 9:15,2000000,3,2,10,20,"
        "Infinity,40,40,Web Attack \u2013 Brute Force"
    )
    path = write("old.csv", (header + "\n" + row + "\n").encode("cp1252"))

    flows = read_flows(path)

    row = flows.iloc[0]
    assert row[schema.RESP_P] == 80 and row[schema.DURATION] == 2.0
    assert row[schema.TS] == datetime(2017, 7, 6, 9, 15, tzinfo=UTC).timestamp()
    assert row[schema.DETAILED_LABEL] == "Web Attack - Brute Force"
    assert np.isposinf(row["Flow Bytes/s"]) and row["Flow Bytes/s:nonfinite"] == 1
    assert {"Fwd Header Length", "Fwd Header Length.1"} <= set(flows.columns)


def test_read_flows_cicids_unlabelled_flows(write):
    """CICFlowMeter's 'NeedManualLabel' means no label, not an attack."""
    lines = CICIDS[0].read_text().splitlines()
    path = write(
        "raw.csv", lines[0] + "\n" + lines[1].replace("BENIGN", "NeedManualLabel")
    )

    flows = read_flows(path)

    assert flows[schema.LABEL].isna().all()
    assert flows[schema.DETAILED_LABEL].isna().all()


def test_read_flows_netflow_rows_in_file_order():
    """CIDDS-001 records keep the file's (unsorted) order and its values."""
    raw = _raw_rows(CIDDS)
    stamps = [
        datetime.fromisoformat(r["Date first seen"]).replace(tzinfo=UTC).timestamp()
        for r in raw
    ]

    flows = read_flows(CIDDS)

    assert len(flows) == len(raw) == 8192
    assert np.allclose(flows[schema.TS], stamps)
    assert not flows[schema.TS].is_monotonic_increasing
    assert flows[schema.ORIG_H].tolist() == [r["Src IP Addr"] for r in raw]
    assert flows[schema.ORIG_BYTES].tolist() == [float(r["Bytes"]) for r in raw]


def test_read_flows_netflow_unidirectional_fields():
    """Responder counters are missing; flags and flow counts are extra columns."""
    raw = _raw_rows(CIDDS)

    flows = read_flows(CIDDS)

    assert (
        flows[schema.RESP_BYTES].isna().all() and flows[schema.RESP_PKTS].isna().all()
    )
    assert flows["tcp_flags"].tolist() == [r["Flags"].strip() for r in raw]
    assert flows["flows"].eq(1).all()
    assert set(flows[schema.PROTO].unique()) == {"tcp", "udp", "icmp"}
    assert {"DNS", "EXT_SERVER"} & set(flows[schema.RESP_H])


def test_read_flows_netflow_labels_and_suffixed_sizes(write):
    """class/attackType give labels; '1.2 M' bytes and ICMP type.code are read."""
    header = (
        "Date first seen,Duration,Proto,Src IP Addr,Src Pt,Dst IP Addr,Dst Pt,Packets,"
        "Bytes,Flows,Flags,Tos,class,attackType,attackID,attackDescription"
    )
    rows = [
        "2017-03-15 00:01:16.632,0.0,TCP  ,192.168.100.5,445,16972_85,58844,1,108,1,"
        ".AP...,0,normal,---,---,---",
        "2017-03-15 00:01:17.000,1.5,ICMP ,192.168.220.15,0,DNS,3.10,2,1.2 M,1,"
        "......,0,attacker,portScan,7,nmap",
        "2017-03-15 00:01:18.000,0.5,UDP  ,EXT_SERVER,53,192.168.100.5,5353,1,2 K,1,"
        "......,0,suspicious,---,---,---",
    ]
    path = write("cidds.csv", "\n".join([header, *rows]) + "\n")

    flows = read_flows(path)

    assert flows[schema.LABEL].tolist() == ["benign", "malicious", "malicious"]
    assert flows[schema.DETAILED_LABEL].tolist()[1:] == ["portScan", "suspicious"]
    assert flows[schema.ORIG_BYTES].tolist() == [108.0, 1_200_000.0, 2_000.0]
    assert flows[schema.RESP_P].tolist() == [58844, 3 * 256 + 10, 5353]
    assert flows[schema.PROTO].tolist() == ["tcp", "icmp", "udp"]
    assert flows["attackID"].isna().tolist() == [True, False, True]
