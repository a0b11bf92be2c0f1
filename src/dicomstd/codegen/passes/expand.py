"""Build the attribute tree of every PS3.3 attribute table: ``>`` depths become nested items,
Include rows are expanded in place (recursively, with cycle detection), and every attribute is
joined to the PS3.6 dictionary (keyword, VR, VM, retired).

An Include whose target is not in the document becomes an ``unresolved-include`` placeholder, an
Include that would recurse becomes an ``include-cycle`` placeholder; both are reported. Attributes
the dictionary lacks keep PS3.3's name and tag, are marked ``in_dictionary=False`` and listed.
"""

from __future__ import annotations

from typing import Literal

import attrs

from dicomstd import trees
from dicomstd.codegen import naming
from dicomstd.codegen.diagnostics import Diagnostics, Severity
from dicomstd.codegen.model import (
    Attribute,
    AttributeRow,
    AttributeTable,
    DataElementEntry,
    IncludeRow,
    Module,
    Part03,
    PlaceholderRow,
    Standard,
    TableRow,
    TagSpec,
)
from dicomstd.nesting import Placement
from dicomstd.tag import RepeatingGroups


class Dictionary:
    """PS3.6 entries by exact tag and by repeating-group mask."""

    def __init__(self, entries: tuple[DataElementEntry, ...]) -> None:
        self.exact: dict[int, DataElementEntry] = {}
        self.masked = RepeatingGroups[DataElementEntry]()
        for entry in entries:
            if entry.tag.repeating:
                self.masked.add(entry.tag.value, entry.tag.mask, entry)
            else:
                self.exact.setdefault(entry.tag.value, entry)

    def get(self, tag: TagSpec) -> DataElementEntry | None:
        if tag.repeating:
            return self.masked.get(tag.value, tag.mask)
        found = self.exact.get(tag.value)
        return found if found is not None else self.masked.match(tag.value)


class _Expander:
    def __init__(self, part03: Part03, dictionary: Dictionary, diagnostics: Diagnostics) -> None:
        self.part03 = part03
        self.dictionary = dictionary
        self.memo: dict[str, tuple[Attribute, ...]] = {}
        self.diagnostics = diagnostics
        self.unknown: dict[TagSpec, str] = {}
        self.recursive = recursive_includes(part03)

    def report(
        self,
        code: str,
        table: str,
        row: int | None,
        message: str,
        severity: Severity = Severity.WARNING,
    ) -> None:
        self.diagnostics.add(code, message, table=table, row=row, severity=severity)

    def expand(self, table_id: str) -> tuple[Attribute, ...]:
        cached = self.memo.get(table_id)
        if cached is not None:
            return cached
        table = self.part03.tables[table_id]
        result = self._build(table)
        self.memo[table_id] = result
        return result

    def _build(self, table: AttributeTable) -> tuple[Attribute, ...]:
        def read(row: TableRow, place: Placement[trees.Branch[Attribute]]) -> trees.Read[Attribute]:
            if place.deeper is not None:
                self.report(
                    "depth-jump",
                    table.id,
                    row.row,
                    f"row is {row.depth} levels deep but the row before is only {place.deeper}; "
                    "attached to the deepest open sequence",
                )
            if place.climbed:
                self.report(
                    "depth-jump",
                    table.id,
                    row.row,
                    "nested row after an Include or placeholder; attached one level up",
                )
            parent = place.parent
            if parent is not None and not parent.children:
                self.check_parent(table.id, row.row, parent.entry)
            if isinstance(row, AttributeRow):
                return trees.single(self.attribute(table, row), opens=True)
            if isinstance(row, IncludeRow):
                return trees.include(self.include(table, row), _is_attribute)
            return trees.single(self.placeholder(table, row), opens=False)

        return tuple(trees.build(table.rows, _depth, read, _attach))

    def attribute(self, table: AttributeTable, row: AttributeRow) -> Attribute:
        entry = self.dictionary.get(row.tag)
        if entry is None:
            if row.tag not in self.unknown:
                self.unknown[row.tag] = row.name
                self.report(
                    "not-in-dictionary",
                    table.id,
                    row.row,
                    f"{row.tag} {row.name} is not in the PS3.6 dictionary; kept with PS3.3's "
                    "name and tag, VR, VM and keyword unknown",
                )
            return Attribute(
                kind="attribute",
                name=row.name,
                tag=row.tag,
                keyword="",
                type=row.type,
                condition=row.condition,
                in_dictionary=False,
                values=row.values,
                source=table.id,
                row=row.row,
            )
        return Attribute(
            kind="attribute",
            name=row.name,
            tag=row.tag,
            keyword=entry.keyword,
            type=row.type,
            condition=row.condition,
            vrs=entry.vrs,
            vm=entry.vm,
            retired=entry.retired,
            values=row.values,
            source=table.id,
            row=row.row,
        )

    def include(self, table: AttributeTable, row: IncludeRow) -> tuple[Attribute, ...]:
        target = include_target(self.part03, row.target)
        if target is None:
            self.report(
                "unresolved-include",
                table.id,
                row.row,
                f"Include of {row.target!r}, which is not in this document; a placeholder "
                "marks the gap",
            )
            return (_include_placeholder("unresolved-include", table, row, row.target),)
        if (table.id, target) in self.recursive:
            if row.depth > 0:
                self.report(
                    "include-cycle",
                    table.id,
                    row.row,
                    f"Include of {target} leads back to {table.id} from inside a sequence's "
                    "items: a recursive structure; a placeholder refers back to the table",
                    Severity.INFO,
                )
            else:
                self.report(
                    "include-cycle",
                    table.id,
                    row.row,
                    f"Include of {target} leads back to {table.id} at the top level, an endless "
                    "recursion; a placeholder stops it",
                )
            return (_include_placeholder("include-cycle", table, row, target),)
        included = self.expand(target)
        if row.condition is None:
            return included
        return tuple(attrs.evolve(a, include_condition=row.condition) for a in included)

    def placeholder(self, table: AttributeTable, row: PlaceholderRow) -> Attribute | None:
        if row.kind == "heading":
            self.report(
                "heading-row",
                table.id,
                row.row,
                f"caption row {row.text!r} (not an attribute)",
                Severity.INFO,
            )
            return None
        return Attribute(
            kind=row.kind,
            name=row.text,
            tag=None,
            keyword="",
            type=row.type,
            condition=None,
            source=table.id,
            row=row.row,
        )

    def check_parent(self, table: str, row: int, parent: Attribute) -> None:
        """Nested rows need a sequence above them; reported at the first such row."""
        if parent.kind == "attribute" and parent.in_dictionary and "SQ" not in parent.vrs:
            self.report(
                "items-under-non-sequence",
                table,
                row,
                f"{parent.tag} {parent.name} has nested rows but its VR is "
                f"{' or '.join(parent.vrs) or 'unknown'}, not SQ",
            )


