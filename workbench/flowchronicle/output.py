"""Write synthetic flow tables as CSV or as a Zeek ``conn.log`` (TSV with headers).

The CSV keeps the canonical column names; the Zeek log writes the canonical fields in
``conn.log`` order with Zeek's types, ``-`` for unset values and any extra columns
(``tcp_flags``, ``pattern_id``) appended as string or count fields. Reading is
``workbench.io``'s job; nothing here changes values.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.errors import SchemaError
from workbench.schema import CONN_FIELDS, FIELD_DTYPES

__all__ = ["OUTPUT_FORMATS", "output_format", "write_flows", "to_zeek_conn"]

logger = logging.getLogger(__name__)

OUTPUT_FORMATS = ("csv", "zeek")
_ZEEK_TYPES = {
    "ts": "time",
    "uid": "string",
    "id.orig_h": "addr",
    "id.orig_p": "port",
    "id.resp_h": "addr",
    "id.resp_p": "port",
    "proto": "enum",
    "service": "string",
    "duration": "interval",
    "conn_state": "string",
    "history": "string",
}
_UNSET = "-"


def output_format(path: str | Path, format: str | None = None) -> str:
    """``format`` checked, or guessed from the suffix: ``.log`` is Zeek, else CSV.

    Examples
    --------
    >>> output_format("out/conn.log"), output_format("out/flows.csv")
    ('zeek', 'csv')
    """
    if format is None:
        return "zeek" if Path(path).suffix == ".log" else "csv"
    if format not in OUTPUT_FORMATS:
        raise SchemaError(
            f"output format {format!r} is unknown; use one of {OUTPUT_FORMATS}."
        )
    return format


def write_flows(
    flows: pd.DataFrame, path: str | Path, *, format: str | None = None
) -> Path:
    """Write a canonical flow table to ``path``; return the path.

    Parameters
    ----------
    flows : pandas.DataFrame
        Canonical flow table.
    path : str or Path
        Output file; parent folders are created.
    format : {"csv", "zeek"}, optional
        Default: from the suffix (see :func:`output_format`).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if output_format(path, format) == "zeek":
        path.write_text(to_zeek_conn(flows))
    else:
        flows.to_csv(path, index=False)
    logger.debug("wrote %d flows to %s", len(flows), path)
    return path


def to_zeek_conn(flows: pd.DataFrame) -> str:
    """The text of a Zeek ``conn.log`` (TSV) holding ``flows``.

    Examples
    --------
    >>> text = to_zeek_conn(pd.DataFrame({"ts": [1.5], "proto": ["udp"]}))
    >>> text.splitlines()[6].split(chr(9))[:3]
    ['#fields', 'ts', 'uid']
    """
    extras = [c for c in flows.columns if c not in CONN_FIELDS]
    fields = list(CONN_FIELDS) + extras
    types = [_zeek_type(c, flows) for c in fields]
    now = datetime.now(tz=UTC).strftime("%Y-%m-%d-%H-%M-%S")
    header = [
        "#separator \\x09",
        "#set_separator\t,",
        "#empty_field\t(empty)",
        f"#unset_field\t{_UNSET}",
        "#path\tconn",
        f"#open\t{now}",
        "#fields\t" + "\t".join(fields),
        "#types\t" + "\t".join(types),
    ]
    columns = [_column_text(flows, c, t) for c, t in zip(fields, types, strict=True)]
    body = ["\t".join(row) for row in zip(*columns, strict=True)] if columns else []
    return "\n".join(header + body + [f"#close\t{now}"]) + "\n"


def _zeek_type(column: str, flows: pd.DataFrame) -> str:
    if column in _ZEEK_TYPES:
        return _ZEEK_TYPES[column]
    if column in FIELD_DTYPES:
        return "count"
    if column in flows.columns and pd.api.types.is_integer_dtype(flows[column].dtype):
        return "count"
    if column in flows.columns and pd.api.types.is_float_dtype(flows[column].dtype):
        return "double"
    return "string"


def _column_text(flows: pd.DataFrame, column: str, zeek_type: str) -> list[str]:
    if column not in flows.columns:
        return [_UNSET] * len(flows)
    values = flows[column]
    missing = values.isna().to_numpy()
    if zeek_type in ("time", "interval", "double"):
        text = [f"{v:.6f}" for v in values.to_numpy(dtype=float, na_value=np.nan)]
    elif zeek_type in ("count", "port"):
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
        text = [str(int(v)) if np.isfinite(v) else _UNSET for v in numbers]
    else:
        text = [str(v) if str(v) else "(empty)" for v in values.astype(object)]
    return [_UNSET if m else t for t, m in zip(text, missing, strict=True)]
