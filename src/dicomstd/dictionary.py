"""The data dictionary (PS3.6 registry tables): look up a data element by tag or keyword.

``lookup`` accepts a :class:`~dicomstd.tag.Tag`, an ``int``, a keyword (``"PatientName"``) or a
tag string (``"(0010,0010)"``, ``"0010,0010"``, ``"00100010"``). Repeating groups resolve through
their mask: ``lookup(0x60023000).keyword == "OverlayData"``. The index is built once, on first
use, from the generated flat table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import attrs

from dicomstd.errors import UnknownElementError
from dicomstd.tag import RepeatingGroups, Tag, TagPattern
from dicomstd.vm import VM
from dicomstd.vr import VR

__all__ = ["DataElement", "UnknownElementError", "entries", "get", "lookup", "repeating"]


@attrs.frozen(slots=True)
class DataElement:
    """One entry of the PS3.6 registry."""

    tag: Tag
    """The tag; for a repeating group the first one, ``x`` as 0: (60xx,3000) -> (6000,3000)."""
    name: str
    keyword: str
    vrs: frozenset[VR]
    """Every VR the standard allows (``US or SS`` gives two); empty for the delimitation items."""
    vm: VM
    retired: bool
    source: str
    """PS3.6 table id the entry comes from, ``table_6-1`` …"""
    mask: int = 0xFFFFFFFF
    """1-bits where the tag is fixed; 0 nibbles stand for the ``x`` digits of a repeating group."""
    note: str = ""

    @property
    def pattern(self) -> TagPattern:
        return TagPattern(int(self.tag), self.mask)

    @property
    def tag_text(self) -> str:
        """The tag as the standard writes it, ``x`` digits kept: ``(60xx,3000)``."""
        return str(self.pattern)

    @property
    def repeating(self) -> bool:
        return self.mask != 0xFFFFFFFF

    @property
    def vr(self) -> VR | None:
        """The single VR, or None when the standard allows several or none."""
        return next(iter(self.vrs)) if len(self.vrs) == 1 else None

    def matches(self, tag: int) -> bool:
        return (tag & self.mask) == int(self.tag)


class _Index(dict[object, DataElement]):
    """One dict answers keywords, ints and Tags (a Tag hashes as its int): one probe per hit.
    A miss goes to :meth:`__missing__`: the entry is made on its first lookup (and kept here),
    then tag strings, repeating groups and, failing those, :class:`UnknownElementError`."""

    __slots__ = ()

    def __missing__(self, key: object) -> DataElement:
        element = _slow_get(key)
        if element is None:
            raise UnknownElementError(key, _unknown_message(key))
        return element


_INDEX: Final = _Index()
_MASKED: Final = RepeatingGroups[DataElement]()
_ROWS: dict[object, int] = {}
"""Tag value -> position of the entry in the generated table (the first of equals)."""
_KEYWORD_ROWS: dict[str, int] = {}
"""Keyword -> position, the same way; made on the first lookup by a string (the validator looks
up tags only)."""
_MADE: list[DataElement | None] = []
"""The entries made so far, by position: a run that validates one IOD makes only its own."""
_VR_SETS: dict[str, frozenset[VR]] = {}
_EXACT: Final = 0xFFFFFFFF


def _table() -> tuple[tuple[int, int, str, str, str, str, bool, str, str], ...]:
    from dicomstd._generated.dictionary import ENTRIES

    return ENTRIES


def _build() -> None:
    """The positions of the entries by tag and keyword, and the repeating-group entries (their
    masks are matched one by one); every other entry is made on first use (:func:`_made`)."""
    table = _table()
    _MASKED.clear()
    _MADE[:] = [None] * len(table)
    # From the last entry to the first, so that the first of equal tags is the one kept.
    backwards = zip(range(len(table) - 1, -1, -1), reversed(table), strict=True)
    rows: dict[object, int] = {row[0]: position for position, row in backwards if row[1] == _EXACT}
    for position in [position for position, row in enumerate(table) if row[1] != _EXACT]:
        value, mask, *_ = table[position]
        _MASKED.add(value, mask, _made(position))
    _ROWS.update(rows)


def _keyword_rows() -> dict[str, int]:
    if not _KEYWORD_ROWS:
        table = _table()
        backwards = zip(range(len(table) - 1, -1, -1), reversed(table), strict=True)
        _KEYWORD_ROWS.update({row[3]: position for position, row in backwards if row[3]})
    return _KEYWORD_ROWS


def _made(position: int) -> DataElement:
    element = _MADE[position]
    if element is None:
        value, mask, name, keyword, vr_text, vm_text, retired, source, note = _table()[position]
        vrs = _VR_SETS.get(vr_text)
        if vrs is None:
            vrs = frozenset(VR(code) for code in vr_text.split()) if vr_text else frozenset()
            _VR_SETS[vr_text] = vrs
        element = DataElement(
            Tag(value), name, keyword, vrs, VM.parse(vm_text), retired, source, mask, note
        )
        _MADE[position] = element
    return element


lookup: Final[Callable[[Tag | int | str], DataElement]] = _INDEX.__getitem__
"""The data element for a tag, keyword or tag string; :class:`UnknownElementError` if none.

The index's own subscript: a hit costs one dict probe and no Python call."""


def get(key: Tag | int | str) -> DataElement | None:
    """Like :func:`lookup` but returns None for an unknown key."""
    element = _INDEX.get(key)
    if element is not None:
        return element
    return _slow_get(key)


def _indexed(key: object) -> DataElement | None:
    """The entry of a tag value or keyword, kept in the index from now on; None if none."""
    if not _ROWS:
        _build()
    position = (
        (_KEYWORD_ROWS or _keyword_rows()).get(key) if isinstance(key, str) else _ROWS.get(key)
    )
    if position is None:
        return None
    element = _made(position)
    _INDEX[key] = element
    return element


def _slow_get(key: object) -> DataElement | None:
    element = _indexed(key)
    if element is not None:
        return element
    if isinstance(key, str):
        text = key.strip()
        element = _INDEX.get(text) or _indexed(text)
        if element is not None:
            return element
        try:
            number = int(Tag(text))
        except ValueError:
            return _by_pattern(text)
        element = _INDEX.get(number) or _indexed(number)
        if element is not None:
            return element
        return _masked(number)
    if isinstance(key, int) and not isinstance(key, bool):
        return _masked(int(key))
    return None


def _by_pattern(text: str) -> DataElement | None:
    """A repeating-group entry written with its ``x`` digits: ``(60xx,3000)``."""
    try:
        pattern = TagPattern.parse(text)
    except ValueError:
        return None
    return repeating(pattern.value, pattern.mask)


def repeating(value: int, mask: int) -> DataElement | None:
    """The repeating-group entry of this value (``x`` digits as 0) and mask, if any."""
    if not _ROWS:
        _build()
    return _MASKED.get(value, mask)


def _masked(number: int) -> DataElement | None:
    return _MASKED.match(number)


def _unknown_message(key: object) -> str:
    if isinstance(key, int) and not isinstance(key, bool):
        try:
            return f"no data element with tag {Tag(key)} in the dictionary"
        except ValueError:
            return f"{key!r} is not a tag"
    if isinstance(key, str):
        return f"no data element with keyword or tag {key!r} in the dictionary"
    return f"cannot look up a data element by {type(key).__name__} {key!r}"


def entries() -> tuple[DataElement, ...]:
    """Every entry of the dictionary, in registry order."""
    if not _ROWS:
        _build()
    return tuple(_made(position) for position in range(len(_MADE)))
