"""Read the Zeek logs of one capture folder that the security-object graph joins.

A capture folder holds ``conn``, ``dns``, ``http``, ``ssl``, ``x509`` and ``files``
logs (TSV or JSON lines, gzip or not, rotated or not); other log types are ignored and
every log but ``conn`` may be absent. Parsing is :func:`workbench.io.read_zeek_log`'s
job; this module only decides which files to read.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from workbench.errors import InputFormatError
from workbench.io import read_zeek_log
from workbench.io.zeek import rotated_logs

__all__ = ["GRAPH_LOGS", "read_capture"]

logger = logging.getLogger(__name__)

#: Log types the graph is built from; ``conn`` is required.
GRAPH_LOGS: tuple[str, ...] = ("conn", "dns", "http", "ssl", "x509", "files")


def read_capture(
    directory: str | Path,
    *,
    logs: Sequence[str] = GRAPH_LOGS,
    on_bad_lines: str = "error",
    progress: bool = True,
) -> dict[str, pd.DataFrame]:
    """Read the graph's log types from a folder of Zeek logs.

    Parameters
    ----------
    directory : str or pathlib.Path
        A folder of Zeek logs of one capture.
    logs : sequence of str, default GRAPH_LOGS
        Log types to read; must include ``"conn"``.
    on_bad_lines : {"error", "skip"}, default "error"
        Passed to :func:`workbench.io.read_zeek_log`.
    progress : bool, default True
        Show a progress bar over the log types.

    Returns
    -------
    dict of str to pandas.DataFrame
        One table per log type found, with the log's own columns.

    Raises
    ------
    InputFormatError
        If ``directory`` is not a folder or holds no conn log.

    Examples
    --------
    >>> from workbench.datasets import bundled
    >>> sorted(read_capture(bundled("zeek", "json"), progress=False))
    ['conn', 'dns', 'files', 'http', 'ssl', 'x509']
    """
    folder = Path(directory)
    if not folder.is_dir():
        raise InputFormatError(
            f"{folder} is not a folder; pass the folder that holds the capture's Zeek "
            "logs (conn.log, dns.log, ...)."
        )
    if "conn" not in logs:
        raise ValueError(f"logs must include 'conn', got {list(logs)}")

    found = {t: _files_of(folder, t) for t in logs}
    if not found["conn"]:
        raise InputFormatError(
            f"{folder} holds no conn log (conn.log, conn.log.gz or rotated "
            "conn.*.log[.gz]); the graph needs connections. Pass the folder where "
            "Zeek wrote its logs."
        )

    tables = {}
    present = [t for t in logs if found[t]]
    for log_type in tqdm(present, desc="reading logs", disable=not progress):
        tables[log_type] = read_zeek_log(
            folder, log_type=log_type, on_bad_lines=on_bad_lines
        )
    absent = sorted(set(logs) - set(present))
    if absent:
        logger.info("%s: no %s log; building the graph without it", folder, absent)
    return tables


def _files_of(folder: Path, log_type: str) -> list[Path]:
    try:
        return rotated_logs(folder, log_type)
    except InputFormatError:
        return []
