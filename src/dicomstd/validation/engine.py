"""The validation engine: one walk over a dataset against the plan of its IOD.

A *plan* is compiled once per IOD from :mod:`dicomstd.spec` and cached: per module its usage,
condition and the tags that show it is present; per level (a module's top level, or the items of
a sequence) its Type 1 and Type 2 tags as sets, its conditional attributes, its attributes with
Enumerated Values or Defined Terms, and the plans of its sequences' items.

The walk visits every element of every level once: the values of each element (VR of explicit-VR
elements, VM, the PS3.5 rules of its VR, retired, defined at this level), then the requirements of
the level (missing Type 1/2 attributes are set differences; Types 1C/2C have their conditions
evaluated), then the items of its sequences with the items' own requirements. Functional groups of
enhanced multi-frame IODs are checked frame by frame: a required group must be in the shared item
or in the frame's per-frame item, and not in both (PS3.3 C.7.6.16).

**Modules.** A module applies when it is required (M, or C whose condition holds) or present;
it is present only when an attribute no other module of the IOD defines is present (an
attribute two modules share, such as Instance Number, proves neither). The requirements of
every module that applies are checked attribute by attribute, each finding naming the module;
a required module is also reported missing when none of its attributes is there and a
requirement of it is unmet. Where the IOD gives one module's definition of an attribute
precedence over another's (:class:`dicomstd.spec.Specialization`), only that one applies.

**Frames.** Each frame's functional group items are indexed once per validation: inside the
items of the Per-frame Functional Groups Sequence, conditions see a view of the whole frame
(every functional group item of the frame, then those of the shared item) just outside the
frame's item, so "Acquisition Type of this frame" is found in a sibling macro's item.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, Final, cast

import attrs
from mypy_extensions import mypyc_attr

from dicomstd import conditions, dictionary, spec
from dicomstd.conditions import Condition, Unverifiable
from dicomstd.places import ANY_MODULE, Places
from dicomstd.places import Container as _Container
from dicomstd.rawvalue import Memo, read_left
from dicomstd.rawvalue import value as raw_value
from dicomstd.requirements import ValueList
from dicomstd.tag import Tag
from dicomstd.tag import tag_text as _tag_text
from dicomstd.validation import compiled
from dicomstd.validation import values as rules
from dicomstd.validation._dataset import MAX_DEPTH
from dicomstd.validation._dataset import elements as _elements
from dicomstd.validation._dataset import sequence_items as _sequence_items
from dicomstd.validation._placeholders import OnDisk
from dicomstd.validation.dimensions import FRAME_CONTENT_SEQUENCE, dimension_index_problems
from dicomstd.validation.evidence import (
    CONTENT_SEQUENCE,
    CURRENT_EVIDENCE,
    PERTINENT_EVIDENCE,
    unlisted_evidence,
)
from dicomstd.validation.findings import CODES, Code, Finding, ValidationResult
from dicomstd.validation.frames import PER_FRAME_FUNCTIONAL_GROUPS, SHARED_FUNCTIONAL_GROUPS, Frames
from dicomstd.validation.limits import ENVIRONMENT, CappedFindings, limit
from dicomstd.validation.pixels import PIXEL_DATA, frame_count, length_problem
from dicomstd.validation.pixeltables import pixel_encoding_problems
from dicomstd.validation.private import group_length, private_elements
from dicomstd.vr import BYTES_VRS, bare_text
from dicomstd.vr import PADDING as _PADDING

if TYPE_CHECKING:
    from pydicom.dataset import Dataset

    from dicomstd.vm import VM

__all__ = ["validate_dataset"]

SOP_CLASS_UID: Final = 0x00080016
SPECIFIC_CHARACTER_SET: Final = 0x00080005
PIXEL_REPRESENTATION: Final = 0x00280103
PIXEL_DATA_TAGS: Final = frozenset({0x7FE00010, 0x7FE00008, 0x7FE00009})
# Allowed in any data set whatever its IOD: Data Set Trailing Padding (PS3.10 7.2).
ALWAYS_ALLOWED: Final = frozenset({0xFFFCFFFC})

_STRING_VRS: Final = rules.string_vrs()
_NEVER_SPLIT: Final = rules.NEVER_SPLIT
_BINARY_VRS: Final = rules.binary_vrs()
_NUMERIC_VRS: Final = rules.NUMERIC_VRS
_FIELDS: Final = rules.field_tests()
_VALUE_SIZES: Final = rules.value_sizes()
_PADDING_OR_DELIMITER: Final = _PADDING + "\\"
_DECODED_VRS: Final = frozenset({"LO", "LT", "PN", "SH", "ST", "UC", "UT"})
_MISSING_CODES: Final[dict[str, Code]] = {
    "1": "type1-missing",
    "2": "type2-missing",
    "1C": "type1c-missing",
    "2C": "type2c-missing",
}


# -- what the dictionary says about a tag, once per tag ------------------------------------------
class _TagInfo:
    __slots__ = (
        "checkers",
        "fits",
        "keyword",
        "name",
        "retired",
        "single",
        "source",
        "vm",
        "vr",
        "vrs",
    )

    def __init__(self, entry: dictionary.DataElement) -> None:
        self.keyword = entry.keyword
        self.name = entry.name
        self.retired = entry.retired
        self.source = entry.source
        self.vrs = frozenset(str(v) for v in entry.vrs)
        self.vr = next(iter(self.vrs)) if len(self.vrs) == 1 else None
        self.vm: VM = entry.vm
        # VM 1 holds exactly one value: the common case needs no call to accepts().
        self.single = entry.vm.text == "1"
        # Whether the VM allows a number of values (or is unspecified), by number: asked once.
        self.fits: dict[int, bool] = {}
        # By the VR an element comes with (None: implicit), the quick check of its value, or
        # None when every value goes through _check_value (see _quick_check).
        self.checkers: dict[object, _Quick | None] = {}

    def allows(self, count: int) -> bool:
        """Whether ``count`` values agree with the VM (an unspecified VM allows any)."""
        found = self.fits.get(count)
        if found is None:
            vm = self.vm
            found = not vm.specified or vm.accepts(count)
            if len(self.fits) < 64:
                self.fits[count] = found
        return found


_INFO: Final[dict[int, _TagInfo | None]] = {}
_UNKNOWN_KEPT: Final = 65536  # tags the dictionary lacks kept in _INFO: at most this many

_Quick = Callable[[Any, "_Context"], "bool | None"]
"""A quick check of one element's value: True when it is empty, False when _check_value would
find nothing in it and find it not empty, None when it must decide (and report)."""


def _quick_check(info: _TagInfo, raw_vr: object) -> _Quick | None:
    """The quick check of the values of an element of ``info`` that comes with ``raw_vr``: the
    common cases of :func:`_check_value` without a finding, for a tag that is not retired and a
    VR the dictionary gives it. Each answer it gives is the one _check_value gives."""
    if info.retired:
        return None
    if raw_vr.__class__ is str and len(raw_vr) == 2:
        vr = raw_vr
        if info.vrs and vr not in info.vrs and vr != "UN":
            return None
    elif info.vr is None:
        return None
    else:
        vr = info.vr
    single, allows = info.single, info.allows
    if vr in _STRING_VRS:
        field = _FIELDS[vr]
        decoded = vr in _DECODED_VRS
        one = vr in _NEVER_SPLIT  # LT, ST, UT, UR: one value whatever the text holds
        blank = _PADDING if one else _PADDING_OR_DELIMITER

        def string_field(element: Any, ctx: _Context) -> bool | None:
            raw = element.value
            cls = raw.__class__
            if cls is bytes:
                if decoded and ctx.text_decoding:
                    return None  # decoded with the data set's character set: _check_value
                text = raw.decode("latin-1")
            elif cls is str:
                text = raw
            else:  # a converted value (a number string, several values): its text, as _text
                text = _converted_text(raw)
            if not text.strip(blank):
                return True
            if not field(text):
                return None
            if one or "\\" not in text:
                return False if single or allows(1) else None
            return False if allows(text.count("\\") + 1) else None

        return string_field
    size = _VALUE_SIZES.get(vr)
    if size is None or vr not in _BINARY_VRS:
        return None

    def numbers(element: Any, ctx: _Context) -> bool | None:
        value = element.value
        cls = value.__class__
        if cls is bytes:
            length = len(value)
            if not length:
                return True
            if length % size:
                return None
            count = length // size
        elif cls is int or cls is float:
            count = 1
        elif value is None:
            return True
        else:
            return None
        if count == 1 and single:
            return False
        return False if allows(count) or vr in BYTES_VRS else None

    return numbers


def _info(tag: int) -> _TagInfo | None:
    try:
        return _INFO[tag]
    except KeyError:
        entry = dictionary.get(int(tag))
        found = _TagInfo(entry) if entry is not None else None
        # Known tags are as many as the dictionary has; unknown ones, as many as files bring.
        if found is not None or len(_INFO) < _UNKNOWN_KEPT:
            _INFO[int(tag)] = found
        return found


@lru_cache(maxsize=4096)
def _keyword(tag: int) -> str:
    info = _info(tag)
    return info.keyword if info is not None and info.keyword else _tag_text(tag)


# -- conditions -----------------------------------------------------------------------------------
# A Type 1C/2C row whose table gives no condition: when it is required cannot be known.
_NO_CONDITION: Final = "(the table states no condition)"


def _same(condition: Condition | None) -> Condition | None:
    return condition


@cache
def _condition(text: str | None) -> Condition | None:
    """The parsed condition for a text (a text the generated table lacks is unverifiable), or
    None when there is no text."""
    if not text:
        return None
    found = conditions.for_text(text)
    return found if found is not None else Condition(Unverifiable(text), None, text)


def _module_presence(plan: _Plan, elements: Mapping[int, Any]) -> Callable[[str], bool]:
    """What conditions ask of a module ("the Mask Module is present"), by its table: present by
    the rule of :func:`_modules`; a module the IOD does not have is not present."""
    keys = elements.keys()

    def present(source: str) -> bool:
        return any(m.reference == source and not keys.isdisjoint(m.presence) for m in plan.modules)

    return present


# -- plans ----------------------------------------------------------------------------------------
@mypyc_attr(native_class=False)
@attrs.frozen
class _Where:
    """Where a level's attributes are in the IOD: what conditions are placed by
    (:mod:`dicomstd.places`)."""

    places: Places
    container: _Container
    module: str

    def condition(self, condition: Condition | None) -> Condition | None:
        """``condition`` looking where the IOD puts the attributes it names."""
        if condition is None:
            return None
        return self.places.condition(condition, self.container, self.module)

    def below(self, tag: int) -> _Where:
        return attrs.evolve(self, container=(*self.container, tag))


class _Check:
    __slots__ = (
        "_items",
        "_sequence",
        "allowed",
        "applies",
        "condition",
        "emptied",
        "functional_group",
        "include_condition",
        "is_sequence",
        "item_count",
        "item_counts",
        "keyword",
        "least",
        "memo",
        "missing",
        "most",
        "name",
        "reference",
        "tag",
        "tag_object",
        "tag_text",
        "type",
        "values",
        "verdict",
        "where",
    )

    def __init__(self, attribute: spec.AttributeSpec, where: _Where | None = None) -> None:
        self.tag = int(attribute.tag)
        self.keyword = attribute.keyword or attribute.name
        self.name = attribute.name
        self.type = attribute.type.value if attribute.type is not None else "3"
        # The codes of its findings when absent (none for Type 3) and when empty, by its Type.
        self.missing: Code | None = _MISSING_CODES.get(self.type)
        self.emptied: Code = "type1-empty" if self.type == "1" else "type1c-empty"
        self.condition = (
            _condition(attribute.condition or _NO_CONDITION) if self.type in ("1C", "2C") else None
        )
        self.include_condition = _condition(attribute.include_condition)
        # The conditions compiled (dicomstd.validation.compiled): outcome and Include applies,
        # each looking where the IOD puts the attributes it names.
        placed = where.condition if where is not None else _same
        self.verdict = compiled.outcome(placed(self.condition))
        self.applies = compiled.holds(placed(self.include_condition))
        self.where = where.below(self.tag) if where is not None else None
        self.values = tuple(v for v in attribute.values if not v.qualifier)
        # Each list with its values as a set of strings, and as numbers (None when a term is
        # not a number): what a value of a string VR and of a binary VR is looked up in.
        self.allowed = tuple(
            (v, frozenset(v.values), rules.numeric_terms(v.values)) for v in self.values
        )
        self.reference = attribute.source
        self.functional_group = attribute.functional_group
        # The requirements of a sequence's items, made when an item is first checked: most of
        # a plan's sequences are in no data set.
        self._sequence = attribute if attribute.is_sequence else None
        self.is_sequence = attribute.is_sequence
        self.item_count = attribute.item_count
        # The number of Items stated without a condition, as a range (any number: none stated).
        least, most = attribute.item_count or (0, None)
        self.least, self.most = least, sys.maxsize if most is None else most
        # Numbers of Items stated under a condition, each with its condition compiled.
        self.item_counts = tuple(
            (text, compiled.holds(_condition(text)), count) for text, count in attribute.item_counts
        )
        self._items: _Level | None = None
        self.tag_text = _tag_text(self.tag)
        self.tag_object = Tag(self.tag)  # a finding's tag, made once
        # Findings are immutable: the same finding at the same place is made once.
        self.memo: dict[tuple[str, str, str], Finding] = {}

    @property
    def items(self) -> _Level | None:
        """The requirements of the items, when the attribute is a sequence."""
        level = self._items
        if level is None and self._sequence is not None:
            attribute = self._sequence
            level = self._items = _Level(attribute.items, attribute.placeholders, self.where)
        return level

    def message(self, code: Code) -> str:
        what = f"Type {self.type} {self.name}"
        if code in _MISSING_CODES.values():
            return f"{what} {self.tag_text} is absent"
        if code in ("type1-empty", "type1c-empty"):
            empty = "has no Items" if self._sequence is not None else "has no value"
            return f"{what} {self.tag_text} {empty}"
        text = self.condition.text if self.condition is not None else ""
        if code == "unverifiable-condition":
            return f"{what} is absent; whether it is required cannot be determined: {text}"
        assert code == "condition-not-met-present", code
        return f"{what} is present but its condition does not hold: {text}"

    def add(self, ctx: _Context, code: Code, message: str, path: str, module: str) -> None:
        """A finding on this attribute of the data set at ``path``, with its own message."""
        ctx.add(
            code,
            message,
            tag=self.tag,
            keyword=self.keyword,
            path=_join(path, self.keyword),
            module=module,
            reference=self.reference,
        )

    def report(self, ctx: _Context, code: Code, path: str, module: str) -> None:
        if ctx.findings.left_out(code):
            return
        key = (code, path, module)
        finding = self.memo.get(key)
        if finding is None:
            finding = Finding(
                CODES[code][0],
                code,
                self.tag_object,
                self.keyword,
                _join(path, self.keyword),
                module,
                self.message(code),
                self.reference,
            )
            if len(self.memo) < 256:
                self.memo[key] = finding
        ctx.findings.append(finding)


class _Level:
    """The requirements of one level: a module's top level, or the items of a sequence."""

    __slots__ = (
        "by_tag",
        "checks",
        "gaps",
        "open",
        "order",
        "required",
        "special",
        "tags",
        "type1",
        "type2",
        "valued",
    )

    def __init__(
        self,
        attributes: Iterable[spec.AttributeSpec],
        placeholders: Iterable[spec.Placeholder],
        where: _Where | None = None,
    ) -> None:
        self.checks = tuple(_Check(a, where) for a in attributes)
        self.by_tag: dict[int, _Check] = {}
        for check in self.checks:
            self.by_tag.setdefault(check.tag, check)
        self.tags = frozenset(self.by_tag)
        self.order = {check.tag: index for index, check in enumerate(self.checks)}
        plain = [
            c for c in self.checks if c.include_condition is None and c.functional_group is None
        ]
        self.type1 = frozenset(c.tag for c in plain if c.type == "1")
        self.type2 = frozenset(c.tag for c in plain if c.type == "2")
        self.required = self.type1 | self.type2
        self.special = tuple(
            c
            for c in self.checks
            if c.functional_group is None
            and (c.include_condition is not None or c.type in ("1C", "2C"))
        )
        self.valued = tuple(c for c in plain if c.values and c.type in ("1", "2", "3"))
        held = tuple(placeholders)
        self.open = any(p.kind == "any-attribute" for p in held)
        self.gaps = tuple(p for p in held if p.kind in ("unresolved-include", "recursive-include"))


