"""Parse PS3.6: the registry of data elements and the registry of UIDs.

Tables are recognised by their header row, not by their number, so later editions' extra
registry tables of the same shape (and reordered or added columns) are read too:

* a *data element registry* has the columns Tag, Name, Keyword, VR and VM, and a last column
  holding retirement marks (``RET``, ``RET (2004)``, ``RET - See Note``) or other notes
  (``DICONDE``, ``DICOS``, ``See Note``);
* a *UID registry* has a UID value column (``UID Value``, ``Context UID``) and a name column
  (``UID Name``, ``Context Group Name``), optionally keyword, type, part or normative reference.

Every body row becomes an entry or a diagnostic.
"""

from __future__ import annotations

import re
from collections import Counter

from dicomstd.codegen import naming
from dicomstd.codegen.diagnostics import Diagnostics, InputError
from dicomstd.codegen.docbook import Document, Row, Table
from dicomstd.codegen.model import DataElementEntry, Part06, TagSpec, UidEntry

_VR_CODE = re.compile(r"^[A-Z]{2}$")
_VM = re.compile(r"^(\d+)(-(\d+|n|\d+n))?$")
_UID = re.compile(r"^[0-9]+(\.[0-9]+)*$")
_RETIRED = re.compile(r"^RET\b(\s*\(\d{4}\))?", re.IGNORECASE)

ELEMENT_COLUMNS = ("tag", "name", "keyword", "vr", "vm")


def _columns(header: tuple[str, ...]) -> dict[str, int]:
    return {cell.lower(): index for index, cell in enumerate(header) if cell}


def is_element_registry(header: tuple[str, ...]) -> bool:
    columns = _columns(header)
    return all(name in columns for name in ELEMENT_COLUMNS)


def _uid_columns(header: tuple[str, ...]) -> dict[str, int] | None:
    columns = _columns(header)
    value = next(
        (columns[c] for c in ("uid value", "context uid", "template uid") if c in columns), None
    )
    name = next(
        (columns[c] for c in ("uid name", "context group name", "template name") if c in columns),
        None,
    )
    if value is None or name is None:
        return None
    found = {"value": value, "name": name}
    for key, options in (
        ("keyword", ("uid keyword", "keyword")),
        ("type", ("uid type", "type")),
        ("part", ("part",)),
        ("reference", ("normative reference",)),
        ("identifier", ("context identifier", "template identifier")),
    ):
        index = next((columns[c] for c in options if c in columns), None)
        if index is not None:
            found[key] = index
    return found


def parse_vm(text: str) -> str | None:
    """Return the VM as written when every alternative is a VM form, else None."""
    alternatives = [alt.strip() for alt in re.split(r"\s+or\s+", text.strip())]
    if not alternatives or not all(_VM.match(alt) for alt in alternatives):
        return None
    return " or ".join(alternatives)


def split_vr(text: str) -> tuple[str, ...] | None:
    """``US or SS or OW`` -> ("US", "SS", "OW"); None when a part is not a VR code."""
    parts = [
        part.strip() for part in re.split(r"\s+or\s+|\s*/\s*|\s*,\s*", text.strip()) if part.strip()
    ]
    if not parts or not all(_VR_CODE.match(part) for part in parts):
        return None
    return tuple(parts)


