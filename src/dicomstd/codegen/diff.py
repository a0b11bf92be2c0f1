"""Report what changed between two editions of the standard, comparing the parsed models.

``python -m dicomstd.codegen diff OLD NEW [--format text|json]``. OLD and NEW are edition names,
found like
generation inputs (``$DICOMSTD_STANDARD_DIR/<edition>/``, then ``standard/cache/<edition>/``),
or folders holding ``partNN.xml`` files. The parts both sides have are parsed and compared:

* PS3.6: data elements added, removed, retired, un-retired, and changed name, keyword, VR or VM
  (by tag, repeating-group masks kept); UIDs added, removed, retired, un-retired, renamed, and
  changed keyword or type (by UID value);
* PS3.5: Value Representations added, removed, and changed name or length limits;
* PS3.4: Storage SOP Classes added, removed, and changed name or IOD;
* PS3.3: IODs, modules and macros added and removed; per IOD, the modules and functional groups
  added, removed, and changed usage, condition or IE; per module, the attributes added and
  removed, and changed Type and condition (an attribute is identified by its path of tags
  through the item tree, so a nested attribute is known by its parent chain).

The text report has one change per line in a stable order and ends with a summary line of
counts; ``--format json`` gives the same for tools.

:func:`write_edition_change_report` is the generation hook: when a generation moves a part to
another edition than the one the previous generated code came from, it writes
``changes-<old>-to-<new>.txt`` and ``.json`` next to the generation report.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import attrs

from dicomstd.codegen import inputs
from dicomstd.codegen.diagnostics import InputError
from dicomstd.codegen.model import (
    Attribute,
    DataElementEntry,
    Iod,
    IodModule,
    Module,
    Part04,
    Part05,
    Part06,
    PartInfo,
    SopClass,
    Standard,
    UidEntry,
    ValueRepresentation,
    uid_order,
)

PARTS = (3, 4, 5, 6)
"""The parts a comparison can use (those the generator reads)."""

Value = str | int | bool | None
K = TypeVar("K")
E = TypeVar("E")


# -- the result ----------------------------------------------------------------------------------
@attrs.frozen
class Item:
    """One entry added, removed, retired or un-retired."""

    key: tuple[str, ...]
    """Its identity: ``(tag,)``, ``(uid,)``, ``(module, id, id…)``, ``(iod, kind, name)``."""
    label: str
    """What a person reads next to the key."""
    detail: str = ""


@attrs.frozen
class Change:
    """One field of an entry present on both sides that differs."""

    key: tuple[str, ...]
    label: str
    field: str
    old: Value
    new: Value


@attrs.frozen
class Section:
    added: tuple[Item, ...] = ()
    removed: tuple[Item, ...] = ()
    retired: tuple[Item, ...] = ()
    unretired: tuple[Item, ...] = ()
    changed: tuple[Change, ...] = ()
    notes: tuple[str, ...] = ()
    """What this comparison could not look at, and why."""

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.retired or self.unretired or self.changed)


@attrs.frozen
class Report:
    old: str
    new: str
    old_parts: tuple[PartInfo, ...]
    new_parts: tuple[PartInfo, ...]
    compared: tuple[int, ...]
    data_elements: Section | None = None
    uids: Section | None = None
    vrs: Section | None = None
    sop_classes: Section | None = None
    iods: Section | None = None
    iod_modules: Section | None = None
    modules: Section | None = None
    attributes: Section | None = None
    notes: tuple[str, ...] = ()


# -- generic comparison --------------------------------------------------------------------------
def _index(entries: Iterable[E], key: Callable[[E], K]) -> dict[K, E]:
    """Entries by key, the first of duplicates kept (the parsers report duplicates)."""
    out: dict[K, E] = {}
    for entry in entries:
        out.setdefault(key(entry), entry)
    return out


def _field_changes(
    key: tuple[str, ...],
    label: str,
    old: Mapping[str, Value],
    new: Mapping[str, Value],
) -> Iterator[Change]:
    for field, before in old.items():
        after = new[field]
        if before != after:
            yield Change(key, label, field, before, after)


# -- PS3.6 ---------------------------------------------------------------------------------------
def _vr_text(entry: DataElementEntry) -> str:
    return " or ".join(entry.vrs) if entry.vrs else entry.vr_text


def _element_label(entry: DataElementEntry) -> str:
    return f"{entry.name} ({entry.keyword})" if entry.keyword else entry.name


def _element_fields(entry: DataElementEntry) -> dict[str, Value]:
    return {"name": entry.name, "keyword": entry.keyword, "vr": _vr_text(entry), "vm": entry.vm}


def _same_vrs(old: DataElementEntry, new: DataElementEntry) -> bool:
    if old.vrs and new.vrs:
        return set(old.vrs) == set(new.vrs)
    return _vr_text(old) == _vr_text(new)


def compare_data_elements(old: Part06, new: Part06) -> Section:
    before = _index(old.data_elements, lambda e: e.tag)
    after = _index(new.data_elements, lambda e: e.tag)

    def item(entry: DataElementEntry) -> Item:
        detail = f"VR {_vr_text(entry) or '?'}, VM {entry.vm or '?'}"
        return Item((str(entry.tag),), _element_label(entry), detail)

    changes: list[Change] = []
    retired: list[Item] = []
    unretired: list[Item] = []
    for tag in sorted(before.keys() & after.keys()):
        was, now = before[tag], after[tag]
        if not was.retired and now.retired:
            retired.append(item(now))
        elif was.retired and not now.retired:
            unretired.append(item(now))
        fields_before, fields_after = _element_fields(was), _element_fields(now)
        if _same_vrs(was, now):
            del fields_before["vr"], fields_after["vr"]
        changes.extend(
            _field_changes((str(tag),), _element_label(now), fields_before, fields_after)
        )
    return Section(
        added=tuple(item(after[t]) for t in sorted(after.keys() - before.keys())),
        removed=tuple(item(before[t]) for t in sorted(before.keys() - after.keys())),
        retired=tuple(retired),
        unretired=tuple(unretired),
        changed=tuple(changes),
    )


_REFERENCE_NAME = re.compile(r"((CID|TID) \d+)?")


def name_by_reference(uid: UidEntry) -> bool:
    """Whether the registry gives this UID's name only as a reference into another part.

    Since 2014 the PS3.6 table of context groups names each one by an empty link to its PS3.16
    section (retirement was marked in the name before), so the model holds ``CID 2`` or nothing
    where an older edition holds ``CID 2 Anatomic Modifier``: neither name nor retirement of
    such a row can be compared.
    """
    return _REFERENCE_NAME.fullmatch(uid.name) is not None


def compare_uids(old: Part06, new: Part06) -> Section:
    """UIDs by value. A changed name is a rename (field ``name``); keywords are compared only
    when both editions have a keyword column (one derived from the name says nothing); name
    and retirement only when both editions give the name (see :func:`name_by_reference`)."""
    before = _index(old.uids, lambda u: u.value)
    after = _index(new.uids, lambda u: u.value)

    def item(uid: UidEntry) -> Item:
        return Item((uid.value,), uid.name, uid.type)

    changes: list[Change] = []
    retired: list[Item] = []
    unretired: list[Item] = []
    by_reference = 0
    for value in sorted(before.keys() & after.keys(), key=uid_order):
        was, now = before[value], after[value]
        fields: dict[str, tuple[Value, Value]] = {"type": (was.type, now.type)}
        if not (was.keyword_derived or now.keyword_derived):
            fields["keyword"] = (was.keyword, now.keyword)
        if name_by_reference(was) or name_by_reference(now):
            by_reference += (was.name, was.retired) != (now.name, now.retired)
        else:
            fields["name"] = (was.name, now.name)
            if not was.retired and now.retired:
                retired.append(item(now))
            elif was.retired and not now.retired:
                unretired.append(item(now))
        changes.extend(
            _field_changes(
                (value,),
                now.name,
                {k: v[0] for k, v in sorted(fields.items())},
                {k: v[1] for k, v in sorted(fields.items())},
            )
        )
    notes: tuple[str, ...] = ()
    if by_reference:
        notes = (
            f"{by_reference} UIDs are named only by a reference to another part in one edition "
            "(context groups: 'CID n'): their names and retirement are not compared",
        )
    return Section(
        added=tuple(item(after[v]) for v in sorted(after.keys() - before.keys(), key=uid_order)),
        removed=tuple(item(before[v]) for v in sorted(before.keys() - after.keys(), key=uid_order)),
        retired=tuple(retired),
        unretired=tuple(unretired),
        changed=tuple(changes),
        notes=notes,
    )


# -- PS3.5 ---------------------------------------------------------------------------------------
def _vr_fields(vr: ValueRepresentation) -> dict[str, Value]:
    return {
        "name": vr.name,
        "max_length": vr.max_length,
        "fixed_length": vr.fixed_length,
        "length_unit": vr.length_unit,
        "per_component_group": vr.per_component_group,
        "query_max_length": vr.query_max_length,
    }


def compare_vrs(old: Part05, new: Part05) -> Section:
    before = _index(old.vrs, lambda v: v.code)
    after = _index(new.vrs, lambda v: v.code)

    def item(vr: ValueRepresentation) -> Item:
        return Item((vr.code,), vr.name, vr.length_text)

    changes = [
        change
        for code in sorted(before.keys() & after.keys())
        for change in _field_changes(
            (code,), after[code].name, _vr_fields(before[code]), _vr_fields(after[code])
        )
    ]
    return Section(
        added=tuple(item(after[c]) for c in sorted(after.keys() - before.keys())),
        removed=tuple(item(before[c]) for c in sorted(before.keys() - after.keys())),
        changed=tuple(changes),
    )


# -- PS3.4 ---------------------------------------------------------------------------------------
def compare_sop_classes(old: Part04, new: Part04) -> Section:
    """Storage SOP Classes by UID: added, removed, and changed name or IOD (PS3.3 section)."""
    before = _index(old.sop_classes, lambda c: c.uid)
    after = _index(new.sop_classes, lambda c: c.uid)

    def item(sop: SopClass) -> Item:
        return Item((sop.uid,), sop.name, sop.iod_text)

    def fields(sop: SopClass) -> dict[str, Value]:
        return {"name": sop.name, "iod": sop.iod_reference}

    changes = [
        change
        for uid in sorted(before.keys() & after.keys(), key=uid_order)
        for change in _field_changes(
            (uid,), after[uid].name, fields(before[uid]), fields(after[uid])
        )
    ]
    return Section(
        added=tuple(item(after[u]) for u in sorted(after.keys() - before.keys(), key=uid_order)),
        removed=tuple(item(before[u]) for u in sorted(before.keys() - after.keys(), key=uid_order)),
        changed=tuple(changes),
    )


# -- PS3.3 ---------------------------------------------------------------------------------------
def _module_label(module: Module) -> str:
    return f"{module.name} [{module.source}]" if module.source else module.name


def _attribute_id(attribute: Attribute) -> str:
    if attribute.tag is not None:
        return str(attribute.tag)
    return f"{attribute.kind}: {attribute.name}"


def _attribute_label(attribute: Attribute) -> str:
    if attribute.tag is not None:
        return f"{attribute.name} {attribute.tag}"
    return f"[{attribute.kind}] {attribute.name}"


def attribute_paths(
    attributes: tuple[Attribute, ...],
) -> dict[tuple[str, ...], tuple[Attribute, str]]:
    """Every attribute of a module by its path of ids (tags) through the item tree, with a
    label naming the chain. A second attribute with the same id at one level gets ``#2``."""
    out: dict[tuple[str, ...], tuple[Attribute, str]] = {}

    def walk(items: tuple[Attribute, ...], path: tuple[str, ...], label: str) -> None:
        seen: dict[str, int] = {}
        for attribute in items:
            ident = _attribute_id(attribute)
            seen[ident] = seen.get(ident, 0) + 1
            if seen[ident] > 1:
                ident = f"{ident}#{seen[ident]}"
            here = (*path, ident)
            text = _attribute_label(attribute)
            full = f"{label} > {text}" if label else text
            out[here] = (attribute, full)
            walk(attribute.items, here, full)

    walk(attributes, (), "")
    return out