class _Module:
    __slots__ = (
        "condition",
        "level",
        "name",
        "presence",
        "reference",
        "tags",
        "usage",
        "verdict",
    )

    def __init__(
        self,
        use: spec.ModuleUse,
        dropped: frozenset[int] = frozenset(),
        narrowed: Mapping[int, spec.Specialization] | None = None,
        places: Places | None = None,
    ) -> None:
        assert use.module is not None
        self.name = use.name
        self.usage = use.usage.value
        self.condition = _condition(use.condition) if use.usage.value == "C" else None
        placed = (
            places.condition(self.condition, (), ANY_MODULE)
            if places is not None and self.condition is not None
            else self.condition
        )
        self.verdict = compiled.outcome(placed)
        self.reference = use.module.source
        self.level = _Level(
            _specialized(use.module.attributes, dropped, narrowed or {}),
            use.module.placeholders,
            _Where(places, (), use.name) if places is not None else None,
        )
        self.tags = self.level.tags
        self.presence = self.tags  # narrowed by _Plan to the tags no other module has


def _specialized(
    attributes: tuple[spec.AttributeSpec, ...],
    dropped: frozenset[int],
    narrowed: Mapping[int, spec.Specialization],
) -> list[spec.AttributeSpec]:
    """A module's attributes as one IOD defines them: without those another module's definition
    replaces, with the values a specialization narrows them to."""
    out = []
    for attribute in attributes:
        tag = int(attribute.tag)
        if tag in dropped:
            continue
        special = narrowed.get(tag)
        if special is not None and special.values:
            attribute = attrs.evolve(
                attribute, values=special.values, source=special.source or attribute.source
            )
        out.append(attribute)
    return out


