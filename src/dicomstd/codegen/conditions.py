"""Turn the condition prose of PS3.3 into expression trees, and report how much of it parses.

``python -m dicomstd.codegen conditions [--format text|json] [--unparsed]`` prints the coverage:
how many
of the distinct condition texts of Type 1C/2C attributes, ``Include … if and only if …`` rows and
usage C modules became trees (:class:`dicomstd.conditions.Condition`) without an unverifiable
part, how many only partly, how many not at all; ``--unparsed`` lists the texts not fully parsed.

The parser is a hand-written recursive descent over tokens (words, ``(gggg,eeee)`` tags, quoted
strings, UIDs, numbers, punctuation). A condition text is read sentence by sentence:

* a lead (``Required if``, ``Required, if``, ``Required when``, ``Shall be present if``,
  ``if and only if`` — which also means *shall not be present otherwise* — ``Shall not be present
  if`` — a prohibition, :attr:`Condition.forbidden_if` — and the ``Required <X> is present`` typo)
  followed by an expression up to the end of the sentence, or a list after ``either:``;
* ``May be present otherwise [only] if …``, ``Shall not be present otherwise`` (also after a
  comma or semicolon);
* other sentences (``See Section …``, descriptions that follow the condition) are not part of it.

An expression is clauses joined by ``and``/``or`` (``, and``, ``and if``); mixing both at one
level is ambiguous prose and stays text. A clause is a subject — an attribute named with its tag
(the words before the tag must be a name of that tag), or a known name written in Title Case —
or a list of subjects (``A, B and C are not present``; ``either A or B is present``), qualifiers
(``Value 1``, ``of this frame``, ``at the image level``, ``in the … Module``), and predicates,
possibly chained on the same subject (``is present and has a value of YES``). A clause the parser
does not understand becomes :class:`~dicomstd.conditions.Unverifiable` when the rest of the
expression still has a certain structure (only ``and`` or only ``or``), else the expression does.

Negations over lists follow English: ``A and B are not present`` and ``A or B is not present``
both mean neither is present; ``either A or B is not present`` means one of them is absent.
``X is not V`` and ``X is other than V`` mean X has a value and it is not V (an absent attribute
is not "other than V").
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Literal, NoReturn

import attrs

from dicomstd.conditions import (
    All,
    Any,
    Compare,
    Condition,
    Equals,
    HasCode,
    HasValue,
    Node,
    Not,
    Otherwise,
    PointsToPrivate,
    Present,
    Scoped,
    Unverifiable,
    Value,
    unverifiable_parts,
)

if TYPE_CHECKING:
    from dicomstd.codegen.model import Standard

__all__ = [
    "Coverage",
    "Location",
    "add_arguments",
    "collect",
    "coverage",
    "names_from",
    "normalise",
    "parse",
    "report_section",
    "run",
]

SOP_CLASS_UID = 0x00080016

ALIASES: dict[str, int] = {"sop class": SOP_CLASS_UID}
"""Names the prose uses for an attribute besides the dictionary's (``whose SOP Class is …``)."""


