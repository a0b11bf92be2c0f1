"""The PS3.3 parser (dicomstd.codegen.part03): one synthetic fixture per quirk, then the real 2016c
excerpt.

Golden values of the real document were read by hand from ``2016c/part03.xml`` (the table and row
are named next to each value); counts are taken with plain lxml XPath, never with our reader.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from lxml import etree

from dicomstd.codegen import docbook, part03
from dicomstd.codegen.diagnostics import Diagnostic, InputError, Severity
from dicomstd.codegen.model import (
    AttributeRow,
    AttributeType,
    IncludeRow,
    IodTable,
    Part03,
    PlaceholderRow,
    TableRow,
    TagSpec,
    Usage,
    ValueList,
)
from tests.codegen.support import NS, XML_ID, fixture
from tests.conftest import require_part


@functools.cache
def parsed(quirk: str) -> tuple[Part03, tuple[Diagnostic, ...]]:
    document = docbook.load(fixture(f"part03_{quirk}", 3), expect_part=3)
    part = part03.parse(document)
    return part, tuple(document.diagnostics)


def rows(quirk: str, table: str) -> tuple[TableRow, ...]:
    return parsed(quirk)[0].tables[table].rows


def found(quirk: str, code: str) -> list[tuple[str | None, int | None, Severity]]:
    return [(d.table, d.row, d.severity) for d in parsed(quirk)[1] if d.code == code]


def iod(part: Part03, ident: str) -> IodTable:
    return next(table for table in part.iods if table.id == ident)


def attribute(row: TableRow) -> AttributeRow:
    assert isinstance(row, AttributeRow), row
    return row


def include(row: TableRow) -> IncludeRow:
    assert isinstance(row, IncludeRow), row
    return row


def placeholder(row: TableRow) -> PlaceholderRow:
    assert isinstance(row, PlaceholderRow), row
    return row


# -- small pieces ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("caption", "name", "kind"),
    [
        ("Patient Module Attributes", "Patient Module", "module"),
        ("Enhanced XA/XRF Image Module Table", "Enhanced XA/XRF Image Module", "module"),
        (
            "Person Identification Macro Attributes Description",
            "Person Identification Macro",
            "macro",
        ),
        ("Code Sequence Macro Attributes", "Code Sequence Macro", "macro"),
        ("Encrypted Attributes Data Set Attributes", "Encrypted Attributes Data Set", "attributes"),
        ("Attributes", "Attributes", "attributes"),
    ],
)
def test_table_name_and_kind_come_from_the_caption(caption: str, name: str, kind: str) -> None:
    assert part03.table_name(caption) == name
    assert part03.table_kind(name) == kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("M", (Usage.MANDATORY, None)),
        ("U", (Usage.USER_OPTION, None)),
        (
            "C - Required if contrast media was used in this image",
            (Usage.CONDITIONAL, "Required if contrast media was used in this image"),
        ),
        ("C – Required if X.", (Usage.CONDITIONAL, "Required if X.")),
        ("C: Required if X.", (Usage.CONDITIONAL, "Required if X.")),
        ("C Required if X.", (Usage.CONDITIONAL, "Required if X.")),
        (
            "M - May not be used as a Shared Functional Group.",
            (Usage.MANDATORY, "May not be used as a Shared Functional Group."),
        ),
        ("U - see elsewhere", (Usage.USER_OPTION, "see elsewhere")),
        ("X", None),
        ("", None),
    ],
)
def test_usage_cells(text: str, expected: tuple[Usage, str | None] | None) -> None:
    assert part03.usage(text) == expected


@pytest.mark.parametrize(
    ("caption", "name"),
    [
        ("CT Image IOD Modules", "CT Image"),
        ("Enhanced X-Ray Angiographic Image IOD Modules", "Enhanced X-Ray Angiographic Image"),
        ("RT Dose IOD Module", "RT Dose"),
    ],
)
def test_iod_name(caption: str, name: str) -> None:
    assert part03.iod_name(caption) == name


def test_a_part_that_is_not_ps33_is_refused() -> None:
    document = docbook.load(fixture("masks"))
    with pytest.raises(InputError, match=re.escape("expected PS3.3 but the document is PS3.6")):
        part03.parse(document)


def test_a_ps33_without_any_iod_or_attribute_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "part03.xml"
    path.write_text(
        '<book xmlns="http://docbook.org/ns/docbook"><title>PS3.3</title>'
        "<subtitle>DICOM PS3.3 2099a - Information Object Definitions</subtitle>"
        '<chapter xml:id="chapter_C"><title>C</title><table xml:id="table_C.1-1">'
        "<caption>Not one</caption><thead><tr><th>Opcode</th><th>Meaning</th></tr></thead>"
        "<tbody><tr><td>1</td><td>one</td></tr></tbody></table></chapter></book>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="no IOD module table and no attribute table"):
        part03.parse(docbook.load(path, expect_part=3))


# -- quirk fixtures ----------------------------------------------------------------------------
def test_include_rows_at_depths_zero_one_and_two() -> None:
    table = rows("include_depths", "table_C.1-1")
    shapes = [
        (type(row).__name__, row.depth, include(row).target if isinstance(row, IncludeRow) else "")
        for row in table
    ]
    assert shapes == [
        ("AttributeRow", 0, ""),
        ("IncludeRow", 0, "table_C.2-1"),
        ("AttributeRow", 0, ""),
        ("IncludeRow", 1, "table_C.3-1"),
        ("AttributeRow", 1, ""),
        ("IncludeRow", 2, "table_C.2-1"),
        ("AttributeRow", 0, ""),
        ("IncludeRow", 0, "table_C.4-1"),
    ]
    assert [row.row for row in table] == list(range(1, 9))
    first = include(table[1])
    assert first.text == 'Include Table C.2-1 "Tiny Code Macro Attributes"'
    assert first.note == "Defined CID 4031."
    assert first.condition is None
    assert include(table[5]).text.startswith(">>Include Table C.2-1")
    assert attribute(table[4]).name == "Purpose of Reference Code Sequence"  # '>' marks dropped
    assert attribute(table[4]).tag == TagSpec(0x0040A170)
    last = include(table[7])
    assert last.condition == "if and only if the image was acquired with contrast"
    assert last.note == ""


def test_tables_are_found_by_section_and_iods_by_their_sections() -> None:
    part, _ = parsed("include_depths")
    assert part.section_tables == {"sect_C.1": "table_C.1-1"}
    assert part.iod_sections["sect_A.90"] == "table_A.90-1"
    table = iod(part, "table_A.90-1")
    assert (table.name, table.caption, table.section) == (
        "Depth Test",
        "Depth Test IOD Modules",
        "sect_A.90",
    )
    assert part.counts == {
        "table_A.90-1": 1,
        "table_C.1-1": 8,
        "table_C.2-1": 2,
        "table_C.3-1": 2,
        "table_C.4-1": 1,
    }


def test_include_cycles_are_parsed_as_include_rows() -> None:
    alpha, beta = rows("include_cycle", "table_C.1-1"), rows("include_cycle", "table_C.2-1")
    assert include(alpha[1]).target == "table_C.2-1"
    assert include(beta[1]).target == "sect_C.1"  # an Include may link the section
    content = rows("include_cycle", "table_C.3-1")
    recursive = include(content[2])
    assert (recursive.depth, recursive.target) == (1, "table_C.3-1")
    assert recursive.condition == "if the child is included by value"
    assert found("include_cycle", "include-cycle") == []  # a pass concern, not the parser's


def test_unresolved_references_render_from_their_id_and_are_reported() -> None:
    part, diagnostics = parsed("unresolved")
    table = part.tables["table_C.1-1"].rows
    gap = include(table[1])
    assert (gap.target, gap.text, gap.note) == (
        "table_10-99",
        "Include Table 10-99",
        "See Section C.9.9.9.",
    )
    sex = attribute(table[2])
    assert sex.type is AttributeType.TYPE_1C
    assert sex.condition == "Required if the subject is described in Section C.9.9.9."
    modules = iod(part, "table_A.91-1").modules
    assert [(m.name, m.reference, m.usage, m.condition) for m in modules] == [
        ("Gap", "sect_C.1", Usage.CONDITIONAL, "Required if Section C.9.9.9 is present."),
        ("Missing", "sect_C.8.8.8", Usage.USER_OPTION, None),
    ]
    unresolved = sorted(d.message for d in diagnostics if d.code == "unresolved-reference")
    assert unresolved == [
        "1 cross-reference(s) to 'sect_C.8.8.8', which is not in this document; rendered "
        "from the id",
        "1 cross-reference(s) to 'table_10-99', which is not in this document; rendered from "
        "the id",
        "3 cross-reference(s) to 'sect_C.9.9.9', which is not in this document; rendered from "
        "the id",
    ]
    assert all(d.severity is Severity.INFO for d in diagnostics if d.code == "unresolved-reference")
    # the third IOD row names its section as plain text, no link: left out and reported
    assert found("unresolved", "module-without-reference") == [
        ("table_A.91-1", 3, Severity.WARNING)
    ]


def test_rowspan_ie_cells_name_the_ie_of_every_row_they_span() -> None:
    modules = iod(parsed("rowspan_ie")[0], "table_A.92-1").modules
    assert [(m.row, m.ie, m.name, m.usage.value, m.reference) for m in modules] == [
        (1, "Patient", "Patient", "M", "sect_C.1"),
        (2, "Patient", "Subject", "U", "sect_C.2"),
        (3, "Study", "Study", "M", "sect_C.3"),
        (4, "Image", "Image", "M", "sect_C.4"),
        (5, "Image", "Contrast", "C", "sect_C.5"),
        (6, "Image", "Common", "M", "sect_C.6"),
    ]
    assert modules[4].condition == "Required if contrast media was used in this image"
    assert modules[4].usage_text == "C - Required if contrast media was used in this image"
    assert found("rowspan_ie", "row-shape") == []


def test_attribute_tables_are_recognised_by_header_not_caption() -> None:
    part, _ = parsed("caption_kinds")
    assert {ident: (t.name, t.kind) for ident, t in part.tables.items()} == {
        "table_C.1-1": ("Encrypted Attributes Data Set", "attributes"),
        "table_C.2-1": ("Image Pixel Module", "module"),
        "table_C.3-1": ("Person Identification Macro", "macro"),
    }
    assert "table_C.4-1" not in part.counts  # a Defined Terms table is no attribute table
    assert attribute(part.tables["table_C.1-1"].rows[0]).tag == TagSpec(0x04000550)


def test_th_body_cells_are_read_like_td() -> None:
    part, diagnostics = parsed("th_cells")
    table = part.tables["table_C.1-1"].rows
    assert [(attribute(r).name, attribute(r).tag.value, attribute(r).type) for r in table[:3]] == [
        ("Patient's Name", 0x00100010, AttributeType.TYPE_2),
        ("Patient ID", 0x00100020, AttributeType.TYPE_2),
        ("Patient Species Code Sequence", 0x00102202, AttributeType.TYPE_1C),
    ]
    assert attribute(table[2]).condition == "Required if the patient is an animal."
    assert (include(table[3]).depth, include(table[3]).target) == (1, "table_C.2-1")
    assert attribute(part.tables["table_C.2-1"].rows[0]).tag == TagSpec(0x00080100)
    modules = iod(part, "table_A.93-1").modules
    assert [(m.ie, m.name, m.usage, m.reference) for m in modules] == [
        ("Patient", "Header Cells", Usage.MANDATORY, "sect_C.1"),
        ("Patient", "Code", Usage.USER_OPTION, "sect_C.2"),
    ]
    assert [d for d in diagnostics if d.severity is not Severity.INFO] == []


def test_duplicate_ids_first_copy_wins_identical_is_a_note_differing_a_warning() -> None:
    part, diagnostics = parsed("duplicate_ids")
    assert [attribute(r).name for r in part.tables["table_C.1-1"].rows] == ["Patient's Name"]
    changed = [attribute(r) for r in part.tables["table_C.2-1"].rows]
    assert [(r.name, r.description) for r in changed] == [("Patient ID", "First copy.")]
    duplicates = {(d.table, d.severity) for d in diagnostics if d.code == "duplicate-id"}
    assert duplicates == {
        ("table_C.1-1", Severity.INFO),
        ("table_C.2-1", Severity.WARNING),
        (None, Severity.INFO),  # the paragraph ids, summed up in one note
    }
    messages = [d.message for d in diagnostics if d.code == "duplicate-id"]
    assert any("identical copies; the first is used" in m for m in messages)
    assert any("copies that differ; the first is used" in m for m in messages)
    assert any(m.startswith("1 paragraph xml:id values occur more than once") for m in messages)


def test_rows_after_an_include_one_level_deeper_are_kept_at_their_depth() -> None:
    image_reference = rows("image_reference", "table_C.3-1")
    assert include(image_reference[0]).depth == 0
    assert [attribute(r).depth for r in image_reference[1:]] == [1, 1]
    assert attribute(image_reference[1]).condition == (
        "Required if the Referenced SOP Instance is a multi-frame image."
    )


def test_a_row_with_a_tag_is_an_attribute_whatever_its_name_starts_with() -> None:
    # PS3.3 table C.22.1-1 (Media Creation Management Module): "Include Non-DICOM Objects"
    # (2200,0008) and "Include Display Application" (2200,0009) are attributes; the last row,
    # spanning the name and tag columns with an xref, is an Include.
    table = rows("include_named_attribute", "table_C.22.1-1")
    assert [type(row).__name__ for row in table] == [
        "AttributeRow",
        "AttributeRow",
        "AttributeRow",
        "IncludeRow",
    ]
    assert (attribute(table[1]).name, attribute(table[1]).tag) == (
        "Include Non-DICOM Objects",
        TagSpec(0x22000008),
    )
    assert (attribute(table[2]).name, attribute(table[2]).tag) == (
        "Include Display Application",
        TagSpec(0x22000009),
    )
    assert include(table[3]).target == "table_C.2-1"
    assert found("include_named_attribute", "include-without-reference") == []


def test_any_attribute_rows_are_placeholders() -> None:
    table = rows("any_attribute", "table_C.1-1")
    heading = placeholder(table[0])
    assert (heading.kind, heading.text, heading.depth) == ("heading", "ORIGINAL VALUES", 0)
    nested = placeholder(table[3])
    assert (nested.kind, nested.depth, nested.type) == ("any-attribute", 2, AttributeType.TYPE_1)
    assert nested.text == "Any Attribute from the main data set that was modified or removed."
    # spanning the Tag and Type columns: still a row that stands for other attributes
    top = placeholder(table[5])
    assert (top.kind, top.depth, top.type, top.text) == (
        "any-attribute",
        0,
        None,
        "Any Attribute of the Patient IE.",
    )
    assert found("any_attribute", "row-shape") == []


def test_functional_group_placeholders_and_the_iods_functional_group_table() -> None:
    part, diagnostics = parsed("functional_groups")
    module = part.tables["table_C.7.6.16-1"].rows
    shared, per_frame = placeholder(module[1]), placeholder(module[3])
    assert (shared.kind, shared.depth) == ("functional-groups", 1)
    assert shared.text == (
        "Include one or more Functional Group Macros that are shared by all frames."
    )
    assert (per_frame.kind, per_frame.depth, per_frame.text) == (
        "functional-groups",
        1,
        "Include one or more Functional Group Macros.",
    )
    table = iod(part, "table_A.38-1")
    assert table.functional_groups_table == "table_A.38-2"
    assert [
        (g.name, g.reference, g.usage, g.condition, g.usage_text) for g in table.functional_groups
    ] == [
        ("Pixel Measures", "sect_C.7.6.16.2.1", Usage.MANDATORY, None, "M"),
        (
            "Frame Content",
            "sect_C.7.6.16.2.2",
            Usage.MANDATORY,
            None,
            "M - May not be used as a Shared Functional Group.",
        ),
        (
            "Frame Anatomy",
            "sect_C.7.6.16.2.8",
            Usage.CONDITIONAL,
            "Required if the frames show anatomy.",
            "C - Required if the frames show anatomy.",
        ),
    ]
    # PS3.4 links the IOD's section (sect_A.38.1); the IOD table sits in a subsection of it
    assert part.iod_sections["sect_A.38.1"] == "table_A.38-1"
    assert part.counts["table_A.38-2"] == 3
    assert [d for d in diagnostics if d.code == "functional-groups-without-iod"] == []


def test_a_type_that_is_not_one_of_the_five_is_reported_and_left_unset() -> None:
    table = [attribute(r) for r in rows("bad_type", "table_C.1-1")]
    assert [(r.type, r.type_text) for r in table] == [
        (None, "4"),
        (None, "3C"),
        (None, ""),
        (AttributeType.TYPE_1C, "1c"),
        (AttributeType.TYPE_2C, "2 C"),
    ]
    assert found("bad_type", "bad-type") == [
        ("table_C.1-1", 1, Severity.WARNING),
        ("table_C.1-1", 2, Severity.WARNING),
        ("table_C.1-1", 3, Severity.WARNING),
    ]
    assert table[3].condition == "Required if the sex is known."
    assert found("bad_type", "condition-missing") == []


def test_conditions_are_read_or_their_absence_reported() -> None:
    table = [attribute(r) for r in rows("condition_missing", "table_C.1-1")]
    assert [r.condition for r in table] == [
        None,
        "Required if the patient is known. May be present otherwise.",
        "Shall be present if the sex is known.",
        "Required if either:\nthe age is known\nthe birth date is known\nMay be present otherwise.",
        "Required Pixel Data (7FE0,0010) is present.",
    ]
    assert found("condition_missing", "condition-missing") == [
        ("table_C.1-1", 1, Severity.WARNING),
        ("table_A.94-1", 1, Severity.WARNING),  # usage "C" without a condition
    ]
    modules = iod(parsed("condition_missing")[0], "table_A.94-1").modules
    assert [(m.usage, m.condition) for m in modules] == [
        (Usage.CONDITIONAL, None),
        (Usage.CONDITIONAL, "Required if the image is an image."),
    ]


def test_enumerated_values_and_defined_terms_with_value_indexes() -> None:
    table = [attribute(r) for r in rows("value_lists", "table_C.1-1")]
    assert table[0].values == (ValueList("enumerated", ("M", "F", "O")),)
    assert table[1].values == (
        ValueList("enumerated", ("ORIGINAL", "DERIVED"), value_index=1),
        ValueList("enumerated", ("PRIMARY", "SECONDARY"), value_index=2),
        ValueList("defined", ("AXIAL", "LOCALIZER"), value_index=3),
    )
    assert table[2].values == (ValueList("defined", ("BRAIN", "SOFT_TISSUE"), qualifier="for CT"),)
    # "Retired Defined Terms:" stay terms one may meet: they extend the Defined Terms before
    # them (a list of their own would be one a value must be in too)
    assert table[3].values == (ValueList("defined", ("BIPED", "QUADRUPED", "HUMAN")),)
    assert table[3].condition == "Required if the patient is not human."
    assert table[4].values == ()  # "Examples:" is no value list


# -- the real PS3.3 2016c excerpt --------------------------------------------------------------
@functools.cache
def real() -> tuple[Part03, tuple[Diagnostic, ...]]:
    document = docbook.load(require_part("2016c", 3), expect_part=3)
    return part03.parse(document), tuple(document.diagnostics)


@functools.cache
def raw(path: Path) -> etree._ElementTree:
    """The XML through plain lxml (ids may repeat in this file, so they are not collected)."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=True, collect_ids=False
    )
    return etree.parse(str(path), parser)


