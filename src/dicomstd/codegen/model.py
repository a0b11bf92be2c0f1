"""The generator's model of the standard: frozen attrs classes, built by the part parsers.

Parsers (``part03`` … ``part06``) build these from table rows through named constructors; passes
(``codegen/passes``) turn one :class:`Standard` into another with :func:`attrs.evolve`; the
renderer reads the result. Nothing here knows about XML.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, Literal

import attrs

from dicomstd.codegen.diagnostics import Diagnostic, Diagnostics
from dicomstd.pixel_encoding import PixelEncoding
from dicomstd.pixel_encoding import Table as _PixelTable
from dicomstd.requirements import AttributeType as AttributeType
from dicomstd.requirements import Usage as Usage
from dicomstd.requirements import ValueList as ValueList
from dicomstd.tag import TagPattern
from dicomstd.uid import UidInfo
from dicomstd.vr import VRSpec

if TYPE_CHECKING:
    from dicomstd.codegen.conditions import ConditionTable


@attrs.frozen(order=True)
class TagSpec:
    """A tag as the standard writes it: ``(0010,0010)`` or a repeating group ``(60xx,3000)``.

    ``value`` has every ``x`` digit as 0; ``mask`` has 0 nibbles where the standard wrote ``x``.
    """

    value: int
    mask: int = 0xFFFFFFFF

    @classmethod
    def parse(cls, text: str) -> TagSpec | None:
        """The tag a cell writes (:meth:`dicomstd.tag.TagPattern.parse`), or None."""
        try:
            pattern = TagPattern.parse(text)
        except ValueError:
            return None
        return cls(pattern.value, pattern.mask)

    @property
    def repeating(self) -> bool:
        return self.mask != 0xFFFFFFFF

    def __str__(self) -> str:
        return str(TagPattern(self.value, self.mask))


# -- PS3.5 ------------------------------------------------------------------------------------
ValueRepresentation = VRSpec
"""One row of PS3.5 table 6.2-1, with its length limits as data: the runtime's own record."""


PixelEncodingTable = _PixelTable
"""A PS3.5 section 8.2 table: id, label, caption."""
PixelEncodingRule = PixelEncoding
"""One row of a PS3.5 section 8.2 table of valid Pixel Data related values: the runtime's record."""


@attrs.frozen
class Part05:
    vrs: tuple[ValueRepresentation, ...]
    counts: dict[str, int]
    pixel_encodings: tuple[PixelEncodingRule, ...] = ()
    pixel_tables: tuple[PixelEncodingTable, ...] = ()
    """The PS3.5 section 8.2 tables the rows come from, in document order."""
    native_excluded: tuple[str, tuple[str, ...]] | None = None
    """(section id, terms): the Photometric Interpretations a Native Format shall not have."""


# -- PS3.6 ------------------------------------------------------------------------------------
@attrs.frozen
class DataElementEntry:
    """One row of a PS3.6 registry table (6-1, 7-1, 8-1 and later tables of the same shape)."""

    tag: TagSpec
    name: str
    keyword: str
    vrs: tuple[str, ...]
    vr_text: str
    vm: str
    retired: bool
    note: str
    """The last column when it says more than ``RET`` (``DICONDE``, ``See Note``)."""
    source: str
    row: int


def uid_order(value: str) -> tuple[tuple[int, ...], str]:
    """Sort key of a UID: its arcs as numbers (a value that is not dotted numbers first), then
    the text."""
    try:
        return tuple(int(arc) for arc in value.split(".")), value
    except ValueError:
        return (), value


UidEntry = UidInfo
"""One row of a PS3.6 annex A table: the runtime's own record."""


@attrs.frozen
class Part06:
    data_elements: tuple[DataElementEntry, ...]
    uids: tuple[UidEntry, ...]
    counts: dict[str, int]