# -- names ---------------------------------------------------------------------------------------
def normalise(name: str) -> str:
    """Lower case, every run of other than letters and digits one space: how names compare."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.lower().replace("’", "'")).split())


def names_from(standard: Standard) -> dict[str, int]:
    """Normalised name -> tag: PS3.6 names and keywords, then PS3.3 attribute names.

    Repeating-group entries are left out. A name PS3.6 gives to several tags keeps the tag of its
    one current (not retired) entry, and is left out when that does not decide.
    """
    from dicomstd.codegen.model import AttributeRow

    candidates: dict[str, dict[int, bool]] = {}

    def add(name: str, tag: int, current: bool) -> None:
        key = normalise(name)
        if key:
            tags = candidates.setdefault(key, {})
            tags[tag] = tags.get(tag, False) or current

    if standard.part06 is not None:
        for entry in standard.part06.data_elements:
            if entry.tag.repeating:
                continue
            add(entry.name, entry.tag.value, not entry.retired)
            if entry.keyword:
                add(entry.keyword, entry.tag.value, not entry.retired)
    known = dict(candidates)
    if standard.part03 is not None:
        for table in standard.part03.tables.values():
            for row in table.rows:
                if isinstance(row, AttributeRow) and not row.tag.repeating:
                    key = normalise(row.name)
                    if key and key not in known:
                        add(row.name, row.tag.value, True)
    names: dict[str, int] = {}
    for key, tags in sorted(candidates.items()):
        if len(tags) == 1:
            names[key] = next(iter(tags))
            continue
        current = [tag for tag, is_current in tags.items() if is_current]
        if len(current) == 1:
            names[key] = current[0]
    return names


# -- tokens ---------------------------------------------------------------------------------------
_TOKEN = re.compile(
    r"""
    (?P<tag>(?:\(|\b)\s*[0-9A-Fa-f]{4}\s*,\s*[0-9A-Fa-f]{4}\s*\))
    |(?P<quoted>"[^"\n]*"|“[^”\n]*”)
    |(?P<abbreviation>\b(?:i\.e|e\.g)\.)
    |(?P<uid>\d+(?:\.\d+){2,})
    |(?P<number>\d+(?:\.\d+)?(?![A-Za-z_]))
    |(?P<word>[A-Za-z0-9](?:[A-Za-z0-9_'’/\-]|\.(?=\d))*)
    |(?P<punct>[,;:.()=<>])
    |(?P<space>\s+)
    |(?P<other>.)
    """,
    re.VERBOSE,
)


@attrs.frozen
class _Token:
    kind: str
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower() if self.kind == "word" else self.text


def _tokens(text: str) -> list[_Token]:
    out = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind != "space":
            out.append(_Token(kind, match.group(), match.start(), match.end()))
    return out


class _NoParse(Exception):
    """The tokens at this position are not what the grammar expects."""


_VERBS = frozenset(
    "is are equals equal has have points exists exist contains contain do does not".split()
)
_SMALL = frozenset("of in for and or the a an to by with on at from per".split())
_CONNECTIVE_WORDS = frozenset({"and", "or", "either", "neither", "nor"})
_CAPS = re.compile(r"^[A-Z][A-Z0-9_]*$|^[0-9]+[A-Z][A-Z0-9_]*$")


@attrs.frozen
class _Subject:
    tag: int
    index: int | None = None
    level: Literal["dataset", "frame"] | None = None
    value_of: bool = False


@attrs.frozen
class _Predicate:
    build: Callable[[_Subject], Node]
    absence: bool = False
    """True for "is not present"/"is absent": ``build`` gives the presence the text denies."""
    negative: bool = False
    """True for "is not V"/"is other than V", which lists joined by "or" leave ambiguous."""


# -- the parser ------------------------------------------------------------------------------------
class _Parser:
    def __init__(
        self, text: str, tokens: list[_Token], names: Mapping[str, int], inverse: _Inverse
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.names = names
        self.inverse = inverse
        self.pos = 0
        self.end = len(tokens)

    # -- helpers
    def fail(self) -> NoReturn:
        raise _NoParse(self.pos)

    def peek(self, offset: int = 0) -> _Token | None:
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
        kinds: set[str] = set()
        unparsed: list[tuple[int, int]] = []
        while True:
            start = self.pos
            node = self.try_clause()
            if node is None:
                resume = self.recover(start)
                stop = resume if resume is not None else self.end
                unparsed.append((start, stop))
                parts.append(Unverifiable(self.span(start, stop)))
                if resume is None:
                    break
                self.pos = resume
            else:
                parts.append(node)
            if self.pos >= self.end:
                break
            kinds.add(self.connective())
        kinds.discard(",")
        if len(kinds) > 1 or (len(parts) > 1 and not kinds):
            return Unverifiable(self.span(0, self.end))
        kind = next(iter(kinds), "and")
        for start, stop in unparsed:
            if not self.plain(start, stop, kind):
                return Unverifiable(self.span(0, self.end))
        if len(parts) == 1:
            return parts[0]
        return All(tuple(parts)) if kind == "and" else Any(tuple(parts))

    def plain(self, start: int, stop: int, kind: str) -> bool:
        """An unparsed stretch whose words cannot change the structure around it (what is
        between brackets does not count)."""
        depth = 0
        for token in self.tokens[start:stop]:
            depth += (token.text == "(") - (token.text == ")")
            if depth > 0:
                continue
            if token.text in (",", ";", ":"):
                return False
            if token.low in _CONNECTIVE_WORDS and token.low != kind:
                return False
        return True

    def connective(self) -> str:
        """``and``, ``or`` (``, and``, ``and if``, ``, or``) or a bare ``,``; fails otherwise."""
        comma = self.accept(",")
        for word in ("and", "or"):
            if self.accept(word):
                self.accept("if")
                return word
        if comma:
            return ","
        self.fail()

    def at_connective(self) -> bool:
        return self.pos >= self.end or self.low() in (",", "and", "or")

    def try_clause(self) -> Node | None:
        start = self.pos
        try:
            node = self.clause()
        except _NoParse:
            self.pos = start
            return None
        if not self.at_connective():
            self.pos = start
            return None
        return node

    def recover(self, start: int) -> int | None:
        """The index of the next connective after which a clause parses, if any."""
        for index in range(start + 1, self.end):
            if self.tokens[index].low not in (",", "and", "or"):
                continue
            self.pos = index
            try:
                self.connective()
            except _NoParse:
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
        """[either] subject(s) [qualifiers] predicate [and|or predicate …]."""
        either = self.accept("either")
        subjects, kind = self.subjects()
        return self.predicates(subjects, kind, either)

    def subjects(self) -> tuple[list[_Subject], str]:
        subjects = [self.subject()]
        kind = ""
        while True:
            start = self.pos
            try:
                separator = self.connective()
            except _NoParse:
                break
            try:
                following = self.subject(qualifiers=False)
            except _NoParse:
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

    def subject(self, *, qualifiers: bool = True) -> _Subject:
        index: int | None = None
        value_of = False
        number = self.peek(1)
        if self.at("value") and number is not None and number.kind == "number":
            index = int(number.text)
            self.pos += 2
            self.expect("of")
        if self.accept("the", "value", "of") or self.accept("value", "of"):
            value_of = True
        else:
            self.accept("the") or self.accept("whose") or self.accept("one")
        tag = self.reference()
        level: Literal["dataset", "frame"] | None = None
        if qualifiers:
            index, level = self.qualifiers(index)
        return _Subject(tag, index, level, value_of)

    def qualifiers(
        self, index: int | None
    ) -> tuple[int | None, Literal["dataset", "frame"] | None]:
        level: Literal["dataset", "frame"] | None = None
        while True:
            token = self.peek(1)
            if self.at("value") and token is not None and token.kind == "number":
                if index is not None:
                    self.fail()
                index = int(token.text)
                self.pos += 2
            elif self.accept("of", "this", "frame"):
                level = "frame"
            elif self.accept("at", "the", "image", "level") or (
                self.at("in", "the") and self.module_name()
            ):
                level = "dataset"
            elif self.at("value") and self.low(1) in _VERBS:
                self.pos += 1
            elif self.at("item", "value") and self.low(2) in _VERBS:
                self.pos += 2
            else:
                return index, level

    def module_name(self) -> bool:
        """``in the Enhanced CT Image Module`` (at ``in``): consumed when it is one."""
        for offset in range(2, 12):
            token = self.peek(offset)
            if token is None or token.kind != "word":
                return False
            if token.text == "Module" and offset > 2:
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
                digits = re.sub(r"[^0-9A-Fa-f]", "", token.text)
                tag = int(digits, 16)
                words = normalise(self.text[self.tokens[self.pos].start : token.start])
                named = self.names.get(words, ALIASES.get(words))
                if words in self.inverse.names_of(tag) or (
                    named is None and _looks_like_name(self.tokens[self.pos : index])
                ):
                    self.pos = index + 1
                    return tag
                return None
            if token.kind in ("quoted",) or token.text in (",", ";", ".", ":"):
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
            key = normalise(self.text[words[0].start : words[-1].end])
            tag = self.names.get(key, ALIASES.get(key))
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
            and following.text != "Value"
        ):
            self.fail()
        self.pos = stop
        return tag

    # -- predicates
    def predicates(self, subjects: list[_Subject], kind: str, either: bool) -> Node:
        nodes = [self.apply(self.predicate(), subjects, kind, either)]
        chain = ""
        while True:
            start = self.pos
            if not (self.accept("and") or self.accept("or")):
                break
            word = self.tokens[self.pos - 1].low
            if not self.at_predicate():
                self.pos = start
                break
            if chain and chain != word:
                self.fail()
            chain = word
            nodes.append(self.apply(self.predicate(), subjects, kind, either))
        if len(nodes) == 1:
            return nodes[0]
        return All(tuple(nodes)) if chain == "and" else Any(tuple(nodes))

    def at_predicate(self) -> bool:
        if self.at("the", "value", "is"):
            return True
        return self.low() in _VERBS and self.low() != "not"

    def apply(
        self, predicate: _Predicate, subjects: list[_Subject], kind: str, either: bool
    ) -> Node:
        def one(subject: _Subject) -> Node:
            node = predicate.build(subject)
            return Scoped(node, subject.level) if subject.level is not None else node

        if len(subjects) == 1:
            if either:
                self.fail()
            node = one(subjects[0])
            return Not(node) if predicate.absence else node
        if kind == "or" and not either:
            if predicate.negative:
                self.fail()
            if predicate.absence:
                return Not(Any(tuple(one(s) for s in subjects)))
            return Any(tuple(one(s) for s in subjects))
        if either and kind != "or":
            self.fail()
        parts = tuple(Not(one(s)) if predicate.absence else one(s) for s in subjects)
        return Any(parts) if either else All(parts)

    def predicate(self) -> _Predicate:
        if self.accept("the", "value"):
            if not self.at("is"):
                self.fail()
        elif self.at("value") and self.low(1) in _VERBS:
            self.pos += 1
        if self.accept("exists") or self.accept("exist"):
            return _Predicate(lambda s: HasValue(s.tag) if s.value_of else Present(s.tag))
        if self.accept("contains", "items") or self.accept("contain", "items"):
            return _Predicate(lambda s: HasValue(s.tag))
        if self.accept("points", "to"):
            target = self.reference()
            return _Predicate(lambda s: Equals(s.tag, (target,), s.index))
        if self.accept("has", "a", "value") or self.accept("have", "a", "value"):
            return self.has_a_value()
        if self.accept("has", "the", "value"):
            self.accept("of")
            return self.equality(self.values())
        if self.accept("equals", "other", "than"):
            return self.difference(self.values())
        if self.accept("equals"):
            return self.equality(self.values())
        if self.accept("does", "not", "equal"):
            return self.difference(self.values())
        if self.accept("is") or self.accept("are"):
            return self.after_is()
        self.fail()

    def has_a_value(self) -> _Predicate:
        if self.accept("of"):
            return self.equality(self.values())
        comparison = self.comparison()
        if comparison is not None:
            return comparison
        return _Predicate(lambda s: HasValue(s.tag))

    def after_is(self) -> _Predicate:
        presence = self.presence()
        if presence is not None:
            return presence
        if self.accept("not", "empty"):
            return _Predicate(lambda s: HasValue(s.tag))
        if self.accept("empty"):
            return _Predicate(lambda s: All((Present(s.tag), Not(HasValue(s.tag)))))
        if self.accept("not", "equal", "to") or self.accept("other", "than"):
            return self.difference(self.values())
        if self.accept("not", "one", "of"):
            self.accept("the", "following", ":")
            return self.difference(self.values())
        if self.accept("not"):
            return self.difference(self.values())
        if self.accept("equal", "to"):
            return self.equality(self.values())
        if self.accept("the", "data", "element", "tag", "of", "a", "private", "attribute"):
            return _Predicate(lambda s: PointsToPrivate(s.tag))
        if self.at_code():
            codes = self.codes()
            return _Predicate(lambda s: HasCode(s.tag, codes))
        if self.accept("one", "of"):
            self.accept("the", "following", ":")
            return self.equality(self.values())
        comparison = self.comparison()
        if comparison is not None:
            return comparison
        return self.equality(self.values())

    def presence(self) -> _Predicate | None:
        for word in ("present", "sent", "used", "provided"):
            if self.accept(word):
                return _Predicate(lambda s: Present(s.tag))
        absent: tuple[tuple[str, ...], ...] = (
            ("not", "present"),
            ("absent",),
            ("not", "sent"),
            ("not", "used"),
        )
        for words in absent:
            if self.accept(*words):
                return _Predicate(lambda s: Present(s.tag), absence=True)
        return None

    def comparison(self) -> _Predicate | None:
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
        token = self.peek()
        if token is None or token.kind != "number":
            self.fail()
        self.pos += 1
        number = float(token.text)
        return _Predicate(lambda s: Compare(s.tag, op, number, s.index))

    @staticmethod
    def equality(values: tuple[Value, ...]) -> _Predicate:
        return _Predicate(lambda s: Equals(s.tag, values, s.index))

    @staticmethod
    def difference(values: tuple[Value, ...]) -> _Predicate:
        return _Predicate(
            lambda s: All((HasValue(s.tag), Not(Equals(s.tag, values, s.index)))),
            negative=True,
        )

    # -- values
    def at_code(self) -> bool:
        """At ``(113097, DCM, "Meaning")``: a coded value as PS3.3 writes one."""
        window = self.tokens[self.pos : self.pos + 7]
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

    def codes(self) -> tuple[tuple[str, str], ...]:
        """Coded values joined by ``or``: (Code Value, Coding Scheme Designator) pairs."""
        out = []
        while True:
            out.append((self.tokens[self.pos + 1].text, self.tokens[self.pos + 3].text))
            self.pos += 7
            if not (self.at("or") and self.pos + 1 < self.end):
                return tuple(out)
            self.pos += 1
            if not self.at_code():
                self.fail()

    def values(self) -> tuple[Value, ...]:
        """``A``, ``A or B``, ``A, B or C``: coded words, numbers, quoted strings, UIDs."""
        out = [self.value()]
        while True:
            start = self.pos
            comma = self.accept(",")
            if not self.accept("or") and not comma:
                break
            try:
                out.append(self.value())
            except _NoParse:
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
            return float(token.text) if "." in token.text else int(token.text)
        if token.kind == "word" and _CAPS.match(token.text):
            words = []
            while (t := self.peek()) is not None and t.kind == "word" and _CAPS.match(t.text):
                words.append(t.text)
                self.pos += 1
            following = self.peek()
            if following is not None and (
                following.kind == "tag"
                or (following.kind == "word" and following.low not in ("or", "and", "may", "shall"))
            ):
                self.fail()
            self.skip_label()
            return " ".join(words)
        self.fail()

    def labelled_uid(self) -> str | None:
        """``CT Image Storage ("1.2.840.10008.5.1.4.1.1.2")``: a name, then the UID in brackets."""
        index = self.pos
        while index < self.end and self.tokens[index].kind == "word":
            if self.tokens[index].low in _CONNECTIVE_WORDS:
                return None
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


def _title(token: _Token) -> bool:
    first = token.text[0]
    return first.isupper() or first.isdigit() or token.low in _SMALL


def _looks_like_name(tokens: list[_Token]) -> bool:
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


class _Inverse:
    """Tag -> its normalised names, built once per names mapping."""

    def __init__(self, names: Mapping[str, int]) -> None:
        self.source = names
        self.by_tag: dict[int, set[str]] = {}
        for name, tag in names.items():
            self.by_tag.setdefault(tag, set()).add(name)
        for name, tag in ALIASES.items():
            self.by_tag.setdefault(tag, set()).add(name)

    def names_of(self, tag: int) -> set[str]:
        return self.by_tag.get(tag, set())


_INVERSE: list[_Inverse] = []


def _inverse(names: Mapping[str, int]) -> _Inverse:
    if _INVERSE and _INVERSE[0].source is names:
        return _INVERSE[0]
    built = _Inverse(names)
    _INVERSE[:] = [built]
    return built


# -- sentences ------------------------------------------------------------------------------------
_LEADS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("required", ",", "if"), "required"),
    (("required", "if"), "required"),
    (("required", "when"), "required"),
    (("required", "only", "if"), "required"),
    (("shall", "be", "present", "if"), "required"),
    (("if", "and", "only", "if"), "if-and-only-if"),
    (("if",), "required"),
    (("shall", "not", "be", "present", "if"), "forbidden"),
    (("may", "be", "present", "otherwise", "only", "if"), "may-if"),
    (("may", "be", "present", "otherwise", "if"), "may-if"),
    (("may", "be", "present", "otherwise"), "may"),
    (("shall", "not", "be", "present", "otherwise"), "shall-not"),
    (("required",), "required"),
)
_LIST_INTROS: dict[tuple[str, ...], str] = {
    ("either",): "or",
    ("any", "of", "the", "following"): "or",
    ("one", "of", "the", "following"): "or",
    ("all", "of", "the", "following"): "and",
}
_CONDITION_WORDS = re.compile(r"\b(present|required if|otherwise)\b", re.IGNORECASE)


@attrs.define
class _Reading:
    """What the sentences of one condition text say, gathered while reading them."""

    requirements: list[Node] = attrs.field(factory=list)
    otherwise: Otherwise | None = None
    otherwise_if: Node | None = None
    forbidden: list[Node] = attrs.field(factory=list)
    unknown: list[str] = attrs.field(factory=list)


def parse(text: str, names: Mapping[str, int]) -> Condition:
    """The :class:`Condition` a condition text states. ``names`` maps normalised attribute names
    (:func:`normalise`) to tags, for references written without a tag and to check the names
    written before tags; :func:`names_from` builds it from a standard."""
    inverse = _inverse(names)
    paragraphs = [p.strip() for p in text.split("\n")]
    reading = _Reading()
    index = 0
    while index < len(paragraphs):
        index = _paragraph(paragraphs, index, names, inverse, reading)
    requirement: Node
    if not reading.requirements and reading.forbidden and not reading.unknown:
        requirement = Any(())  # only a prohibition ("Shall not be present if …"): never required
    elif not reading.requirements:
        requirement = Unverifiable(text.strip())
    elif len(reading.requirements) == 1:
        requirement = reading.requirements[0]
    else:
        requirement = Any(tuple(reading.requirements))
    if reading.unknown and reading.requirements:
        requirement = All((requirement, *(Unverifiable(u) for u in reading.unknown)))
    forbidden: Node | None = None
    if reading.forbidden:
        forbidden = (
            reading.forbidden[0] if len(reading.forbidden) == 1 else Any(tuple(reading.forbidden))
        )
    return Condition(
        requirement=requirement,
        otherwise=reading.otherwise,
        text=text,
        otherwise_if=reading.otherwise_if,
        forbidden_if=forbidden,
    )


def _paragraph(
    paragraphs: list[str],
    index: int,
    names: Mapping[str, int],
    inverse: _Inverse,
    reading: _Reading,
) -> int:
    """Read the sentences of ``paragraphs[index]`` (and of a list it opens); the next index."""
    paragraph = paragraphs[index]
    tokens = _tokens(paragraph)
    position = 0
    while position < len(tokens):
        lead = _lead(tokens, position, first=index == 0 and position == 0)
        if lead is None:
            position = _skip_sentence(paragraph, tokens, position, reading)
            continue
        kind, start = lead
        if kind in ("may", "shall-not"):
            reading.otherwise = "may" if kind == "may" else "shall-not"
            position = _sentence_end(tokens, start)
            continue
        end = _clause_end(tokens, start)
        if end < len(tokens) and tokens[end].text == ":" and end == len(tokens) - 1:
            node, index = _list(paragraphs, index, tokens, start, end, names, inverse)
            _record(reading, kind, node)
            return index
        node = _expression(paragraph, tokens, start, end, names, inverse)
        _record(reading, kind, node)
        position = end
        if position < len(tokens) and tokens[position].text in (",", ";", "."):
            position += 1
    return index + 1


def _record(reading: _Reading, kind: str, node: Node) -> None:
    if kind == "forbidden":
        reading.forbidden.append(node)
    elif kind == "may-if":
        reading.otherwise = "may"
        reading.otherwise_if = node
    else:
        reading.requirements.append(node)
        if kind == "if-and-only-if":
            reading.otherwise = "shall-not"


def _lead(tokens: list[_Token], position: int, *, first: bool) -> tuple[str, int] | None:
    """The lead of the sentence at ``position``: its kind and where its expression starts.

    ``if …`` and the bare ``Required …`` only open a text. A sentence may name what it is about
    first (``The Macro shall not be present if``: ``the`` and one word); ``Required for <up to
    three words> where`` is ``Required if``; a lead written twice (``Required if required if``)
    counts once.
    """
    words = [t.low for t in tokens[position : position + 9]]
    if first and words[:2] == ["required", "for"]:
        for offset in range(3, 6):
            if words[offset : offset + 1] == ["where"]:
                return "required", position + offset + 1
    for skip in (0, 2):
        if skip and words[:1] != ["the"]:
            break
        for lead, kind in _LEADS:
            if tuple(words[skip : skip + len(lead)]) != lead:
                continue
            if skip and lead[0] != "shall":
                continue
            if not first and (lead[0] == "if" or lead == ("required",)):
                continue
            end = position + skip + len(lead)
            if tuple(t.low for t in tokens[end : end + len(lead)]) == lead:
                end += len(lead)
            return kind, end
    return None


def _sentence_end(tokens: list[_Token], position: int) -> int:
    while position < len(tokens) and tokens[position].text not in (".", ";", ","):
        position += 1
    return position + 1


def _clause_end(tokens: list[_Token], start: int) -> int:
    """Where the expression after a lead ends: the end of the sentence, a ``;``, a list's
    ``:``, or a comma before ``may``/``shall``/``see``."""
    for position in range(start, len(tokens)):
        token = tokens[position]
        if token.text in (".", ";"):
            return position
        if token.text == ":" and position == len(tokens) - 1:
            return position
        if (
            token.text == ","
            and position + 1 < len(tokens)
            and tokens[position + 1].low in ("may", "shall", "see")
        ):
            return position
    return len(tokens)


def _skip_sentence(paragraph: str, tokens: list[_Token], position: int, reading: _Reading) -> int:
    """Pass over a sentence that is not part of the condition (``See Section …``, descriptions);
    one that speaks of presence or requirement and is not understood is kept as unknown."""
    end = position
    while end < len(tokens) and tokens[end].text not in (".", ";"):
        end += 1
    sentence = paragraph[tokens[position].start : tokens[end - 1].end] if end > position else ""
    if _CONDITION_WORDS.search(sentence) and not sentence.lower().startswith("see "):
        reading.unknown.append(sentence.strip())
    return end + 1


def _expression(
    paragraph: str,
    tokens: list[_Token],
    start: int,
    end: int,
    names: Mapping[str, int],
    inverse: _Inverse,
) -> Node:
    parser = _Parser(paragraph, tokens[start:end], names, inverse)
    if not parser.tokens:
        return Unverifiable(paragraph)
    return parser.expression()


def _list(
    paragraphs: list[str],
    index: int,
    tokens: list[_Token],
    start: int,
    end: int,
    names: Mapping[str, int],
    inverse: _Inverse,
) -> tuple[Node, int]:
    """``Required if either:`` and one paragraph per alternative, up to the next sentence the
    condition has (``May be present otherwise.``) or the end."""
    intro = tuple(t.low for t in tokens[start:end])
    items: list[str] = []
    following = index + 1
    while following < len(paragraphs):
        item_tokens = _tokens(paragraphs[following])
        if not item_tokens or _lead(item_tokens, 0, first=False) is not None:
            break
        items.append(paragraphs[following])
        following += 1
    kind = _LIST_INTROS.get(intro)
    if kind is None or not items:
        return Unverifiable(
            "\n".join([paragraphs[index][tokens[start].start :], *items])
        ), following
    nodes: list[Node] = []
    for item in items:
        item_tokens = _tokens(item)
        while item_tokens and item_tokens[-1].low in (".", ";", ",", "or", "and"):
            item_tokens.pop()
        nodes.append(_expression(item, item_tokens, 0, len(item_tokens), names, inverse))
    if len(nodes) == 1:
        return nodes[0], following
    return (Any(tuple(nodes)) if kind == "or" else All(tuple(nodes))), following


# -- the standard's conditions --------------------------------------------------------------------
@attrs.frozen(order=True)
class Location:
    """Where a condition text occurs: table id, body row, and what it conditions."""

    source: str
    row: int
    kind: Literal["attribute", "include", "module", "functional-group"]
    label: str

    def __str__(self) -> str:
        return f"{self.source} row {self.row}: {self.kind} {self.label}"


def collect(standard: Standard) -> list[tuple[str, tuple[Location, ...]]]:
    """Every distinct condition text of PS3.3 (1C/2C attributes, conditional Include rows, usage C
    modules and functional group macros) with where it occurs, sorted by text."""
    from dicomstd.codegen.model import AttributeRow, IncludeRow

    found: dict[str, set[Location]] = {}
    part03 = standard.part03
    if part03 is None:
        return []
    for table_id, table in part03.tables.items():
        for row in table.rows:
            if isinstance(row, AttributeRow) and row.condition:
                label = f"{row.tag} {row.name}"
                found.setdefault(row.condition, set()).add(
                    Location(table_id, row.row, "attribute", label)
                )
            elif isinstance(row, IncludeRow) and row.condition:
                found.setdefault(row.condition, set()).add(
                    Location(table_id, row.row, "include", row.target)
                )
    for iod in part03.iods:
        for use in iod.modules:
            if use.condition:
                location = Location(iod.id, use.row, "module", f"{use.name} in {iod.name}")
                found.setdefault(use.condition, set()).add(location)
        for use in iod.functional_groups:
            if use.condition:
                location = Location(
                    iod.functional_groups_table or iod.id,
                    use.row,
                    "functional-group",
                    f"{use.name} in {iod.name}",
                )
                found.setdefault(use.condition, set()).add(location)
    return [(text, tuple(sorted(found[text]))) for text in sorted(found)]


Status = Literal["parsed", "partial", "unparsed"]


def status(condition: Condition) -> Status:
    """``parsed``: no part is Unverifiable; ``partial``: some is, but some attribute test is
    not; ``unparsed``: nothing but text."""
    if condition.verifiable:
        return "parsed"
    nodes = [
        n
        for n in (condition.requirement, condition.otherwise_if, condition.forbidden_if)
        if n is not None
    ]
    return "partial" if any(_tests(n) for n in nodes) else "unparsed"


def _tests(node: Node) -> bool:
    if isinstance(node, (Present, HasValue, Equals, Compare, HasCode, PointsToPrivate)):
        return True
    if isinstance(node, (All, Any)):
        return any(_tests(n) for n in node.nodes)
    if isinstance(node, (Not, Scoped)):
        return _tests(node.node)
    return False


@attrs.frozen
class Coverage:
    conditions: dict[str, Condition]
    locations: dict[str, tuple[Location, ...]]
    parsed: tuple[str, ...]
    partial: tuple[str, ...]
    unparsed: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.conditions)

    @property
    def percent_parsed(self) -> float:
        return round(100.0 * len(self.parsed) / self.total, 1) if self.total else 100.0


_COVERAGE: list[tuple[Standard, Coverage]] = []


def coverage(standard: Standard) -> Coverage:
    """Parse every distinct condition of ``standard`` (once per standard: emitting the table and
    writing the report both ask)."""
    for known, result in _COVERAGE:
        if known is standard:
            return result
    result = _coverage(standard)
    _COVERAGE[:] = [(standard, result)]
    return result


def _coverage(standard: Standard) -> Coverage:
    collected = collect(standard)
    names = names_from(standard)
    conditions = {text: parse(text, names) for text, _ in collected}
    by_status: dict[Status, list[str]] = {"parsed": [], "partial": [], "unparsed": []}
    for text, condition in conditions.items():
        by_status[status(condition)].append(text)
    return Coverage(
        conditions=conditions,
        locations=dict(collected),
        parsed=tuple(by_status["parsed"]),
        partial=tuple(by_status["partial"]),
        unparsed=tuple(by_status["unparsed"]),
    )


def report_section(standard: Standard) -> dict[str, object]:
    """The conditions part of the generation report."""
    return _section(coverage(standard))


def _section(result: Coverage) -> dict[str, object]:
    return {
        "parsed": len(result.parsed),
        "partial": len(result.partial),
        "unparsed": len(result.unparsed),
        "total": result.total,
        "percent_parsed": result.percent_parsed,
        "unparsed_texts": sorted(result.partial + result.unparsed),
    }


# -- command line ---------------------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default text)"
    )
    parser.add_argument(
        "--unparsed",
        action="store_true",
        help="list every text not fully parsed, with its unverifiable parts",
    )
    parser.add_argument(
        "--trees", action="store_true", help="print every text with the tree it parses to"
    )
    from dicomstd.codegen import inputs

    inputs.add_part_option(parser)


def run(args: argparse.Namespace) -> int:
    from dicomstd.codegen import inputs, pipeline

    standard = pipeline.build(inputs.resolve(inputs.explicit_parts(args.part), inputs.read_pins()))
    result = coverage(standard)
    if args.format == "json":
        data = _section(result)
        data["partial_texts"] = list(result.partial)
        data["unparsed_only_texts"] = list(result.unparsed)
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    for line in _summary(standard, result):
        print(line)
    if args.unparsed:
        for line in _listing(result):
            print(line)
    if args.trees:
        from dicomstd.codegen.emit_conditions import tree_text

        for text, condition in result.conditions.items():
            print()
            print(text)
            print(f"  requirement: {tree_text(condition.requirement)}")
            if condition.otherwise is not None:
                print(f"  otherwise: {condition.otherwise}")
            if condition.otherwise_if is not None:
                print(f"  otherwise_if: {tree_text(condition.otherwise_if)}")
            if condition.forbidden_if is not None:
                print(f"  forbidden_if: {tree_text(condition.forbidden_if)}")
    return 0


def _summary(standard: Standard, result: Coverage) -> Iterator[str]:
    from dicomstd.codegen.render import part_label

    yield f"conditions of {part_label(standard, 3)}: {result.total} distinct texts"
    yield f"  parsed:   {len(result.parsed):4d} ({result.percent_parsed:.1f}%)"
    yield f"  partial:  {len(result.partial):4d} (some part unverifiable)"
    yield f"  unparsed: {len(result.unparsed):4d}"


def _listing(result: Coverage) -> Iterator[str]:
    for title, texts in (("partly parsed", result.partial), ("not parsed", result.unparsed)):
        yield ""
        yield f"{title} ({len(texts)}):"
        for text in texts:
            yield "- " + text.replace("\n", "\n  ")
            condition = result.conditions[text]
            parts = [
                part
                for node in (condition.requirement, condition.otherwise_if, condition.forbidden_if)
                if node is not None
                for part in unverifiable_parts(node)
            ]
            if title == "partly parsed":
                for part in parts:
                    yield f"    unverifiable: {part}"
