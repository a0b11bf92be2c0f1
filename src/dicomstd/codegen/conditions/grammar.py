"""The expression grammar of condition prose: a hand-written recursive descent over tokens.

An expression is clauses joined by ``and``/``or`` (``, and``, ``and if``, ``nor``). Where both
appear at one level the prose groups them by its commas or by a repeated ``if``: ``A, or if B and
C`` is A or (B and C), ``A or if B, and C`` is (A or B) and C; with no such sign, or bare commas
among them, the grouping is ambiguous and the expression stays text. A clause is a subject, or a
list of subjects (``A, B and C are not present``; ``either A or B is present``; ``neither A nor
B is present``), qualifiers, and predicates, possibly chained on the same subject (``is present
and has a value of YES``, ``is absent or not TILED_FULL``).

Subjects: an attribute named with its tag (the words before the tag must be a name of that tag,
or look like a name the dictionary lacks), or a known name written in Title Case; ``Value 3``
after an attribute (the same attribute); a module or macro (``the Mask Module``); a functional
group (``Derivation Image Functional Group (C.7.6.16.2.6)``); ``the Referenced SOP Instance``.
Clauses about the instance itself are read from phrases (``multi-frame pixel data are present``,
``an expanded or replacement character set is used``, ``for first Item of Control Point
Sequence``, ``for MR Spectroscopy SOP Instances``). A clause the parser does not understand
becomes :class:`~dicomstd.conditions.Unverifiable` when the rest of the expression still has a
certain structure, else the expression does.

Negations over lists follow English: ``A and B are not present`` and ``A or B is not present``
both mean neither is present; ``either A or B is not present`` means one of them is absent.
``X is not V`` and ``X is other than V`` mean X has a value and it is not V (an absent attribute
is not "other than V").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal, NoReturn

import attrs

from dicomstd.codegen.conditions.names import Vocabulary, group_key, normalise
from dicomstd.codegen.conditions.reasons import unverifiable
from dicomstd.codegen.conditions.tokens import Token
from dicomstd.conditions import (
    All,
    Any,
    Compare,
    Count,
    Equals,
    ExtendedCharacters,
    HasCode,
    HasValue,
    InItems,
    ItemPosition,
    Level,
    ModulePresent,
    Node,
    Not,
    Op,
    PointsToPrivate,
    Present,
    Scoped,
    Value,
    Varies,
)

__all__ = ["NoParse", "Parser"]

SOP_CLASS_UID = 0x00080016
REFERENCED_SOP_CLASS_UID = 0x00081150
NUMBER_OF_FRAMES = 0x00280008
SHARED_FUNCTIONAL_GROUPS = 0x52009229
PER_FRAME_FUNCTIONAL_GROUPS = 0x52009230


class NoParse(Exception):
    """The tokens at this position are not what the grammar expects."""


_VERBS = frozenset(
    "is are equals equal has have points exists exist contains contain do does not includes "
    "include specifies".split()
)
_SMALL = frozenset("of in for and or the a an to by with on at from per".split())
_CONNECTIVE_WORDS = frozenset({"and", "or", "either", "neither", "nor"})
_CAPS = re.compile(r"^[A-Z][A-Z0-9_]*$|^[0-9]+[A-Z][A-Z0-9_]*$")
_NUMBERS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_MULTI_FRAME = Scoped(Compare(NUMBER_OF_FRAMES, ">", 1), "dataset")
_FACTS: tuple[tuple[tuple[str, ...], Node], ...] = (
    # The instance holds more than one frame: Number of Frames (0028,0008) greater than 1.
    (("multi", "frame", "pixel", "data", "are", "present"), _MULTI_FRAME),
    (("multi", "frame", "pixel", "data", "is", "present"), _MULTI_FRAME),
    (("pixel", "data", "is", "multi", "frame", "data"), _MULTI_FRAME),
    (("pixel", "data", "is", "multi", "frame"), _MULTI_FRAME),
    (("multi", "frame", "image"), _MULTI_FRAME),
    (("image", "is", "a", "multi", "frame", "image"), _MULTI_FRAME),
    (("the", "image", "is", "a", "multi", "frame", "image"), _MULTI_FRAME),
    (("this", "sop", "instance", "is", "a", "multi", "frame", "sop", "instance"), _MULTI_FRAME),
    (("pixel", "data", "7fe0", "0010", "contains", "more", "than", "one", "frame"), _MULTI_FRAME),
    (
        ("an", "expanded", "or", "replacement", "character", "set", "is", "used"),
        ExtendedCharacters(),
    ),
    (
        ("to", "specify", "the", "expanded", "or", "replacement", "character", "set"),
        ExtendedCharacters(),
    ),
)
"""Clauses about the instance that its data set records, as their normalised words."""
_FACT_NODES = dict(_FACTS)
_LONGEST_FACT = max(len(words) for words, _ in _FACTS)
_JOINS = (",", "and", "or")
_DURING = (("beam",), ("beam", "administration"), ("beam", "delivery"))
"""``… changes during <these>``: across the control points of the beam."""


@attrs.frozen
class Subject:
    """What a clause is about: an attribute (``tag``), a module, a functional group (the tag of
    its sequence) or the instance a reference points to."""

    tag: int = 0
    index: int | None = None
    level: Level | None = None
    value_of: bool = False
    module: tuple[str, str] | None = None
    group: int | None = None
    within: tuple[int, bool] | None = None
    """Evaluated in the items of a sequence: (its tag, every item)."""
    referenced: bool = False
    """"the Referenced SOP Instance": its SOP Class is Referenced SOP Class UID (0008,1150)."""
    counted: bool = False
    """"the number of Items in X": comparisons count its values (items)."""
    group_of: int | None = None
    """"X in any MR Image Frame Type Functional Group in the SOP Instance": the sequence of that
    functional group, in any frame."""

    @property
    def attribute(self) -> bool:
        return self.module is None and self.group is None and not self.referenced

    def presence(self) -> Node:
        if self.module is not None:
            return ModulePresent(*self.module)
        if self.group is not None:
            return any_frame(Present(self.group))
        return HasValue(self.tag) if self.value_of else Present(self.tag)


def any_frame(node: Node) -> Node:
    """``node`` holds for some frame of the instance: in the functional group items of the
    shared item or of some item of the Per-frame Functional Groups Sequence (PS3.3 C.7.6.16)."""
    frame = Scoped(node, "frame")
    groups = (SHARED_FUNCTIONAL_GROUPS, PER_FRAME_FUNCTIONAL_GROUPS)
    return Scoped(Any(tuple(InItems(tag, frame) for tag in groups)), "dataset")


@attrs.frozen
class Predicate:
    build: Callable[[Subject], Node]
    absence: bool = False
    """True for "is not present"/"is absent": ``build`` gives the presence the text denies."""
    negative: bool = False
    """True for "is not V"/"is other than V", which lists joined by "or" leave ambiguous."""
    presence: bool = False
    """True for "is present"/"is absent": the only predicates of modules and groups."""


def _present() -> Predicate:
    return Predicate(Subject.presence, presence=True)


def _absent() -> Predicate:
    return Predicate(Subject.presence, absence=True, presence=True)


def _title(token: Token) -> bool:
    first = token.text[0]
    return first.isupper() or first.isdigit() or token.low in _SMALL


def _looks_like_name(tokens: list[Token]) -> bool:
    """Words written as an attribute name (Title Case, small words between, no verb) before a
    tag the names do not give that way: a tag newer than the dictionary, a variant name."""
    words = [t for t in tokens if t.kind == "word"]
    if not words or any(t.kind != "word" and t.text not in ("(", ")") for t in tokens):
        return False
    if words[0].low in _SMALL or words[-1].low in _SMALL:
        return False
    return all(_title(t) and t.low not in _VERBS and t.low not in _CONNECTIVE_WORDS for t in words)


def _is_uid(text: str) -> bool:
    return bool(re.fullmatch(r"\d+(\.\d+)+", text))


@attrs.frozen
class _Separator:
    kind: str
    """``and``, ``or`` or ``,`` (a bare comma)."""
    strength: int
    """2 after a comma, 1 before ``if``, 0 otherwise: where the prose groups mixed clauses."""


class Parser:
    """Reads one expression: ``tokens`` of ``text``, names resolved by ``vocabulary``."""

    def __init__(self, text: str, tokens: list[Token], vocabulary: Vocabulary) -> None:
        self.text = text
        self.tokens = tokens
        self.vocabulary = vocabulary
        self.pos = 0
        self.end = len(tokens)
        self.last: Subject | None = None
        self.normalised = [normalise(token.text).split() for token in tokens]
        """The words of each token as names compare (``Multi-frame`` is ``multi frame``)."""

    # -- helpers
    def fail(self) -> NoReturn:
        raise NoParse(self.pos)

    def peek(self, offset: int = 0) -> Token | None:
        index = self.pos + offset
        return self.tokens[index] if index < self.end else None

    def low(self, offset: int = 0) -> str:
        token = self.peek(offset)
        return token.low if token is not None else ""

    def at(self, *words: str) -> bool:
        return all(self.low(i) == word for i, word in enumerate(words))

    def accept(self, *words: str) -> bool:
        if self.at(*words):
            self.pos += len(words)
            return True
        return False

    def written(self, text: str) -> bool:
        """The next token is ``text`` exactly as written (case included)."""
        token = self.peek()
        return token is not None and token.text == text

    def expect(self, *words: str) -> None:
        if not self.accept(*words):
            self.fail()

    def span(self, start: int, end: int) -> str:
        if start >= end:
            return ""
        return self.text[self.tokens[start].start : self.tokens[end - 1].end].strip()

    # -- expressions
    def expression(self) -> Node:
        """Clauses joined by and/or up to ``self.end``; unparsable clauses become Unverifiable
        when the structure around them is certain."""
        parts: list[Node] = []
        cases: list[bool] = []
        separators: list[_Separator] = []
        unparsed: list[tuple[int, int]] = []
        while True:
            start = self.pos
            self.case = False
            node = self.try_clause()
            cases.append(node is not None and self.case)
            if node is None:
                resume = self.recover(start)
                stop = resume if resume is not None else self.end
                unparsed.append((start, stop))
                parts.append(unverifiable(self.span(start, stop)))
                if resume is None:
                    break
                self.pos = resume
            else:
                parts.append(node)
            if self.pos >= self.end:
                break
            separators.append(self.separator())
        kinds = {s.kind for s in separators} - {","}
        if len(kinds) <= 1:
            if len(parts) > 1 and not kinds:
                return unverifiable(self.span(0, self.end))
            kind = next(iter(kinds), "and")
            if kind == "and" and len(parts) > 1 and all(cases):
                kind = "or"  # "Required for A and for B": in each of these cases
            for start, stop in unparsed:
                if not self.plain(start, stop, kind):
                    return unverifiable(self.span(0, self.end))
            return self.joined(parts, kind)
        if unparsed or any(s.kind == "," for s in separators):
            return unverifiable(self.span(0, self.end), "ambiguous")
        grouped = self.grouped(parts, separators)
        return grouped if grouped is not None else unverifiable(self.span(0, self.end), "ambiguous")

    @staticmethod
    def joined(parts: list[Node], kind: str) -> Node:
        if len(parts) == 1:
            return parts[0]
        return All(tuple(parts)) if kind == "and" else Any(tuple(parts))

    def grouped(self, parts: list[Node], separators: list[_Separator]) -> Node | None:
        """Mixed and/or grouped by the strongest separators, which must all be one kind."""
        if not separators:
            return parts[0]
        kinds = {s.kind for s in separators}
        if len(kinds) == 1:
            return self.joined(parts, next(iter(kinds)))
        strongest = max(s.strength for s in separators)
        top = {s.kind for s in separators if s.strength == strongest}
        if strongest == 0 or len(top) != 1:
            return None
        groups: list[Node] = []
        members: list[Node] = [parts[0]]
        inner: list[_Separator] = []
        for separator, part in zip(separators, parts[1:], strict=True):
            if separator.strength == strongest:
                group = self.grouped(members, inner)
                if group is None:
                    return None
                groups.append(group)
                members, inner = [part], []
            else:
                members.append(part)
                inner.append(separator)
        last = self.grouped(members, inner)
        if last is None:
            return None
        return self.joined([*groups, last], next(iter(top)))

    def plain(self, start: int, stop: int, kind: str) -> bool:
        """An unparsed stretch whose words cannot change the structure around it (what is
        between brackets does not count)."""
        depth = 0
        for index, token in enumerate(self.tokens[start:stop], start):
            depth += (token.text == "(") - (token.text == ")")
            if depth > 0:
                continue
            if token.text in (",", ";", ":"):
                return False
            if token.low in _CONNECTIVE_WORDS and token.low != kind and self.verb_in(index, stop):
                return False  # "… or C is present" may join clauses; "a URN or URL" does not
            if token.low == "if":  # ", and in subsequent control points if …": another case
                return False
        return True

    def verb_in(self, start: int, stop: int) -> bool:
        return any(t.low in _VERBS for t in self.tokens[start:stop])

    def separator(self) -> _Separator:
        """``and``, ``or`` (``, and``, ``and if``, ``, or``) or a bare ``,``; fails otherwise."""
        comma = self.accept(",")
        for word in ("and", "or"):
            if self.accept(word):
                strength = 2 if comma else (1 if self.at("if") else 0)
                self.accept("if")
                return _Separator(word, strength)
        if comma:
            return _Separator(",", 2)
        self.fail()

    def connective(self) -> str:
        return self.separator().kind

    def at_connective(self) -> bool:
        return self.pos >= self.end or self.low() in (",", "and", "or")

    def try_clause(self) -> Node | None:
        start = self.pos
        last = self.last
        try:
            node = self.clause()
        except NoParse:
            self.pos, self.last = start, last
            return None
        self.restatement()
        if not self.at_connective():
            self.pos, self.last = start, last
            return None
        return node

    def restatement(self) -> None:
        """``(i.e., is multi-valued)`` after a clause: the same said again, passed over."""
        following = self.peek(1)
        if self.at("(") and following is not None and following.kind == "abbreviation":
            for index in range(self.pos + 2, self.end):
                if self.tokens[index].text == ")":
                    self.pos = index + 1
                    return

    def recover(self, start: int) -> int | None:
        """The index of the next connective after which a clause parses, if any."""
        for index in range(start + 1, self.end):
            if self.tokens[index].low not in (",", "and", "or"):
                continue
            self.pos = index
            try:
                self.separator()
            except NoParse:
                continue
            if self.pos >= self.end:
                break
            if self.try_clause() is not None:
                self.pos = index
                return index
        self.pos = start
        return None

    # -- clauses
    def clause(self) -> Node:
        """A fact phrase, an item position, a SOP Class, or [either|neither] subject(s)
        [qualifiers] predicate [and|or predicate …] [in the items of a sequence]."""
        fact = self.fact() or self.position() or self.instances() or self.varies()
        if fact is not None:
            return fact
        if self.accept("there", "is", "more", "than", "one", "item", "in"):
            self.accept("the")
            return Count(self.reference(), ">", 1)
        if self.accept("a", "value", "is", "present", "in"):
            listed, kind = self.subjects()
            values = tuple(HasValue(s.tag) for s in listed if s.attribute)
            if len(values) != len(listed) or (len(listed) > 1 and kind != "or"):
                self.fail()
            return values[0] if len(values) == 1 else Any(values)
        if self.accept("neither"):
            subjects, kind = self.subjects()
            if kind != "nor" or (not self.at("is") and not self.at("are")):
                self.fail()
            predicate = self.predicate()
            if not predicate.presence or predicate.absence:
                self.fail()
            return All(tuple(Not(self.one(predicate, s)) for s in subjects))
        either = self.accept("either")
        subjects, kind = self.subjects()
        self.pointers = all(s.tag in self.vocabulary.pointers for s in subjects)
        return self.within(self.predicates(subjects, kind, either))

    def fact(self) -> Node | None:
        """A clause about the instance its data set records (:data:`_FACTS`)."""
        found: list[str] = []
        for stop in range(self.pos + 1, min(self.end, self.pos + 14) + 1):
            found += self.normalised[stop - 1]
            if len(found) > _LONGEST_FACT:
                return None
            node = _FACT_NODES.get(tuple(found))
            if node is not None and (stop >= self.end or self.tokens[stop].low in _JOINS):
                self.pos = stop
                return node
        return None

    def position(self) -> Node | None:
        """``for first Item of Control Point Sequence [if …]``, ``for Control Point 0 of
        Control Point Delivery Sequence (3008,0040)``, ``for all but the last Item in this
        Sequence``, ``in subsequent control points if …``: a case of the item's place."""
        start = self.pos
        if self.accept("in", "subsequent", "control", "points", "if"):
            self.case = True
            return All((Not(ItemPosition("first")), self.condition_clause()))
        if not self.accept("for"):
            return None
        self.accept("the")
        node: Node
        if self.accept("all", "but", "the", "last", "item"):
            node = Not(ItemPosition("last", self.sequence_named()))
        elif self.accept("the", "last", "item") or self.accept("last", "item"):
            node = ItemPosition("last", self.sequence_named())
        elif self.accept("first", "item") or (
            self.at("control", "point", "0") and self.accept("control", "point", "0")
        ):
            node = ItemPosition("first", self.sequence_named())
        else:
            self.pos = start
            return None
        self.case = True
        if self.accept("if"):
            return All((node, self.condition_clause()))
        return node

    def condition_clause(self) -> Node:
        """One clause after ``for … if`` (``for first Item … if Number of Wedges (300A,00D0) is
        non-zero``)."""
        node = self.try_clause()
        if node is None:
            self.fail()
        return node

    def sequence_named(self) -> int | None:
        """``of Control Point Sequence``, ``in this Sequence`` (None: the one holding it, also
        when no sequence is named: ``for the last Item if …``)."""
        if self.accept("in", "this", "sequence") or self.accept("of", "this", "sequence"):
            return None
        if self.at("if") or self.pos >= self.end:
            return None
        if not (self.accept("of") or self.accept("in")):
            self.fail()
        self.accept("the")
        return self.reference()

    def instances(self) -> Node | None:
        """``for MR Spectroscopy SOP Instances``: the SOP Class of this instance."""
        if not self.at("for"):
            return None
        for stop in range(self.pos + 3, min(self.end, self.pos + 14) + 1):
            if self.tokens[stop - 1].low == "instances" and self.tokens[stop - 2].low == "sop":
                name = normalise(self.span(self.pos + 1, stop - 2))
                uid = self.vocabulary.sop_classes.get(name)
                if uid is None:
                    return None
                self.pos = stop
                return Scoped(Equals(SOP_CLASS_UID, (uid,)), "dataset")
        return None

    def varies(self) -> Node | None:
        """``Gantry Angle changes during Beam``: its values differ across the control points."""
        start = self.pos
        try:
            tag = self.reference()
        except NoParse:
            self.pos = start
            return None
        if not (self.accept("changes", "during") or self.accept("change", "during")):
            self.pos = start
            return None
        for words in sorted(_DURING, key=len, reverse=True):
            if self.accept(*words):
                return Varies(tag)
        self.pos = start
        return None

    def within(self, node: Node) -> Node:
        """``… for one or more fraction groups``, ``… in any of the Items in the Brachy Task
        Sequence (0074,1401)``, ``… in every Item of the Track Sequence (0066,0102)``."""
        every: bool
        if self.accept("for", "any", "frame", "in", "the", "sop", "instance"):
            return any_frame(node)
        if self.accept("for", "one", "or", "more"):
            start = self.pos
            while self.peek() is not None and self.low() not in (",", "and", "or", "."):
                self.pos += 1
            words = normalise(self.span(start, self.pos))
            tag = self.vocabulary.tag(re.sub(r"s$", "", words) + " sequence")
            if tag is None:
                self.fail()
            return InItems(tag, node)
        if self.accept("in", "any", "of", "the", "items", "in") or self.accept(
            "in", "any", "item", "of"
        ):
            every = False
        elif self.accept("in", "every", "item", "of"):
            every = True
        else:
            return node
        self.accept("the")
        return InItems(self.reference(), node, every)

    def subjects(self) -> tuple[list[Subject], str]:
        subjects = [self.subject()]
        kind = ""
        while True:
            start = self.pos
            if self.accept("nor"):
                separator = "nor"
            else:
                try:
                    separator = self.connective()
                except NoParse:
                    break
            try:
                following = self.subject(qualifiers=False)
            except NoParse:
                self.pos = start
                break
            if separator != ",":
                if kind and kind != separator:
                    self.fail()
                kind = separator
            subjects.append(following)
        if len(subjects) > 1:
            if not kind:
                self.fail()
            if any(s.index is not None or s.level is not None for s in subjects):
                self.fail()
        return subjects, kind

    def subject(self, *, qualifiers: bool = True) -> Subject:
        special = self.module_or_group() or self.bare_group() or self.referenced_instance()
        if special is not None:
            self.last = special
            return special
        if self.accept("the", "number", "of", "items", "in"):
            self.accept("the")
            return self.qualified(Subject(self.reference(), counted=True), qualifiers)
        index: int | None = None
        value_of = False
        number = self.peek(1)
        if self.at("value") and number is not None and number.kind == "number":
            index = int(number.text)
            self.pos += 2
            if not self.accept("of"):
                if self.last is None or not self.last.attribute:
                    self.fail()
                return self.qualified(
                    attrs.evolve(self.last, index=index, value_of=False), qualifiers
                )
        ordinal = _ORDINALS.get(self.low(1))
        if (
            self.at("the")
            and ordinal is not None
            and self.low(2) == "value"
            and self.low(3) == "of"
        ):
            index = ordinal
            self.pos += 4
        elif (
            self.accept("the", "value", "of")
            or self.accept("the", "value", "for")
            or self.accept("value", "of")
            or self.accept("any", "value", "of")
            or self.accept("a", "value", "of")
            or self.accept("one", "or", "more", "of", "the", "values", "of")
        ):
            value_of = True
        elif self.written("value") and self.low(1)[:1].isalpha():
            self.pos += 1  # "value Transfer Tube Number (300A,02A2) is non-null"
        else:
            self.accept("attributes") or self.accept("the") or self.accept("whose") or self.accept(
                "one"
            )
        tag = self.reference()
        self.accept("attribute")
        return self.qualified(Subject(tag, index, None, value_of), qualifiers)

    def qualified(self, subject: Subject, qualifiers: bool) -> Subject:
        if qualifiers:
            subject = self.qualifiers(subject)
        self.last = subject
        return subject

    def module_or_group(self) -> Subject | None:
        """``the Mask Module``, ``Derivation Image Functional Group (C.7.6.16.2.6)``, ``Pixel
        Measures … Macros``: a module, a macro or a functional group by name."""
        start = self.pos
        self.accept("the")
        for stop in range(min(self.end, self.pos + 12), self.pos, -1):
            last = self.tokens[stop - 1].low
            if last not in ("module", "macro", "group", "macros"):
                continue
            if not all(
                t.kind == "word" or t.text in ("(", ")") for t in self.tokens[self.pos : stop]
            ):
                continue
            name = normalise(self.span(self.pos, stop))
            module = self.vocabulary.modules.get(name)
            if module is not None:
                self.pos = stop
                return Subject(module=(module.source, module.name))
            group = self.vocabulary.groups.get(group_key(name))
            if group is not None and ("functional group" in name or last.startswith("macro")):
                self.pos = stop
                self.section_label()
                return Subject(group=group)
        self.pos = start
        return None

    def bare_group(self) -> Subject | None:
        """``Pixel Measures`` in ``Pixel Measures or Plane Position (Patient) Macros Present``: a
        functional group named without ``Macro`` in a list whose last name has it."""
        if not self.plural_groups_ahead():
            return None
        for stop in range(min(self.end, self.pos + 8), self.pos, -1):
            if any(t.kind != "word" and t.text not in "()" for t in self.tokens[self.pos : stop]):
                continue
            group = self.vocabulary.groups.get(group_key(self.span(self.pos, stop)))
            if group is not None:
                self.pos = stop
                return Subject(group=group)
        return None

    def plural_groups_ahead(self) -> bool:
        for index in range(self.pos + 1, min(self.end, self.pos + 24)):
            if self.tokens[index].low in ("present", "is", "are"):
                return self.tokens[index - 1].low in ("macros", "groups")
        return False

    def section_label(self) -> None:
        """``(C.7.6.16.2.6)``, ``(Section C.7.6.16.2.5)`` after a functional group's name."""
        if not self.at("("):
            return
        for index in range(self.pos + 1, min(self.end, self.pos + 8)):
            if self.tokens[index].text == ")":
                self.pos = index + 1
                return

    def referenced_instance(self) -> Subject | None:
        if self.accept("the", "referenced", "sop", "instance"):
            return Subject(REFERENCED_SOP_CLASS_UID, referenced=True)
        return None

    def qualifiers(self, subject: Subject) -> Subject:
        index, level = subject.index, subject.level
        while True:
            number = self.peek(2)
            if self.at(",", "value") and number is not None and number.kind == "number":
                self.pos += 1  # "Series Type (0054,1000), Value 1 is …"
            token = self.peek(1)
            if self.at("value") and token is not None and token.kind == "number":
                if index is not None:
                    self.fail()
                index = int(token.text)
                self.pos += 2
            elif self.accept("of", "this", "frame"):
                level = "frame"
            elif self.at("of", "this") and self.instance_named():
                level = "dataset"
            elif self.accept("in", "any") and not subject.within:
                group = self.module_or_group()
                if group is None or group.group is None:
                    self.fail()
                self.expect("in", "the", "sop", "instance")
                subject = attrs.evolve(subject, group_of=group.group)
            elif self.accept("at", "the", "image", "level") or (
                self.at("in", "the") and self.module_name(subject.tag)
            ):
                level = "dataset"
            elif self.accept("in", "this", "sequence", "item"):
                level = "item"
            elif (self.at("sequence") and self.low(1) in _VERBS) or (
                self.at("value") and self.low(1) in _VERBS
            ):
                self.pos += 1
            elif self.at("item", "value") and self.low(2) in _VERBS:
                self.pos += 2
            elif self.accept("attribute", "value") or (
                self.accept("of", "the", "referenced", "image")
                and subject.tag == REFERENCED_SOP_CLASS_UID
            ):
                pass
            elif self.accept("within"):
                self.accept("the")
                return attrs.evolve(
                    subject, index=index, level=level, within=(self.reference(), False)
                )
            else:
                return attrs.evolve(subject, index=index, level=level)

    def instance_named(self) -> bool:
        """``of this RT Physician Intent SOP Instance`` (at ``of``): consumed when it is one."""
        for offset in range(3, 10):
            if self.low(offset - 1) == "sop" and self.low(offset) == "instance":
                if all(self.tokens[self.pos + i].kind == "word" for i in range(2, offset)):
                    self.pos += offset + 1
                    return True
                return False
        return False

    def module_name(self, tag: int) -> bool:
        """``in the Enhanced CT Image Module`` (at ``in``), naming a module that holds ``tag``
        at its top level: consumed when it is one."""
        for offset in range(2, 12):
            token = self.peek(offset)
            if token is None or token.kind != "word":
                return False
            if token.text == "Module" and offset > 2:
                name = normalise(self.span(self.pos + 2, self.pos + offset + 1))
                module = self.vocabulary.modules.get(name)
                if module is not None and tag not in module.tags:
                    return False
                self.pos += offset + 1
                return True
        return False

    def reference(self) -> int:
        """An attribute: words then its tag, or a known name written in Title Case."""
        tagged = self.tagged_reference()
        if tagged is not None:
            return tagged
        return self.named_reference()

    def tagged_reference(self) -> int | None:
        for index in range(self.pos, min(self.end, self.pos + 20)):
            token = self.tokens[index]
            if token.kind == "tag":
                if index == self.pos:
                    return None
                tag = token.tag
                words = normalise(self.text[self.tokens[self.pos].start : token.start])
                named = self.vocabulary.tag(words)
                if words in self.vocabulary.names_of(tag) or (
                    named is None and _looks_like_name(self.tokens[self.pos : index])
                ):
                    self.pos = index + 1
                    return tag
                return None
            if token.kind == "quoted" or token.text in (",", ";", ".", ":"):
                return None
        return None

    def named_reference(self) -> int:
        best: tuple[int, int] | None = None
        for stop in range(self.pos + 1, min(self.end, self.pos + 12) + 1):
            words = self.tokens[self.pos : stop]
            if words[0].kind != "word" or any(
                t.kind != "word" and t.text not in ("(", ")") for t in words
            ):
                break
            if words[-1].kind != "word":
                continue
            if not all(_title(t) for t in words if t.kind == "word"):
                break
            tag = self.vocabulary.tag(normalise(self.text[words[0].start : words[-1].end]))
            if tag is not None:
                best = (stop, tag)
        if best is None:
            self.fail()
        stop, tag = best
        following = self.tokens[stop] if stop < self.end else None
        if following is not None and following.kind == "tag":
            self.fail()
        if (
            following is not None
            and following.kind == "word"
            and following.text[0].isupper()
            and following.text not in ("Value", "Attribute")
        ):
            self.fail()
        self.pos = stop
        return tag

    # -- predicates
    def predicates(self, subjects: list[Subject], kind: str, either: bool) -> Node:
        nodes = [self.apply(self.predicate(), subjects, kind, either)]
        chain = ""
        verb = self.verb
        while True:
            start = self.pos
            if not (self.accept("and") or self.accept("or")):
                break
            word = self.tokens[self.pos - 1].low
            elided = verb in ("is", "are") and self.at_elided()
            if not self.at_predicate() and not elided:
                self.pos = start
                break
            try:
                if elided and not self.at_predicate():
                    predicate = self.after_is()
                else:
                    predicate = self.predicate()
            except NoParse:
                self.pos = start  # "… is present and either A or B is present": a new clause
                break
            if chain and chain != word:
                self.fail()
            chain = word
            nodes.append(self.apply(predicate, subjects, kind, either))
        if len(nodes) == 1:
            return nodes[0]
        return All(tuple(nodes)) if chain == "and" else Any(tuple(nodes))

    case = False
    """Whether the clause just read is a case of the item's place (``for first Item of …``)."""
    pointers = False
    """Whether the subjects of the clause being read are tag attributes (VR AT), whose values
    name attributes (``Frame Increment Pointer (0028,0009) is Frame Time (0018,1063)``)."""
    verb = ""
    """The verb of the last predicate read (``is``, ``has`` …): what an elided one repeats."""

    def at_predicate(self) -> bool:
        if self.at("the", "value", "is"):
            return True
        return self.low() in _VERBS and self.low() != "not"

    def at_elided(self) -> bool:
        """``… is absent or not TILED_FULL``: a predicate after ``is`` without its verb."""
        return self.low() in ("not", "absent", "present", "empty", "non-zero", "either", "one")

    def one(self, predicate: Predicate, subject: Subject) -> Node:
        if not subject.attribute and not predicate.presence and not subject.referenced:
            self.fail()
        node = predicate.build(subject)
        if subject.counted:
            node = self.counted(node)
        if subject.group_of is not None:
            node = any_frame(InItems(subject.group_of, node))
        if subject.level is not None:
            node = Scoped(node, subject.level)
        if subject.within is not None:
            node = InItems(subject.within[0], node, subject.within[1])
        return node

    def counted(self, node: Node) -> Node:
        """A comparison of "the number of Items in X": a :class:`Count`."""
        if isinstance(node, Compare) and node.number.is_integer():
            return Count(node.tag, node.op, int(node.number))
        if isinstance(node, Equals) and len(node.values) == 1 and isinstance(node.values[0], int):
            return Count(node.tag, "==", node.values[0])
        self.fail()

    def apply(self, predicate: Predicate, subjects: list[Subject], kind: str, either: bool) -> Node:
        if len(subjects) == 1:
            if either:
                self.fail()
            node = self.one(predicate, subjects[0])
            return Not(node) if predicate.absence else node
        if kind == "nor":
            self.fail()
        if kind == "or" and not either:
            if predicate.negative:
                self.fail()
            if predicate.absence:
                return Not(Any(tuple(self.one(predicate, s) for s in subjects)))
            return Any(tuple(self.one(predicate, s) for s in subjects))
        if either and kind != "or":
            self.fail()
        parts = tuple(
            Not(self.one(predicate, s)) if predicate.absence else self.one(predicate, s)
            for s in subjects
        )
        return Any(parts) if either else All(parts)

    def predicate(self) -> Predicate:
        if self.accept("the", "value"):
            if not self.at("is"):
                self.fail()
        elif self.at("value") and self.low(1) in _VERBS:
            self.pos += 1
        self.verb = self.low()
        if self.accept("exists") or self.accept("exist"):
            return _present()
        if self.accept("present"):  # "… Macros Present"
            return _present()
        if self.accept("contains", "items") or self.accept("contain", "items"):
            return Predicate(lambda s: HasValue(s.tag))
        if self.accept("does", "not", "contain", "a", "value") or self.accept(
            "do", "not", "contain", "a", "value"
        ):
            return Predicate(lambda s: HasValue(s.tag), absence=True)
        if self.accept("contains", "a", "value") or self.accept("contain", "a", "value"):
            return Predicate(lambda s: HasValue(s.tag))
        counted = self.item_count()
        if counted is not None:
            return counted
        if self.accept("specifies", "more", "than", "one") and self.low() in ("frame", "value"):
            self.pos += 1  # "Mask Frame Numbers (0028,6110) specifies more than one frame"
            return Predicate(lambda s: Count(s.tag, ">", 1))
        if self.accept("points", "to"):
            target = self.reference()
            return Predicate(lambda s: Equals(s.tag, (target,), s.index))
        if self.accept("includes", "the", "tag", "for") or self.accept(
            "contains", "the", "tag", "for"
        ):
            target = self.reference()
            return Predicate(lambda s: Equals(s.tag, (target,), s.index))
        if self.accept("contains", "an", "item", "with", "the", "value", "of") or self.accept(
            "contains", "an", "item", "with", "the", "value"
        ):
            return self.coded()
        if self.accept("contains", "the", "value") or self.accept("contains", "the", "values"):
            return self.equality(self.values())
        if self.at("contains") and self.at_code(1):
            self.pos += 1
            return self.coded()
        if self.accept("contains", "either") and self.at_code():
            return self.coded()
        if self.accept("has", "a", "value") or self.accept("have", "a", "value"):
            return self.has_a_value()
        if self.accept("has", "a", "non-zero", "value"):
            return Predicate(lambda s: Compare(s.tag, "!=", 0, s.index))
        if self.accept("has", "values", "of") or self.accept("has", "value"):
            return self.equality(self.values())
        if self.accept("has", "the", "value"):
            self.accept("of")
            return self.equality(self.values())
        if self.accept("equals", "other", "than"):
            return self.difference(self.values())
        if self.accept("=") or self.accept("equals"):
            if self.at_code():
                return self.coded()
            return self.equality(self.values())
        if self.accept("does", "not", "equal"):
            return self.difference(self.values())
        if self.accept("is") or self.accept("are"):
            return self.after_is()
        self.fail()

    def item_count(self) -> Predicate | None:
        """``contains one Item``, ``contains more than one Item``."""
        op: Op = "=="
        start = self.pos
        if not (self.accept("contains") or self.accept("contain")):
            return None
        if self.accept("more", "than"):
            op = ">"
        number = _NUMBERS.get(self.low())
        if number is None or self.low(1) not in ("item", "items"):
            self.pos = start
            return None
        self.pos += 2
        return Predicate(lambda s: Count(s.tag, op, number))

    def has_a_value(self) -> Predicate:
        if self.accept("of", "more", "than"):
            number = self.number()
            return Predicate(lambda s: Compare(s.tag, ">", number, s.index))
        if self.accept("of"):
            return self.equality(self.values())
        comparison = self.comparison()
        if comparison is not None:
            return comparison
        return Predicate(lambda s: HasValue(s.tag))

    def after_is(self) -> Predicate:
        presence = self.presence()
        if presence is not None:
            return presence
        if self.accept("not", "empty"):
            return Predicate(lambda s: HasValue(s.tag))
        if self.accept("empty"):
            return Predicate(lambda s: All((Present(s.tag), Not(HasValue(s.tag)))))
        if (
            self.accept("non-zero", "length")
            or self.accept("non-null")
            or self.accept("not", "zero", "length")
        ):
            return Predicate(lambda s: HasValue(s.tag))
        if self.accept("zero", "length") or self.accept("zero-length"):
            return Predicate(lambda s: All((Present(s.tag), Not(HasValue(s.tag)))))
        if self.accept("non-zero"):
            return Predicate(lambda s: Compare(s.tag, "!=", 0, s.index))
        if (
            self.last is not None
            and self.last.referenced
            and (self.accept("a") or self.accept("an"))
        ):
            return self.category()
        if self.accept("not", "equal", "to") or self.accept("other", "than"):
            return self.difference(self.values())
        if self.accept("not", "one", "of") or self.accept("not", "any", "of"):
            self.accept("the", "following", ":")
            return self.difference(self.values())
        if self.accept("not"):
            return self.difference(self.values())
        if self.accept("equal", "to") or self.accept("set", "to") or self.accept("of", "value"):
            return self.equality(self.values())
        if self.accept("the", "data", "element", "tag", "of", "a", "private", "attribute"):
            return Predicate(lambda s: PointsToPrivate(s.tag))
        if self.at_code():
            return self.coded()
        if self.accept("one", "of"):
            self.accept("the", "following", ":")
            return self.equality(self.values())
        if self.accept("either"):
            values = self.values()
            return self.equality(values)
        comparison = self.comparison()
        if comparison is not None:
            return comparison
        return self.equality(self.values())

    def category(self) -> Predicate:
        """``the Referenced SOP Instance is a Segmentation or Surface Segmentation``: its SOP
        Class is ``<words> Storage`` (``Segmentation Storage``) or, when there is none, every one
        whose name ends with them (``… Waveform Storage``)."""
        uids: set[str] = set()
        while True:
            start = self.pos
            while (t := self.peek()) is not None and t.kind == "word" and t.text[0].isupper():
                self.pos += 1
            words = normalise(self.span(start, self.pos))
            exact = self.vocabulary.sop_classes.get(f"{words} storage") if words else None
            found = (
                {exact}
                if exact is not None
                else {
                    uid
                    for name, uid in self.vocabulary.sop_classes.items()
                    if words and name.endswith(f" {words} storage")
                }
            )
            if not found:
                self.fail()
            uids |= found
            if not (self.at("or") and (t := self.peek(1)) is not None and t.text[0].isupper()):
                break
            self.pos += 1
        ordered = tuple(sorted(uids))
        return Predicate(lambda s: Equals(s.tag, ordered))

    def presence(self) -> Predicate | None:
        for word in ("present", "sent", "used", "provided", "included"):
            if self.accept(word):
                if self.accept("with", "a", "value", "other", "than") or self.accept(
                    "with", "value", "other", "than"
                ):
                    return self.difference(self.values())
                if self.accept("with", "a", "value", "of") or self.accept("with", "value"):
                    return self.equality(self.values())
                if self.accept("with", "a", "value"):
                    return Predicate(lambda s: HasValue(s.tag))
                if self.accept("with", "an", "item", "value", "other", "than"):
                    return self.coded(other=True)
                if self.accept("in", "this", "sequence", "item"):
                    return Predicate(lambda s: Scoped(Present(s.tag), "item"))
                if self.accept("in", "this", "item", "of", "the"):
                    return self.in_item_of(self.reference())
                if self.accept("within", "a", "functional", "group", "sequence"):
                    return Predicate(lambda s: any_frame(Present(s.tag)))
                self.accept("in", "this", "sop", "instance")
                return _present()
        absent: tuple[tuple[str, ...], ...] = (
            ("not", "present"),
            ("absent",),
            ("not", "sent"),
            ("not", "used"),
            ("not", "included"),
        )
        for negation in absent:
            if self.accept(*negation):
                return _absent()
        return None

    @staticmethod
    def in_item_of(holder: int) -> Predicate:
        """``is present in this Item of the Fiducial Set Sequence (0070,031C)``."""
        return Predicate(lambda s: Scoped(Present(s.tag), "item", holder))

    def number(self) -> float:
        token = self.peek()
        if token is None:
            self.fail()
        if token.kind == "number":
            self.pos += 1
            return float(token.text)
        if token.low in _NUMBERS:
            self.pos += 1
            return float(_NUMBERS[token.low])
        self.fail()

    def comparison(self) -> Predicate | None:
        op: Literal["<", "<=", ">", ">="]
        if self.accept("greater", "than", "or", "equal", "to"):
            op = ">="
        elif self.accept("greater", "than"):
            op = ">"
        elif self.accept("less", "than", "or", "equal", "to"):
            op = "<="
        elif self.accept("less", "than"):
            op = "<"
        else:
            return None
        number = self.number()
        return Predicate(lambda s: Compare(s.tag, op, number, s.index))

    def equality(self, values: tuple[Value, ...]) -> Predicate:
        return Predicate(lambda s: Equals(s.tag, values, s.index))

    def difference(self, values: tuple[Value, ...]) -> Predicate:
        more = [values]
        while self.at("and", "not") and self.peek(2) is not None:
            start = self.pos
            self.pos += 2
            try:
                more.append(self.values())
            except NoParse:
                self.pos = start
                break
        every = tuple(value for group in more for value in group)
        return Predicate(
            lambda s: All((HasValue(s.tag), Not(Equals(s.tag, every, s.index)))),
            negative=True,
        )

    # -- values
    def at_code(self, offset: int = 0) -> bool:
        """At ``(113097, DCM, "Meaning")``: a coded value as PS3.3 writes one."""
        window = self.tokens[self.pos + offset : self.pos + offset + 7]
        if len(window) < 7:
            return False
        opening, value, comma, scheme, second, meaning, closing = window
        return (
            opening.text == "("
            and value.kind in ("word", "number")
            and comma.text == ","
            and scheme.kind == "word"
            and second.text == ","
            and meaning.kind == "quoted"
            and closing.text == ")"
        )

    def coded(self, *, other: bool = False) -> Predicate:
        """Coded values; ``other``: the sequence has an item, none of them these codes."""
        codes = self.codes_written()
        if other:
            return Predicate(lambda s: All((HasValue(s.tag), Not(HasCode(s.tag, codes)))))
        return Predicate(lambda s: HasCode(s.tag, codes))

    def codes_written(self) -> tuple[tuple[str, str], ...]:
        if self.at("or") and self.at_code(1):  # "contains an Item with the value or (…)"
            self.pos += 1
        if not self.at_code():
            self.fail()
        return self.codes()

    def codes(self) -> tuple[tuple[str, str], ...]:
        """Coded values joined by ``or`` or commas: (Code Value, Coding Scheme Designator)."""
        out = []
        while True:
            out.append((self.tokens[self.pos + 1].text, self.tokens[self.pos + 3].text))
            self.pos += 7
            start = self.pos
            self.accept(",")
            self.accept("or")
            if self.pos == start or not self.at_code():
                self.pos = start
                return tuple(dict.fromkeys(out))

    def values(self) -> tuple[Value, ...]:
        """``A``, ``A or B``, ``A, B or C``: coded words, numbers, quoted strings, UIDs, SOP
        Class names, attributes (the values of a tag attribute, VR AT)."""
        out = [self.value()]
        while True:
            start = self.pos
            comma = self.accept(",")
            if not self.accept("or") and not comma:
                break
            try:
                out.append(self.value())
            except NoParse:
                self.pos = start
                break
        if all(isinstance(v, str) and _is_uid(v) for v in out):
            self.accept("storage", "sop", "classes") or self.accept("storage", "sop", "class")
        return tuple(out)

    def value(self) -> Value:
        token = self.peek()
        if token is None:
            self.fail()
        labelled = self.labelled_uid()
        if labelled is not None:
            return labelled
        if token.kind == "quoted":
            self.pos += 1
            self.skip_label()
            return token.text[1:-1]
        if token.kind == "uid":
            self.pos += 1
            self.skip_label()
            return token.text
        if token.kind == "number":
            self.pos += 1
            self.skip_label()
            return float(token.text) if "." in token.text else int(token.text)
        if token.low in _NUMBERS and token.low != "one":
            self.pos += 1
            return _NUMBERS[token.low]
        if token.kind == "word" and _CAPS.match(token.text):
            words = []
            while (t := self.peek()) is not None and t.kind == "word" and _CAPS.match(t.text):
                words.append(t.text)
                self.pos += 1
            following = self.peek()
            if following is not None and (
                following.kind == "tag"
                or (
                    following.kind == "word"
                    and following.low not in ("or", "and", "may", "shall", "for", "in")
                )
            ):
                self.fail()
            self.skip_label()
            return " ".join(words)
        named = self.sop_class_name() if token.kind == "word" else None
        if named is not None:
            return named
        pointer = self.pointer_value()
        if pointer is not None:
            return pointer
        self.fail()

    def sop_class_name(self) -> str | None:
        """``Grayscale Softcopy Presentation State Storage``: a SOP Class by name, its UID."""
        for stop in range(min(self.end, self.pos + 12), self.pos, -1):
            if not all(t.kind == "word" and _title(t) for t in self.tokens[self.pos : stop]):
                continue
            uid = self.vocabulary.sop_classes.get(normalise(self.span(self.pos, stop)))
            if uid is not None and self.tokens[stop - 1].low in ("storage", "class"):
                self.pos = stop
                return uid
        return None

    def pointer_value(self) -> int | None:
        """``Frame Time (0018,1063)``: an attribute as the value of a tag attribute."""
        if not self.pointers:
            return None
        start = self.pos
        tag = self.tagged_reference()
        if tag is None:
            self.pos = start
            return None
        return tag

    def labelled_uid(self) -> str | None:
        """``CT Image Storage ("1.2.840.10008.5.1.4.1.1.2")``: a name, then the UID in brackets."""
        index = self.pos
        while index < self.end and self.tokens[index].kind == "word":
            token = self.tokens[index]
            if token.low in _CONNECTIVE_WORDS or token.low in _VERBS or not _title(token):
                return None  # a name, not a clause: "SOP Class UID is Segmentation Storage (…)"
            index += 1
        if index == self.pos or index + 2 >= self.end:
            return None
        opening, quoted, closing = self.tokens[index : index + 3]
        if opening.text != "(" or quoted.kind != "quoted" or closing.text != ")":
            return None
        uid = quoted.text[1:-1]
        if not _is_uid(uid):
            return None
        self.pos = index + 3
        return uid

    def skip_label(self) -> None:
        """``(Legacy Converted)``, ``(Hounsfield Units)`` after a value: its name, not a value."""
        if not self.at("("):
            return
        for index in range(self.pos + 1, min(self.end, self.pos + 12)):
            token = self.tokens[index]
            if token.text == ")":
                self.pos = index + 1
                return
            if token.kind != "word":
                return
