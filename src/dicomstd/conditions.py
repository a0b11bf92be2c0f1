"""Conditions of Type 1C/2C attributes and of C modules, as expression trees.

The standard writes its conditions as prose ("Required if Image Type (0008,0008) Value 1 is
ORIGINAL or MIXED. May be present otherwise."). The generator turns each distinct text into a
:class:`Condition` whose :attr:`Condition.requirement` is a tree of the nodes below; what it could
not turn into a tree faithfully stays text, in an :class:`Unverifiable` node that says why
(:data:`Reason`).

Evaluation (:func:`evaluate`) uses three-valued (Kleene) logic: ``True``, ``False`` or ``None`` for
*unknown*, which :class:`Unverifiable` gives and which :class:`All`, :class:`Any` and :class:`Not`
propagate (``All`` is False as soon as one part is False, ``Any`` True as soon as one is True).

**Scopes.** ``scopes`` is the chain of data sets the condition is evaluated in: the sequence item
that holds the conditional attribute first, then each enclosing item, the top-level data set last.
A reference to an attribute resolves in the *innermost scope that holds its tag*; an attribute no
scope holds is absent. (PS3.3 evaluates a condition within the item its attribute belongs to;
conditions of attributes in items that name attributes of the enclosing data set, such as Image
Type in functional group macros, are found outward.) :class:`Scoped` narrows the chain where the
text says where to look: ``"dataset"`` ("at the image level", "in the Enhanced CT Image Module",
the SOP Class and Number of Frames of the instance) looks in the top-level data set only;
``"item"`` ("present in this Sequence Item") in the innermost scope only; ``"frame"`` ("Frame Type
(0008,9007) Value 1 of this frame") looks in the chain, then in the functional group macro items of
this frame: the first item of each sequence of ``scopes[-2]`` (the Per-frame Functional Groups item
when the condition is evaluated inside functional groups) and of the Shared Functional Groups
Sequence (5200,9229) item.

**Facts.** What the data sets in scope do not hold comes from :class:`Facts`, which the validator
gives: whether a module of the IOD is present (:class:`ModulePresent`; the presence rule of a
module belongs to the validator) and whether the IOD requires an attribute
(:class:`IodRequires`). Everything else a condition may ask is read from the data sets
themselves — the SOP Class UID and Number of Frames of the instance (top level), the items of a
sequence and the position of the item being checked (:class:`InItems`, :class:`ItemPosition`,
:class:`Varies`), the Specific Character Set and the bytes of text values
(:class:`ExtendedCharacters`). Without facts (``NO_FACTS``) a module's presence, and what the
IOD requires, are unknown.

**Values.** A value is taken as a list of values: a multi-valued attribute gives each of its
values (a string holding ``\\`` is split), a single value gives a list of one, an absent attribute
or one without a value gives none. ``value_index`` (1-based) picks one value; None means *any*
value. Strings compare exactly after their DICOM padding (spaces, NUL) is stripped from both ends;
``PersonName`` and other objects compare as ``str()``. Numeric literals compare numerically, so
DS and IS values given as strings (``"1"``, ``" 1.0"``) are converted; a value that is not a number
is not equal to a number, and makes an ordering (:class:`Compare`) unknown. An Attribute Tag (AT)
value equals the tag it holds (``Frame Increment Pointer (0028,0009) is Frame Time (0018,1063)``).

**Negation.** ``Not(Equals(…))`` holds for an absent attribute; "X is not V" and "X is other than
V" are written ``All((HasValue(X), Not(Equals(X, V))))``, so that an absent X is not "other than
V". "A and B are not present" is ``All((Not(Present(A)), Not(Present(B))))``.

**Empty.** :class:`HasValue` is True when the attribute is present and not empty: not None, not a
zero-length string, bytes, list or sequence, and not a string of padding only. A multi-valued
attribute with empty values (``\\``) has a value.

Evaluation allocates little and uses no regular expressions; pydicom data sets are read through
their element dictionary, converting raw elements on demand. Every node is a pure function of
``(scopes, facts)``.
"""

from __future__ import annotations

import collections.abc
import importlib
import operator
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Final, Literal, Protocol, cast, overload

import attrs
from mypy_extensions import mypyc_attr

from dicomstd.rawvalue import value as raw_value
from dicomstd.tag import tag_text
from dicomstd.vr import PADDING, bare_text

__all__ = [
    "NO_FACTS",
    "All",
    "Any",
    "Compare",
    "Condition",
    "Count",
    "DatasetLike",
    "Equals",
    "ExtendedCharacters",
    "Facts",
    "FramesInOneFragment",
    "HasCode",
    "HasValue",
    "InItems",
    "IodRequires",
    "ItemPosition",
    "Level",
    "ModulePresent",
    "Node",
    "Not",
    "Op",
    "Otherwise",
    "Outcome",
    "PointsToPrivate",
    "Present",
    "Reason",
    "Scoped",
    "Unverifiable",
    "Value",
    "Varies",
    "children",
    "describe",
    "evaluate",
    "for_text",
    "is_verifiable",
    "other_than",
    "points_to_private",
    "unverifiable",
    "unverifiable_parts",
]

SHARED_FUNCTIONAL_GROUPS: Final = 0x52009229
CODE_VALUE: Final = 0x00080100
CODING_SCHEME_DESIGNATOR: Final = 0x00080102
SPECIFIC_CHARACTER_SET: Final = 0x00080005
PIXEL_DATA: Final = 0x7FE00010
NUMBER_OF_FRAMES: Final = 0x00280008
_FRAGMENT_ITEM: Final = 0xFFFEE000
_SEQUENCE_DELIMITER: Final = 0xFFFEE0DD

