"""detect_format on every bundled file, on misleading names, and format overrides."""

from __future__ import annotations

import numpy as np
import pytest

from tests.io.io_helpers import CICIDS, CIDDS, IOT23, PCAPS, ZEEK_JSON, ZEEK_TSV
from workbench import schema
from workbench.errors import InputFormatError, MissingFieldWarning, SchemaError
from workbench.io import FORMATS, detect_format, read_flows

BUNDLED = (
    [(path, "zeek") for path in sorted(ZEEK_TSV.glob("*.log"))]
    + [(path, "zeek-json") for path in sorted(ZEEK_JSON.glob("*.log"))]
    + [(path, "zeek-csv") for path in IOT23]
    + [(path, "cicflowmeter") for path in CICIDS]
    + [(CIDDS, "netflow")]
    + [(path, "pcap") for path in PCAPS]
)


@pytest.mark.parametrize(("path", "expected"), BUNDLED, ids=lambda v: str(v)[-40:])
def test_detect_format_bundled_files(path, expected):
    """Every bundled file is recognised from its content."""
    found = detect_format(path)

    assert found == expected
    assert found in FORMATS


@pytest.mark.parametrize(
    ("source", "name"),
    [
        (ZEEK_TSV / "conn.log", "flows.csv"),
        (CIDDS, "conn.log"),
        (PCAPS[0], "capture.txt"),
        (ZEEK_JSON / "conn.log", "conn.tsv"),
    ],
)
def test_detect_format_ignores_file_names(write, source, name):
    """A file renamed with a misleading suffix is still recognised by content."""
    path = write(name, source.read_bytes())

    found = detect_format(path)

    assert found == detect_format(source)


def test_detect_format_looks_through_gzip(write):
    """A gzip file is recognised by what it holds."""
    path = write("conn.log.gz", (ZEEK_TSV / "conn.log").read_bytes())

    assert detect_format(path) == "zeek"


def test_detect_format_folder_of_conn_logs():
    """A folder of Zeek logs is recognised by its conn log."""
    assert detect_format(ZEEK_TSV) == "zeek"
    assert detect_format(ZEEK_JSON) == "zeek-json"


def test_detect_format_unknown_content_raises(write):
    """Seeded random bytes match no format; the error names the file."""
    rng = np.random.default_rng(3)
    path = write("mystery.bin", rng.integers(0, 256, 512, dtype=np.uint8).tobytes())

    with pytest.raises(InputFormatError, match="mystery.bin") as error:
        detect_format(path)

    assert "format=" in str(error.value)


def test_detect_format_csv_of_unknown_layout_raises(write):
    """A CSV with other columns is not guessed into a flow format."""
    path = write("people.csv", "name,age\nada,36\n")

    with pytest.raises(InputFormatError, match="people.csv"):
        detect_format(path)


def test_read_flows_format_override_reads_unknown_layout(write):
    """format= reads a conn CSV whose header detection would not recognise."""
    header = "ts,id.orig_h,id.orig_p,id.resp_h,id.resp_p,proto"
    path = write("conn.txt", header + "\n1.5,10.0.0.1,1234,10.0.0.2,53,udp\n")

    with pytest.warns(MissingFieldWarning, match="'orig_bytes'"):
        flows = read_flows(path, format="zeek-csv")

    assert flows[schema.RESP_P].tolist() == [53]


def test_read_flows_format_override_wrong_format_names_columns():
    """Forcing a wrong format fails with the missing columns and those found."""
    with pytest.raises(SchemaError) as error:
        read_flows(CICIDS[0], format="netflow")

    message = str(error.value)
    assert "Date first seen" in message and "Flow Duration" in message
    assert CICIDS[0].name in message


def test_read_flows_unknown_format_name_raises():
    """An unknown format name is refused with the list of known ones."""
    with pytest.raises(ValueError, match="cicflowmeter"):
        read_flows(CIDDS, format="argus")
