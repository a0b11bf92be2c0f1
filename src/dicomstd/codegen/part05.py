"""Parse PS3.5: the Value Representations of table 6.2-1 with their limits as data, and the
valid values of the Pixel Data related attributes per transfer syntax (section 8.2).

The VR table is found by its header (VR Name, Definition, Character Repertoire, Length of Value).
The length column is read into numbers: ``16 bytes maximum``, ``4 bytes fixed``,
``64 chars maximum per component group``, ``2^32-2 bytes maximum``, and, where a second sentence
gives it, the length allowed in a query with range matching.

Section 8.2 also says which Photometric Interpretations a Native Format excludes (2020c: "If Pixel
Data (7FE0,0010) is sent in a Native Format, then the Photometric Interpretation (0028,0004) shall
be other than:" YBR_RCT, YBR_ICT, YBR_PARTIAL_420): the sentence is found by its words, its terms
are the list items after it.

The section 8.2 tables are found by a header cell ``Photometric Interpretation``; each needs the
value columns of :data:`dicomstd.pixel_encoding.ATTRIBUTES` and the transfer syntaxes, from a
``Transfer Syntax UID`` column or, for a table without one (RLE, table 8.2.2-1), from the
paragraphs that cite the annex its section cites and name a UID (``This transfer Syntax is
identified by the UID value "1.2.840.10008.1.2.5"``, section A.4.2). A table of another shape,
or a cell that is not a value list, is a reported problem naming the table and row; an edition
without these tables (2015b, 2016c) gives none, with a note in the report.
"""

from __future__ import annotations

import re
from typing import Literal

from dicomstd.codegen.diagnostics import Diagnostics, InputError
from dicomstd.codegen.docbook import Document, Paragraph, Row, Table
from dicomstd.codegen.model import (
    Part05,
    PixelEncodingRule,
    PixelEncodingTable,
    ValueRepresentation,
)
from dicomstd.pixel_encoding import ATTRIBUTES, allowed

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
        rules, tables = pixel_encodings(document)
        native = native_excluded(document)
        document.report_unresolved()
        counts = {table.id: len(vrs)}
        for found in tables:
            counts[found.id] = sum(1 for rule in rules if rule.source == found.id)
        return Part05(tuple(vrs.values()), counts, rules, tables, native)
    raise InputError(
        str(document.path),
        "no Value Representation table (VR Name, Definition, Character Repertoire, "
        "Length of Value) found",
    )


# -- section 8.2: valid values of the Pixel Data related attributes --------------------------------
_PHOTOMETRIC = "photometric interpretation"
_UID_COLUMN = "transfer syntax uid"
_UID = re.compile(r"\d+(?:\.\d+)+")
_NAMED_UID = re.compile(r"\bUID value \W?(\d+(?:\.\d+)+)")
_TERM = re.compile(r"[A-Z][A-Z0-9_ ]*[A-Z0-9]")


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _cited_uids(document: Document, section: str | None) -> tuple[str, ...]:
    """The UIDs named (``UID value "…"``) by paragraphs that cite a part of the document the
    paragraphs of ``section`` cite: how a table without a UID column finds its transfer syntax."""
    if section is None:
        return ()
    cited = {
        link.target
        for block in document.section_blocks(section)
        for link in block.links
        if link.kind == "xref" and link.resolved
    }
    if not cited:
        return ()
    found: dict[str, None] = {}
    for ident in document.section_ids():
        if ident == section:
            continue
        for block in document.section_blocks(ident):
            if any(link.target in cited for link in block.links):
                for match in _NAMED_UID.finditer(getattr(block, "text", "")):
                    found.setdefault(match.group(1))
    return tuple(found)


