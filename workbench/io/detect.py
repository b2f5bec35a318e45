"""Tell the format of a flow or log file from its first bytes, never from its name.

Captures are known by their magic numbers, Zeek TSV by its ``#`` header, Zeek JSON by
an object on the first line and the CSV layouts by their header columns; gzip is looked
through. Sniffing reads at most 64 KiB and does not check the rest of the file.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from workbench.errors import InputFormatError
from workbench.io._capture import is_capture
from workbench.io._source import existing_file, read_head
from workbench.io.zeek import rotated_logs

__all__ = ["FORMATS", "detect_format"]

#: Format names accepted by ``read_flows(format=...)``.
FORMATS = ("zeek", "zeek-json", "zeek-csv", "cicflowmeter", "netflow", "pcap")

#: Header columns that identify each CSV layout (after stripping white space).
_CSV_SIGNATURES = (
    ("zeek-csv", ("detailed-label",)),
    ("zeek-csv", ("ts", "id.orig_h", "id.resp_h")),
    ("cicflowmeter", ("Flow Duration", "Dst Port")),
    ("cicflowmeter", ("Flow Duration", "Destination Port")),
    ("netflow", ("Date first seen", "Src IP Addr")),
)


def detect_format(path: str | Path) -> str:
    """Name of the format of the file (or folder of Zeek logs) at ``path``.

    Parameters
    ----------
    path : str or pathlib.Path
        A file, possibly gzip-compressed, or a folder holding Zeek ``conn`` logs.

    Returns
    -------
    str
        One of :data:`FORMATS`. pcapng files are ``"pcap"`` too.

    Raises
    ------
    InputFormatError
        If the file is empty or matches no known format; the message says what the
        file starts with.

    Examples
    --------
    >>> from workbench.datasets import bundled
    >>> detect_format(bundled("zeek", "tsv", "conn.log"))
    'zeek'
    >>> detect_format(bundled("cidds001", "cidds001_week3_sample8k.csv"))
    'netflow'
    """
    target = Path(path)
    if target.is_dir():
        return detect_format(rotated_logs(target, "conn")[0])
    file = existing_file(target)
    head = read_head(file)
    if not head.strip():
        message = f"{file} is empty; pass a file that holds flows or log lines."
        raise InputFormatError(message)
    found = _sniff(head)
    if found is None:
        message = (
            f"cannot tell the format of {file}: it starts with {head[:40]!r}. Known "
            f"formats: {', '.join(FORMATS)}; pass format= to name one."
        )
        raise InputFormatError(message)
    return found


def _sniff(head: bytes) -> str | None:
    if is_capture(head):
        return "pcap"
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if first_line.startswith("#"):
        return "zeek" if "#fields" in text else None
    if first_line.startswith("{"):
        return "zeek-json" if _is_json_object(first_line, text) else None
    columns = {name.strip() for name in next(csv.reader([first_line]), [])}
    for name, signature in _CSV_SIGNATURES:
        if columns.issuperset(signature):
            return name
    return None


def _is_json_object(line: str, text: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return "\n" not in text  # the first line may be longer than the sniffed head
