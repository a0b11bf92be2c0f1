"""The passes (codegen/passes): errata, duplicate tags, include expansion, IODs and SOP Classes.

Each pass runs on the synthetic PS3.3 fixtures (``fixtures/part03_<quirk>``) or on model objects
built here, with a small dictionary written here from PS3.6; then on the real 2016c excerpt,
whose golden values were read by hand from the XML (table and row named next to each).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import attrs
import pytest
from lxml import etree

from dicomstd.codegen import docbook, inputs, part03, part06, pipeline, resolve
from dicomstd.codegen.diagnostics import InputError, Severity
from dicomstd.codegen.model import (
    Attribute,
    AttributeRow,
    AttributeTable,
    AttributeType,
    DataElementEntry,
    Erratum,
    IncludeRow,
    Iod,
    Module,
    Part03,
    Part04,
    Part06,
    PartInfo,
    PlaceholderRow,
    SopClass,
    Standard,
    TagSpec,
    Usage,
)
from dicomstd.codegen.passes import duplicates, errata, expand, iods
from tests.codegen.support import NS, fixture, raw_text
from tests.conftest import require_part


# -- a dictionary written from PS3.6 (tag, keyword, VR, VM) --------------------------------------
def entry(tag: str, keyword: str, vr: str, vm: str = "1") -> DataElementEntry:
    spec = TagSpec.parse(tag)
    assert spec is not None
    return DataElementEntry(spec, keyword, keyword, (vr,), vr, vm, False, "", "table_6-1", 0)


DICTIONARY = (
    entry("(0008,0100)", "CodeValue", "SH"),
    entry("(0008,0104)", "CodeMeaning", "LO"),
    entry("(0008,1140)", "ReferencedImageSequence", "SQ"),
    entry("(0008,1150)", "ReferencedSOPClassUID", "UI"),
    entry("(0008,1155)", "ReferencedSOPInstanceUID", "UI"),
    entry("(0008,1160)", "ReferencedFrameNumber", "IS", "1-n"),
    entry("(0008,1199)", "ReferencedSOPSequence", "SQ"),
    entry("(0010,0010)", "PatientName", "PN"),
    entry("(0010,0020)", "PatientID", "LO"),
    entry("(0010,0040)", "PatientSex", "CS"),
    entry("(0018,0010)", "ContrastBolusAgent", "LO"),
    entry("(0020,0013)", "InstanceNumber", "IS"),
    entry("(0020,9071)", "FrameAnatomySequence", "SQ"),
    entry("(0020,9072)", "FrameLaterality", "CS"),
    entry("(0020,9111)", "FrameContentSequence", "SQ"),
    entry("(0020,9156)", "FrameAcquisitionNumber", "US"),
    entry("(0028,0030)", "PixelSpacing", "DS", "2"),
    entry("(0028,9110)", "PixelMeasuresSequence", "SQ"),
    entry("(0040,A010)", "RelationshipType", "CS"),
    entry("(0040,A170)", "PurposeOfReferenceCodeSequence", "SQ"),
    entry("(0040,A730)", "ContentSequence", "SQ"),
    entry("(0062,000B)", "ReferencedSegmentNumber", "US", "1-n"),
    entry("(0400,0550)", "ModifiedAttributesSequence", "SQ"),
    entry("(0400,0561)", "OriginalAttributesSequence", "SQ"),
    entry("(5200,9229)", "SharedFunctionalGroupsSequence", "SQ"),
    entry("(5200,9230)", "PerFrameFunctionalGroupsSequence", "SQ"),
    # (0020,000D) Study Instance UID is left out on purpose: an attribute the dictionary lacks
)


def parsed(quirk: str) -> tuple[Part03, PartInfo]:
    path = fixture(f"part03_{quirk}", 3)
    document = docbook.load(path, expect_part=3)
    info = PartInfo(3, str(path), document.edition, document.part_title, "0" * 64)
    return part03.parse(document), info


def standard(
    quirk: str,
    *,
    dictionary: tuple[DataElementEntry, ...] = DICTIONARY,
    sop_classes: Part04 | None = None,
    errata_: tuple[Erratum, ...] = (),
) -> Standard:
    part, info = parsed(quirk)
    return Standard(
        parts=(info,),
        part03=part,
        part04=sop_classes,
        part06=Part06(dictionary, (), {}),
        errata=errata_,
    )


@functools.cache
def resolved(quirk: str) -> Standard:
    return resolve.resolve(standard(quirk))


def module(result: Standard, source: str) -> Module:
    return next(m for m in result.modules if m.source == source)


def shape(attributes: tuple[Attribute, ...]) -> list[object]:
    """Keyword (or placeholder kind) of each attribute, with the shape of its items after it."""
    out: list[object] = []
    for attribute in attributes:
        out.append(attribute.keyword or attribute.kind)
        if attribute.items:
            out.append(shape(attribute.items))
    return out


def located(result: Standard, code: str) -> list[tuple[str | None, int | None, Severity]]:
    return [(d.table, d.row, d.severity) for d in result.diagnostics if d.code == code]


# -- expand: Include rows ------------------------------------------------------------------------
def test_includes_at_every_depth_land_at_that_depth() -> None:
    result = resolved("include_depths")
    depth = module(result, "table_C.1-1")
    assert depth.key == "depth_module"
    assert shape(depth.attributes) == [
        "PatientName",
        "CodeValue",
        "CodeMeaning",
        "ReferencedImageSequence",
        [
            "ReferencedSOPClassUID",
            "ReferencedSOPInstanceUID",
            "PurposeOfReferenceCodeSequence",
            ["CodeValue", "CodeMeaning"],
        ],
        "attribute",  # (0020,000D) is not in this dictionary: kept, no keyword
        "ContrastBolusAgent",
    ]
    code_value = depth.attributes[1]
    assert (code_value.source, code_value.row, code_value.type) == (
        "table_C.2-1",
        1,
        AttributeType.TYPE_1,
    )
    nested = depth.attributes[3].items[2].items[0]
    assert (nested.keyword, nested.source, nested.vrs) == ("CodeValue", "table_C.2-1", ("SH",))
    agent = depth.attributes[5]
    assert agent.include_condition == "if and only if the image was acquired with contrast"
    assert all(a.include_condition is None for a in depth.attributes[:5])
    assert [d for d in result.diagnostics if d.severity is Severity.WARNING] == [
        d for d in result.diagnostics if d.code == "not-in-dictionary"
    ]


def test_attributes_the_dictionary_lacks_are_kept_with_ps33_name_and_tag() -> None:
    result = resolved("include_depths")
    study = module(result, "table_C.1-1").attributes[4]
    assert (study.kind, study.name, study.tag, study.keyword) == (
        "attribute",
        "Study Instance UID",
        TagSpec(0x0020000D),
        "",
    )
    assert (study.in_dictionary, study.vrs, study.vm, study.type) == (
        False,
        (),
        "",
        AttributeType.TYPE_1,
    )
    assert result.unknown_attributes == (("(0020,000D)", "Study Instance UID"),)
    assert located(result, "not-in-dictionary") == [("table_C.1-1", 7, Severity.WARNING)]


def test_a_cycle_of_includes_stops_at_a_placeholder_and_is_reported() -> None:
    result = resolved("include_cycle")
    assert expand.recursive_includes(result.part03 or parsed("include_cycle")[0]) == {
        ("table_C.1-1", "table_C.2-1"),
        ("table_C.2-1", "table_C.1-1"),
        ("table_C.3-1", "table_C.3-1"),
    }
    alpha, beta = module(result, "table_C.1-1"), module(result, "table_C.2-1")
    assert shape(alpha.attributes) == ["CodeValue", "include-cycle"]
    assert shape(beta.attributes) == ["CodeMeaning", "include-cycle"]
    assert (alpha.attributes[1].target, beta.attributes[1].target) == ("table_C.2-1", "table_C.1-1")
    # the recursive SR pattern: a macro including itself in the items of its sequence
    content = module(result, "table_C.3-1")
    assert shape(content.attributes) == ["ContentSequence", ["RelationshipType", "include-cycle"]]
    back = content.attributes[0].items[1]
    assert (back.target, back.include_condition, back.tag) == (
        "table_C.3-1",
        "if the child is included by value",
        None,
    )
    # at the top level an endless recursion (warning); inside items a recursive structure (info)
    assert located(result, "include-cycle") == [
        ("table_C.1-1", 2, Severity.WARNING),
        ("table_C.2-1", 2, Severity.WARNING),
        ("table_C.3-1", 3, Severity.INFO),
    ]
    holder = module(result, "table_C.4-1")
    assert shape(holder.attributes) == [
        "PatientID",
        "CodeValue",
        "include-cycle",
        "ContentSequence",
        ["RelationshipType", "include-cycle"],
    ]


def test_an_include_of_a_missing_table_leaves_a_placeholder() -> None:
    result = resolved("unresolved")
    gap = module(result, "table_C.1-1")
    assert shape(gap.attributes) == ["PatientID", "unresolved-include", "PatientSex"]
    hole = gap.attributes[1]
    assert (hole.target, hole.name, hole.source, hole.row) == (
        "table_10-99",
        "Include Table 10-99",
        "table_C.1-1",
        2,
    )
    assert located(result, "unresolved-include") == [("table_C.1-1", 2, Severity.WARNING)]
    assert gap.attributes[2].condition == (
        "Required if the subject is described in Section C.9.9.9."
    )


def test_rows_after_an_include_go_into_the_included_macros_last_sequence() -> None:
    result = resolved("image_reference")
    image_reference = module(result, "table_C.3-1")
    assert shape(image_reference.attributes) == [
        "ReferencedSOPSequence",
        [
            "ReferencedSOPClassUID",
            "ReferencedSOPInstanceUID",
            "ReferencedFrameNumber",
            "ReferencedSegmentNumber",
        ],
    ]
    frame = image_reference.attributes[0].items[2]
    assert (frame.source, frame.row, frame.type) == ("table_C.3-1", 2, AttributeType.TYPE_1C)
    # the Composite Object Reference Macro itself is unchanged by what includes it
    assert shape(module(result, "table_C.2-1").attributes) == [
        "ReferencedSOPSequence",
        ["ReferencedSOPClassUID", "ReferencedSOPInstanceUID"],
    ]
    assert located(result, "depth-jump") == []


def test_rows_nested_under_an_attribute_that_is_no_sequence_are_reported_where_they_are() -> None:
    result = resolved("image_reference")
    flat = module(result, "table_C.4-1")
    assert shape(flat.attributes) == [
        "PatientID",
        "ReferencedSOPClassUID",
        "ReferencedSOPInstanceUID",
        ["ReferencedFrameNumber"],
    ]
    # table C.4-1 row 3 and table C.5-1 row 3 are the rows nested under a UI attribute
    assert sorted(located(result, "items-under-non-sequence")) == [
        ("table_C.4-1", 3, Severity.WARNING),
        ("table_C.5-1", 3, Severity.WARNING),
    ]


def test_any_attribute_rows_become_placeholders_and_headings_are_dropped() -> None:
    result = resolved("any_attribute")
    original = module(result, "table_C.1-1")
    assert shape(original.attributes) == [
        "OriginalAttributesSequence",
        ["ModifiedAttributesSequence", ["any-attribute"]],
        "PatientID",
        "any-attribute",
    ]
    nested = original.attributes[0].items[0].items[0]
    assert (nested.name, nested.type, nested.tag) == (
        "Any Attribute from the main data set that was modified or removed.",
        AttributeType.TYPE_1,
        None,
    )
    assert located(result, "heading-row") == [("table_C.1-1", 1, Severity.INFO)]


# -- iods: modules, functional groups, SOP Classes -------------------------------------------------
def test_functional_group_macros_land_in_the_items_of_both_sequences() -> None:
    result = resolved("functional_groups")
    (iod,) = result.iods
    assert (iod.key, iod.name, iod.source) == (
        "enhanced_ct_image",
        "Enhanced CT Image",
        "table_A.38-1",
    )
    assert [(g.name, g.usage, g.condition, g.module) for g in iod.functional_groups] == [
        ("Pixel Measures", Usage.MANDATORY, None, "pixel_measures_macro"),
        ("Frame Content", Usage.MANDATORY, None, "frame_content_macro"),
        (
            "Frame Anatomy",
            Usage.CONDITIONAL,
            "Required if the frames show anatomy.",
            "frame_anatomy_macro",
        ),
    ]
    assert [(m.name, m.module) for m in iod.modules] == [
        ("Patient", "patient_module"),
        (
            "Multi-frame Functional Groups",
            "multi_frame_functional_groups_module__enhanced_ct_image",
        ),
    ]
    special = next(m for m in result.modules if m.key == iod.modules[1].module)
    groups = ["PixelMeasuresSequence", ["PixelSpacing"], "FrameContentSequence"]
    groups += [["FrameAcquisitionNumber"], "FrameAnatomySequence", ["FrameLaterality"]]
    assert shape(special.attributes) == [
        "SharedFunctionalGroupsSequence",
        groups,
        "PerFrameFunctionalGroupsSequence",
        groups,
        "InstanceNumber",
    ]
    shared = special.attributes[0].items
    assert [a.functional_group for a in shared] == [
        "Pixel Measures",
        "Frame Content",
        "Frame Anatomy",
    ]
    spacing = shared[0].items[0]
    assert (spacing.type, spacing.condition) == (
        AttributeType.TYPE_1C,
        "Required if Volumetric Properties (0008,9206) is other than DISTORTED.",
    )
    # the module as PS3.3 prints it keeps its placeholders, for other IODs
    plain = module(result, "table_C.7.6.16-1")
    assert plain.key == "multi_frame_functional_groups_module"
    assert shape(plain.attributes) == [
        "SharedFunctionalGroupsSequence",
        ["functional-groups"],
        "PerFrameFunctionalGroupsSequence",
        ["functional-groups"],
        "InstanceNumber",
    ]
    assert located(result, "functional-groups-not-placed") == []


def test_functional_group_macros_without_a_place_are_reported() -> None:
    base = standard("functional_groups")
    assert base.part03 is not None
    table = base.part03.tables["table_C.7.6.16-1"]
    kept = tuple(r for r in table.rows if not isinstance(r, PlaceholderRow))
    tables = dict(base.part03.tables, **{table.id: attrs.evolve(table, rows=kept)})
    result = resolve.resolve(attrs.evolve(base, part03=attrs.evolve(base.part03, tables=tables)))
    assert located(result, "functional-groups-not-placed") == [
        ("table_A.38-1", None, Severity.WARNING)
    ]
    assert result.iods[0].modules[1].module == "multi_frame_functional_groups_module"


def test_a_module_reference_without_a_table_is_reported_and_left_unresolved() -> None:
    result = resolved("unresolved")
    (iod,) = result.iods
    assert [(m.name, m.usage, m.condition, m.module) for m in iod.modules] == [
        ("Gap", Usage.CONDITIONAL, "Required if Section C.9.9.9 is present.", "gap_module"),
        ("Missing", Usage.USER_OPTION, None, None),
    ]
    assert located(result, "module-not-found") == [("table_A.91-1", 2, Severity.WARNING)]


def test_sop_classes_attach_to_the_iod_of_their_section_or_are_reported() -> None:
    sop_classes = Part04(
        (
            SopClass("Depth Storage", "1.2.3.40", "sect_A.90", "A.90", "table_B.5-1", 1),
            SopClass("Depth Storage Too", "1.2.3.5", "sect_A.90", "A.90", "table_B.5-1", 2),
            SopClass("Elsewhere Storage", "1.2.3.6", "sect_A.99", "A.99", "table_B.5-1", 3),
        ),
        {},
    )
    result = resolve.resolve(standard("include_depths", sop_classes=sop_classes))
    (iod,) = result.iods
    # sorted by UID component numbers, not as text
    assert iod.sop_classes == (("1.2.3.5", "Depth Storage Too"), ("1.2.3.40", "Depth Storage"))
    assert [
        (d.file, d.table, d.row) for d in result.diagnostics if d.code == "sop-class-iod-absent"
    ] == [("part04.xml", "table_B.5-1", 3)]
    assert located(resolved("include_depths"), "iod-without-sop-class") == []  # no PS3.4 given
    alone = resolve.resolve(standard("include_depths", sop_classes=Part04((), {})))
    assert located(alone, "iod-without-sop-class") == [("table_A.90-1", None, Severity.INFO)]


def test_iod_keys_stay_unique() -> None:
    base = standard("include_depths")
    assert base.part03 is not None
    twin = attrs.evolve(base.part03.iods[0], id="table_A.90-2")
    part = attrs.evolve(base.part03, iods=(*base.part03.iods, twin))
    result = iods.run(expand.run(attrs.evolve(base, part03=part)))
    assert sorted(i.key for i in result.iods) == ["depth_test", "depth_test_a_90_2"]


# -- duplicates --------------------------------------------------------------------------------
def attribute_row(depth: int, tag: int, row: int, name: str = "X") -> AttributeRow:
    return AttributeRow(depth, name, TagSpec(tag), AttributeType.TYPE_3, "3", "", None, (), row)


def with_tables(*tables: AttributeTable) -> Standard:
    info = PartInfo(3, "part03.xml", "2099a", "Information Object Definitions", "0" * 64)
    part = Part03({t.id: t for t in tables}, (), {}, {}, {})
    return Standard(parts=(info,), part03=part)


def test_the_same_tag_twice_at_one_level_is_reported() -> None:
    table = AttributeTable(
        "table_X-1",
        "X Module Attributes",
        "X Module",
        "module",
        None,
        (
            attribute_row(0, 0x00100020, 1, "Patient ID"),
            attribute_row(0, 0x00101002, 2),
            attribute_row(1, 0x00100020, 3, "Patient ID"),  # in the items: fine
            attribute_row(1, 0x00100022, 4),
            IncludeRow(1, "table_Y-1", "", "", None, 5),
            attribute_row(0, 0x00100040, 6),
            attribute_row(0, 0x00101100, 7),  # another sequence: its items are a new level
            attribute_row(1, 0x00100022, 8),
            attribute_row(0, 0x00100020, 9, "Patient ID"),  # twice at the top level
        ),
    )
    result = duplicates.run(with_tables(table))
    assert [(d.table, d.row, d.severity) for d in result.diagnostics] == [
        ("table_X-1", 9, Severity.WARNING)
    ]
    assert "(0010,0020) Patient ID is also row 1 at the same level" in result.diagnostics[0].message


def test_no_duplicates_no_diagnostics() -> None:
    table = AttributeTable(
        "table_X-1", "c", "X Module", "module", None, (attribute_row(0, 0x00100020, 1),)
    )
    standard_ = with_tables(table)
    assert duplicates.run(standard_) is standard_


# -- errata ------------------------------------------------------------------------------------
def nest_table() -> AttributeTable:
    return AttributeTable(
        "table_C.12-1",
        "SOP Common Module Attributes",
        "SOP Common Module",
        "module",
        None,
        (
            attribute_row(0, 0x00080123, 1),
            attribute_row(0, 0x0008010F, 2),
            attribute_row(0, 0x00080105, 3),
            attribute_row(0, 0x00080124, 4),
            attribute_row(0, 0x00080105, 5),
        ),
    )


NEST = Erratum(
    "table_C.12-1", ("2099a",), "nest", "lost > marks", after="(0008,0123)",
    tags=("(0008,010F)", "(0008,0105)"),
)  # fmt: skip


def test_a_nest_erratum_moves_the_rows_into_the_items_and_is_reported() -> None:
    base = attrs.evolve(with_tables(nest_table()), errata=(NEST,))
    result = errata.run(base)
    assert result.part03 is not None
    depths = [r.depth for r in result.part03.tables["table_C.12-1"].rows]
    assert depths == [0, 1, 1, 0, 0]
    (note,) = result.diagnostics
    assert (note.code, note.table, note.severity) == (
        "erratum-applied",
        "table_C.12-1",
        Severity.INFO,
    )
    assert "(0008,0123): (0008,010F), (0008,0105) nested" in note.message
    assert "lost > marks" in note.message
    # and then the duplicate tag is gone
    assert located(duplicates.run(result), "duplicate-tag-at-level") == []
    assert located(duplicates.run(base), "duplicate-tag-at-level") == [
        ("table_C.12-1", 5, Severity.WARNING)
    ]


def test_an_erratum_that_does_not_match_is_reported_and_changes_nothing() -> None:
    wrong = attrs.evolve(NEST, tags=("(0008,0105)", "(0008,010F)"))  # not in this order
    missing = attrs.evolve(NEST, table="table_C.99-1")
    drop = Erratum("table_C.12-1", ("2099a",), "drop-include", "r", target="table_10-18")
    base = attrs.evolve(with_tables(nest_table()), errata=(wrong, missing, drop))
    result = errata.run(base)
    assert result.part03 is not None and base.part03 is not None
    assert result.part03.tables == base.part03.tables
    assert [(d.code, d.table, d.severity) for d in result.diagnostics] == [
        ("erratum-does-not-match", "table_C.12-1", Severity.WARNING),
        ("erratum-does-not-match", "table_C.99-1", Severity.WARNING),
        ("erratum-does-not-match", "table_C.12-1", Severity.WARNING),
    ]
    assert "the rows after (0008,0123) are not" in result.diagnostics[0].message
    assert "the table is not in this document" in result.diagnostics[1].message
    assert "no Include row of table_10-18" in result.diagnostics[2].message


def test_errata_of_other_editions_are_not_applied() -> None:
    other = attrs.evolve(NEST, editions=("2016c",))
    base = attrs.evolve(with_tables(nest_table()), errata=(other,))
    result = errata.run(base)
    assert result.diagnostics == ()
    assert result.part03 == base.part03


def test_a_drop_include_erratum_removes_the_row() -> None:
    table = AttributeTable(
        "table_10-18",
        "c",
        "Issuer Macro",
        "macro",
        None,
        (
            attribute_row(0, 0x00400036, 1),
            IncludeRow(1, "table_10-17", "", "", None, 2),
            IncludeRow(1, "table_10-18", "", "", None, 3),
        ),
    )
    drop = Erratum("table_10-18", ("2099a",), "drop-include", "recursion", target="table_10-18")
    result = errata.run(attrs.evolve(with_tables(table), errata=(drop,)))
    assert result.part03 is not None
    assert [r.row for r in result.part03.tables["table_10-18"].rows] == [1, 2]
    assert [d.code for d in result.diagnostics] == ["erratum-applied"]


def test_the_errata_file_loads_and_bad_files_are_refused(tmp_path: Path) -> None:
    loaded = errata.load()
    assert [(e.table, e.action, e.editions) for e in loaded] == [
        ("table_C.12-1", "nest", ("2016c",)),
        ("table_C.12-1", "nest", ("2016c",)),
        ("table_10-18", "drop-include", ("2016c",)),
    ]
    assert loaded[0].tags == ("(0008,010F)", "(0008,0117)", "(0008,0105)", "(0008,0106)")
    assert errata.load(tmp_path / "absent.toml") == ()
    bad = tmp_path / "bad.toml"
    bad.write_text('[[erratum]]\ntable = "t"\neditions = ["x"]\naction = "rename"\nreason = "r"\n')
    with pytest.raises(InputError, match="erratum 1: unknown action 'rename'"):
        errata.load(bad)
    bad.write_text('[[erratum]]\ntable = "t"\naction = "nest"\nreason = "r"\n')
    with pytest.raises(InputError, match="erratum 1"):
        errata.load(bad)
    bad.write_text("[[erratum\n")
    with pytest.raises(InputError, match="not valid TOML"):
        errata.load(bad)


# -- the real PS3.3 2016c excerpt --------------------------------------------------------------
@functools.cache
def real() -> Standard:
    for number, pin in inputs.read_pins().items():
        require_part(pin.edition, number)
    return pipeline.build(inputs.resolve({}, inputs.read_pins()))


@functools.cache
def real_without_errata() -> Standard:
    """PS3.3 2016c and PS3.6 2015b parsed, then resolved with no erratum."""
    path03, path06 = require_part("2016c", 3), require_part("2015b", 6)
    document03 = docbook.load(path03, expect_part=3)
    document06 = docbook.load(path06, expect_part=6)
    parts = tuple(
        PartInfo(d.part, str(p), d.edition, d.part_title, "0" * 64)
        for d, p in ((document03, path03), (document06, path06))
    )
    base = Standard(
        parts=parts,
        part03=part03.parse(document03),
        part06=part06.parse(document06),
        errata=(),
    )
    return resolve.resolve(base)


def real_module(result: Standard, source: str) -> Module:
    return module(result, source)


def at_level(attributes: tuple[Attribute, ...], tag: int) -> list[Attribute]:
    return [a for a in attributes if a.tag is not None and a.tag.value == tag]


@pytest.mark.standard
def test_without_the_errata_sop_common_has_a_duplicate_tag() -> None:
    result = real_without_errata()
    # table C.12-1 rows 21 and 24: Mapping Resource (0008,0105), both printed without '>'
    assert located(result, "duplicate-tag-at-level") == [("table_C.12-1", 24, Severity.WARNING)]
    message = next(d.message for d in result.diagnostics if d.code == "duplicate-tag-at-level")
    assert message.startswith("(0008,0105) Mapping Resource is also row 21 at the same level")
    sop_common = real_module(result, "table_C.12-1")
    assert len(at_level(sop_common.attributes, 0x00080105)) == 2
    # table 10-18 row 8: >>Include of table 10-18 inside Assigning Facility Sequence
    assert ("table_10-18", 8, Severity.INFO) in located(result, "include-cycle")
    assert located(result, "erratum-applied") == []


@pytest.mark.standard
def test_with_the_errata_they_are_applied_and_reported() -> None:
    result = real()
    assert located(result, "erratum-applied") == [
        ("table_C.12-1", None, Severity.INFO),
        ("table_C.12-1", None, Severity.INFO),
        ("table_10-18", None, Severity.INFO),
    ]
    assert located(result, "duplicate-tag-at-level") == []
    assert located(result, "erratum-does-not-match") == []
    sop_common = real_module(result, "table_C.12-1")
    assert at_level(sop_common.attributes, 0x00080105) == []
    (groups,) = at_level(sop_common.attributes, 0x00080123)
    # table C.12-1 rows 19-22: Context Identifier 1, Context UID 3, Mapping Resource 1,
    # Context Group Version 1
    assert [(a.tag.value if a.tag else 0, a.type) for a in groups.items] == [
        (0x0008010F, AttributeType.TYPE_1),
        (0x00080117, AttributeType.TYPE_3),
        (0x00080105, AttributeType.TYPE_1),
        (0x00080106, AttributeType.TYPE_1),
    ]
    (resources,) = at_level(sop_common.attributes, 0x00080124)
    assert [a.tag.value if a.tag else 0 for a in resources.items] == [
        0x00080105,
        0x00080118,
        0x00080122,
    ]
    issuer = real_module(result, "table_10-18")
    facility = issuer.attributes[1].items[3]
    assert facility.tag == TagSpec(0x00400036)
    assert [a.kind for a in facility.items] == ["attribute"] * len(facility.items)
    assert ("table_10-18", 8, Severity.INFO) not in located(result, "include-cycle")


@pytest.mark.standard
def test_the_recursive_sr_pattern_of_the_real_document() -> None:
    result = real()
    # table C.17-6 row 5: ">Include Table C.17-6 ... if the Target Content Item is included
    # by-value in the Source Content Item"
    assert located(result, "include-cycle") == [("table_C.17-6", 5, Severity.INFO)]
    relationship = real_module(result, "table_C.17-6")
    (content,) = at_level(relationship.attributes, 0x0040A730)
    cycle = [a for a in content.items if a.kind == "include-cycle"]
    assert [(a.target, a.row) for a in cycle] == [("table_C.17-6", 5)]
    assert cycle[0].include_condition is not None
    assert cycle[0].include_condition.startswith("if the Target Content Item is included by-value")


@pytest.mark.standard
def test_the_three_missing_tables_leave_placeholders() -> None:
    result = real()
    holes = {
        (a.source, a.row, a.target)
        for m in result.modules
        for a in m.attributes
        if a.kind == "unresolved-include"
    }
    assert holes == {
        ("table_C.7.6.20-1", 1, "table_10-15"),
        ("table_C.8.19.2-1", 38, "table_10.41-1"),
        ("table_C.8.19.5-1", 1, "table_C.8-71b"),
    }
    assert sorted(located(result, "unresolved-include")) == [
        ("table_C.7.6.20-1", 1, Severity.WARNING),
        ("table_C.8.19.2-1", 38, Severity.WARNING),
        ("table_C.8.19.5-1", 1, Severity.WARNING),
    ]


def ps36_tags() -> list[tuple[int, int]]:
    """(value, mask) of every tag of PS3.6 2015b tables 6-1, 7-1 and 8-1, read with XPath."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    tree = etree.parse(str(require_part("2015b", 6)), parser)
    out: list[tuple[int, int]] = []
    for table in ("table_6-1", "table_7-1", "table_8-1"):
        cells = tree.xpath("//d:table[@xml:id=$t]/d:tbody/d:tr/d:td[1]", namespaces=NS, t=table)
        assert isinstance(cells, list)
        for cell in cells:
            assert isinstance(cell, etree._Element)
            match = re.fullmatch(r"\(([0-9A-Fa-fx]{4}),([0-9A-Fa-fx]{4})\)", raw_text(cell))
            if match:
                digits = (match.group(1) + match.group(2)).upper().replace("X", "x")
                value = int(digits.replace("x", "0"), 16)
                mask = int("".join("0" if d == "x" else "F" for d in digits), 16)
                out.append((value, mask))
    return out


