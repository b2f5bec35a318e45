"""Which columns a format must have, which it should have, and likely misspellings.

A missing required column stops the read with :class:`SchemaError`; a missing optional
one is left all-missing and reported with :class:`MissingFieldWarning`, so that no
field disappears silently. Unknown columns whose names are close to a missing one are
named in both messages. Nothing here reads values or renames columns.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.errors import MissingFieldWarning, SchemaError
from workbench.io._warn import warn_caller

#: How similar (difflib ratio) an unknown column must be to be called a misspelling.
CLOSE_RATIO = 0.8


@dataclass(frozen=True)
class FieldSpec:
    """The columns of one format, by the names its files use.

    Attributes
    ----------
    fmt : str
        The format as named in messages (``"Zeek conn log"``).
    required : tuple of str
        Without any of these the file cannot be read.
    optional : tuple of str
        Canonical fields the format normally carries; a missing one is warned about.
    soft : tuple of str
        Columns that may be absent without a word (labels), unless an unknown column
        looks like a misspelling of one.
    known : tuple of str
        Other columns of the format, never taken for misspellings.
    """

    fmt: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    soft: tuple[str, ...] = ()
    known: tuple[str, ...] = ()


def check_fields(
    source: str, names: Sequence[str], spec: FieldSpec, *, note: str = ""
) -> None:
    """Raise on missing required columns of ``names``; warn on missing optional ones.

    Parameters
    ----------
    source : str
        The file, as named in messages.
    names : sequence of str
        The columns found (after the format's aliases are applied).
    spec : FieldSpec
        What the format expects.
    note : str, optional
        A sentence added to the warning (why a field may legitimately be absent).

    Raises
    ------
    SchemaError
        If a required column is missing; the message lists the columns found and
        unknown columns close to the missing ones.
    """
    found = set(names)
    expected = set(spec.required + spec.optional + spec.soft + spec.known)
    unknown = [name for name in names if name not in expected]
    missing = [name for name in spec.required if name not in found]
    if missing:
        message = (
            f"{source}: the {spec.fmt} header lacks the column(s) {missing}"
            f"{_close(missing, unknown)}; it has {list(names)}. Rename the misspelt "
            "column, pass a complete export, or another format."
        )
        raise SchemaError(message)
    absent = [name for name in spec.optional if name not in found]
    absent += [
        name for name in spec.soft if name not in found and _matches(name, unknown)
    ]
    if absent:
        message = (
            f"{source}: the {spec.fmt} lacks the field(s) {absent}"
            f"{_close(absent, unknown)}; they are left missing in every flow.{note} "
            "Rename a misspelt column, or ignore this warning if the file omits them."
        )
        warn_caller(message, MissingFieldWarning)


def _matches(name: str, unknown: Sequence[str]) -> list[str]:
    return difflib.get_close_matches(name, unknown, n=2, cutoff=CLOSE_RATIO)


def _close(missing: Sequence[str], unknown: Sequence[str]) -> str:
    pairs = [
        f"{match!r} looks like {name!r}"
        for name in missing
        for match in _matches(name, unknown)
    ]
    return f" (unknown column {'; '.join(pairs)})" if pairs else ""
