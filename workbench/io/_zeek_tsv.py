r"""Zeek's classic TSV logs: the ``#`` header, its markers and the typed columns.

The header decides everything: the separator, the set separator, the empty and unset
markers, the field names and their Zeek types. Values are not unescaped (``\x09``
inside a string stays as written) and the ``#open``/``#close`` times are not kept.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Collection
from dataclasses import dataclass

from workbench.errors import InputFormatError
from workbench.io._badlines import BadLines
from workbench.io._convert import (
    BOOL,
    FINITE,
    INT,
    REAL,
    TEXT,
    TIME,
    TUPLE_PREFIX,
    Markers,
)
from workbench.io._delimited import Layout, Parsed, read_delimited
from workbench.io._records import Region

_CONTAINER = re.compile(r"(?:set|vector|table)\[(.+)\]")
_KIND_OF_TYPE = {
    "time": TIME,
    "interval": REAL,
    "double": REAL,
    "count": INT,
    "int": INT,
    "port": INT,
    "bool": BOOL,
}
#: Header lines other than ``#separator``; the rest (``#open``, ``#close``) is ignored.
_DIRECTIVES = ("#set_separator", "#empty_field", "#unset_field", "#path", "#fields")


@dataclass(frozen=True)
class ZeekHeader:
    """What the ``#`` lines at the top of a Zeek TSV log declare."""

    fields: tuple[str, ...]
    types: tuple[str, ...]
    separator: str = "\t"
    set_separator: str = ","
    empty_field: str = "(empty)"
    unset_field: str = "-"
    path: str | None = None

    def declared(self) -> dict[str, str]:
        """Each field's declared Zeek type."""
        return dict(zip(self.fields, self.types, strict=True))


def kind_of(zeek_type: str) -> str:
    """The column kind of a Zeek type name such as ``count`` or ``set[addr]``."""
    container = _CONTAINER.fullmatch(zeek_type)
    if container:
        return TUPLE_PREFIX + kind_of(container.group(1))
    return _KIND_OF_TYPE.get(zeek_type, TEXT)


def parse_tsv_log(
    source: str, data: bytes, bad: BadLines, *, finite: Collection[str] = ()
) -> tuple[Parsed, ZeekHeader]:
    """Parse a whole Zeek TSV log held in ``data``.

    In the fields named in ``finite``, ``nan`` and ``inf`` are malformed values even
    where the declared type (``interval``, ``double``) would keep them.
    """
    header, start, n_header_lines = _parse_header(source, data)
    end = _footer_start(data, start)
    region = Region(data[start:end], first_line=n_header_lines + 1)
    _check_repeated_headers(source, region, header)
    kinds = {name: kind_of(t) for name, t in header.declared().items()}
    kinds.update({name: FINITE for name in finite if kinds.get(name) == REAL})
    layout = Layout(
        names=header.fields,
        kinds=kinds,
        sep=header.separator,
        na_values=(header.unset_field,),
        markers=Markers(
            empty=header.empty_field,
            unset=header.unset_field,
            set_separator=header.set_separator,
        ),
        quoted=False,
        comment=b"#",
    )
    return read_delimited(source, region, layout, bad), header


def _parse_header(source: str, data: bytes) -> tuple[ZeekHeader, int, int]:
    values: dict[str, list[str]] = {}
    separator, offset, count = "\t", 0, 0
    while data.startswith(b"#", offset):
        end = data.find(b"\n", offset)
        end = len(data) if end < 0 else end
        line = _header_text(source, data[offset:end], count + 1).rstrip("\r")
        offset, count = end + 1, count + 1
        if line.startswith("#separator"):
            separator = _unescape(line[len("#separator") :].strip() or "\\x09")
            continue
        name, *rest = line.split(separator)
        if name in _DIRECTIVES or name == "#types":
            values[name] = [_unescape(v) for v in rest] if name != "#fields" else rest
    return _header(source, values, separator), min(offset, len(data)), count


def _header(source: str, values: dict[str, list[str]], separator: str) -> ZeekHeader:
    fields, types = values.get("#fields"), values.get("#types")
    if not fields:
        message = (
            f"{source}: the Zeek header has no #fields line; a TSV log needs one to "
            "name its columns. Add it or pass the right format."
        )
        raise InputFormatError(message)
    if types is None or len(types) != len(fields):
        found = "no #types line" if types is None else f"{len(types)} types"
        message = (
            f"{source}: the #fields line names {len(fields)} fields but the header has "
            f"{found}; Zeek writes one type per field. Repair the #types line."
        )
        raise InputFormatError(message)
    duplicates = sorted({f for f in fields if fields.count(f) > 1})
    if duplicates:
        message = f"{source}: the #fields line repeats {duplicates}; names must differ."
        raise InputFormatError(message)
    return ZeekHeader(
        fields=tuple(fields),
        types=tuple(types),
        separator=separator,
        set_separator=_first(values, "#set_separator", ","),
        empty_field=_first(values, "#empty_field", "(empty)"),
        unset_field=_first(values, "#unset_field", "-"),
        path=_first(values, "#path", None),
    )


def _first(values: dict[str, list[str]], key: str, default: str | None) -> str | None:
    found = values.get(key)
    return found[0] if found else default


def _unescape(value: str) -> str:
    return codecs.decode(value, "unicode_escape") if "\\x" in value else value


def _header_text(source: str, line: bytes, number: int) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"{source}, line {number}: the header line is not UTF-8 text."
        raise InputFormatError(message) from exc


def _footer_start(data: bytes, start: int) -> int:
    end = len(data)
    while end > start and data[end - 1] in b"\r\n":
        end -= 1
    while end > start:
        line_start = data.rfind(b"\n", start, end) + 1
        line_start = max(line_start, start)
        if not data.startswith(b"#", line_start):
            break
        end = max(line_start - 1, start)
    return end


def _check_repeated_headers(source: str, region: Region, header: ZeekHeader) -> None:
    data = region.data
    expected = "\t".join(("#fields", *header.fields)).replace("\t", header.separator)
    position = data.find(b"\n#fields")
    while position >= 0:
        end = data.find(b"\n", position + 1)
        line = data[position + 1 : end if end >= 0 else len(data)].rstrip(b"\r")
        if line.decode("utf-8", errors="replace") != expected:
            number = region.first_line + data.count(b"\n", 0, position) + 1
            message = (
                f"{source}, line {number}: a new #fields header names other fields "
                "than the first one; split the file where the header changes."
            )
            raise InputFormatError(message)
        position = data.find(b"\n#fields", position + 1)
