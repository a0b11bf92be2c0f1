"""The PS3.5 and PS3.6 parsers on the real 2013 and 2015b XML.

Counts are checked against ``count(tbody/tr)`` computed here with plain lxml. Golden entries were
read by a person from the XML (the row of the table as published, found with grep): the comment
of each gives table, body row and the line of the file where that row starts.
"""

from __future__ import annotations

import pytest

from dicomstd.codegen.model import DataElementEntry, Part06, UidEntry
from tests.codegen.support import body_row_count, parsed_part05, real_part06
from tests.conftest import require_part

pytestmark = pytest.mark.standard

REGISTRY_TABLES = {
    "2013": ("table_6-1", "table_7-1", "table_8-1", "table_A-1", "table_A-2", "table_A-3"),
    "2015b": (
        "table_6-1",
        "table_7-1",
        "table_8-1",
        "table_A-1",
        "table_A-2",
        "table_A-3",
        "table_A-4",
    ),
}


def elements(edition: str) -> dict[str, DataElementEntry]:
    return {str(entry.tag): entry for entry in real_part06(edition).data_elements}


def uids(edition: str) -> dict[str, UidEntry]:
    return {uid.value: uid for uid in real_part06(edition).uids}


# -- counts ------------------------------------------------------------------------------------
@pytest.mark.parametrize("edition", ["2013", "2015b"])
def test_every_body_row_of_every_registry_table_is_an_entry(edition: str) -> None:
    path = require_part(edition, 6)
    result: Part06 = real_part06(edition)
    expected = {table: body_row_count(path, table) for table in REGISTRY_TABLES[edition]}
    assert all(expected.values())
    assert result.counts == expected
    element_tables = ("table_6-1", "table_7-1", "table_8-1")
    assert len(result.data_elements) == sum(expected[t] for t in element_tables)


def test_known_row_counts_of_2015b() -> None:
    # Counted in the published 2015b tables; the XPath count above must agree with these.
    path = require_part("2015b", 6)
    assert body_row_count(path, "table_6-1") == 3879
    assert body_row_count(path, "table_7-1") == 12
    assert body_row_count(path, "table_8-1") == 19
    assert body_row_count(path, "table_A-4") == 24


@pytest.mark.parametrize(("edition", "rows"), [("2013", 28), ("2015b", 30)])
def test_every_vr_row_is_a_vr(edition: str, rows: int) -> None:
    path = require_part(edition, 5)
    result = parsed_part05(path)
    assert body_row_count(path, "table_6.2-1") == rows
    assert result.counts == {"table_6.2-1": rows}
    assert len({vr.code for vr in result.vrs}) == rows


@pytest.mark.parametrize(("edition", "distinct"), [("2013", 1214), ("2015b", 1309)])
def test_uids_listed_twice_are_kept_once(edition: str, distinct: int) -> None:
    # 2015b: 358 + 20 + 927 + 24 rows in A-1..A-4; the 20 frames of reference of A-2 are rows
    # 40-59 of A-1 as well. 2013: 348 + 20 + 866 rows, the same 20 twice.
    result = real_part06(edition)
    assert len(result.uids) == distinct
    assert len({uid.value for uid in result.uids}) == distinct


def test_no_two_elements_share_a_tag_or_a_keyword() -> None:
    entries = real_part06("2015b").data_elements
    assert len({(e.tag.value, e.tag.mask) for e in entries}) == len(entries)
    keywords = [e.keyword for e in entries if e.keyword]
    assert len(set(keywords)) == len(keywords)


