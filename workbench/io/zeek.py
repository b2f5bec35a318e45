r"""Read any Zeek log (TSV or JSON lines, plain or gzip, or a folder of rotated logs).

Columns keep the log's own field names and Zeek types; mapping a conn log onto the
canonical flow table is :func:`workbench.io.read_flows`'s job. Zeek's ``\xNN`` escapes
inside values are left as written, and nested JSON objects are not flattened.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.errors import InputFormatError
from workbench.io._badlines import BadLines, check_on_bad_lines
from workbench.io._delimited import Parsed
from workbench.io._source import existing_file, read_bytes
from workbench.io._zeek_json import parse_json_log
from workbench.io._zeek_tsv import parse_tsv_log
from workbench.schema import TS

__all__ = ["read_zeek_log", "rotated_logs", "ZeekLog", "parse_zeek_file"]

#: ``conn.log``, ``conn.log.gz``, ``conn.2019-12-03-10-00-00.log.gz``, ...
_ROTATED = re.compile(r"(?P<type>[^.]+)(?:\..+)?\.log(?:\.gz)?")


@dataclass(frozen=True)
class ZeekLog:
    """One parsed Zeek log file: rows with line numbers, log type, declared types.

    ``log_type`` comes from the ``#path`` header line (TSV) and is ``None`` for JSON.
    ``types`` maps each field to its declared Zeek type (empty for JSON).
    """

    parsed: Parsed
    log_type: str | None
    types: dict[str, str]


def parse_zeek_file(
    path: Path, bad: BadLines, *, finite: Collection[str] = ()
) -> ZeekLog:
    """Parse one Zeek log file, TSV or JSON lines, reporting bad lines to ``bad``.

    A non-finite value (``nan``, ``inf``; ``NaN``, ``Infinity`` in JSON) in a field
    named in ``finite`` is a malformed line.
    """
    data = read_bytes(path)
    first = data.lstrip()[:1]
    if first == b"#":
        parsed, header = parse_tsv_log(str(path), data, bad, finite=finite)
        return ZeekLog(parsed, header.path, header.declared())
    if first == b"{":
        return ZeekLog(parse_json_log(str(path), data, bad, finite=finite), None, {})
    message = (
        f"{path} is not a Zeek log: it starts with {data[:20]!r}, neither a '#' header "
        "line (TSV) nor a JSON object. Pass a Zeek log, or use read_flows with the "
        "right format."
    )
    raise InputFormatError(message)


def rotated_logs(directory: str | Path, log_type: str | None = None) -> list[Path]:
    """Zeek log files of one type in ``directory``, sorted by name.

    Parameters
    ----------
    directory : str or pathlib.Path
        A folder such as Zeek's ``logs/2019-12-03/``.
    log_type : str, optional
        ``"conn"``, ``"dns"``, ... Without it the folder must hold logs of one type.

    Returns
    -------
    list of pathlib.Path
        Files named ``<type>.log``, ``<type>.log.gz`` or ``<type>.<anything>.log[.gz]``.

    Raises
    ------
    InputFormatError
        If no file matches, or several types match and ``log_type`` is not given.

    Examples
    --------
    >>> from workbench.datasets import bundled
    >>> [p.name for p in rotated_logs(bundled("zeek", "json"), "conn")]
    ['conn.log']
    """
    directory = Path(directory)
    found: dict[str, list[Path]] = {}
    for path in sorted(p for p in directory.iterdir() if p.is_file()):
        match = _ROTATED.fullmatch(path.name)
        if match:
            found.setdefault(match.group("type"), []).append(path)
    if log_type is not None:
        found = {log_type: found.get(log_type, [])} if found.get(log_type) else {}
    if len(found) == 1:
        return next(iter(found.values()))
    wanted = f"{log_type}.log files" if log_type else "Zeek log files (*.log[.gz])"
    if not found:
        message = f"{directory} holds no {wanted}; pass a folder of Zeek logs."
    else:
        message = (
            f"{directory} holds logs of several types {sorted(found)}; pass "
            "log_type= to choose one, or a single file."
        )
    raise InputFormatError(message)


def read_zeek_log(
    path: str | Path, *, on_bad_lines: str = "error", log_type: str | None = None
) -> pd.DataFrame:
    """Read a Zeek log of any type into a table with the log's own columns.

    Parameters
    ----------
    path : str or pathlib.Path
        A TSV log (``#fields`` header) or a JSON-lines log, gzip-compressed or not, or
        a folder of rotated logs of one type (read as one table sorted by ``ts``).
    on_bad_lines : {"error", "skip"}, default "error"
        ``"error"`` raises on the first malformed line; ``"skip"`` drops malformed
        lines and warns with :class:`~workbench.errors.SkippedLinesWarning`.
    log_type : str, optional
        For a folder: which logs to read (``"dns"``, ...) when it holds several types.

    Returns
    -------
    pandas.DataFrame
        One column per field, typed after Zeek: ``time``, ``interval`` and ``double``
        as float (``time`` in epoch seconds), ``count``, ``int`` and ``port`` as
        nullable ``Int64``, ``bool`` as ``boolean``, text as ``string``, containers
        (``set[...]``, ``vector[...]``, ``table[...]``) as tuples, ``()`` when empty.
        Unset values (``-``) are missing. ``attrs`` holds ``source``, ``log_type``,
        ``zeek_types`` (declared types, TSV only) and ``skipped_lines``.

    Raises
    ------
    InputFormatError
        If the file is empty, not a Zeek log, or (in ``"error"`` mode) malformed; the
        message names the file and the line.

    Notes
    -----
    In ``double`` and ``interval`` fields ``nan`` and ``inf`` are kept as float
    values (NaN then looks like unset); a non-finite ``time``, ``count``, ``int`` or
    ``port`` is a malformed line. JSON logs carry no types, so types come from the
    values (see ``workbench.io._zeek_json``); JSON's non-standard ``NaN`` and
    ``Infinity`` are kept as floats too, except in ``ts``, where they are malformed.
    :func:`workbench.io.read_flows` is stricter on the conn fields it maps.

    Examples
    --------
    >>> from workbench.datasets import bundled
    >>> dns = read_zeek_log(bundled("zeek", "tsv", "dns.log"))
    >>> str(dns["qtype"].dtype), type(dns["answers"].iloc[0]).__name__
    ('Int64', 'tuple')
    """
    check_on_bad_lines(on_bad_lines)
    target = Path(path)
    files = rotated_logs(target, log_type) if target.is_dir() else [existing_file(path)]
    frames, skipped, types, log_types = [], 0, {}, set()
    for file in files:
        bad = BadLines(str(file), on_bad_lines)
        log = parse_zeek_file(file, bad)
        skipped += bad.finish()
        frames.append(log.parsed.frame)
        types.update(log.types)
        log_types.add(log.log_type)
    table = _concat_by_time(frames) if len(frames) > 1 else frames[0]
    log_types.discard(None)
    table.attrs.update(
        source=str(target),
        log_type=log_types.pop() if len(log_types) == 1 else None,
        zeek_types=types,
        skipped_lines=skipped,
    )
    return table


def _concat_by_time(frames: list[pd.DataFrame]) -> pd.DataFrame:
    table = pd.concat(frames, ignore_index=True)
    if TS in table.columns:
        order = np.argsort(table[TS].to_numpy(dtype=float), kind="stable")
        table = table.iloc[order].reset_index(drop=True)
    return table
