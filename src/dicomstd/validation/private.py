"""Private Data Elements and Group Length elements of one data set (PS3.5 7.8, 7.2).

PS3.5 7.8.1: "Private Creator Data Elements numbered (gggg,0010-00FF) (gggg is odd) shall be used
to reserve a block of Elements"; "Private Creator Data Element (gggg,0010), is a Type 1 Data
Element that identifies the implementer reserving element (gggg,1000-10FF)" and so on; "A
Private Creator identifier may be used only once within a Group"; "The requirements of this
section do not allow any use of elements in the ranges (gggg,0001-000F) and (gggg,0100-0FFF)
where gggg is odd. Elements with Tags (0001,xxxx), (0003,xxxx), (0005,xxxx), (0007,xxxx) and
(FFFF,xxxx) shall not be used." "Data Elements numbered (gggg,0000), where gggg is odd, were
Group Length Elements, which have been retired". Each Item is a data set of its own, so a
private element in an Item needs its Private Creator in that Item.

PS3.5 7.2: Group Length (gggg,0000) elements "have been retired"; "Mandatory requirements for
Group Length for groups 0 and 2 are specified elsewhere in the Standard".
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from typing import Any

from dicomstd.tag import tag_text
from dicomstd.validation.findings import Code, Finding
from dicomstd.vr import bare_text

__all__ = ["FORBIDDEN_GROUPS", "group_length", "private_elements"]

FORBIDDEN_GROUPS = frozenset({0x0001, 0x0003, 0x0005, 0x0007, 0xFFFF})
"""Odd groups PS3.5 7.8.1 does not allow at all."""
# Groups whose Group Length is not retired: 0000 (commands, PS3.7) and 0002 (PS3.10).
_LENGTH_REQUIRED = frozenset({0x0000, 0x0002})
_SECTION = "PS3.5 7.8.1"
_BLOCK = 0xFFFFFF00  # a tag's group and the high byte of its element


def group_length(tag: int, path: str) -> Finding | None:
    """A finding for a Group Length element (gggg,0000), or None for groups 0000 and 0002."""
    group = tag >> 16
    if group in _LENGTH_REQUIRED:
        return None
    return Finding.of(
        "group-length",
        f"Group Length {tag_text(tag)}: Group Length elements other than those of groups 0000 "
        "and 0002 have been retired (PS3.5 7.2, 7.8.1)",
        tag=tag,
        path=path,
        reference="PS3.5 7.2",
    )


def _creator(element: Any) -> str:
    """The text of a Private Creator element, padding removed."""
    value = element.value
    if isinstance(value, bytes | bytearray):
        return bare_text(bytes(value).decode("latin-1"))
    if value is None:
        return ""
    return bare_text(str(value))


def private_elements(
    elements: Mapping[int, Any], tags: Iterable[int], path: str, *, explicit: bool
) -> list[Finding]:
    """Findings on the private (odd-group) ``tags`` of one data set, whose ``elements`` (by int
    tag) hold its Private Creators. Group Length elements of odd groups included. ``explicit``:
    the data set is encoded with explicit VR, so that a Private Creator's VR can be checked."""
    findings: list[Finding] = []
    creators: dict[tuple[int, str], int] = {}
    missing: dict[int, list[int]] = {}
    ordered = sorted(tags)
    # The tags by block, (gggg,xx00-xxFF): a block of xx 10 to FF is reserved by the Private
    # Creator (gggg,00xx) as a whole; the tags of the other blocks are looked at one by one.
    single: list[int] = []
    start, end_of_tags = 0, len(ordered)
    while start < end_of_tags:
        block = ordered[start] & _BLOCK
        end = bisect_left(ordered, block + 0x100, start)
        members = ordered[start:end]
        start = end
        group, high = block >> 16, (block >> 8) & 0xFF
        if high >= 0x10 and group not in FORBIDDEN_GROUPS:  # the common case: a block
            creator = (block & 0xFFFF0000) | high
            if creator not in elements:
                missing[creator] = members
        else:
            single.extend(members)
    for tag in single:
        group, element = tag >> 16, tag & 0xFFFF
        if group in FORBIDDEN_GROUPS:
            findings.append(
                _finding(
                    "private-reserved",
                    f"{tag_text(tag)} is in group {group:04X}, which shall not be used",
                    tag,
                    path,
                )
            )
        elif element == 0:
            found = group_length(tag, _where(path, tag))
            if found is not None:
                findings.append(found)
        elif element < 0x0010 or element >= 0x0100:
            findings.append(
                _finding(
                    "private-reserved",
                    f"{tag_text(tag)} is in a range of private group {group:04X} that shall "
                    "not be used: (gggg,0001-000F) and (gggg,0100-0FFF)",
                    tag,
                    path,
                )
            )
        else:
            findings.extend(_check_creator(tag, elements[tag], creators, path, explicit))
    for creator, members in missing.items():
        first = members[0]
        reserved = f"({creator >> 16:04X},{creator & 0xFF:02X}00-{creator & 0xFF:02X}FF)"
        count = f"{len(members)} elements" if len(members) > 1 else "an element"
        findings.append(
            _finding(
                "private-creator-missing",
                f"{count} of the private block {reserved}, first {tag_text(first)}, without the "
                f"Private Creator {tag_text(creator)} that reserves the block in this data set",
                first,
                path,
            )
        )
    return findings


def _check_creator(
    tag: int, element: Any, creators: dict[tuple[int, str], int], path: str, explicit: bool
) -> list[Finding]:
    vr = element.VR
    if explicit and isinstance(vr, str) and vr != "LO":
        return [
            Finding.of(
                "vr-mismatch",
                f"Private Creator {tag_text(tag)} has VR {vr}; the VR of a private "
                "identification code shall be LO (and UN shall not be used for it)",
                tag=tag,
                path=_where(path, tag),
                reference=_SECTION,
            )
        ]
    name = _creator(element)
    if not name:
        return [
            _finding(
                "private-creator-empty",
                f"Private Creator {tag_text(tag)} has no value; it is a Type 1 Data Element",
                tag,
                path,
            )
        ]
    key = (tag >> 16, name)
    first = creators.setdefault(key, tag)
    if first == tag:
        return []
    return [
        _finding(
            "private-creator-duplicate",
            f"Private Creator {tag_text(tag)} {name!r} also reserves {tag_text(first)}: an "
            "identifier may be used only once within a group",
            tag,
            path,
        )
    ]


def _where(path: str, tag: int) -> str:
    """The path of a private element: its tag, after the path of its data set."""
    return f"{path}.{tag_text(tag)}" if path else tag_text(tag)


def _finding(code: Code, message: str, tag: int, path: str) -> Finding:
    """A finding on private element ``tag`` of the data set at ``path``."""
    return Finding.of(code, message, tag=tag, path=_where(path, tag), reference=_SECTION)