def _attribute_fields(attribute: Attribute) -> dict[str, Value]:
    return {
        "type": str(attribute.type) if attribute.type is not None else None,
        "condition": attribute.condition,
        "include_condition": attribute.include_condition,
    }


def _attribute_detail(attribute: Attribute) -> str:
    return f"Type {attribute.type}" if attribute.type is not None else ""


def compare_modules(old: tuple[Module, ...], new: tuple[Module, ...]) -> tuple[Section, Section]:
    """(modules and macros added/removed/renamed, their attributes added/removed/changed)."""
    before = _index(old, lambda m: m.key)
    after = _index(new, lambda m: m.key)

    def item(module: Module) -> Item:
        return Item((module.key,), _module_label(module), module.kind)

    module_changes: list[Change] = []
    added: list[Item] = []
    removed: list[Item] = []
    changed: list[Change] = []
    for key in sorted(before.keys() & after.keys()):
        was, now = before[key], after[key]
        module_changes.extend(
            _field_changes(
                (key,),
                _module_label(now),
                {"name": was.name, "kind": was.kind},
                {"name": now.name, "kind": now.kind},
            )
        )
        paths_before = attribute_paths(was.attributes)
        paths_after = attribute_paths(now.attributes)
        for path in sorted(paths_after.keys() - paths_before.keys()):
            attribute, label = paths_after[path]
            added.append(Item((key, *path), label, _attribute_detail(attribute)))
        for path in sorted(paths_before.keys() - paths_after.keys()):
            attribute, label = paths_before[path]
            removed.append(Item((key, *path), label, _attribute_detail(attribute)))
        for path in sorted(paths_before.keys() & paths_after.keys()):
            (attribute_before, _), (attribute_after, label) = paths_before[path], paths_after[path]
            changed.extend(
                _field_changes(
                    (key, *path),
                    label,
                    _attribute_fields(attribute_before),
                    _attribute_fields(attribute_after),
                )
            )
    modules = Section(
        added=tuple(item(after[k]) for k in sorted(after.keys() - before.keys())),
        removed=tuple(item(before[k]) for k in sorted(before.keys() - after.keys())),
        changed=tuple(module_changes),
    )
    return modules, Section(added=tuple(added), removed=tuple(removed), changed=tuple(changed))


