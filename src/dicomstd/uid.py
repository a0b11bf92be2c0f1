"""UIDs of the registry (PS3.6 annex A): a ``str`` type and lookups by value or keyword."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from dicomstd.errors import UnknownUIDError

if TYPE_CHECKING:
    from pydicom.dataset import Dataset

__all__ = ["UID", "UidInfo", "bare_uid", "get", "lookup"]


class UidInfo(NamedTuple):
    value: str
    name: str
    keyword: str
    type: str
    part: str
    retired: bool
    source: str
    """PS3.6 table id the UID is listed in."""
    row: int = 0
    """The body row of that table (1-based)."""
    keyword_derived: bool = False
    """True when the edition has no keyword column and the keyword was derived from the name."""


class UID(str):
    """A UID value. Registry facts (name, keyword, type) are looked up on demand."""

    __slots__ = ()

    @property
    def info(self) -> UidInfo | None:
        return get(self)

    @property
    def name(self) -> str:
        info = get(self)
        return info.name if info else ""

    @property
    def keyword(self) -> str:
        info = get(self)
        return info.keyword if info else ""

    @property
    def is_retired(self) -> bool:
        info = get(self)
        return bool(info and info.retired)


_INDEX: dict[str, UidInfo] = {}
_ENTRIES: list[UidInfo] = []


def _build() -> None:
    from dicomstd._generated.uids import ENTRIES

    index: dict[str, UidInfo] = {}
    built = [UidInfo(*entry) for entry in ENTRIES]
    for info in built:
        index[info.value] = info
        if info.keyword:
            index.setdefault(info.keyword, info)
    _ENTRIES[:] = built
    _INDEX.update(index)


def bare_uid(text: str) -> str:
    """A UID as given, without white space around it and the NUL that pads a UI value."""
    return text.strip().rstrip("\0").strip()


def transfer_syntax(dataset: Dataset) -> str | None:
    """The Transfer Syntax UID (0002,0010) of a data set's File Meta Information, bare; None
    when it has none."""
    meta = getattr(dataset, "file_meta", None)
    element = meta.get(0x00020010) if meta is not None else None
    if element is None or not element.value:
        return None
    return bare_uid(str(element.value)) or None


def get(key: str) -> UidInfo | None:
    """The registry entry for a UID value or keyword, or None."""
    info = _INDEX.get(key)
    if info is None and not _INDEX:
        _build()
        info = _INDEX.get(key)
    if info is None and isinstance(key, str):
        info = _INDEX.get(bare_uid(key))
    return info


def lookup(key: str) -> UidInfo:
    """The registry entry for a UID value or keyword; :class:`UnknownUIDError` if there is none."""
    info = get(key)
    if info is None:
        raise UnknownUIDError(key, f"no UID with value or keyword {key!r} in the registry")
    return info


def entries() -> tuple[UidInfo, ...]:
    if not _INDEX:
        _build()
    return tuple(_ENTRIES)
