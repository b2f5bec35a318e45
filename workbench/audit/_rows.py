"""How audit findings name flow-table rows, and the class name of each row.

Every finding lists the rows it concerns by position in the audited table (``row``),
by file and position in that file when the table says where rows came from, and by
their flow identity and labels. Nothing here runs a check.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench import schema

#: Columns that ``workbench.audit.job.read_table`` adds to say where a row came from.
FILE = "file"
FILE_ROW = "file_row"
#: Position of a row in the audited table.
ROW = "row"
#: Columns that identify rows and must not count as flow content.
ID_COLUMNS = (FILE, FILE_ROW)
UNLABELLED = "(unlabelled)"


def concerned(
    flows: pd.DataFrame,
    rows: np.ndarray,
    extra: dict[str, object] | None = None,
) -> pd.DataFrame:
    """The rows at ``rows`` (positions or a boolean mask), named, with ``extra``."""
    positions = np.asarray(rows)
    if positions.dtype == bool:
        positions = np.flatnonzero(positions)
    out = pd.DataFrame({ROW: positions})
    named = (*ID_COLUMNS, *schema.FLOW_ID_FIELDS, *schema.LABEL_FIELDS)
    for column in named:
        if column in flows.columns:
            out[column] = flows[column].to_numpy()[positions]
    for column, values in (extra or {}).items():
        out[column] = values
    return out


def class_names(flows: pd.DataFrame) -> pd.Series:
    """The detailed label of each row, else its label, else ``(unlabelled)``."""
    names = pd.Series(UNLABELLED, index=flows.index, dtype="string")
    for column in (schema.LABEL, schema.DETAILED_LABEL):
        if column in flows.columns:
            values = flows[column].astype("string")
            names = values.where(values.notna(), names)
    return names