class _Group:
    """A functional group macro as an IOD uses it."""

    __slots__ = (
        "condition",
        "name",
        "note",
        "reference",
        "sequence",
        "shared_forbidden",
        "tags",
        "usage",
        "verdict",
    )

    def __init__(self, use: spec.ModuleUse, places: Places | None = None) -> None:
        assert use.module is not None
        self.name = use.name
        self.usage = use.usage.value
        self.condition = _condition(use.condition) if use.usage.value == "C" else None
        # Evaluated in a frame's item (PS3.3 C.7.6.16): the frame, then the top level.
        placed = (
            places.condition(self.condition, (PER_FRAME_FUNCTIONAL_GROUPS,), ANY_MODULE)
            if places is not None and self.condition is not None
            else self.condition
        )
        self.verdict = compiled.outcome(placed)
        self.reference = use.module.source
        self.tags = frozenset(int(a.tag) for a in use.module.attributes)
        # The macro's sequence (Pixel Measures Sequence …): what its findings name.
        first = use.module.attributes[0] if use.module.attributes else None
        self.sequence = (int(first.tag), first.keyword) if first is not None else (None, "")
        self.note = use.note
        # "M - May not be used as a Shared Functional Group." (Frame Content, A.38-2 …)
        self.shared_forbidden = "not be used as a shared functional group" in use.note.lower()


class _Plan:
    __slots__ = (
        "_holders",
        "all_tags",
        "frame_content",
        "groups",
        "key",
        "modules",
        "name",
        "owners",
        "spec",
    )

    def __init__(self, iod: spec.IodSpec) -> None:
        self.spec = iod
        self.key = iod.key
        self.name = iod.name
        dropped: dict[str, set[int]] = {}
        narrowed: dict[str, dict[int, spec.Specialization]] = {}
        names = {use.name for use in iod.modules}
        for special in iod.specializations:
            unknown = {special.module, *special.replaces} - names
            if unknown:
                raise ValueError(
                    f"{iod.name}: the specialization of {special.tag} ({special.source}) names "
                    f"modules the IOD does not have: {', '.join(sorted(unknown))}"
                )
            for name in special.replaces:
                dropped.setdefault(name, set()).add(int(special.tag))
            narrowed.setdefault(special.module, {})[int(special.tag)] = special
        places = Places(iod)
        self.modules = tuple(
            _Module(u, frozenset(dropped.get(u.name, ())), narrowed.get(u.name), places)
            for u in iod.modules
            if u.module is not None
        )
        self.groups = tuple(
            _Group(u, places) for u in iod.functional_groups if u.module is not None
        )
        # The table of the Frame Content Macro, when the IOD uses it (Dimension Index Values)
        self.frame_content = next(
            (g.reference for g in self.groups if FRAME_CONTENT_SEQUENCE in g.tags), None
        )
        tags: set[int] = set()
        for module in self.modules:
            tags |= module.tags
        self.all_tags = frozenset(tags | ALWAYS_ALLOWED)
        owners: dict[int, list[_Module]] = {}
        for module in self.modules:
            for tag in module.tags:
                owners.setdefault(tag, []).append(module)
        self.owners = {tag: tuple(found) for tag, found in owners.items()}
        # A module is present when an attribute of its own is: one it shares with another
        # module (Instance Number is in General Image and in SOP Common) proves nothing, either
        # way. A module with no attribute of its own is never known to be present.
        for module in self.modules:
            module.presence = frozenset(tag for tag in module.tags if len(self.owners[tag]) == 1)
        self._holders: dict[tuple[_Module, ...], dict[int, tuple[_Check, str]]] = {}

    def holders(self, applying: tuple[_Module, ...]) -> dict[int, tuple[_Check, str]]:
        """Tag -> the check and the name of the first module in ``applying`` that defines it
        (in the order of the IOD's modules), made once per set of applying modules: data sets
        of one IOD mostly have the same modules."""
        found = self._holders.get(applying)
        if found is None:
            found = {}
            chosen = set(applying)
            for tag, owners in self.owners.items():
                for candidate in owners:
                    if candidate in chosen:
                        found[tag] = (candidate.level.by_tag[tag], candidate.name)
                        break
            if len(self._holders) < 64:
                self._holders[applying] = found
        return found


@cache
def _plan(key: str) -> _Plan:
    return _Plan(spec.iod(key))


def _plan_of(iod: spec.IodSpec) -> tuple[_Plan, None]:
    """The plan of an IOD spec: cached for the specs of this build, made anew for others."""
    try:
        if spec.iod(iod.key) is iod:
            return _plan(iod.key), None
    except KeyError:
        pass
    return _Plan(iod), None


# -- the walk -------------------------------------------------------------------------------------
class _Context:
    """State of one walk: findings, the encoding, what was already reported once."""

    __slots__ = ("copies", "explicit", "facts", "findings", "once", "text_decoding")

    def __init__(self, explicit: bool, text_decoding: bool) -> None:
        self.facts = conditions.NO_FACTS
        self.findings = CappedFindings()
        self.explicit = explicit
        self.text_decoding = text_decoding
        self.once: set[tuple[str, str]] = set()
        self.copies: dict[int, dict[int, Any]] = {}
        """Items' elements by int tag (:func:`_elements`), made before their walk (by the index
        of the frames), by the item's ``id``: the walk takes an item's copy from here."""

    def add(
        self,
        code: Code,
        message: str,
        *,
        tag: int | None = None,
        keyword: str = "",
        path: str = "",
        module: str = "",
        reference: str = "",
    ) -> None:
        if self.findings.left_out(code):
            return
        self.findings.append(
            Finding.of(
                code,
                message,
                tag=tag,  # an int: the finding makes its Tag without parsing text
                keyword=keyword,
                path=path,
                module=module,
                reference=reference,
            )
        )


def _join(path: str, keyword: str) -> str:
    return f"{path}.{keyword}" if path else keyword


