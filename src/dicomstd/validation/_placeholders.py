"""Placeholders for values the validator does not read. They subclass ``bytes``, so this module
is never compiled (a class compiled with mypyc cannot subclass ``bytes``): see ``make
compiled``."""

from __future__ import annotations

__all__ = ["OnDisk"]


class OnDisk(bytes):
    """The value of an element longer than :attr:`Limits.value_bytes`, left on disk: an empty
    ``bytes`` whose ``len`` is the length of the value, so that a check of presence, emptiness
    or length sees the value as it is, and nothing reads it."""

    length: int

    def __new__(cls, length: int) -> OnDisk:
        value = super().__new__(cls)
        value.length = length
        return value

    def __len__(self) -> int:
        return self.length

    def __repr__(self) -> str:
        return f"<a value of {self.length} bytes, not read>"
