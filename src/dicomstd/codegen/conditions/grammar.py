"""The expression grammar of condition prose: a hand-written recursive descent over tokens.

An expression is clauses joined by ``and``/``or`` (``, and``, ``and if``, ``nor``). Where both
appear at one level the prose groups them by its commas or by a repeated ``if``: ``A, or if B and
C`` is A or (B and C), ``A or if B, and C`` is (A or B) and C; with no such sign, or bare commas
among them, the grouping is ambiguous and the expression stays text. A clause is a subject, or a
list of subjects (``A, B and C are not present``; ``either A or B is present``; ``neither A nor
B is present``), qualifiers, and predicates, possibly chained on the same subject (``is present
and has a value of YES``, ``is absent or not TILED_FULL``).

Subjects are read by :mod:`~dicomstd.codegen.conditions.subjects`, references and values by
:mod:`~dicomstd.codegen.conditions.values`. Clauses about the instance itself are read from
phrases (``multi-frame pixel data are present``,
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
from typing import Literal

import attrs

from dicomstd.codegen.conditions.names import Vocabulary, normalise
from dicomstd.codegen.conditions.reasons import unverifiable
from dicomstd.codegen.conditions.subjects import (
    Separator,
    Subject,
    SubjectReader,
    any_frame,
)
from dicomstd.codegen.conditions.tokens import NoParse, Token
from dicomstd.codegen.conditions.values import CONNECTIVE_WORDS, NUMBERS, VERBS
from dicomstd.conditions import (
    All,
    Any,
    Compare,
    Count,
    Equals,
    ExtendedCharacters,
    FramesInOneFragment,
    HasCode,
    HasValue,
    InItems,
    IodRequires,
    ItemPosition,
    Node,
    Not,
    Op,
    PointsToPrivate,
    Present,
    Scoped,
    Value,
    Varies,
)

__all__ = ["Parser", "Predicate"]

SOP_CLASS_UID = 0x00080016
NUMBER_OF_FRAMES = 0x00280008

PIXEL_DATA = 0x7FE00010
FLOAT_PIXEL_DATA = 0x7FE00008
DOUBLE_FLOAT_PIXEL_DATA = 0x7FE00009

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
    # Which pixel data element the instance holds (PS3.5 8.1.1: integer pixels are in Pixel
    # Data (7FE0,0010), 32 and 64 bit floating point pixels in Float Pixel Data (7FE0,0008) and
    # Double Float Pixel Data (7FE0,0009)).
    (("integer", "pixels"), Scoped(Present(PIXEL_DATA), "dataset")),
    (("32", "bit", "floating", "point", "pixels"), Scoped(Present(FLOAT_PIXEL_DATA), "dataset")),
    (
        ("64", "bit", "floating", "point", "pixels"),
        Scoped(Present(DOUBLE_FLOAT_PIXEL_DATA), "dataset"),
    ),
    (
        ("an", "expanded", "or", "replacement", "character", "set", "is", "used"),
        ExtendedCharacters(),
    ),
    (
        ("to", "specify", "the", "expanded", "or", "replacement", "character", "set"),
        ExtendedCharacters(),
    ),
    # The fragments of encapsulated Pixel Data (PS3.5 A.4), the Item headers of the value.
    (
        ("every", "frame", "is", "encoded", "as", "a", "single", "fragment"),
        FramesInOneFragment(),
    ),
)
"""Clauses about the instance that its data set records, as their normalised words."""
_FACT_NODES = dict(_FACTS)
_LONGEST_FACT = max(len(words) for words, _ in _FACTS)
_JOINS = (",", "and", "or")
_DURING = (("beam",), ("beam", "administration"), ("beam", "delivery"), ("setup",))
"""``… changes during <these>``: across the control points of the beam (of a setup beam:
``kVp changes during setup``)."""


def _changes(node: Node) -> bool:
    """``X changes during Beam`` (:class:`Varies`), or ``X or Y changes …``."""
    if isinstance(node, Any):
        return bool(node.nodes) and all(isinstance(part, Varies) for part in node.nodes)
    return isinstance(node, Varies)


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


class Parser(SubjectReader):
    """Reads one expression: ``tokens`` of ``text``, names resolved by ``vocabulary``."""

    case = False
    """Whether the clause just read is a case of the item's place (``for first Item of …``)."""
    verb = ""
    """The verb of the last predicate read (``is``, ``has`` …): what an elided one repeats."""

    def __init__(self, text: str, tokens: list[Token], vocabulary: Vocabulary) -> None:
        super().__init__(text, tokens, vocabulary)
        self.normalised = [normalise(token.text).split() for token in tokens]
        """The words of each token as names compare (``Multi-frame`` is ``multi frame``)."""

    def expression(self) -> Node:
        """Clauses joined by and/or up to ``self.end``; unparsable clauses become Unverifiable
        when the structure around them is certain."""
        parts: list[Node] = []
        cases: list[bool] = []
        separators: list[Separator] = []
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
                parts.append(self.text_part(start, stop))
                if resume is None:
                    break
                self.pos = resume
            else:
                parts.append(node)
            if self.pos >= self.end:
                break
            separators.append(self.separator())
        if not unparsed:
            parts, separators, cases = self.case_of_change(parts, separators, cases)
        kinds = {s.kind for s in separators} - {","}
        if len(kinds) <= 1:
            if len(parts) > 1 and not kinds:
                return self.text_part(0, self.end)
            kind = next(iter(kinds), "and")
            if kind == "and" and len(parts) > 1 and all(cases):
                kind = "or"  # "Required for A and for B": in each of these cases
            for start, stop in unparsed:
                if not self.plain(start, stop, kind):
                    return self.text_part(0, self.end)
            return self.joined(parts, kind)
        if unparsed or any(s.kind == "," for s in separators):
            return unverifiable(self.span(0, self.end), "ambiguous")
        grouped = self.grouped(parts, separators)
        return grouped if grouped is not None else unverifiable(self.span(0, self.end), "ambiguous")

    @staticmethod
    def case_of_change(
        parts: list[Node], separators: list[Separator], cases: list[bool]
    ) -> tuple[list[Node], list[Separator], list[bool]]:
        """``for first Item of Control Point Sequence, or if Nominal Beam Energy changes during
        Beam, and KVP (0018,0060) is not present``: the item's place and a change across the
        control points are together the case in which a control point states the value (PS3.3
        C.8.8.14.5: the first control point states it, later ones when it changes); what
        follows ``, and`` narrows that case. The same attribute of the treatment record,
        "Required for Control Point 0 of Ion Control Point Delivery Sequence (3008,0041) or if
        Nominal Beam Energy (300A,0114) changes during beam administration, and KVP (0018,0060)
        is not present", has no comma before ``or``: one grouping."""
        if (
            len(parts) > 2
            and cases[0]
            and separators[0].kind == "or"
            and separators[1].kind == "and"
            and _changes(parts[1])
        ):
            return [Any((parts[0], parts[1])), *parts[2:]], separators[1:], [True, *cases[2:]]
        return parts, separators, cases

    def text_part(self, start: int, stop: int) -> Node:
        """What the parser could not read, with its reason (:mod:`~dicomstd.codegen.conditions.
        reasons`); a part that opens with the name of an attribute (``Pixel Component
        Organization = Bit aligned``) tests the data set in words not read: ``wording``, not a
        fact outside it."""
        part = unverifiable(self.span(start, stop))
        if part.reason != "real-world":
            return part
        saved = self.pos, self.last
        self.pos = start
        try:
            self.named_reference()
            named = self.pos < stop
        except NoParse:
            named = False
        self.pos, self.last = saved
        return unverifiable(part.text, "wording") if named else part

    @staticmethod
    def joined(parts: list[Node], kind: str) -> Node:
        if len(parts) == 1:
            return parts[0]
        return All(tuple(parts)) if kind == "and" else Any(tuple(parts))

    def grouped(self, parts: list[Node], separators: list[Separator]) -> Node | None:
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
        inner: list[Separator] = []
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
            if token.text in (",", ";", ":") and not self.ratio(index):
                return False
            if token.low in CONNECTIVE_WORDS and token.low != kind and self.verb_in(index, stop):
                return False  # "… or C is present" may join clauses; "a URN or URL" does not
            if token.low == "if":  # ", and in subsequent control points if …": another case
                return False
        return True

    def ratio(self, index: int) -> bool:
        """A colon between two numbers (``a ratio of 1:1``) is no punctuation."""
        if self.tokens[index].text != ":" or index == 0 or index + 1 >= len(self.tokens):
            return False
        return self.tokens[index - 1].kind == "number" and self.tokens[index + 1].kind == "number"

    def verb_in(self, start: int, stop: int) -> bool:
        return any(t.low in VERBS for t in self.tokens[start:stop])

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

    def clause(self) -> Node:
        """A fact phrase, an item position, a SOP Class, or [either|neither] subject(s)
        [qualifiers] predicate [and|or predicate …] [in the items of a sequence]."""
        fact = (
            self.specified()
            or self.fact()
            or self.position()
            or self.instances()
            or self.varies()
            or self.iod_requirement()
        )
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
        grouped = self.grouped_presence()
        if grouped is not None:
            return grouped
        either = self.accept("either")
        subjects, kind = self.subjects()
        self.pointers = all(s.tag in self.vocabulary.pointers for s in subjects)
        return self.within(self.predicates(subjects, kind, either))

    def specified(self) -> Node | None:
        """``the physical pixel spacing is not specified by Pixel Spacing (0028,0030), or Imager
        Pixel Spacing (0018,1164) or Nominal Scanned Pixel Spacing (0018,2010), either for the
        entire Image or per-frame in a Functional Group Macro``: a quantity described in lower
        case is specified when one of the attributes has a value; ``either for the entire Image
        or per-frame …`` looks at the top level and in the functional groups of every frame."""
        start, last = self.pos, self.last
        index = self.pos
        while index < self.end and self.tokens[index].kind == "word":
            if not self.tokens[index].text.islower() or self.tokens[index].low in VERBS:
                break
            index += 1
        if index == self.pos:
            return None
        self.pos = index
        denied = self.accept("is", "not", "specified", "by")
        if not denied and not self.accept("is", "specified", "by"):
            self.pos = start
            return None
        try:
            subjects, kind = self.subjects()
        except NoParse:
            self.pos, self.last = start, last
            return None
        if kind not in ("", "or") or any(not s.attribute or s.level for s in subjects):
            self.pos, self.last = start, last
            return None
        anywhere = self.accept(
            ",", "either", "for", "the", "entire", "image", "or", "per-frame", "in", "a",
            "functional", "group", "macro",
        ) or self.accept(
            "either", "for", "the", "entire", "image", "or", "per-frame", "in", "a",
            "functional", "group", "macro",
        )  # fmt: skip
        found: list[Node] = []
        for subject in subjects:
            valued = HasValue(subject.tag)
            found.append(
                Any((Scoped(valued, "dataset"), any_frame(valued))) if anywhere else valued
            )
        node = found[0] if len(found) == 1 else Any(tuple(found))
        return Not(node) if denied else node

    def grouped_presence(self) -> Node | None:
        """``Selector Attribute (0072,0026) or Filter-by Category (0072,0402), and Filter-by
        Operator (0072,0406) are present``: a list whose connectives differ, the one after a
        comma joining what the other joined, as between clauses: (A or B) and C. Only presence
        is read this way."""
        start, last = self.pos, self.last
        try:
            members = [self.subject()]
            joins: list[tuple[str, bool]] = []
            while True:
                before = self.pos
                comma = self.accept(",")
                word = "and" if self.accept("and") else "or" if self.accept("or") else ""
                if not word:
                    self.pos = before
                    break
                try:
                    members.append(self.subject(qualifiers=False))
                except NoParse:
                    self.pos = before
                    break
                joins.append((word, comma))
            outer = {word for word, comma in joins if comma}
            inner = {word for word, comma in joins if not comma}
            if len(outer) != 1 or len(inner) != 1 or outer == inner:
                raise NoParse(self.pos)
            if not (self.at("is") or self.at("are")):
                raise NoParse(self.pos)
            predicate = self.predicate()
            if not predicate.presence or predicate.absence:
                raise NoParse(self.pos)
        except NoParse:
            self.pos, self.last = start, last
            return None
        groups: list[list[Node]] = [[self.one(predicate, members[0])]]
        for (_, comma), member in zip(joins, members[1:], strict=True):
            if comma:
                groups.append([])
            groups[-1].append(self.one(predicate, member))
        inner_kind, outer_kind = next(iter(inner)), next(iter(outer))
        return self.joined([self.joined(group, inner_kind) for group in groups], outer_kind)

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
        """``Gantry Angle changes during Beam``: its values differ across the control points;
        ``Wedge Position (300A,0118) or Wedge Thin Edge Position (300A,00DB) changes during
        beam``: one of them does."""
        start = self.pos
        tags: list[int] = []
        while True:
            tag = self.changing()
            if tag is None:
                self.pos = start
                return None
            tags.append(tag)
            if not self.accept("or"):
                break
        if not (self.accept("changes", "during") or self.accept("change", "during")):
            self.pos = start
            return None
        for words in sorted(_DURING, key=len, reverse=True):
            if self.accept(*words):
                nodes = tuple(Varies(tag) for tag in tags)
                return nodes[0] if len(nodes) == 1 else Any(nodes)
        self.pos = start
        return None

    def changing(self) -> int | None:
        """The attribute of ``… changes during``: a reference, or a name in lower case."""
        start = self.pos
        try:
            return self.reference()
        except NoParse:
            self.pos = start
        return self.lower_case_name()

    def lower_case_name(self) -> int | None:
        """An attribute named in lower case before ``changes during``, an aside in brackets
        left out: ``beam limiting device (collimator) angle`` is Beam Limiting Device Angle."""
        words: list[str] = []
        depth = 0
        for index in range(self.pos, min(self.end, self.pos + 12)):
            token = self.tokens[index]
            if token.low in ("changes", "change") and depth == 0:
                tag = self.vocabulary.tag(" ".join(words)) if words else None
                if tag is not None:
                    self.pos = index
                return tag
            depth += (token.text == "(") - (token.text == ")")
            if depth == 0 and token.text != ")":
                if token.kind != "word":
                    return None
                words += self.normalised[index]
        return None

    def iod_requirement(self) -> Node | None:
        """``image does not require Image Orientation (Patient) (0020,0037) and Image Position
        (Patient) (0020,0032)``: what the IOD of the instance requires (:class:`IodRequires`).
        A list denied is denied in each of its attributes, as with presence.

        ``… or if image does not require Image Orientation (Slide) (0048,0102)`` lists another
        way an image is placed in space: the image requires none of them. Read word for word,
        each denial would make the other idle — no IOD requires both the patient-relative and
        the slide attributes, so one of the two always holds and the condition would hold for
        every image, leaving its "May be present otherwise" without a case."""
        start = self.pos
        self.accept("the")
        if not self.accept("image"):
            self.pos = start
            return None
        denied = self.accept("does", "not", "require")
        if not denied and not self.accept("requires"):
            self.pos = start
            return None
        subjects, kind = self.required_subjects()
        if denied:
            while self.accept("or", "if", "image", "does", "not", "require") or self.accept(
                "or", "image", "does", "not", "require"
            ):
                subjects += self.required_subjects()[0]
            denials: tuple[Node, ...] = tuple(Not(IodRequires(s.tag)) for s in subjects)
            return denials[0] if len(denials) == 1 else All(denials)
        nodes: tuple[Node, ...] = tuple(IodRequires(s.tag) for s in subjects)
        if len(nodes) == 1:
            return nodes[0]
        return All(nodes) if kind == "and" else Any(nodes)

    def required_subjects(self) -> tuple[list[Subject], str]:
        subjects, kind = self.subjects()
        if any(not s.attribute or s.index is not None or s.level is not None for s in subjects):
            self.fail()
        return subjects, kind

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
        if (
            self.accept("in", "any", "of", "the", "items", "in")
            or self.accept("in", "any", "item", "of")
            or self.accept("in", "control", "points", "specified", "within")
        ):
            every = False
        elif self.accept("in", "every", "item", "of"):
            every = True
        else:
            return node
        self.accept("the")
        return InItems(self.reference(), node, every)

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

    def at_predicate(self) -> bool:
        if self.at("the", "value", "is"):
            return True
        return self.low() in VERBS and self.low() != "not"

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

    def in_modules(self) -> tuple[tuple[int, ...], ...]:
        """``present in the Graphic Annotation Module``, said of one attribute the module holds
        in the items of its sequences: the chains of sequences to it."""
        last = self.last
        if not self.at("in", "the") or last is None or not last.attribute:
            return ()
        return self.in_items_of(last.tag)

    def in_items(self, chains: tuple[tuple[int, ...], ...]) -> Predicate:
        """Present in some item at the end of one of ``chains``, from the top level."""

        def build(s: Subject) -> Node:
            found = tuple(self.nested(chain, Present(s.tag)) for chain in chains)
            return Scoped(Any(found), "dataset")

        return Predicate(build, presence=True)

    @staticmethod
    def nested(chain: tuple[int, ...], node: Node) -> Node:
        """``node`` in some item of the last sequence of ``chain``, found from the first."""
        for sequence in reversed(chain):
            node = InItems(sequence, node)
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
        elif self.at("value") and self.low(1) in VERBS:
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
        number = NUMBERS.get(self.low())
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
        if self.last is not None and self.last.referenced and self.accept("a", "multi-frame"):
            self.expect("image")
            return self.multi_frame()
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
        if self.vocabulary.grouped and self.accept(
            "the", "data", "element", "tag", "of", "an", "attribute", "that", "is", "contained"
        ):
            if not self.accept("within", "a", "functional", "group", "sequence"):
                self.fail()
            grouped = tuple(sorted(self.vocabulary.grouped))
            return Predicate(lambda s: Equals(s.tag, grouped, s.index))
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

    def multi_frame(self) -> Predicate:
        """``the Referenced SOP Instance is a multi-frame image``: false when its SOP Class is
        one whose IOD holds a single frame (:attr:`~dicomstd.codegen.conditions.names.Vocabulary.
        single_frame`); otherwise how many frames it holds is in the other instance."""
        words = unverifiable("the Referenced SOP Instance is a multi-frame image", "other-instance")
        single = tuple(sorted(self.vocabulary.single_frame))
        if not single:
            return Predicate(lambda s: words)
        return Predicate(lambda s: All((Not(Equals(s.tag, single)), words)))

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
                chains = self.in_modules()
                if chains:
                    return self.in_items(chains)
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
                return self.absent_where()
        return None

    def absent_where(self) -> Predicate:
        """Where an attribute is said to be absent: ``in this Sequence Item`` (the item itself),
        ``in the containing Track Set Sequence (0066,0101) Item`` (the item of that sequence
        that holds this one), ``in this Sequence Item nor in the containing … Item`` (in
        neither); without a place, anywhere in scope."""
        places: list[int | None] = []
        if self.accept("in", "this", "sequence", "item"):
            places.append(None)
            if self.accept("nor", "in", "the", "containing"):
                places.append(self.containing())
        elif self.accept("in", "the", "containing"):
            places.append(self.containing())
        if not places:
            return _absent()

        def build(s: Subject) -> Node:
            found = [Scoped(Present(s.tag), "item", place) for place in places]
            return found[0] if len(found) == 1 else Any(tuple(found))

        return Predicate(build, absence=True, presence=True)

    def containing(self) -> int:
        """``Track Set Sequence (0066,0101) Item``: the sequence whose item holds this one."""
        holder = self.reference()
        self.expect("item")
        return holder

    @staticmethod
    def in_item_of(holder: int) -> Predicate:
        """``is present in this Item of the Fiducial Set Sequence (0070,031C)``."""
        return Predicate(lambda s: Scoped(Present(s.tag), "item", holder))

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

    def coded(self, *, other: bool = False) -> Predicate:
        """Coded values; ``other``: the sequence has an item, none of them these codes."""
        codes = self.codes_written()
        if other:
            return Predicate(lambda s: All((HasValue(s.tag), Not(HasCode(s.tag, codes)))))
        return Predicate(lambda s: HasCode(s.tag, codes))