def _text(element: Any, vr: str, dataset: Dataset, ctx: _Context) -> str:
    """The value of a string-VR element as text, padding kept."""
    value = element.value
    if value is None:
        return ""
    if isinstance(value, bytes):
        if ctx.text_decoding and vr in _DECODED_VRS:
            return _converted_text(dataset[element.tag].value)
        return value.decode("latin-1")
    if isinstance(value, str):
        return value
    return _converted_text(value)


def _converted_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    original = getattr(value, "original_string", None)
    if isinstance(original, str):
        return original
    if isinstance(original, bytes):
        return original.decode("latin-1")
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, Sequence):
        values = value
        if value.__class__ is _multi_value():  # it iterates its list through a generator
            values = cast("Any", value)._list
        return "\\".join([_converted_text(v) for v in values])
    return str(value)


@cache
def _multi_value() -> type:
    from pydicom.multival import MultiValue

    return MultiValue


def _declared(
    tag: int, raw_vr: str | None, vr: str | None, info: _TagInfo, path: str, ctx: _Context
) -> bool:
    """What needs no value: a retired element, and an explicit VR the dictionary does not give
    (False then: its value is not checked as another VR's)."""
    if info.retired:
        ctx.add(
            "retired",
            f"{info.name} {_tag_text(tag)} is retired",
            tag=tag,
            keyword=info.keyword,
            path=path,
            reference=f"PS3.6 {info.source}",
        )
    if (
        ctx.explicit
        and vr is not None
        and vr is raw_vr
        and info.vrs
        and vr not in info.vrs
        and vr != "UN"
    ):
        _vr_finding(ctx, "vr-mismatch", tag, info, vr, path, f"PS3.6 {info.source}")
        return False
    return True


def _unread(tag: int, element: Any, dataset: Dataset, path: str, ctx: _Context) -> None:
    """The checks of an element whose value is not read (:func:`_deferred`) that need none."""
    info = _info(tag)
    if info is None:
        _unknown(tag, path, ctx)
        return
    raw_vr = element.VR
    if raw_vr == "UN":
        _known_as_un(tag, element, dataset, path, ctx)
        return
    vr = raw_vr if raw_vr.__class__ is str and len(raw_vr) == 2 else info.vr
    _declared(tag, raw_vr, vr, info, _join(path, info.keyword), ctx)


def _vm_words(vm: VM) -> str:
    if vm.max is None:
        return f"at least {vm.min}" + (f", in multiples of {vm.step}" if vm.step > 1 else "")
    if vm.min == vm.max:
        return f"exactly {vm.min}"
    return f"{vm.min} to {vm.max}"


def _check_value(
    tag: int, element: Any, info: _TagInfo, dataset: Dataset, path: str, ctx: _Context
) -> bool:
    """Check one element's VR, VM and values; return True when it has no value (empty)."""
    raw_vr = element.VR
    vr = raw_vr if raw_vr.__class__ is str and len(raw_vr) == 2 else info.vr
    if not _declared(tag, raw_vr, vr, info, path, ctx):
        return False
    if vr is None:
        value = element.value
        return value is None or (hasattr(value, "__len__") and len(value) == 0)
    if vr in _STRING_VRS:
        raw = element.value
        if raw.__class__ is bytes and not (ctx.text_decoding and vr in _DECODED_VRS):
            text = raw.decode("latin-1")
        else:
            text = _text(element, vr, dataset, ctx)
        # Empty, or delimiters only (PS3.5 7.4.1): no character but padding and BACKSLASH.
        if vr in _NEVER_SPLIT:
            if not text.strip(_PADDING):
                return True
            count = 1
            problems = rules.NO_PROBLEMS if _FIELDS[vr](text) else rules.check_strings(vr, [text])
        else:
            if not text.strip(_PADDING_OR_DELIMITER):
                return True
            count = text.count("\\") + 1
            problems = (
                rules.NO_PROBLEMS
                if _FIELDS[vr](text)
                else rules.check_strings(vr, text.split("\\"))
            )
    else:
        value = element.value
        if value is None:
            return True
        if value.__class__ is int or value.__class__ is float:  # one number: one value
            if info.single:
                return False
            problems = ()
            count = 1
        elif isinstance(value, bytes):
            length = rules.value_length(value)  # an OnDisk placeholder's: the value's in the file
            if not length:
                return True
            size = _VALUE_SIZES.get(vr)
            if size is not None and not length % size:  # whole values: the common case
                problems = ()
                count = length // size
            else:
                problems = rules.check_binary_length(vr, length) if vr in _BINARY_VRS else ()
                count = 1 if vr in BYTES_VRS or problems else rules.value_count(vr, value)
        else:
            problems = ()
            count = rules.value_count(vr, value)
            if count == 0:
                return True
    for problem in problems:
        where = path if problem.value_index is None else f"{path}[{problem.value_index}]"
        ctx.add(
            "value-invalid",
            problem.message,
            tag=tag,
            keyword=info.keyword,
            path=where,
            reference="PS3.5 6.2",
        )
    if count == 1 and info.single:
        return False
    if not info.allows(count) and vr not in BYTES_VRS:
        vm = info.vm
        ctx.add(
            "vm-mismatch",
            f"{info.name} has {count} value(s); VM {vm} allows {_vm_words(vm)}",
            tag=tag,
            keyword=info.keyword,
            path=path,
            reference=f"PS3.6 {info.source}",
        )
    return False


def _vr_finding(
    ctx: _Context, code: Code, tag: int, info: _TagInfo, vr: str, path: str, reference: str
) -> None:
    """An element encoded with a VR the dictionary does not give for it."""
    allowed = " or ".join(sorted(info.vrs))
    ctx.add(
        code,
        f"{info.name} {_tag_text(tag)} has VR {vr}; the dictionary gives {allowed}",
        tag=tag,
        keyword=info.keyword,
        path=path,
        reference=reference,
    )


_NO_HOLDERS: Final[Mapping[int, tuple[_Check, str]]] = {}  # an item's: no holders (read only)