def _data_element(
    table: Table, row: Row, columns: dict[str, int], diagnostics: Diagnostics
) -> DataElementEntry | None:
    cells = row.cells
    # The header says how many columns a row has; one stray cell in another row must not make
    # every other row of the table look short.
    width = len(table.header) or table.width
    if len(cells) < width or any(cell.colspan > 1 for cell in cells):
        diagnostics.warn(
            "row-shape",
            f"row has {len(row.distinct())} cells, expected {width}",
            table=table.id,
            row=row.number,
        )
        return None

    def cell(name: str) -> str:
        return cells[columns[name]].text

    tag_text = cell("tag")
    tag = TagSpec.parse(tag_text)
    if tag is None:
        diagnostics.error(
            "bad-tag", f"tag {tag_text!r} is not (gggg,eeee)", table=table.id, row=row.number
        )
        return None
    used = set(columns.values())
    note = " ".join(c.text for i, c in enumerate(cells) if i not in used and c.text)
    retired = bool(_RETIRED.match(note))
    if note and note.upper() != "RET":
        diagnostics.info(
            "registry-note",
            f"{tag}: last column reads {note!r}" + ("" if retired else " (not a retirement mark)"),
            table=table.id,
            row=row.number,
        )

    name = cell("name")
    keyword_raw = cell("keyword")
    keyword = re.sub(r"\s+", "", keyword_raw)
    if keyword and not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", keyword):
        diagnostics.warn(
            "keyword-invalid",
            f"{tag}: keyword {keyword_raw!r} is not an identifier; kept without keyword",
            table=table.id,
            row=row.number,
        )
        keyword = ""

    vr_text = cell("vr")
    vrs = split_vr(vr_text) if vr_text else ()
    if vrs is None:
        vrs = ()
        level = diagnostics.info if vr_text.lower().startswith("see note") else diagnostics.warn
        level(
            "vr-not-given",
            f"{tag}: VR {vr_text!r} names no Value Representation",
            table=table.id,
            row=row.number,
        )
    elif not vr_text:
        diagnostics.info("vr-not-given", f"{tag}: VR cell is empty", table=table.id, row=row.number)

    vm_text = cell("vm")
    vm = parse_vm(vm_text) if vm_text else ""
    if vm is None:
        diagnostics.warn(
            "bad-vm",
            f"{tag}: VM {vm_text!r} is not a value multiplicity",
            table=table.id,
            row=row.number,
        )
        vm = ""
    elif not vm_text:
        diagnostics.info("vm-not-given", f"{tag}: VM cell is empty", table=table.id, row=row.number)

    if not name and not keyword:
        diagnostics.info(
            "unnamed-element",
            f"{tag}: no name or keyword (a retired row)",
            table=table.id,
            row=row.number,
        )
    return DataElementEntry(
        tag=tag,
        name=name,
        keyword=keyword,
        vrs=vrs,
        vr_text=vr_text,
        vm=vm,
        retired=retired,
        note=note if note.upper() != "RET" else "",
        source=table.id,
        row=row.number,
    )


def _uid(
    table: Table, row: Row, columns: dict[str, int], diagnostics: Diagnostics
) -> UidEntry | None:
    cells = row.cells

    def cell(name: str) -> str:
        index = columns.get(name)
        return cells[index].text if index is not None and index < len(cells) else ""

    value = re.sub(r"\s+", "", cell("value"))
    if not _UID.match(value):
        diagnostics.error(
            "bad-uid",
            f"UID {cell('value')!r} is not a dotted number",
            table=table.id,
            row=row.number,
        )
        return None
    name = cell("name")
    name_index = columns["name"]
    name_cell = cells[name_index] if name_index < len(cells) else None
    # A name cell that is only a reference into another part (PS3.20 section titles in 2015b
    # table A-4) holds no name this edition gives; its link text is no source for a keyword.
    name_is_link = bool(
        name_cell is not None
        and name_cell.links
        and not any(link.resolved for link in name_cell.links)
        and name == " ".join(link.text for link in name_cell.links)
    )
    identifier = cell("identifier")
    if identifier and name in ("", identifier):
        name = identifier  # the title is only linked, into a part that is not loaded here
    elif identifier and not name.startswith(identifier):
        ident = identifier if not identifier.isdigit() else f"CID {identifier}"
        name = f"{ident} {name}"
    uid_type = cell("type") or _implied_type(table)
    if not name:
        diagnostics.warn(
            "uid-without-name",
            f"UID {value} has no name in this edition",
            table=table.id,
            row=row.number,
        )
    retired = bool(re.search(r"\(Retired\)", name, re.IGNORECASE)) or bool(_RETIRED.match(uid_type))
    keyword = re.sub(r"\s+", "", cell("keyword"))
    derived = False
    if "keyword" not in columns and uid_type not in ("Context Group Name", "Template"):
        if name_is_link:
            diagnostics.info(
                "uid-name-is-link",
                f"UID {value}: the name is only a reference into another part ({name!r}); "
                "no keyword derived",
                table=table.id,
                row=row.number,
            )
        else:
            keyword = naming.uid_keyword(name)
            derived = bool(keyword)
    if keyword and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", keyword):
        diagnostics.warn(
            "keyword-invalid",
            f"UID {value}: keyword {keyword!r} is not an identifier",
            table=table.id,
            row=row.number,
        )
        keyword = ""
    part = cell("part") or cell("reference")
    return UidEntry(value, name, keyword, uid_type, part, retired, table.id, row.number, derived)


def _implied_type(table: Table) -> str:
    caption = table.caption.lower()
    if "frame" in caption and "reference" in caption:
        return "Well-known frame of reference"
    if "context group" in caption:
        return "Context Group Name"
    if "template" in caption:
        return "Template"
    return ""


