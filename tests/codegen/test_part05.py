"""The PS3.5 parser (dicomstd.codegen.part05): the VR table and its Length of Value column as
numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from dicomstd.codegen import docbook, part05
from dicomstd.codegen.diagnostics import InputError, Severity
from dicomstd.codegen.model import ValueRepresentation
from tests.codegen.support import fixture
from tests.conftest import require_part


def parse_fixture() -> tuple[dict[str, ValueRepresentation], docbook.Document]:
    document = docbook.load(fixture("vr_table", 5))
    result = part05.parse(document)
    return {vr.code: vr for vr in result.vrs}, document


@pytest.mark.parametrize(
    ("expression", "value"),
    [("16", 16), ("2^32-2", 4294967294), ("2^32-8", 2**32 - 8), ("2 ^ 16 + 1", 65537)],
)
def test_evaluate_length(expression: str, value: int) -> None:
    assert part05.evaluate_length(expression) == value


@pytest.mark.parametrize("expression", ["", "two", "2^", "16 bytes"])
def test_evaluate_length_rejects(expression: str) -> None:
    with pytest.raises(ValueError):
        part05.evaluate_length(expression)


def test_is_vr_table() -> None:
    assert part05.is_vr_table(("VR Name", "Definition", "Character Repertoire", "Length of Value"))
    assert not part05.is_vr_table(("Tag", "Name", "Keyword", "VR", "VM"))


def limits(vr: ValueRepresentation) -> tuple[int | None, bool, str | None, bool, int | None]:
    return (
        vr.max_length,
        vr.fixed_length,
        vr.length_unit,
        vr.per_component_group,
        vr.query_max_length,
    )


def test_length_forms() -> None:
    vrs, _ = parse_fixture()
    assert limits(vrs["AE"]) == (16, False, "bytes", False, None)
    assert limits(vrs["DA"]) == (8, True, "bytes", False, 18)
    assert limits(vrs["PN"]) == (64, False, "chars", True, None)
    assert limits(vrs["OD"]) == (2**32 - 8, False, "bytes", False, None)
    assert limits(vrs["UT"]) == (2**32 - 2, False, "bytes", False, None)
    assert limits(vrs["US"]) == (2, True, "bytes", False, None)
    for code in ("OB", "SQ", "UN"):
        assert limits(vrs[code]) == (None, False, None, False, None), code


def test_name_definition_and_source() -> None:
    vrs, _ = parse_fixture()
    pn = vrs["PN"]
    assert (pn.name, pn.source, pn.row) == ("Person Name", "table_6.2-1", 3)
    assert pn.definition == "A character string encoded using a 5 component convention."
    assert vrs["OD"].length_text == "2^32-8 bytes maximum"


def test_odd_rows_are_reported_not_guessed() -> None:
    vrs, document = parse_fixture()
    assert limits(vrs["XQ"]) == (None, False, None, False, None)
    found = {(d.code, d.row, d.severity) for d in document.diagnostics}
    assert ("vr-length-unread", 10, Severity.WARNING) in found
    assert ("duplicate-vr", 11, Severity.WARNING) in found
    assert ("bad-vr", 12, Severity.ERROR) in found
    # the first AE row wins; the lower-case code is not a VR
    assert vrs["AE"].max_length == 16
    assert "ab" not in vrs
    assert len(vrs) == 27


def test_counts_name_the_table() -> None:
    document = docbook.load(fixture("vr_table", 5))
    assert part05.parse(document).counts == {"table_6.2-1": 27}


def test_a_part_that_is_not_ps35_is_refused() -> None:
    document = docbook.load(fixture("masks"))
    with pytest.raises(InputError, match=r"expected PS3\.5 but the document is PS3\.6"):
        part05.parse(document)


def test_a_ps35_without_a_vr_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "part05.xml"
    path.write_text(
        '<book xmlns="http://docbook.org/ns/docbook">'
        "<subtitle>DICOM PS3.5 2099a - Data Structures and Encoding</subtitle></book>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="no Value Representation table") as caught:
        part05.parse(docbook.load(path))
    assert caught.value.file == str(path)


# -- section 8.2: valid values of the Pixel Data related attributes -----------------------------
def test_pixel_tables_of_a_fixture() -> None:
    document = docbook.load(fixture("pixel_tables", 5))
    result = part05.parse(document)
    rows = {(rule.source, rule.row): rule for rule in result.pixel_encodings}
    # Two tables read: the one with a Transfer Syntax UID column, the RLE one without.
    assert [t.id for t in result.pixel_tables] == ["table_8.2.1-1", "table_8.2.2-1"]
    assert set(rows) == {("table_8.2.1-1", 1), ("table_8.2.1-1", 2), ("table_8.2.2-1", 1)}
    first = rows[("table_8.2.1-1", 1)]
    assert first.photometric == ("MONOCHROME1", "MONOCHROME2")
    assert first.transfer_syntaxes == ("1.2.840.10008.1.2.4.50",)
    assert (first.samples_per_pixel, first.planar_configuration) == ("1", "absent")
    second = rows[("table_8.2.1-1", 2)]
    assert second.transfer_syntaxes == ("1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51")
    assert (second.bits_allocated, second.bits_stored) == ("8, 16 or 24", "1-16")
    # No UID column: the UID a paragraph citing the same annex (chapter G) names.
    rle = rows[("table_8.2.2-1", 1)]
    assert rle.transfer_syntaxes == ("1.2.840.10008.1.2.5",)
    assert rle.photometric == ("PALETTE COLOR",)
    assert result.counts["table_8.2.1-1"] == 2 and result.counts["table_8.2.2-1"] == 1
    found = {(d.code, d.table, d.row) for d in document.diagnostics}
    assert ("pixel-table-row", "table_8.2.1-1", 3) in found  # Bits Allocated "eight"
    assert ("pixel-table-row", "table_8.2.1-1", 4) in found  # UID cell "see note"
    assert ("pixel-table-shape", "table_8.2.3-1", None) in found  # no Bits Stored column
    assert ("pixel-table-shape", "table_8.2.4-1", None) in found  # no UID found
    assert "pixel-tables-absent" not in {code for code, _, _ in found}
    # The terms listed after the Native Format sentence, up to the next sentence.
    assert result.native_excluded == ("sect_8.2", ("YBR_RCT", "YBR_PARTIAL_420"))


def test_pixel_tables_of_ps3_5_2020c() -> None:
    # PS3.5 2020c section 8.2: tables 8.2.1-1 (4 rows), 8.2.1-2 (3), 8.2.2-1 (4), 8.2.3-1 (4),
    # 8.2.4-1 (6); the RLE table has no UID column, A.4.2: 'This transfer Syntax is identified
    # by the UID value "1.2.840.10008.1.2.5"'.
    document = docbook.load(require_part("2020c", 5))
    result = part05.parse(document)
    counts = {t.id: result.counts[t.id] for t in result.pixel_tables}
    assert counts == {
        "table_8.2.1-1": 4,
        "table_8.2.1-2": 3,
        "table_8.2.2-1": 4,
        "table_8.2.3-1": 4,
        "table_8.2.4-1": 6,
    }
    rows = {(rule.source, rule.row): rule for rule in result.pixel_encodings}
    # Table 8.2.1-1 row 4: YBR_FULL_422 and RGB, JPEG Baseline, 3, 0, 0, 8, 8, 7.
    assert tuple(rows[("table_8.2.1-1", 4)])[:8] == (
        ("YBR_FULL_422", "RGB"),
        ("1.2.840.10008.1.2.4.50",),
        "3",
        "0",
        "0",
        "8",
        "8",
        "7",
    )
    assert rows[("table_8.2.2-1", 3)].photometric == ("YBR_FULL",)
    assert rows[("table_8.2.2-1", 3)].transfer_syntaxes == ("1.2.840.10008.1.2.5",)
    # Table 8.2.4-1 row 1: MONOCHROME1/2 in JPEG 2000, Bits Allocated "8, 16, 24, 32 or 40".
    assert rows[("table_8.2.4-1", 1)].bits_allocated == "8, 16, 24, 32 or 40"
    assert not [d for d in document.diagnostics if d.code.startswith("pixel-table")]
    # 8.2: "If Pixel Data (7FE0,0010) is sent in a Native Format, then the Photometric
    # Interpretation (0028,0004) shall be other than: YBR_RCT, YBR_ICT, YBR_PARTIAL_420".
    assert result.native_excluded == ("sect_8.2", ("YBR_RCT", "YBR_ICT", "YBR_PARTIAL_420"))


@pytest.mark.parametrize("edition", ["2015b", "2016c"])
def test_editions_without_pixel_tables(edition: str) -> None:
    document = docbook.load(require_part(edition, 5))
    result = part05.parse(document)
    assert result.pixel_encodings == () and result.pixel_tables == ()
    notes = [d for d in document.diagnostics if d.code == "pixel-tables-absent"]
    assert len(notes) == 1 and notes[0].severity is Severity.INFO
    # Nor the Native Format sentence of 2020c 8.2.
    assert result.native_excluded is None
    assert [d.severity for d in document.diagnostics if d.code == "native-photometric-absent"] == [
        Severity.INFO
    ]
