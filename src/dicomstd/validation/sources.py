"""What a run validates: the files named, the files found in the folders named, standard input,
and (when asked) the files a DICOMDIR references.

A file named on the command line is always validated. A file found while walking a folder is
validated when it looks like DICOM — a PS3.10 file (``DICM`` after the 128-byte preamble), a data
set without File Meta Information, a file whose name says DICOM (``.dcm``) — or like DICOM JSON
(PS3.18 F.2); anything else (``README.txt``, ``.gz``, other JSON) is skipped and counted. A folder
that cannot be listed becomes an ``unreadable`` result of its own.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from typing import Literal

import attrs

__all__ = [
    "DICOMDIR_NAME",
    "MEDIA_STORAGE_DIRECTORY",
    "STDIN",
    "Item",
    "Walk",
    "display",
    "kind_of",
]

STDIN = "-"
DICOMDIR_NAME = "DICOMDIR"
"""The File ID of a DICOMDIR (PS3.10 8.6)."""
MEDIA_STORAGE_DIRECTORY = "1.2.840.10008.1.3.10"
"""Media Storage Directory Storage: the SOP Class of a DICOMDIR (PS3.4 I.4-1)."""

Kind = Literal["dicom", "json", "stdin", "folder"]

_DICOM_SUFFIXES = frozenset({".dcm", ".dicom", ".dic"})
_SNIFF = 4096
# The DICOM JSON model: an object (or an array of them) whose keys are 8 hex digits (PS3.18 F.2).
_DICOM_JSON = re.compile(rb'^\s*\[?\s*\{\s*"[0-9A-Fa-f]{8}"\s*:\s*\{')
_EXPLICIT_VR = re.compile(rb"^[A-Z]{2}$")


@attrs.frozen(slots=True)
class Item:
    """One thing to validate: a file (``kind`` says how to read it), standard input, or a folder
    that could not be listed (``error`` says why)."""

    path: str
    kind: Kind
    error: str = ""
    label: str = ""
    """The path results give the item when it differs from the path it is read from (a file
    sent to another machine by its absolute path is still reported as it was named)."""

    @property
    def name(self) -> str:
        return self.label or self.path


def display(path: str) -> str:
    """A path as reports print it: bytes that are not UTF-8 (kept by the file system as
    surrogate escapes) shown as ``\\xNN``."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return path


def kind_of(path: str, head: bytes) -> Kind | None:
    """How to read a file from its first bytes and its name; None when it is not DICOM."""
    if head[128:132] == b"DICM" or _looks_like_data_set(head):
        return "dicom"
    if _DICOM_JSON.match(head):
        return "json"
    if os.path.splitext(path)[1].lower() in _DICOM_SUFFIXES:
        return "dicom"
    return None


def _looks_like_data_set(head: bytes) -> bool:
    """A data set without preamble: its first element is of group 0002 or 0008 (File Meta
    Information, or the Identifying group every composite instance starts with), little or big
    endian, with an explicit VR or a 4-byte length."""
    if len(head) < 8:
        return False
    for order in ("little", "big"):
        group = int.from_bytes(head[0:2], order)
        if group in (0x0002, 0x0008):
            length = int.from_bytes(head[4:8], order)
            return bool(_EXPLICIT_VR.match(head[4:6])) or length < (1 << 24)
    return False


def _head(path: str) -> bytes | None:
    try:
        with open(path, "rb") as file:
            return file.read(_SNIFF)
    except OSError:
        return None


def _named_kind(path: str) -> Kind:
    """A file named explicitly: JSON when it says so (name or content), else DICOM."""
    if os.path.splitext(path)[1].lower() == ".json":
        return "json"
    head = _head(path)
    return "json" if head is not None and kind_of(path, head) == "json" else "dicom"


@attrs.define
class Walk:
    """The items of a run, found lazily in order, with the count of files skipped."""

    paths: Iterable[str]
    follow_dicomdir: bool = False
    skipped: int = 0
    _followed: set[str] = attrs.field(factory=set)

    def __iter__(self) -> Iterator[Item]:
        for name in self.paths:
            if name == STDIN:
                yield Item(STDIN, "stdin")
            elif os.path.isdir(name):
                yield from self._folder(name)
            else:
                yield from self._file(name, _named_kind(name))

    def _file(self, path: str, kind: Kind) -> Iterator[Item]:
        yield Item(path, kind)
        if self.follow_dicomdir and kind == "dicom" and _is_dicomdir_name(path):
            for referenced in references(path):
                key = os.path.normcase(os.path.abspath(referenced))
                if key not in self._followed:
                    self._followed.add(key)
                    yield Item(referenced, "dicom")

    def _folder(self, folder: str) -> Iterator[Item]:
        errors: list[OSError] = []
        for root, dirs, names in os.walk(folder, onerror=errors.append):
            yield from (_folder_error(error) for error in errors)
            errors.clear()
            dirs.sort()
            # A DICOMDIR first, so that the files it references are validated after it, once.
            for name in sorted(names, key=lambda n: (not _is_dicomdir_name(n), n)):
                path = os.path.join(root, name)
                if self._followed and os.path.normcase(os.path.abspath(path)) in self._followed:
                    continue
                head = _head(path)
                kind = kind_of(path, head) if head is not None else "dicom"
                if kind is None:
                    self.skipped += 1
                else:
                    yield from self._file(path, kind)
        yield from (_folder_error(error) for error in errors)


def _folder_error(error: OSError) -> Item:
    where = error.filename if isinstance(error.filename, str) else str(error.filename)
    return Item(where, "folder", f"cannot list the folder: {error.strerror or error}")


def _is_dicomdir_name(path: str) -> bool:
    return os.path.basename(path).upper() == DICOMDIR_NAME


def references(dicomdir: str) -> list[str]:
    """The files a DICOMDIR's directory records reference (Referenced File ID (0004,1500),
    relative to the DICOMDIR's folder, PS3.3 F.3.2.2); none when it cannot be read."""
    import warnings

    from pydicom import dcmread

    folder = os.path.dirname(dicomdir)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            dataset = dcmread(dicomdir, force=True)
            records = dataset.get("DirectoryRecordSequence") or ()
            found: list[str] = []
            for record in records:
                file_id = record.get("ReferencedFileID")
                if file_id is None or not file_id:
                    continue
                parts = [file_id] if isinstance(file_id, str) else list(file_id)
                found.append(os.path.join(folder, *(str(part).strip() for part in parts)))
    except Exception:  # an unreadable DICOMDIR is reported when it is validated
        return []
    return found
