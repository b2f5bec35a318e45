"""Checks shared by the model edits: pattern indices, feature values, the result.

A value is checked against its column's domain: ports are whole numbers 0-65535,
addresses non-empty text, other categories one of the values the model already holds,
binned features an interval. The edits themselves live in ``edit``, ``cell_edits``
and ``table_edits``; nothing here builds a new pattern.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from workbench.errors import ModelEditError
from workbench.flowchronicle.model import (
    FixedCell,
    FlowModel,
    GenerativePattern,
    model_problems,
)

__all__ = [
    "PORT_FEATURE",
    "MAX_PORT",
    "check_index",
    "check_row",
    "checked_model",
    "with_pattern",
    "feature_kind",
    "column_values",
    "normalise_value",
    "parse_value",
]

#: The one categorical feature holding numbers (a responder port).
PORT_FEATURE = "DstPt"
#: Largest TCP/UDP port number.
MAX_PORT = 65535


def check_index(model: FlowModel, index: int, *, editable: bool = False) -> None:
    """Raise ModelEditError unless ``index`` names a pattern (not the empty one).

    Examples
    --------
    >>> from workbench.flowchronicle.model import TimeModel
    >>> p = GenerativePattern(((),), (), TimeModel(np.zeros(0), ()))
    >>> try:
    ...     check_index(FlowModel((), (p,), (1,), (0, 1), 0.0), 3)
    ... except ModelEditError as exc:
    ...     print(exc)
    pattern 3 does not exist; the model has patterns 0 to 0.
    """
    if not 0 <= index < len(model.patterns):
        message = (
            f"pattern {index} does not exist; the model has patterns 0 to "
            f"{len(model.patterns) - 1}."
        )
        raise ModelEditError(message)
    if editable and index == len(model.patterns) - 1:
        message = (
            f"pattern {index} is the empty pattern (unexplained flows); copy it with "
            "duplicate_pattern and edit the copy."
        )
        raise ModelEditError(message)


def check_row(model: FlowModel, index: int, row: int) -> None:
    """Raise ModelEditError unless pattern ``index`` has a row ``row``."""
    n_rows = model.patterns[index].n_rows
    if not 0 <= row < n_rows:
        message = f"pattern {index} has no row {row}; it has rows 0 to {n_rows - 1}."
        raise ModelEditError(message)


def checked_model(model: FlowModel) -> FlowModel:
    """``model`` itself, or ModelEditError naming what makes it unable to generate."""
    problems = model_problems(model)
    if problems:
        raise ModelEditError("the edit breaks the model: " + "; ".join(problems[:3]))
    return model


def with_pattern(model: FlowModel, index: int, pattern: GenerativePattern) -> FlowModel:
    """A copy of ``model`` whose pattern ``index`` is ``pattern``."""
    patterns = list(model.patterns)
    patterns[index] = pattern
    return replace(model, patterns=tuple(patterns))


def feature_kind(model: FlowModel, feature: str) -> str:
    """Kind of ``feature`` (``ip``, ``categorical``, ``count``, ``real``).

    Raises
    ------
    ModelEditError
        If the model has no such feature; the message lists the known ones.
    """
    try:
        return model.feature(feature).kind
    except KeyError:
        names = [f.name for f in model.features]
        message = f"unknown feature {feature!r}; use one of {names}."
        raise ModelEditError(message) from None


def column_values(model: FlowModel, feature: str) -> tuple:
    """Every value of ``feature`` the model holds, in order of first appearance.

    Network domains and Fixed cells of all patterns are collected, the empty pattern
    (which spans every feature) first.

    Examples
    --------
    >>> from workbench.flowchronicle.model import Node, TimeModel
    >>> tm = TimeModel(np.zeros(0), ())
    >>> node = Node("Proto", 0, ("tcp", "udp"), (), np.array([[0.5, 0.5]]))
    >>> icmp = GenerativePattern(((FixedCell("Proto", "icmp"),),), (), tm)
    >>> m = FlowModel((), (icmp, GenerativePattern(((),), (node,), tm)), (1, 1),
    ...               (0, 1), 0.0)
    >>> column_values(m, "Proto")
    ('tcp', 'udp', 'icmp')
    """
    seen: dict[object, None] = {}
    for pattern in model.patterns[::-1]:
        for node in pattern.nodes:
            if node.feature == feature:
                seen.update(dict.fromkeys(node.domain))
        for row in pattern.rows:
            for cell in row:
                if isinstance(cell, FixedCell) and cell.feature == feature:
                    seen[cell.value] = None
    return tuple(seen)


def normalise_value(model: FlowModel, feature: str, value: object) -> object:
    """``value`` in the model's notation, checked against the column's domain.

    Ports become ``int``; binned features take an interval ``(lo, hi)`` or one number
    (counts: ``[v, v + 1)``, reals: ``[v, v]``).

    Raises
    ------
    ModelEditError
        If the value lies outside the column's domain.

    Examples
    --------
    >>> from workbench.flowchronicle.prepare import Feature
    >>> m = FlowModel((Feature("DstPt", "id.resp_p", "categorical"),
    ...                Feature("BwdByt", "orig_bytes", "count")), (), (), (0, 1), 0.0)
    >>> normalise_value(m, "DstPt", 8080.0), normalise_value(m, "BwdByt", 40)
    (8080, (40, 41))
    """
    kind = feature_kind(model, feature)
    if kind in ("count", "real"):
        return _interval(feature, kind, value)
    if feature == PORT_FEATURE:
        return _port(value)
    if kind == "ip":
        if not isinstance(value, str) or not value.strip():
            message = f"{feature}: an address must be non-empty text, got {value!r}."
            raise ModelEditError(message)
        return value
    known = column_values(model, feature)
    if value not in known:
        message = (
            f"{feature}: {value!r} is outside the column's domain; use one of "
            f"{list(known)[:20]}."
        )
        raise ModelEditError(message)
    return value


def _port(value: object) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not (number.is_integer() and 0 <= number <= MAX_PORT):
        message = (
            f"{PORT_FEATURE}: {value!r} is not a port; give a whole number from 0 "
            f"to {MAX_PORT}."
        )
        raise ModelEditError(message)
    return int(number)


def _interval(feature: str, kind: str, value: object) -> tuple:
    cast = int if kind == "count" else float
    try:
        if np.isscalar(value):
            # One number: its own unit bin for counts, a point for reals.
            low, high = cast(value), cast(value) + (kind == "count")
        else:
            low, high = (cast(v) for v in value)
    except (TypeError, ValueError):
        low, high = -1, -1
    if kind == "count" and not 0 <= low < high:
        message = f"{feature}: need 0 <= lo < hi for [lo, hi), got {value!r}."
        raise ModelEditError(message)
    if kind == "real" and not 0 <= low <= high:
        message = f"{feature}: need 0 <= a <= b for [a, b], got {value!r}."
        raise ModelEditError(message)
    return (low, high)


def parse_value(model: FlowModel, feature: str, text: str) -> object:
    """A typed cell value from text: a port number, a word, or ``lo-hi`` for bins.

    Examples
    --------
    >>> from workbench.flowchronicle.prepare import Feature
    >>> m = FlowModel((Feature("DstPt", "id.resp_p", "categorical"),
    ...                Feature("BwdByt", "orig_bytes", "count")), (), (), (0, 1), 0.0)
    >>> parse_value(m, "DstPt", " 443 "), parse_value(m, "BwdByt", "40-53")
    (443, (40, 53))
    """
    kind = feature_kind(model, feature)
    text = text.strip()
    if feature == PORT_FEATURE:
        return normalise_value(model, feature, text)
    if kind not in ("count", "real"):
        return text
    try:
        parts = [float(p) for p in text.replace(",", "-").split("-") if p.strip()]
    except ValueError:
        parts = []
    if len(parts) not in (1, 2):
        message = (
            f"{feature}: cannot read {text!r}; give a number, or 'lo-hi' for a binned "
            "feature."
        )
        raise ModelEditError(message)
    return normalise_value(model, feature, parts[0] if len(parts) == 1 else parts)
