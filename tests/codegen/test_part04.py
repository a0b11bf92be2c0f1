"""The PS3.4 parser (dicomstd.codegen.part04) and the SOP Class -> IOD map the passes build from it.

The synthetic document is written here; the golden values of the real PS3.4 2016c were read by
hand from table B.5-1 "Standard SOP Classes" (row numbers are body rows).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from lxml import etree

from dicomstd.codegen import docbook, inputs, part04, pipeline
from dicomstd.codegen.diagnostics import InputError, Severity
from dicomstd.codegen.model import Part04, SopClass, Standard
from tests.codegen.support import NS, fixture, raw_text
from tests.conftest import require_part

HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<book xmlns="http://docbook.org/ns/docbook" xml:id="PS3.4" label="PS3.4" version="5.0">'
    "<title>PS3.4</title><subtitle>DICOM PS3.4 2099a - Service Class Specifications</subtitle>"
    '<chapter label="B" xml:id="chapter_B"><title>Storage Service Class</title>'
    '<section label="B.5" xml:id="sect_B.5"><title>Standard SOP Classes</title>'
)
TAIL = "</section></chapter></book>"
SOP_HEADER = (
    "<thead><tr><th><para>SOP Class Name</para></th><th><para>SOP Class UID</para></th>"
    '<th><para>IOD Specification (defined in <olink targetdoc="PS3.3" targetptr="PS3.3" '
    'xrefstyle="select: labelnumber"/>)</para></th></tr></thead>'
)


def olink(section: str) -> str:
    return f'<olink targetdoc="PS3.3" targetptr="{section}" xrefstyle="select: labelnumber"/>'


def row(name: str, uid: str, iod: str) -> str:
    cells = "".join(f"<td><para>{text}</para></td>" for text in (name, uid, iod))
    return f"<tr>{cells}</tr>"


SYNTHETIC = (
    HEAD
    + '<table xml:id="table_B.5-1" label="B.5-1"><caption>Standard SOP Classes</caption>'
    + SOP_HEADER
    + "<tbody>"
    + row("CT Image Storage", "1.2.840.10008.5.1.4.1.1.2", olink("sect_A.3"))
    # a zero-width space inside the UID, and a second link in the cell (to PS3.4 itself)
    + row(
        "Enhanced CT Image Storage",
        "1.2.840.10008.5.1.4.1.1.\u200b2.1",
        olink("sect_A.38.1") + ' (see <xref linkend="sect_B.5.1.7" xrefstyle="select: label"/>)',
    )
    + row("Broken UID Storage", "1.2.abc", olink("sect_A.4"))
    + row("No Link Storage", "1.2.3.4", "CT Image IOD")
    + row("CT Image Storage Again", "1.2.840.10008.5.1.4.1.1.2", olink("sect_A.3"))
    + "</tbody></table>"
    + '<section label="B.5.1.7" xml:id="sect_B.5.1.7"><title>Enhanced</title>'
    + "<para>Specialization.</para></section>"
    + '<table xml:id="table_B.5-9" label="B.5-9"><caption>Another SOP Class Table</caption>'
    + SOP_HEADER
    + "<tbody>"
    + row("RT Dose Storage", "1.2.840.10008.5.1.4.1.1.481.2", olink("sect_A.18"))
    + "</tbody></table>"
    + '<table xml:id="table_B.5-2" label="B.5-2"><caption>Something else</caption>'
    + "<thead><tr><th><para>Name</para></th><th><para>UID</para></th></tr></thead>"
    + "<tbody><tr><td><para>Not a SOP Class</para></td><td><para>1.2.3</para></td></tr></tbody>"
    + "</table>"
    + TAIL
)


@pytest.fixture
def synthetic(tmp_path: Path) -> tuple[Part04, list[tuple[str | None, int | None, str, str]]]:
    path = tmp_path / "part04.xml"
    path.write_text(SYNTHETIC, encoding="utf-8")
    document = docbook.load(path, expect_part=4)
    parsed = part04.parse(document)
    return parsed, [(d.table, d.row, d.code, str(d.severity)) for d in document.diagnostics]


def test_sop_classes_map_their_uid_to_the_ps33_section_of_the_iod(
    synthetic: tuple[Part04, list[tuple[str | None, int | None, str, str]]],
) -> None:
    parsed, _ = synthetic
    assert parsed.sop_classes == (
        SopClass(
            "CT Image Storage", "1.2.840.10008.5.1.4.1.1.2", "sect_A.3", "A.3", "table_B.5-1", 1
        ),
        SopClass(
            "Enhanced CT Image Storage",
            "1.2.840.10008.5.1.4.1.1.2.1",
            "sect_A.38.1",
            "A.38.1 (see Section B.5.1.7)",
            "table_B.5-1",
            2,
        ),
        SopClass(
            "RT Dose Storage",
            "1.2.840.10008.5.1.4.1.1.481.2",
            "sect_A.18",
            "A.18",
            "table_B.5-9",
            1,
        ),
    )
    assert parsed.counts == {"table_B.5-1": 2, "table_B.5-9": 1}


def test_odd_rows_are_reported(
    synthetic: tuple[Part04, list[tuple[str | None, int | None, str, str]]],
) -> None:
    _, diagnostics = synthetic
    assert diagnostics == [
        ("table_B.5-1", 3, "bad-uid", "warning"),
        ("table_B.5-1", 4, "sop-class-without-iod", "warning"),
        ("table_B.5-1", 5, "sop-class-listed-twice", "info"),
    ]


def test_a_ps34_without_a_sop_class_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "part04.xml"
    path.write_text(
        HEAD + '<table xml:id="table_B.5-2"><caption>x</caption><thead><tr><th>Name</th>'
        "<th>UID</th></tr></thead><tbody><tr><td>a</td><td>1.2</td></tr></tbody></table>" + TAIL,
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="no SOP Class table"):
        part04.parse(docbook.load(path, expect_part=4))


def test_a_part_that_is_not_ps34_is_refused() -> None:
    with pytest.raises(InputError, match=re.escape("expected PS3.4 but the document is PS3.6")):
        part04.parse(docbook.load(fixture("masks")))


# -- the real PS3.4 2016c ----------------------------------------------------------------------
@functools.cache
def real_part04() -> Part04:
    return part04.parse(docbook.load(require_part("2016c", 4), expect_part=4))


@functools.cache
def real_standard() -> Standard:
    for number, pin in inputs.read_pins().items():
        require_part(pin.edition, number)
    return pipeline.build(inputs.resolve({}, inputs.read_pins()))


def b51_rows() -> list[list[str]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    tree = etree.parse(str(require_part("2016c", 4)), parser)
    found = tree.xpath("//d:table[@xml:id='table_B.5-1']/d:tbody/d:tr", namespaces=NS)
    assert isinstance(found, list)
    return [[raw_text(td) for td in tr] for tr in found if isinstance(tr, etree._Element)]


# Table B.5-1 rows 8, 9, 41 and 111: (name, UID, the olink's targetptr into PS3.3)
GOLDEN = {
    8: ("CT Image Storage", "1.2.840.10008.5.1.4.1.1.2", "sect_A.3"),
    9: ("Enhanced CT Image Storage", "1.2.840.10008.5.1.4.1.1.2.1", "sect_A.38.1"),
    41: ("Enhanced XA Image Storage", "1.2.840.10008.5.1.4.1.1.12.1.1", "sect_A.47"),
    111: ("RT Dose Storage", "1.2.840.10008.5.1.4.1.1.481.2", "sect_A.18"),
}


@pytest.mark.standard
def test_table_b51_golden_rows() -> None:
    by_row = {s.row: s for s in real_part04().sop_classes if s.source == "table_B.5-1"}
    for number, (name, uid, section) in GOLDEN.items():
        sop = by_row[number]
        assert (sop.name, sop.uid, sop.iod_reference) == (name, uid, section)


@pytest.mark.standard
def test_every_row_of_table_b51_is_a_sop_class() -> None:
    raw = b51_rows()
    assert len(raw) == 120
    parsed = {s.uid: s for s in real_part04().sop_classes if s.source == "table_B.5-1"}
    assert {cells[1] for cells in raw} == set(parsed)
    assert real_part04().counts["table_B.5-1"] == 120


@pytest.mark.standard
def test_the_four_iods_get_their_sop_class() -> None:
    iods = {iod.name: iod.sop_classes for iod in real_standard().iods}
    assert iods == {
        "CT Image": (("1.2.840.10008.5.1.4.1.1.2", "CT Image Storage"),),
        "Enhanced CT Image": (("1.2.840.10008.5.1.4.1.1.2.1", "Enhanced CT Image Storage"),),
        "Enhanced X-Ray Angiographic Image": (
            ("1.2.840.10008.5.1.4.1.1.12.1.1", "Enhanced XA Image Storage"),
        ),
        "RT Dose": (("1.2.840.10008.5.1.4.1.1.481.2", "RT Dose Storage"),),
    }


@pytest.mark.standard
def test_sop_classes_whose_iod_is_absent_are_reported() -> None:
    standard = real_standard()
    absent = {
        (d.table, d.row)
        for d in standard.diagnostics
        if d.code == "sop-class-iod-absent" and d.severity is Severity.INFO
    }
    # every other row of table B.5-1 names an IOD that the PS3.3 excerpt lacks
    expected = {("table_B.5-1", n) for n in range(1, 121) if n not in GOLDEN}
    assert {a for a in absent if a[0] == "table_B.5-1"} == expected
    legacy = next(
        d
        for d in standard.diagnostics
        if d.code == "sop-class-iod-absent" and (d.table, d.row) == ("table_B.5-1", 10)
    )
    # row 10: Legacy Converted Enhanced CT Image Storage, IOD in PS3.3 A.70 (cut out)
    assert "Legacy Converted Enhanced CT Image Storage (1.2.840.10008.5.1.4.1.1.2.2)" in (
        legacy.message
    )
    assert not [d for d in standard.diagnostics if d.code == "iod-without-sop-class"]