def raw_text(element: etree._Element) -> str:
    text = "".join(t for t in element.itertext() if isinstance(t, str))
    return " ".join(text.replace("\u200b", "").split())


def raw_tables(header: tuple[str, ...]) -> dict[str, etree._Element]:
    """First copy of every table whose first header cells are ``header`` (case folded)."""
    tables: dict[str, etree._Element] = {}
    found_tables = raw(require_part("2016c", 3)).xpath("//d:table", namespaces=NS)
    assert isinstance(found_tables, list)
    for table in found_tables:
        assert isinstance(table, etree._Element)
        cells = table.xpath("d:thead/d:tr[1]/*", namespaces=NS)
        assert isinstance(cells, list)
        texts = tuple(raw_text(c).lower() for c in cells if isinstance(c, etree._Element))
        if texts[: len(header)] == header:
            tables.setdefault(str(table.get(XML_ID)), table)
    return tables


# Table A.3-1 "CT Image IOD Modules", rows 1-20, read from the XML: (IE, Module, Usage).
CT_IMAGE_MODULES = [
    ("Patient", "Patient", "M"),
    ("Patient", "Clinical Trial Subject", "U"),
    ("Study", "General Study", "M"),
    ("Study", "Patient Study", "U"),
    ("Study", "Clinical Trial Study", "U"),
    ("Series", "General Series", "M"),
    ("Series", "Clinical Trial Series", "U"),
    ("Frame of Reference", "Frame of Reference", "M"),
    ("Equipment", "General Equipment", "M"),
    ("Image", "General Image", "M"),
    ("Image", "Image Plane", "M"),
    ("Image", "Image Pixel", "M"),
    ("Image", "Contrast/Bolus", "C"),
    ("Image", "Device", "U"),
    ("Image", "Specimen", "U"),
    ("Image", "CT Image", "M"),
    ("Image", "Overlay Plane", "U"),
    ("Image", "VOI LUT", "U"),
    ("Image", "SOP Common", "M"),
    ("Image", "Common Instance Reference", "U"),
]
# Table A.3-1 row 13, the Usage cell: "C - Required if contrast media was used in this image".
CT_CONTRAST_CONDITION = "Required if contrast media was used in this image"


