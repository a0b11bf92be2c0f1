"""The requirements of PS3.3: IODs, their modules, and module/macro attributes as trees.

``iod(key)`` takes a SOP Class UID or an IOD name (``"CT Image"``) and returns an :class:`IodSpec`:
its modules in table order (IE, usage, condition, :class:`ModuleSpec`) and, for enhanced
multi-frame IODs, its functional group macros. A module's attributes are :class:`AttributeSpec`
trees with every Include row expanded in place; in an IOD's spec, the items of the Shared and
Per-frame Functional Groups Sequences hold that IOD's functional group macros.

Specs are built from the generated tables on first use and cached; asking for one IOD loads only
the tables it uses.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import Literal

import attrs

from dicomstd import _specrows as rows
from dicomstd import dictionary, trees
from dicomstd._generated.spec import IODS, TABLES
from dicomstd.errors import UnknownIODError, UnknownModuleError
from dicomstd.requirements import AttributeType, Usage, ValueList
from dicomstd.tag import Tag
from dicomstd.uid import bare_uid
from dicomstd.vm import VM
from dicomstd.vr import VR

__all__ = [
    "AttributeSpec",
    "AttributeType",
    "IodSpec",
    "ModuleSpec",
    "ModuleUse",
    "Placeholder",
    "Specialization",
    "Usage",
    "ValueList",
    "iod",
    "iods",
    "module",
    "modules",
]


_UNSPECIFIED_VM = VM.parse("")

PlaceholderKind = Literal[
    "any-attribute", "functional-groups", "unresolved-include", "recursive-include"
]


@attrs.frozen(slots=True)
class Placeholder:
    """A row that stands for attributes the table does not list."""

    kind: PlaceholderKind
    text: str
    source: str
    row: int
    target: str = ""
    """Unresolved: the missing table id; recursive: the module key the Include leads back to."""
    include_condition: str | None = None


@attrs.frozen(slots=True)
class AttributeSpec:
    """One attribute of a module or macro, as PS3.3 states it, joined to the PS3.6 dictionary."""

    tag: Tag
    keyword: str
    """The dictionary keyword; empty when the dictionary does not know the tag."""
    name: str
    type: AttributeType | None
    condition: str | None
    """The 1C/2C condition text, verbatim."""
    items: tuple[AttributeSpec, ...] = ()
    """Attributes of each Item, for a sequence."""
    placeholders: tuple[Placeholder, ...] = ()
    """Placeholders among the Item attributes (``Any Attribute …``, unresolved Includes …)."""
    source: str = ""
    """The PS3.3 table id the row comes from."""
    row: int = 0
    values: tuple[ValueList, ...] = ()
    vrs: frozenset[VR] = frozenset()
    vm: VM = _UNSPECIFIED_VM
    retired: bool = False
    in_dictionary: bool = True
    mask: int = rows.EXACT
    include_condition: str | None = None
    """Condition of an ``Include … if and only if …`` row that brought this attribute in."""
    functional_group: str | None = None
    """The functional group macro this attribute belongs to, inside the functional group items."""
    item_count: tuple[int, int | None] | None = None
    """For a sequence, the number of Items its description allows: (least, most), most None
    when there is no limit; None when the description states no number without a condition."""
    item_counts: tuple[tuple[str, tuple[int, int | None]], ...] = ()
    """Numbers of Items stated under a condition: (``if …`` condition text, count), the first
    whose condition holds applying instead of :attr:`item_count`."""

    @property
    def is_sequence(self) -> bool:
        return VR.SQ in self.vrs or bool(self.items)

    def item(self, keyword: str) -> AttributeSpec:
        """The item attribute with this keyword (``KeyError`` if there is none)."""
        for attribute in self.items:
            if attribute.keyword == keyword:
                return attribute
        raise KeyError(f"{self.keyword or self.name} has no item attribute {keyword!r}")


@attrs.frozen(slots=True)
class ModuleSpec:
    key: str
    name: str
    kind: Literal["module", "macro", "attributes"]
    source: str
    attributes: tuple[AttributeSpec, ...]
    placeholders: tuple[Placeholder, ...] = ()

    def attribute(self, keyword: str) -> AttributeSpec:
        for attribute in self.attributes:
            if attribute.keyword == keyword:
                return attribute
        raise KeyError(f"{self.name} has no attribute {keyword!r}")

    def walk(self) -> list[tuple[tuple[AttributeSpec, ...], AttributeSpec]]:
        """Every attribute at every depth, with the chain of sequences above it."""
        out: list[tuple[tuple[AttributeSpec, ...], AttributeSpec]] = []

        def visit(
            parents: tuple[AttributeSpec, ...], attributes: tuple[AttributeSpec, ...]
        ) -> None:
            for attribute in attributes:
                out.append((parents, attribute))
                visit((*parents, attribute), attribute.items)

        visit((), self.attributes)
        return out


@attrs.frozen(slots=True)
class ModuleUse:
    """A module (or a functional group macro) as an IOD uses it."""

    name: str
    ie: str
    usage: Usage
    condition: str | None
    module: ModuleSpec | None
    """None when the IOD's reference could not be resolved in the generator's input."""
    row: int
    note: str = ""
    """What the usage cell says after an M or U (``May not be used as a Shared Functional
    Group``)."""


@attrs.frozen(slots=True)
class Specialization:
    """The most specific definition of an attribute in one IOD, where the standard gives one.

    Two modules of an IOD may define the same attribute, one of them more specifically ("This
    type definition shall override the definition in the General Series Module", SC Equipment
    Module; "Including this module in an IOD overwrites the Type Designation of the General
    Equipment Module", C.7.5.2), and a module may narrow the values of an attribute ("See
    C.8.8.3.4.3 for specialization": Bits Allocated, Enumerated Values 16, 32, in RT Dose).
    """

    tag: Tag
    module: str
    """The module (its name in the IOD's table) whose definition applies."""
    replaces: tuple[str, ...] = ()
    """Modules whose definitions of the attribute do not apply in this IOD."""
    values: tuple[ValueList, ...] = ()
    """When not empty, the values allowed in this IOD, in place of the module's own lists."""
    source: str = ""
    """Where the standard says so: a table or section id."""


_UNRESOLVED = -1
"""Not a tag: the key of :meth:`IodSpec._requirers` saying a module could not be resolved."""


@attrs.frozen(slots=True)
class _Requirer:
    """A module of an IOD holding an attribute as Type 1 or 2 without a condition."""

    usage: Usage
    source: str


@attrs.frozen(slots=True)
class IodSpec:
    key: str
    name: str
    source: str
    modules: tuple[ModuleUse, ...]
    functional_groups: tuple[ModuleUse, ...]
    sop_classes: tuple[tuple[str, str], ...]
    """(UID, name) of the SOP Classes PS3.4 specifies with this IOD."""
    specializations: tuple[Specialization, ...] = ()
    """Attributes whose definition in this IOD is not simply that of every module defining it."""
    _requirer_index: dict[int, tuple[tuple[_Requirer, ...], bool]] | None = attrs.field(
        default=None, init=False, eq=False, repr=False
    )

    def module(self, name: str) -> ModuleUse:
        for use in self.modules:
            if use.name == name or (use.module is not None and use.module.name == name):
                return use
        raise KeyError(f"{self.name} has no module {name!r}")

    def requires(self, tag: int, present: Callable[[str], bool | None]) -> bool | None:
        """Whether the IOD requires the attribute ``tag`` ("image does not require Image
        Orientation (Patient)"), given which modules are ``present`` (by table id): True when
        it is Type 1 or 2 at the top level of a module the IOD has, mandatory or present, or in
        a mandatory functional group; unknown (None) when that depends on a condition (Type
        1C/2C, an Include condition, a C module not known present, a functional group that is
        not M, a module the build could not resolve); False when no module or functional group
        of the IOD defines it."""
        index = self._requirers()
        uses, unknown = index.get(tag, ((), False))
        for use in uses:
            if use.usage is Usage.MANDATORY or present(use.source):
                return True
        if unknown or index.get(_UNRESOLVED) is not None:
            return None
        return None if any(use.usage is Usage.CONDITIONAL for use in uses) else False

    def _requirers(self) -> dict[int, tuple[tuple[_Requirer, ...], bool]]:
        """For :meth:`requires`, made on its first call: tag -> the modules (M, U or C) that hold
        the tag as Type 1 or 2 at their top level without a condition, and the M functional
        groups holding it, in the IOD's order; and whether a Type 1C/2C or Include condition
        or a functional group that is not M makes the answer unknown. The key
        ``_UNRESOLVED`` is there when a module of the IOD could not be resolved."""
        if self._requirer_index is not None:
            return self._requirer_index
        uses: dict[int, list[_Requirer]] = {}
        unknown: set[int] = set()
        for use in self.modules:
            if use.module is None:
                unknown.add(_UNRESOLVED)
                continue
            for attribute in use.module.attributes:
                tag = int(attribute.tag)
                kind = attribute.type.value if attribute.type is not None else "3"
                if kind == "3":
                    continue
                if kind in ("1C", "2C") or attribute.include_condition is not None:
                    unknown.add(tag)
                else:
                    uses.setdefault(tag, []).append(_Requirer(use.usage, use.module.source))
        for use in self.functional_groups:
            if use.module is None:
                continue
            for _, attribute in use.module.walk():
                tag = int(attribute.tag)
                if use.usage is Usage.MANDATORY:
                    uses.setdefault(tag, []).append(_Requirer(Usage.MANDATORY, use.module.source))
                else:
                    unknown.add(tag)
        index = {tag: (tuple(uses.get(tag, ())), tag in unknown) for tag in uses.keys() | unknown}
        object.__setattr__(self, "_requirer_index", index)
        return index


# -- loading ----------------------------------------------------------------------------------
@cache
def _types() -> dict[str, AttributeType]:
    return {t.value: t for t in AttributeType}


def _type(text: str) -> AttributeType | None:
    return _types().get(text)


def _attribute(row: rows.A, source: str, include_condition: str | None) -> AttributeSpec:
    element = (
        dictionary.get(row.tag)
        if row.mask == rows.EXACT
        else dictionary.repeating(row.tag, row.mask)
    )
    return AttributeSpec(
        tag=Tag(row.tag),
        keyword=element.keyword if element else "",
        name=row.name,
        type=_type(row.type),
        condition=row.condition,
        source=source,
        row=row.row,
        values=row.values,
        vrs=element.vrs if element else frozenset(),
        vm=element.vm if element else _UNSPECIFIED_VM,
        retired=element.retired if element else False,
        in_dictionary=element is not None,
        mask=row.mask,
        include_condition=include_condition,
        item_count=row.item_count,
        item_counts=row.item_counts,
    )


_Entry = AttributeSpec | Placeholder
"""What a table's rows give: attributes and placeholders, in one tree (:mod:`dicomstd.trees`)."""


def _attach(entry: _Entry, children: list[_Entry]) -> _Entry:
    assert isinstance(entry, AttributeSpec)  # only attributes hold items
    items, placeholders = _split(children)
    return attrs.evolve(
        entry, items=entry.items + items, placeholders=entry.placeholders + placeholders
    )


def _split(entries: Sequence[_Entry]) -> tuple[tuple[AttributeSpec, ...], tuple[Placeholder, ...]]:
    items = tuple(e for e in entries if isinstance(e, AttributeSpec))
    return items, tuple(e for e in entries if isinstance(e, Placeholder))


def _is_attribute(entry: _Entry) -> bool:
    return isinstance(entry, AttributeSpec)


def _with_condition(attribute: AttributeSpec, condition: str | None) -> AttributeSpec:
    return attribute if condition is None else attrs.evolve(attribute, include_condition=condition)


def _depth(row: rows.Row) -> int:
    return row.depth


def module(name: str) -> ModuleSpec:
    """The module or macro with this key (``patient_module``), name (``"Patient Module"``,
    ``"Patient"``) or PS3.3 table id (``table_C.7-1``, ``C.7-1``), Include rows expanded.

    Raises :class:`~dicomstd.errors.UnknownModuleError` (a ``KeyError``) naming the closest
    matches.
    """
    if name in TABLES:
        return _module(name)
    names = _module_names()
    found = names.get(name) or names.get(_normal(name))
    if found is None:
        import difflib  # only to suggest a name

        close = difflib.get_close_matches(name, [n for n in names if " " in n or "_" in n], n=5)
        hint = f"; close: {', '.join(repr(c) for c in close)}" if close else ""
        raise UnknownModuleError(
            name,
            f"no module or macro {name!r} (give a key, a name or a PS3.3 table id){hint}",
        )
    return _module(found)


def modules() -> tuple[ModuleSpec, ...]:
    """Every module and macro of the generator's PS3.3 input, by name."""
    return tuple(sorted((_module(k) for k in TABLES), key=lambda m: (m.name, m.key)))


_SUFFIX = re.compile(r"\s+(module|macro)$")


@cache
def _module_names() -> dict[str, str]:
    """Names, short names (without Module/Macro), table ids and labels -> module key."""
    names: dict[str, str] = {}
    entries = sorted(TABLES.items())
    for key, (name, _, source) in entries:
        for candidate in (name, _normal(name), source, source.removeprefix("table_")):
            names.setdefault(candidate, key)
    for key, (name, _, _) in entries:  # "Patient": after every full name
        short = _SUFFIX.sub("", _normal(name))
        names.setdefault(short, key)
    return names


@cache
def _module(key: str) -> ModuleSpec:
    name, kind, source = TABLES[key]
    table = importlib.import_module(f"dicomstd._generated.spec.{key}")
    table_rows: tuple[rows.Row, ...] = table.ROWS

    def read(row: rows.Row, _: object) -> trees.Read[_Entry]:
        if isinstance(row, rows.A):
            return trees.single(_attribute(row, source, None), opens=True)
        if isinstance(row, rows.I):
            included = _module(row.target)
            entries: list[_Entry] = [_with_condition(a, row.condition) for a in included.attributes]
            return trees.include([*entries, *included.placeholders], _is_attribute)
        return trees.single(_placeholder(row, source), opens=False)

    attributes, placeholders = _split(trees.build(table_rows, _depth, read, _attach))
    return ModuleSpec(
        key=key,
        name=name,
        kind="module" if kind == "module" else "macro" if kind == "macro" else "attributes",
        source=source,
        attributes=attributes,
        placeholders=placeholders,
    )


def _placeholder(row: rows.P | rows.U | rows.R, source: str) -> Placeholder:
    kind: PlaceholderKind
    if isinstance(row, rows.P):
        kind = "functional-groups" if row.kind == "functional-groups" else "any-attribute"
        return Placeholder(kind, row.text, source, row.row)
    kind = "unresolved-include" if isinstance(row, rows.U) else "recursive-include"
    return Placeholder(kind, row.text, source, row.row, row.target, row.condition)


class _Shape:
    """The runtime's entries to :func:`dicomstd.trees.place_functional_groups`."""

    def children(self, entry: _Entry) -> Sequence[_Entry]:
        if isinstance(entry, Placeholder):
            return ()
        return (*entry.items, *entry.placeholders)

    def with_children(self, entry: _Entry, children: Sequence[_Entry]) -> _Entry:
        assert isinstance(entry, AttributeSpec)  # placeholders have no children
        items, placeholders = _split(children)
        return attrs.evolve(entry, items=items, placeholders=placeholders)

    def is_slot(self, entry: _Entry) -> bool:
        return isinstance(entry, Placeholder) and entry.kind == "functional-groups"

    def in_group(self, entry: _Entry, name: str) -> _Entry:
        if isinstance(entry, Placeholder):
            return entry
        return attrs.evolve(entry, functional_group=name)


_SHAPE: trees.Shape[_Entry] = _Shape()


def _place_functional_groups(
    spec: ModuleSpec, groups: tuple[tuple[str, ModuleSpec], ...]
) -> ModuleSpec | None:
    """The module with the IOD's functional group macros in place; None if it has no slot."""
    macros: list[tuple[str, tuple[_Entry, ...]]] = [
        (name, (*macro.attributes, *macro.placeholders)) for name, macro in groups
    ]
    entries: tuple[_Entry, ...] = (*spec.attributes, *spec.placeholders)
    placed = trees.place_functional_groups(entries, macros, _SHAPE)
    if placed is None:
        return None
    attributes, placeholders = _split(placed)
    return attrs.evolve(spec, attributes=attributes, placeholders=placeholders)


def _use(entry: rows.ModuleRow) -> ModuleUse:
    name, ie, usage, condition, key, row, note = entry
    return ModuleUse(name, ie, Usage(usage), condition, _module(key) if key else None, row, note)


@cache
def _iod(key: str) -> IodSpec:
    entry = IODS[key]
    name, source, sop_classes = entry.name, entry.source, entry.sop_classes
    module_rows, group_rows = entry.modules, entry.functional_groups
    groups = tuple(_use(g) for g in group_rows)
    placed = tuple((g.name, g.module) for g in groups if g.module is not None)
    modules = []
    for use in (_use(m) for m in module_rows):
        if placed and use.module is not None:
            module = _place_functional_groups(use.module, placed)
            if module is not None:
                use = attrs.evolve(use, module=module)
        modules.append(use)
    specializations = tuple(_specialization(s) for s in entry.specializations)
    return IodSpec(key, name, source, tuple(modules), groups, sop_classes, specializations)


def _specialization(row: rows.S) -> Specialization:
    return Specialization(Tag(row.tag), row.module, row.replaces, row.values, row.source)


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@cache
def _keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for key, entry in IODS.items():
        name, source, sop_classes = entry.name, entry.source, entry.sop_classes
        for candidate in (key, name, _normal(name), source, *(uid for uid, _ in sop_classes)):
            keys.setdefault(candidate, key)
        for _, sop_name in sop_classes:
            keys.setdefault(_normal(sop_name), key)
    return keys


def iod(key: str) -> IodSpec:
    """The IOD for a SOP Class UID, an IOD name (``"CT Image"``) or its table id.

    Raises :class:`~dicomstd.errors.UnknownIODError` (a ``KeyError``) naming the key.
    """
    keys = _keys()
    found = keys.get(key) or keys.get(bare_uid(key)) or keys.get(_normal(key))
    if found is None:
        raise UnknownIODError(key, f"no IOD for {key!r} (give a SOP Class UID or an IOD name)")
    return _iod(found)


def iods() -> tuple[IodSpec, ...]:
    """Every IOD of the generator's PS3.3 input, by name."""
    return tuple(sorted((_iod(k) for k in IODS), key=lambda s: s.name))