Value = str | int | float
Op = Literal["<", "<=", ">", ">=", "!=", "=="]
Level = Literal["dataset", "frame", "item"]
Otherwise = Literal["may", "shall-not"]
Outcome = Literal["required", "optional", "forbidden", "unspecified", "unknown"]
"""What a condition says about its attribute in a data set; see :meth:`Condition.outcome`."""
Reason = Literal[
    "real-world",
    "other-instance",
    "other-items",
    "section",
    "exchange",
    "ambiguous",
    "wording",
]
"""Why a part of a condition cannot be decided from the data set:

* ``real-world`` — a fact no attribute records ("if the Patient is an animal", "if contrast media
  was used");
* ``other-instance`` — what another instance holds (the referenced image, the contributing or
  converted SOP Instances, the referenced RT Plan);
* ``other-items`` — a join between items the trees do not express (the item of another sequence
  "with the same Agent Number");
* ``section`` — the condition is stated elsewhere ("the conditions in Section C.36.2.2.5.1.1 are
  satisfied");
* ``exchange`` — the exchange, not the data set (a transfer syntax to be used, a retrieve
  request, a SOP Class supported);
* ``ambiguous`` — prose whose structure has two readings ("A and B or C");
* ``wording`` — phrasing the generator does not read (yet).
"""


class DatasetLike(Protocol):
    """A pydicom ``Dataset``, or any mapping from int tags to elements (``.value``) or values."""

    def __contains__(self, key: int, /) -> bool: ...

    def __getitem__(self, key: int, /) -> object: ...

    def keys(self) -> collections.abc.Iterable[object]: ...


Scopes = Sequence[DatasetLike]


@mypyc_attr(native_class=False)
@attrs.frozen(slots=True)
class Facts:
    """What a condition may need beyond the data sets in scope, as the validator knows it.

    ``module_present``: whether the module or macro whose attribute table has this id
    (``table_C.7-22``) is present in the data set — by the validator's presence rule; None
    answers *unknown*. Without it every module's presence is unknown.
    """

    module_present: Callable[[str], bool | None] | None = None
    requires: Callable[[int], bool | None] | None = None
    """Whether the IOD requires the attribute with this tag (:class:`IodRequires`); None answers
    *unknown*, as does a missing callable."""
    memo: dict[tuple[int, ...], object] | None = None
    """For the data set being validated: what is the same for every item of a sequence (the
    identities of its items; :class:`Varies`), by the identity of the sequence and a tag (0 for
    the items), so that a long sequence is looked through once, not once per item. None: nothing
    is kept."""


NO_FACTS: Final = Facts()

_MISSING: Final = object()


# -- reading values -------------------------------------------------------------------------------
def _value_in(scope: DatasetLike, tag: int) -> object:
    """The value of ``tag`` in one data set, or ``_MISSING``."""
    elements = getattr(scope, "_dict", None)
    if elements is not None:  # a pydicom Dataset: one dict probe, no Tag conversion
        element = elements.get(tag)
        if element is None:
            return _MISSING
        if element.is_raw:
            return raw_value(scope, tag, element)
        return element.value
    if tag not in scope:
        return _MISSING
    item = scope[tag]
    return getattr(item, "value", item)


def _holds_tag(scope: DatasetLike, tag: int) -> bool:
    """Whether one data set holds ``tag`` (its value is not read: a raw one stays raw)."""
    elements = getattr(scope, "_dict", None)
    if elements is not None:
        return elements.get(tag) is not None
    return tag in scope


def _resolve(scopes: Scopes, tag: int) -> object:
    """The value of ``tag`` in the innermost scope that holds it, or ``_MISSING``."""
    for scope in scopes:
        value = _value_in(scope, tag)
        if value is not _MISSING:
            return value
    return _MISSING


def _values(value: object) -> Sequence[object]:
    if value is None:
        return ()
    if isinstance(value, str):
        return value.split("\\") if "\\" in value else (value,)
    if isinstance(value, (int, float, bytes, bytearray)):
        return (value,)
    if isinstance(value, collections.abc.Sequence):
        return value
    return (value,)


def _selected(scopes: Scopes, tag: int, index: int | None) -> Sequence[object]:
    """The values of ``tag`` to test: all of them, or only value ``index`` (1-based); none when
    the attribute is absent or has fewer values."""
    value = _resolve(scopes, tag)
    if value is _MISSING:
        return ()
    values = _values(value)
    if index is None:
        return values
    return (values[index - 1],) if len(values) >= index else ()


def _empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip(PADDING)
    if isinstance(value, (int, float)):
        return False
    if isinstance(value, collections.abc.Sized):
        return len(value) == 0
    return not str(value).strip(PADDING)


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip(PADDING)
    if hasattr(value, "keys"):  # a sequence item equals no string
        return None
    return bare_text(value)


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (str, bytes, bytearray)):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _count(value: object) -> int:
    """How many values (or items) an attribute's value holds; an empty one holds none."""
    if value is _MISSING or _empty(value):
        return 0
    return len(_values(value))


def _holds(op: Op, number: float, limit: float) -> bool:
    if op == ">":
        return number > limit
    if op == ">=":
        return number >= limit
    if op == "<":
        return number < limit
    if op == "<=":
        return number <= limit
    if op == "!=":
        return number != limit
    return number == limit


def _is_item(value: object) -> bool:
    return hasattr(value, "keys") and not isinstance(value, (str, bytes))


