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

from dicomstd import _build
from dicomstd.tag import Tag, TagPattern

_build.select_for_process()  # DICOMSTD_BUILD: use another generated build for this process

if TYPE_CHECKING:
    from dicomstd import dictionary, tags, uids
    from dicomstd.dictionary import DataElement, lookup
    from dicomstd.errors import UnknownElementError, UnknownIODError, UnknownUIDError
    from dicomstd.uid import UID
    from dicomstd.validation import (
        Finding,
        ValidationResult,
        validate,
        validate_file,
        validate_json,
    )
    from dicomstd.vm import VM
    from dicomstd.vr import VR

__all__ = [
    "UID",
    "VM",
    "VR",
    "DataElement",
    "Finding",
    "Tag",
    "TagPattern",
    "UnknownElementError",
    "UnknownIODError",
    "UnknownUIDError",
    "ValidationResult",
    "dictionary",
    "lookup",
    "tags",
    "uids",
    "validate",
    "validate_file",
    "validate_json",
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
    "validate": ("dicomstd.validation", "validate"),
    "validate_file": ("dicomstd.validation", "validate_file"),
    "validate_json": ("dicomstd.validation", "validate_json"),
    "ValidationResult": ("dicomstd.validation", "ValidationResult"),
    "Finding": ("dicomstd.validation", "Finding"),
}
_MODULES = {"tags", "uids", "dictionary", "spec", "iods", "modules", "validation"}


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
