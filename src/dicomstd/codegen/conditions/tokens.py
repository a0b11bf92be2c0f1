"""Condition prose as tokens: words, ``(gggg,eeee)`` tags, quoted strings, UIDs, numbers,
punctuation. Every token keeps its place in the text, so that what the parser does not read is
quoted back verbatim."""

from __future__ import annotations

import re
from typing import NoReturn

import attrs

__all__ = ["Cursor", "NoParse", "Token", "tokens"]

_TOKEN = re.compile(
    r"""
    (?P<tag>(?:\(|\b)\s*[0-9A-Fa-f]{4}\s*[,.]\s*[0-9A-Fa-f]{4}\s*\))
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
class Token:
    kind: str
    """``tag``, ``quoted``, ``abbreviation``, ``uid``, ``number``, ``word``, ``punct`` or
    ``other``."""
    text: str
    start: int
    end: int
    low: str = attrs.field(init=False, eq=False, repr=False)
    """A word in lower case; any other token as written."""

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "low", self.text.lower() if self.kind == "word" else self.text)

    @property
    def tag(self) -> int:
        """The value of a ``tag`` token."""
        return int(re.sub(r"[^0-9A-Fa-f]", "", self.text), 16)


def tokens(text: str) -> list[Token]:
    out = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind != "space":
            out.append(Token(kind, match.group(), match.start(), match.end()))
    return out


class NoParse(Exception):
    """The tokens at this position are not what the grammar expects."""


class Cursor:
    """A position in the tokens of one expression, and the ways to look at and step over them."""

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.pos = 0
        self.end = len(tokens)

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
