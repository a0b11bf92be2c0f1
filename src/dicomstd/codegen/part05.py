"""Parse PS3.5: the Value Representations of table 6.2-1 with their limits as data.

The table is found by its header (VR Name, Definition, Character Repertoire, Length of Value).
The length column is read into numbers: ``16 bytes maximum``, ``4 bytes fixed``,
``64 chars maximum per component group``, ``2^32-2 bytes maximum``, and, where a second sentence
gives it, the length allowed in a query with range matching.
"""

from __future__ import annotations

import re
from typing import Literal

from dicomstd.codegen.diagnostics import Diagnostics, InputError
from dicomstd.codegen.docbook import Document, Row, Table
from dicomstd.codegen.model import Part05, ValueRepresentation

_LENGTH = re.compile(
    r"(?P<number>\d+(?:\s*\^\s*\d+)?(?:\s*[-+]\s*\d+)?)\s*(?P<unit>bytes?|char(?:acter)?s?)\s+"
    r"(?P<kind>maximum|fixed)",
    re.IGNORECASE,
)
_NO_LIMIT = re.compile(r"^(not applicable|see transfer syntax|any length|none)", re.IGNORECASE)
_HEADER = ("vr name", "definition", "character repertoire", "length of value")


def evaluate_length(expression: str) -> int:
    """``2^32-2`` -> 4294967294; ``16`` -> 16."""
    match = re.fullmatch(r"\s*(\d+)(?:\s*\^\s*(\d+))?(?:\s*([-+])\s*(\d+))?\s*", expression)
    if match is None:
        raise ValueError(expression)
    value = int(pow(int(match.group(1)), int(match.group(2) or 1)))
    if match.group(3):
        value += int(match.group(4)) * (1 if match.group(3) == "+" else -1)
    return value


def is_vr_table(header: tuple[str, ...]) -> bool:
    lowered = [cell.lower() for cell in header]
    return all(any(cell.startswith(name) for cell in lowered) for name in _HEADER)


def _vr(table: Table, row: Row, diagnostics: Diagnostics) -> ValueRepresentation | None:
    cells = row.distinct()
    if len(cells) < 4:
        diagnostics.warn(
            "row-shape", f"row has {len(cells)} cells, expected 4", table=table.id, row=row.number
        )
        return None
    first = cells[0]
    words = first.text.split(None, 1)
    if not words or not re.fullmatch(r"[A-Z]{2}", words[0]):
        diagnostics.error(
            "bad-vr",
            f"first cell {first.text!r} does not start with a VR code",
            table=table.id,
            row=row.number,
        )
        return None
    code = words[0]
    name = " ".join(first.text.split()[1:])
    length_text = cells[3].text.replace("\n", " ")
    matches = list(_LENGTH.finditer(length_text))
    max_length: int | None = None
    fixed = False
    unit: Literal["bytes", "chars"] | None = None
    query_max: int | None = None
    if matches:
        first_match = matches[0]
        max_length = evaluate_length(first_match.group("number"))
        fixed = first_match.group("kind").lower() == "fixed"
        unit = "bytes" if first_match.group("unit").lower().startswith("byte") else "chars"
        for later in matches[1:]:
            if "query" in length_text[: later.start()].lower():
                query_max = evaluate_length(later.group("number"))
    elif not _NO_LIMIT.match(length_text):
        diagnostics.warn(
            "vr-length-unread",
            f"{code}: length of value {length_text!r} is not a known form; no limit recorded",
            table=table.id,
            row=row.number,
        )
    per_group = "per component group" in length_text.lower()
    return ValueRepresentation(
        code=code,
        name=name,
        definition=cells[1].text,
        repertoire=cells[2].text,
        length_text=length_text,
        max_length=max_length,
        fixed_length=fixed,
        length_unit=unit,
        per_component_group=per_group,
        query_max_length=query_max,
        source=table.id,
        row=row.number,
    )


def parse(document: Document) -> Part05:
    document.require_part(5)
    diagnostics = document.diagnostics
    for ident in document.table_ids():
        if not is_vr_table(document.header(ident)):
            continue
        table = document.table(ident)
        if table is None:
            continue
        vrs: dict[str, ValueRepresentation] = {}
        for row in table.rows:
            vr = _vr(table, row, diagnostics)
            if vr is None:
                continue
            if vr.code in vrs:
                diagnostics.warn(
                    "duplicate-vr",
                    f"{vr.code} is also row {vrs[vr.code].row}",
                    table=table.id,
                    row=row.number,
                )
                continue
            vrs[vr.code] = vr
        document.report_unresolved()
        return Part05(tuple(vrs.values()), {table.id: len(vrs)})
    raise InputError(
        str(document.path),
        "no Value Representation table (VR Name, Definition, Character Repertoire, "
        "Length of Value) found",
    )
