"""Conditions of Type 1C/2C attributes and of C modules, as expression trees.

The standard writes its conditions as prose ("Required if Image Type (0008,0008) Value 1 is
ORIGINAL or MIXED. May be present otherwise."). The generator turns each distinct text into a
:class:`Condition` whose :attr:`Condition.requirement` is a tree of the nodes below; what it could
not turn into a tree faithfully stays text, in an :class:`Unverifiable` node.

Evaluation (:func:`evaluate`) uses three-valued (Kleene) logic: ``True``, ``False`` or ``None`` for
*unknown*, which :class:`Unverifiable` gives and which :class:`All`, :class:`Any` and :class:`Not`
propagate (``All`` is False as soon as one part is False, ``Any`` True as soon as one is True).

**Scopes.** ``scopes`` is the chain of data sets the condition is evaluated in: the sequence item
that holds the conditional attribute first, then each enclosing item, the top-level data set last.
A reference to an attribute resolves in the *innermost scope that holds its tag*; an attribute no
scope holds is absent. (PS3.3 evaluates a condition within the item its attribute belongs to;
conditions of attributes in items that name attributes of the enclosing data set, such as Image
Type in functional group macros, are found outward.) :class:`Scoped` narrows the chain where the
text says where to look: ``"dataset"`` ("at the image level", "in the Enhanced CT Image Module")
looks in the top-level data set only; ``"frame"`` ("Frame Type (0008,9007) Value 1 of this frame")
looks in the chain, then in the functional group macro items of this frame: the first item of
each sequence of ``scopes[-2]`` (the Per-frame Functional Groups item when the condition is
evaluated inside functional groups) and of the Shared Functional Groups Sequence (5200,9229) item.

**Values.** A value is taken as a list of values: a multi-valued attribute gives each of its
values (a string holding ``\\`` is split), a single value gives a list of one, an absent attribute
or one without a value gives none. ``value_index`` (1-based) picks one value; None means *any*
value. Strings compare exactly after their DICOM padding (spaces, NUL) is stripped from both ends;
``PersonName`` and other objects compare as ``str()``. Numeric literals compare numerically, so
DS and IS values given as strings (``"1"``, ``" 1.0"``) are converted; a value that is not a number
is not equal to a number, and makes an ordering (:class:`Compare`) unknown.

**Negation.** ``Not(Equals(…))`` holds for an absent attribute; "X is not V" and "X is other than
V" are written ``All((HasValue(X), Not(Equals(X, V))))``, so that an absent X is not "other than
V". "A and B are not present" is ``All((Not(Present(A)), Not(Present(B))))``.

**Empty.** :class:`HasValue` is True when the attribute is present and not empty: not None, not a
zero-length string, bytes, list or sequence, and not a string of padding only. A multi-valued
attribute with empty values (``\\``) has a value.

Evaluation allocates little and uses no regular expressions; pydicom data sets are read through
their element dictionary, converting raw elements on demand.
"""

from __future__ import annotations

import collections.abc
import importlib
from collections.abc import Callable, Iterator, Sequence
from typing import Final, Literal, Protocol, cast, overload

import attrs

from dicomstd.tag import tag_text
from dicomstd.vr import PADDING, bare_text

__all__ = [
    "All",
    "Any",
    "Compare",
    "Condition",
    "DatasetLike",
    "Equals",
    "HasCode",
    "HasValue",
    "Level",
    "Node",
    "Not",
    "Op",
    "Otherwise",
    "Outcome",
    "PointsToPrivate",
    "Present",
    "Scoped",
    "Unverifiable",
    "Value",
    "describe",
    "evaluate",
    "for_text",
    "is_verifiable",
    "unverifiable_parts",
]

SHARED_FUNCTIONAL_GROUPS: Final = 0x52009229
CODE_VALUE: Final = 0x00080100
CODING_SCHEME_DESIGNATOR: Final = 0x00080102

Value = str | int | float
Op = Literal["<", "<=", ">", ">=", "!="]
Level = Literal["dataset", "frame"]
Otherwise = Literal["may", "shall-not"]
Outcome = Literal["required", "optional", "forbidden", "unspecified", "unknown"]
"""What a condition says about its attribute in a data set; see :meth:`Condition.outcome`."""