def _iod_entries(iod: Iod) -> dict[tuple[str, str], IodModule]:
    """The modules and functional groups of an IOD by (kind, name); repeats get ``#2``."""
    out: dict[tuple[str, str], IodModule] = {}
    for kind, entries in (("module", iod.modules), ("functional-group", iod.functional_groups)):
        seen: dict[str, int] = {}
        for entry in entries:
            seen[entry.name] = seen.get(entry.name, 0) + 1
            name = entry.name if seen[entry.name] == 1 else f"{entry.name}#{seen[entry.name]}"
            out[(kind, name)] = entry
    return out


def _iod_entry_fields(entry: IodModule) -> dict[str, Value]:
    return {"usage": str(entry.usage), "condition": entry.condition, "ie": entry.ie}


def compare_iods(old: tuple[Iod, ...], new: tuple[Iod, ...]) -> tuple[Section, Section]:
    """(IODs added/removed/renamed, their modules and functional groups added/removed/changed)."""
    before = _index(old, lambda i: i.key)
    after = _index(new, lambda i: i.key)

    def item(iod: Iod) -> Item:
        return Item((iod.key,), f"{iod.name} [{iod.source}]" if iod.source else iod.name)

    def entry_item(iod: str, kind: str, name: str, entry: IodModule) -> Item:
        detail = f"{entry.ie}, usage {entry.usage}" if entry.ie else f"usage {entry.usage}"
        return Item((iod, kind, name), name, detail)

    iod_changes: list[Change] = []
    added: list[Item] = []
    removed: list[Item] = []
    changed: list[Change] = []
    for key in sorted(before.keys() & after.keys()):
        was, now = before[key], after[key]
        iod_changes.extend(_field_changes((key,), now.name, {"name": was.name}, {"name": now.name}))
        entries_before, entries_after = _iod_entries(was), _iod_entries(now)
        for kind, name in sorted(entries_after.keys() - entries_before.keys()):
            added.append(entry_item(key, kind, name, entries_after[(kind, name)]))
        for kind, name in sorted(entries_before.keys() - entries_after.keys()):
            removed.append(entry_item(key, kind, name, entries_before[(kind, name)]))
        for kind, name in sorted(entries_before.keys() & entries_after.keys()):
            changed.extend(
                _field_changes(
                    (key, kind, name),
                    name,
                    _iod_entry_fields(entries_before[(kind, name)]),
                    _iod_entry_fields(entries_after[(kind, name)]),
                )
            )
    iods = Section(
        added=tuple(item(after[k]) for k in sorted(after.keys() - before.keys())),
        removed=tuple(item(before[k]) for k in sorted(before.keys() - after.keys())),
        changed=tuple(iod_changes),
    )
    return iods, Section(added=tuple(added), removed=tuple(removed), changed=tuple(changed))