def _walk(
    dataset: Dataset,
    level: _Level | None,
    scopes: list[Any],
    path: str,
    module: str,
    ctx: _Context,
    depth: int,
    plan: _Plan | None = None,
    elements: dict[int, Any] | None = None,
    outer: Sequence[Mapping[int, Any]] = (),
) -> None:
    """Values of every element, then the requirements of ``level``, then the sequences' items.

    At the top level (``plan`` given) the requirements are those of every module that applies.
    ``elements``: the data set's :func:`_elements`, when the caller has them. ``scopes``: the
    chain conditions are evaluated in, this data set first; ``outer``: the elements of the
    scopes after it, by int tag (the tables of :mod:`dicomstd.validation.compiled`).
    """
    if elements is None:
        elements = ctx.copies.pop(id(dataset), None)
        if elements is None:
            elements = _elements(dataset)
    # The elements as conditions see them (``table``): those given, an element read as UN kept
    # as it is, as in the data set. The walk goes on with its decoded form, put in a copy of
    # them (``elements`` may be the frames' index's copy, which stays as it was made).
    table = elements
    empty: set[int] = set()
    sequences: list[tuple[int, Any, _Check | None, str]] = []
    applying: Sequence[_Module] = ()  # the modules and their holders: at the top level only
    holders = _NO_HOLDERS
    private: list[int] = []
    if plan is not None:
        applying = _modules(dataset, elements, plan, ctx)
        holders = plan.holders(tuple(applying))
    for tag, element in elements.items():
        if tag & 0x10000:  # odd groups are private: checked below, all at once
            private.append(tag)
            continue
        if not tag & 0xFFFF:
            found = group_length(tag, _join(path, _tag_text(tag)))
            if found is not None:
                ctx.findings.append(found)
            continue
        if plan is not None:
            if tag >> 16 == 0x0002:
                continue
            held = holders.get(tag)
            if held is not None:
                check, where = held
            else:
                check = None
                where = ""
                if tag not in plan.all_tags:
                    _not_defined(tag, _keyword(tag), "", ctx, in_item=False)
        else:
            check = level.by_tag.get(tag) if level is not None else None
            where = module
            if check is None and level is not None and not level.open and not level.gaps:
                _not_defined(tag, _join(path, _keyword(tag)), module, ctx, in_item=True)
        vr = element.VR
        if element.is_raw and element.value is None and _left_in_file(tag, element, vr, check):
            read = _deferred(tag, element, dataset, path, ctx)
            if read is None:  # not read (a finding says why): not empty, its value unchecked
                _unread(tag, element, dataset, path, ctx)
                continue
            element, vr = read, read.VR
        if vr == "UN":
            element = _known_as_un(tag, element, dataset, path, ctx)
            if table is elements:
                elements = dict(elements)
            elements[tag] = element
            vr = element.VR
        if vr == "SQ" or (check is not None and check.is_sequence and vr in (None, "SQ")):
            if check is None and _info(tag) is None:
                _unknown(tag, path, ctx)
            sequences.append((tag, element, check, where))
            if _no_items(element):
                empty.add(tag)
            continue
        if tag in PIXEL_DATA_TAGS:
            # never decoded (bulk): empty only when its length is 0 or it holds no value
            if _pixel_data_empty(element):
                empty.add(tag)
            continue
        info = _INFO.get(tag) or _info(tag)
        if info is None:
            _unknown(tag, path, ctx)
            continue
        try:
            quick = info.checkers[vr]
        except KeyError:
            quick = info.checkers[vr] = _quick_check(info, vr)
        if quick is not None:
            answer = quick(element, ctx)
            if answer is not None:
                if answer:
                    empty.add(tag)
                continue
        here = f"{path}.{info.keyword}" if path else info.keyword
        if _check_value(tag, element, info, dataset, here, ctx):
            empty.add(tag)
    if private:
        ctx.findings.extend(private_elements(elements, private, path, explicit=ctx.explicit))
    if PIXEL_DATA in elements:
        problem = length_problem(dataset, elements, path, ctx.facts.memo)
        if problem is not None:
            ctx.findings.append(problem)
        if depth == 0:
            ctx.findings.extend(pixel_encoding_problems(dataset, elements, path, ctx.facts.memo))
    if depth == 0:
        _uids_reused(elements, ctx)
    if plan is not None and CONTENT_SEQUENCE in elements and CURRENT_EVIDENCE in plan.owners:
        _evidence(dataset, plan, applying, ctx)
    tables = [table, *outer]
    if plan is not None:
        for used in applying:
            _requirements(
                elements, empty, dataset, used.level, scopes, tables, path, used.name, ctx
            )
    elif level is not None:
        _requirements(elements, empty, dataset, level, scopes, tables, path, module, ctx)
    frames = Frames(dataset, elements, ctx.copies) if plan is not None else None
    for tag, element, check, where in sequences:
        if depth >= MAX_DEPTH:
            ctx.add(
                "nesting-too-deep",
                f"sequences nested more than {MAX_DEPTH} deep at {path}; not walked further",
                tag=tag,
                path=path,
                reference="PS3.5 7.5",
            )
            return
        value = _sequence_items(dataset, tag, element)
        if not value:
            empty.add(tag)
        items = check.items if check is not None else None
        if (
            check is not None
            and value
            and (check.item_counts or not check.least <= len(value) <= check.most)
        ):
            _item_count(check, len(value), scopes, tables, path, where, ctx)
        keyword = _join(path, _keyword(tag))
        for index, item in enumerate(value):
            chain = [item, *scopes]
            around = tables
            if frames is not None and tag == PER_FRAME_FUNCTIONAL_GROUPS:
                view = frames.view(index)
                chain = [item, view, *scopes]
                around = [view.table(), *tables]
            elif frames is not None and tag == SHARED_FUNCTIONAL_GROUPS and index == 0:
                view = frames.shared_view()
                chain = [item, view, *scopes]
                around = [view.table(), *tables]
            _walk(item, items, chain, f"{keyword}[{index}]", where, ctx, depth + 1, outer=around)
    if plan is not None and frames is not None:
        _functional_groups(dataset, elements, table, plan, frames, ctx)
        frames.release()
        if plan.frame_content is not None:
            ctx.findings.extend(dimension_index_problems(dataset, elements, plan.frame_content))


def _item_count(
    check: _Check,
    count: int,
    scopes: list[Any],
    tables: list[Mapping[int, Any]],
    path: str,
    module: str,
    ctx: _Context,
) -> None:
    """A sequence with Items, against the number its description allows (an empty one is a
    matter of its Type): the count of the first condition that holds ("… unless Dose Summation
    Type (3004,000A) is MULTI_PLAN, in which case two or more Items …"), else the one stated
    without a condition; none when a condition before it cannot be decided."""
    allowed_count = check.item_count
    stated = ""
    for text, holds, counted in check.item_counts:
        answer = holds(scopes, tables, ctx.facts)
        if answer is None:
            return
        if answer:
            allowed_count, stated = counted, f" {text}"
            break
    if allowed_count is None:
        return
    least, most = allowed_count
    if least <= count and (most is None or count <= most):
        return
    if most is None:
        allowed = f"{least} or more"
    elif least == most:
        allowed = f"exactly {least}"
    else:
        allowed = f"{least} to {most}"
    message = f"{check.name} {check.tag_text} has {count} Items; its description allows "
    check.add(ctx, "item-count", f"{message}{allowed}{stated}", path, module)


def _evidence(dataset: Dataset, plan: _Plan, applying: Sequence[_Module], ctx: _Context) -> None:
    """The instances the content tree references against the evidence sequences, as the module
    defining Current Requested Procedure Evidence Sequence says (:mod:`.evidence`)."""
    owners = plan.owners[CURRENT_EVIDENCE]
    module = next((m for m in owners if m in applying), owners[0])
    reference = module.level.by_tag[CURRENT_EVIDENCE].reference
    pertinent = PERTINENT_EVIDENCE in plan.owners
    ctx.findings.extend(unlisted_evidence(dataset, module.name, reference, pertinent=pertinent))


# VRs whose explicit-VR length field has 32 bits (PS3.5 7.1.2): any length fits them, so UN is
# never needed for their long values.
_LONG_VRS: Final = frozenset(
    {"OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"}
)
_SHORT_MAXIMUM: Final = 0xFFFE


def _no_items(element: Any) -> bool:
    """Whether a sequence element has no Items, before they are read: a raw one by its length
    (one left in the file has its Items there; its length is that of its Items), a converted
    one by its value."""
    if element.is_raw:
        return not element.length
    value = element.value
    return value is None or (hasattr(value, "__len__") and len(value) == 0)


def _left_in_file(tag: int, element: Any, vr: str | None, check: _Check | None) -> bool:
    """Whether the raw ``element`` whose value is None had its value left in the file when it
    was read (longer than the defer size), and is neither Pixel Data (never read) nor a
    sequence (its Items are read when they are walked). A sequence read without a VR is known
    by the IOD, else by the dictionary."""
    if not element.length or vr == "SQ" or tag in PIXEL_DATA_TAGS:
        return False
    if vr is not None:
        return True
    if check is not None:
        return not check.is_sequence
    info = _info(tag)
    return info is None or info.vr != "SQ"


def _deferred(tag: int, element: Any, dataset: Dataset, path: str, ctx: _Context) -> Any:
    """The raw ``element`` whose value was left in the file, as its checks need it: a value of
    bytes (OB, OW … UN, or no VR known) by its length alone, nothing read; any other read from
    the file without being kept in the data set, and decoded with the data set's character set
    when text is (its characters are checked); a value longer than ``Limits.value_bytes``, or
    one the file ends before, is not read. None when it is not read: a finding says why."""
    length = element.length
    info = _info(tag)
    known = info.vr if info is not None else None
    vr = element.VR if element.VR.__class__ is str else known
    if vr == "UN" and known is not None:
        vr = known  # decoded as the dictionary's VR (_known_as_un)
    if _past_the_end(tag, element, getattr(dataset, "filename", None), ctx):
        return None
    if vr is None or vr in BYTES_VRS:
        return element._replace(value=OnDisk(length))
    name = info.name if info is not None else "the element"
    where = _join(path, info.keyword if info is not None else _tag_text(tag))
    bound = limit("value_bytes")
    if length > bound:
        ctx.add(
            "limit-exceeded",
            f"{name} {_tag_text(tag)} has a value of {length} bytes, more than the {bound} "
            f"read for one value; its value is not checked (set {ENVIRONMENT['value_bytes']} "
            "to read more)",
            tag=tag,
            path=where,
        )
        return None
    from pydicom.dataelem import convert_raw_data_element

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            read = read_left(dataset, element)
            if read.value is None:
                raise OSError("the data set keeps no file or buffer to read it from")
            if ctx.text_decoding and vr in _DECODED_VRS and element.VR != "UN":
                charset = dataset.original_character_set or dataset._character_set
                return convert_raw_data_element(read, encoding=charset, ds=dataset)
    except Exception as error:
        ctx.add(
            "unreadable",
            f"the value of {name} {_tag_text(tag)} cannot be read from the file: {error}",
            tag=tag,
            path=where,
        )
        return None
    return read