def _items_of(value: object) -> Sequence[DatasetLike]:
    """The items of a sequence's value (none when it is absent, empty or not a sequence)."""
    if value is _MISSING:
        return ()
    return [cast(DatasetLike, item) for item in _values(value) if _is_item(item)]


def _members(items: Sequence[object], facts: Facts) -> Collection[int]:
    """The identities of the items of a sequence (kept in ``facts.memo`` when there is one)."""
    memo = facts.memo
    if memo is None:
        return [id(item) for item in items]
    key = (id(items), 0)
    found = memo.get(key)
    if found is None:
        found = memo[key] = frozenset(id(item) for item in items)
    return cast("Collection[int]", found)


def _holding(
    scopes: Scopes, sequence: int | None, facts: Facts
) -> tuple[Sequence[object], int] | None:
    """The items of a sequence and the index in ``scopes`` of the one being checked: the
    innermost scope that is an item of ``sequence`` (held by the scope after it), or (None) the
    sequence of ``scopes[1]`` that holds ``scopes[0]``. None when there is no such item."""
    if sequence is not None:
        for index in range(len(scopes) - 1):
            value = _value_in(scopes[index + 1], sequence)
            if value is _MISSING:
                continue
            items = _values(value)
            if id(scopes[index]) in _members(items, facts):
                return items, index
        return None
    if len(scopes) < 2:
        return None
    memo, key = facts.memo, (id(scopes[0]), 1)
    found: Sequence[object] | None
    if memo is not None and key in memo:
        found = cast("Sequence[object] | None", memo[key])
    else:
        found = _sequence_holding(scopes[0], scopes[1], facts)
        if memo is not None:
            memo[key] = found
    return None if found is None else (found, 0)


def _sequence_holding(
    item: DatasetLike, parent: DatasetLike, facts: Facts
) -> Sequence[object] | None:
    """The sequence of ``parent`` that ``item`` is an item of."""
    elements = getattr(parent, "_dict", None)
    if elements is not None:  # a pydicom Dataset: only its sequences
        keys = [tag for tag, element in elements.items() if element.VR == "SQ"]
    else:
        keys = [key for key in list(parent.keys()) if isinstance(key, int)]
    for tag in keys:
        value = _value_in(parent, tag)
        if (
            isinstance(value, collections.abc.Sequence)
            and not isinstance(value, (str, bytes))
            and id(item) in _members(value, facts)
        ):
            return value
    return None


