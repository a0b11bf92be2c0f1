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
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from dicomstd import dictionary
from dicomstd.validation import Severity, ValidationResult, validate
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