def _past_the_end(tag: int, element: Any, filename: object, ctx: _Context) -> bool:
    """Whether the value of ``element`` runs past the end of the file it is left in: it is then
    not read (what is there is the rest of the file, not the value). The reader's walk of the
    encoding says so (``truncated``); for a data set read otherwise it is said here."""
    if not isinstance(filename, str | os.PathLike):
        return False
    try:
        size = os.stat(filename).st_size
    except (OSError, ValueError):
        return False  # reading it says what is wrong
    start, length = element.value_tell, element.length
    if start + length <= size:
        return False
    if not any(f.code == "truncated" and f.tag == tag for f in ctx.findings):
        ctx.add(
            "truncated",
            f"the file ends {start + length - size} bytes before the end of the value of "
            f"{_tag_text(tag)} (its length is {length}, at byte {start})",
            tag=tag,
        )
    return True


def _known_as_un(tag: int, element: Any, dataset: Dataset, path: str, ctx: _Context) -> Any:
    """An element encoded with VR UN, as its dictionary VR when the dictionary knows it.

    PS3.5 6.2.2: UN is for elements whose VR is unknown, or whose value is longer than 65534
    bytes and whose VR has a 16-bit length field; "If at some point an application knows the
    actual VR for an Attribute of VR UN [...], it can assume that the Value Field of the
    Attribute is encoded in Little Endian byte ordering with implicit VR encoding, irrespective
    of the current Transfer Syntax." A known element sent as UN gets a warning; it is decoded
    that way and checked like any other. The data set itself is left as it is.
    """
    info = _info(tag)
    raw = element.value
    # an OnDisk placeholder's length is that of the value left in the file (value_length)
    length = (
        rules.value_length(raw) if isinstance(raw, bytes) else getattr(element, "length", 0) or 0
    )
    if info is None or not info.vrs or "UN" in info.vrs or not isinstance(raw, bytes | None):
        return element
    vr = _dictionary_vr(info, dataset)
    if length <= _SHORT_MAXIMUM or (vr or "OB") in _LONG_VRS:
        _vr_finding(ctx, "vr-un", tag, info, "UN", _join(path, info.keyword), "PS3.5 6.2.2")
    if vr is None or (raw is None and length):  # a long value left on disk is not decoded
        return element
    return _decoded(tag, vr, raw or b"", dataset) or element


def _dictionary_vr(info: _TagInfo, dataset: Dataset) -> str | None:
    """The VR of a tag: the dictionary's, one of "US or SS" by Pixel Representation (0028,0103),
    OB of "OB or OW"; None when the dictionary leaves the choice to something else."""
    if info.vr is not None:
        return info.vr
    if info.vrs == {"OB", "OW"}:
        return "OB"
    if {"US", "SS"} <= info.vrs:
        signed = dataset.get(PIXEL_REPRESENTATION)
        return "SS" if signed is not None and signed.value == 1 else "US"
    return None


def _decoded(tag: int, vr: str, raw: bytes, dataset: Dataset) -> Any:
    """The element ``tag`` decoded from ``raw`` as ``vr``, implicit VR little endian; None when
    the bytes are not a value of that VR (the value is then checked as UN)."""
    from pydicom import config
    from pydicom.dataelem import DataElement, RawDataElement
    from pydicom.tag import BaseTag
    from pydicom.values import convert_SQ, convert_value

    encodings = getattr(dataset, "_character_set", None)
    try:
        if vr == "SQ":
            value: Any = convert_SQ(raw, True, True, encodings)
        else:
            element = RawDataElement(BaseTag(tag), vr, len(raw), raw, 0, True, True)
            value = convert_value(vr, element, encodings)
        return DataElement(tag, vr, value, validation_mode=config.IGNORE)
    except Exception:  # bytes that are no value of the VR: left as UN
        return None


# UIDs of the items a composite instance names (PS3.3 C.7.2.1, C.7.3.1, C.7.4.1, C.12.1).
_INSTANCE_UIDS: Final = (
    (0x0020000D, "Study Instance UID"),
    (0x0020000E, "Series Instance UID"),
    (0x00200052, "Frame of Reference UID"),
    (0x00080018, "SOP Instance UID"),
)


def _uids_reused(elements: Mapping[int, Any], ctx: _Context) -> None:
    """PS3.5 9: "the same UID value cannot be used to identify both a study instance (Study
    Instance UID) and a series instance (Series Instance UID)"; the same holds for any two
    different items the data set identifies."""
    seen: dict[str, tuple[int, str]] = {}
    for tag, name in _INSTANCE_UIDS:
        element = elements.get(tag)
        if element is None:
            continue
        value = bare_text(_converted_text(element.value))  # raw bytes are ASCII digits
        if not value:
            continue
        first = seen.setdefault(value, (tag, name))
        if first[0] != tag:
            ctx.add(
                "uid-reused",
                f"{first[1]} {_tag_text(first[0])} and {name} {_tag_text(tag)} are both "
                f"{value}: one UID value cannot identify two different items",
                tag=first[0],
                keyword=_keyword(first[0]),
                path=_keyword(first[0]),
                reference="PS3.5 9",
            )


def _unknown(tag: int, path: str, ctx: _Context) -> None:
    """An even-group tag the dictionary of this build does not know (PS3.5 7.1: a Standard Data
    Element is one the standard defines)."""
    if tag >> 16 in (0x0000, 0x0002, 0xFFFE):  # command, file meta, item delimitation
        return
    text = _tag_text(tag)
    ctx.add(
        "unknown-element",
        f"{text} is not a data element of the PS3.6 dictionary this build was generated from",
        tag=tag,
        path=_join(path, text),
        reference="PS3.6 6",
    )


def _not_defined(tag: int, path: str, module: str, ctx: _Context, *, in_item: bool) -> None:
    info = _info(tag)
    if info is None:
        return
    where = "the items of this sequence" if in_item else "any module of the IOD"
    ctx.add(
        "not-in-iod",
        f"{info.name} {_tag_text(tag)} is not defined for {where}",
        tag=tag,
        keyword=info.keyword,
        path=path,
        module=module,
    )


def _modules(
    dataset: Dataset, elements: Mapping[int, Any], plan: _Plan, ctx: _Context
) -> list[_Module]:
    """The modules that apply: required ones (M, C whose condition holds) and present ones.

    A required module none of whose attributes is there, with a requirement of its own unmet,
    is reported missing; its unmet requirements are reported one by one when it is checked.
    """
    applying: list[_Module] = []
    keys = elements.keys()
    for module in plan.modules:
        present = not keys.isdisjoint(module.presence)  # iterates the smaller side
        outcome = "required"
        if module.usage == "U":
            outcome = "optional"
        elif module.usage == "C":
            outcome = module.verdict((dataset,), (elements,), ctx.facts)
        if present or outcome == "required":
            applying.append(module)
        if present:
            continue
        if outcome == "required":
            if module.level.required and keys.isdisjoint(module.tags):
                ctx.add(
                    "module-missing",
                    f"{module.name} module ({module.usage}) is absent: none of its attributes "
                    "is present",
                    module=module.name,
                    reference=module.reference,
                )
        elif outcome == "unknown":
            text = module.condition.text if module.condition is not None else ""
            ctx.add(
                "unverifiable-condition",
                f"{module.name} module is absent; whether it is "
                f"required cannot be determined: {text}",
                module=module.name,
                reference=module.reference,
            )
    return applying