def ps33_tags() -> dict[int, str]:
    """Tag -> name (first use) of every attribute row of PS3.3 2016c, read with XPath."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=True, collect_ids=False
    )
    tree = etree.parse(str(require_part("2016c", 3)), parser)
    rows = tree.xpath(
        "//d:table[normalize-space(d:thead/d:tr[1]/*[1])='Attribute Name']/d:tbody/d:tr",
        namespaces=NS,
    )
    assert isinstance(rows, list)
    out: dict[int, str] = {}
    for tr in rows:
        assert isinstance(tr, etree._Element)
        if len(tr) < 3:
            continue
        match = re.fullmatch(r"\(([0-9A-Fa-f]{4}),([0-9A-Fa-f]{4})\)", raw_text(tr[1]))
        if match:
            out.setdefault(int(match.group(1) + match.group(2), 16), raw_text(tr[0]).lstrip("> "))
    return out


@pytest.mark.standard
def test_the_attributes_the_2015b_dictionary_lacks() -> None:
    known = ps36_tags()
    lacking = {
        tag: name
        for tag, name in ps33_tags().items()
        if not any(tag & mask == value for value, mask in known)
    }
    assert len(lacking) == 51
    # read by hand: table C.7-1 rows 5-7, table C.12-1 rows 18 and 23, table C.7.6.16-1 row 9
    for tag in (0x00100033, 0x00100034, 0x00100035, 0x00080123, 0x00080124, 0x00220028):
        assert tag in lacking
    result = real()
    listed = {int(tag.strip("()").replace(",", ""), 16) for tag, _ in result.unknown_attributes}
    assert listed == set(lacking)
    names = dict(result.unknown_attributes)
    assert names["(0010,0033)"] == "Patient's Birth Date in Alternative Calendar"
    assert names["(0008,0123)"] == "Context Group Identification Sequence"
    assert names["(0022,0028)"] == "Stereo Pairs Present"
    assert len(located(result, "not-in-dictionary")) == 51
    patient = real_module(result, "table_C.7-1")
    (calendar,) = at_level(patient.attributes, 0x00100035)
    assert (calendar.in_dictionary, calendar.keyword, calendar.vrs, calendar.vm) == (
        False,
        "",
        (),
        "",
    )
    assert (calendar.name, calendar.type) == (
        "Patient's Alternative Calendar",
        AttributeType.TYPE_1C,
    )


@pytest.mark.standard
def test_enhanced_ct_functional_groups_in_the_model() -> None:
    result = real()
    enhanced = next(i for i in result.iods if i.source == "table_A.38-1")
    assert len(enhanced.functional_groups) == 24
    groups = next(m for m in enhanced.modules if m.name == "Multi-frame Functional Groups")
    assert groups.module == "multi_frame_functional_groups_module__enhanced_ct_image"
    special = next(m for m in result.modules if m.key == groups.module)
    (shared,) = at_level(special.attributes, 0x52009229)
    (measures,) = at_level(shared.items, 0x00289110)
    assert measures.functional_group == "Pixel Measures"
    (spacing,) = at_level(measures.items, 0x00280030)
    assert (spacing.keyword, spacing.type, spacing.vrs, spacing.vm) == (
        "PixelSpacing",
        AttributeType.TYPE_1C,
        ("DS",),
        "2",
    )
    assert all(a.kind != "functional-groups" for a in shared.items)
    xa = next(i for i in result.iods if i.source == "table_A.47-1")
    assert isinstance(xa, Iod)
    assert len(xa.functional_groups) == 27