# -- PS3.3 ------------------------------------------------------------------------------------
@attrs.frozen
class AttributeRow:
    depth: int
    name: str
    tag: TagSpec
    type: AttributeType | None
    type_text: str
    description: str
    condition: str | None
    values: tuple[ValueList, ...]
    row: int
    item_count: tuple[int, int | None] | None = None
    """The number of Items a sequence's description allows (least, most; None: no most)."""
    item_counts: tuple[tuple[str, tuple[int, int | None]], ...] = ()
    """Numbers of Items stated under a condition: (``if …`` condition text, count), the first
    whose condition holds applying instead of :attr:`item_count`."""


@attrs.frozen
class IncludeRow:
    depth: int
    target: str
    """Id of the included table (or of the section holding it)."""
    text: str
    note: str
    condition: str | None
    row: int


@attrs.frozen
class PlaceholderRow:
    """A row that stands for attributes the table does not list itself."""

    depth: int
    kind: Literal["any-attribute", "functional-groups", "heading"]
    text: str
    type: AttributeType | None
    row: int


TableRow = AttributeRow | IncludeRow | PlaceholderRow


@attrs.frozen
class AttributeTable:
    """A module or macro attribute table of PS3.3 (annex C, chapter 10 …)."""

    id: str
    caption: str
    name: str
    kind: Literal["module", "macro", "attributes"]
    section: str | None
    rows: tuple[TableRow, ...]


@attrs.frozen
class ModuleReference:
    ie: str
    name: str
    reference: str
    """Id of the section (or table) holding the module's or macro's attribute table."""
    usage: Usage
    usage_text: str
    condition: str | None
    row: int
    note: str = ""
    """The text after an M or U usage ("U - May not be used if …"); a C usage's text is its
    condition."""


@attrs.frozen
class IodTable:
    id: str
    name: str
    caption: str
    section: str | None
    modules: tuple[ModuleReference, ...]
    functional_groups_table: str | None
    functional_groups: tuple[ModuleReference, ...]


@attrs.frozen
class SpecializationStatement:
    """A sentence of PS3.3 giving a module's definition of attributes precedence over another
    module's (``passes/specializations.py`` reads them and resolves them per IOD)."""

    kind: Literal["type", "module", "specialization"]
    """``type``: a description cell says this row's definition overrides the one in the modules
    it names; ``module``: the module's section says so of every attribute it shares with them;
    ``specialization``: a description cell points at a section that specializes the attribute."""
    table: str
    """The attribute table of the module whose definition applies."""
    row: int
    """Its row, 0 for a statement about the whole table."""
    tag: int | None
    """The attribute (a sequence's top-level ancestor), None for the whole table."""
    replaces: tuple[str, ...]
    """Names of the modules whose definitions give way, as written (empty for a specialization:
    every other module of the IOD defining the attribute)."""
    values: tuple[ValueList, ...]
    """The values a specializing section allows, when it lists them."""
    source: str
    """Id of the table or section that says so."""
    text: str


@attrs.frozen
class Part03:
    tables: dict[str, AttributeTable]
    iods: tuple[IodTable, ...]
    section_tables: dict[str, str]
    """Section id -> id of the attribute table that section defines (its first one)."""
    iod_sections: dict[str, str]
    """Section id -> id of the one IOD modules table inside it (how PS3.4 points at IODs)."""
    counts: dict[str, int]
    specializations: tuple[SpecializationStatement, ...] = ()


# -- PS3.4 ------------------------------------------------------------------------------------
@attrs.frozen
class SopClass:
    name: str
    uid: str
    iod_reference: str
    """Id of the PS3.3 section that specifies the IOD (``sect_A.3``)."""
    iod_text: str
    source: str
    row: int


@attrs.frozen
class Part04:
    sop_classes: tuple[SopClass, ...]
    counts: dict[str, int]