def _requirements(
    elements: Mapping[int, Any],
    empty: set[int],
    dataset: Dataset,
    level: _Level,
    scopes: list[Any],
    tables: list[Mapping[int, Any]],
    path: str,
    module: str,
    ctx: _Context,
) -> None:
    for gap in level.gaps:
        key = (module, gap.target)
        if key not in ctx.once:
            ctx.once.add(key)
            why = "is not in this build" if gap.kind == "unresolved-include" else "includes itself"
            ctx.add(
                "unverifiable-include",
                f"{gap.text}: that table {why}; its requirements are not checked",
                path=path,
                module=module,
                reference=gap.source,
            )
    # difference() with an exact dict probes it once per required tag (a dict_keys operand would
    # be iterated whole).
    missing = level.required.difference(elements)
    if missing:
        for tag in sorted(missing, key=level.order.__getitem__):
            check = level.by_tag[tag]
            check.report(ctx, _MISSING_CODES[check.type], path, module)
    if empty:
        for tag in sorted(level.type1 & empty, key=level.order.__getitem__):
            check = level.by_tag[tag]
            check.report(ctx, check.emptied, path, module)
    # The Type 1C and 2C rows, and the rows under an Include's condition: written out here, not
    # a call per row (a level of a frame's macro item has a few rows, checked for every frame).
    facts = ctx.facts
    for check in level.special:
        present = check.tag in elements
        if check.include_condition is not None:
            applies = check.applies(scopes, tables, facts)
            if applies is False or (applies is None and not present):
                continue
        kind = check.type
        if kind == "1C" or kind == "2C":
            outcome = check.verdict(scopes, tables, facts)
            if outcome != "required":
                if outcome == "unknown":
                    if not present:
                        check.report(ctx, "unverifiable-condition", path, module)
                elif present and (outcome == "forbidden" or outcome == "unspecified"):
                    # PS3.5 7.4.2, 7.4.4: when the condition is not met the element shall not
                    # be included, unless the text says "may be present otherwise".
                    check.report(ctx, "condition-not-met-present", path, module)
                if present and check.values:
                    _check_values(elements[check.tag], dataset, check, path, module, ctx)
                continue
        if not present:
            if check.missing is not None:  # not Type 3
                check.report(ctx, check.missing, path, module)
        elif (kind == "1" or kind == "1C") and check.tag in empty:
            check.report(ctx, check.emptied, path, module)
        elif check.values:
            _check_values(elements[check.tag], dataset, check, path, module, ctx)
    for check in level.valued:
        if check.tag in elements:
            _check_values(elements[check.tag], dataset, check, path, module, ctx)


def _check_values(
    element: Any, dataset: Dataset, check: _Check, path: str, module: str, ctx: _Context
) -> None:
    """Enumerated Values (error) and Defined Terms (warning) of one element (PS3.5 6.3): on the
    text of string VRs, on the numbers of binary ones (US, SS, UL, SL, FL, FD, AT …)."""
    vr = element.VR
    if vr not in _STRING_VRS and vr not in _NUMERIC_VRS:
        info = _info(check.tag)
        vr = info.vr if info is not None else None
    values: Sequence[object]
    if vr in _STRING_VRS:
        text = _text(element, vr, dataset, ctx)
        if not text:
            return
        if vr in _NEVER_SPLIT or "\\" not in text:
            values = (text.strip(_PADDING),)
        else:
            values = [v.strip(_PADDING) for v in text.split("\\")]
        numeric = False
    elif vr in _NUMERIC_VRS:
        values = _numbers(element, check.tag, dataset, ctx.facts.memo)
        numeric = True
    else:
        return
    for value_list, strings, numbers in check.allowed:
        allowed: Container[object] | None = numbers if numeric else strings
        if allowed is None:
            continue
        count = len(values)
        first, stop = 0, count
        if value_list.value_index is not None:  # one value of the list: that one, if any
            first = value_list.value_index - 1
            stop = min(first + 1, count)
        for index in range(first, stop):
            value = values[index]
            if value != "" and value not in allowed:
                _not_allowed(check, value_list, index, value, count, path, module, ctx)


def _not_allowed(
    check: _Check,
    value_list: ValueList,
    index: int,
    value: object,
    count: int,
    path: str,
    module: str,
    ctx: _Context,
) -> None:
    """A value not one of the Enumerated Values or Defined Terms of ``value_list``."""
    shown = ", ".join(value_list.values[:8]) + (" …" if len(value_list.values) > 8 else "")
    number = f" value {index + 1}" if count > 1 else ""
    code: Code
    code, what = (
        ("enum-value", "Enumerated Values")
        if value_list.kind == "enumerated"
        else ("defined-term", "Defined Terms")
    )
    message = f"{check.name}{number} is {value!r}, not one of the {what} {shown}"
    check.add(ctx, code, message, path, module)


def _numbers(element: Any, tag: int, dataset: Dataset, memo: Memo | None) -> Sequence[object]:
    """The values of a binary-VR element as numbers (a raw element is decoded first)."""
    value = element.value
    if isinstance(value, bytes):
        value = raw_value(dataset, tag, element, memo)
    if value is None or isinstance(value, bytes | str):
        return ()
    if isinstance(value, Sequence):
        return list(value)
    return [value]


def _functional_groups(
    dataset: Dataset,
    elements: Mapping[int, Any],
    table: Mapping[int, Any],
    plan: _Plan,
    index: Frames,
    ctx: _Context,
) -> None:
    frames = index.frames
    if not frames:
        return
    _frame_count(dataset, elements, len(frames), ctx)
    if not plan.groups:
        return
    shared_tags = index.shared_contents().keys()
    module = "Multi-frame Functional Groups"
    # Frames that hold the same functional group sequences are alike for every group.
    kinds: dict[frozenset[int], list[int]] = {}
    for number in range(len(frames)):
        kinds.setdefault(frozenset(index.contents(number)), []).append(number)
    chains: dict[int, tuple[list[Any], list[Mapping[int, Any]]]] = {}
    frame_tags: set[int] | None = None  # what any frame's item or view holds, when first needed
    for group in plan.groups:
        tags = group.tags
        in_shared = not shared_tags.isdisjoint(tags)
        missing: list[int] = []
        both: list[int] = []
        unknown = False
        if in_shared:
            both = _numbers_of(kinds, tags, held=True)
        elif group.usage == "M":
            missing = _numbers_of(kinds, tags, held=False)
        elif group.usage != "U":
            absent = _numbers_of(kinds, tags, held=False)
            # A condition that reads no attribute has one outcome for every frame.
            constant = compiled.reads(group.condition) == frozenset()
            # So has one that reads only values whose tags no frame holds: in every frame it
            # has the top level's outcome (compiled._answer keeps that one).
            inputs = None if constant else _top_inputs(group.condition, ctx)
            if inputs is not None:
                if frame_tags is None:
                    frame_tags = _held_by_frames(index)
                constant = frame_tags.isdisjoint(inputs)
            for number in absent[:1] if constant else absent:
                chain = chains.get(number)
                if chain is None:
                    view = index.view(number)
                    chain = chains[number] = (
                        [frames[number], view, dataset],
                        [index.contents(number), view.table(), table],
                    )
                outcome = group.verdict(chain[0], chain[1], ctx.facts)
                if outcome == "unknown":
                    unknown = True
                elif outcome == "required":
                    missing.extend(absent if constant else (number,))
        tag, keyword = group.sequence
        if missing:
            ctx.add(
                "functional-group-missing",
                f"{group.name} functional group is required but "
                f"is in neither the shared item nor the per-frame item of {_frames(missing)}",
                tag=tag,
                keyword=keyword,
                path=_join(f"PerFrameFunctionalGroupsSequence[{missing[0]}]", keyword),
                module=module,
                reference=group.reference,
            )
        if both:
            ctx.add(
                "functional-group-in-both",
                f"{group.name} functional group is in the shared "
                f"item and in the per-frame item of {_frames(both)}",
                tag=tag,
                keyword=keyword,
                path=_join(f"PerFrameFunctionalGroupsSequence[{both[0]}]", keyword),
                module=module,
                reference=group.reference,
            )
        if in_shared and group.shared_forbidden:
            ctx.add(
                "functional-group-shared",
                f"{group.name} functional group is in the shared item; the IOD says: {group.note}",
                tag=tag,
                keyword=keyword,
                path=_join("SharedFunctionalGroupsSequence[0]", keyword),
                module=module,
                reference=group.reference,
            )
        if unknown and not in_shared:
            text = group.condition.text if group.condition is not None else ""
            ctx.add(
                "unverifiable-condition",
                f"{group.name} functional group is absent from "
                f"some frames; whether it is required cannot be determined: {text}",
                path="PerFrameFunctionalGroupsSequence",
                module=module,
                reference=group.reference,
            )


