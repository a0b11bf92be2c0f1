"""The PS3.6 parser (dicomstd.codegen.part06) on synthetic snippets, one quirk per fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from dicomstd.codegen import docbook, part06
from dicomstd.codegen.diagnostics import Diagnostic, InputError, Severity
from dicomstd.codegen.model import DataElementEntry, Part06, TagSpec, UidEntry
from tests.codegen.support import fixture


def parse(quirk: str) -> tuple[Part06, list[Diagnostic]]:
    document = docbook.load(fixture(quirk))
    return part06.parse(document), list(document.diagnostics)


def by_tag(result: Part06) -> dict[str, DataElementEntry]:
    return {str(entry.tag): entry for entry in result.data_elements}


def uids_by_value(result: Part06) -> dict[str, UidEntry]:
    return {uid.value: uid for uid in result.uids}


def where(diagnostics: list[Diagnostic], code: str) -> list[tuple[str | None, int | None]]:
    return [(d.table, d.row) for d in diagnostics if d.code == code]


def summary(entry: DataElementEntry) -> tuple[str, str, tuple[str, ...], str, bool]:
    return (entry.name, entry.keyword, entry.vrs, entry.vm, entry.retired)


# -- tags and masks ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value", "mask"),
    [
        ("(0010,0010)", 0x00100010, 0xFFFFFFFF),
        ("(60xx,3000)", 0x60003000, 0xFF00FFFF),
        ("(50xx,xxxx)", 0x50000000, 0xFF000000),
        ("(0020,31xx)", 0x00203100, 0xFFFFFF00),
        ("(1000,xxx0)", 0x10000000, 0xFFFF000F),
        ("(7Fxx,0010)", 0x7F000010, 0xFF00FFFF),
        ("(7fe0,0010)", 0x7FE00010, 0xFFFFFFFF),
        (" ( 0008 , 0001 ) ", 0x00080001, 0xFFFFFFFF),
    ],
)
def test_tagspec_parse(text: str, value: int, mask: int) -> None:
    spec = TagSpec.parse(text)
    assert spec == TagSpec(value, mask)
    assert spec.repeating == (mask != 0xFFFFFFFF)
    assert str(spec) == text.strip().replace(" ", "").upper().replace("X", "x")


@pytest.mark.parametrize("text", ["(60yy,3000)", "(0010,001)", "0010", "", "(0010,0010,0010)"])
def test_tagspec_rejects(text: str) -> None:
    assert TagSpec.parse(text) is None


def test_repeating_group_masks() -> None:
    result, diagnostics = parse("masks")
    entries = by_tag(result)
    assert sorted(entries) == sorted(
        [
            "(0020,31xx)",
            "(1000,xxx0)",
            "(1000,xxx1)",
            "(50xx,xxxx)",
            "(60xx,0010)",
            "(60xx,3000)",
            "(7FE0,0010)",
            "(7Fxx,0010)",
        ]
    )
    overlay = entries["(60xx,3000)"]
    assert (overlay.tag.value, overlay.tag.mask) == (0x60003000, 0xFF00FFFF)
    assert summary(overlay) == ("Overlay Data", "OverlayData", ("OB", "OW"), "1", False)
    assert entries["(1000,xxx1)"].tag == TagSpec(0x10000001, 0xFFFF000F)
    assert entries["(50xx,xxxx)"].tag == TagSpec(0x50000000, 0xFF000000)
    assert entries["(0020,31xx)"].tag.mask == 0xFFFFFF00
    assert summary(entries["(7Fxx,0010)"]) == (
        "Variable Pixel Data",
        "VariablePixelData",
        ("OB", "OW"),
        "1",
        True,
    )
    assert not entries["(7FE0,0010)"].tag.repeating
    # the row whose tag is not a tag is an error naming table and row, not a dropped row
    bad = [d for d in diagnostics if d.code == "bad-tag"]
    assert [(d.severity, d.file, d.table, d.row) for d in bad] == [
        (Severity.ERROR, "part06.xml", "table_6-1", 7)
    ]
    assert "(60yy,3001)" in bad[0].message
    assert result.counts == {"table_6-1": 8}


def test_several_vrs_in_one_cell() -> None:
    result, diagnostics = parse("multi_vr")
    entries = by_tag(result)
    assert entries["(0028,0106)"].vrs == ("US", "SS")
    assert entries["(7FE0,0010)"].vrs == ("OB", "OW")
    assert entries["(0028,1200)"].vrs == ("US", "SS", "OW")
    assert entries["(0028,1200)"].vr_text == "US or SS or OW"
    assert entries["(0028,3006)"].vrs == ("US", "OW")
    # "US or Signed Short" is kept as text, with no VR, and reported
    perimeter = entries["(0028,0071)"]
    assert (perimeter.vrs, perimeter.vr_text) == ((), "US or Signed Short")
    assert where(diagnostics, "vr-not-given") == [("table_6-1", 5)]
    assert [d.severity for d in diagnostics if d.code == "vr-not-given"] == [Severity.WARNING]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("US or SS", ("US", "SS")),
        ("US or SS or OW", ("US", "SS", "OW")),
        ("OB or OW", ("OB", "OW")),
        ("OB/OW", ("OB", "OW")),
        ("  UL ", ("UL",)),
        ("See Note", None),
        ("US or ss", None),
        ("", None),
    ],
)
def test_split_vr(text: str, expected: tuple[str, ...] | None) -> None:
    assert part06.split_vr(text) == expected


def test_vm_forms() -> None:
    result, diagnostics = parse("vm_forms")
    vms = {str(entry.tag): entry.vm for entry in result.data_elements}
    assert vms == {
        "(0008,0005)": "1-n",
        "(0008,0008)": "2-n",
        "(0008,1162)": "3-3n",
        "(0010,0010)": "1",
        "(0018,1620)": "2-2n",
        "(0020,9309)": "16",
        "(0028,3006)": "1-n or 1",
        "(0088,0912)": "1-32",
        "(0099,0001)": "",
        "(0099,0002)": "",
    }
    assert where(diagnostics, "bad-vm") == [("table_6-1", 9), ("table_6-1", 10)]
    assert "'1-n-2'" in next(d.message for d in diagnostics if d.row == 9)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", "1"),
        ("1-n", "1-n"),
        ("2-2n", "2-2n"),
        ("3-3n", "3-3n"),
        ("1-32", "1-32"),
        ("1-n or 1", "1-n or 1"),
        ("1-n  or\n1", "1-n or 1"),
        ("n", None),
        ("1-", None),
        ("one", None),
        ("1-n or", None),
    ],
)
def test_parse_vm(text: str, expected: str | None) -> None:
    assert part06.parse_vm(text) == expected


def test_retirement_marks_and_other_notes() -> None:
    result, diagnostics = parse("retired")
    entries = by_tag(result)
    retired = {tag: (entry.retired, entry.note) for tag, entry in entries.items()}
    assert retired == {
        "(0008,0001)": (True, ""),  # RET (in italics)
        "(0008,0010)": (True, "RET (2004)"),
        "(0018,9445)": (True, "RET - See Note 3"),
        "(0014,3050)": (False, "DICONDE"),
        "(4010,1029)": (False, "DICOS"),
        "(0040,A170)": (False, "See Note 1"),
        "(0010,0010)": (False, ""),
    }
    # a retired row without name, keyword, VR or VM is kept, and reported
    blank = entries["(0018,9445)"]
    assert summary(blank) == ("", "", (), "", True)
    assert where(diagnostics, "unnamed-element") == [("table_6-1", 3)]
    notes = {d.row or 0: d for d in diagnostics if d.code == "registry-note"}
    assert sorted(notes) == [2, 3, 4, 5, 6]
    assert "not a retirement mark" in notes[4].message
    assert "not a retirement mark" not in notes[2].message
    assert all(d.severity == Severity.INFO for d in notes.values())


def test_empty_cells_are_kept_empty_and_reported() -> None:
    result, diagnostics = parse("empty_cells")
    entries = by_tag(result)
    assert summary(entries["(0028,0020)"]) == ("", "", (), "", True)
    assert summary(entries["(0018,0010)"]) == ("Contrast/Bolus Agent", "", ("LO",), "1", False)
    assert summary(entries["(0018,0015)"]) == (
        "Body Part Examined",
        "BodyPartExamined",
        (),
        "1",
        False,
    )
    assert entries["(0018,0020)"].vm == ""
    item = entries["(FFFE,E000)"]
    assert (item.vrs, item.vr_text, item.vm) == ((), "See Note", "1")
    assert where(diagnostics, "vr-not-given") == [
        ("table_6-1", 1),
        ("table_6-1", 3),
        ("table_6-1", 5),
    ]
    assert where(diagnostics, "vm-not-given") == [("table_6-1", 1), ("table_6-1", 4)]
    # "See Note" is how the standard writes the delimitation items: a note, not a warning
    assert {d.severity for d in diagnostics if d.code == "vr-not-given"} == {Severity.INFO}


def test_keywords_lose_zero_width_characters_and_white_space() -> None:
    result, diagnostics = parse("keyword_whitespace")
    keywords = {str(entry.tag): (entry.name, entry.keyword) for entry in result.data_elements}
    assert keywords == {
        "(0010,0010)": ("Patient's Name", "PatientName"),
        "(7FE0,0008)": ("Float Pixel Data", "FloatPixelData"),
        "(0010,0020)": ("Patient ID", "PatientID"),
        "(0008,0020)": ("Study Date", "StudyDate"),
        "(0008,0030)": ("Study Time", "StudyTime"),
        "(0008,0050)": ("Accession Number", ""),
    }
    invalid = [d for d in diagnostics if d.code == "keyword-invalid"]
    assert [(d.table, d.row) for d in invalid] == [("table_6-1", 6)]
    assert "Accession-Number" in invalid[0].message


def test_row_spans_in_a_registry_table() -> None:
    result, diagnostics = parse("spans")
    entries = by_tag(result)
    assert entries["(0008,0010)"].retired  # RET spans down from the row above
    assert entries["(0028,0107)"].vrs == ("US", "SS")  # VR spans down from the row above
    assert "(0010,0020)" not in entries  # name+keyword spanned into one cell: not readable
    assert where(diagnostics, "row-shape") == [("table_6-1", 5)]
    assert entries["(0010,0030)"].keyword == "PatientBirthDate"
    assert result.counts == {"table_6-1": 5}
    assert [entry.row for entry in result.data_elements] == [1, 2, 3, 4, 6]


def test_th_body_cells_are_read_like_td() -> None:
    result, _ = parse("th_cells")
    assert [(str(e.tag), e.keyword, e.vrs) for e in result.data_elements] == [
        ("(0010,0010)", "PatientName", ("PN",)),
        ("(0010,0020)", "PatientID", ("LO",)),
        ("(0010,0030)", "PatientBirthDate", ("DA",)),
    ]


# -- UIDs --------------------------------------------------------------------------------------
def test_uid_table_with_a_keyword_column_takes_keywords_as_written() -> None:
    result, diagnostics = parse("uids_with_keyword")
    uids = uids_by_value(result)
    implicit = uids["1.2.840.10008.1.2"]
    assert (implicit.keyword, implicit.keyword_derived, implicit.type, implicit.part) == (
        "ImplicitVRLittleEndian",
        False,
        "Transfer Syntax",
        "PS3.5",
    )
    big = uids["1.2.840.10008.1.2.2"]
    assert (big.name, big.keyword, big.retired) == (
        "Explicit VR Big Endian (Retired)",
        "ExplicitVRBigEndian",
        True,
    )
    # the written keyword wins over what the naming rule would derive from the name
    assert uids["1.2.840.10008.1.2.4.100"].keyword == "MPEG2MPML"
    assert uids["1.2.840.10008.15.0.3.1"].keyword == "dicomDeviceName"
    # an empty keyword cell stays empty: nothing is derived in a table that has the column
    assert uids["1.2.840.10008.5.1.4.1.1.6"].keyword == ""
    assert uids["1.2.840.10008.5.1.4.1.1.99"].keyword == ""
    assert where(diagnostics, "keyword-invalid") == [("table_A-1", 6)]
    # table A-2 has no keyword column: its keyword is derived, its type implied by the caption
    frame = uids["1.2.840.10008.1.4.1.1"]
    assert (frame.type, frame.keyword, frame.keyword_derived, frame.source) == (
        "Well-known frame of reference",
        "TalairachBrainAtlasFrameOfReference",
        True,
        "table_A-2",
    )
    assert result.counts == {"table_6-1": 1, "table_A-1": 6, "table_A-2": 1}


def test_uid_table_without_a_keyword_column_derives_keywords() -> None:
    result, diagnostics = parse("uids_without_keyword")
    uids = uids_by_value(result)
    derived = {value: uid.keyword for value, uid in uids.items() if uid.source == "table_A-1"}
    assert derived == {
        "1.2.840.10008.1.1": "Verification",
        "1.2.840.10008.1.2": "ImplicitVRLittleEndian",
        "1.2.840.10008.1.2.4.52": "JPEGExtendedProcess35",
        "1.2.840.10008.5.1.4.1.1.6": "UltrasoundImageStorageRetired",
        "1.2.840.10008.5.1.4.1.1.6.1": "UltrasoundImageStorage",
        "1.2.840.10008.5.1.4.1.1.9.1.1": "TwelveLeadECGWaveformStorage",
        "1.2.840.10008.5.1.4.1.1.88.99": "PhysiciansSyntheticReportStorage",
        "1.2.840.10008.5.1.4.1.1.88.98": "PhysiciansSyntheticReportStorage_98",
    }
    assert all(uid.keyword_derived for uid in uids.values() if uid.source == "table_A-1")
    # the value cell had zero-width spaces, the name an escaped ampersand
    jpeg = uids["1.2.840.10008.1.2.4.52"]
    assert (jpeg.name, jpeg.retired) == ("JPEG Extended (Process 3 & 5) (Retired)", True)
    # renamings and the unusable UID value are reported with table and row
    assert where(diagnostics, "duplicate-uid-keyword") == [("table_A-1", 4), ("table_A-1", 8)]
    assert where(diagnostics, "bad-uid") == [("table_A-1", 9)]
    assert "1.2.840.10008.1.2.x" not in uids


def test_context_groups_with_text_or_linked_names() -> None:
    result, diagnostics = parse("uids_without_keyword")
    uids = uids_by_value(result)
    # 2013 shape: identifier and name are text
    text = uids["1.2.840.10008.6.1.1"]
    assert (text.name, text.type, text.keyword) == (
        "CID 2 Anatomic Modifier",
        "Context Group Name",
        "",
    )
    # 2015b shape: both only link into PS3.16; the identifier is all that can be said
    linked = uids["1.2.840.10008.6.1.2"]
    assert (linked.name, linked.type, linked.keyword) == ("CID 4", "Context Group Name", "")
    assert uids["1.2.840.10008.6.1.837"].name == ""
    assert where(diagnostics, "uid-without-name") == [("table_A-3", 3)]


def test_a_name_that_is_only_a_link_gives_no_keyword() -> None:
    result, diagnostics = parse("uids_without_keyword")
    template = uids_by_value(result)["1.2.840.10008.9.1"]
    assert (template.type, template.part, template.source) == (
        "Document TemplateID",
        "PS3.20",
        "table_A-4",
    )
    assert "7.1" in template.name
    assert template.keyword == ""
    assert not template.keyword_derived
    assert where(diagnostics, "uid-name-is-link") == [("table_A-4", 1)]


def test_a_uid_in_two_tables_is_kept_once() -> None:
    document = docbook.load(fixture("uids_without_keyword"))
    text = fixture("uids_without_keyword").read_text(encoding="utf-8")
    path = Path(document.path)
    assert text.count("1.2.840.10008.1.4.1.1<") == 1  # only in A-2 in the fixture
    result = part06.parse(document)
    assert [u.source for u in result.uids if u.value == "1.2.840.10008.1.4.1.1"] == ["table_A-2"]
    assert path.name == "part06.xml"


# -- unusable input ----------------------------------------------------------------------------
def test_a_part_that_is_not_ps36_is_refused_by_the_parser() -> None:
    document = docbook.load(fixture("not_ps36"))
    with pytest.raises(InputError, match=r"expected PS3\.6 but the document is PS3\.5") as caught:
        part06.parse(document)
    assert caught.value.file == str(fixture("not_ps36"))


def _document(tmp_path: Path, body: str) -> docbook.Document:
    path = tmp_path / "part06.xml"
    path.write_text(
        '<book xmlns="http://docbook.org/ns/docbook">'
        "<subtitle>DICOM PS3.6 2099a - Data Dictionary</subtitle>" + body + "</book>",
        encoding="utf-8",
    )
    return docbook.load(path)


REGISTRY_HEAD = (
    '<table xml:id="table_6-1" label="6-1"><caption>Registry</caption><thead><tr><th>Tag</th>'
    "<th>Name</th><th>Keyword</th><th>VR</th><th>VM</th><th/></tr></thead><tbody>"
)


def test_a_document_without_a_registry_table_is_refused(tmp_path: Path) -> None:
    document = _document(tmp_path, "<chapter><title>Nothing here</title></chapter>")
    with pytest.raises(InputError, match="no data element registry table"):
        part06.parse(document)


def test_a_registry_table_of_which_no_row_can_be_read_is_refused(tmp_path: Path) -> None:
    rows = "".join(
        f"<tr><td>Tag {n}</td><td>Name</td><td>Keyword</td><td>UL</td><td>1</td><td/></tr>"
        for n in range(3)
    )
    document = _document(tmp_path, REGISTRY_HEAD + rows + "</tbody></table>")
    with pytest.raises(InputError) as caught:
        part06.parse(document)
    error = caught.value
    assert (error.file, error.table, error.row) == (str(document.path), "table_6-1", 1)
    assert str(error).startswith(f"{document.path}, table_6-1, row 1: ")
    assert "'Tag 0'" in str(error)


def test_one_stray_cell_does_not_make_the_other_rows_short(tmp_path: Path) -> None:
    rows = (
        "<tr><td>(0008,0001)</td><td>Length to End</td><td>LengthToEnd</td><td>UL</td>"
        "<td>1</td><td>RET</td></tr>"
        "<tr><td>(0008,0005)</td><td>Specific Character Set</td><td>SpecificCharacterSet</td>"
        "<td>CS</td><td>1-n</td><td/><td>stray</td></tr>"
        "<tr><td>(0008,0006)</td><td>Language Code Sequence</td><td>LanguageCodeSequence</td>"
        "<td>SQ</td><td>1</td><td/></tr>"
    )
    document = _document(tmp_path, REGISTRY_HEAD + rows + "</tbody></table>")
    result = part06.parse(document)
    assert [str(e.tag) for e in result.data_elements] == [
        "(0008,0001)",
        "(0008,0005)",
        "(0008,0006)",
    ]
    assert [d for d in document.diagnostics if d.code == "row-shape"] == []