@pytest.mark.standard
def test_ct_image_iod_modules_in_table_order() -> None:
    table = iod(real()[0], "table_A.3-1")
    assert table.name == "CT Image"
    assert [(m.ie, m.name, m.usage.value) for m in table.modules] == CT_IMAGE_MODULES
    assert [m.row for m in table.modules] == list(range(1, 21))
    conditions = {m.name: m.condition for m in table.modules if m.condition is not None}
    assert conditions == {"Contrast/Bolus": CT_CONTRAST_CONDITION}
    # Table A.3-1 Reference column: xref linkends
    assert table.modules[0].reference == "sect_C.7.1.1"
    assert table.modules[15].reference == "sect_C.8.2.1"
    assert table.functional_groups == ()


@pytest.mark.standard
def test_every_attribute_table_is_parsed_once() -> None:
    part, diagnostics = real()
    tables = raw_tables(("attribute name", "tag"))
    # 153 distinct ids (154 tables: table_C.8-40 is printed twice), counted with lxml
    assert len(tables) == 153
    assert set(part.tables) == set(tables)
    copies = raw(require_part("2016c", 3)).xpath(
        "count(//d:table[@xml:id='table_C.8-40'])", namespaces=NS
    )
    assert copies == 2
    assert ("table_C.8-40", Severity.INFO) in {
        (d.table, d.severity) for d in diagnostics if d.code == "duplicate-id"
    }
    # kinds by the caption's last "Module"/"Macro" word: 53 modules, 99 macros and the
    # Encrypted Attributes Data Set (table C.12-7)
    kinds: dict[str, str] = {}
    for ident, table in tables.items():
        caption = table.find("d:caption", NS)
        assert caption is not None
        words = re.findall(r"\b(Module|Macro)\b", raw_text(caption))
        kinds[ident] = words[-1].lower() if words else "attributes"
    assert sorted(kinds.values()).count("module") == 53
    assert sorted(kinds.values()).count("macro") == 99
    assert [i for i, k in kinds.items() if k == "attributes"] == ["table_C.12-7"]
    assert {ident: t.kind for ident, t in part.tables.items()} == kinds


