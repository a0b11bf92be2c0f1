"""dicomstd: the DICOM standard as typed Python, and a validator built on it.

Importing the package is cheap: tables of the standard load on first use.

>>> from dicomstd import Tag, tags, dictionary
>>> tags.PatientName == Tag(0x0010, 0x0010)
True
>>> dictionary.lookup("PatientName").vm.text
'1'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dicomstd.tag import Tag, TagPattern

if TYPE_CHECKING:
    from dicomstd import dictionary, tags, uids
    from dicomstd.dictionary import DataElement, lookup
    from dicomstd.errors import UnknownElementError, UnknownIODError, UnknownUIDError
    from dicomstd.uid import UID
    from dicomstd.vm import VM
    from dicomstd.vr import VR

__all__ = [
    "UID",
    "VM",
    "VR",
    "DataElement",
    "Tag",
    "TagPattern",
    "UnknownElementError",
    "UnknownIODError",
    "UnknownUIDError",
    "dictionary",
    "lookup",
    "tags",
    "uids",
]

_LAZY = {
    "VM": ("dicomstd.vm", "VM"),
    "VR": ("dicomstd.vr", "VR"),
    "UID": ("dicomstd.uid", "UID"),
    "DataElement": ("dicomstd.dictionary", "DataElement"),
    "lookup": ("dicomstd.dictionary", "lookup"),
    "UnknownElementError": ("dicomstd.errors", "UnknownElementError"),
    "UnknownUIDError": ("dicomstd.errors", "UnknownUIDError"),
    "UnknownIODError": ("dicomstd.errors", "UnknownIODError"),
}
_MODULES = {"tags", "uids", "dictionary"}


def __getattr__(name: str) -> object:
    import importlib

    if name in _MODULES:
        return importlib.import_module(f"dicomstd.{name}")
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'dicomstd' has no attribute {name!r}")
    value = getattr(importlib.import_module(target[0]), target[1])
    globals()[name] = value
    return value
