"""Data element tags.

A :class:`Tag` is an ``int`` (``0xGGGGEEEE``), so it hashes, orders and compares like the number
pydicom and the wire format use, and it prints the way the standard writes it: ``(0010,0010)``.
Like pydicom's ``Tag``, it also takes a keyword of the PS3.6 dictionary: ``Tag("PatientName")``.
"""

from __future__ import annotations

import operator
import re
from functools import cache
from typing import Generic, SupportsIndex, TypeVar

__all__ = ["RepeatingGroups", "Tag", "TagPattern", "UnknownKeywordError", "tag_text"]

_TEXT = re.compile(
    r"^\s*(?:\(\s*([0-9A-Fa-f]{4})\s*,\s*([0-9A-Fa-f]{4})\s*\)"
    r"|([0-9A-Fa-f]{4})\s*,\s*([0-9A-Fa-f]{4})"
    r"|(?:0[xX])?([0-9A-Fa-f]{8}))\s*$"
)


def tag_text(value: int) -> str:
    """``(gggg,eeee)``, upper-case hex: how the standard writes a tag."""
    return f"({value >> 16:04X},{value & 0xFFFF:04X})"


class Tag(int):
    """A data element tag: ``Tag(0x00100010)``, ``Tag(0x0010, 0x0010)``, ``Tag("(0010,0010)")``,
    ``Tag("PatientName")``.

    Strings may be written ``"(0010,0010)"``, ``"0010,0010"``, ``"00100010"``, ``"0x00100010"``
    or as a keyword of the PS3.6 dictionary. Anything else raises :class:`ValueError`; an unknown
    keyword raises :class:`UnknownKeywordError` (a ``ValueError``) naming the close matches. The
    keyword of a repeating group (``OverlayData``, (60xx,3000)) names no single tag: give the
    group's tag instead.
    """

    __slots__ = ()

    def __new__(cls, value: SupportsIndex | str, element: SupportsIndex | None = None) -> Tag:
        if type(value) is int and element is None and 0 <= value <= 0xFFFFFFFF:
            return super().__new__(cls, value)
        if element is not None:
            if isinstance(value, str):
                raise TypeError("Tag(group, element) takes two integers")
            group, elem = operator.index(value), operator.index(element)
            if not (0 <= group <= 0xFFFF and 0 <= elem <= 0xFFFF):
                raise ValueError(f"group and element must be 0..0xFFFF, got {group:#x}, {elem:#x}")
            return super().__new__(cls, (group << 16) | elem)
        if isinstance(value, Tag):
            return value
        if isinstance(value, str):
            return super().__new__(cls, _parse(value))
        if isinstance(value, bool):
            raise TypeError("a bool is not a tag")
        number = operator.index(value)  # a float is no tag: int(1.5) would truncate silently
        if not 0 <= number <= 0xFFFFFFFF:
            raise ValueError(f"a tag is 0..0xFFFFFFFF, got {number:#x}")
        return super().__new__(cls, number)

    @property
    def group(self) -> int:
        return int(self) >> 16

    @property
    def element(self) -> int:
        return int(self) & 0xFFFF

    @property
    def is_private(self) -> bool:
        return self.group % 2 == 1

    @property
    def is_private_creator(self) -> bool:
        return self.is_private and 0x0010 <= self.element <= 0x00FF

    def __str__(self) -> str:
        return tag_text(int(self))

    def __repr__(self) -> str:
        return f"Tag(0x{int(self) >> 16:04X}, 0x{int(self) & 0xFFFF:04X})"

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else int.__format__(int(self), spec)


_KEYWORD = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class UnknownKeywordError(ValueError):
    """A string shaped like a keyword that the dictionary does not have.

    ``close_matches`` lists the dictionary's keywords that look like it; the message names them
    (worked out when the message is first shown, so a caller that only catches the error pays
    nothing for it).
    """

    def __init__(self, keyword: str) -> None:
        super().__init__(keyword)
        self.keyword = keyword

    @property
    def close_matches(self) -> tuple[str, ...]:
        keywords = _keywords()
        folded = {k.lower(): k for k in keywords}
        same_but_case = folded.get(self.keyword.lower())
        import difflib  # only to suggest a keyword

        found = difflib.get_close_matches(self.keyword, keywords, n=5, cutoff=0.8)
        if same_but_case is not None and same_but_case not in found:
            found.insert(0, same_but_case)
        return tuple(found)

    def __str__(self) -> str:
        matches = self.close_matches
        hint = f"; close matches: {', '.join(matches)}" if matches else ""
        return f"not a tag: {self.keyword!r} is not a keyword of the data dictionary{hint}"


