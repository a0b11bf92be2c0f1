"""Private, unknown and Group Length elements (PS3.5 7.8, 7.2, 6.2.2).

PS3.5 7.8.1: "Private Creator Data Elements numbered (gggg,0010-00FF) (gggg is odd) shall be
used to reserve a block of Elements"; "Private Creator Data Element (gggg,0010), is a Type 1
Data Element"; "A Private Creator identifier may be used only once within a Group"; "The
requirements of this section do not allow any use of elements in the ranges (gggg,0001-000F) and
(gggg,0100-0FFF) where gggg is odd. Elements with Tags (0001,xxxx), (0003,xxxx), (0005,xxxx),
(0007,xxxx) and (FFFF,xxxx) shall not be used." PS3.5 7.2: Group Length elements "have been
retired". The data sets are pydicom's CT_small.dcm, whose private blocks (0009,10xx),
(0011,10xx) … have their Private Creators, changed one defect at a time.
"""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydicom import dcmread
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from dicomstd import dictionary
from dicomstd.tag import tag_text
from dicomstd.validation import Severity, ValidationResult, private, validate
from tests.validate.conftest import pydicom_file


def _codes(result: ValidationResult) -> set[tuple[str, str, Severity]]:
    return {(f.code, f.tag_text, f.severity) for f in result.findings}


PRIVATE_CODES = (
    "private-creator-missing",
    "private-creator-empty",
    "private-creator-duplicate",
    "private-reserved",
)


def test_the_real_file_has_no_private_element_problems(ct: Dataset) -> None:
    assert not [f for f in validate(ct).findings if f.code in PRIVATE_CODES]


def test_a_private_element_without_its_creator(ct: Dataset) -> None:
    changed = copy.deepcopy(ct)
    del changed[0x00090010]  # the creator of (0009,1001) … (0009,10E9)
    found = [f for f in validate(changed).findings if f.code == "private-creator-missing"]
    assert [(f.tag_text, f.severity) for f in found] == [("(0009,1001)", Severity.ERROR)]
    assert "(0009,0010)" in found[0].message


def test_an_empty_private_creator(ct: Dataset) -> None:
    changed = copy.deepcopy(ct)
    changed[0x00090010].value = ""
    assert ("private-creator-empty", "(0009,0010)", Severity.ERROR) in _codes(validate(changed))


def test_one_creator_reserving_two_blocks(ct: Dataset) -> None:
    changed = copy.deepcopy(ct)
    changed.add_new(0x00090011, "LO", changed[0x00090010].value)
    found = _codes(validate(changed))
    assert ("private-creator-duplicate", "(0009,0011)", Severity.ERROR) in found


@pytest.mark.parametrize("tag", [0x00090005, 0x00090100, 0x00030010, 0x00051000])
def test_reserved_private_ranges(ct: Dataset, tag: int) -> None:
    changed = copy.deepcopy(ct)
    changed.add_new(tag, "LO", "X")
    text = f"({tag >> 16:04X},{tag & 0xFFFF:04X})"
    assert ("private-reserved", text, Severity.ERROR) in _codes(validate(changed))


def test_each_item_needs_its_own_private_creator(ct: Dataset) -> None:
    # "any Item that contains Private Data Elements shall also have Private Creator Data
    # Elements" (PS3.5 7.8.1): the top-level (0009,0010) does not reserve a block in an item.
    changed = copy.deepcopy(ct)
    item = changed.OtherPatientIDsSequence[0]
    item.add_new(0x00091001, "LO", "private value")
    found = [f for f in validate(changed).findings if f.code == "private-creator-missing"]
    assert [(f.tag_text, f.path) for f in found] == [
        ("(0009,1001)", "OtherPatientIDsSequence[0].(0009,1001)")
    ]
    item.add_new(0x00090010, "LO", "CREATOR")
    assert not [f for f in validate(changed).findings if f.code == "private-creator-missing"]


def test_an_even_tag_the_dictionary_does_not_know(ct: Dataset) -> None:
    tag = 0x00180002
    assert dictionary.get(tag) is None  # not in PS3.6 2015b, the dictionary of this build
    changed = copy.deepcopy(ct)
    changed.add_new(tag, "LO", "X")
    assert ("unknown-element", "(0018,0002)", Severity.WARNING) in _codes(validate(changed))
    changed = copy.deepcopy(ct)
    changed.add_new(tag, "SQ", Sequence([Dataset()]))
    assert ("unknown-element", "(0018,0002)", Severity.WARNING) in _codes(validate(changed))


