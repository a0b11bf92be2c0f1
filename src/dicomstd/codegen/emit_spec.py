"""Emit the requirement data of PS3.3: one file per attribute table (its rows as published, with
Include rows naming the included table's module key) and an index of tables and IODs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dicomstd.codegen import render
from dicomstd.codegen.model import (
    AttributeRow,
    AttributeTable,
    IncludeRow,
    Iod,
    IodModule,
    Part03,
    PlaceholderRow,
    Standard,
    ValueList,
)
from dicomstd.codegen.passes.expand import include_target, module_keys, recursive_includes
from dicomstd.codegen.render import Literal, call, line_call

Context = dict[str, Any]


def files(standard: Standard) -> Iterator[tuple[str, str, Context]]:
    part03 = standard.part03
    if part03 is None:
        return
    keys = module_keys(part03)
    recursive = recursive_includes(part03)
    edition = render.part_label(standard, 3)
    errata: dict[str, list[str]] = {}
    for diagnostic in standard.diagnostics:
        if diagnostic.code == "erratum-applied" and diagnostic.table:
            errata.setdefault(diagnostic.table, []).append(diagnostic.message)
    for table_id, key in sorted(keys.items(), key=lambda item: item[1]):
        table = part03.tables[table_id]
        rows = [_row(table, row, part03, keys, recursive) for row in table.rows]
        rendered = [r for r in rows if r is not None]
        used = {r[0] for r in rendered} | {"Row"}
        if any(isinstance(row, AttributeRow) and row.values for row in table.rows):
            used.add("V")
        label = table_id.removeprefix("table_")
        doc = f"{table.caption}: {edition} table {label}, one row per line as published."
        for message in errata.get(table_id, []):
            doc += "\n" + message
        yield (
            f"spec/{key}.py",
            "spec_table.py.j2",
            {
                "parts": render.header_parts(standard, (3,)),
                "doc": doc,
                "rows": [r[1] for r in rendered],
                "long_lines": render.long_lines((r[1] for r in rendered), indent=4),
                "imports": sorted(used),
            },
        )
    yield "spec/__init__.py", "spec_index.py.j2", _index(standard, keys)


def _values(values: tuple[ValueList, ...]) -> Literal:
    items = []
    for value in values:
        kwargs: list[tuple[str, object]] = []
        if value.value_index is not None:
            kwargs.append(("value_index", value.value_index))
        if value.qualifier:
            kwargs.append(("qualifier", value.qualifier))
        items.append(line_call("V", [value.kind, value.values], kwargs))
    inner = ", ".join(items)
    return Literal(f"({inner},)" if len(items) == 1 else f"({inner})")


def _row(
    table: AttributeTable,
    row: AttributeRow | IncludeRow | PlaceholderRow,
    part03: Part03,
    keys: dict[str, str],
    recursive: set[tuple[str, str]],
) -> tuple[str, str] | None:
    if isinstance(row, AttributeRow):
        kwargs: list[tuple[str, object]] = []
        if row.tag.repeating:
            kwargs.append(("mask", row.tag.mask))
        if row.condition is not None:
            kwargs.append(("condition", row.condition))
        if row.values:
            kwargs.append(("values", _values(row.values)))
        if row.item_count is not None:
            kwargs.append(("item_count", row.item_count))
        if row.item_counts:
            kwargs.append(("item_counts", row.item_counts))
        type_text = row.type.value if row.type is not None else ""
        args: list[object] = [row.depth, row.tag.value, type_text, row.name, row.row]
        return "A", line_call("A", args, kwargs)
    if isinstance(row, IncludeRow):
        target = include_target(part03, row.target)
        condition: list[tuple[str, object]] = []
        if row.condition:
            condition.append(("condition", row.condition))
        if target is None:
            return "U", line_call("U", [row.depth, row.target, row.text, row.row], condition)
        if (table.id, target) in recursive:
            return "R", line_call("R", [row.depth, keys[target], row.text, row.row], condition)
        note: list[tuple[str, object]] = [("note", row.note)] if row.note else []
        return "I", line_call("I", [row.depth, keys[target], row.row], condition + note)
    if row.kind == "heading":
        return None
    extra: list[tuple[str, object]] = [("type", row.type.value)] if row.type is not None else []
    return "P", line_call("P", [row.depth, row.kind, row.text, row.row], extra)


def _module_row(use: IodModule, keys_by_source: dict[str, str], sources: dict[str, str]) -> str:
    """``sources``: module key -> its table id."""
    base = None
    if use.module is not None:
        base = keys_by_source.get(sources[use.module])
    args: list[object] = [use.name, use.ie, use.usage.value, use.condition, base, use.row]
    return call("ModuleRow", args, [("note", use.note)] if use.note else [], indent=12)


def _index(standard: Standard, keys: dict[str, str]) -> Context:
    assert standard.part03 is not None
    tables = [
        (key, standard.part03.tables[table_id])
        for table_id, key in sorted(keys.items(), key=lambda item: item[1])
    ]
    sources = {m.key: m.source for m in standard.modules}
    iods: list[Context] = []
    for iod in standard.iods:
        iods.append(_iod(iod, keys, sources))
    return {
        "parts": render.header_parts(standard, (3, 4)),
        "edition": render.part_label(standard, 3),
        "tables": [
            call("", [t.name, t.kind, t.id], indent=4).replace("(", f"{render.py(k)}: (", 1)
            for k, t in tables
        ],
        "iods": iods,
        "specialization_imports": specialization_imports(standard),
    }


def _iod(iod: Iod, keys: dict[str, str], sources: dict[str, str]) -> Context:
    return {
        "key": iod.key,
        "name": iod.name,
        "source": iod.source,
        "sop_classes": [call("", [uid, name], indent=12) for uid, name in iod.sop_classes],
        "modules": [_module_row(m, keys, sources) for m in iod.modules],
        "functional_groups": [_module_row(m, keys, sources) for m in iod.functional_groups],
        "specializations": specialization_rows(iod),
    }


def specialization_imports(standard: Standard) -> list[str]:
    """The row records the IODs' specializations use, for the index's import line."""
    specials = [special for iod in standard.iods for special in iod.specializations]
    return (["S"] if specials else []) + (["V"] if any(s.values for s in specials) else [])


def specialization_rows(iod: Iod) -> list[str]:
    """``S(...)`` lines of an IOD's specializations (``spec_specializations.py.j2``)."""
    out = []
    for special in iod.specializations:
        args: list[object] = [special.tag, special.module, special.replaces, special.source]
        kwargs: list[tuple[str, object]] = []
        if special.values:
            kwargs.append(("values", _values(special.values)))
        out.append(call("S", args, kwargs, indent=12))
    return out