def _top_inputs(condition: Condition | None, ctx: _Context) -> tuple[int, ...] | None:
    """:func:`compiled.top_inputs`, when the compiled conditions keep answers (not with the
    interpreter, which must give each frame's own)."""
    if compiled.REFERENCE or ctx.facts.memo is None:
        return None
    return compiled.top_inputs(condition)


def _held_by_frames(index: Frames) -> set[int]:
    """The tags held by a frame's per-frame item or its view (the tables compiled._answer looks
    a condition's inputs up in before it takes the top level's answer), over every frame."""
    held: set[int] = set()
    for number in range(len(index.frames)):
        held.update(index.contents(number))
        held.update(index.view(number).table())
    return held


def _numbers_of(
    kinds: Mapping[frozenset[int], list[int]], tags: frozenset[int], *, held: bool
) -> list[int]:
    """The numbers, in order, of the frames that hold one of ``tags`` (``held``) or none."""
    picked = [numbers for kind, numbers in kinds.items() if kind.isdisjoint(tags) is not held]
    if len(picked) == 1:
        return picked[0]
    return sorted(number for numbers in picked for number in numbers)


def _frame_count(dataset: Dataset, elements: Mapping[int, Any], items: int, ctx: _Context) -> None:
    """PS3.3 C.7.6.16, Per-frame Functional Groups Sequence: "The number of Items shall be the
    same as the number of frames in the Multi-frame image." """
    count = frame_count(dataset, elements, ctx.facts.memo)
    if count is None or count == items:
        return
    source = "Number of Frames (0028,0008)" if 0x00280008 in elements else "the Pixel Data"
    ctx.add(
        "frame-count-mismatch",
        f"Per-frame Functional Groups Sequence has {items} Item(s); {source} gives {count} "
        "frame(s)",
        tag=PER_FRAME_FUNCTIONAL_GROUPS,
        keyword="PerFrameFunctionalGroupsSequence",
        path="PerFrameFunctionalGroupsSequence",
        module="Multi-frame Functional Groups",
        reference="table_C.7.6.16-1",
    )


def _frames(indexes: list[int]) -> str:
    if len(indexes) == 1:
        return f"frame {indexes[0] + 1}"
    return f"{len(indexes)} frames (first: frame {indexes[0] + 1})"


# -- entry point ------------------------------------------------------------------------------
def validate_dataset(
    dataset: Dataset,
    *,
    iod: str | spec.IodSpec | None = None,
    explicit_vr: bool | None = None,
    path: str | None = None,
    findings: Iterable[Finding] = (),
) -> ValidationResult:
    """Validate one pydicom dataset against its IOD: ``iod`` (a name, a SOP Class UID or an
    :class:`~dicomstd.spec.IodSpec`), else the one of its SOP Class UID (0008,0016)."""
    elements = _elements(dataset)
    sop_class = _sop_class(dataset, elements)
    if explicit_vr is None:
        encoding = getattr(dataset, "original_encoding", None) or (None, None)
        explicit_vr = encoding[0] is False
    charset = elements.get(SPECIFIC_CHARACTER_SET)
    ctx = _Context(explicit_vr, charset is not None and _needs_decoding(charset.value))
    ctx.findings.extend(findings)
    plan, problem = _plan_of(iod) if isinstance(iod, spec.IodSpec) else _plan_for(sop_class, iod)
    if problem is not None:
        ctx.findings.append(problem)
    if plan is not None:
        present = _module_presence(plan, elements)
        iod_spec = plan.spec

        def requires(tag: int) -> bool | None:
            return iod_spec.requires(tag, present)

        ctx.facts = conditions.Facts(module_present=present, requires=requires, memo={})
    try:
        with warnings.catch_warnings():
            # pydicom warns about the invalid values it converts; they are findings here.
            warnings.simplefilter("ignore")
            _walk(dataset, None, [dataset], "", "", ctx, 0, plan, elements)
            _file_meta(dataset, ctx)
    except Exception as error:  # a corrupt element must not end the run
        reason = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
        ctx.add(
            "unreadable",
            "the data set is truncated or an element cannot be decoded: "
            f"{reason or type(error).__name__}; the findings before it are kept",
        )
    return ValidationResult(ctx.findings.closed(), sop_class, plan.name if plan else None, path)


def _file_meta(dataset: Dataset, ctx: _Context) -> None:
    """The values of the File Meta Information elements, always explicit VR (PS3.10 7.1)."""
    meta = getattr(dataset, "file_meta", None)
    if meta is None or not len(meta):
        return
    explicit, ctx.explicit = ctx.explicit, True
    try:
        _walk(meta, None, [meta], "", "", ctx, 1)
    finally:
        ctx.explicit = explicit


MEDIA_STORAGE_SOP_CLASS_UID: Final = 0x00020002


def _sop_class(dataset: Dataset, elements: Mapping[int, Any]) -> str | None:
    """The SOP Class UID of the data set; for a DICOMDIR, which has none (the Basic Directory IOD
    has no SOP Common Module, PS3.3 F.3), the Media Storage SOP Class UID of its File Meta
    Information. Any other data set without SOP Class UID has no IOD to be checked against."""
    if SOP_CLASS_UID in elements:
        return bare_text(elements[SOP_CLASS_UID].value) or None
    meta = getattr(dataset, "file_meta", None)
    element = meta.get(MEDIA_STORAGE_SOP_CLASS_UID) if meta is not None else None
    media = bare_text(element.value) if element is not None else ""
    if not media:
        return None
    from dicomstd import uids  # the registry's constants: only for a data set without SOP Class

    return media if media == uids.MediaStorageDirectoryStorage else None


def _needs_decoding(value: object) -> bool:
    text = value.decode("latin-1") if isinstance(value, bytes) else _converted_text(value)
    terms = [t.strip() for t in text.split("\\") if t.strip()]
    return any(term not in ("ISO_IR 6", "ISO_IR 100") for term in terms)


def _plan_for(sop_class: str | None, iod: str | None) -> tuple[_Plan | None, Finding | None]:
    key = iod or sop_class
    if key is None:
        return None, _sop_class_finding(
            "sop-class-missing",
            "SOP Class UID (0008,0016) is absent, so the IOD is unknown",
            "SOP Common",
            "table_C.12-1",
        )
    try:
        found = spec.iod(key)
    except KeyError:
        if iod is not None:
            raise
        from dicomstd import uid

        info = uid.get(key)
        if info is not None and info.type == "SOP Class":
            return None, _sop_class_finding(
                "iod-not-available",
                f"{info.name} ({key}): its IOD is not in the PS3.3 this build was generated "
                "from, so the file is unchecked (only its values were). Build every IOD into the "
                "installed package: dicomstd standard build --edition current (or --from a "
                "folder of partNN.xml); see dicomstd standard",
            )
        return None, _sop_class_finding(
            "sop-class-unknown",
            f"SOP Class UID {key!r} is not a SOP Class of the standard",
            "SOP Common",
            "PS3.4 B.5",
        )
    return _plan(found.key), None


def _pixel_data_empty(element: Any) -> bool:
    """Whether a Pixel Data element (raw or converted) is empty, without loading its value."""
    length = getattr(element, "length", None)
    if isinstance(length, int):  # a raw element, its value possibly deferred
        return length == 0
    return bool(element.is_empty)


def _sop_class_finding(code: Code, message: str, module: str = "", reference: str = "") -> Finding:
    return Finding.of(
        code,
        message,
        tag=SOP_CLASS_UID,
        keyword="SOPClassUID",
        path="SOPClassUID",
        module=module,
        reference=reference,
    )