@pytest.mark.standard
def test_every_body_row_of_an_attribute_table_is_a_row_or_a_reported_heading() -> None:
    part, diagnostics = real()
    for ident, table in raw_tables(("attribute name", "tag")).items():
        body = table.xpath("count(d:tbody/d:tr)", namespaces=NS)
        assert isinstance(body, float)
        assert part.counts[ident] == len(part.tables[ident].rows) == int(body), ident
    assert [d for d in diagnostics if d.code in ("row-shape", "bad-tag", "bad-type")] == []


@pytest.mark.standard
def test_every_include_row_is_read() -> None:
    part, diagnostics = real()
    texts: list[tuple[str, int]] = []
    for ident, table in raw_tables(("attribute name", "tag")).items():
        body = table.xpath("d:tbody/d:tr", namespaces=NS)
        assert isinstance(body, list)
        for number, tr in enumerate(body, start=1):
            assert isinstance(tr, etree._Element)
            if re.match(r"^(>\s*)*Include\b", raw_text(tr[0])):
                texts.append((ident, number))
    parsed_includes = [
        (ident, row.row)
        for ident, table in part.tables.items()
        for row in table.rows
        if isinstance(row, IncludeRow)
        or (isinstance(row, PlaceholderRow) and row.kind == "functional-groups")
    ]
    assert len(texts) == 214
    assert sorted(parsed_includes) == sorted(texts)
    assert [d for d in diagnostics if d.code == "include-without-reference"] == []