# -- both sides ----------------------------------------------------------------------------------
def edition_label(parts: Iterable[PartInfo]) -> str:
    """``2015b``, or ``2015b+2016c`` when the parts come from several editions."""
    editions = sorted({p.edition for p in parts})
    return "+".join(editions) if editions else "?"


def compare(
    old: Standard,
    new: Standard,
    *,
    old_label: str | None = None,
    new_label: str | None = None,
    notes: Iterable[str] = (),
    only: Iterable[int] | None = None,
) -> Report:
    """Compare two parsed standards, part by part, for the parts both have (of ``only``)."""
    old_numbers = {p.number for p in old.parts}
    new_numbers = {p.number for p in new.parts}
    wanted = set(only) if only is not None else old_numbers | new_numbers
    compared = tuple(sorted(old_numbers & new_numbers & wanted))
    all_notes = list(notes)
    for number in sorted((old_numbers ^ new_numbers) & wanted):
        side = "old" if number in old_numbers else "new"
        all_notes.append(f"PS3.{number} is only on the {side} side: not compared")
    fields: dict[str, Section | None] = {}
    if 6 in compared and old.part06 is not None and new.part06 is not None:
        fields["data_elements"] = compare_data_elements(old.part06, new.part06)
        fields["uids"] = compare_uids(old.part06, new.part06)
    if 5 in compared and old.part05 is not None and new.part05 is not None:
        fields["vrs"] = compare_vrs(old.part05, new.part05)
    if 4 in compared and old.part04 is not None and new.part04 is not None:
        fields["sop_classes"] = compare_sop_classes(old.part04, new.part04)
    if 3 in compared:
        fields["modules"], fields["attributes"] = compare_modules(old.modules, new.modules)
        fields["iods"], fields["iod_modules"] = compare_iods(old.iods, new.iods)
    for section in fields.values():
        if section is not None:
            all_notes.extend(section.notes)
    return Report(
        old=old_label or edition_label(old.parts),
        new=new_label or edition_label(new.parts),
        old_parts=old.parts,
        new_parts=new.parts,
        compared=compared,
        notes=tuple(all_notes),
        **fields,
    )