def _encoding(
    table: Table,
    row: Row,
    columns: dict[str, int],
    uids: tuple[str, ...],
    diagnostics: Diagnostics,
) -> PixelEncodingRule | None:
    def refuse(problem: str) -> None:
        diagnostics.warn(
            "pixel-table-row", f"{problem}; row not read", table=table.id, row=row.number
        )

    cells = row.cells
    if len(cells) < table.width:
        refuse(f"row has {len(cells)} cells, expected {table.width}")
        return None

    def listed(column: str, pattern: re.Pattern[str], name: str, what: str) -> tuple[str, ...]:
        """The lines of the cell of ``column``, each a match of ``pattern``; none (and the row
        refused) when the cell is empty or a line is not."""
        text = cells[columns[column]].text
        lines = _lines(text)
        if lines and all(pattern.fullmatch(line) for line in lines):
            return lines
        refuse(f"{name} cell {text!r} is not a list of {what}")
        return ()

    terms = listed(_PHOTOMETRIC, _TERM, "Photometric Interpretation", "Defined Terms")
    if not terms:
        return None
    if _UID_COLUMN in columns:
        uids = listed(_UID_COLUMN, _UID, "Transfer Syntax UID", "UIDs")
        if not uids:
            return None
    values: dict[str, str] = {}
    for field, name, _ in ATTRIBUTES:
        text = " ".join(cells[columns[name.lower()]].text.split())
        if allowed(text) is None:
            refuse(f"{name} cell {text!r} is not 'absent' or a list of values and ranges")
            return None
        values[field] = text
    return PixelEncodingRule(
        photometric=terms,
        transfer_syntaxes=uids,
        source=table.id,
        row=row.number,
        **values,
    )


def pixel_encodings(
    document: Document,
) -> tuple[tuple[PixelEncodingRule, ...], tuple[PixelEncodingTable, ...]]:
    """Every row of the section 8.2 tables of valid Pixel Data related values, and the tables."""
    diagnostics = document.diagnostics
    rules: list[PixelEncodingRule] = []
    tables: list[PixelEncodingTable] = []
    for ident in document.table_ids():
        header = [" ".join(cell.split()).lower() for cell in document.header(ident)]
        if _PHOTOMETRIC not in header:
            continue
        table = document.table(ident)
        if table is None:
            continue
        columns = {name: header.index(name) for name in header if name}
        missing = [name for _, name, _ in ATTRIBUTES if name.lower() not in columns]
        if missing:
            diagnostics.warn(
                "pixel-table-shape",
                f"a table with a Photometric Interpretation column lacks the columns "
                f"{', '.join(missing)}: not read as valid Pixel Data related values",
                table=ident,
            )
            continue
        uids: tuple[str, ...] = ()
        if _UID_COLUMN not in columns:
            uids = _cited_uids(document, table.section)
            if not uids:
                diagnostics.warn(
                    "pixel-table-shape",
                    "no Transfer Syntax UID column, and no paragraph citing what its section "
                    "cites names a UID: the transfer syntax of the table is unknown; not read",
                    table=ident,
                )
                continue
        read = [_encoding(table, row, columns, uids, diagnostics) for row in table.rows]
        found = [rule for rule in read if rule is not None]
        if found:
            rules.extend(found)
            tables.append(PixelEncodingTable(ident, table.label, table.caption))
    if not tables:
        diagnostics.info(
            "pixel-tables-absent",
            "no table of valid Pixel Data related values per transfer syntax (section 8.2; "
            "PS3.5 2020c has them): Photometric Interpretation is not checked against the "
            "transfer syntax",
        )
    return tuple(rules), tuple(tables)


_NATIVE = re.compile(
    r"\bNative Format\b.*\bPhotometric Interpretation\b.*\bshall be other than:?$", re.DOTALL
)


def native_excluded(document: Document) -> tuple[str, tuple[str, ...]] | None:
    """(section id, terms) of the Photometric Interpretations a Native Format shall not have, or
    None (with a note) when no section says so."""
    for ident in document.section_ids():
        blocks = document.section_blocks(ident)
        for index, block in enumerate(blocks):
            if not isinstance(block, Paragraph) or not _NATIVE.search(block.text.strip()):
                continue
            terms: list[str] = []
            for after in blocks[index + 1 :]:
                text = after.text.strip() if isinstance(after, Paragraph) else ""
                if not _TERM.fullmatch(text):
                    break
                terms.append(text)
            if terms:
                return ident, tuple(terms)
            document.diagnostics.warn(
                "native-photometric-unread",
                f"section {ident}: no list of Photometric Interpretations follows "
                f"{block.text.strip()[:80]!r}",
            )
            return None
    document.diagnostics.info(
        "native-photometric-absent",
        "no sentence on the Photometric Interpretations a Native Format excludes (section 8.2; "
        "PS3.5 2020c has one): not checked",
    )
    return None
