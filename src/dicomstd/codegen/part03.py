"""Parse PS3.3: IOD module tables, functional group macro tables, module and macro attribute tables.

Tables are recognised by their header row, never by number or by which IOD they serve:

* *IOD module tables* (``IE | Module | Reference | Usage``): the IE cell spans rows (the table
  reader fills rowspans), the reference is an ``xref`` to the section holding the module's table,
  usage is ``M``, ``U`` or ``C - <condition>``;
* *functional group macro tables* (``Functional Group Macro | Section | Usage``), each belonging to
  the IOD modules table of its enclosing section;
* *attribute tables* (``Attribute Name | Tag | Type | [Attribute] Description``), whatever their
  caption says (``… Module Attributes``, ``… Macro Attributes``, ``… Module Table`` …).

Rows of attribute tables become :class:`AttributeRow` (``>`` marks give the nesting depth),
:class:`IncludeRow` (``Include``/``>Include``/``>>Include`` with an ``xref``, a note such as a
Defined CID, and an optional ``if and only if …`` condition) or :class:`PlaceholderRow` ("Any
Attribute …", "Include one or more Functional Group Macros", caption-like headings). Anything else
is a diagnostic naming table and row.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Literal

import attrs

from dicomstd.codegen.conditions import leads
from dicomstd.codegen.diagnostics import Diagnostics, InputError
from dicomstd.codegen.docbook import Block, Cell, Document, Paragraph, Row, Table, VariableList
from dicomstd.codegen.model import (
    AttributeRow,
    AttributeTable,
    AttributeType,
    IncludeRow,
    IodTable,
    ModuleReference,
    Part03,
    PlaceholderRow,
    TableRow,
    TagSpec,
    Usage,
    ValueList,
)

_TYPES = {t.value: t for t in AttributeType}
_DEPTH = re.compile(r"^\s*((?:>\s*)*)")
_INCLUDE = re.compile(r"^\s*((?:>\s*)*)Include\b", re.IGNORECASE)
_USAGE = re.compile(r"^\s*([MCU])(?:\s*$|\s*[-–—:]\s*|\s+)(.*)$", re.DOTALL)
_LIST_TITLE = re.compile(
    r"^\s*(?P<retired>Retired\s+)?(?P<kind>Enumerated Values?|Defined Terms?)\b"
    r"\s*(?P<rest>.*?)\s*:?\s*$",
    re.IGNORECASE,
)
# "Any Attribute from the main data set …", "Any Private Attributes …": rows standing for others.
_ANY = re.compile(r"\bany\b.*\battribute", re.IGNORECASE)
# "Only a single Item shall be included in this Sequence.", "One or more Items are permitted in
# this Sequence.", "Zero or one Item …", "Two or more Items shall be present." (any case): a
# sentence that says nothing else; one with a condition is read by _COUNT_IF, _COUNT_UNLESS,
# _COUNT_AFTER_IF and _MULTIPLE_IF.
_NUMBER = (
    r"(?:only |exactly )?(?P<least{n}>zero|one|a single|two)(?: or (?P<most{n}>more|one|two))?"
)
_IN_SEQUENCE = r"(?: (?:in|for) (?:this|the) sequence)?"
_ITEM_COUNT = re.compile(
    f"^{_NUMBER.format(n='')} items? (?:shall be|is|are|may be) (?:included|permitted|present)"
    f"{_IN_SEQUENCE}$",
    re.IGNORECASE,
)
# Under a condition only a requirement counts ("shall be included", "are permitted"): "If more
# than one Item is present, each Item represents …" states none.
_COUNT = _NUMBER + r" items? (?:shall be (?:included|present)|(?:is|are) permitted)" + _IN_SEQUENCE
# A remark after the count that adds no condition (", the first of which is less than or equal
# to the second"): the count stands.
_REMARK = r"(?:, (?!.*\b(?:if|unless|when)\b).*)?"
# "If the Threshold Type (0070,1B13) is RANGE_INCL or RANGE_EXCL, exactly two Items shall be
# included in this Sequence, the first of which …"
_COUNT_IF = re.compile(f"^if (?P<condition>.+?),? {_COUNT.format(n='')}{_REMARK}$", re.IGNORECASE)
# "Only one Item shall be included in this Sequence if Patient Support Position Specification
# Method (300A,065C) equals GLOBAL."
_COUNT_AFTER_IF = re.compile(f"^{_COUNT.format(n='')} if (?P<condition>.+)$", re.IGNORECASE)
# "Only a single Item shall be included in this Sequence, unless Dose Summation Type (3004,000A)
# is MULTI_PLAN, in which case two or more Items shall be included in this Sequence."
_COUNT_UNLESS = re.compile(
    f"^{_COUNT.format(n='')},? unless (?P<condition>.+?),? in which case {_COUNT.format(n='2')}$",
    re.IGNORECASE,
)
# "Multiple items are only permitted if the Image Box Layout Type (0072,0304) has a value of
# VOLUME_CINE.", "More than one Item shall be present only if …": at most one otherwise.
_MULTIPLE_IF = re.compile(
    r"^(?:multiple|more than one) items? (?:are|is|shall be|may be) "
    r"(?:only (?:permitted|present|included)|(?:permitted|present|included) only) "
    r"if (?P<condition>.+)$",
    re.IGNORECASE,
)
# A sentence that states a number of Items under a condition, to be read by the above or warned
# of: "… Items shall be included/present …", "… Items are permitted …" with if/unless/when.
_COUNT_LIKE = re.compile(
    r"\bitems? (?:shall|may|must) (?:only )?be (?:included|present)\b"
    r"|\bitems? (?:are|is) (?:only )?permitted\b",
    re.IGNORECASE,
)
_CONDITION_WORD = re.compile(r"\b(?:if|unless|when)\b", re.IGNORECASE)
_COUNTS = {"zero": 0, "one": 1, "a single": 1, "two": 2}
_SENTENCE_END = re.compile(r"(?<=\.)\s+")
_FOR_SPECIALIZATION = re.compile(r"\bfor\s+(?:further\s+)?specialization\b", re.IGNORECASE)
_RETIRED_LIST = re.compile(r"^\s*Retired\s", re.IGNORECASE)
_VALUE_COLUMN = re.compile(r"^(Enumerated|Defined)\s+(?:Values?|Terms?)(?:\s+Name)?$", re.I)
_VALUE_INDEX = re.compile(r"^(?:for\s+)?Value\s+(\d+)\b", re.IGNORECASE)
_CAPTION_SUFFIX = re.compile(
    r"\s+(Attributes?(\s+Description)?|Table|Description)\s*$", re.IGNORECASE
)


def _header(document: Document, ident: str) -> tuple[str, ...]:
    return tuple(cell.strip().lower() for cell in document.header(ident))


def is_attribute_table(header: tuple[str, ...]) -> bool:
    return len(header) >= 3 and header[0] == "attribute name" and header[1] == "tag"


def is_iod_table(header: tuple[str, ...]) -> bool:
    return {"ie", "module", "reference", "usage"} <= set(header)


def is_functional_group_table(header: tuple[str, ...]) -> bool:
    return bool(header) and header[0].startswith("functional group macro") and "usage" in header


def table_name(caption: str) -> str:
    """``Patient Module Attributes`` -> ``Patient Module``; ``… Module Table`` -> ``… Module``."""
    name = caption.strip()
    while True:
        stripped = _CAPTION_SUFFIX.sub("", name)
        if stripped == name or not stripped:
            return name
        name = stripped


def table_kind(name: str) -> Literal["module", "macro", "attributes"]:
    lowered = name.lower()
    if lowered.endswith("module"):
        return "module"
    if lowered.endswith("macro"):
        return "macro"
    return "attributes"


# -- descriptions -------------------------------------------------------------------------------
def condition_text(cell: Cell) -> str | None:
    """The condition sentences of a 1C/2C description, verbatim (``Required if …``)."""
    paragraphs = [b.text for b in cell.blocks if isinstance(b, Paragraph) and not b.note]
    found = leads.condition_paragraphs(paragraphs)
    return "\n".join(found) if found else None


def value_lists(cell: Cell) -> tuple[ValueList, ...]:
    """Enumerated Values / Defined Terms given as DocBook variable lists in a description."""
    return _value_lists(cell.blocks)


def _value_lists(blocks: Iterable[Block]) -> tuple[ValueList, ...]:
    """The variable lists of values among ``blocks``; a list of retired ones ("Retired Defined
    Terms:", after the Defined Terms of General Series Modality, C.7.3.1.1.1) adds its values to
    the list before it of the same kind, which they extend, rather than being a list of its
    own that a value would have to be in too."""
    out: list[ValueList] = []
    previous = ""
    for block in blocks:
        if isinstance(block, Paragraph):
            previous = block.text
            continue
        found = _list_of(block, previous)
        if found is None:
            continue
        extended = out[-1] if out else None
        if (
            _RETIRED_LIST.match(block.title)
            and extended is not None
            and (extended.kind, extended.value_index) == (found.kind, found.value_index)
        ):
            values = tuple(dict.fromkeys(extended.values + found.values))
            out[-1] = attrs.evolve(extended, values=values)
            continue
        out.append(found)
    return tuple(out)


Count = tuple[int, int | None]
"""A number of Items: (least, most), most None when there is no limit."""


@attrs.frozen
class ItemCounts:
    """What a sequence's description says of its number of Items: ``count`` stated without a
    condition, and ``cases``, counts stated under a condition (``if …`` text the condition parser
    reads, count), the first whose condition holds applying instead of ``count``. ``unread``: the
    sentences that state a count under a condition in wording not read."""

    count: Count | None = None
    cases: tuple[tuple[str, Count], ...] = ()
    unread: tuple[str, ...] = ()


def _count(match: re.Match[str], suffix: str = "") -> Count:
    least = _COUNTS[match.group("least" + suffix).lower()]
    most = match.group("most" + suffix)
    return least, None if most == "more" else _COUNTS[most.lower()] if most else least


def item_counts(cell: Cell) -> ItemCounts:
    """The number of Items a sequence's description allows, from sentences that state it: one
    without a condition ("Only a single Item shall be included in this Sequence."), and those
    under a condition ("… unless Dose Summation Type (3004,000A) is MULTI_PLAN, in which case two
    or more Items shall be included …", "If … is YES, one or more Items shall be included …",
    "Multiple items are only permitted if …"). Two unconditional sentences that differ give no
    count."""
    found: set[Count] = set()
    cases: list[tuple[str, Count]] = []
    widened: list[str] = []
    unread: list[str] = []
    for block in cell.blocks:
        if not isinstance(block, Paragraph) or block.note:
            continue
        for sentence in _SENTENCE_END.split(block.text):
            text = " ".join(sentence.split()).rstrip(".")
            match = _ITEM_COUNT.match(text)
            if match is not None:
                found.add(_count(match))
                continue
            match = _COUNT_IF.match(text) or _COUNT_AFTER_IF.match(text)
            if match is not None:
                cases.append((f"if {match.group('condition')}", _count(match)))
                continue
            match = _COUNT_UNLESS.match(text)
            if match is not None:
                found.add(_count(match))
                cases.append((f"if {match.group('condition')}", _count(match, "2")))
                continue
            match = _MULTIPLE_IF.match(text)
            if match is not None:
                widened.append(f"if {match.group('condition')}")
                continue
            if _COUNT_LIKE.search(text) and _CONDITION_WORD.search(text):
                unread.append(text)
    count = found.pop() if len(found) == 1 else None
    for condition in widened:
        # "Multiple items are only permitted if …": the count stated, at most one otherwise.
        least = count[0] if count is not None else 1
        cases.append((condition, (least, None)))
        count = (least, 1) if least <= 1 else None
    return ItemCounts(count, tuple(cases), tuple(unread))


def section_values(document: Document | None, cell: Cell, name: str) -> tuple[ValueList, ...]:
    """Enumerated Values / Defined Terms of the attribute ``name`` in a section its description
    points to ("See Section C.8.16.2.1.2"), when the section is about that attribute (its title
    is the attribute's name): the section's own variable lists, and its tables of values (first
    column headed "Enumerated Value(s) (Name)" or "Defined Term(s) (Name)", captioned with the
    attribute's name, as table C.8-133 "Volumetric Properties Attribute Values")."""
    if document is None or _FOR_SPECIALIZATION.search(cell.text):
        return ()  # the values of "See C.8.8.3.4.3 for specialization": passes/specializations
    wanted = " ".join(name.lower().split())
    out: list[ValueList] = []
    for link in cell.links:
        section = document.section(link.target) if link.resolved else None
        if section is None or " ".join(section.title.lower().split()) != wanted:
            continue
        out.extend(_value_lists(document.section_blocks(section.id)))
        for ident in section.tables:
            found = _table_of_values(document, ident, wanted)
            if found is not None:
                out.append(found)
    return tuple(dict.fromkeys(out))


def _table_of_values(document: Document, ident: str, name: str) -> ValueList | None:
    table = document.table(ident)
    if table is None or not table.header or not table.caption.lower().startswith(name):
        return None
    match = _VALUE_COLUMN.match(table.header[0].strip())
    if match is None:
        return None
    kind: Literal["enumerated", "defined"] = (
        "enumerated" if match.group(1).lower() == "enumerated" else "defined"
    )
    values = tuple(
        dict.fromkeys(r.cells[0].text.strip() for r in table.rows if r.cells[0].text.strip())
    )
    return ValueList(kind=kind, values=values) if values else None


def _list_of(block: VariableList, previous: str) -> ValueList | None:
    match = _LIST_TITLE.match(block.title)
    if match is None:
        return None
    kind: Literal["enumerated", "defined"] = (
        "enumerated" if match.group("kind").lower().startswith("enumerated") else "defined"
    )
    rest = match.group("rest").strip()
    index: int | None = None
    index_match = _VALUE_INDEX.match(rest) or _VALUE_INDEX.match(previous.strip())
    if index_match is not None:
        index = int(index_match.group(1))
        if _VALUE_INDEX.match(rest):
            rest = rest[index_match.end() :].strip(" :,")
    values = tuple(dict.fromkeys(e.term.strip() for e in block.entries if e.term.strip()))
    if not values:
        return None
    return ValueList(kind=kind, values=values, value_index=index, qualifier=rest)


# -- attribute tables ---------------------------------------------------------------------------
def _depth(text: str) -> tuple[int, str]:
    match = _DEPTH.match(text)
    marks = match.group(1) if match else ""
    return marks.count(">"), text[len(marks) :].strip() if marks else text.strip()


def _include(
    table: Table, row: Row, first: Cell, rest: tuple[Cell, ...], diagnostics: Diagnostics
) -> TableRow:
    depth, text = _depth(first.text)
    links = [link for link in first.links if link.kind == "xref"]
    note = " ".join(cell.text for cell in rest if cell.text).strip()
    if not links:
        if re.search(r"functional group macros?", first.text, re.IGNORECASE):
            return PlaceholderRow(depth, "functional-groups", text, None, row.number)
        diagnostics.warn(
            "include-without-reference",
            f"Include row names no table: {first.text!r}; kept as a placeholder",
            table=table.id,
            row=row.number,
        )
        return PlaceholderRow(depth, "heading", text, None, row.number)
    target = links[0]
    after = first.text.split(target.text, 1)[1].strip() if target.text in first.text else ""
    condition = leads.include_condition(after)
    if after and condition is None:
        note = f"{after} {note}".strip()
    if len(links) > 1:
        diagnostics.info(
            "include-several-references",
            f"Include row links {len(links)} targets; the first ({target.target}) is included",
            table=table.id,
            row=row.number,
        )
    return IncludeRow(depth, target.target, first.text, note, condition, row.number)


def _has_tag(cells: tuple[Cell, ...]) -> bool:
    """A row whose second cell is a tag is an attribute, whatever its name starts with
    ("Include Non-DICOM Objects (2200,0008)" is an attribute, not an Include row)."""
    return len(cells) >= 2 and cells[0].colspan == 1 and TagSpec.parse(cells[1].text) is not None


def _attribute_row(
    table: Table,
    row: Row,
    has_type: bool,
    diagnostics: Diagnostics,
    document: Document | None = None,
) -> TableRow | None:
    cells = row.distinct()
    first = cells[0]
    if _INCLUDE.match(first.text) and not _has_tag(cells):
        return _include(table, row, first, cells[1:], diagnostics)
    if len(cells) == 1 or (first.colspan >= table.width - 1 and len(cells) <= 2):
        if not first.text and all(not c.text for c in cells):
            diagnostics.info("empty-row", "an empty row", table=table.id, row=row.number)
            return None
        depth, text = _depth(first.text)
        kind: Literal["any-attribute", "heading"] = (
            "any-attribute" if _ANY.search(text) else "heading"
        )
        return PlaceholderRow(depth, kind, text, None, row.number)
    if first.colspan >= 2:
        # "Any Attribute from the main data set …": a name spanning the tag column, then a Type.
        depth, text = _depth(first.text)
        type_cell = cells[1] if len(cells) > 1 else None
        attribute_type = _TYPES.get(type_cell.text.strip()) if type_cell is not None else None
        if _ANY.search(text):
            return PlaceholderRow(depth, "any-attribute", text, attribute_type, row.number)
        diagnostics.warn(
            "row-shape",
            f"row without a tag: {first.text!r}; kept as a placeholder",
            table=table.id,
            row=row.number,
        )
        return PlaceholderRow(depth, "heading", text, attribute_type, row.number)
    if len(cells) < 3:
        diagnostics.warn("row-shape", f"row has {len(cells)} cells", table=table.id, row=row.number)
        return None
    depth, name = _depth(first.text)
    tag = TagSpec.parse(cells[1].text)
    if tag is None:
        diagnostics.error(
            "bad-tag",
            f"{name!r}: tag {cells[1].text!r} is not (gggg,eeee); row left out",
            table=table.id,
            row=row.number,
        )
        return None
    type_text = cells[2].text.strip() if has_type else ""
    attribute_type = _TYPES.get(type_text.upper().replace(" ", ""))
    if has_type and attribute_type is None:
        diagnostics.warn(
            "bad-type",
            f"{tag} {name}: Type {type_text!r} is not 1, 1C, 2, 2C or 3",
            table=table.id,
            row=row.number,
        )
    description_cell = cells[3] if has_type and len(cells) > 3 else cells[-1]
    condition = None
    if attribute_type in (AttributeType.TYPE_1C, AttributeType.TYPE_2C):
        condition = condition_text(description_cell)
        if condition is None:
            diagnostics.warn(
                "condition-missing",
                f"{tag} {name}: Type {type_text} without a 'Required if' sentence",
                table=table.id,
                row=row.number,
            )
    counts = item_counts(description_cell)
    for sentence in counts.unread:
        diagnostics.warn(
            "item-count-unread",
            f"{tag} {name}: number of Items under a condition not read: {sentence!r}",
            table=table.id,
            row=row.number,
        )
    return AttributeRow(
        depth=depth,
        name=name,
        tag=tag,
        type=attribute_type,
        type_text=type_text,
        description=description_cell.text,
        condition=condition,
        values=value_lists(description_cell) or section_values(document, description_cell, name),
        row=row.number,
        item_count=counts.count,
        item_counts=counts.cases,
    )


def attribute_table(
    table: Table, diagnostics: Diagnostics, document: Document | None = None
) -> AttributeTable:
    rows: list[TableRow] = []
    has_type = len(table.header) > 2 and table.header[2].strip().lower() == "type"
    if not has_type:
        diagnostics.warn(
            "no-type-column",
            f"attribute table without a Type column (header {list(table.header)})",
            table=table.id,
        )
    for row in table.rows:
        parsed = _attribute_row(table, row, has_type, diagnostics, document)
        if parsed is not None:
            rows.append(parsed)
    name = table_name(table.caption) or table.id
    return AttributeTable(
        table.id, table.caption, name, table_kind(name), table.section, tuple(rows)
    )


# -- IOD tables ---------------------------------------------------------------------------------
def usage(text: str) -> tuple[Usage, str | None] | None:
    match = _USAGE.match(text.strip())
    if match is None:
        return None
    letter, rest = match.group(1), match.group(2).strip()
    condition = rest or None
    return Usage(letter), condition


def _reference(
    table: Table, row: Row, columns: dict[str, int], kind: str, diagnostics: Diagnostics
) -> ModuleReference | None:
    cells = row.cells
    name_cell = cells[columns[kind]]
    reference_cell = cells[columns["reference"]]
    usage_cell = cells[columns["usage"]]
    ie = cells[columns["ie"]].text if "ie" in columns else ""
    links = [link for link in reference_cell.links if link.kind == "xref"] or [
        link for link in name_cell.links if link.kind == "xref"
    ]
    if not links:
        diagnostics.warn(
            "module-without-reference",
            f"{name_cell.text!r} has no reference to its table; left out",
            table=table.id,
            row=row.number,
        )
        return None
    parsed = usage(usage_cell.text)
    if parsed is None:
        diagnostics.warn(
            "bad-usage",
            f"{name_cell.text!r}: usage {usage_cell.text!r} is not M, C or U; left out",
            table=table.id,
            row=row.number,
        )
        return None
    letter, rest = parsed
    condition = rest if letter is Usage.CONDITIONAL else None
    if letter is Usage.CONDITIONAL and condition is None:
        diagnostics.warn(
            "condition-missing",
            f"{name_cell.text!r}: usage C without a condition",
            table=table.id,
            row=row.number,
        )
    return ModuleReference(
        ie=ie,
        name=name_cell.text,
        reference=links[0].target,
        usage=letter,
        usage_text=usage_cell.text,
        note="" if letter is Usage.CONDITIONAL else rest or "",
        condition=condition,
        row=row.number,
    )


def _columns(header: tuple[str, ...], kind: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        if name == "ie" or name.startswith("information entity"):
            columns["ie"] = index
        elif name == "module" or name.startswith("functional group macro"):
            columns[kind] = index
        elif name in ("reference", "section"):
            columns["reference"] = index
        elif name == "usage":
            columns["usage"] = index
    return columns


def _references(table: Table, kind: str, diagnostics: Diagnostics) -> tuple[ModuleReference, ...]:
    header = tuple(h.strip().lower() for h in table.header)
    columns = _columns(header, kind)
    if kind not in columns or "reference" not in columns or "usage" not in columns:
        raise InputError(
            diagnostics.file,
            f"cannot find {kind}/reference/usage columns in {list(table.header)}",
            table=table.id,
        )
    out = []
    for row in table.rows:
        if len(row.cells) <= max(columns.values()):
            diagnostics.warn(
                "row-shape", f"row has {len(row.cells)} columns", table=table.id, row=row.number
            )
            continue
        reference = _reference(table, row, columns, kind, diagnostics)
        if reference is not None:
            out.append(reference)
    return tuple(out)


def iod_name(caption: str) -> str:
    return re.sub(r"\s+IOD\s+Modules?\s*$", "", caption.strip(), flags=re.IGNORECASE).strip()


def _iod_sections(document: Document, iod_ids: list[str]) -> dict[str, str]:
    """Section id -> the IOD modules table, for every section holding exactly one (how PS3.4
    points at IODs)."""
    ids = set(iod_ids)
    out: dict[str, str] = {}
    for ident in iod_ids:
        table = document.table(ident)
        section_id = table.section if table is not None else None
        while section_id is not None:
            section = document.section(section_id)
            if section is None or [t for t in section.tables if t in ids] != [ident]:
                break
            out[section_id] = ident
            section_id = section.parent
    return out


def _owning_iod(document: Document, table: Table, iod_sections: dict[str, str]) -> str | None:
    """The IOD modules table of the closest enclosing section that holds exactly one (one
    that holds several has no owner, nor have the sections around it)."""
    section_id = table.section
    while section_id is not None:
        owner = iod_sections.get(section_id)
        if owner is not None:
            return owner
        section = document.section(section_id)
        section_id = section.parent if section is not None else None
    return None


# -- the part -------------------------------------------------------------------------------------
def parse(document: Document) -> Part03:
    document.require_part(3)
    diagnostics = document.diagnostics
    attribute_tables: dict[str, AttributeTable] = {}
    iod_ids: list[str] = []
    fg_ids: list[str] = []
    counts: Counter[str] = Counter()
    for ident in document.table_ids():
        header = _header(document, ident)
        if is_attribute_table(header):
            table = document.table(ident)
            if table is not None:
                parsed = attribute_table(table, diagnostics, document)
                attribute_tables[ident] = parsed
                counts[ident] = len(parsed.rows)
        elif is_iod_table(header):
            iod_ids.append(ident)
        elif is_functional_group_table(header):
            fg_ids.append(ident)
    if not attribute_tables and not iod_ids:
        raise InputError(str(document.path), "no IOD module table and no attribute table found")

    iod_sections = _iod_sections(document, iod_ids)
    functional_groups: dict[str, tuple[str, tuple[ModuleReference, ...]]] = {}
    for ident in fg_ids:
        table = document.table(ident)
        if table is None:
            continue
        owner = _owning_iod(document, table, iod_sections)
        if owner is None:
            diagnostics.warn(
                "functional-groups-without-iod",
                f"{table.caption!r}: no single IOD modules table encloses it; not attached",
                table=ident,
            )
            continue
        references = _references(table, "macro", diagnostics)
        functional_groups[owner] = (ident, references)
        counts[ident] = len(references)

    iods: list[IodTable] = []
    for ident in iod_ids:
        table = document.table(ident)
        if table is None:
            continue
        modules = _references(table, "module", diagnostics)
        counts[ident] = len(modules)
        fg_table, fgs = functional_groups.get(ident, (None, ()))
        iods.append(
            IodTable(
                id=ident,
                name=iod_name(table.caption),
                caption=table.caption,
                section=table.section,
                modules=modules,
                functional_groups_table=fg_table,
                functional_groups=fgs,
            )
        )

    section_tables: dict[str, str] = {}
    wanted = {ref.reference for iod in iods for ref in iod.modules + iod.functional_groups}
    wanted |= {
        row.target
        for t in attribute_tables.values()
        for row in t.rows
        if isinstance(row, IncludeRow)
    }
    for target in sorted(wanted):
        section = document.section(target)
        if section is None:
            continue
        first = next((t for t in section.tables if t in attribute_tables), None)
        if first is not None:
            section_tables[target] = first
    document.report_unresolved()
    return Part03(
        attribute_tables,
        tuple(iods),
        section_tables,
        iod_sections,
        dict(sorted(counts.items())),
    )