# -- nodes ----------------------------------------------------------------------------------------
@mypyc_attr(native_class=False)
@attrs.frozen
class Present:
    """The attribute is present (with or without a value): "is present", "is sent", "is used"."""

    tag: int

    def evaluate(self, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
        return any(_holds_tag(scope, self.tag) for scope in scopes)


@mypyc_attr(native_class=False)
@attrs.frozen
class HasValue:
    """The attribute is present and not empty: "has a value", "is not empty", "contains Items"."""

    tag: int

    def evaluate(self, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
        value = _resolve(scopes, self.tag)
        return value is not _MISSING and not _empty(value)


@mypyc_attr(native_class=False)
@attrs.frozen
class Equals:
    """A value equals one of ``values``: "is CT or MR", "has a value of YES", "Value 1 is …".

    ``value_index`` None: any value of a multi-valued attribute may match; N: the N-th value
    (1-based) must. An absent attribute, or one without that value, equals nothing.
    """

    tag: int
    values: tuple[Value, ...]
    value_index: int | None = None
    _strings: frozenset[str] = attrs.field(init=False, eq=False, repr=False, hash=False)
    _numbers: frozenset[float] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        if not self.values:
            raise ValueError("Equals needs at least one value")
        if self.value_index is not None and self.value_index < 1:
            raise ValueError(f"value_index is 1-based, not {self.value_index}")
        strings = frozenset(v for v in self.values if isinstance(v, str))
        numbers = frozenset(float(v) for v in self.values if not isinstance(v, str))
        object.__setattr__(self, "_strings", strings)
        object.__setattr__(self, "_numbers", numbers)

    def evaluate(self, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
        values = _selected(scopes, self.tag, self.value_index)
        strings, numbers = self._strings, self._numbers
        for item in values:
            if strings and _text(item) in strings:
                return True
            if numbers and _number(item) in numbers:
                return True
        return False


def _as_float(number: float) -> float:
    """``float`` as a converter: attrs reads a converter's signature, and a builtin's is parsed
    from text (importing and compiling ``tokenize``, milliseconds at start-up)."""
    return float(number)


@mypyc_attr(native_class=False)
@attrs.frozen
class Compare:
    """A numeric comparison: "has a value greater than 1", "is non-zero". The value is on the
    left.

    With ``value_index`` None any value may satisfy it. False when the attribute is absent or
    has no value; unknown (None) when a value is not a number.
    """

    tag: int
    op: Op
    number: float = attrs.field(converter=_as_float)
    value_index: int | None = None

    def evaluate(self, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
        values = _selected(scopes, self.tag, self.value_index)
        op, limit, unknown = self.op, self.number, False
        for item in values:
            number = _number(item)
            if number is None:
                unknown = True
            elif _holds(op, number, limit):
                return True
        return None if unknown else False


@mypyc_attr(native_class=False)
@attrs.frozen
class Count:
    """How many values (or sequence items) the attribute holds, compared with ``number``:
    "Sequence (3010,0067) contains one Item", "more than one Item in Exposure Sequence
    (3002,0030)", "specifies more than one frame (i.e., is multi-valued)". An absent or empty
    attribute holds none."""

    tag: int
    op: Op
    number: int

    def evaluate(self, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
        return _holds(self.op, _count(_resolve(scopes, self.tag)), self.number)


@mypyc_attr(native_class=False)
@attrs.frozen
class HasCode:
    """An item of the sequence holds one of ``codes``, pairs of Code Value (0008,0100) and Coding
    Scheme Designator (0008,0102): "Derivation Code Sequence (0008,9215) Item value is (113097,
    DCM, "Multi-energy proportional weighting")". Code Meaning is not compared (PS3.3 8.8: the
    value and the designator identify the code). An absent or empty sequence holds none."""

    tag: int
    codes: tuple[tuple[str, str], ...]

    def __attrs_post_init__(self) -> None:
        if not self.codes:
            raise ValueError("HasCode needs at least one code")

    def evaluate(self, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
        for scope in _items_of(_resolve(scopes, self.tag)):
            code = _value_in(scope, CODE_VALUE)
            scheme = _value_in(scope, CODING_SCHEME_DESIGNATOR)
            if code is _MISSING or scheme is _MISSING:
                continue
            if (_text(code), _text(scheme)) in self.codes:
                return True
        return False


def points_to_private(value: object) -> bool | None:
    """Whether a value of Data Element Tags (AT, or their text) points to a Private Attribute
    (odd group): True for any that does, None when one cannot be read and none does."""
    unknown = False
    for item in _values(value):
        pointer: int | None = None
        if isinstance(item, int) and not isinstance(item, bool):
            pointer = item
        elif isinstance(item, str):
            digits = item.strip(PADDING)
            if len(digits) == 8:
                try:
                    pointer = int(digits, 16)
                except ValueError:
                    pointer = None
        if pointer is None:
            unknown = True
        elif (pointer >> 16) & 1:
            return True
    return None if unknown else False


@mypyc_attr(native_class=False)
@attrs.frozen
class PointsToPrivate:
    """The value, a Data Element Tag (VR AT), is the tag of a Private Attribute (odd group):
    "Dimension Index Pointer (0020,9165) value is the Data Element Tag of a Private Attribute".
    False when the attribute is absent or has no value; unknown when a value is not a tag."""

    tag: int

    def evaluate(self, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
        value = _resolve(scopes, self.tag)
        if value is _MISSING:
            return False
        return points_to_private(value)


@mypyc_attr(native_class=False)
@attrs.frozen
class InItems:
    """``node`` holds in some item (``every`` False) or in every item (True) of the sequence
    ``tag``, each item evaluated as the innermost scope: "Content Item Modifier Sequence
    (0040,0441) within Performed Protocol Code Sequence (0040,0260) contains …", "in any of the
    Items in the Brachy Task Sequence (0074,1401)", "are present in every Item of the Track
    Sequence (0066,0102)". An absent or empty sequence has no item where it holds, and every one
    of its (no) items satisfies it."""

    tag: int
    node: Node
    every: bool = False

    def evaluate(self, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
        result: bool | None = self.every
        for item in _items_of(_resolve(scopes, self.tag)):
            value = self.node.evaluate((item, *scopes), facts)
            if value is not self.every and value is not None:
                return not self.every
            if value is None:
                result = None
        return result


@mypyc_attr(native_class=False)
@attrs.frozen
class ItemPosition:
    """The item being checked is the ``"first"`` or ``"last"`` item of the sequence ``sequence``
    ("Required for first Item of Control Point Sequence": the innermost scope that is an item of
    it) or, when ``sequence`` is None, of the sequence that holds ``scopes[0]`` ("for all but the
    last Item in this Sequence"). Unknown when no scope is an item of that sequence."""

    which: Literal["first", "last"]
    sequence: int | None = None

    def evaluate(self, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
        found = _holding(scopes, self.sequence, facts)
        if found is None:
            return None
        items, index = found
        return (items[0] if self.which == "first" else items[-1]) is scopes[index]


def _comparable(value: object) -> tuple[object, ...] | None:
    """A value as a tuple that compares as the standard compares values; None for items."""
    out: list[object] = []
    for item in _values(value):
        if _is_item(item):
            return None
        number = _number(item)
        out.append(number if number is not None else _text(item))
    return tuple(out)


@mypyc_attr(native_class=False)
@attrs.frozen
class Varies:
    """The attribute takes more than one value across the items of the sequence that holds the
    item being checked ("if Gantry Angle changes during Beam": the items are the Control Points
    of the beam). An item without the attribute keeps the value given before it (PS3.3
    C.8.8.14.5, static delivery: "Control Point 1: Cumulative Meterset Weight = 1, no other
    parameters defined"; C.36.2.2.5.1.1: "if absent remain at the same value as specified
    previously"), so it changes exactly when two items give different values. Unknown when no
    item gives it (it may be in their sequences' items), when the values are sequences, or when
    no sequence holds the item."""

    tag: int
    sequence: int | None = None

    def evaluate(self, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
        found = _holding(scopes, self.sequence, facts)
        if found is None:
            return None
        memo, key = facts.memo, (id(found[0]), self.tag)
        if memo is not None and key in memo:
            return cast("bool | None", memo[key])
        result = self._changes(found[0])
        if memo is not None:
            memo[key] = result
        return result

    def _changes(self, items: Sequence[object]) -> bool | None:
        seen: tuple[object, ...] | None = None
        for item in items:
            if not _is_item(item):
                return None
            value = _value_in(cast(DatasetLike, item), self.tag)
            if value is _MISSING:
                continue
            comparable = _comparable(value)
            if comparable is None:
                return None
            if seen is None:
                seen = comparable
            elif comparable != seen:
                return True
        return None if seen is None else False  # in no item: it may be deeper, or nowhere


_DEFAULT_REPERTOIRE: Final = frozenset({"", "ISO_IR 6", "ISO 2022 IR 6"})
_TEXT_VRS: Final = frozenset({"SH", "LO", "ST", "LT", "UT", "PN", "UC"})


def _outside_default(value: object) -> bool:
    """Whether a text value holds a byte or character outside ISO-IR 6 (or an escape)."""
    if isinstance(value, (bytes, bytearray)):
        # A byte above 0x7E: not ASCII, or DEL (0x7F).
        return not value.isascii() or b"\x7f" in value or b"\x1b" in value
    if isinstance(value, str):
        return not value.isascii() or "\x1b" in value
    if isinstance(value, collections.abc.Sequence):
        return any(_outside_default(item) for item in value)
    return value is not None and _outside_default(str(value))


# Values of these classes are no sequence of items (the test below is the costly one).
_NOT_ITEMS: Final = frozenset({str, bytes, bytearray, int, float, type(None)})


def _uses_other_characters(scope: DatasetLike) -> bool | None:
    """Whether a text value of ``scope`` or of its items is outside the default repertoire;
    None when none is found but the items of a sequence cannot be read (a damaged file)."""
    unknown = False
    elements = getattr(scope, "_dict", None)
    entries: list[tuple[int, _Element]]
    if elements is None:
        listed = scope.keys()
        entries = [(key, _Entry(scope[key])) for key in listed if isinstance(key, int)]
    else:  # a copy: reading a raw sequence converts it in the data set
        entries = list(elements.items())
    for key, entry in entries:
        vr = entry.VR
        kind = None
        if vr.__class__ is str and len(vr) == 2:  # the common case: a VR of two letters
            if vr in _TEXT_VRS:
                value = entry.value
                if value.__class__ is bytes:  # raw: _outside_default's test, without a call
                    if not value.isascii() or b"\x7f" in value or b"\x1b" in value:
                        return True
                elif _outside_default(value):
                    return True
                continue
            if vr != "SQ" and entry.is_raw:  # raw bytes (or a value left in the file): no items
                continue
            value = entry.value
            if vr != "SQ" and value.__class__ in _NOT_ITEMS:
                continue
        else:  # no VR (implicit VR, raw) or one of several: the dictionary's
            tag = operator.index(key)  # a plain int: a BaseTag key would call its Python __eq__
            kind = _KINDS.get(tag) or _kind(tag)
            value = entry.value
            if kind is _TEXT:
                if _outside_default(value):
                    return True
                continue
            if kind is not _SEQUENCE and value.__class__ in _NOT_ITEMS:
                continue
        if (
            vr == "SQ"
            or kind is _SEQUENCE
            or (
                isinstance(value, collections.abc.Sequence)
                and not isinstance(value, (str, bytes))
                and any(_is_item(item) for item in value)
            )
        ):
            if entry.is_raw:  # a raw sequence: its items read now
                try:
                    value = raw_value(scope, operator.index(key), entry)
                except Exception:  # its bytes are no items: the walk of the values says so
                    unknown = True
                    continue
            for item in _items_of(value):
                found = _uses_other_characters(item)
                if found:
                    return True
                unknown = unknown or found is None
    return None if unknown else False


class _Entry:
    """What the character-repertoire walk reads of what a scope that is no pydicom data set
    gives for a tag (``scope[tag]``: an element, or a bare value)."""

    __slots__ = ("VR", "is_raw", "value")

    def __init__(self, found: object) -> None:
        self.VR: object = getattr(found, "VR", None)
        self.value: object = getattr(found, "value", found)
        self.is_raw = bool(getattr(found, "is_raw", False))


class _Element(Protocol):
    VR: object
    value: object
    is_raw: bool


_TEXT: Final = "text"
_SEQUENCE: Final = "sequence"
_OTHER: Final = "other"
_KINDS: Final[dict[int, str]] = {}
"""By tag, what the dictionary makes an element read without a VR (or with one of several): a
text (a text VR among its VRs), a sequence (SQ its only VR: its raw value holds items) or other.
At most 65,536 tags are kept (tags come from the files)."""


def _kind(tag: int) -> str:
    from dicomstd import dictionary

    element = dictionary.get(tag)
    vrs = {str(v) for v in element.vrs} if element is not None else set()
    kind = _TEXT if not vrs.isdisjoint(_TEXT_VRS) else _SEQUENCE if vrs == {"SQ"} else _OTHER
    if len(_KINDS) < 65536:
        _KINDS[tag] = kind
    return kind


@mypyc_attr(native_class=False)
@attrs.frozen
class ExtendedCharacters:
    """ "An expanded or replacement character set is used": Specific Character Set (0008,0005)
    names one (a term other than the default repertoire ISO_IR 6), or a text value (SH, LO, ST,
    LT, UT, PN, UC) of the data set holding the attribute, or of its items, has a byte outside
    ISO-IR 6 (PS3.5 6.1.2: without Specific Character Set only the default repertoire is used)."""

    def evaluate(self, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
        if not scopes:
            return False
        declared = _resolve(scopes, SPECIFIC_CHARACTER_SET)
        if declared is not _MISSING:
            terms = {bare_text(term) for term in _values(declared)}
            if not terms <= _DEFAULT_REPERTOIRE:
                return True
        return _uses_other_characters(scopes[0])


@mypyc_attr(native_class=False)
@attrs.frozen
class FramesInOneFragment:
    """ "Every frame is encoded as a single fragment" (Extended Offset Table Lengths (7FE0,0002),
    PS3.3 C.7.6.3): the encapsulated Pixel Data (7FE0,0010) of the top-level data set holds, after
    its Basic Offset Table Item, one fragment Item per frame (PS3.5 A.4), as many as Number of
    Frames (0028,0008) says (one without it). Only the Item headers are read, from the value the
    data set already holds; False for native Pixel Data, unknown when there is none or its value
    is not in memory (deferred) or its Items are not well formed."""

    def evaluate(self, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
        if not scopes:
            return None
        top = scopes[-1]
        value = _raw_value(top, PIXEL_DATA)
        if not isinstance(value, (bytes, bytearray, memoryview)):
            return None
        fragments = encapsulated_fragments(value)
        if fragments is None:  # native Pixel Data holds no fragment; broken Items: unknown
            return None if _starts_with_item(value) else False
        frames = _number(_resolve([top], NUMBER_OF_FRAMES)) if NUMBER_OF_FRAMES in top else 1
        if frames is None:
            return None
        return fragments == frames


def _raw_value(scope: DatasetLike, tag: int) -> object:
    """The value of ``tag`` in ``scope`` as the data set holds it, without reading a deferred
    value (None then)."""
    elements = getattr(scope, "_dict", None)
    if elements is not None:
        item = elements.get(tag)
    elif tag in scope:
        item = scope[tag]
    else:
        return None
    return getattr(item, "value", item)


def _starts_with_item(value: bytes | bytearray | memoryview) -> bool:
    return len(value) >= 4 and int.from_bytes(value[:2], "little") == 0xFFFE


def encapsulated_fragments(value: bytes | bytearray | memoryview) -> int | None:
    """The number of fragment Items after the Basic Offset Table Item of an encapsulated Pixel
    Data value (PS3.5 A.4), from the Item headers alone; None when the value is not a sequence of
    well formed Items (native Pixel Data, a length that overruns the value)."""
    view = memoryview(value).cast("B")
    size, position, items = len(view), 0, 0
    while position + 8 <= size:
        group = int.from_bytes(view[position : position + 2], "little")
        element = int.from_bytes(view[position + 2 : position + 4], "little")
        tag = group << 16 | element
        if tag == _SEQUENCE_DELIMITER:
            break
        if tag != _FRAGMENT_ITEM:
            return None
        length = int.from_bytes(view[position + 4 : position + 8], "little")
        position += 8 + length
        if position > size:
            return None
        items += 1
    if items == 0:
        return None
    return items - 1


@mypyc_attr(native_class=False)
@attrs.frozen
class ModulePresent:
    """The module (or macro) whose attribute table is ``source`` is present in the data set:
    "Required if the Palette Color Lookup Table Module is not present", "RT Fraction Scheme
    Module exists". The validator decides presence (:class:`Facts`); ``name`` is how the
    standard names it."""

    source: str
    name: str

    def evaluate(self, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
        present = facts.module_present
        return None if present is None else present(self.source)


@mypyc_attr(native_class=False)
@attrs.frozen
class IodRequires:
    """The IOD of the instance requires the attribute: "Required if image does not require Image
    Orientation (Patient) (0020,0037)". The validator decides it from the IOD (:class:`Facts`):
    the attribute is Type 1 or 2 in a module the IOD has, mandatory or present."""

    tag: int

    def evaluate(self, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
        requires = facts.requires
        return None if requires is None else requires(self.tag)


@mypyc_attr(native_class=False)
@attrs.frozen
class Not:
    node: Node

    def evaluate(self, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
        result = self.node.evaluate(scopes, facts)
        return None if result is None else not result


@mypyc_attr(native_class=False)
@attrs.frozen
class All:
    """Every part holds ("and"). Kleene: False if any part is False, else unknown if any is."""

    nodes: tuple[Node, ...]

    def evaluate(self, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
        result: bool | None = True
        for node in self.nodes:
            value = node.evaluate(scopes, facts)
            if value is False:
                return False
            if value is None:
                result = None
        return result


@mypyc_attr(native_class=False)
@attrs.frozen
class Any:
    """Some part holds ("or"). Kleene: True if any part is True, else unknown if any is."""

    nodes: tuple[Node, ...]

    def evaluate(self, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
        result: bool | None = False
        for node in self.nodes:
            value = node.evaluate(scopes, facts)
            if value is True:
                return True
            if value is None:
                result = None
        return result


@mypyc_attr(native_class=False)
@attrs.frozen
class Scoped:
    """Evaluate ``node`` where the text says: ``"dataset"`` (the top-level data set only),
    ``"item"`` (the innermost scope only, "in this Sequence Item"; with ``sequence``, the
    innermost scope that is an item of that sequence, "in this Item of the Fiducial Set Sequence
    (0070,031C)", unknown when there is none) or ``"frame"`` (the chain, then the functional group
    macro items of this frame)."""

    node: Node
    level: Level
    sequence: int | None = None

    def evaluate(self, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
        if not scopes:
            return self.node.evaluate(scopes, facts)
        if self.level == "dataset":
            return self.node.evaluate((scopes[-1],), facts)
        if self.level == "item":
            if self.sequence is None:
                return self.node.evaluate((scopes[0],), facts)
            found = _holding(scopes, self.sequence, facts)
            return None if found is None else self.node.evaluate((scopes[found[1]],), facts)
        return self.node.evaluate(_FrameChain(scopes), facts)


@mypyc_attr(native_class=False)
@attrs.frozen
class Unverifiable:
    """Text that could not be turned into a tree faithfully, and why (:data:`Reason`). Always
    unknown."""

    text: str
    reason: Reason = "wording"

    def evaluate(self, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
        return None


Node = (
    Present
    | HasValue
    | Equals
    | Compare
    | Count
    | HasCode
    | PointsToPrivate
    | InItems
    | ItemPosition
    | Varies
    | ExtendedCharacters
    | FramesInOneFragment
    | ModulePresent
    | IodRequires
    | Not
    | All
    | Any
    | Scoped
    | Unverifiable
)


def _macro_items(item: DatasetLike) -> Iterator[DatasetLike]:
    """The first item of each sequence in ``item`` (its functional group macros)."""
    elements = getattr(item, "_dict", None)
    if elements is not None:  # a pydicom Dataset: skip what is not a sequence unconverted
        for tag, element in elements.items():
            if element.VR != "SQ":
                continue
            if element.is_raw:
                element = item[tag]
            if element.value:
                yield element.value[0]
        return
    keys = getattr(item, "keys", None)
    for key in list(keys()) if keys is not None else ():
        value = _value_in(item, key)
        if (
            isinstance(value, collections.abc.Sequence)
            and not isinstance(value, (str, bytes))
            and len(value) > 0
            and hasattr(value[0], "keys")
        ):
            yield value[0]


class _FrameChain(collections.abc.Sequence[DatasetLike]):
    """The chain, then the macro items of this frame, found lazily (iteration stops at the
    first scope that holds the tag)."""

    __slots__ = ("_all", "_scopes")

    def __init__(self, scopes: Scopes) -> None:
        self._scopes = scopes
        self._all: tuple[DatasetLike, ...] | None = None

    def __iter__(self) -> Iterator[DatasetLike]:
        scopes = self._scopes
        yield from scopes
        if len(scopes) >= 2:
            yield from _macro_items(scopes[-2])
        shared = _value_in(scopes[-1], SHARED_FUNCTIONAL_GROUPS)
        if isinstance(shared, collections.abc.Sequence) and len(shared) > 0:
            first = shared[0]
            if hasattr(first, "__getitem__") and not isinstance(first, (str, bytes)):
                yield from _macro_items(first)

    def _every(self) -> tuple[DatasetLike, ...]:
        if self._all is None:
            self._all = tuple(iter(self))
        return self._all

    def __len__(self) -> int:
        return len(self._every())

    @overload
    def __getitem__(self, index: int) -> DatasetLike: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[DatasetLike]: ...

    def __getitem__(self, index: int | slice) -> DatasetLike | Sequence[DatasetLike]:
        return self._every()[index]


# -- conditions -----------------------------------------------------------------------------------
@mypyc_attr(native_class=False)
@attrs.frozen
class Condition:
    """A condition text and what it says.

    * ``requirement``: when True the attribute (or module) is required;
    * ``otherwise``: what the text says when the requirement is not met: ``"may"`` ("May be
      present otherwise"), ``"shall-not"`` ("Shall not be present otherwise", and Include rows
      "if and only if …"), None when it says neither;
    * ``otherwise_if``: with ``"may"``, the condition of "May be present otherwise [only] if …":
      when it does not hold either, the attribute shall not be present;
    * ``forbidden_if``: "Shall not be present if …": when True the attribute shall not be present.
    """

    requirement: Node
    otherwise: Otherwise | None
    text: str
    otherwise_if: Node | None = None
    forbidden_if: Node | None = None

    def evaluate(self, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
        """Whether the requirement holds (None: unknown)."""
        return self.requirement.evaluate(scopes, facts)

    def outcome(self, scopes: Scopes, facts: Facts = NO_FACTS) -> Outcome:
        """``forbidden`` when ``forbidden_if`` holds; else ``required`` when the requirement does;
        else, with the requirement not met, ``optional`` ("may"), ``forbidden`` ("shall-not", or
        "may … only if" not met) or ``unspecified`` (the text says nothing); ``unknown`` whenever
        an unknown part decides."""
        forbidden = (
            self.forbidden_if.evaluate(scopes, facts) if self.forbidden_if is not None else False
        )
        if forbidden is True:
            return "forbidden"
        required = self.requirement.evaluate(scopes, facts)
        if required is True:
            return "required"
        if required is None or forbidden is None:
            return "unknown"
        if self.otherwise == "shall-not":
            return "forbidden"
        if self.otherwise == "may":
            if self.otherwise_if is None:
                return "optional"
            permitted = self.otherwise_if.evaluate(scopes, facts)
            if permitted is None:
                return "unknown"
            return "optional" if permitted else "forbidden"
        return "unspecified"

    @property
    def verifiable(self) -> bool:
        """True when no part of the condition is :class:`Unverifiable`."""
        return all(
            is_verifiable(node)
            for node in (self.requirement, self.otherwise_if, self.forbidden_if)
            if node is not None
        )


def evaluate(node: Node, scopes: Scopes, facts: Facts = NO_FACTS) -> bool | None:
    """Evaluate ``node`` in ``scopes`` (innermost first); None means unknown."""
    if hasattr(scopes, "keys"):  # one data set rather than a chain of them
        return node.evaluate((cast(DatasetLike, scopes),), facts)
    return node.evaluate(scopes, facts)


def children(node: Node) -> tuple[Node, ...]:
    """The nodes ``node`` combines or wraps (none for a test of the data set)."""
    if isinstance(node, (All, Any)):
        return node.nodes
    if isinstance(node, (Not, Scoped, InItems)):
        return (node.node,)
    return ()


def unverifiable(node: Node) -> tuple[Unverifiable, ...]:
    """Every :class:`Unverifiable` node of ``node``, in order."""
    if isinstance(node, Unverifiable):
        return (node,)
    return tuple(part for child in children(node) for part in unverifiable(child))


def unverifiable_parts(node: Node) -> tuple[str, ...]:
    """The texts of every :class:`Unverifiable` node, in order."""
    return tuple(part.text for part in unverifiable(node))


def is_verifiable(node: Node) -> bool:
    return not unverifiable_parts(node)


# -- prose ----------------------------------------------------------------------------------------
_OPS: Final[dict[str, str]] = {
    "<": "is less than",
    "<=": "is less than or equal to",
    ">": "is greater than",
    ">=": "is greater than or equal to",
    "!=": "is not equal to",
    "==": "is",
}
_LEVELS: Final[dict[str, str]] = {
    "dataset": "in the top-level data set",
    "frame": "for this frame",
    "item": "in this Item",
}


def _literal(value: Value) -> str:
    if isinstance(value, str):
        bare = value.replace("_", "").replace(" ", "")
        if bare.isalnum() and bare.upper() == bare and not bare.isdigit():
            return value
        return f'"{value}"'
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number_text(number: float) -> str:
    return str(int(number)) if number.is_integer() else str(number)


def _default_name(tag: int) -> str:
    from dicomstd import dictionary

    element = dictionary.get(tag)
    return element.name if element is not None else "Attribute"


def other_than(node: Node) -> Equals | None:
    """The Equals of ``All(HasValue(t), Not(Equals(t, …)))``, how "is other than" is parsed."""
    if not isinstance(node, All) or len(node.nodes) != 2:
        return None
    first, second = node.nodes
    if (
        isinstance(first, HasValue)
        and isinstance(second, Not)
        and isinstance(second.node, Equals)
        and second.node.tag == first.tag
    ):
        return second.node
    return None


def describe(node: Node, name: Callable[[int], str] | None = None) -> str:
    """The node as prose in the standard's phrasing, for messages: "Image Type (0008,0008)
    Value 1 is ORIGINAL or MIXED". ``name`` names a tag (default: the data dictionary). Nested
    groups are parenthesised."""
    naming = name or _default_name

    def ref(tag: int, index: int | None = None) -> str:
        text = f"{naming(tag)} {tag_text(tag)}"
        return f"{text} Value {index}" if index is not None else text

    def values(items: tuple[Value, ...]) -> str:
        words = [_literal(v) for v in items]
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]

    def part(node: Node) -> str:
        inner = text(node)
        return f"({inner})" if isinstance(node, (All, Any)) and other_than(node) is None else inner

    def text(node: Node) -> str:
        if isinstance(node, Present):
            return f"{ref(node.tag)} is present"
        if isinstance(node, HasValue):
            return f"{ref(node.tag)} has a value"
        if isinstance(node, Equals):
            return f"{ref(node.tag, node.value_index)} is {values(node.values)}"
        if isinstance(node, Compare):
            return f"{ref(node.tag, node.value_index)} {_OPS[node.op]} {_number_text(node.number)}"
        if isinstance(node, HasCode):
            codes = " or ".join(f"({value}, {scheme})" for value, scheme in node.codes)
            return f"an Item of {ref(node.tag)} holds {codes}"
        if isinstance(node, PointsToPrivate):
            return f"{ref(node.tag)} is the tag of a Private Attribute"
        if isinstance(node, Count):
            return f"the number of values of {ref(node.tag)} {_OPS[node.op]} {node.number}"
        if isinstance(node, InItems):
            every = "every" if node.every else "some"
            return f"{text(node.node)} in {every} Item of {ref(node.tag)}"
        if isinstance(node, (ItemPosition, Varies)):
            sequence = ref(node.sequence) if node.sequence is not None else "its Sequence"
            if isinstance(node, Varies):
                return f"{ref(node.tag)} changes between the Items of {sequence}"
            return f"this is the {node.which} Item of {sequence}"
        if isinstance(node, ExtendedCharacters):
            return "an expanded or replacement character set is used"
        if isinstance(node, FramesInOneFragment):
            return "every frame is encoded as a single fragment"
        if isinstance(node, ModulePresent):
            return f"the {node.name} is present"
        if isinstance(node, IodRequires):
            return f"the IOD requires {ref(node.tag)}"
        if isinstance(node, Not):
            inner = node.node
            if isinstance(inner, Present):
                return f"{ref(inner.tag)} is not present"
            if isinstance(inner, ModulePresent):
                return f"the {inner.name} is not present"
            if isinstance(inner, IodRequires):
                return f"the IOD does not require {ref(inner.tag)}"
            return f"not ({text(inner)})"
        if isinstance(node, All):
            equals = other_than(node)
            if equals is not None:
                subject = ref(equals.tag, equals.value_index)
                return f"{subject} is other than {values(equals.values)}"
            return " and ".join(part(n) for n in node.nodes)
        if isinstance(node, Any):
            if not node.nodes:
                return "never (the text states no requirement)"
            return " or ".join(part(n) for n in node.nodes)
        if isinstance(node, Scoped):
            return f"{text(node.node)} ({_LEVELS[node.level]})"
        return node.text

    return text(node)


# -- the generated table --------------------------------------------------------------------------
_TABLE: Final[dict[str, Condition]] = {}


def for_text(text: str) -> Condition | None:
    """The parsed :class:`Condition` of a condition text as PS3.3 writes it (the ``condition``
    of :class:`dicomstd.spec.AttributeSpec` or :class:`dicomstd.spec.ModuleUse`), or None when
    the generated table does not know the text."""
    if not _TABLE:
        try:
            module = importlib.import_module("dicomstd._generated.conditions")
        except ModuleNotFoundError as error:
            if error.name != "dicomstd._generated.conditions":
                raise
            return None
        table: dict[str, Condition] = module.CONDITIONS
        _TABLE.update(table)
    return _TABLE.get(text)