@cache
def _keywords() -> dict[str, tuple[int, int]]:
    """(tag, mask) of every keyword of the dictionary."""
    from dicomstd import dictionary

    found: dict[str, tuple[int, int]] = {}
    for entry in dictionary.entries():
        if entry.keyword:
            found.setdefault(entry.keyword, (int(entry.tag), entry.mask))
    return found


def _by_keyword(text: str) -> int:
    keyword = text.strip()
    found = _keywords().get(keyword)
    if found is None:
        raise UnknownKeywordError(keyword)
    value, mask = found
    if mask != 0xFFFFFFFF:
        raise ValueError(
            f"{keyword} is the keyword of the repeating group {TagPattern(value, mask)}, not of "
            f"one tag: give the group's tag, such as Tag({tag_text(value)!r})"
        )
    return value


def _parse(text: str) -> int:
    match = _TEXT.match(text)
    if match is None:
        if _KEYWORD.match(text.strip()):
            return _by_keyword(text)
        raise ValueError(
            f"not a tag: {text!r} (expected (gggg,eeee), gggg,eeee, ggggeeee or a keyword)"
        )
    groups = match.groups()
    if groups[0] is not None:
        return int(groups[0] + groups[1], 16)
    if groups[2] is not None:
        return int(groups[2] + groups[3], 16)
    return int(groups[4], 16)


_PATTERN = re.compile(r"^\(?\s*([0-9A-Fa-fxX]{4})\s*,\s*([0-9A-Fa-fxX]{4})\s*\)?$")


class TagPattern:
    """A repeating-group tag such as ``(60xx,3000)``: ``x`` digits match any hex digit."""

    __slots__ = ("mask", "value")

    def __init__(self, value: int, mask: int = 0xFFFFFFFF) -> None:
        self.value = value & mask
        self.mask = mask

    @classmethod
    def parse(cls, text: str) -> TagPattern:
        """``(60xx,3000)``, ``60XX,3000``, ``(60xx, 3000)``: ``x`` (either case) stands for any
        hex digit."""
        match = _PATTERN.match(text.strip())
        if match is None:
            raise ValueError(f"not a tag pattern: {text!r}")
        digits = (match.group(1) + match.group(2)).upper().replace("X", "x")
        value = int(digits.replace("x", "0"), 16)
        mask = int("".join("0" if d == "x" else "F" for d in digits), 16)
        return cls(value, mask)

    def matches(self, tag: int) -> bool:
        return (tag & self.mask) == self.value

    @property
    def repeating(self) -> bool:
        return self.mask != 0xFFFFFFFF

    def __str__(self) -> str:
        digits = f"{self.value:08X}"
        mask = f"{self.mask:08X}"
        text = "".join("x" if m == "0" else d for d, m in zip(digits, mask, strict=True))
        return f"({text[:4]},{text[4:]})"

    def __repr__(self) -> str:
        return f"TagPattern.parse({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, TagPattern) and other.value == self.value and other.mask == self.mask
        )

    def __hash__(self) -> int:
        return hash((self.value, self.mask))


E = TypeVar("E")


class RepeatingGroups(Generic[E]):
    """Entries of repeating-group tags (``(60xx,3000)``) by mask, looked up the way the
    dictionary and the generator both look them up: a tag matches the entry of the most specific
    mask (most fixed digits) that matches it; the first entry added for a (value, mask) wins."""

    __slots__ = ("_tables",)

    def __init__(self) -> None:
        self._tables: list[tuple[int, dict[int, E]]] = []

    def add(self, value: int, mask: int, entry: E) -> None:
        for known, table in self._tables:
            if known == mask:
                table.setdefault(value & mask, entry)
                return
        self._tables.append((mask, {value & mask: entry}))
        self._tables.sort(key=lambda item: -bin(item[0]).count("1"))

    def match(self, tag: int) -> E | None:
        """The entry whose pattern matches ``tag`` (the most specific), if any."""
        for mask, table in self._tables:
            entry = table.get(tag & mask)
            if entry is not None:
                return entry
        return None

    def get(self, value: int, mask: int) -> E | None:
        """The entry written with exactly this pattern (``x`` digits as 0 in ``value``)."""
        for known, table in self._tables:
            if known == mask:
                return table.get(value & mask)
        return None

    def clear(self) -> None:
        self._tables.clear()
