"""dicomstd.dictionary: lookups by tag, keyword and tag text, repeating groups, the entry fields.

Expected values are those of PS3.6 2015b (the edition the committed package is generated from),
read in the XML: table 6-1 unless said otherwise.
"""

from __future__ import annotations

import pytest

from dicomstd import Tag, dictionary, tags
from dicomstd.dictionary import DataElement
from dicomstd.errors import UnknownElementError
from dicomstd.vm import VM
from dicomstd.vr import VR


@pytest.mark.parametrize(
    "key",
    [
        Tag(0x0010, 0x0010),
        0x00100010,
        "PatientName",
        " PatientName ",
        "(0010,0010)",
        "0010,0010",
        "00100010",
        "0x00100010",
        tags.PatientName,
    ],
)
def test_every_key_form_finds_patient_name(key: Tag | int | str) -> None:
    element = dictionary.lookup(key)
    assert (element.tag, element.keyword, element.name) == (
        0x00100010,
        "PatientName",
        "Patient's Name",
    )
    assert dictionary.get(key) is element


def test_data_element_fields() -> None:
    element = dictionary.lookup("PatientName")
    assert isinstance(element, DataElement)
    assert isinstance(element.tag, Tag)
    assert element.vrs == frozenset({VR.PN})
    assert element.vr is VR.PN
    assert isinstance(element.vm, VM) and element.vm == VM.parse("1")
    assert element.retired is False
    assert element.source == "table_6-1"
    assert element.tag_text == "(0010,0010)"
    assert not element.repeating
    assert element.note == ""


@pytest.mark.parametrize(
    ("key", "keyword", "tag_text", "retired"),
    [
        (0x60023000, "OverlayData", "(60xx,3000)", False),  # row 3862
        (0x601E3000, "OverlayData", "(60xx,3000)", False),
        (0x60000010, "OverlayRows", "(60xx,0010)", False),
        (0x50103000, "CurveData", "(50xx,3000)", True),  # row 3812
        (0x50000005, "CurveDimensions", "(50xx,0005)", True),  # row 3787
        (0x00203105, "SourceImageIDs", "(0020,31xx)", True),  # row 1224
        (0x10001230, "EscapeTriplet", "(1000,xxx0)", True),  # row 2951
        (0x10001234, "ShiftTableSize", "(1000,xxx4)", True),  # row 2955
        (0x7F110010, "VariablePixelData", "(7Fxx,0010)", True),  # row 3870
    ],
)
def test_repeating_groups_resolve_through_their_mask(
    key: int, keyword: str, tag_text: str, retired: bool
) -> None:
    element = dictionary.lookup(key)
    assert (element.keyword, element.tag_text, element.retired) == (keyword, tag_text, retired)
    assert element.repeating
    assert element.matches(key)
    assert element.pattern.matches(key)
    assert dictionary.lookup(Tag(key)) is element
    assert dictionary.lookup(f"({key >> 16:04X},{key & 0xFFFF:04X})") is element


def test_overlay_data_entry() -> None:
    element = dictionary.lookup("(60xx,3000)")
    assert element.tag == 0x60003000  # the first group, x as 0
    assert element.mask == 0xFF00FFFF  # 0 nibbles where the standard writes x
    assert element.vrs == frozenset({VR.OB, VR.OW})
    assert element.vr is None  # two VRs: no single one
    assert sorted(element.vrs) == [VR.OB, VR.OW]


@pytest.mark.parametrize("text", ["(60xx,3000)", "(60XX,3000)", "60xx,3000", " (60xx,3000) "])
def test_repeating_group_written_with_x(text: str) -> None:
    assert dictionary.lookup(text).keyword == "OverlayData"


def test_exact_entries_beat_masks() -> None:
    # (7FE0,0010) Pixel Data, row 3866, also matches (7Fxx,0010) Variable Pixel Data, row 3870
    assert dictionary.lookup(0x7FE00010).keyword == "PixelData"
    assert dictionary.lookup(0x7FE00010).retired is False
    assert dictionary.lookup("(7Fxx,0010)").keyword == "VariablePixelData"


