"""The words that lead a condition's sentences: one table for the PS3.3 parser, which cuts a
condition out of a description, and for the sentence reader, which reads what each sentence says.

Each :class:`Lead` is a phrase and what a sentence it opens states:

* ``required`` — the attribute is required if the expression after it holds;
* ``if-and-only-if`` — the same, and it shall not be present otherwise (Include rows);
* ``forbidden`` — the attribute shall not be present if the expression holds;
* ``may-if`` — otherwise it may be present if the expression holds (and shall not otherwise);
* ``may`` — otherwise it may be present; ``shall-not`` — otherwise it shall not be present;
* ``remark`` — what follows a comma is not part of the condition (``, in which case …``).

``opens``: the phrase starts a condition in a description cell ("Required if", "Shall not be
present if"); the others only continue one. ``first``: the phrase leads only the first sentence
(``if …`` of an Include row, a bare ``Required``).
"""

from __future__ import annotations

import re
from typing import Literal

import attrs

__all__ = [
    "LEADS",
    "Kind",
    "Lead",
    "condition_paragraphs",
    "include_condition",
]

Kind = Literal["required", "if-and-only-if", "forbidden", "may-if", "may", "shall-not", "remark"]


@attrs.frozen
class Lead:
    phrase: str
    kind: Kind
    opens: bool = False
    first: bool = False

    @property
    def words(self) -> tuple[str, ...]:
        """The phrase as the tokens of a sentence show it (lower case, ``,`` a token)."""
        return tuple(self.phrase.replace(",", " ,").split())

    @property
    def pattern(self) -> str:
        """The phrase as a regular expression over text (any spacing, an optional comma)."""
        return r",?\s+".join(re.escape(word) for word in self.phrase.replace(",", "").split())


LEADS: tuple[Lead, ...] = (
    Lead("required, if", "required", opens=True),
    Lead("required if", "required", opens=True),
    Lead("required when", "required", opens=True),
    Lead("required only if", "required", opens=True),
    Lead("shall be present if", "required", opens=True),
    Lead("shall be present when", "required", opens=True),
    Lead("if and only if", "if-and-only-if", first=True),
    Lead("if", "required", first=True),
    Lead("shall not be present if", "forbidden", opens=True),
    Lead("shall not be present, if", "forbidden", opens=True),
    Lead("shall not be present when", "forbidden", opens=True),
    Lead("may be present otherwise only if", "may-if"),
    Lead("may be present otherwise if", "may-if"),
    Lead("may be present only if", "may-if"),
    Lead("may be present if", "may-if"),
    Lead("may be present, if", "may-if"),
    Lead("may also be present if", "may-if"),
    Lead("may be present for other sop classes if", "may-if"),
    Lead("may be present otherwise", "may"),
    Lead("may also be present otherwise", "may"),
    Lead("shall not be present otherwise", "shall-not"),
    Lead("it shall not be present otherwise", "shall-not"),
    Lead("should not be present otherwise", "shall-not"),
    Lead("must not be present otherwise", "shall-not"),
    Lead("otherwise not used", "shall-not"),
    Lead("required", "required", first=True),
    Lead(", in which case", "remark"),
    Lead(", overriding", "remark"),
)
"""Longer phrases before the shorter ones they begin with."""

_OPENERS = ("for", "in", "as", "unless")
"""Words after ``Required`` that open a condition the sentence reader reads from ``Required``
(``Required for images where …``, ``Required for first Item of …``)."""

_OPENING = re.compile(
    r"\b(?:"
    + "|".join(
        [lead.pattern for lead in LEADS if lead.opens] + [rf"required,?\s+{w}" for w in _OPENERS]
    )
    + r")\b",
    re.IGNORECASE,
)
# The published text sometimes drops the "if": "Required Pixel Data (7FE0,0010) is present."
_LOOSE = re.compile(r"\bRequired\b", re.IGNORECASE)
_CONTINUING = re.compile(
    r"^\s*(?:"
    + "|".join(lead.pattern for lead in LEADS if lead.kind != "remark" and not lead.first)
    + r")\b",
    re.IGNORECASE,
)
_NOT_CONDITION = re.compile(r"^(See|Note|Enumerated|Defined)\b")
_DANGLING = re.compile(r"\b(is|are|equals|of|to|and|or)\s*$")
"""A paragraph that ends in the middle of a sentence: the next one continues it."""
_INCLUDE = re.compile(r"^(if|when|only if|unless)\b", re.IGNORECASE)


def condition_paragraphs(paragraphs: list[str]) -> list[str]:
    """The paragraphs of a 1C/2C description that state its condition, from the first lead on:
    every paragraph holding an opening lead, every one a lead continues with ("May be present
    for other SOP Classes if …", "Shall not be present otherwise"), and the items of a list the
    condition opens with a colon. Other paragraphs (descriptions, "See …", notes) are not part
    of it."""
    found = _paragraphs(paragraphs, _OPENING)
    return found if found else _paragraphs(paragraphs, _LOOSE)


def _paragraphs(paragraphs: list[str], start: re.Pattern[str]) -> list[str]:
    parts: list[str] = []
    collecting = False
    dangling = False
    for text in paragraphs:
        if dangling and parts and not _NOT_CONDITION.match(text):
            # "Required if Image Type (0008,0008), Value 3 is" / "TOMO, GATED TOMO …": one
            # sentence the cell breaks over two paragraphs.
            parts[-1] = f"{parts[-1].rstrip()} {text.strip()}"
            dangling = _DANGLING.search(text) is not None
            continue
        dangling = False
        match = start.search(text)
        if match is not None and not collecting:
            parts.append(text[match.start() :])
            collecting = text.rstrip().endswith(":")
            dangling = _DANGLING.search(text) is not None
            continue
        continuing = bool(parts) and _CONTINUING.match(text) is not None
        if collecting:
            if continuing or not _NOT_CONDITION.match(text):
                parts.append(text)
                collecting = not continuing
                continue
            collecting = False
        if continuing:
            parts.append(text)
    return parts


def include_condition(after: str) -> str | None:
    """The condition of an Include row from the text after its reference (``if and only if
    Value Type (0040,A040) is CODE``), or None when that text is no condition."""
    if _INCLUDE.match(after) is None:
        return None
    return after.strip(" .")