@pytest.mark.standard
def test_iod_and_functional_group_tables() -> None:
    part, _ = real()
    assert len(raw_tables(("ie", "module", "reference", "usage"))) == 4
    assert len(raw_tables(("functional group macro", "section", "usage"))) == 2
    # module rows: A.3-1 has 20, A.18.3-1 24, A.38-1 27, A.47-1 22; functional group macro
    # rows: A.38-2 has 24, A.47-2 27
    assert {t.id: (t.name, len(t.modules), t.functional_groups_table) for t in part.iods} == {
        "table_A.3-1": ("CT Image", 20, None),
        "table_A.18.3-1": ("RT Dose", 24, None),
        "table_A.38-1": ("Enhanced CT Image", 27, "table_A.38-2"),
        "table_A.47-1": ("Enhanced X-Ray Angiographic Image", 22, "table_A.47-2"),
    }
    assert {t.id: len(t.functional_groups) for t in part.iods} == {
        "table_A.3-1": 0,
        "table_A.18.3-1": 0,
        "table_A.38-1": 24,
        "table_A.47-1": 27,
    }


@pytest.mark.standard
def test_the_four_unresolved_references_of_include_rows() -> None:
    part, diagnostics = real()
    missing = {
        (ident, row.row, row.target)
        for ident, table in part.tables.items()
        for row in table.rows
        if isinstance(row, IncludeRow)
        and row.target not in part.tables
        and row.target not in part.section_tables
    }
    # Include rows whose table was cut out of the excerpt (README; rows read from the XML)
    assert missing == {
        ("table_C.7.6.20-1", 1, "table_10-15"),
        ("table_C.8.19.2-1", 38, "table_10.41-1"),
        ("table_C.8.19.5-1", 1, "table_C.8-71b"),
    }
    # the fourth, sect_C.7.6.1.1.6, is linked from the notes of four Include rows
    notes = {
        (ident, row.row): row.note
        for ident, table in part.tables.items()
        for row in table.rows
        if isinstance(row, IncludeRow) and "C.7.6.1.1.6" in row.note
    }
    assert notes == {
        ("table_C.7-9", 36): "See Section C.7.6.1.1.6 for further explanation.",
        ("table_C.8-114", 30): "See Section C.7.6.1.1.6.",
        ("table_C.8.19.2-1", 42): "See Section C.7.6.1.1.6 for further explanation.",
        ("table_C.18.4-1", 9): "See Section C.7.6.1.1.6",
    }
    reported = {
        d.message.split("'")[1]
        for d in diagnostics
        if d.code == "unresolved-reference" and d.severity is Severity.INFO
    }
    assert {"table_10-15", "table_10.41-1", "table_C.8-71b", "sect_C.7.6.1.1.6"} <= reported


