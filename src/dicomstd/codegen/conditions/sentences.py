"""Read a condition text sentence by sentence into a :class:`~dicomstd.conditions.Condition`.

Each sentence opens with a lead of :data:`~dicomstd.codegen.conditions.leads.LEADS` and says,
by its kind, what the expression after the lead means for the attribute (required when it holds,
forbidden when it holds, permitted otherwise when it holds …); the expression runs to the end of
the sentence, a ``;``, a list's ``:``, a comma before ``may``/``shall``/``see``, a remark
(``, in which case …``) or the next lead. A sentence whose lead ends with ``:`` opens a list: one
paragraph per alternative (after ``either:``), or the rest of a sentence split over paragraphs
(``Required if:`` / ``Image Type (0008,0008) Value 3 is:``), which is read as one expression.

No sentence of the condition is dropped: one with no lead that speaks of presence or of a
requirement is kept as an unverifiable part; sentences that are not part of the condition (``See
Section …``, descriptions that follow it) are passed over.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs

from dicomstd.codegen.conditions.grammar import Parser
from dicomstd.codegen.conditions.leads import LEADS, Kind
from dicomstd.codegen.conditions.names import Vocabulary
from dicomstd.codegen.conditions.reasons import unverifiable
from dicomstd.codegen.conditions.tokens import Token, tokens
from dicomstd.conditions import Any, Condition, Node, Otherwise, is_verifiable

__all__ = ["parse"]

_LIST_INTROS: dict[tuple[str, ...], str] = {
    ("either",): "or",
    ("any", "of", "the", "following"): "or",
    ("one", "of", "the", "following"): "or",
    ("all", "of", "the", "following"): "and",
}
_CONDITION_WORDS = re.compile(r"\b(present|required if|otherwise)\b", re.IGNORECASE)
_SENTENCE_LEADS = tuple(lead for lead in LEADS if lead.kind != "remark")
_REMARKS = tuple(lead.words for lead in LEADS if lead.kind == "remark")
_STOPS = tuple(
    lead.words for lead in _SENTENCE_LEADS if not lead.first and lead.words[0] in ("may", "shall")
)
"""Leads that end the expression before them even without punctuation ("… NONE May be present
otherwise.")."""
_FIRST_WORDS = frozenset(words[0] for words in (*_STOPS, *_REMARKS))


@attrs.define
class _Reading:
    """What the sentences of one condition text say, gathered while reading them."""

    requirements: list[Node] = attrs.field(factory=list)
    otherwise: Otherwise | None = None
    permissions: list[Node] = attrs.field(factory=list)
    forbidden: list[Node] = attrs.field(factory=list)
    unknown: list[str] = attrs.field(factory=list)
    """Sentences about presence without a lead: when they may require the attribute."""

    def record_unknown(self, sentence: str) -> None:
        """A sentence about presence the reader does not know: by its first words a prohibition
        ("shall not be present in a Presentation State IOD"), a permission ("may …") or else a
        case where it may be required."""
        words = sentence.lower().split()
        if words[:2] == ["shall", "not"]:
            self.forbidden.append(unverifiable(sentence))
        elif words[:1] in (["may"], ["optional"]):
            self.otherwise = self.otherwise or "may"
            self.permissions.append(unverifiable(sentence))
        else:
            self.unknown.append(sentence)

    def record(self, kind: Kind, node: Node) -> None:
        if kind == "forbidden":
            self.forbidden.append(node)
        elif kind == "may-if":
            self.otherwise = "may"
            self.permissions.append(node)
        else:
            self.requirements.append(node)
            if kind == "if-and-only-if":
                self.otherwise = "shall-not"


def _one(nodes: list[Node]) -> Node | None:
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else Any(tuple(nodes))


def parse(text: str, names: Mapping[str, int] | Vocabulary) -> Condition:
    """The :class:`Condition` a condition text states. ``names`` resolves what the text names:
    a :class:`~dicomstd.codegen.conditions.names.Vocabulary`, or just normalised attribute
    names -> tags."""
    vocabulary = Vocabulary.of(names)
    paragraphs = [p.strip() for p in text.split("\n")]
    reading = _Reading()
    index = 0
    while index < len(paragraphs):
        index = _paragraph(paragraphs, index, vocabulary, reading)
    requirement: Node
    if not reading.requirements and reading.forbidden and not reading.unknown:
        requirement = Any(())  # only a prohibition ("Shall not be present if …"): never required
    elif not reading.requirements:
        requirement = unverifiable(text.strip(), "wording")  # no sentence with a lead we know
    else:
        requirement = _one(reading.requirements) or Any(())
    if reading.unknown and reading.requirements:
        requirement = Any((requirement, *(unverifiable(u) for u in reading.unknown)))
    return Condition(
        requirement=requirement,
        otherwise=reading.otherwise,
        text=text,
        otherwise_if=_one(reading.permissions),
        forbidden_if=_one(reading.forbidden),
    )


def _paragraph(paragraphs: list[str], index: int, vocabulary: Vocabulary, reading: _Reading) -> int:
    """Read the sentences of ``paragraphs[index]`` (and of a list it opens); the next index."""
    paragraph = paragraphs[index]
    found = tokens(paragraph)
    position = 0
    while position < len(found):
        lead = _lead(found, position, first=index == 0 and position == 0)
        if lead is None:
            position = _skip_sentence(paragraph, found, position, reading)
            continue
        kind, start = lead
        if kind in ("may", "shall-not"):
            reading.otherwise = "may" if kind == "may" else "shall-not"
            position = _sentence_end(found, start)
            continue
        end = _clause_end(found, start)
        if end < len(found) and found[end].text == ":" and end == len(found) - 1:
            node, index = _list(paragraphs, index, found, start, end, vocabulary)
            reading.record(kind, node)
            return index
        reading.record(kind, _expression(paragraph, found, start, end, vocabulary))
        position = _after_remark(found, end)
        if position < len(found) and found[position].text in (",", ";", "."):
            position += 1
    return index + 1


def _matches(found: list[Token], position: int, words: tuple[str, ...]) -> bool:
    return tuple(t.low for t in found[position : position + len(words)]) == words


def _lead(found: list[Token], position: int, *, first: bool) -> tuple[Kind, int] | None:
    """The lead of the sentence at ``position``: its kind and where its expression starts.

    ``if …`` and the bare ``Required …`` only open a text. A sentence may name what it is about
    first (``The Macro shall not be present if``: ``the`` and one word); ``Required for <up to
    three words> where`` is ``Required if``; a lead written twice (``Required if required if``)
    counts once; a dash before it is not a word (``– Required if``).
    """
    while position < len(found) and found[position].kind == "other":
        position += 1
    words = [t.low for t in found[position : position + 9]]
    if first and words[:2] == ["required", "for"]:
        for offset in range(3, 6):
            if words[offset : offset + 1] == ["where"]:
                return "required", position + offset + 1
    for skip in (0, 2):
        if skip and words[:1] != ["the"]:
            break
        for lead in _SENTENCE_LEADS:
            if not _matches(found, position + skip, lead.words):
                continue
            if skip and lead.words[0] != "shall":
                continue
            if not first and lead.first:
                continue
            end = position + skip + len(lead.words)
            if _matches(found, end, lead.words):
                end += len(lead.words)
            return lead.kind, end
    return None


def _sentence_end(found: list[Token], position: int) -> int:
    while position < len(found) and found[position].text not in (".", ";", ","):
        position += 1
    return position + 1


def _clause_end(found: list[Token], start: int) -> int:
    """Where the expression after a lead ends: the end of the sentence, a ``;``, a list's
    ``:``, a comma before ``may``/``shall``/``see``, a remark or a capitalised lead."""
    for position in range(start, len(found)):
        token = found[position]
        if token.text in (".", ";"):
            return position
        if token.text == ":" and position == len(found) - 1:
            return position
        if (
            token.text == ","
            and position + 1 < len(found)
            and found[position + 1].low in ("may", "shall", "see")
        ):
            return position
        if token.low not in _FIRST_WORDS:
            continue
        if any(_matches(found, position, words) for words in _REMARKS):
            return position
        if (
            position > start
            and token.text[:1].isupper()
            and any(_matches(found, position, words) for words in _STOPS)
        ):
            return position
    return len(found)


def _after_remark(found: list[Token], end: int) -> int:
    """Past a remark (``, in which case …``) to the end of its sentence."""
    if any(_matches(found, end, words) for words in _REMARKS):
        while end < len(found) and found[end].text not in (".", ";"):
            end += 1
    return end


def _skip_sentence(paragraph: str, found: list[Token], position: int, reading: _Reading) -> int:
    """Pass over a sentence that is not part of the condition (``See Section …``, descriptions);
    one that speaks of presence or requirement and is not understood is kept as unknown."""
    end = position
    while end < len(found) and found[end].text not in (".", ";"):
        end += 1
    sentence = paragraph[found[position].start : found[end - 1].end] if end > position else ""
    if _CONDITION_WORDS.search(sentence) and not sentence.lower().startswith("see "):
        reading.record_unknown(sentence.strip())
    return end + 1


def _expression(
    paragraph: str, found: list[Token], start: int, end: int, vocabulary: Vocabulary
) -> Node:
    parser = Parser(paragraph, found[start:end], vocabulary)
    if not parser.tokens:
        return unverifiable(paragraph)
    return parser.expression()


def _list(
    paragraphs: list[str],
    index: int,
    found: list[Token],
    start: int,
    end: int,
    vocabulary: Vocabulary,
) -> tuple[Node, int]:
    """``Required if either:`` and one paragraph per alternative, or ``Required if:`` and a
    sentence continued over paragraphs, up to the next sentence the condition has (``May be
    present otherwise.``) or the end."""
    intro = tuple(t.low for t in found[start:end])
    items: list[str] = []
    following = index + 1
    while following < len(paragraphs):
        item_tokens = tokens(paragraphs[following])
        if not item_tokens or _lead(item_tokens, 0, first=False) is not None:
            break
        items.append(paragraphs[following])
        following += 1
    if not items:
        return unverifiable(paragraphs[index][found[start].start :]), following
    kind = _LIST_INTROS.get(intro)
    if kind is None:
        alone = _expression(paragraphs[index], found, start, end, vocabulary)
        if is_verifiable(alone):  # a whole sentence before the colon: the list is no part of it
            return alone, index + 1
        joined = " ".join([paragraphs[index][found[start].start : found[end].start], *items])
        joined_tokens = tokens(joined)
        while joined_tokens and joined_tokens[-1].low in (".", ";", ","):
            joined_tokens.pop()
        return _expression(joined, joined_tokens, 0, len(joined_tokens), vocabulary), following
    nodes: list[Node] = []
    for item in items:
        item_tokens = tokens(item)
        while item_tokens and item_tokens[-1].low in (".", ";", ",", "or", "and"):
            item_tokens.pop()
        nodes.append(_expression(item, item_tokens, 0, len(item_tokens), vocabulary))
    if len(nodes) == 1:
        return nodes[0], following
    return Parser.joined(nodes, kind), following