# -- golden data elements, 2015b ---------------------------------------------------------------
# (tag, name, keyword, VRs, VM, retired, note, table, body row)
GOLDEN_2015B: list[tuple[str, str, str, tuple[str, ...], str, bool, str, str, int]] = [
    # table_6-1 row 3862, line 82615: repeating group, two VRs
    ("(60xx,3000)", "Overlay Data", "OverlayData", ("OB", "OW"), "1", False, "", "table_6-1", 3862),
    # table_6-1 row 3812, line 81327: curve data, retired repeating group
    ("(50xx,3000)", "Curve Data", "CurveData", ("OB", "OW"), "1", True, "", "table_6-1", 3812),
    # table_6-1 row 3787, line 80527
    ("(50xx,0005)", "Curve Dimensions", "CurveDimensions", ("US",), "1", True, "", "table_6-1",
     3787),
    # table_6-1 row 1224, line 25768: mask on the element
    ("(0020,31xx)", "Source Image IDs", "SourceImageIDs", ("CS",), "1-n", True, "", "table_6-1",
     1224),
    # table_6-1 row 2951, line 62846: mask on three element digits
    ("(1000,xxx0)", "Escape Triplet", "EscapeTriplet", ("US",), "3", True, "", "table_6-1", 2951),
    # table_6-1 row 2956, line 63006
    ("(1000,xxx5)", "Shift Table Triplet", "ShiftTableTriplet", ("US",), "3", True, "",
     "table_6-1", 2956),
    # table_6-1 row 3870, line 82823
    ("(7Fxx,0010)", "Variable Pixel Data", "VariablePixelData", ("OB", "OW"), "1", True, "",
     "table_6-1", 3870),
    # table_6-1 row 3866, line 82707
    ("(7FE0,0010)", "Pixel Data", "PixelData", ("OB", "OW"), "1", False, "", "table_6-1", 3866),
    # table_6-1 row 3864, line 82667: keyword cell Float\u200b&#x200b;Pixel&#x200b;\u200bData
    ("(7FE0,0008)", "Float Pixel Data", "FloatPixelData", ("OF",), "1", False, "", "table_6-1",
     3864),
    # table_6-1 row 1649, line 35101: three VRs and a VM with two alternatives
    ("(0028,1200)", "Gray Lookup Table Data", "GrayLookupTableData", ("US", "SS", "OW"),
     "1-n or 1", True, "", "table_6-1", 1649),
    # table_6-1 row 1688, line 35941
    ("(0028,3006)", "LUT Data", "LUTData", ("US", "OW"), "1-n or 1", False, "", "table_6-1", 1688),
    # table_6-1 row 1586, line 33469
    ("(0028,0106)", "Smallest Image Pixel Value", "SmallestImagePixelValue", ("US", "SS"), "1",
     False, "", "table_6-1", 1586),
    # table_6-1 row 1685, line 35881
    ("(0028,3002)", "LUT Descriptor", "LUTDescriptor", ("US", "SS"), "3", False, "", "table_6-1",
     1685),
    # table_6-1 row 110, line 2632
    ("(0008,1162)", "Calculated Frame List", "CalculatedFrameList", ("UL",), "3-3n", False, "",
     "table_6-1", 110),
    # table_6-1 row 658, line 14000
    ("(0018,1620)", "Vertices of the Polygonal Shutter", "VerticesOfThePolygonalShutter",
     ("IS",), "2-2n", False, "", "table_6-1", 658),
    # table_6-1 row 2922, line 62254
    ("(0088,0912)", "Topic Keywords", "TopicKeywords", ("LO",), "1-32", True, "", "table_6-1",
     2922),
    # table_6-1 row 3019, line 64410
    ("(2040,0011)", "Referenced Overlay Plane Groups", "ReferencedOverlayPlaneGroups", ("US",),
     "1-99", True, "", "table_6-1", 3019),
    # table_6-1 row 3346, line 71347
    ("(300A,00BE)", "Leaf Position Boundaries", "LeafPositionBoundaries", ("DS",), "3-n", False,
     "", "table_6-1", 3346),
    # table_6-1 row 3724, line 79267: a DICOS row with VM 6-n
    ("(4010,101D)", "Bounding Polygon", "BoundingPolygon", ("FL",), "6-n", False, "DICOS",
     "table_6-1", 3724),
    # table_6-1 row 3735, line 79487: keyword written with a lower-case "and"
    ("(4010,1029)", "Threat Detection Algorithm and Version", "ThreatDetectionAlgorithmandVersion",
     ("LO",), "1-n", False, "DICOS", "table_6-1", 3735),
    # table_6-1 row 403, line 8756
    ("(0014,40A0)", "Image Quality Indicator Type", "ImageQualityIndicatorType", ("LO",), "1",
     False, "DICONDE", "table_6-1", 403),
    # table_6-1 row 1045, line 21932: retired, nothing but "RET - See Note 3" (third note item)
    ("(0018,9445)", "", "", (), "", True, "RET - See Note 3", "table_6-1", 1045),
    # table_6-1 row 1553, line 32529
    ("(0028,0020)", "", "", (), "", True, "RET - See Note 3", "table_6-1", 1553),
    # table_6-1 row 2112, line 45466: "See Note 1" is no retirement
    ("(0040,A170)", "Purpose of Reference Code Sequence", "PurposeOfReferenceCodeSequence",
     ("SQ",), "1", False, "See Note 1", "table_6-1", 2112),
    # table_6-1 rows 3877-3879, lines 83023-83063: VR "See Note 2", no VR exists
    ("(FFFE,E000)", "Item", "Item", (), "1", False, "", "table_6-1", 3877),
    ("(FFFE,E00D)", "Item Delimitation Item", "ItemDelimitationItem", (), "1", False, "",
     "table_6-1", 3878),
    ("(FFFE,E0DD)", "Sequence Delimitation Item", "SequenceDelimitationItem", (), "1", False, "",
     "table_6-1", 3879),
    # table_6-1 row 584, line 12508: micro sign in the name, "u" in the keyword
    ("(0018,1153)", "Exposure in µAs", "ExposureInuAs", ("IS",), "1", False, "", "table_6-1",
     584),
    # table_6-1 row 183, line 4308
    ("(0010,0010)", "Patient's Name", "PatientName", ("PN",), "1", False, "", "table_6-1", 183),
    # table_6-1 row 3039, line 64954: retired in 2015b
    ("(2100,0140)", "Destination AE", "DestinationAE", ("AE",), "1", True, "", "table_6-1", 3039),
    # table_6-1 row 166, line 3968
    ("(0008,9007)", "Frame Type", "FrameType", ("CS",), "4", False, "", "table_6-1", 166),
    # table_7-1 row 2, line 83157: file meta information
    ("(0002,0001)", "File Meta Information Version", "FileMetaInformationVersion", ("OB",), "1",
     False, "", "table_7-1", 2),
    # table_7-1 row 5, line 83217
    ("(0002,0010)", "Transfer Syntax UID", "TransferSyntaxUID", ("UI",), "1", False, "",
     "table_7-1", 5),
    # table_7-1 row 9, line 83297: added after 2013
    ("(0002,0017)", "Sending Application Entity Title", "SendingApplicationEntityTitle", ("AE",),
     "1", False, "", "table_7-1", 9),
    # table_8-1 row 2, line 83437: directory structuring elements
    ("(0004,1141)", "File-set Descriptor File ID", "FileSetDescriptorFileID", ("CS",), "1-8",
     False, "", "table_8-1", 2),
    # table_8-1 row 7, line 83537
    ("(0004,1220)", "Directory Record Sequence", "DirectoryRecordSequence", ("SQ",), "1", False,
     "", "table_8-1", 7),
]  # fmt: skip