def _depth(row: TableRow) -> int:
    return row.depth


def _is_attribute(attribute: Attribute) -> bool:
    return attribute.kind == "attribute"


def _attach(attribute: Attribute, items: list[Attribute]) -> Attribute:
    return attrs.evolve(attribute, items=attribute.items + tuple(items))


def _include_placeholder(
    kind: Literal["unresolved-include", "include-cycle"],
    table: AttributeTable,
    row: IncludeRow,
    target: str,
) -> Attribute:
    """The visible mark an Include row leaves when its table cannot be expanded there."""
    return Attribute(
        kind=kind,
        name=row.text,
        tag=None,
        keyword="",
        type=None,
        condition=None,
        source=table.id,
        row=row.row,
        include_condition=row.condition,
        target=target,
    )


def include_target(part03: Part03, target: str) -> str | None:
    """The attribute table an Include row's target (a table or section id) names, if present."""
    if target in part03.tables:
        return target
    return part03.section_tables.get(target)


def recursive_includes(part03: Part03) -> set[tuple[str, str]]:
    """Include edges (table, target) whose target leads back to the including table.

    They are kept as back-references, never expanded (:func:`dicomstd.trees.recursive_includes`).
    """
    edges: dict[str, set[str]] = {}
    for table in part03.tables.values():
        for row in table.rows:
            if isinstance(row, IncludeRow):
                target = include_target(part03, row.target)
                if target is not None:
                    edges.setdefault(table.id, set()).add(target)
    return trees.recursive_includes(edges)


def module_keys(part03: Part03) -> dict[str, str]:
    """Table id -> a unique module key derived from the table's name (``patient_module``)."""
    keys: dict[str, str] = {}
    used: set[str] = set()
    for table_id in sorted(part03.tables, key=lambda t: (naming.snake(part03.tables[t].name), t)):
        keys[table_id] = naming.unique_key(part03.tables[table_id].name, table_id, used)
    return keys


def run(standard: Standard) -> Standard:
    part03 = standard.part03
    if part03 is None:
        return standard
    entries = standard.part06.data_elements if standard.part06 is not None else ()
    expander = _Expander(part03, Dictionary(entries), standard.diagnostics_for(3))
    keys = module_keys(part03)
    modules = []
    for table_id in sorted(part03.tables):
        table = part03.tables[table_id]
        modules.append(
            Module(keys[table_id], table.name, table.kind, table_id, expander.expand(table_id))
        )
    unknown = tuple(sorted((str(tag), name) for tag, name in expander.unknown.items()))
    return attrs.evolve(
        standard,
        modules=tuple(sorted(modules, key=lambda m: m.key)),
        unknown_attributes=unknown,
        diagnostics=standard.diagnostics + tuple(expander.diagnostics),
    )