# -- resolved model (after the passes) ----------------------------------------------------------
@attrs.frozen
class Attribute:
    """An attribute of a module or macro, Include rows expanded and the dictionary joined."""

    kind: Literal[
        "attribute", "any-attribute", "functional-groups", "unresolved-include", "include-cycle"
    ]
    name: str
    tag: TagSpec | None
    keyword: str
    type: AttributeType | None
    condition: str | None
    vrs: tuple[str, ...] = ()
    vm: str = ""
    retired: bool = False
    in_dictionary: bool = True
    values: tuple[ValueList, ...] = ()
    items: tuple[Attribute, ...] = ()
    source: str = ""
    row: int = 0
    include_condition: str | None = None
    """Condition of an ``Include … if and only if …`` row that brought this attribute in."""
    functional_group: str | None = None
    """Name of the functional group macro this attribute belongs to, inside FG sequences."""
    target: str = ""
    """Placeholders of Include rows: the id of the table the row includes."""


@attrs.frozen
class Module:
    key: str
    name: str
    kind: Literal["module", "macro", "attributes"]
    source: str
    attributes: tuple[Attribute, ...]


@attrs.frozen
class IodModule:
    name: str
    ie: str
    usage: Usage
    condition: str | None
    module: str | None
    """Key of the resolved :class:`Module`, or None when the reference could not be resolved."""
    row: int
    note: str = ""
    """What the usage cell says after an M or U (``May not be used as a Shared …``)."""


@attrs.frozen
class Specialization:
    """The most specific definition of an attribute in one IOD
    (:class:`dicomstd.spec.Specialization` at run time)."""

    tag: int
    module: str
    """Name (as the IOD's table writes it) of the module whose definition applies."""
    replaces: tuple[str, ...]
    """Names of the IOD's modules whose definitions of the attribute do not apply."""
    values: tuple[ValueList, ...]
    """When not empty, the values allowed in this IOD in place of the module's own lists."""
    source: str
    """Id of the table or section that says so."""


@attrs.frozen
class Iod:
    key: str
    name: str
    source: str
    modules: tuple[IodModule, ...]
    functional_groups: tuple[IodModule, ...]
    sop_classes: tuple[tuple[str, str], ...]
    """(UID, name) of every SOP Class PS3.4 specifies with this IOD."""
    specializations: tuple[Specialization, ...] = ()
    """Attributes whose definition in this IOD is not simply that of every module defining it."""


@attrs.frozen
class Erratum:
    """A correction of the published XML, from ``src/dicomstd/codegen/errata.toml``."""

    table: str
    editions: tuple[str, ...]
    action: Literal["nest", "drop-include"]
    reason: str
    after: str = ""
    """``nest``: tag of the sequence whose items lost their ``>`` marks."""
    tags: tuple[str, ...] = ()
    """``nest``: tags of the rows right after it that belong in its items, in order."""
    target: str = ""
    """``drop-include``: id of the table the Include row to remove points at."""


@attrs.frozen
class PartInfo:
    number: int
    path: str
    edition: str
    title: str
    sha256: str

    @property
    def file(self) -> str:
        """The file's name, as diagnostics name it."""
        return PurePath(self.path).name


@attrs.frozen
class Standard:
    """Everything parsed from one set of inputs, as the passes hand it on."""

    parts: tuple[PartInfo, ...]
    part05: Part05 | None = None
    part06: Part06 | None = None
    part03: Part03 | None = None
    part04: Part04 | None = None
    modules: tuple[Module, ...] = ()
    iods: tuple[Iod, ...] = ()
    unknown_attributes: tuple[tuple[str, str], ...] = ()
    """(tag, name) of attributes PS3.3 uses that the dictionary lacks."""
    diagnostics: tuple[Diagnostic, ...] = ()
    errata: tuple[Erratum, ...] = ()
    conditions: ConditionTable | None = None
    """Every distinct condition text of PS3.3, parsed (``passes/conditions.py``)."""

    def part(self, number: int) -> PartInfo | None:
        return next((p for p in self.parts if p.number == number), None)

    def diagnostics_for(self, number: int) -> Diagnostics:
        """A collector for what a pass finds in PS3.<number>, named by its file."""
        info = self.part(number)
        return Diagnostics(info.file if info is not None else f"part{number:02d}.xml")
