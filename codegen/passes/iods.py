"""Resolve every IOD: module references -> modules, functional group macros -> macros, the IOD's
functional group macros placed into the items of its Shared and Per-frame Functional Groups
Sequences, and the SOP Classes PS3.4 specifies with it."""

from __future__ import annotations

from pathlib import Path

import attrs

from codegen import naming
from codegen.diagnostics import Diagnostic, Severity
from codegen.model import Attribute, Iod, IodModule, IodTable, Module, ModuleReference, Standard


def _with_functional_groups(
    attributes: tuple[Attribute, ...], groups: tuple[tuple[str, tuple[Attribute, ...]], ...]
) -> tuple[tuple[Attribute, ...], bool]:
    """Replace each ``functional-groups`` placeholder by the IOD's macros, at any depth."""
    out: list[Attribute] = []
    replaced = False
    for attribute in attributes:
        if attribute.kind == "functional-groups":
            for name, macro in groups:
                out.extend(attrs.evolve(a, functional_group=name) for a in macro)
            replaced = True
            continue
        if attribute.items:
            items, inner = _with_functional_groups(attribute.items, groups)
            if inner:
                attribute = attrs.evolve(attribute, items=items)
                replaced = True
        out.append(attribute)
    return tuple(out), replaced


def _note(reference: ModuleReference) -> str:
    """The text after an M or U usage (a C usage's text is its condition)."""
    if reference.condition is not None:
        return ""
    from codegen.part03 import usage

    parsed = usage(reference.usage_text)
    return parsed[1] or "" if parsed is not None else ""


def run(standard: Standard) -> Standard:
    part03 = standard.part03
    info = standard.part(3)
    if part03 is None or info is None:
        return standard
    file = Path(info.path).name
    diagnostics: list[Diagnostic] = []
    by_table = {module.source: module for module in standard.modules}
    extra_modules: list[Module] = []

    def resolve(iod: IodTable, reference: ModuleReference, what: str) -> Module | None:
        table_id = (
            reference.reference
            if reference.reference in part03.tables
            else part03.section_tables.get(reference.reference)
        )
        module = by_table.get(table_id) if table_id else None
        if module is None:
            diagnostics.append(
                Diagnostic(
                    file,
                    iod.id,
                    reference.row,
                    f"{what}-not-found",
                    Severity.WARNING,
                    f"{reference.name}: {reference.reference!r} holds no attribute table "
                    "in this document",
                )
            )
        return module

    iods: list[Iod] = []
    keys: set[str] = set()
    for table in part03.iods:
        key = naming.snake(table.name)
        if key in keys:
            key = f"{key}_{naming.table_key(table.id)}"
        keys.add(key)
        entries: list[tuple[ModuleReference, Module | None]] = [
            (ref, resolve(table, ref, "module")) for ref in table.modules
        ]
        groups: list[IodModule] = []
        macros: list[tuple[str, tuple[Attribute, ...]]] = []
        for ref in table.functional_groups:
            macro = resolve(table, ref, "functional-group")
            groups.append(
                IodModule(
                    ref.name,
                    ref.ie,
                    ref.usage,
                    ref.condition,
                    macro.key if macro else None,
                    ref.row,
                    _note(ref),
                )
            )
            if macro is not None:
                macros.append((ref.name, macro.attributes))
        modules: list[IodModule] = []
        placed = False
        for ref, module in entries:
            module_key = module.key if module else None
            if module is not None and macros:
                attributes, replaced = _with_functional_groups(module.attributes, tuple(macros))
                if replaced:
                    special = attrs.evolve(
                        module, key=f"{module.key}__{key}", attributes=attributes
                    )
                    extra_modules.append(special)
                    module_key = special.key
                    placed = True
            modules.append(
                IodModule(
                    ref.name, ref.ie, ref.usage, ref.condition, module_key, ref.row, _note(ref)
                )
            )
        if macros and not placed:
            diagnostics.append(
                Diagnostic(
                    file,
                    table.id,
                    None,
                    "functional-groups-not-placed",
                    Severity.WARNING,
                    "the IOD has functional group macros but none of its modules "
                    "has an 'Include … Functional Group Macros' row",
                )
            )
        iods.append(Iod(key, table.name, table.id, tuple(modules), tuple(groups), ()))
    iods = _attach_sop_classes(standard, iods, file, diagnostics)
    return attrs.evolve(
        standard,
        modules=tuple(sorted(standard.modules + tuple(extra_modules), key=lambda m: m.key)),
        iods=tuple(sorted(iods, key=lambda i: i.key)),
        diagnostics=standard.diagnostics + tuple(diagnostics),
    )


def _attach_sop_classes(
    standard: Standard, iods: list[Iod], file: str, diagnostics: list[Diagnostic]
) -> list[Iod]:
    part03, part04 = standard.part03, standard.part04
    if part03 is None or part04 is None:
        return iods
    by_table = {iod.source: iod for iod in iods}
    found: dict[str, list[tuple[str, str]]] = {}
    absent = 0
    for sop in part04.sop_classes:
        table_id = part03.iod_sections.get(sop.iod_reference)
        if table_id is None or table_id not in by_table:
            absent += 1
            diagnostics.append(
                Diagnostic(
                    "part04.xml",
                    sop.source,
                    sop.row,
                    "sop-class-iod-absent",
                    Severity.INFO,
                    f"{sop.name} ({sop.uid}): its IOD ({sop.iod_text}) is not in the PS3.3 input",
                )
            )
            continue
        found.setdefault(table_id, []).append((sop.uid, sop.name))
    out = []
    for iod in iods:
        sop_classes = tuple(
            sorted(found.get(iod.source, ()), key=lambda s: tuple(int(a) for a in s[0].split(".")))
        )
        if not sop_classes:
            diagnostics.append(
                Diagnostic(
                    file,
                    iod.source,
                    None,
                    "iod-without-sop-class",
                    Severity.INFO,
                    f"no SOP Class of PS3.4 specifies {iod.name}",
                )
            )
        out.append(attrs.evolve(iod, sop_classes=sop_classes))
    return out
