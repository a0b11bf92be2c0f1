"""Parse PS3.4: the Standard SOP Classes of the Storage Service Class (table B.5-1 and tables of
the same shape), mapping each SOP Class UID to the PS3.3 section of its IOD.

A table qualifies by its header: a ``SOP Class Name`` column, a ``SOP Class UID`` column and an
``IOD Specification`` column whose cells link (``olink``) into PS3.3.
"""

from __future__ import annotations

import re
from collections import Counter

from dicomstd.codegen.diagnostics import InputError
from dicomstd.codegen.docbook import Document
from dicomstd.codegen.model import Part04, SopClass

_UID = re.compile(r"^[0-9]+(\.[0-9]+)+$")


def _columns(header: tuple[str, ...]) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        lowered = cell.lower()
        if lowered.startswith("sop class name"):
            columns["name"] = index
        elif lowered.startswith("sop class uid"):
            columns["uid"] = index
        elif lowered.startswith("iod specification"):
            columns["iod"] = index
    return columns if len(columns) == 3 else None


def parse(document: Document) -> Part04:
    document.require_part(4)
    diagnostics = document.diagnostics
    sop_classes: dict[str, SopClass] = {}
    counts: Counter[str] = Counter()
    for ident in document.table_ids():
        columns = _columns(document.header(ident))
        if columns is None:
            continue
        table = document.table(ident)
        if table is None:
            continue
        for row in table.rows:
            cells = row.cells
            if len(cells) <= max(columns.values()):
                diagnostics.warn(
                    "row-shape", f"row has {len(cells)} columns", table=ident, row=row.number
                )
                continue
            name = cells[columns["name"]].text
            uid = re.sub(r"\s+", "", cells[columns["uid"]].text)
            if not _UID.match(uid):
                diagnostics.warn(
                    "bad-uid",
                    f"{name!r}: UID {uid!r} is not a dotted number",
                    table=ident,
                    row=row.number,
                )
                continue
            iod_cell = cells[columns["iod"]]
            # Prefer links into PS3.3; else links within this document's reach.
            links = [
                link for link in iod_cell.links if link.kind == "olink" and link.document == "PS3.3"
            ] or [link for link in iod_cell.links if link.kind == "xref" or link.document is None]
            if not links:
                diagnostics.warn(
                    "sop-class-without-iod",
                    f"{name}: no link to its IOD in PS3.3",
                    table=ident,
                    row=row.number,
                )
                continue
            sop = SopClass(
                name, uid, links[0].target, iod_cell.text.split("\n")[0], ident, row.number
            )
            first = sop_classes.setdefault(uid, sop)
            if first is not sop:
                diagnostics.info(
                    "sop-class-listed-twice",
                    f"{uid} is also {first.source} row {first.row}",
                    table=ident,
                    row=row.number,
                )
                continue
            counts[ident] += 1
    if not sop_classes:
        raise InputError(
            str(document.path),
            "no SOP Class table (SOP Class Name, SOP Class UID, IOD Specification) found",
        )
    document.report_unresolved()
    return Part04(tuple(sop_classes.values()), dict(counts))