def parse(document: Document) -> Part06:
    document.require_part(6)
    diagnostics = document.diagnostics
    elements: list[DataElementEntry] = []
    uids: dict[str, UidEntry] = {}
    counts: Counter[str] = Counter()
    for ident in document.table_ids():
        header = document.header(ident)
        uid_columns = _uid_columns(header)
        if not is_element_registry(header) and uid_columns is None:
            continue
        table = document.table(ident)
        if table is None:
            continue
        if uid_columns is None:
            columns = _columns(header)
            for row in table.rows:
                entry = _data_element(table, row, columns, diagnostics)
                if entry is not None:
                    elements.append(entry)
                    counts[table.id] += 1
            _require_readable(document, table, counts[table.id])
            continue
        for row in table.rows:
            uid = _uid(table, row, uid_columns, diagnostics)
            if uid is None:
                continue
            counts[table.id] += 1
            first = uids.get(uid.value)
            if first is None:
                uids[uid.value] = uid
            else:
                same = "the same name" if first.name == uid.name else f"name {uid.name!r}"
                diagnostics.info(
                    "uid-listed-twice",
                    f"UID {uid.value} is also listed in {first.source} row {first.row} ({same}); "
                    "that entry is kept",
                    table=table.id,
                    row=row.number,
                )
        _require_readable(document, table, counts[table.id])
    if not elements:
        raise InputError(
            str(document.path), "no data element registry table (Tag, Name, Keyword, VR, VM) found"
        )
    _report_duplicates(elements, diagnostics)
    keywords = _dedupe_uid_keywords(list(uids.values()), diagnostics)
    document.report_unresolved()
    return Part06(tuple(elements), tuple(keywords), dict(counts))


def _require_readable(document: Document, table: Table, entries: int) -> None:
    """A registry table with body rows of which none could be read is unusable input."""
    if entries or not table.rows:
        return
    first = next(
        (d for d in document.diagnostics if d.table == table.id and d.row is not None),
        None,
    )
    detail = f"; the first problem: {first.message}" if first is not None else ""
    raise InputError(
        str(document.path),
        f"none of the {len(table.rows)} rows of registry table {table.label} could be read"
        + detail,
        table=table.id,
        row=first.row if first is not None else table.rows[0].number,
    )


def _report_duplicates(elements: list[DataElementEntry], diagnostics: Diagnostics) -> None:
    by_tag: dict[TagSpec, DataElementEntry] = {}
    by_keyword: dict[str, DataElementEntry] = {}
    for entry in elements:
        first = by_tag.setdefault(entry.tag, entry)
        if first is not entry:
            diagnostics.warn(
                "duplicate-tag",
                f"{entry.tag} is also in {first.source} row {first.row}",
                table=entry.source,
                row=entry.row,
            )
        if entry.keyword:
            other = by_keyword.setdefault(entry.keyword, entry)
            if other is not entry:
                diagnostics.warn(
                    "duplicate-keyword",
                    f"keyword {entry.keyword} is also used by {other.tag}",
                    table=entry.source,
                    row=entry.row,
                )


def _dedupe_uid_keywords(uids: list[UidEntry], diagnostics: Diagnostics) -> list[UidEntry]:
    """Make derived keywords unique the way the standard does when it assigns them.

    When several UIDs derive the same keyword and one of them is current, the retired ones get
    ``Retired`` appended (``UltrasoundImageStorageRetired``); any UID still clashing gets its
    last arc appended. Every renaming is reported.
    """
    groups: dict[str, list[UidEntry]] = {}
    for uid in uids:
        if uid.keyword:
            groups.setdefault(uid.keyword, []).append(uid)
    renamed: dict[str, str] = {}
    taken = set(groups)
    for keyword, members in groups.items():
        if len(members) == 1:
            continue
        current = [m for m in members if not m.retired]
        keep = current[0] if len(current) == 1 else members[0]
        for member in members:
            if member is keep:
                continue
            fresh = keyword + "Retired" if member.retired and len(current) == 1 else keyword
            if fresh in taken:
                fresh = f"{fresh}_{member.value.rsplit('.', 1)[-1]}"
            taken.add(fresh)
            renamed[member.value] = fresh
            diagnostics.warn(
                "duplicate-uid-keyword",
                f"UID {member.value}: derived keyword {keyword} is also {keep.value}'s; "
                f"using {fresh}",
                table=member.source,
                row=member.row,
            )
    return [u._replace(keyword=renamed[u.value]) if u.value in renamed else u for u in uids]