@pytest.mark.parametrize("golden", GOLDEN_2015B, ids=[g[0] for g in GOLDEN_2015B])
def test_golden_element_2015b(
    golden: tuple[str, str, str, tuple[str, ...], str, bool, str, str, int],
) -> None:
    tag, name, keyword, vrs, vm, retired, note, table, row = golden
    entry = elements("2015b")[tag]
    assert (entry.name, entry.keyword, entry.vrs, entry.vm) == (name, keyword, vrs, vm)
    assert (entry.retired, entry.note, entry.source, entry.row) == (retired, note, table, row)


def test_golden_elements_2013() -> None:
    found = elements("2013")
    # table_6-1 row 1160, line 24488: the name itself has a zero-width space ("Source Image I​Ds")
    source = found["(0020,31xx)"]
    assert (source.name, source.keyword, source.retired, source.row) == (
        "Source Image IDs",
        "SourceImageIDs",
        True,
        1160,
    )
    # table_6-1 row 3707, line 79525
    assert found["(60xx,3000)"].vrs == ("OB", "OW")
    assert found["(60xx,3000)"].row == 3707
    # table_6-1 row 1002, line 21072
    assert (found["(0018,9445)"].name, found["(0018,9445)"].retired) == ("", True)
    # table_7-1 has 10 rows in 2013: (0002,0017) and (0002,0018) came later
    assert "(0002,0017)" not in found
    assert found["(0002,0102)"].row == 10
    # (7FE0,0008) Float Pixel Data is not in 2013
    assert "(7FE0,0008)" not in found


# -- golden UIDs -------------------------------------------------------------------------------
# (value, name, type, keyword, retired, derived, table, row)
GOLDEN_UIDS_2015B: list[tuple[str, str, str, str, bool, bool, str, int]] = [
    # table_A-1 row 1, line 83854: Part column is an olink to PS3.4
    ("1.2.840.10008.1.1", "Verification SOP Class", "SOP Class", "Verification", False, True,
     "table_A-1", 1),
    # table_A-1 row 2, line 83868
    ("1.2.840.10008.1.2", "Implicit VR Little Endian: Default Transfer Syntax for DICOM",
     "Transfer Syntax", "ImplicitVRLittleEndian", False, True, "table_A-1", 2),
    # table_A-1 row 5, line 83910
    ("1.2.840.10008.1.2.2", "Explicit VR Big Endian (Retired)", "Transfer Syntax",
     "ExplicitVRBigEndian", True, True, "table_A-1", 5),
    # table_A-1 row 125, line 85902
    ("1.2.840.10008.5.1.4.1.1.2", "CT Image Storage", "SOP Class", "CTImageStorage", False, True,
     "table_A-1", 125),
    # table_A-1 rows 136 and 137, lines 86072 and 86094: same name, one retired
    ("1.2.840.10008.5.1.4.1.1.6", "Ultrasound Image Storage (Retired)", "SOP Class",
     "UltrasoundImageStorageRetired", True, True, "table_A-1", 136),
    ("1.2.840.10008.5.1.4.1.1.6.1", "Ultrasound Image Storage", "SOP Class",
     "UltrasoundImageStorage", False, True, "table_A-1", 137),
    # table_A-1 row 147, line 86258: a name starting with a number
    ("1.2.840.10008.5.1.4.1.1.9.1.1", "12-lead ECG Waveform Storage", "SOP Class",
     "TwelveLeadECGWaveformStorage", False, True, "table_A-1", 147),
    # table_A-1 row 40, line 84520 (also table_A-2 row 1, line 89447)
    ("1.2.840.10008.1.4.1.1", "Talairach Brain Atlas Frame of Reference",
     "Well-known frame of reference", "TalairachBrainAtlasFrameOfReference", False, True,
     "table_A-1", 40),
    # table_A-3 row 1, line 89693: identifier and name only link into PS3.16
    ("1.2.840.10008.6.1.1", "CID 2", "Context Group Name", "", False, False, "table_A-3", 1),
    # table_A-3 row 740, line 97828: empty cells
    ("1.2.840.10008.6.1.837", "", "Context Group Name", "", False, False, "table_A-3", 740),
]  # fmt: skip