@pytest.mark.standard
def test_xref_text_in_conditions_is_rendered() -> None:
    part, _ = real()
    enhanced_ct = iod(part, "table_A.38-1")
    palette = next(m for m in enhanced_ct.modules if m.row == 19)
    # table A.38-1 row 19: the xref to sect_C.8.15.2 (select: title) -> its title
    assert palette.name == "Supplemental Palette Color Lookup Table"
    assert palette.condition == (
        "Required if Pixel Presentation (0008,9205) in the Enhanced CT Image Module equals "
        "COLOR or MIXED."
    )
    texts = [m.condition for t in part.iods for m in t.modules + t.functional_groups]
    texts += [
        row.condition
        for table in part.tables.values()
        for row in table.rows
        if isinstance(row, AttributeRow)
    ]
    for text in filter(None, texts):
        assert "  " not in text and "the  " not in text, text
        assert not re.search(r"\bthe (equals|is|or)\b", text), text


@pytest.mark.standard
def test_value_lists_of_the_patient_module() -> None:
    table = real()[0].tables["table_C.7-1"].rows
    by_tag = {attribute(r).tag.value: attribute(r) for r in table if isinstance(r, AttributeRow)}
    # table C.7-1 row 8 Patient's Sex: Enumerated Values M, F, O
    assert by_tag[0x00100040].values == (ValueList("enumerated", ("M", "F", "O")),)
    # row 11 Quality Control Subject: Enumerated Values YES, NO
    assert by_tag[0x00100200].values == (ValueList("enumerated", ("YES", "NO")),)
    # row 19 >Type of Patient ID: Defined Terms TEXT, RFID, BARCODE
    assert by_tag[0x00100022].values == (ValueList("defined", ("TEXT", "RFID", "BARCODE")),)
    assert by_tag[0x00100022].depth == 1