def test_group_lengths(ct: Dataset) -> None:
    changed = copy.deepcopy(ct)
    changed.add_new(0x00080000, "UL", 0)
    changed.add_new(0x00090000, "UL", 0)
    found = _codes(validate(changed))
    assert ("group-length", "(0008,0000)", Severity.WARNING) in found
    assert ("group-length", "(0009,0000)", Severity.WARNING) in found
    # File Meta Information Group Length (0002,0000) is required (PS3.10 table 7.1-1).
    assert not [f for f in validate(ct).findings if f.code == "group-length"]


def test_a_private_creator_sent_as_un() -> None:
    # PS3.5 6.2.2: "The UN VR shall not be used for Private Creator Data Elements (i.e., the VR
    # is equal to LO)". pydicom's J2K_pixelrep_mismatch.dcm has three such creators.
    path = pydicom_file("J2K_pixelrep_mismatch.dcm")
    found = {(f.code, f.tag_text) for f in validate(dcmread(path)).errors}
    assert {("vr-mismatch", t) for t in ("(0009,0010)", "(0009,0011)", "(0019,0010)")} <= found


def test_private_sequences_items_are_not_reported_as_unknown(ct: Dataset) -> None:
    changed = copy.deepcopy(ct)
    inner = Dataset()
    inner.add_new(0x00110010, "LO", "CREATOR")
    inner.add_new(0x00111001, "LO", "private value")
    changed.add_new(0x00111020, "SQ", Sequence([inner]))
    result = validate(changed)
    assert not [f for f in result.findings if f.code in (*PRIVATE_CODES, "unknown-element")]


# The findings on any set of odd-group tags are those of the rules of PS3.5 7.8.1 applied tag by
# tag, in the order of the tags: a tag (gggg,xxyy) with xx from 10 to FF of a group that may be
# used needs its Private Creator (gggg,00xx), counted once per block after the other findings;
# (gggg,0000) is a Group Length; (gggg,0001-000F) and (gggg,0100-0FFF) and the groups 0001, 0003,
# 0005, 0007 and FFFF shall not be used; (gggg,0010-00FF) are Private Creators.
def _by_the_rules(elements: dict[int, object], tags: list[int]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    missing: dict[int, list[int]] = {}
    for tag in sorted(tags):
        group, element = tag >> 16, tag & 0xFFFF
        if element >= 0x1000 and group not in private.FORBIDDEN_GROUPS:
            creator = (tag & 0xFFFF0000) | (element >> 8)
            if creator not in elements:
                missing.setdefault(creator, []).append(tag)
        elif group in private.FORBIDDEN_GROUPS or 0 < element < 0x0010 or element >= 0x0100:
            found.append(("private-reserved", tag_text(tag)))
        elif element == 0:
            found.append(("group-length", tag_text(tag)))
        else:
            found.append(("creator", tag_text(tag)))
    found.extend(("private-creator-missing", tag_text(members[0])) for members in missing.values())
    return found


_GROUPS = st.sampled_from([0x0009, 0x0011, 0x0019, 0x0001, 0xFFFF])
_ELEMENTS = st.sampled_from(
    [
        0x0000,
        0x0005,
        0x0010,
        0x0011,
        0x00FF,
        0x0100,
        0x1000,
        0x1001,
        0x10FF,
        0x1100,
        0x11AB,
        0xFF00,
        0xFFFF,
    ]
)


@given(st.sets(st.tuples(_GROUPS, _ELEMENTS), max_size=25))
def test_private_findings_follow_the_rules_tag_by_tag(pairs: set[tuple[int, int]]) -> None:
    tags = [group << 16 | element for group, element in pairs]
    creator = DataElement(0x00090010, "LO", "A CREATOR")
    elements: dict[int, object] = {tag: creator for tag in tags}
    got = private.private_elements(elements, list(reversed(tags)), "", explicit=True)
    expected = _by_the_rules(elements, tags)
    shown = [
        (
            f.code
            if f.code in ("private-reserved", "group-length", "private-creator-missing")
            else "creator",
            f.tag_text,
        )
        for f in got
    ]
    # A Private Creator gives no finding unless its identifier repeats in its group.
    assert [s for s in shown if s[0] != "creator"] == [e for e in expected if e[0] != "creator"]
