"""Resolve every IOD: module references -> modules, functional group macros -> macros, the IOD's
functional group macros placed into the items of its Shared and Per-frame Functional Groups
Sequences, and the SOP Classes PS3.4 specifies with it."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from dicomstd import trees
from dicomstd.codegen import naming
from dicomstd.codegen.diagnostics import Diagnostics
from dicomstd.codegen.model import (
    Attribute,
    Iod,
    IodModule,
    IodTable,
    Module,
    ModuleReference,
    Standard,
)
from dicomstd.codegen.passes.expand import include_target


class _Shape:
    """The generator's attributes to :func:`dicomstd.trees.place_functional_groups`."""

    def children(self, entry: Attribute) -> tuple[Attribute, ...]:
        return entry.items

    def with_children(self, entry: Attribute, children: Sequence[Attribute]) -> Attribute:
        return attrs.evolve(entry, items=tuple(children))

    def is_slot(self, entry: Attribute) -> bool:
        return entry.kind == "functional-groups"

    def in_group(self, entry: Attribute, name: str) -> Attribute:
        return attrs.evolve(entry, functional_group=name)


_SHAPE: trees.Shape[Attribute] = _Shape()


def run(standard: Standard) -> Standard:
    part03 = standard.part03
    if part03 is None:
        return standard
    found = standard.diagnostics_for(3)
    by_table = {module.source: module for module in standard.modules}
    extra_modules: list[Module] = []

    def resolve(iod: IodTable, reference: ModuleReference, what: str) -> Module | None:
        table_id = include_target(part03, reference.reference)
        module = by_table.get(table_id) if table_id else None
        if module is None:
            found.warn(
                f"{what}-not-found",
                f"{reference.name}: {reference.reference!r} holds no attribute table "
                "in this document",
                table=iod.id,
                row=reference.row,
            )
        return module

    iods: list[Iod] = []
    keys: set[str] = set()
    for table in part03.iods:
        key = naming.unique_key(table.name, table.id, keys)
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
                    ref.note,
                )
            )
            if macro is not None:
                macros.append((ref.name, macro.attributes))
        modules: list[IodModule] = []
        placed = False
        for ref, module in entries:
            module_key = module.key if module else None
            if module is not None and macros:
                placed_in = trees.place_functional_groups(module.attributes, macros, _SHAPE)
                if placed_in is not None:
                    special = attrs.evolve(
                        module, key=f"{module.key}__{key}", attributes=tuple(placed_in)
                    )
                    extra_modules.append(special)
                    module_key = special.key
                    placed = True
            modules.append(
                IodModule(ref.name, ref.ie, ref.usage, ref.condition, module_key, ref.row, ref.note)
            )
        if macros and not placed:
            found.warn(
                "functional-groups-not-placed",
                "the IOD has functional group macros but none of its modules "
                "has an 'Include … Functional Group Macros' row",
                table=table.id,
            )
        iods.append(Iod(key, table.name, table.id, tuple(modules), tuple(groups), ()))
    in_part04 = standard.diagnostics_for(4)
    iods = _attach_sop_classes(standard, iods, found, in_part04)
    return attrs.evolve(
        standard,
        modules=tuple(sorted(standard.modules + tuple(extra_modules), key=lambda m: m.key)),
        iods=tuple(sorted(iods, key=lambda i: i.key)),
        diagnostics=standard.diagnostics + tuple(found) + tuple(in_part04),
    )


def _attach_sop_classes(
    standard: Standard, iods: list[Iod], in_part03: Diagnostics, in_part04: Diagnostics
) -> list[Iod]:
    part03, part04 = standard.part03, standard.part04
    if part03 is None or part04 is None:
        return iods
    by_table = {iod.source: iod for iod in iods}
    specified: dict[str, list[tuple[str, str]]] = {}
    for sop in part04.sop_classes:
        table_id = part03.iod_sections.get(sop.iod_reference)
        if table_id is None or table_id not in by_table:
            in_part04.info(
                "sop-class-iod-absent",
                f"{sop.name} ({sop.uid}): its IOD ({sop.iod_text}) is not in the PS3.3 input",
                table=sop.source,
                row=sop.row,
            )
            continue
        specified.setdefault(table_id, []).append((sop.uid, sop.name))
    out = []
    for iod in iods:
        sop_classes = tuple(
            sorted(
                specified.get(iod.source, ()), key=lambda s: tuple(int(a) for a in s[0].split("."))
            )
        )
        if not sop_classes:
            in_part03.info(
                "iod-without-sop-class",
                f"no SOP Class of PS3.4 specifies {iod.name}",
                table=iod.source,
            )
        out.append(attrs.evolve(iod, sop_classes=sop_classes))
    return out