@pytest.mark.standard
def test_item_counts_stated_without_a_condition() -> None:
    tables = real()[0].tables

    def count(table: str, tag: int) -> tuple[int, int | None] | None:
        found = [
            attribute(r).item_count
            for r in tables[table].rows
            if isinstance(r, AttributeRow) and attribute(r).tag.value == tag
        ]
        return found[0]

    # table C.7.6.16-2 Pixel Measures Sequence: "Only a single Item shall be included in this
    # Sequence."
    assert count("table_C.7.6.16-2", 0x00289110) == (1, 1)
    # table C.8-39 >>Referenced Brachy Application Setup Sequence: "One or more Items shall be
    # included in this Sequence."
    assert count("table_C.8-39", 0x300C000A) == (1, None)
    # table C.8-39 Referenced RT Plan Sequence: "Only a single Item shall be included in this
    # Sequence, unless Dose Summation Type (3004,000A) is MULTI_PLAN, in which case two or more
    # Items shall be included in this Sequence": one Item unless the condition holds.
    assert count("table_C.8-39", 0x300C0002) == (1, 1)
    plan = next(
        attribute(r)
        for r in tables["table_C.8-39"].rows
        if isinstance(r, AttributeRow) and attribute(r).tag.value == 0x300C0002
    )
    assert plan.item_counts == (("if Dose Summation Type (3004,000A) is MULTI_PLAN", (2, None)),)
    # table C.8-39 Dose Units: no Items at all
    assert count("table_C.8-39", 0x30040002) is None


def _cell(*sentences: str) -> docbook.Cell:
    text = " ".join(sentences)
    return docbook.Cell(text, (docbook.Paragraph(text),), (), header=False, row=0, column=3)