class DatasetLike(Protocol):
    """A pydicom ``Dataset``, or any mapping from int tags to elements (``.value``) or values."""

    def __contains__(self, key: int, /) -> bool: ...

    def __getitem__(self, key: int, /) -> object: ...

    def keys(self) -> collections.abc.Iterable[object]: ...


Scopes = Sequence[DatasetLike]

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
            element = scope[tag]
        return element.value
    if tag not in scope:
        return _MISSING
    item = scope[tag]
    return getattr(item, "value", item)


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


# -- nodes ----------------------------------------------------------------------------------------
@attrs.frozen
class Present:
    """The attribute is present (with or without a value): "is present", "is sent", "is used"."""

    tag: int

    def evaluate(self, scopes: Scopes) -> bool | None:
        return _resolve(scopes, self.tag) is not _MISSING


@attrs.frozen
class HasValue:
    """The attribute is present and not empty: "has a value", "is not empty", "contains Items"."""

    tag: int

    def evaluate(self, scopes: Scopes) -> bool | None:
        value = _resolve(scopes, self.tag)
        return value is not _MISSING and not _empty(value)


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

    def evaluate(self, scopes: Scopes) -> bool | None:
        values = _selected(scopes, self.tag, self.value_index)
        strings, numbers = self._strings, self._numbers
        for item in values:
            if strings and _text(item) in strings:
                return True
            if numbers and _number(item) in numbers:
                return True
        return False


@attrs.frozen
class Compare:
    """A numeric comparison: "has a value greater than 1". The value is on the left.

    With ``value_index`` None any value may satisfy it. False when the attribute is absent or
    has no value; unknown (None) when a value is not a number.
    """

    tag: int
    op: Op
    number: float = attrs.field(converter=float)
    value_index: int | None = None

    def evaluate(self, scopes: Scopes) -> bool | None:
        values = _selected(scopes, self.tag, self.value_index)
        op, limit, unknown = self.op, self.number, False
        for item in values:
            number = _number(item)
            if number is None:
                unknown = True
            elif (
                (op == ">" and number > limit)
                or (op == ">=" and number >= limit)
                or (op == "<" and number < limit)
                or (op == "<=" and number <= limit)
                or (op == "!=" and number != limit)
            ):
                return True
        return None if unknown else False


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

    def evaluate(self, scopes: Scopes) -> bool | None:
        value = _resolve(scopes, self.tag)
        if value is _MISSING:
            return False
        for item in _values(value):
            if not hasattr(item, "keys"):
                continue
            scope = cast(DatasetLike, item)
            code = _value_in(scope, CODE_VALUE)
            scheme = _value_in(scope, CODING_SCHEME_DESIGNATOR)
            if code is _MISSING or scheme is _MISSING:
                continue
            if (_text(code), _text(scheme)) in self.codes:
                return True
        return False


@attrs.frozen
class PointsToPrivate:
    """The value, a Data Element Tag (VR AT), is the tag of a Private Attribute (odd group):
    "Dimension Index Pointer (0020,9165) value is the Data Element Tag of a Private Attribute".
    False when the attribute is absent or has no value; unknown when a value is not a tag."""

    tag: int

    def evaluate(self, scopes: Scopes) -> bool | None:
        value = _resolve(scopes, self.tag)
        if value is _MISSING:
            return False
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


@attrs.frozen
class Not:
    node: Node

    def evaluate(self, scopes: Scopes) -> bool | None:
        result = self.node.evaluate(scopes)
        return None if result is None else not result


@attrs.frozen
class All:
    """Every part holds ("and"). Kleene: False if any part is False, else unknown if any is."""

    nodes: tuple[Node, ...]

    def evaluate(self, scopes: Scopes) -> bool | None:
        result: bool | None = True
        for node in self.nodes:
            value = node.evaluate(scopes)
            if value is False:
                return False
            if value is None:
                result = None
        return result


@attrs.frozen
class Any:
    """Some part holds ("or"). Kleene: True if any part is True, else unknown if any is."""

    nodes: tuple[Node, ...]

    def evaluate(self, scopes: Scopes) -> bool | None:
        result: bool | None = False
        for node in self.nodes:
            value = node.evaluate(scopes)
            if value is True:
                return True
            if value is None:
                result = None
        return result


