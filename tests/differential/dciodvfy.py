"""Errors per file and tag from dciodvfy (dicom3tools) and from dicomstd, on the same files.

dciodvfy names the attribute of an error in several ways: a tag ``(0x0008,0x1155)``, a keyword
``Element=<OperatorsName>``, a name ``attribute <Photometric Interpretation>``, or a keyword in
the sentence (``StudyInstanceUID has same value as FrameOfReferenceUID``). Keywords and names
are looked up in pydicom's dictionary, an independent one. An error naming no attribute
("Dicom dataset read failed") is counted apart, not compared.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs
from pydicom.datadict import DicomDictionary, tag_for_keyword

__all__ = ["Comparison", "compare", "dciodvfy_errors", "dicomstd_errors", "tag_text"]

_TAG = re.compile(r"\(0x([0-9a-fA-F]{4}),0x([0-9a-fA-F]{4})\)")
_ANGLED = re.compile(r"<([^<>]*)>")
_WORD = re.compile(r"\b([A-Z][A-Za-z]+)\b")
_MISSING = re.compile(r"but missing (\w+)")
_ERROR = re.compile(r"^(?:\(0x[0-9a-fA-F]{4},0x[0-9a-fA-F]{4}\)[^-]*- )?Error - (.*)$")
_NAMES = {entry[2]: tag for tag, entry in DicomDictionary.items()}


def tag_text(tag: int) -> str:
    return f"({tag >> 16:04X},{tag & 0xFFFF:04X})"


def _tag_of(word: str) -> int | None:
    """The tag of a keyword or name; None for the item delimitation words ("Sequence Item
    dataset read failed" names no attribute)."""
    found = tag_for_keyword(word)
    found = found if found is not None else _NAMES.get(word)
    return found if found is not None and found >> 16 != 0xFFFE else None


def error_tag(line: str) -> int | None:
    """The attribute one dciodvfy error line is about, or None when it names none."""
    if "Transfer Syntax UID" in line:  # "Metaheader present but doesn't contain Transfer …"
        return 0x00020010
    missing = _MISSING.search(line)  # "MediaStorageSOPClassUID but missing SOPClassUID"
    if missing is not None and _tag_of(missing.group(1)) is not None:
        return _tag_of(missing.group(1))
    explicit = _TAG.search(line)
    if explicit is not None:
        return int(explicit.group(1) + explicit.group(2), 16)
    for pattern in (_ANGLED, _WORD):
        for word in pattern.findall(line):
            found = _tag_of(word)
            if found is not None:
                return found
    return None


@attrs.frozen
class Verdict:
    tags: frozenset[int]
    untagged: tuple[str, ...]
    aborted: bool = False


def dciodvfy_errors(executable: str, path: Path) -> Verdict:
    done = subprocess.run(
        [executable, str(path)], capture_output=True, text=True, errors="replace", check=False
    )
    if done.returncode < 0 or done.returncode >= 128:  # killed by a signal (an assertion)
        return Verdict(frozenset(), (done.stderr.strip().splitlines() or [""])[-1:], True)
    tags: set[int] = set()
    untagged: list[str] = []
    for line in done.stderr.splitlines():
        error = _ERROR.match(line)
        if error is None:
            continue
        tag = error_tag(line)
        if tag is None:
            untagged.append(error.group(1))
        else:
            tags.add(tag)
    return Verdict(frozenset(tags), tuple(untagged))


def dicomstd_errors(build: Path, files: Sequence[Path]) -> dict[str, Verdict]:
    """Errors of ``dicomstd validate`` with the generated build ``build``, by file path."""
    environment = dict(os.environ, DICOMSTD_BUILD=str(build))
    command = [sys.executable, "-m", "dicomstd", "validate", "--format", "json"]
    done = subprocess.run(
        [*command, *map(str, files)], capture_output=True, text=True, env=environment, check=False
    )
    assert done.returncode in (0, 1), done.stderr
    out: dict[str, Verdict] = {}
    for result in json.loads(done.stdout)["files"]:
        errors = [f for f in result["findings"] if f["severity"] == "error"]
        tags = frozenset(int(f["tag"][1:5] + f["tag"][6:10], 16) for f in errors if f["tag"])
        untagged = tuple(f"{f['code']}: {f['message']}" for f in errors if not f["tag"])
        out[result["path"]] = Verdict(tags, untagged)
    return out


@attrs.frozen
class Comparison:
    agree: tuple[tuple[str, str], ...]
    ours: tuple[tuple[str, str], ...]
    """(file, tag) where only dicomstd reports an error."""
    theirs: tuple[tuple[str, str], ...]
    """(file, tag) where only dciodvfy reports an error."""
    aborted: tuple[str, ...]
    """Files dciodvfy gave no verdict on."""


def compare(pairs: Iterable[tuple[str, Verdict, Verdict]]) -> Comparison:
    """``pairs``: (file, dicomstd's verdict, dciodvfy's verdict)."""
    agree: list[tuple[str, str]] = []
    ours: list[tuple[str, str]] = []
    theirs: list[tuple[str, str]] = []
    aborted: list[str] = []
    for name, mine, other in pairs:
        if other.aborted:
            aborted.append(name)
            continue
        for tag in sorted(mine.tags | other.tags):
            side = agree if tag in mine.tags and tag in other.tags else ours
            if tag not in mine.tags:
                side = theirs
            side.append((name, tag_text(tag)))
    return Comparison(tuple(agree), tuple(ours), tuple(theirs), tuple(aborted))