def side_parts(spec: str) -> list[inputs.ResolvedPart]:
    """The parts of one side: a folder of ``partNN.xml``, or an edition found like inputs."""
    from dicomstd.codegen import pipeline

    readable = [n for n in PARTS if n in pipeline.parsers()]
    folder = Path(spec)
    if folder.is_dir():
        found = [
            inputs.ResolvedPart(n, folder / f"part{n:02d}.xml", None)
            for n in readable
            if (folder / f"part{n:02d}.xml").is_file()
        ]
        where = str(folder)
    else:
        if "/" in spec or "\\" in spec or spec in ("", ".", ".."):
            raise InputError(spec, "no such folder")
        located = [(n, inputs.locate(spec, n)) for n in readable]
        found = [inputs.ResolvedPart(n, path, None) for n, path in located if path is not None]
        where = " or ".join(str(d / spec) for d in inputs.standard_dirs())
    if not found:
        names = ", ".join(f"part{n:02d}.xml" for n in readable)
        raise InputError(spec, f"none of {names} found in {where}")
    return found


def load_side(spec: str) -> Standard:
    from dicomstd.codegen import pipeline

    return pipeline.build(side_parts(spec))


# -- rendering -----------------------------------------------------------------------------------
_SECTIONS: tuple[tuple[str, str], ...] = (
    ("data_elements", "PS3.6 data elements"),
    ("uids", "PS3.6 UIDs"),
    ("vrs", "PS3.5 Value Representations"),
    ("sop_classes", "PS3.4 Storage SOP Classes"),
    ("iods", "PS3.3 IODs"),
    ("iod_modules", "PS3.3 modules and functional groups of IODs"),
    ("modules", "PS3.3 modules and macros"),
    ("attributes", "PS3.3 attributes of modules and macros"),
)


def _show(value: Value) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return repr(value)
    return str(value).lower() if isinstance(value, bool) else str(value)