@attrs.frozen
class Scoped:
    """Evaluate ``node`` where the text says: ``"dataset"`` (the top-level data set only) or
    ``"frame"`` (the chain, then the functional group macro items of this frame)."""

    node: Node
    level: Level

    def evaluate(self, scopes: Scopes) -> bool | None:
        if not scopes:
            return self.node.evaluate(scopes)
        if self.level == "dataset":
            return self.node.evaluate((scopes[-1],))
        return self.node.evaluate(_FrameChain(scopes))


@attrs.frozen
class Unverifiable:
    """Text that could not be turned into a tree faithfully (the real world, other instances,
    phrasing the parser does not know). Always unknown."""

    text: str

    def evaluate(self, scopes: Scopes) -> bool | None:
        return None


Node = (
    Present
    | HasValue
    | Equals
    | Compare
    | HasCode
    | PointsToPrivate
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

    def evaluate(self, scopes: Scopes) -> bool | None:
        """Whether the requirement holds (None: unknown)."""
        return self.requirement.evaluate(scopes)

    def outcome(self, scopes: Scopes) -> Outcome:
        """``forbidden`` when ``forbidden_if`` holds; else ``required`` when the requirement does;
        else, with the requirement not met, ``optional`` ("may"), ``forbidden`` ("shall-not", or
        "may … only if" not met) or ``unspecified`` (the text says nothing); ``unknown`` whenever
        an unknown part decides."""
        forbidden = self.forbidden_if.evaluate(scopes) if self.forbidden_if is not None else False
        if forbidden is True:
            return "forbidden"
        required = self.requirement.evaluate(scopes)
        if required is True:
            return "required"
        if required is None or forbidden is None:
            return "unknown"
        if self.otherwise == "shall-not":
            return "forbidden"
        if self.otherwise == "may":
            if self.otherwise_if is None:
                return "optional"
            permitted = self.otherwise_if.evaluate(scopes)
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


def evaluate(node: Node, scopes: Scopes) -> bool | None:
    """Evaluate ``node`` in ``scopes`` (innermost first); None means unknown."""
    if hasattr(scopes, "keys"):  # one data set rather than a chain of them
        return node.evaluate((cast(DatasetLike, scopes),))
    return node.evaluate(scopes)


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, (All, Any)):
        return node.nodes
    if isinstance(node, (Not, Scoped)):
        return (node.node,)
    return ()


def unverifiable_parts(node: Node) -> tuple[str, ...]:
    """The texts of every :class:`Unverifiable` node, in order."""
    if isinstance(node, Unverifiable):
        return (node.text,)
    return tuple(text for child in _children(node) for text in unverifiable_parts(child))


def is_verifiable(node: Node) -> bool:
    return not unverifiable_parts(node)


# -- prose ----------------------------------------------------------------------------------------
_OPS: Final[dict[str, str]] = {
    "<": "is less than",
    "<=": "is less than or equal to",
    ">": "is greater than",
    ">=": "is greater than or equal to",
    "!=": "is not equal to",
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


def _other_than(node: Node) -> Equals | None:
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
        return f"({inner})" if isinstance(node, (All, Any)) and _other_than(node) is None else inner

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
        if isinstance(node, Not):
            inner = node.node
            if isinstance(inner, Present):
                return f"{ref(inner.tag)} is not present"
            return f"not ({text(inner)})"
        if isinstance(node, All):
            equals = _other_than(node)
            if equals is not None:
                subject = ref(equals.tag, equals.value_index)
                return f"{subject} is other than {values(equals.values)}"
            return " and ".join(part(n) for n in node.nodes)
        if isinstance(node, Any):
            if not node.nodes:
                return "never (the text states no requirement)"
            return " or ".join(part(n) for n in node.nodes)
        if isinstance(node, Scoped):
            where = "in the top-level data set" if node.level == "dataset" else "for this frame"
            return f"{text(node.node)} ({where})"
        return node.text

    return text(node)


# -- the generated table --------------------------------------------------------------------------
_TABLE: dict[str, Condition] = {}


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
