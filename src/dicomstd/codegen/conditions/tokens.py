"""Condition prose as tokens: words, ``(gggg,eeee)`` tags, quoted strings, UIDs, numbers,
punctuation. Every token keeps its place in the text, so that what the parser does not read is
quoted back verbatim."""

from __future__ import annotations

import re

import attrs

__all__ = ["Token", "tokens"]

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
