"""Attribute references and values as condition prose writes them.

A reference is an attribute's name then its tag (the words before the tag must be a name of that
tag, or look like a name the dictionary lacks), or a known name written in Title Case. Values are
coded words (``ORIGINAL``), numbers (also as words: ``zero``), quoted strings, UIDs (bare, quoted,
or after a SOP Class name), SOP Class names, coded values ``(113097, DCM, "Meaning")`` and, for
the values of tag attributes (VR AT), attributes (``Frame Time (0018,1063)``).
"""

from __future__ import annotations

import re

from dicomstd.codegen.conditions.names import Vocabulary, normalise
from dicomstd.codegen.conditions.tokens import Cursor, NoParse, Token
from dicomstd.conditions import Value

__all__ = [
    "CAPS",
    "CONNECTIVE_WORDS",
    "NUMBERS",
    "ORDINALS",
    "SMALL",
    "VERBS",
    "ValueReader",
    "title",
]

VERBS = frozenset(
    "is are equals equal has have points exists exist contains contain do does not includes "
    "include specifies".split()
)
SMALL = frozenset("of in for and or the a an to by with on at from per".split())
CONNECTIVE_WORDS = frozenset({"and", "or", "either", "neither", "nor"})
CAPS = re.compile(r"^[A-Z][A-Z0-9_]*$|^[0-9]+[A-Z][A-Z0-9_]*$")
NUMBERS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


def title(token: Token) -> bool:
    first = token.text[0]
    return first.isupper() or first.isdigit() or token.low in SMALL


def _looks_like_name(tokens: list[Token]) -> bool:
    """Words written as an attribute name (Title Case, small words between, no verb) before a
    tag the names do not give that way: a tag newer than the dictionary, a variant name."""
    words = [t for t in tokens if t.kind == "word"]
    if not words or any(t.kind != "word" and t.text not in ("(", ")") for t in tokens):
        return False
    if words[0].low in SMALL or words[-1].low in SMALL:
        return False
    return all(title(t) and t.low not in VERBS and t.low not in CONNECTIVE_WORDS for t in words)


def _swapped(value: Token, scheme: Token) -> bool:
    """A coded value written designator first, ``(DCM, 111759, "Meaning")``: a Coding Scheme
    Designator is never a bare number, a DCM or SCT Code Value often is."""
    return value.kind == "word" and scheme.kind == "number" and CAPS.match(value.text) is not None


def _is_uid(text: str) -> bool:
    return bool(re.fullmatch(r"\d+(\.\d+)+", text))


class ValueReader(Cursor):
    """Reads references and values; ``vocabulary`` resolves the names."""

    pointers = False
    """Whether the subjects of the clause being read are tag attributes (VR AT), whose values
    name attributes (``Frame Increment Pointer (0028,0009) is Frame Time (0018,1063)``)."""

    def __init__(self, text: str, tokens: list[Token], vocabulary: Vocabulary) -> None:
        super().__init__(text, tokens)
        self.vocabulary = vocabulary

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
                if named is not None and tag not in self.vocabulary.by_tag:
                    # A misprinted tag no dictionary or table defines ("Illumination Color
                    # Code Sequence (0048,ee08)"): the name decides.
                    self.pos = index + 1
                    return named
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
            if not all(title(t) for t in words if t.kind == "word"):
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

    def number(self) -> float:
        token = self.peek()
        if token is None:
            self.fail()
        if token.kind == "number":
            self.pos += 1
            return float(token.text)
        if token.low in NUMBERS:
            self.pos += 1
            return float(NUMBERS[token.low])
        self.fail()

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
            and (scheme.kind == "word" or _swapped(value, scheme))
            and second.text == ","
            and meaning.kind == "quoted"
            and closing.text == ")"
        )

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
            value, scheme = self.tokens[self.pos + 1], self.tokens[self.pos + 3]
            if _swapped(value, scheme):
                value, scheme = scheme, value
            out.append((value.text, scheme.text))
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
        if token.low in NUMBERS and token.low != "one":
            self.pos += 1
            return NUMBERS[token.low]
        if token.kind == "word" and CAPS.match(token.text):
            words = []
            while (t := self.peek()) is not None and t.kind == "word" and CAPS.match(t.text):
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
            if not all(t.kind == "word" and title(t) for t in self.tokens[self.pos : stop]):
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
            if token.low in CONNECTIVE_WORDS or token.low in VERBS or not title(token):
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
