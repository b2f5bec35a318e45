"""Read flows of any supported format into one canonical flow table.

This is the dispatcher: it expands folders, detects or takes the format, runs the
format's reader, checks the canonical fields with line numbers and passes the result
through :func:`workbench.schema.conform`. It does not sort flows across files and does
not pair unidirectional NetFlow records.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from workbench.errors import InputFormatError, SchemaError
from workbench.io import _cicflowmeter, _netflow
from workbench.io._badlines import BadLines, check_on_bad_lines
from workbench.io._canonical import check_canonical
from workbench.io._delimited import Parsed
from workbench.io._fields import FieldSpec, check_fields
from workbench.io._pcap import parse_pcap
from workbench.io._source import existing_file
from workbench.io._zeekcsv import ZEEK_CONN_EXTRA_TYPES, parse_zeek_csv
from workbench.io.detect import FORMATS, detect_format
from workbench.io.zeek import parse_zeek_file, rotated_logs
from workbench.schema import (
    CONN_FIELDS,
    CONN_STATE,
    COUNT_FIELDS,
    DURATION,
    ORIG_BYTES,
    ORIG_H,
    ORIG_P,
    ORIG_PKTS,
    PROTO,
    RESP_H,
    RESP_P,
    TS,
    conform,
)

__all__ = ["read_flows"]

logger = logging.getLogger(__name__)

#: File name endings read from a folder that holds no Zeek conn logs.
FOLDER_SUFFIXES = (".csv", ".log", ".json", ".pcap", ".pcapng", ".cap", ".gz")
_ZEEK_REQUIRED = (TS, ORIG_H, ORIG_P, RESP_H, RESP_P, PROTO)
_ZEEK_FIELDS = FieldSpec(
    "Zeek conn log",
    _ZEEK_REQUIRED,
    optional=tuple(name for name in CONN_FIELDS if name not in _ZEEK_REQUIRED),
    known=tuple(ZEEK_CONN_EXTRA_TYPES),
)
_JSON_NOTE = (
    " (Zeek's JSON writer leaves out unset fields, so no record of the file set them.)"
)
_CONN_ONLY = (CONN_STATE, DURATION, ORIG_BYTES, ORIG_PKTS)
#: Conn fields whose nan or inf (NaN, Infinity in JSON) makes a line malformed.
_FINITE = (TS, ORIG_P, RESP_P, *COUNT_FIELDS)
#: Formats whose address fields must hold IP addresses (NetFlow's may be tokens).
ADDRESS_FORMATS = ("zeek", "zeek-json", "zeek-csv", "cicflowmeter", "pcap")


@dataclass(frozen=True)
class _Input:
    """One file to read, the argument it came from, and whether to sort by time."""

    file: Path
    group: int
    by_time: bool


def read_flows(
    paths: str | os.PathLike | Sequence[str | os.PathLike],
    *,
    format: str | None = None,
    on_bad_lines: str = "error",
    progress: bool = False,
    allow_empty: bool = False,
) -> pd.DataFrame:
    """Read flow files of any supported format into one canonical flow table.

    Parameters
    ----------
    paths : path or sequence of paths
        Files or folders. A folder holding Zeek conn logs (``conn*.log[.gz]``, e.g.
        rotated hourly logs) is read as one table sorted by ``ts``; any other folder
        contributes its files ending in :data:`FOLDER_SUFFIXES`, by name.
    format : str, optional
        One of :data:`~workbench.io.detect.FORMATS`; detected per file from its
        content when omitted. ``"zeek"`` and ``"zeek-json"`` both read either layout.
    on_bad_lines : {"error", "skip"}, default "error"
        ``"error"`` raises :class:`~workbench.errors.InputFormatError` naming the
        file and line of the first malformed line; ``"skip"`` drops malformed lines,
        warns with :class:`~workbench.errors.SkippedLinesWarning` per file and counts
        them in ``attrs["skipped_lines"]``. What makes a line malformed is listed in
        the Notes.
    progress : bool, default False
        Show a progress bar over the files.
    allow_empty : bool, default False
        Accept a file that holds no flows (a header only, or every line skipped);
        by default such a file is an error.

    Returns
    -------
    pandas.DataFrame
        Canonical fields first (see :func:`workbench.schema.conform`), then label
        fields and the format's extra columns. Files are concatenated in the order
        given; rows keep each file's order. ``attrs`` holds ``source``,
        ``skipped_lines`` and ``sources`` (rows read per file).

    Raises
    ------
    InputFormatError
        Unknown format, empty file, a file without flows (unless ``allow_empty``) or
        (in ``"error"`` mode) a malformed line.
    SchemaError
        A required column is missing; the message lists the columns found and
        unknown columns whose names are close to the missing ones.

    Warns
    -----
    MissingFieldWarning
        A file lacks an optional canonical field of its format (it stays missing);
        the message names the file, the field and any column that looks like a
        misspelling of it.
    SkippedLinesWarning
        In ``"skip"`` mode, per file with malformed lines.

    Notes
    -----
    Required fields: ``ts``, ``id.orig_h``, ``id.orig_p``, ``id.resp_h``,
    ``id.resp_p`` and ``proto`` (or the format's columns they come from; for
    CICFlowMeter and NetFlow also the duration, packet and byte columns). Optional:
    the other conn fields a format carries, and ``Flow ID`` and ``Label`` in
    CICFlowMeter; fields a format never carries (``service`` in NetFlow, ...) are
    missing without a warning.

    A line is malformed when it has the wrong number of fields or bytes that are not
    UTF-8, or when a canonical field holds a value of the wrong kind or range:

    - ``ts`` not a finite number (NaN, ``nan``, ``inf`` included);
    - ``id.orig_p`` or ``id.resp_p`` not an integer from 0 to 65535;
    - ``duration`` or a byte or packet count negative or not finite. In the Zeek
      formats (TSV, JSON, CSV) and NetFlow an explicit ``nan`` or ``inf`` (JSON:
      ``NaN``, ``Infinity``) is malformed like any other non-finite value; only
      Zeek's unset marker ``-`` (an absent key in JSON, an empty CSV cell) is a
      missing value. CICFlowMeter writes missing values as ``NaN`` text, which stay
      missing;
    - ``id.orig_h`` or ``id.resp_h`` not an IPv4 or IPv6 address, in every format
      but NetFlow. CIDDS-001's anonymised hosts (``16972_85``, ``EXT_SERVER``,
      ``DNS``: digits joined by ``_``, or upper-case names) count as addresses, so
      that flows sampled from a model of CIDDS-001 can be read back.

    Extra columns are not range-checked: CICFlowMeter's ``-1`` markers (e.g. in
    ``FWD Init Win Bytes``) stay. A negative ``Flow Duration`` or packet or byte
    total is malformed like any negative count; ``on_bad_lines="skip"`` drops such
    flows rather than correcting them.

    How each format maps onto the canonical fields:

    - ``zeek``, ``zeek-json``: conn fields as Zeek wrote them; other fields
      (``local_orig``, ``missed_bytes``, ``tunnel_parents``, ...) stay as extras.
    - ``zeek-csv``: ``detailed-label`` becomes ``detailed_label`` (``-`` missing);
      labels are lower-cased; any other label value is a malformed line.
    - ``cicflowmeter``: ``Timestamp`` text without a zone is read as UTC (the
      corrected CIC-IDS2017 files are UTC; the original release's local 12-hour
      times are not corrected); ``Flow Duration`` microseconds become seconds;
      ``Protocol`` numbers become names (``tcp``, ``udp``, ``icmp``, else the
      number as text); ``BENIGN`` is benign, any other label malicious with the
      text in ``detailed_label`` (``NeedManualLabel`` means unlabelled). Every
      other statistic stays as a numeric extra under its stripped name, NaN and
      infinities kept, plus an ``int8`` 0/1 column ``"<name>:nonfinite"`` for each
      of ``_cicflowmeter.NONFINITE_COLUMNS`` (``Flow Bytes/s``, ``Flow Packets/s``,
      ``Flow IAT Mean/Std/Max/Min``) in every file. ``id`` (a row number) and
      ``Attempted Category`` (label metadata) are dropped so that they never
      become model inputs.
    - ``netflow``: ``Date first seen`` is read as UTC wall-clock time (CIDDS-001
      prints local time without a zone); records are one-way, so ``resp_*`` stay
      missing; ``Flags`` and ``Flows`` become ``tcp_flags`` and ``flows``; rows
      keep the file's order, which is not time order.
    - ``pcap``: nfstream flows (idle timeout 120 s, active 1800 s); ``orig_bytes``
      and ``resp_bytes`` are payload bytes including retransmissions,
      ``*_ip_bytes`` count from the IP header; ``uid`` is ``"nf<flow id>"``, unique
      within one capture only; ``service``, ``conn_state``, ``history`` missing.

    Examples
    --------
    >>> from workbench.datasets import bundled
    >>> flows = read_flows(bundled("iot23", "CTU-Honeypot-Capture-7-1-labeled.csv"))
    >>> len(flows), flows["label"].unique().tolist()
    (130, ['benign'])
    """
    check_on_bad_lines(on_bad_lines)
    if format is not None and format not in FORMATS:
        message = f"format={format!r} is unknown; pass one of {FORMATS} or None."
        raise ValueError(message)
    inputs = _expand(paths)
    frames: dict[int, list[pd.DataFrame]] = {}
    sources: dict[str, int] = {}
    skipped = 0
    for item in tqdm(inputs, desc="reading flows", unit="file", disable=not progress):
        table, count = _read_file(item.file, format, on_bad_lines)
        if len(table) == 0 and not allow_empty:
            raise InputFormatError(_no_flows(item.file, count))
        frames.setdefault(item.group, []).append(table)
        sources[str(item.file)] = len(table)
        skipped += count
    by_time = {item.group: item.by_time for item in inputs}
    tables = [_join(parts, by_time[group]) for group, parts in frames.items()]
    result = _join(tables, False)
    result.attrs = {
        "source": "; ".join(str(p) for p in _as_list(paths)),
        "skipped_lines": skipped,
        "sources": sources,
    }
    return result


def _as_list(paths: object) -> list:
    if isinstance(paths, str | os.PathLike):
        return [paths]
    return list(paths)  # type: ignore[call-overload]


def _expand(paths: object) -> list[_Input]:
    arguments = _as_list(paths)
    if not arguments:
        raise ValueError("paths is empty; pass at least one file or folder.")
    inputs = []
    for group, argument in enumerate(arguments):
        path = Path(argument)
        if not path.is_dir():
            inputs.append(_Input(existing_file(path), group, by_time=False))
            continue
        files, by_time = _folder_files(path)
        inputs.extend(_Input(file, group, by_time) for file in files)
    return inputs


def _folder_files(folder: Path) -> tuple[list[Path], bool]:
    try:
        return rotated_logs(folder, "conn"), True
    except InputFormatError:
        pass
    files = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.name.endswith(FOLDER_SUFFIXES) and p.name[0] != "."
    )
    if not files:
        message = (
            f"{folder} holds neither Zeek conn logs nor files ending in "
            f"{FOLDER_SUFFIXES}; pass the flow files themselves."
        )
        raise InputFormatError(message)
    return files, False


def _no_flows(path: Path, skipped: int) -> str:
    why = (
        f"all {skipped} malformed lines were skipped"
        if skipped
        else "it holds a header but no data"
    )
    return (
        f"no flows in {path}: {why}. Pass a file that holds flows (in Python, "
        "allow_empty=True accepts an empty table)."
    )


def _read_file(
    path: Path, fmt: str | None, on_bad_lines: str
) -> tuple[pd.DataFrame, int]:
    fmt = fmt or detect_format(path)
    unit = "packet record" if fmt == "pcap" else "line"
    bad = BadLines(str(path), on_bad_lines, unit=unit)
    parsed = _READERS[fmt](path, bad)
    parsed = check_canonical(
        parsed,
        bad,
        addresses=fmt in ADDRESS_FORMATS,
        origins=_ORIGINS.get(fmt),
    )
    skipped = bad.finish()
    logger.info("%s: %d flows read as %s", path, len(parsed.frame), fmt)
    return conform(parsed.frame, source=str(path)), skipped


def _read_zeek_conn(path: Path, bad: BadLines) -> Parsed:
    log = parse_zeek_file(path, bad, finite=_FINITE)
    if log.log_type not in (None, "conn"):
        message = (
            f"{path} is a Zeek {log.log_type!r} log, not a conn log; read_flows reads "
            "conn logs. Use workbench.io.read_zeek_log for other logs."
        )
        raise InputFormatError(message)
    names = list(log.parsed.frame.columns)
    if not any(name in names for name in _CONN_ONLY):
        message = (
            f"{path} does not look like a Zeek conn log: none of {list(_CONN_ONLY)} "
            f"is among its fields {names}. Use workbench.io.read_zeek_log instead."
        )
        raise SchemaError(message)
    note = _JSON_NOTE if log.log_type is None else ""
    check_fields(str(path), names, _ZEEK_FIELDS, note=note)
    return log.parsed


def _join(frames: list[pd.DataFrame], by_time: bool) -> pd.DataFrame:
    table = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    if by_time and len(frames) > 1:
        order = np.argsort(table[TS].to_numpy(dtype=float), kind="stable")
        table = table.iloc[order].reset_index(drop=True)
    return table


_READERS: dict[str, Callable[[Path, BadLines], Parsed]] = {
    "zeek": _read_zeek_conn,
    "zeek-json": _read_zeek_conn,
    "zeek-csv": parse_zeek_csv,
    "cicflowmeter": _cicflowmeter.parse_cicflowmeter,
    "netflow": _netflow.parse_netflow,
    "pcap": parse_pcap,
}
#: For messages: the file's column behind each canonical field, where names differ.
_ORIGINS = {
    "cicflowmeter": _cicflowmeter.ORIGINS,
    "netflow": _netflow.ORIGINS,
}