def _item_line(sign: str, section: str, item: Item) -> str:
    if section == "attributes":
        head = f"{item.key[0]}: {item.label}"
    elif section == "iod_modules":
        kind = "" if item.key[1] == "module" else " (functional group)"
        head = f"{item.key[0]}: {item.label}{kind}"
    elif section in ("modules", "iods"):
        head = f"{item.key[0]} {item.label}"
    else:
        head = f"{item.key[0]} {item.label}".rstrip()
    return f"  {sign} {head}" + (f" — {item.detail}" if item.detail else "")


def _change_line(section: str, change: Change) -> str:
    if section == "attributes":
        head = f"{change.key[0]}: {change.label}"
    elif section == "iod_modules":
        kind = "" if change.key[1] == "module" else " (functional group)"
        head = f"{change.key[0]}: {change.label}{kind}"
    elif change.field == "name":
        head = change.key[0]  # the label is the name itself
    else:
        head = f"{change.key[0]} {change.label}"
    return f"  ~ {head}: {change.field} {_show(change.old)} -> {_show(change.new)}"


def _renames(section: Section) -> tuple[list[Change], list[Change]]:
    renamed = [c for c in section.changed if c.field == "name"]
    return renamed, [c for c in section.changed if c.field != "name"]


def counts(report: Report) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for name, _ in _SECTIONS:
        section: Section | None = getattr(report, name)
        if section is None:
            continue
        numbers = {"added": len(section.added), "removed": len(section.removed)}
        if name in ("data_elements", "uids"):
            numbers["retired"] = len(section.retired)
            numbers["unretired"] = len(section.unretired)
        if name == "uids":
            renamed, others = _renames(section)
            numbers["renamed"] = len(renamed)
            numbers["changed"] = len(others)
        else:
            numbers["changed"] = len(section.changed)
        out[name] = numbers
    return out


def summary_line(report: Report) -> str:
    names = {
        "data_elements": "data elements",
        "uids": "UIDs",
        "vrs": "VRs",
        "sop_classes": "SOP Classes",
        "iods": "IODs",
        "iod_modules": "IOD modules",
        "modules": "modules",
        "attributes": "module attributes",
    }
    pieces = []
    for name, numbers in counts(report).items():
        words = [f"+{numbers['added']} -{numbers['removed']}"]
        words += [
            f"{count} {word}" for word, count in numbers.items() if word not in ("added", "removed")
        ]
        pieces.append(f"{names[name]} {', '.join(words)}")
    compared = ", ".join(f"PS3.{n}" for n in report.compared) or "no common parts"
    body = "; ".join(pieces) if pieces else "nothing compared"
    return f"summary {report.old} -> {report.new} ({compared}): {body}"


def _parts_line(parts: tuple[PartInfo, ...]) -> str:
    return ", ".join(f"PS3.{p.number} {p.edition}" for p in parts) or "(none)"


def render_text(report: Report) -> str:
    lines = [
        f"Changes from {report.old} to {report.new}",
        f"old: {_parts_line(report.old_parts)}",
        f"new: {_parts_line(report.new_parts)}",
    ]
    lines += [f"note: {note}" for note in report.notes]
    for name, title in _SECTIONS:
        section: Section | None = getattr(report, name)
        if section is None:
            continue
        lines += ["", f"{title}:"]
        if not section:
            lines.append("  no changes")
            continue
        groups: list[tuple[str, list[str]]] = [
            ("added", [_item_line("+", name, i) for i in section.added]),
            ("removed", [_item_line("-", name, i) for i in section.removed]),
            ("retired", [_item_line("R", name, i) for i in section.retired]),
            ("un-retired", [_item_line("U", name, i) for i in section.unretired]),
        ]
        if name == "uids":
            renamed, others = _renames(section)
            groups.append(("renamed", [_change_line(name, c) for c in renamed]))
            groups.append(("changed", [_change_line(name, c) for c in others]))
        else:
            groups.append(("changed", [_change_line(name, c) for c in section.changed]))
        for word, entries in groups:
            if entries:
                lines.append(f" {word} ({len(entries)}):")
                lines += entries
    lines += ["", summary_line(report)]
    return "\n".join(lines) + "\n"


def _changes_json(section: Section, key_names: tuple[str, ...]) -> list[dict[str, Any]]:
    return [
        {
            **_key_json(change.key, key_names),
            "field": change.field,
            "old": change.old,
            "new": change.new,
        }
        for change in section.changed
    ]