@pytest.mark.parametrize(
    ("sentences", "count", "cases"),
    [
        # PS3.3 2020 table C.8-39 Referenced RT Plan Sequence (300C,0002).
        (
            (
                "Only a single Item shall be included in this Sequence, unless Dose Summation "
                "Type (3004,000A) is MULTI_PLAN, in which case two or more Items shall be "
                "included in this Sequence.",
                "See Note 1.",
            ),
            (1, 1),
            (("if Dose Summation Type (3004,000A) is MULTI_PLAN", (2, None)),),
        ),
        # Table C.23.3-1 (no comma before "unless").
        (
            (
                "Only a single Item shall be included in this Sequence unless Image Box Layout "
                "Type (0072,0304) is TILED, in which case one or more Items shall be included "
                "in this Sequence.",
            ),
            (1, 1),
            (("if Image Box Layout Type (0072,0304) is TILED", (1, None)),),
        ),
        # Table C.8-119: a count for each answer of Multi-energy CT Acquisition, none otherwise.
        (
            (
                "If Multi-energy CT Acquisition (0018,9361) is YES, one or more Items shall be "
                "included in this Sequence.",
                "If Multi-energy CT Acquisition (0018,9361) is NO or is absent, only a single "
                "Item shall be included in this Sequence.",
            ),
            None,
            (
                ("if Multi-energy CT Acquisition (0018,9361) is YES", (1, None)),
                ("if Multi-energy CT Acquisition (0018,9361) is NO or is absent", (1, 1)),
            ),
        ),
        # Table C.11.33.1-1: a remark after the count leaves it as stated.
        (
            (
                "If the Threshold Type (0070,1B13) is RANGE_INCL or RANGE_EXCL, exactly two "
                "Items shall be included in this Sequence, the first of which is less than or "
                "equal to the second.",
            ),
            None,
            (("if the Threshold Type (0070,1B13) is RANGE_INCL or RANGE_EXCL", (2, 2)),),
        ),
        # Table 10.40-1: the condition after the count.
        (
            (
                "Only one Item shall be included in this Sequence if Patient Support Position "
                "Specification Method (300A,065C) equals GLOBAL.",
            ),
            None,
            (
                (
                    "if Patient Support Position Specification Method (300A,065C) equals GLOBAL",
                    (1, 1),
                ),
            ),
        ),
        # Table C.8.8.29-1: "Zero or more".
        (
            (
                "Zero or more Items shall be included in this Sequence if Beam Task Type "
                "(0074,1022) is VERIFY_AND_TREAT.",
            ),
            None,
            (("if Beam Task Type (0074,1022) is VERIFY_AND_TREAT", (0, None)),),
        ),
        # Table C.11.17-1: one or more, but several only if the condition holds.
        (
            (
                "One or more Items shall be included in this Sequence.",
                "Multiple items are only permitted if the Image Box Layout Type (0072,0304) has a "
                "value of VOLUME_CINE.",
            ),
            (1, 1),
            (("if the Image Box Layout Type (0072,0304) has a value of VOLUME_CINE", (1, None)),),
        ),
        # Table C.2-3: a sentence that states no count ("If more than one Item is present, each
        # Item represents the same information …").
        (
            (
                "One or more Items are permitted in this Sequence.",
                "If more than one Item is present, each Item represents the same information but "
                "encoded using a different coding scheme.",
            ),
            (1, None),
            (),
        ),
    ],
)
def test_item_counts_under_a_condition(
    sentences: tuple[str, ...],
    count: tuple[int, int | None] | None,
    cases: tuple[tuple[str, tuple[int, int | None]], ...],
) -> None:
    found = part03.item_counts(_cell(*sentences))
    assert (found.count, found.cases, found.unread) == (count, cases, ())


def test_an_item_count_under_a_condition_not_read_is_named() -> None:
    # A count under a condition in wording none of the forms reads: no count, the sentence named.
    sentence = "When the plan is approved two Items shall be included in this Sequence"
    found = part03.item_counts(_cell(sentence + "."))
    assert (found.count, found.cases, found.unread) == (None, (), (sentence,))


@pytest.mark.standard
def test_values_listed_in_the_section_a_description_points_to() -> None:
    tables = real()[0].tables

    def values(table: str, tag: int) -> tuple[ValueList, ...]:
        found = [
            attribute(r).values
            for r in tables[table].rows
            if isinstance(r, AttributeRow) and attribute(r).tag.value == tag
        ]
        return found[0]

    # table C.8-131 Volumetric Properties: "See Section C.8.16.2.1.2"; there, "Table C.8-133
    # specifies the Enumerated Values for Volumetric Properties (0008,9206)"
    assert values("table_C.8-131", 0x00089206) == (
        ValueList("enumerated", ("VOLUME", "SAMPLED", "DISTORTED", "MIXED")),
    )
    # table C.7-5a Modality: "See Section C.7.3.1.1.1 for Defined Terms"; its "Defined Terms:"
    # list and, extending it, its "Retired Defined Terms:" (CD, DD …)
    (modality,) = values("table_C.7-5a", 0x00080060)
    assert modality.kind == "defined"
    assert {"CT", "RTDOSE", "XA", "CD", "DD"} <= set(modality.values)
    # table C.8-39 Bits Allocated: "See C.8.8.3.4.3 for specialization": the IOD's
    # specialization, not the RT Dose Module's row, carries those values
    assert values("table_C.8-39", 0x00280100) == ()
