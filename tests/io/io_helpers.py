"""Helpers of the reader tests: bundled paths and independent counts of their content.

Counts here are made with plain Python string handling, not with the readers, so that a
test compares the readers against a second, independent reading of the same file.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

from workbench.datasets import DATA_DIR

ZEEK_TSV = DATA_DIR / "zeek" / "tsv"
ZEEK_JSON = DATA_DIR / "zeek" / "json"
IOT23 = sorted((DATA_DIR / "iot23").glob("*.csv"))
CICIDS = sorted((DATA_DIR / "cicids2017").glob("*.csv"))
CIDDS = DATA_DIR / "cidds001" / "cidds001_week3_sample8k.csv"
PCAPS = sorted(DATA_DIR.glob("pcaps/*/*.pcap"))


def tsv_rows(path: Path) -> list[list[str]]:
    """Data rows of a Zeek TSV log, split on tabs."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def tsv_fields(path: Path) -> list[str]:
    """Field names of the ``#fields`` line of a Zeek TSV log."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#fields"):
            return line.split("\t")[1:]
    raise AssertionError(f"{path} has no #fields line")


def json_records(path: Path) -> list[dict]:
    """Objects of a JSON-lines file, one per non-blank line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def csv_data_lines(path: Path) -> int:
    """Number of non-blank lines after the header line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return sum(1 for line in lines[1:] if line.strip())


def edit_lines(source, edits: dict[int, object]) -> bytes:
    """The file's bytes with 1-based line numbers replaced (text or a function)."""
    lines = source.read_bytes().split(b"\n")
    for number, edit in edits.items():
        old = lines[number - 1]
        new = edit(old.decode()) if callable(edit) else edit
        lines[number - 1] = new if isinstance(new, bytes) else new.encode()
    return b"\n".join(lines)


def set_cell(number: int, value: str, sep: str = ","):
    """An edit that sets cell ``number`` (0-based) of a line."""

    def edit(line: str) -> str:
        cells = line.split(sep)
        cells[number] = value
        return sep.join(cells)

    return edit


def _frames(data: bytes):
    """Yield the captured bytes of each packet of a pcap or pcapng file."""
    if data[:4] == b"\x0a\x0d\x0d\x0a":
        order = "<" if data[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
        offset = 0
        while offset + 12 <= len(data):
            kind, length = struct.unpack_from(order + "II", data, offset)
            if offset + length > len(data):
                return
            if kind == 6:
                captured = struct.unpack_from(order + "I", data, offset + 20)[0]
                yield data[offset + 28 : offset + 28 + captured]
            offset += length
        return
    order = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    offset = 24
    while offset + 16 <= len(data):
        captured = struct.unpack_from(order + "I", data, offset + 8)[0]
        if offset + 16 + captured > len(data):
            return
        yield data[offset + 16 : offset + 16 + captured]
        offset += 16 + captured


def count_packets(path: Path) -> int:
    """Complete packets in a pcap or pcapng file, counted from the record headers."""
    return sum(1 for _ in _frames(path.read_bytes()))


def count_ip_packets(path: Path) -> int:
    """Complete Ethernet frames carrying IPv4 or IPv6 (directly or in one VLAN tag)."""
    ip_types = (b"\x08\x00", b"\x86\xdd")
    count = 0
    for frame in _frames(path.read_bytes()):
        ethertype = frame[12:14]
        if ethertype == b"\x81\x00":
            ethertype = frame[16:18]
        count += ethertype in ip_types
    return count