@pytest.mark.parametrize("golden", GOLDEN_UIDS_2015B, ids=[g[0] for g in GOLDEN_UIDS_2015B])
def test_golden_uid_2015b(golden: tuple[str, str, str, str, bool, bool, str, int]) -> None:
    value, name, kind, keyword, retired, derived, table, row = golden
    uid = uids("2015b")[value]
    assert (uid.name, uid.type, uid.keyword) == (name, kind, keyword)
    assert (uid.retired, uid.keyword_derived, uid.source, uid.row) == (retired, derived, table, row)


def test_uid_part_column_2015b() -> None:
    found = uids("2015b")
    assert found["1.2.840.10008.1.1"].part == "PS3.4"
    assert found["1.2.840.10008.1.2"].part == "PS3.5"


def test_templates_of_a4_2015b() -> None:
    # table_A-4 row 1, line 99988: the name is an olink to PS3.20 section 7.1, no text
    template = uids("2015b")["1.2.840.10008.9.1"]
    assert (template.type, template.source, template.row) == ("Document TemplateID", "table_A-4", 1)
    assert template.keyword == ""
    templates = [uid for uid in real_part06("2015b").uids if uid.source == "table_A-4"]
    assert len(templates) == 24
    assert not any(uid.keyword for uid in templates)


def test_context_groups_2013_have_text_names() -> None:
    # 2013 table_A-3 row 1, line 86382: identifier "2", name "Anatomic Modifier"
    group = uids("2013")["1.2.840.10008.6.1.1"]
    assert (group.name, group.type, group.source) == (
        "CID 2 Anatomic Modifier",
        "Context Group Name",
        "table_A-3",
    )
    # 2013 table_A-3 row 790, line 95079: both cells empty
    assert uids("2013")["1.2.840.10008.6.1.888"].name == ""


# -- PS3.5 2015b and 2013 ----------------------------------------------------------------------
def vr_limits(edition: str) -> dict[str, tuple[int | None, bool, str | None, int | None]]:
    result = parsed_part05(require_part(edition, 5))
    return {
        vr.code: (vr.max_length, vr.fixed_length, vr.length_unit, vr.query_max_length)
        for vr in result.vrs
    }


def test_vr_limits_2015b() -> None:
    limits = vr_limits("2015b")
    # table_6.2-1 rows as printed in 2015b part05.xml (lines 1301-1848)
    assert limits["AE"] == (16, False, "bytes", None)  # row 1: 16 bytes maximum
    assert limits["DA"] == (8, True, "bytes", 18)  # row 5: 8 bytes fixed; query 18
    assert limits["DT"] == (26, False, "bytes", 54)  # row 7
    assert limits["TM"] == (14, False, "bytes", 28)  # row 23: 14 bytes in 2015b
    assert limits["PN"] == (64, False, "chars", None)  # row 17: per component group
    assert limits["LT"] == (10240, False, "chars", None)  # row 12
    assert limits["OD"] == (2**32 - 8, False, "bytes", None)  # row 14: 2^32-8
    assert limits["UC"] == (2**32 - 2, False, "bytes", None)  # row 24
    assert limits["UR"] == (2**32 - 2, False, "bytes", None)  # row 28
    assert limits["SQ"] == (None, False, None, None)  # row 20: not applicable
    assert limits["OB"] == (None, False, None, None)  # row 13: see Transfer Syntax


def test_vr_limits_2013() -> None:
    limits = vr_limits("2013")
    # 2013 table_6.2-1 row 23 (line 1606): TM was 16 bytes maximum; UC and UR did not exist
    assert limits["TM"] == (16, False, "bytes", 28)
    assert "UC" not in limits
    assert "UR" not in limits