def test_tricky_rows() -> None:
    # rows 3877-3879: the items and delimiters have no VR
    item = dictionary.lookup(0xFFFEE000)
    assert (item.keyword, item.vrs, item.vr, item.vm.text) == ("Item", frozenset(), None, "1")
    # row 1649: three VRs, VM "1-n or 1"
    lut = dictionary.lookup("GrayLookupTableData")
    assert lut.vrs == frozenset({VR.US, VR.SS, VR.OW})
    assert lut.vm == VM.parse("1-n or 1") and lut.retired
    # row 1045: retired, no name or keyword: found by tag only
    blank = dictionary.lookup(0x00189445)
    assert (blank.name, blank.keyword, blank.vrs, blank.vm.specified, blank.retired) == (
        "",
        "",
        frozenset(),
        False,
        True,
    )
    assert blank.note == "RET - See Note 3"
    # row 3864: keyword cell with doubled zero-width spaces
    assert dictionary.lookup("FloatPixelData").tag == 0x7FE00008
    # row 403: a DICONDE note is no retirement
    iqi = dictionary.lookup(0x001440A0)
    assert (iqi.keyword, iqi.retired, iqi.note) == ("ImageQualityIndicatorType", False, "DICONDE")
    # row 3735: the keyword as written, lower-case "and"
    assert dictionary.lookup("ThreatDetectionAlgorithmandVersion").note == "DICOS"
    # rows 110, 658, 2922: odd VMs
    assert dictionary.lookup(0x00081162).vm.text == "3-3n"
    assert dictionary.lookup(0x00181620).vm.text == "2-2n"
    assert dictionary.lookup(0x00880912).vm == VM.parse("1-32")


def test_file_meta_and_directory_tables() -> None:
    # table 7-1 row 2, table 8-1 row 7
    meta = dictionary.lookup("FileMetaInformationVersion")
    assert (meta.tag, meta.vrs, meta.source) == (0x00020001, frozenset({VR.OB}), "table_7-1")
    directory = dictionary.lookup(0x00041220)
    assert (directory.keyword, directory.vr, directory.source) == (
        "DirectoryRecordSequence",
        VR.SQ,
        "table_8-1",
    )


def test_entries_hold_every_registry_row() -> None:
    # 3879 rows in table 6-1, 12 in 7-1, 19 in 8-1 (2015b)
    entries = dictionary.entries()
    assert len(entries) == 3879 + 12 + 19
    assert {e.source for e in entries} == {"table_6-1", "table_7-1", "table_8-1"}
    assert all(isinstance(e.retired, bool) for e in entries)
    assert all(isinstance(vr, VR) for e in entries for vr in e.vrs)


@pytest.mark.parametrize(
    ("key", "named"),
    [
        ("PatientNmae", "'PatientNmae'"),
        ("", "''"),
        ("(0011,0010)", "'(0011,0010)'"),
        (0x00110010, "(0011,0010)"),
        (Tag(0x0009, 0x1001), "(0009,1001)"),
        (0x1_0000_0000, "4294967296"),
        ("1.2.840.10008.1.2", "'1.2.840.10008.1.2'"),
        ("(60yy,3000)", "'(60yy,3000)'"),
    ],
)
def test_unknown_keys_raise_a_key_error_naming_them(key: Tag | int | str, named: str) -> None:
    with pytest.raises(UnknownElementError) as caught:
        dictionary.lookup(key)
    assert isinstance(caught.value, KeyError)
    assert named in str(caught.value)
    assert caught.value.key == key
    assert dictionary.get(key) is None


def test_unknown_element_error_can_be_caught_as_key_error() -> None:
    with pytest.raises(KeyError):
        dictionary.lookup("NoSuchKeyword")


def test_a_bool_is_not_a_tag() -> None:
    with pytest.raises(UnknownElementError, match="bool"):
        dictionary.lookup(True)