def _key_json(key: tuple[str, ...], names: tuple[str, ...]) -> dict[str, Any]:
    """Name the parts of a key; a last name ``path`` takes the rest as a list."""
    out: dict[str, Any] = {}
    for index, name in enumerate(names):
        if name == "path":
            out[name] = list(key[index:])
            break
        out[name] = key[index] if index < len(key) else ""
    return out


def _registry_json(section: Section | None, key: str) -> dict[str, Any] | None:
    if section is None:
        return None
    return {
        "added": [i.key[0] for i in section.added],
        "removed": [i.key[0] for i in section.removed],
        "retired": [i.key[0] for i in section.retired],
        "unretired": [i.key[0] for i in section.unretired],
        "changed": _changes_json(section, (key,)),
    }


def render_json(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = {
        "old": report.old,
        "new": report.new,
        "parts": {
            "compared": list(report.compared),
            "old": [_part_json(p) for p in report.old_parts],
            "new": [_part_json(p) for p in report.new_parts],
        },
        "data_elements": _registry_json(report.data_elements, "tag"),
        "uids": None,
        "vrs": None,
        "sop_classes": None,
        "iods": None,
        "modules": None,
        "summary": counts(report),
        "notes": list(report.notes),
    }
    if report.uids is not None:
        renamed, others = _renames(report.uids)
        uids = _registry_json(attrs.evolve(report.uids, changed=tuple(others)), "uid")
        assert uids is not None
        uids["renamed"] = [{"uid": c.key[0], "old": c.old, "new": c.new} for c in renamed]
        data["uids"] = uids
    if report.vrs is not None:
        data["vrs"] = {
            "added": [i.key[0] for i in report.vrs.added],
            "removed": [i.key[0] for i in report.vrs.removed],
            "changed": _changes_json(report.vrs, ("vr",)),
        }
    if report.sop_classes is not None:
        data["sop_classes"] = {
            "added": [i.key[0] for i in report.sop_classes.added],
            "removed": [i.key[0] for i in report.sop_classes.removed],
            "changed": _changes_json(report.sop_classes, ("uid",)),
        }
    if report.iods is not None and report.iod_modules is not None:
        entries = report.iod_modules
        data["iods"] = {
            "added": [i.key[0] for i in report.iods.added],
            "removed": [i.key[0] for i in report.iods.removed],
            "changed": _changes_json(report.iods, ("iod",)),
            "modules": {
                "added": [
                    {**_key_json(i.key, ("iod", "kind", "module")), "detail": i.detail}
                    for i in entries.added
                ],
                "removed": [_key_json(i.key, ("iod", "kind", "module")) for i in entries.removed],
                "changed": _changes_json(entries, ("iod", "kind", "module")),
            },
        }
    if report.modules is not None and report.attributes is not None:
        attributes = report.attributes
        data["modules"] = {
            "added": [i.key[0] for i in report.modules.added],
            "removed": [i.key[0] for i in report.modules.removed],
            "changed": _changes_json(report.modules, ("module",)),
            "attributes": {
                "added": [
                    {**_key_json(i.key, ("module", "path")), "name": i.label, "detail": i.detail}
                    for i in attributes.added
                ],
                "removed": [
                    {**_key_json(i.key, ("module", "path")), "name": i.label}
                    for i in attributes.removed
                ],
                "changed": _changes_json(attributes, ("module", "path")),
            },
        }
    return data


def _part_json(part: PartInfo) -> dict[str, Any]:
    return {"part": part.number, "edition": part.edition, "path": part.path, "sha256": part.sha256}


def write(report: Report, stem: Path) -> tuple[Path, Path]:
    """Write ``<stem>.txt`` and ``<stem>.json``."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    text, data = stem.with_name(stem.name + ".txt"), stem.with_name(stem.name + ".json")
    text.write_text(render_text(report), encoding="utf-8")
    data.write_text(
        json.dumps(render_json(report), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return text, data


# -- the generation hook -------------------------------------------------------------------------
def generated_parts(folder: Path) -> dict[int, tuple[str, str]]:
    """Part number -> (edition, SHA-256) of the inputs the generated code in ``folder`` came
    from, read (never imported) from ``PARTS`` in its ``__init__.py``; empty when there is none."""
    init = folder / "__init__.py"
    try:
        tree = ast.parse(init.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return {}
    target: ast.expr
    expression: ast.expr | None
    for node in tree.body:
        if isinstance(node, ast.AnnAssign):
            target, expression = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, expression = node.targets[0], node.value
        else:
            continue
        if not (isinstance(target, ast.Name) and target.id == "PARTS") or expression is None:
            continue
        try:
            value = ast.literal_eval(expression)
        except ValueError:
            return {}
        out: dict[int, tuple[str, str]] = {}
        for entry in value if isinstance(value, tuple) else ():
            if (
                isinstance(entry, tuple)
                and len(entry) == 3
                and all(isinstance(x, str) for x in entry)
                and entry[0].startswith("PS3.")
                and entry[0][4:].isdigit()
            ):
                out[int(entry[0][4:])] = (entry[1], entry[2])
        return out
    return {}


def write_edition_change_report(
    previous: dict[int, tuple[str, str]], standard: Standard, folder: Path
) -> list[Path]:
    """When a part's edition differs from the one the previous generated code came from, write
    ``changes-<old>-to-<new>.txt`` and ``.json`` into ``folder``; return the paths written.

    When the previous edition's XML cannot be found or read, the report says so (and how to get
    it) instead of failing the generation.
    """
    from dicomstd.codegen import pipeline

    current = {p.number: p.edition for p in standard.parts}
    moved = {
        number: (previous[number][0], current[number])
        for number in sorted(previous.keys() & current.keys())
        if previous[number][0] != current[number]
    }
    if not moved:
        return []
    old_label = "+".join(sorted({old for old, _ in moved.values()}))
    new_label = "+".join(sorted({new for _, new in moved.values()}))
    stem = folder / f"changes-{old_label}-to-{new_label}"
    notes: list[str] = []
    old_parts: list[inputs.ResolvedPart] = []
    readable = pipeline.parsers()
    for number, (edition, _) in sorted(previous.items()):
        if number not in readable:
            continue
        path = inputs.locate(edition, number)
        if path is None:
            if number in moved:
                where = ", ".join(str(d / edition) for d in inputs.standard_dirs())
                notes.append(f"PS3.{number} {edition} XML not found (looked in {where})")
            continue
        old_parts.append(inputs.ResolvedPart(number, path, None))
    reason = ""
    if not any(p.part in moved for p in old_parts):
        reason = "the previous edition's XML is not available: " + "; ".join(notes)
    else:
        try:
            old = pipeline.build(old_parts)
        except InputError as error:
            reason = f"the previous edition's XML cannot be read: {error}"
    if reason:
        editions: dict[str, list[int]] = {}
        for number, (edition, _) in moved.items():
            editions.setdefault(edition, []).append(number)
        fetches = " and ".join(
            f"python -m dicomstd.codegen fetch --edition {edition} --parts "
            + ",".join(f"{n:02d}" for n in numbers)
            for edition, numbers in sorted(editions.items())
        )
        sides = f"{old_label} {new_label}" if "+" not in old_label + new_label else "OLD NEW"
        hint = (
            f"to compare, fetch it ({fetches}) or set DICOMSTD_STANDARD_DIR, then run "
            f"python -m dicomstd.codegen diff {sides}"
        )
        report = Report(old_label, new_label, (), standard.parts, (), notes=(reason, hint))
    else:
        for part in old.parts:
            recorded = previous.get(part.number)
            if recorded is not None and recorded[1] != part.sha256:
                notes.append(
                    f"{part.path} (sha256 {part.sha256}) is not the file the previous "
                    f"generation read (sha256 {recorded[1]})"
                )
        report = compare(
            old, standard, old_label=old_label, new_label=new_label, notes=notes, only=moved
        )
    paths = write(report, stem)
    print(f"wrote {paths[0]}: {summary_line(report)}", file=sys.stderr)
    return list(paths)


# -- command line --------------------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "old", help="the older edition (like 2013) or a folder holding its partNN.xml files"
    )
    parser.add_argument("new", help="the newer edition or folder")
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default text)"
    )


def run(args: argparse.Namespace) -> int:
    old = load_side(args.old)
    new = load_side(args.new)
    report = compare(old, new)
    if args.format == "json":
        print(json.dumps(render_json(report), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(render_text(report))
    return 0


__all__ = [
    "Change",
    "Item",
    "Report",
    "Section",
    "add_arguments",
    "compare",
    "generated_parts",
    "render_json",
    "render_text",
    "run",
    "write_edition_change_report",
]
