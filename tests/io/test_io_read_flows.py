"""read_flows as a whole: several inputs, folders, progress, canonical output."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.io.io_helpers import (
    CIDDS,
    IOT23,
    ZEEK_JSON,
    ZEEK_TSV,
    csv_data_lines,
    tsv_rows,
)
from workbench import schema
from workbench.errors import InputFormatError, MissingFieldWarning, SchemaError
from workbench.io import read_flows


def test_read_flows_several_files_concatenated_in_order():
    """Several files give one table, in the order given, with rows per source."""
    paths = [IOT23[1], ZEEK_TSV / "conn.log", CIDDS]
    sizes = [csv_data_lines(IOT23[1]), len(tsv_rows(ZEEK_TSV / "conn.log")), 8192]

    flows = read_flows(paths)

    assert len(flows) == sum(sizes)
    assert list(flows.attrs["sources"].values()) == sizes
    assert flows[schema.LABEL].iloc[: sizes[0]].notna().all()
    assert flows[schema.LABEL].iloc[sizes[0] :].isna().all()
    assert flows.index.equals(pd.RangeIndex(len(flows)))


def test_read_flows_folder_of_csv_files():
    """A folder without conn logs contributes all its flow files, by name."""
    folder = IOT23[0].parent

    flows = read_flows(folder)

    assert len(flows) == sum(csv_data_lines(path) for path in IOT23)
    assert list(flows.attrs["sources"]) == [str(path) for path in IOT23]


def test_read_flows_folder_of_zeek_logs_reads_conn_only():
    """A Zeek log folder gives its conn log only, not dns or http."""
    flows = read_flows(ZEEK_TSV)

    assert len(flows) == len(tsv_rows(ZEEK_TSV / "conn.log"))
    assert "query" not in flows.columns


def test_read_flows_rotated_conn_logs_sorted_by_ts(write):
    """Rotated gzip conn logs in a folder are read as one table sorted by ts."""
    lines = (ZEEK_TSV / "conn.log").read_text().splitlines()
    header = [line for line in lines if line.startswith("#") and "#close" not in line]
    body = [line for line in lines if line and not line.startswith("#")]
    for hour, part in enumerate([body[1::2], body[0::2]]):
        name = f"logs/conn.2013-09-16-{hour:02d}-00-00.log.gz"
        path = write(name, "\n".join(header + part) + "\n")
    write("logs/dns.log", (ZEEK_TSV / "dns.log").read_text())

    flows = read_flows(path.parent)

    assert len(flows) == len(body)
    assert flows[schema.TS].is_monotonic_increasing


def test_read_flows_progress_bar_gives_same_table(capsys):
    """progress=True shows a bar on stderr and returns the same table."""
    paths = IOT23[:3]

    shown = read_flows(paths, progress=True)

    assert "reading flows" in capsys.readouterr().err
    pd.testing.assert_frame_equal(shown, read_flows(paths))


def test_read_flows_zeek_json_conn_is_canonical():
    """The JSON conn log conforms to the schema with its extras kept."""
    flows = read_flows(ZEEK_JSON / "conn.log")

    assert list(flows.columns[: len(schema.CONN_FIELDS)]) == list(schema.CONN_FIELDS)
    for field in schema.CONN_FIELDS:
        assert str(flows[field].dtype) == schema.FIELD_DTYPES[field]
    assert "missed_bytes" in flows.columns


def test_read_flows_missing_and_extra_zeek_columns(write):
    """A conn log without service warns, conforms and keeps community_id."""
    lines = (ZEEK_TSV / "conn.log").read_text().splitlines()
    out = []
    for line in lines:
        cells = line.split("\t")
        if line.startswith(("#fields", "#types")) or not line.startswith("#"):
            extra = {"#fields": "community_id", "#types": "string"}.get(cells[0], "1:x")
            service = 8 if line.startswith("#") else 7  # after the "#fields" cell
            cells = [c for i, c in enumerate(cells) if i != service] + [extra]
        out.append("\t".join(cells))

    with pytest.warns(MissingFieldWarning, match="conn.log: .*'service'"):
        flows = read_flows(write("conn.log", "\n".join(out) + "\n"))

    assert flows[schema.SERVICE].isna().all()
    assert flows["community_id"].eq("1:x").all()
    assert len(flows) == len(tsv_rows(ZEEK_TSV / "conn.log"))


def test_read_flows_other_zeek_log_is_refused():
    """A dns log is not read as flows; the message points to read_zeek_log."""
    with pytest.raises(InputFormatError, match="read_zeek_log"):
        read_flows(ZEEK_TSV / "dns.log")
    with pytest.raises(SchemaError, match="read_zeek_log"):
        read_flows(ZEEK_JSON / "dns.log")


def test_read_flows_empty_path_list_raises():
    """An empty list of paths is refused."""
    with pytest.raises(ValueError, match="empty"):
        read_flows([])


def test_read_flows_missing_file_raises():
    """A path that does not exist raises FileNotFoundError naming it."""
    with pytest.raises(FileNotFoundError, match="no-such-file.csv"):
        read_flows("no-such-file.csv")


def test_read_flows_bad_on_bad_lines_value_raises():
    """on_bad_lines accepts only 'error' and 'skip'."""
    with pytest.raises(ValueError, match="skip"):
        read_flows(CIDDS, on_bad_lines="warn")
