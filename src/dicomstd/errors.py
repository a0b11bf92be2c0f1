"""Exceptions of the runtime."""

from __future__ import annotations

__all__ = ["UnknownElementError", "UnknownIODError", "UnknownModuleError", "UnknownUIDError"]


class _KeyErrorWithMessage(KeyError):
    """A KeyError whose ``str()`` is its message (a plain KeyError shows the repr of its key)."""

    def __init__(self, key: object, message: str) -> None:
        super().__init__(key)
        self.key = key
        self.message = message

    def __str__(self) -> str:
        return self.message


class UnknownElementError(_KeyErrorWithMessage):
    """No data element of the dictionary matches what was looked up."""


class UnknownUIDError(_KeyErrorWithMessage):
    """No UID of the registry matches what was looked up."""


class UnknownIODError(_KeyErrorWithMessage):
    """No IOD matches the SOP Class UID or name that was looked up."""


class UnknownModuleError(_KeyErrorWithMessage):
    """No module or macro matches the key, name or table id that was looked up."""
