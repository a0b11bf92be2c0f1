"""Conditions compiled to plain functions, once per plan.

:class:`dicomstd.conditions.Condition` interprets its tree: every evaluation dispatches on each
node and looks each attribute up in the scopes' pydicom data sets again. The validator evaluates
the same few hundred conditions for every item and every frame, so :func:`outcome` turns a
condition into one closure per node, made once, and reads attributes from *tables*: for each
scope its elements by plain ``int`` tag, which the walk already has (a pydicom data set keyed by
``BaseTag`` calls Python code to compare keys on every hit).

``tables`` is parallel to ``scopes``: ``tables[i]`` maps the int tags of ``scopes[i]`` to its
elements as they were when the walk reached it (the value of a raw element is read through
:func:`dicomstd.rawvalue.value`, as the interpreter reads it, once per validation). Every compiled
function gives exactly what the interpreter gives (:meth:`Condition.outcome`, ``Node.evaluate``)
for the same scopes: the same lookups in the same order, so also the same values of raw elements,
decoded or converted by pydicom in the same cases. Nodes that read
more than values of attributes (items of sequences, the place of an item, the character
repertoire) and everything under a scope the chain cannot express are evaluated by the
interpreter itself.

``REFERENCE`` True makes the validator use the interpreter instead (the tests compare both).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any, Final, cast

from dicomstd import conditions as c

# The helpers of conditions (_count … _value_in) are imported, not aliased in this module:
# compiled with mypyc, a call of an imported function is a direct one.
from dicomstd.conditions import (
    All,
    Compare,
    Condition,
    Count,
    Equals,
    Facts,
    HasCode,
    HasValue,
    IodRequires,
    ModulePresent,
    Node,
    Not,
    Outcome,
    PointsToPrivate,
    Present,
    Scoped,
    Unverifiable,
    _count,
    _empty,
    _holds,
    _macro_items,
    _number,
    _text,
    _value_in,
)
from dicomstd.rawvalue import has_value as raw_has_value
from dicomstd.rawvalue import value as raw_value

__all__ = ["REFERENCE", "Tables", "Test", "Verdict", "holds", "outcome", "reads", "top_inputs"]

REFERENCE = False
"""Evaluate with the interpreter (:meth:`Condition.outcome`) rather than the compiled functions."""

Scopes = Sequence[Any]
Tables = Sequence[Mapping[int, Any]]
Test = Callable[[Scopes, Tables, Facts], "bool | None"]
Verdict = Callable[[Scopes, Tables, Facts], Outcome]

_MISSING: Final = c._MISSING
SHARED_FUNCTIONAL_GROUPS: Final = c.SHARED_FUNCTIONAL_GROUPS


# -- looking attributes up ------------------------------------------------------------------------
def _sequence_types() -> tuple[type, ...]:
    from pydicom.multival import MultiValue
    from pydicom.sequence import Sequence as Items

    return (list, tuple, MultiValue, Items)


_SEQUENCES: Final = frozenset(_sequence_types())


def _values(value: object) -> Sequence[object]:
    """``conditions._values``, the common classes tested first by identity (an abstract base
    class test costs more than the rest)."""
    cls = value.__class__
    if cls is str:
        text = cast(str, value)
        return text.split("\\") if "\\" in text else (text,)
    if cls in _SEQUENCES:
        return cast("Sequence[object]", value)
    return c._values(value)


def _chain(scopes: Scopes, tables: Tables, facts: Facts, tag: int) -> object:
    """The value of ``tag`` in the innermost scope that holds it, or ``_MISSING`` (as
    ``conditions._resolve``). The value of a raw element is decoded once per validation (kept
    in ``facts.memo``, :data:`dicomstd.rawvalue.Memo`)."""
    for index, table in enumerate(tables):
        element = table.get(tag)
        if element is not None:
            if not element.is_raw:  # the common case, without a call
                return element.value
            return raw_value(scopes[index], tag, element, facts.memo)
    return _MISSING


def _frame_extension(scopes: Scopes, facts: Facts) -> Iterator[Any]:
    """What ``conditions._FrameChain`` adds after the chain: the macro items of ``scopes[-2]``,
    then those of the Shared Functional Groups item of ``scopes[-1]``. A list looked through to
    its end is kept for the validation (``facts.memo``); one left early is not, so that nothing
    is converted that the interpreter would not convert."""
    if len(scopes) >= 2:
        yield from _kept(scopes[-2], -1, _macro_items, facts)
    yield from _kept(scopes[-1], -2, _shared_macro_items, facts)


def _shared_macro_items(top: Any) -> Iterator[Any]:
    shared = _value_in(top, SHARED_FUNCTIONAL_GROUPS)
    if isinstance(shared, Sequence) and len(shared) > 0:
        first = shared[0]
        if hasattr(first, "__getitem__") and not isinstance(first, str | bytes):
            yield from _macro_items(first)


def _kept(
    scope: Any, kind: int, source: Callable[[Any], Iterator[Any]], facts: Facts
) -> Iterator[Any]:
    memo = facts.memo
    key = (id(scope), kind)
    if memo is not None:
        found = memo.get(key)
        if found is not None:
            yield from cast("list[Any]", found)
            return
    seen: list[Any] = []
    for item in source(scope):
        seen.append(item)
        yield item
    if memo is not None:
        memo[key] = seen


# -- compiling nodes ------------------------------------------------------------------------------
# A compiled node finds values through a lookup: the chain (``_chain``), or the chain and then the
# frame's macro items (``_frame``, under ``Scoped`` "frame").
def _frame(scopes: Scopes, tables: Tables, facts: Facts, tag: int) -> object:
    """As ``conditions._FrameChain``: the chain, then the macro items of this frame."""
    value = _chain(scopes, tables, facts, tag)
    if value is not _MISSING:
        return value
    for scope in _frame_extension(scopes, facts):
        value = _value_in(scope, tag)
        if value is not _MISSING:
            return value
    return _MISSING


Lookup = Callable[[Scopes, Tables, Facts, int], object]


def _selected(values: Sequence[object], index: int | None) -> Sequence[object]:
    if index is None:
        return values
    return (values[index - 1],) if len(values) >= index else ()


def _compile(node: Node, lookup: Lookup) -> Test:
    """``node`` as a function of (scopes, tables, facts); ``lookup`` finds a value."""
    if isinstance(node, Present):
        tag = node.tag
        if lookup is _chain:
            return _present(tag)

        def present(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
            return lookup(scopes, tables, facts, tag) is not _MISSING

        return present
    if isinstance(node, HasValue):
        tag = node.tag
        if lookup is _chain:
            return _has_value(tag)

        def has_value(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
            value = lookup(scopes, tables, facts, tag)
            return value is not _MISSING and not _empty(value)

        return has_value
    if isinstance(node, Equals):
        return _equals(node, lookup)
    if isinstance(node, Compare):
        return _compare(node, lookup)
    if isinstance(node, Count):
        tag, op, number = node.tag, node.op, node.number

        def count(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
            return _holds(op, _count(lookup(scopes, tables, facts, tag)), number)

        return count
    if isinstance(node, HasCode):
        return _has_code(node, lookup)
    if isinstance(node, PointsToPrivate):
        return _points_to_private(node, lookup)
    if isinstance(node, Unverifiable):
        return _unknown
    if isinstance(node, IodRequires):
        required = node.tag

        def iod_requires(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
            requires = facts.requires
            return None if requires is None else requires(required)

        return iod_requires
    if isinstance(node, ModulePresent):
        source = node.source

        def module_present(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
            present = facts.module_present
            return None if present is None else present(source)

        return module_present
    if isinstance(node, Not):
        inner = _compile(node.node, lookup)

        def negation(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
            result = inner(scopes, tables, facts)
            return None if result is None else not result

        return negation
    if isinstance(node, All):
        return _all(tuple(_compile(part, lookup) for part in node.nodes))
    if isinstance(node, c.Any):
        return _any(tuple(_compile(part, lookup) for part in node.nodes))
    if isinstance(node, Scoped) and lookup is _chain and _plain(node.node):
        return _scoped(node)
    return _interpreted(node, lookup)


def _present(tag: int) -> Test:
    """Present in the chain: a table holds the tag (its value is not read)."""

    def present(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
        for table in tables:  # noqa: SIM110  # any() of a generator costs more
            if table.get(tag) is not None:
                return True
        return False

    return present


def _has_value(tag: int) -> Test:
    """HasValue in the chain: a raw element's bytes tell, when they can, without decoding it
    (:func:`dicomstd.rawvalue.has_value`)."""

    def has_value(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
        for index, table in enumerate(tables):
            element = table.get(tag)
            if element is not None:
                if not element.is_raw:
                    return not _empty(element.value)
                known = raw_has_value(tag, element)
                if known is not None:
                    return known
                return not _empty(raw_value(scopes[index], tag, element, facts.memo))
        return False

    return has_value


def _unknown(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
    return None


def _plain(node: Node) -> bool:
    """Whether a node reads only values of attributes (and module presence) in its scopes."""
    if isinstance(
        node,
        Present
        | HasValue
        | Equals
        | Compare
        | Count
        | HasCode
        | PointsToPrivate
        | Unverifiable
        | ModulePresent
        | IodRequires,
    ):
        return True
    if isinstance(node, Not):
        return _plain(node.node)
    if isinstance(node, All | c.Any):
        return all(_plain(part) for part in node.nodes)
    return False


def _interpreted(node: Node, lookup: Lookup) -> Test:
    """A node the compiled lookups do not express, evaluated by the interpreter (only in the
    plain chain: under a frame scope the whole Scoped node is interpreted)."""
    assert lookup is _chain, "only plain nodes are compiled under a scope"

    def interpreted(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
        return node.evaluate(scopes, facts)

    return interpreted


def _scoped(node: Scoped) -> Test:
    inner_node = node.node
    if node.level == "dataset":
        inner = _compile(inner_node, _chain)

        def top(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
            if not scopes:
                return inner_node.evaluate(scopes, facts)
            return inner((scopes[-1],), (tables[-1],), facts)

        return top
    if node.level == "item" and node.sequence is None:
        inner = _compile(inner_node, _chain)

        def item(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
            if not scopes:
                return inner_node.evaluate(scopes, facts)
            return inner((scopes[0],), (tables[0],), facts)

        return item
    if node.level == "frame":
        inner = _compile(inner_node, _frame)

        def frame(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
            if not scopes:
                return inner_node.evaluate(scopes, facts)
            return inner(scopes, tables, facts)

        return frame

    def other(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
        return node.evaluate(scopes, facts)

    return other


def _equals(node: Equals, lookup: Lookup) -> Test:
    tag, index = node.tag, node.value_index
    strings = frozenset(v for v in node.values if isinstance(v, str))
    numbers = frozenset(float(v) for v in node.values if not isinstance(v, str))

    def equals(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
        value = lookup(scopes, tables, facts, tag)
        if value is _MISSING:
            return False
        for item in _selected(_values(value), index):
            if strings and _text(item) in strings:
                return True
            if numbers and _number(item) in numbers:
                return True
        return False

    if index is None or numbers:
        return equals

    def equals_text(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
        # The common case: strings only, one value picked.
        value = lookup(scopes, tables, facts, tag)
        if value is _MISSING:
            return False
        values = _values(value)
        return len(values) >= index and _text(values[index - 1]) in strings

    return equals_text


def _compare(node: Compare, lookup: Lookup) -> Test:
    tag, op, limit, index = node.tag, node.op, node.number, node.value_index

    def compare(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
        value = lookup(scopes, tables, facts, tag)
        if value is _MISSING:
            return False
        unknown = False
        for item in _selected(_values(value), index):
            number = _number(item)
            if number is None:
                unknown = True
            elif _holds(op, number, limit):
                return True
        return None if unknown else False

    return compare


def _has_code(node: HasCode, lookup: Lookup) -> Test:
    tag, codes = node.tag, node.codes

    def has_code(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
        for scope in c._items_of(lookup(scopes, tables, facts, tag)):
            code = _value_in(scope, c.CODE_VALUE)
            scheme = _value_in(scope, c.CODING_SCHEME_DESIGNATOR)
            if code is _MISSING or scheme is _MISSING:
                continue
            if (_text(code), _text(scheme)) in codes:
                return True
        return False

    return has_code


def _points_to_private(node: PointsToPrivate, lookup: Lookup) -> Test:
    tag = node.tag

    def points(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
        value = lookup(scopes, tables, facts, tag)
        if value is _MISSING:
            return False
        return c.points_to_private(value)

    return points


def _all(parts: tuple[Test, ...]) -> Test:
    if len(parts) == 2:
        first, second = parts

        def both(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
            a = first(scopes, tables, facts)
            if a is False:
                return False
            b = second(scopes, tables, facts)
            if b is False:
                return False
            return None if a is None or b is None else True

        return both

    def every(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
        result: bool | None = True
        for part in parts:
            value = part(scopes, tables, facts)
            if value is False:
                return False
            if value is None:
                result = None
        return result

    return every


def _any(parts: tuple[Test, ...]) -> Test:
    def some(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
        result: bool | None = False
        for part in parts:
            value = part(scopes, tables, facts)
            if value is True:
                return True
            if value is None:
                result = None
        return result

    return some


# -- what a condition reads ----------------------------------------------------------------------
def _reads(node: Node) -> frozenset[int] | None:
    """The tags whose values decide ``node`` when it reads only values of attributes looked up
    in the chain (plain nodes, and Scoped ones over them); None when it reads more (the place
    of an item, items of a sequence as scopes, the character repertoire of a scope)."""
    if isinstance(node, Present | HasValue | Equals | Compare | Count | HasCode | PointsToPrivate):
        return frozenset({node.tag})
    if isinstance(node, Unverifiable | ModulePresent | IodRequires):
        return frozenset()
    if isinstance(node, Not):
        return _reads(node.node)
    if isinstance(node, Scoped):
        if node.sequence is not None or not _plain(node.node):
            return None
        return _reads(node.node)
    if isinstance(node, All | c.Any):
        found: set[int] = set()
        for part in node.nodes:
            tags = _reads(part)
            if tags is None:
                return None
            found |= tags
        return frozenset(found)
    return None


def _condition_reads(condition: Condition) -> frozenset[int] | None:
    found: set[int] = set()
    for node in (condition.requirement, condition.forbidden_if, condition.otherwise_if):
        if node is None:
            continue
        tags = _reads(node)
        if tags is None:
            return None
        found |= tags
    return frozenset(found)


_Answer = Callable[[Scopes, Tables, Facts], Any]


def _table_only(node: Node) -> bool:
    """Whether a node reads nothing but the tables: values of attributes looked up in the
    chain, or in its first or last scope (not a frame's macro items, not module presence, not
    the interpreter)."""
    if isinstance(
        node,
        Present | HasValue | Equals | Compare | Count | HasCode | PointsToPrivate | Unverifiable,
    ):
        return True
    if isinstance(node, Not):
        return _table_only(node.node)
    if isinstance(node, All | c.Any):
        return all(_table_only(part) for part in node.nodes)
    if isinstance(node, Scoped):
        plain_scope = node.level == "dataset" or (node.level == "item" and node.sequence is None)
        return plain_scope and _table_only(node.node)
    return False


def _absent_inputs(condition: Condition, nodes: Sequence[Node | None]) -> tuple[int, ...] | None:
    """The tags ``nodes`` of ``condition`` read, when they read nothing but values in the
    tables: when none of these is in any table, the answer is the same for every data set."""
    found: set[int] = set()
    for node in nodes:
        if node is None:
            continue
        tags = _reads(node)
        if tags is None or not _table_only(node):
            return None
        found |= tags
    return tuple(sorted(found))


_NOTHING: Final[tuple[Any, ...]] = ({},)
_TOP: Final = -1  # in a key of facts.memo: the answer of the top level (no id() is negative)


def _answer(
    decide: _Answer,
    reference: Callable[[Scopes, Facts], Any],
    absent: tuple[int, ...] | None,
    reads: frozenset[int] | None,
) -> _Answer:
    """``decide`` (the compiled condition) as the validator calls it, in one function:

    * with :data:`REFERENCE`, ``reference`` (the interpreter) instead;
    * a condition that reads nothing but values in the tables (``absent``, the tags it reads):
      in a chain of one or two scopes, when none of these tags is in the tables, the answer of
      a data set without any of them, worked out once (nothing is looked up, so nothing is
      converted either); in a longer chain (the items of a frame), when none is in the tables
      but the last, the answer of the top level, kept in ``facts.memo`` for the validation
      (the conditions of the functional groups and their macros on attributes of the whole
      image: Image Type, SOP Class UID);
    * a condition that reads nothing but the tables and no tag of them (only what cannot be
      known): that one answer;
    * a condition that reads no attribute at all (only what cannot be known, or the presence
      of modules): one answer per validation, kept in ``facts.memo``;
    * otherwise kept in ``facts.memo`` for the scopes after the first, when the first scope
      holds none of the tags ``reads``: then the first scope cannot change the answer (it is
      only looked through), and the conditions of every macro item of a frame that ask about
      "this frame" have one answer per frame. A chain of fewer than three scopes is not kept
      (a frame's macro items are looked up in the scope before the last).
    """
    me = id(decide)
    always = (me,)
    tags = tuple(reads) if reads is not None else ()

    def kept(scopes: Scopes, tables: Tables, facts: Facts) -> Any:
        """The answer kept in ``facts.memo`` for the scopes after the first, when the first
        holds none of ``tags`` (or for the validation when the condition reads none)."""
        if REFERENCE:
            return reference(scopes, facts)
        memo = facts.memo
        if memo is None:
            return decide(scopes, tables, facts)
        if not tags:
            key: tuple[int, ...] = always
        else:
            count = len(scopes)
            if count < 3:
                return decide(scopes, tables, facts)
            first = tables[0]
            if first.__class__ is not dict:  # a view's table finds more than its keys
                return decide(scopes, tables, facts)
            for tag in tags:
                if tag in first:
                    return decide(scopes, tables, facts)
            if count == 4:  # a macro item of a frame: it, the frame's item, the frame, the top
                key = (me, id(scopes[1]), id(scopes[2]), id(scopes[3]))
            elif count == 3:
                key = (me, id(scopes[1]), id(scopes[2]))
            else:
                key = (me, *map(id, scopes[1:]))
        found = memo.get(key, _MISSING)
        if found is _MISSING:
            found = memo[key] = decide(scopes, tables, facts)
        return found

    after = kept if reads is not None else decide
    if absent is None:
        # The common shapes, each its own function: no test per call of what is fixed here.
        if reads is not None:
            return kept

        def plain(scopes: Scopes, tables: Tables, facts: Facts) -> Any:
            if REFERENCE:
                return reference(scopes, facts)
            return decide(scopes, tables, facts)

        return plain

    # The answer of a data set without any of the tags: nothing is looked up.
    fixed = decide(_NOTHING, _NOTHING, c.NO_FACTS)
    if absent == ():
        # Reads nothing but the tables, and no tag of them ("Required if the patient is an
        # animal" …): one answer for every data set.

        def constant(scopes: Scopes, tables: Tables, facts: Facts) -> Any:
            if REFERENCE:
                return reference(scopes, facts)
            return fixed

        return constant

    def answer(scopes: Scopes, tables: Tables, facts: Facts) -> Any:
        if REFERENCE:
            return reference(scopes, facts)
        count = len(tables)
        # The two loops below are one test (a table holds one of the tags) written out twice:
        # a function for it costs every table-only condition a call (rtdose 275 -> 284 us).
        if count < 3:
            for table in tables:
                get = table.get
                for tag in absent:
                    if get(tag) is not None:
                        break
                else:
                    continue
                break
            else:
                return fixed
            return decide(scopes, tables, facts)  # what ``after`` does in so short a chain
        elif (memo := facts.memo) is not None:
            last = count - 1
            for index in range(last):
                get = tables[index].get
                for tag in absent:
                    if get(tag) is not None:
                        break
                else:
                    continue
                break
            else:
                top_key = (me, _TOP, id(scopes[last]))
                answered = memo.get(top_key, _MISSING)
                if answered is _MISSING:
                    answered = memo[top_key] = decide(scopes, tables, facts)
                return answered
        return after(scopes, tables, facts)

    return answer


# -- conditions -----------------------------------------------------------------------------------
def _required(scopes: Scopes, tables: Tables, facts: Facts) -> Outcome:
    return "required"


def _always(scopes: Scopes, tables: Tables, facts: Facts) -> bool | None:
    return True


def reads(condition: Condition | None) -> frozenset[int] | None:
    """The tags whose values decide ``condition`` (none: it has one outcome in every scope of a
    validation); None when it reads more than values of attributes in its scopes."""
    return frozenset() if condition is None else _condition_reads(condition)


@cache
def outcome(condition: Condition | None) -> Verdict:
    """:meth:`Condition.outcome` of ``condition`` as a function of (scopes, tables, facts);
    ``required`` when there is no condition."""
    if condition is None:
        return _required
    requirement = _compile(condition.requirement, _chain)
    forbidden_if = (
        _compile(condition.forbidden_if, _chain) if condition.forbidden_if is not None else None
    )
    otherwise_if = (
        _compile(condition.otherwise_if, _chain) if condition.otherwise_if is not None else None
    )
    otherwise = condition.otherwise
    absent = top_inputs(condition)
    reads = _condition_reads(condition)
    if forbidden_if is None and otherwise_if is None:
        # The common shape: a requirement and what holds otherwise, fixed.
        fallback: Outcome = (
            "forbidden"
            if otherwise == "shall-not"
            else "optional"
            if otherwise == "may"
            else "unspecified"
        )

        def simple(scopes: Scopes, tables: Tables, facts: Facts) -> Outcome:
            required = requirement(scopes, tables, facts)
            if required is True:
                return "required"
            return "unknown" if required is None else fallback

        return cast(Verdict, _answer(simple, condition.outcome, absent, reads))

    def verdict(scopes: Scopes, tables: Tables, facts: Facts) -> Outcome:
        forbidden = forbidden_if(scopes, tables, facts) if forbidden_if is not None else False
        if forbidden is True:
            return "forbidden"
        required = requirement(scopes, tables, facts)
        if required is True:
            return "required"
        if required is None or forbidden is None:
            return "unknown"
        if otherwise == "shall-not":
            return "forbidden"
        if otherwise == "may":
            if otherwise_if is None:
                return "optional"
            permitted = otherwise_if(scopes, tables, facts)
            if permitted is None:
                return "unknown"
            return "optional" if permitted else "forbidden"
        return "unspecified"

    return cast(Verdict, _answer(verdict, condition.outcome, absent, reads))


@cache
def top_inputs(condition: Condition | None) -> tuple[int, ...] | None:
    """The tags :func:`outcome` of ``condition`` reads when it reads nothing but values in the
    tables; None otherwise. In a chain of three or more scopes where none of these tags is in
    the tables but the last, its answer is the top level's (one for the validation)."""
    if condition is None:
        return None
    nodes = (condition.requirement, condition.forbidden_if, condition.otherwise_if)
    return _absent_inputs(condition, nodes)


@cache
def holds(condition: Condition | None) -> Test:
    """:meth:`Condition.evaluate` of ``condition`` as a function of (scopes, tables, facts);
    True when there is no condition."""
    if condition is None:
        return _always
    requirement = _compile(condition.requirement, _chain)
    absent = _absent_inputs(condition, (condition.requirement,))
    reads = _reads(condition.requirement)
    return cast(Test, _answer(requirement, condition.evaluate, absent, reads))
