"""Plain-language views of a FlowChronicle model: one line per pattern, one table.

Cells read ``DstPt=53``, binned values ``BwdByt in [40, 53)`` and reused addresses
``SrcIP=row0.SrcIP``; cells drawn from the network are not listed. The table is what the
pattern editor lists. Nothing here changes a model or draws flows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbench.flowchronicle.model import FixedCell, FlowModel, ReuseCell
from workbench.flowchronicle.prepare import TIME_PRECISION

__all__ = ["describe_cell", "describe_pattern", "describe_model"]


def describe_cell(model: FlowModel, cell: FixedCell | ReuseCell) -> str:
    """One cell as text.

    Examples
    --------
    >>> from workbench.flowchronicle.prepare import Feature
    >>> m = FlowModel((Feature("BwdByt", "orig_bytes", "count"),), (), (), (0, 1), 0.0)
    >>> describe_cell(m, FixedCell("BwdByt", (40, 53)))
    'BwdByt in [40, 53)'
    """
    if isinstance(cell, ReuseCell):
        return f"{cell.feature}=row{cell.source_row}.{cell.source_feature}"
    kind = model.feature(cell.feature).kind
    if kind == "count":
        low, high = cell.value
        return (
            f"{cell.feature}={low}"
            if high == low + 1
            else (f"{cell.feature} in [{low}, {high})")
        )
    if kind == "real":
        low, high = cell.value
        return (
            f"{cell.feature}={low:g}"
            if low == high
            else (f"{cell.feature} in [{low:g}, {high:g}]")
        )
    return f"{cell.feature}={cell.value}"


def describe_pattern(model: FlowModel, index: int) -> str:
    """Multi-line description of pattern ``index``: weight, rows and network size.

    Examples
    --------
    >>> from workbench.flowchronicle.model import GenerativePattern, TimeModel
    >>> from workbench.flowchronicle.prepare import Feature
    >>> p = GenerativePattern(((FixedCell("Proto", "udp"),),), (),
    ...                       TimeModel(np.array([0.0]), ()))
    >>> m = FlowModel((Feature("Proto", "proto", "categorical"),), (p, p), (3, 1),
    ...               (0, 1), 0.0)
    >>> print(describe_pattern(m, 0))
    pattern 0: weight 3 (75.0% of instances), 1 row, 0 network nodes
      row 0: Proto=udp
    """
    pattern = model.patterns[index]
    total = sum(model.weights) or 1
    weight = model.weights[index]
    empty = index == len(model.patterns) - 1
    label = "empty pattern (unexplained single flows)" if empty else f"pattern {index}"
    rows = "row" if pattern.n_rows == 1 else "rows"
    lines = [
        f"{label}: weight {weight} ({100 * weight / total:.1f}% of instances), "
        f"{pattern.n_rows} {rows}, {len(pattern.nodes)} network nodes"
    ]
    for j, row in enumerate(pattern.rows):
        text = ", ".join(describe_cell(model, c) for c in row) or "all cells from BN"
        lines.append(f"  row {j}: {text}")
    return "\n".join(lines)


def describe_model(model: FlowModel) -> pd.DataFrame:
    """One row per pattern: weight, share, rows, cells as text, timing.

    Returns
    -------
    pandas.DataFrame
        Columns ``weight``, ``share``, ``rows``, ``cells``, ``nodes`` and
        ``median_gap_s`` (median gap between rows, NaN for one-row patterns),
        indexed by pattern number.

    Examples
    --------
    >>> from workbench.flowchronicle.model import GenerativePattern, TimeModel
    >>> from workbench.flowchronicle.prepare import Feature
    >>> p = GenerativePattern(((FixedCell("Proto", "udp"),),), (),
    ...                       TimeModel(np.array([0.0]), ()))
    >>> m = FlowModel((Feature("Proto", "proto", "categorical"),), (p, p), (3, 1),
    ...               (0, 1), 0.0)
    >>> describe_model(m)["cells"].tolist()
    ['Proto=udp', 'Proto=udp']
    """
    total = sum(model.weights) or 1
    records = []
    for i, pattern in enumerate(model.patterns):
        gaps = [g for g in pattern.time_model.gaps if g.size]
        gap = (
            float(np.median(np.concatenate(gaps))) / TIME_PRECISION if gaps else np.nan
        )
        cells = " | ".join(
            ", ".join(describe_cell(model, c) for c in row) or "*"
            for row in pattern.rows
        )
        records.append(
            {
                "weight": model.weights[i],
                "share": model.weights[i] / total,
                "rows": pattern.n_rows,
                "cells": cells,
                "nodes": len(pattern.nodes),
                "median_gap_s": gap,
            }
        )
    frame = pd.DataFrame.from_records(records)
    frame.index.name = "pattern"
    return frame
