"""What to generate: for each output file, its template and the (sorted) data it lays out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dicomstd.codegen import render
from dicomstd.codegen.model import (
    DataElementEntry,
    Standard,
    UidEntry,
    ValueRepresentation,
    uid_order,
)

Context = dict[str, Any]

UID_KEYWORD_RULE = (
    "Where the edition has no keyword column, keywords are derived from UID names as "
    "codegen/naming.py documents (text after a colon, (Retired) and a trailing SOP Class "
    "dropped; words capitalised and joined)."
)


def files(standard: Standard) -> Iterator[tuple[str, str, Context]]:
    yield "__init__.py", "package.py.j2", {"parts": render.header_parts(standard, (3, 4, 5, 6))}
    if standard.part05 is not None:
        yield "vrs.py", "vrs.py.j2", _vrs(standard)
        yield "pixel_encodings.py", "pixel_encodings.py.j2", _pixel_encodings(standard)
    if standard.part06 is not None:
        yield "dictionary.py", "dictionary.py.j2", _dictionary(standard)
        yield "tags.py", "tags.py.j2", _tags(standard)
        yield "uids.py", "uids.py.j2", _uids(standard)
    if standard.part03 is not None:
        from dicomstd.codegen import emit_spec

        yield from emit_spec.files(standard)
        from dicomstd.codegen import emit_classes

        yield from emit_classes.files(standard)
        from dicomstd.codegen import emit_conditions

        yield from emit_conditions.files(standard)


def _base(standard: Standard, number: int) -> Context:
    return {
        "parts": render.header_parts(standard, (number,)),
        "title": render.part_label(standard, number),
    }


# -- PS3.5 -------------------------------------------------------------------------------------
def vr_summary(vr: ValueRepresentation) -> str:
    if vr.max_length is None:
        limit = vr.length_text.rstrip(".") or "no length limit"
    else:
        kind = "fixed" if vr.fixed_length else "maximum"
        group = " per component group" if vr.per_component_group else ""
        limit = f"{vr.max_length} {vr.length_unit} {kind}{group}"
    return f"{vr.name}: {limit}."


def _vrs(standard: Standard) -> Context:
    assert standard.part05 is not None
    vrs = sorted(standard.part05.vrs, key=lambda v: v.code)
    context = _base(standard, 5)
    context["source"] = vrs[0].source if vrs else ""
    context["vrs"] = [
        {
            "code": vr.code,
            "name": vr.name,
            "summary": vr_summary(vr),
            "definition": vr.definition,
            "repertoire": vr.repertoire,
            "length_text": vr.length_text,
            "max_length": vr.max_length,
            "fixed_length": vr.fixed_length,
            "length_unit": vr.length_unit,
            "per_component_group": vr.per_component_group,
            "query_max_length": vr.query_max_length,
            "source": vr.source,
            "row": vr.row,
        }
        for vr in vrs
    ]
    return context


def _pixel_encodings(standard: Standard) -> Context:
    assert standard.part05 is not None
    context = _base(standard, 5)
    context["tables"] = [
        render.line_call("Table", tuple(table)) for table in standard.part05.pixel_tables
    ]
    context["rules"] = [
        render.line_call("PixelEncoding", tuple(rule)) for rule in standard.part05.pixel_encodings
    ]
    context["long_lines"] = render.long_lines(context["tables"] + context["rules"], indent=4)
    native = standard.part05.native_excluded
    context["native_source"] = native[0] if native is not None else ""
    context["native_excluded"] = native[1] if native is not None else ()
    return context


# -- PS3.6 -------------------------------------------------------------------------------------
def _element_order(entry: DataElementEntry) -> tuple[int, int, str, int]:
    return (entry.tag.value, entry.tag.mask, entry.source, entry.row)


def element_row(entry: DataElementEntry) -> tuple[object, ...]:
    return (
        entry.tag.value,
        entry.tag.mask,
        entry.name,
        entry.keyword,
        " ".join(entry.vrs),
        entry.vm,
        entry.retired,
        entry.source,
        entry.note,
    )


def element_doc(entry: DataElementEntry) -> str:
    vr = " or ".join(entry.vrs) or "no VR"
    vm = f"VM {entry.vm}" if entry.vm else "VM not given"
    retired = " Retired." if entry.retired else ""
    return f"{entry.tag} {entry.name}: {vr}, {vm}.{retired}"


def _dictionary(standard: Standard) -> Context:
    assert standard.part06 is not None
    context = _base(standard, 6)
    entries = sorted(standard.part06.data_elements, key=_element_order)
    context["rows"] = [render.line_tuple(element_row(e)) for e in entries]
    context["long_lines"] = render.long_lines(context["rows"], indent=4)
    return context


def _tags(standard: Standard) -> Context:
    assert standard.part06 is not None
    context = _base(standard, 6)
    seen: set[str] = set()
    tags = []
    for entry in sorted(standard.part06.data_elements, key=_element_order):
        if not entry.keyword or entry.keyword in seen:
            continue
        seen.add(entry.keyword)
        tags.append({"keyword": entry.keyword, "value": entry.tag.value, "doc": element_doc(entry)})
    context["tags"] = tags
    return context


def uid_doc(uid: UidEntry) -> str:
    retired = " Retired." if uid.retired else ""
    kind = f" ({uid.type})" if uid.type else ""
    return f"{uid.name}{kind}.{retired}"


def _uids(standard: Standard) -> Context:
    assert standard.part06 is not None
    context = _base(standard, 6)
    uids = sorted(standard.part06.uids, key=lambda uid: (uid_order(uid.value), uid.source))
    context["keyword_rule"] = UID_KEYWORD_RULE
    context["constants"] = [
        {"keyword": u.keyword, "value": u.value, "doc": uid_doc(u)} for u in uids if u.keyword
    ]
    context["rows"] = [render.line_tuple(tuple(u)) for u in uids]
    context["long_lines"] = render.long_lines(context["rows"], indent=4)
    return context
