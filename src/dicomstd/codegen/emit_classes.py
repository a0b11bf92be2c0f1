"""Emit typed attrs classes: one per module and macro, one per IOD (composed of its modules).

Classes are built from the attribute tables as published, so that they *reference* what a table
includes rather than copy it: an ``Include`` row makes the included table's class a base of the
class at that depth (a module, or the item class of a sequence), and items that are exactly one
macro are typed by the macro's class (``ConceptNameCodeSequence: tuple[CodeSequenceMacro, ...]``).
In the functional groups module of an enhanced multi-frame IOD, the items of the functional
groups sequences extend the classes of the IOD's functional group macros.

Where the table cannot be written that way — rows one level deeper right after an Include (they
extend the included macro's last sequence), two bases or a base and a row defining the same
field, bases whose order has no consistent method resolution — that class is written out from the
expanded attributes, as the runtime spec reads it.

The emitter produces plain records (:class:`ClassRecord`); ``templates/classes.py.j2`` lays them
out and the imports are computed from the records.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from dicomstd.codegen import naming, render
from dicomstd.codegen.model import (
    Attribute,
    AttributeRow,
    AttributeTable,
    IncludeRow,
    Iod,
    Module,
    Part03,
    PlaceholderRow,
    Standard,
)
from dicomstd.codegen.passes.expand import include_target, recursive_includes
from dicomstd.codegen.render import is_multiple, py
from dicomstd.nesting import Nesting

Context = dict[str, Any]


def field_name(attribute: Attribute) -> str:
    """The field of an attribute: its keyword, else its name in CamelCase, else its tag."""
    assert attribute.tag is not None
    return attribute.keyword or naming.camel(attribute.name) or f"Tag{attribute.tag.value:08X}"


# -- records ------------------------------------------------------------------------------------
@attrs.frozen
class FieldRecord:
    """One attribute field: ``name: annotation = field(args)`` and its docstring."""

    name: str
    vrs: tuple[str, ...]
    vm: str
    args: tuple[str, ...]
    doc: str
    item: str | None = None
    """The class of the items of a sequence (a nested class or another table's class)."""


@attrs.frozen
class CommentRecord:
    """A row that is not a field (a placeholder, an Include that cannot be expanded there)."""

    text: str


Member = FieldRecord | CommentRecord


@attrs.frozen
class ClassRecord:
    """A class to write: its bases (classes of included tables), members and nested item
    classes."""

    name: str
    doc: str
    bases: tuple[str, ...]
    members: tuple[Member, ...]
    nested: tuple[ClassRecord, ...]


@attrs.frozen
class _Built:
    """A class record with what other classes need to know of it."""

    record: ClassRecord
    fields: dict[str, tuple[str, str]]
    """Field name -> (module key, qualified name of the class defining it), bases included."""
    ancestors: frozenset[str]
    """Module keys of every base class, transitively."""
    mro: tuple[str, ...]
    """Module keys of the base classes in method resolution order."""


# -- rows -> levels -----------------------------------------------------------------------------
@attrs.define
class _Level:
    """The rows of one depth under one parent: Includes (bases), attributes and placeholders."""

    bases: list[str] = attrs.field(factory=list)
    entries: list[_Field | CommentRecord] = attrs.field(factory=list)
    flat: bool = False
    """True when this level cannot be written with bases (see the module docstring)."""


@attrs.define
class _Field:
    row: AttributeRow
    items: _Level | None = None


@attrs.define
class _IncludeMark:
    """An Include row, open for rows one level deeper: they extend the included table's last
    sequence, which a base class cannot say (the level is written from the expanded
    attributes)."""

    level: _Level


def _levels(
    table: AttributeTable,
    part03: Part03,
    keys: dict[str, str],
    recursive: set[tuple[str, str]],
    groups: tuple[str, ...] | None,
) -> _Level:
    """The table's rows as nested levels, placed as the expander places them."""
    root = _Level()
    nesting = Nesting[_Field | _IncludeMark]()
    for row in table.rows:
        parent = nesting.place(row.depth).parent
        if isinstance(parent, _IncludeMark):
            parent.level.flat = True
            level = parent.level
        elif parent is None:
            level = root
        else:
            if parent.items is None:
                parent.items = _Level()
            level = parent.items
        where = f"{table.id} row {row.row}"
        if isinstance(row, AttributeRow):
            entry = _Field(row)
            level.entries.append(entry)
            nesting.open(entry)
        elif isinstance(row, IncludeRow):
            target = include_target(part03, row.target)
            if target is None:
                text = f"{where}: includes {row.target}, which is not in the input"
                level.entries.append(CommentRecord(text))
                nesting.open(None)
            elif (table.id, target) in recursive:
                text = f"{where}: includes {target} again (a recursive structure)"
                level.entries.append(CommentRecord(text))
                nesting.open(None)
            else:
                level.bases.append(keys[target])
                nesting.open(_IncludeMark(level))
        else:
            assert isinstance(row, PlaceholderRow)
            if row.kind == "functional-groups" and groups is not None:
                level.bases.extend(groups)
            elif row.kind == "any-attribute":
                level.entries.append(CommentRecord(f"{where}: {row.text} (not a field)"))
            elif row.kind != "heading":
                level.entries.append(CommentRecord(f"{where}: {row.text}"))
            nesting.open(None)
    return root


def _c3(heads: list[tuple[str, ...]]) -> tuple[str, ...] | None:
    """C3 linearisation of base sequences (each the base and its own MRO); None when there is
    no consistent order."""
    sequences = [list(s) for s in heads if s]
    out: list[str] = []
    while sequences:
        head = next(
            (s[0] for s in sequences if not any(s[0] in other[1:] for other in sequences)), None
        )
        if head is None:
            return None
        out.append(head)
        sequences = [rest for s in sequences if (rest := [x for x in s if x != head])]
    return tuple(out)


class _Emitter:
    """Class records of every module and macro, built from the tables and memoised."""

    def __init__(self, standard: Standard) -> None:
        assert standard.part03 is not None
        self.part03 = standard.part03
        self.edition = render.part_label(standard, 3)
        self.modules = {m.key: m for m in standard.modules}
        self.keys = {m.source: m.key for m in standard.modules if "__" not in m.key}
        self.recursive = recursive_includes(self.part03)
        self.iods = {iod.key: iod for iod in standard.iods}
        self.names: dict[str, str] = {}
        self.built: dict[str, _Built] = {}
        self.flat_levels = 0
        self.building: set[str] = set()
        self._macros: dict[tuple[Attribute, ...], str] | None = None

    def class_name(self, key: str) -> str:
        name = self.names.get(key)
        if name is None:
            module = self.modules[key]
            name = naming.class_name(module.name)
            iod_key = key.partition("__")[2]
            if iod_key:
                name = naming.class_name(self.iods[iod_key].name) + name
            self.names[key] = name
        return name

    def file_key(self, key: str) -> str:
        """The file of a module's class: its key; ``groups__<iod>`` for the functional groups
        module of one IOD (short enough for an import line)."""
        module, _, iod_key = key.partition("__")
        if not iod_key:
            return key
        taken = {k.partition("__")[2] for k in self.modules if k.partition("__")[2] == iod_key}
        return f"groups__{iod_key}" if len(taken) == 1 else f"groups__{iod_key}__{module}"

    def doc(self, key: str) -> str:
        module = self.modules[key]
        label = module.source.removeprefix("table_")
        iod_key = key.partition("__")[2]
        if iod_key:
            return (
                f"{module.name} of the {self.iods[iod_key].name} IOD ({self.edition} table "
                f"{label}), the IOD's functional group macros in the items of its functional "
                "groups sequences."
            )
        return f"{module.name}: {self.edition} table {label}."

    def root(self, key: str) -> _Built:
        """The class of a module or macro (built once)."""
        built = self.built.get(key)
        if built is not None:
            return built
        module = self.modules[key]
        table = self.part03.tables[module.source]
        iod_key = key.partition("__")[2]
        groups = (
            tuple(g.module for g in self.iods[iod_key].functional_groups if g.module)
            if iod_key
            else None
        )
        level = _levels(table, self.part03, self.keys, self.recursive, groups)
        self.building.add(key)
        built = self._build(
            key, self.class_name(key), "", self.doc(key), level, module.attributes, _index(module)
        )
        self.building.discard(key)
        self.built[key] = built
        return built

    def _build(
        self,
        key: str,
        name: str,
        outer: str,
        doc: str,
        level: _Level,
        expanded: tuple[Attribute, ...],
        index: dict[int, Attribute],
    ) -> _Built:
        qualname = f"{outer}.{name}" if outer else name
        if not level.flat:
            built = self._with_bases(key, name, qualname, doc, level, index)
            if built is not None:
                return built
        self.flat_levels += 1
        return self._flat(key, name, qualname, doc, expanded)

    def _with_bases(
        self,
        key: str,
        name: str,
        qualname: str,
        doc: str,
        level: _Level,
        index: dict[int, Attribute],
    ) -> _Built | None:
        """The class with the included tables' classes as bases; None when it cannot be."""
        named = list(dict.fromkeys(level.bases))
        bases = {k: self.root(k) for k in named}
        keep = [k for k in named if not any(k in bases[o].ancestors for o in named)]
        fields: dict[str, tuple[str, str]] = {}
        for base in keep:
            for field, origin in bases[base].fields.items():
                if fields.setdefault(field, origin) != origin:
                    return None
        mro = _c3([(k, *bases[k].mro) for k in keep] + [tuple(keep)])
        if mro is None:
            return None
        members: list[Member] = []
        nested: list[ClassRecord] = []
        own: set[str] = set()
        for entry in level.entries:
            if isinstance(entry, CommentRecord):
                members.append(entry)
                continue
            attribute = index[entry.row.row]
            name_ = field_name(attribute)
            if name_ in fields:
                return None
            if name_ in own or name_ == "empty_tags":
                members.append(_again(attribute))
                continue
            own.add(name_)
            item_class = None
            if attribute.items or "SQ" in attribute.vrs:
                item_class = self._item(
                    key, name_, qualname, attribute, entry.items or _Level(), index, nested
                )
            members.append(_field(name_, attribute, item_class))
        fields.update({f: (key, qualname) for f in own})
        ancestors = frozenset(keep).union(*(bases[k].ancestors for k in keep))
        record = ClassRecord(
            name, doc, tuple(self.class_name(k) for k in keep), tuple(members), tuple(nested)
        )
        return _Built(record, fields, ancestors, mro)

    def _item(
        self,
        key: str,
        name: str,
        qualname: str,
        attribute: Attribute,
        items: _Level,
        index: dict[int, Attribute],
        nested: list[ClassRecord],
    ) -> str:
        """The item class of a sequence: the macro's class when the items are exactly one
        macro, else a nested class."""
        if len(items.bases) == 1 and not items.entries and not items.flat:
            macro = items.bases[0]
            self.root(macro)
            return self.class_name(macro)
        class_name = f"{name}Item"
        doc = (
            f"An Item of {attribute.name} {attribute.tag} ({attribute.source} row {attribute.row})."
        )
        built = self._build(key, class_name, qualname, doc, items, attribute.items, index)
        nested.append(built.record)
        return class_name

    def _flat(
        self, key: str, name: str, qualname: str, doc: str, attributes: tuple[Attribute, ...]
    ) -> _Built:
        """A class with every expanded attribute as its own field (no bases)."""
        members: list[Member] = []
        nested: list[ClassRecord] = []
        seen: set[str] = set()
        for attribute in attributes:
            if attribute.kind != "attribute" or attribute.tag is None:
                members.append(_placeholder(attribute))
                continue
            name_ = field_name(attribute)
            if name_ in seen or name_ == "empty_tags":
                members.append(_again(attribute))
                continue
            seen.add(name_)
            item_class = None
            if attribute.items or "SQ" in attribute.vrs:
                macro = self._macro_of(attribute.items)
                if macro is not None and macro not in self.building:
                    self.root(macro)
                    item_class = self.class_name(macro)
                else:
                    item_class = f"{name_}Item"
                    item_doc = (
                        f"An Item of {attribute.name} {attribute.tag} "
                        f"({attribute.source} row {attribute.row})."
                    )
                    inner = self._flat(
                        key, item_class, f"{qualname}.{item_class}", item_doc, attribute.items
                    )
                    nested.append(inner.record)
            members.append(_field(name_, attribute, item_class))
        record = ClassRecord(name, doc, (), tuple(members), tuple(nested))
        fields = {f: (key, qualname) for f in seen}
        return _Built(record, fields, frozenset(), ())

    def _macro_of(self, attributes: tuple[Attribute, ...]) -> str | None:
        """The macro whose expanded attributes these are exactly (items copied from it)."""
        if not attributes:
            return None
        if self._macros is None:
            self._macros = {}
            for module in sorted(self.modules.values(), key=lambda m: m.key):
                if module.kind == "macro" and "__" not in module.key and module.attributes:
                    self._macros.setdefault(module.attributes, module.key)
        return self._macros.get(attributes)


def _index(module: Module) -> dict[int, Attribute]:
    """The module's own rows, expanded in its context, by row number."""
    out: dict[int, Attribute] = {}

    def visit(attributes: tuple[Attribute, ...]) -> None:
        for attribute in attributes:
            if attribute.source == module.source and attribute.kind == "attribute":
                out.setdefault(attribute.row, attribute)
            visit(attribute.items)

    visit(module.attributes)
    return out


def _again(attribute: Attribute) -> CommentRecord:
    where = f"{attribute.source} row {attribute.row}"
    return CommentRecord(
        f"{attribute.tag} {attribute.name} again at this level ({where}): first kept"
    )


def _placeholder(attribute: Attribute) -> CommentRecord:
    where = f"{attribute.source} row {attribute.row}"
    if attribute.kind == "any-attribute":
        return CommentRecord(f"{where}: {attribute.name} (not a field)")
    if attribute.kind == "unresolved-include":
        return CommentRecord(f"{where}: includes {attribute.target}, which is not in the input")
    if attribute.kind == "include-cycle":
        return CommentRecord(f"{where}: includes {attribute.target} again (a recursive structure)")
    return CommentRecord(f"{where}: {attribute.name}")


def _field(name: str, attribute: Attribute, item: str | None) -> FieldRecord:
    assert attribute.tag is not None
    type_text = attribute.type.value if attribute.type is not None else ""
    vr_text = " ".join(attribute.vrs)
    args = [
        render.hex8(attribute.tag.value),
        py(attribute.keyword or name),
        py(type_text),
        py(vr_text),
        py(attribute.vm),
    ]
    if item is not None:
        args.append(f"item={py(item)}")
    if item is None and is_multiple(attribute.vrs, attribute.vm):
        args.append("multiple=True")
    vm_text = attribute.vm or "unknown"
    what = f"{attribute.name} {attribute.tag}: Type {type_text or '-'}, "
    what += f"{vr_text or 'VR unknown'}, VM {vm_text}"
    if not attribute.in_dictionary:
        what += " (not in the PS3.6 dictionary of this build)"
    if attribute.retired:
        what += ". Retired"
    return FieldRecord(name, attribute.vrs, attribute.vm, tuple(args), what + ".", item)


# -- files --------------------------------------------------------------------------------------
def imported_classes(record: ClassRecord) -> set[str]:
    """The classes a file's record names that it does not define: its bases and item classes
    that are other tables' classes."""
    classes = list(_classes(record))
    defined = {c.name for c in classes}
    named = {base for c in classes for base in c.bases}
    named |= {m.item for c in classes for m in c.members if isinstance(m, FieldRecord) and m.item}
    return named - defined


def _import_lines(record: ClassRecord, emitter: _Emitter) -> list[str]:
    keys = {name: key for key, name in emitter.names.items()}
    return sorted(
        f"from .{emitter.file_key(keys[name])} import {name}" for name in imported_classes(record)
    )


def files(standard: Standard) -> Iterator[tuple[str, str, Context]]:
    if standard.part03 is None:
        return
    emitter = _Emitter(standard)
    edition = emitter.edition
    parts = render.header_parts(standard, (3, 6))
    for module in standard.modules:
        built = emitter.root(module.key)
        yield (
            f"modules/{emitter.file_key(module.key)}.py",
            "classes.py.j2",
            {
                "parts": parts,
                "doc": f"{emitter.doc(module.key).rstrip('.')} as a typed class.",
                "imports": _import_lines(built.record, emitter),
                "record": built.record,
                "model_imports": model_imports(built.record),
            },
        )
    names = {
        emitter.file_key(module.key): emitter.class_name(module.key) for module in standard.modules
    }
    yield (
        "modules/__init__.py",
        "classes_index.py.j2",
        {
            "parts": parts,
            "doc": f"Typed classes of every module and macro of {edition}, imported on first use.",
            "entries": sorted((name, key) for key, name in names.items()),
            "sop_classes": [],
        },
    )
    parts = render.header_parts(standard, (3, 4, 6))
    iod_entries = []
    sop_entries: list[tuple[str, str]] = []
    for iod in standard.iods:
        iod_name = naming.class_name(iod.name)
        yield _iod_file(iod, iod_name, emitter, parts, edition)
        iod_entries.append((iod_name, iod.key))
        sop_entries.extend((uid, iod_name) for uid, _ in iod.sop_classes)
    yield (
        "iods/__init__.py",
        "classes_index.py.j2",
        {
            "parts": parts,
            "doc": f"Typed classes of every IOD of {edition}, imported on first use.",
            "entries": sorted(iod_entries),
            "sop_classes": sorted(sop_entries),
        },
    )


def _classes(record: ClassRecord) -> Iterator[ClassRecord]:
    yield record
    for nested in record.nested:
        yield from _classes(nested)


def model_imports(record: ClassRecord) -> list[str]:
    """What the classes of a file use of ``dicomstd.model``: ``DatasetModel`` when one has no
    base of its own, ``field`` when one has a field."""
    classes = list(_classes(record))
    names = []
    if any(not c.bases for c in classes):
        names.append("DatasetModel")
    if any(isinstance(m, FieldRecord) for c in classes for m in c.members):
        names.append("field")
    return names


@attrs.frozen
class ModuleFieldRecord:
    """A field of an IOD class holding one module (or a comment when its table is missing)."""

    name: str
    annotation: str
    args: tuple[str, ...]
    required: bool
    doc: str
    comment: str = ""
    noqa: bool = False
    """The field's first line cannot be brought within the line length (a long module name
    and a long class name): the linter is told so on that line."""


def _iod_file(
    iod: Iod, iod_class: str, emitter: _Emitter, parts: list[Context], edition: str
) -> tuple[str, str, Context]:
    fields: list[ModuleFieldRecord] = []
    used: set[str] = set()
    typing_imports: set[tuple[str, str]] = set()
    for use in iod.modules:
        if use.module is None:
            where = f"{iod.source} row {use.row}"
            text = f"{use.name}: its table is not in the input ({where})"
            fields.append(ModuleFieldRecord("", "", (), False, "", comment=text))
            continue
        module_class = emitter.class_name(use.module)
        file_key = emitter.file_key(use.module)
        typing_imports.add((file_key, module_class))
        name = naming.snake(use.name)
        if name in used:
            name = f"{name}_{use.row}"
        used.add(name)
        required = use.usage.value == "M"
        annotation = module_class if required else f"{module_class} | None"
        args = (py(file_key), py(module_class), py(use.usage.value), py(use.ie))
        condition = f" {use.condition}" if use.condition else ""
        doc = f"{use.name} ({use.ie} IE): usage {use.usage.value}.{condition}"
        long = required and len(f"    {name}: {annotation} = (") > render.LINE
        fields.append(ModuleFieldRecord(name, annotation, args, required, doc, noqa=long))
    sop = ", ".join(f"{name} ({uid})" for uid, name in iod.sop_classes) or "none in PS3.4"
    label = iod.source.removeprefix("table_")
    return (
        f"iods/{iod.key}.py",
        "iod_class.py.j2",
        {
            "parts": parts,
            "doc": f"The {iod.name} IOD ({edition} table {label}) as a typed class.",
            "typing_imports": sorted(typing_imports),
            "class_name": iod_class,
            "class_doc": f"{iod.name} IOD: {edition} table {label}. SOP Classes: {sop}.",
            "sop_class_uids": py(tuple(uid for uid, _ in iod.sop_classes)),
            "fields": fields,
        },
    )
