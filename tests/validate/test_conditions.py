"""Evaluation of condition trees on pydicom data sets: presence, values, scopes, Kleene logic."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pydicom
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydicom import Dataset, FileMetaDataset
from pydicom.data import get_charset_files, get_testdata_file
from pydicom.sequence import Sequence

from dicomstd import conditions, validate
from dicomstd.conditions import (
    All,
    Any,
    Compare,
    Condition,
    Count,
    Equals,
    ExtendedCharacters,
    Facts,
    HasCode,
    HasValue,
    InItems,
    IodRequires,
    ItemPosition,
    ModulePresent,
    Node,
    Not,
    PointsToPrivate,
    Present,
    Scoped,
    Unverifiable,
    Varies,
    describe,
    evaluate,
    for_text,
    is_verifiable,
    unverifiable_parts,
)

IMAGE_TYPE = 0x00080008
FRAME_TYPE = 0x00089007
UNKNOWN = Unverifiable("contrast media was used in this image")


def image() -> Dataset:
    ds = Dataset()
    ds.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    ds.PatientName = "Doe^John"
    ds.SamplesPerPixel = 3
    ds.IntervalsAcquired = "1"
    ds.SliceThickness = "2.50"
    ds.PatientID = ""
    ds.ReferencedImageSequence = Sequence()
    ds.Modality = "CT"
    return ds


# -- presence and values ------------------------------------------------------------------------
def test_present_and_has_value() -> None:
    ds = image()
    assert evaluate(Present(IMAGE_TYPE), [ds]) is True
    assert evaluate(Present(0x00100020), [ds]) is True  # present, empty
    assert evaluate(HasValue(0x00100020), [ds]) is False
    assert evaluate(Present(0x00081140), [ds]) is True  # an empty sequence is present
    assert evaluate(HasValue(0x00081140), [ds]) is False
    assert evaluate(Present(0x7FE00010), [ds]) is False
    assert evaluate(HasValue(0x7FE00010), [ds]) is False
    ds.ReferencedImageSequence = Sequence([Dataset()])
    assert evaluate(HasValue(0x00081140), [ds]) is True


def test_padding_only_and_none_values_are_empty() -> None:
    ds = Dataset()
    ds.add_new(0x00081030, "LO", "  ")
    ds.add_new(0x00080090, "PN", None)
    ds.add_new(0x00100010, "PN", "")
    assert evaluate(HasValue(0x00081030), [ds]) is False
    assert evaluate(HasValue(0x00080090), [ds]) is False
    assert evaluate(HasValue(0x00100010), [ds]) is False
    assert evaluate(Present(0x00080090), [ds]) is True


def test_equals_any_value_and_a_given_value() -> None:
    ds = image()
    assert evaluate(Equals(IMAGE_TYPE, ("ORIGINAL", "MIXED"), 1), [ds]) is True
    assert evaluate(Equals(IMAGE_TYPE, ("PRIMARY",), 1), [ds]) is False
    assert evaluate(Equals(IMAGE_TYPE, ("PRIMARY",), 2), [ds]) is True
    assert evaluate(Equals(IMAGE_TYPE, ("AXIAL",), 3), [ds]) is True
    assert evaluate(Equals(IMAGE_TYPE, ("AXIAL",), 4), [ds]) is False  # no fourth value
    assert evaluate(Equals(IMAGE_TYPE, ("AXIAL",)), [ds]) is True  # any value
    assert evaluate(Equals(IMAGE_TYPE, ("LOCALIZER",)), [ds]) is False
    assert evaluate(Equals(0x00080060, ("CT", "MR")), [ds]) is True
    assert evaluate(Equals(0x00180015, ("HEAD",)), [ds]) is False  # absent


def test_a_single_value_is_value_1() -> None:
    ds = image()
    assert evaluate(Equals(0x00080060, ("CT",), 1), [ds]) is True
    assert evaluate(Equals(0x00080060, ("CT",), 2), [ds]) is False


def test_strings_compare_exactly_after_the_padding_is_stripped() -> None:
    ds = Dataset()
    ds.add_new(0x00080060, "CS", "CT ")
    ds.add_new(0x00282110, "CS", "01")
    assert evaluate(Equals(0x00080060, ("CT",)), [ds]) is True
    assert evaluate(Equals(0x00080060, ("ct",)), [ds]) is False  # case matters
    padded = {0x00080016: "1.2.840.10008.5.1.4.1.1.2\x00"}  # UI is padded with NUL
    assert evaluate(Equals(0x00080016, ("1.2.840.10008.5.1.4.1.1.2",)), [padded]) is True
    assert evaluate(Equals(0x00282110, ("01",)), [ds]) is True
    assert evaluate(Equals(0x00282110, ("1",)), [ds]) is False


def test_a_backslash_string_is_several_values() -> None:
    assert evaluate(Equals(IMAGE_TYPE, ("DERIVED",), 1), [{IMAGE_TYPE: "DERIVED\\SECONDARY"}])
    assert evaluate(Equals(IMAGE_TYPE, ("SECONDARY",), 2), [{IMAGE_TYPE: "DERIVED\\SECONDARY"}])


def test_person_names_compare_as_text() -> None:
    ds = image()
    assert evaluate(Equals(0x00100010, ("Doe^John",)), [ds]) is True


def test_numbers_compare_numerically_with_is_and_ds_strings() -> None:
    ds = image()
    assert evaluate(Equals(0x00181083, (1,)), [ds]) is True  # IS "1"
    assert evaluate(Equals(0x00181083, (2,)), [ds]) is False
    assert evaluate(Compare(0x00280002, ">", 1), [ds]) is True  # US 3
    assert evaluate(Compare(0x00280002, "<=", 1), [ds]) is False
    assert evaluate(Compare(0x00180050, ">=", 2.5), [ds]) is True  # DS "2.50"
    assert evaluate(Compare(0x00180050, "<", 2.5), [ds]) is False
    assert evaluate(Compare(0x00180050, "!=", 2.5), [ds]) is False
    assert evaluate(Compare(0x00180050, ">", 2), [{0x00180050: " 2.75 "}]) is True
    assert evaluate(Compare(0x00280030, ">", 0.6), [{0x00280030: ["0.5", "0.7"]}]) is True
    assert evaluate(Compare(0x00280030, ">", 0.6, 1), [{0x00280030: ["0.5", "0.7"]}]) is False


def test_a_comparison_with_a_value_that_is_not_a_number_is_unknown() -> None:
    assert evaluate(Compare(0x00280002, ">", 1), [{0x00280002: "many"}]) is None
    assert evaluate(Compare(0x00280002, ">", 1), [{}]) is False  # absent: not greater
    assert evaluate(Equals(0x00280002, (1,)), [{0x00280002: "many"}]) is False


def test_an_attribute_tag_value_equals_the_tag_it_points_to() -> None:
    ds = Dataset()
    ds.FrameIncrementPointer = [0x00181063, 0x00181065]
    assert evaluate(Equals(0x00280009, (0x00181065,)), [ds]) is True
    assert evaluate(Equals(0x00280009, (0x3004000C,)), [ds]) is False


def code_item(value: str, scheme: str, meaning: str = "") -> Dataset:
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = scheme
    item.CodeMeaning = meaning
    return item


def test_a_coded_value_is_matched_by_value_and_designator_in_any_item() -> None:
    # CT Image Module: Energy Weighting Factor is required "if one Derivation Code Sequence
    # (0008,9215) Item value is (113097, DCM, "Multi-energy proportional weighting")".
    node = HasCode(0x00089215, (("113097", "DCM"),))
    ds = Dataset()
    assert evaluate(node, [ds]) is False  # no sequence
    ds.DerivationCodeSequence = Sequence()
    assert evaluate(node, [ds]) is False  # no item
    ds.DerivationCodeSequence = Sequence([code_item("113076", "DCM", "Segmentation")])
    assert evaluate(node, [ds]) is False
    ds.DerivationCodeSequence.append(code_item("113097", "DCM", "anything: meaning not compared"))
    assert evaluate(node, [ds]) is True
    ds.DerivationCodeSequence = Sequence([code_item("113097", "99LOCAL")])  # other scheme
    assert evaluate(node, [ds]) is False
    ds.DerivationCodeSequence = Sequence([code_item("113097 ", "DCM ")])  # padding stripped
    assert evaluate(node, [ds]) is True
    either = HasCode(0x00180014, (("G-D101", "SRT"), ("G-D101", "SNM3")))
    ds.ContrastBolusAdministrationRouteSequence = Sequence([code_item("G-D101", "SNM3")])
    assert evaluate(either, [ds]) is True


def test_a_pointer_to_a_private_attribute_has_an_odd_group() -> None:
    node = PointsToPrivate(0x00209165)  # Dimension Index Pointer
    item = Dataset()
    assert evaluate(node, [item]) is False
    item.DimensionIndexPointer = 0x00209056  # Stack ID
    assert evaluate(node, [item]) is False
    item.DimensionIndexPointer = 0x00191010  # group 0019: private
    assert evaluate(node, [item]) is True
    assert evaluate(node, [{0x00209165: "00291001"}]) is True  # a tag written as hex text
    assert evaluate(node, [{0x00209165: "not a tag"}]) is None


def test_functional_group_pointer_is_required_for_a_pointer_into_a_functional_group() -> None:
    # PS3.3 Table C.7.6.17-1: Functional Group Pointer (0020,9167) "Required if the value of
    # Dimension Index Pointer (0020,9165) is the Data Element Tag of an Attribute that is
    # contained within a Functional Group Sequence." In-Stack Position Number (0020,9057) is in
    # the Frame Content Sequence (C.7.6.16.2.2); Image Type (0008,0008) is in no functional group.
    condition = conditions.for_text(
        "Required if the value of Dimension Index Pointer (0020,9165) is the Data Element Tag of "
        "an Attribute that is contained within a Functional Group Sequence."
    )
    assert condition is not None and condition.verifiable
    item = Dataset()
    item.DimensionIndexPointer = 0x00209057
    assert condition.outcome([item]) == "required"
    item.DimensionIndexPointer = 0x00080008
    assert condition.outcome([item]) == "unspecified"  # the text says nothing otherwise


def test_raw_elements_of_a_file_are_read() -> None:
    path = get_testdata_file("CT_small.dcm")
    assert path is not None
    ds = pydicom.dcmread(path)
    assert evaluate(Equals(IMAGE_TYPE, ("ORIGINAL",), 1), [ds]) is True
    assert evaluate(Compare(0x00280010, ">", 100), [ds]) is True  # Rows 128
    assert evaluate(Present(0x7FE00010), [ds]) is True


# -- scopes ---------------------------------------------------------------------------------------
def nested() -> tuple[Dataset, Dataset, Dataset]:
    """dataset > Referenced Image Sequence item > Purpose of Reference Code Sequence item."""
    top = image()
    item = Dataset()
    item.ReferencedSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    item.ImageType = ["DERIVED", "SECONDARY"]
    inner = Dataset()
    inner.CodeValue = "121311"
    item.PurposeOfReferenceCodeSequence = Sequence([inner])
    top.ReferencedImageSequence = Sequence([item])
    return inner, item, top


def test_a_reference_resolves_in_the_innermost_scope_that_holds_it() -> None:
    inner, item, top = nested()
    scopes = [inner, item, top]
    assert evaluate(Equals(0x00080100, ("121311",)), scopes) is True  # in the item itself
    assert evaluate(Equals(0x00081150, ("1.2.840.10008.5.1.4.1.1.2",)), scopes) is True
    assert evaluate(Equals(0x00080060, ("CT",)), scopes) is True  # outward, at the top
    # Image Type is in the item and at the top: the item's value counts.
    assert evaluate(Equals(IMAGE_TYPE, ("DERIVED",), 1), scopes) is True
    assert evaluate(Equals(IMAGE_TYPE, ("ORIGINAL",), 1), scopes) is False
    assert evaluate(Equals(IMAGE_TYPE, ("ORIGINAL",), 1), [top]) is True
    assert evaluate(Present(0x00081150), [top]) is False  # never looks inward


def test_dataset_scope_looks_at_the_top_level_only() -> None:
    inner, item, top = nested()
    node = Scoped(Equals(IMAGE_TYPE, ("ORIGINAL",), 1), "dataset")
    assert evaluate(node, [inner, item, top]) is True
    assert evaluate(Scoped(Present(0x00081150), "dataset"), [inner, item, top]) is False


def enhanced(frame_type_shared: bool) -> tuple[Dataset, Dataset, Dataset]:
    """An enhanced multi-frame data set: (CT Acquisition Details item, per-frame item, top)."""
    frame_type = Dataset()
    frame_type.FrameType = ["ORIGINAL", "PRIMARY", "VOLUME", "NONE"]
    details = Dataset()
    details.AcquisitionType = "SPIRAL"
    per_frame = Dataset()
    per_frame.CTAcquisitionDetailsSequence = Sequence([details])
    shared = Dataset()
    if frame_type_shared:
        shared.CTImageFrameTypeSequence = Sequence([frame_type])
    else:
        per_frame.CTImageFrameTypeSequence = Sequence([frame_type])
    top = Dataset()
    top.ImageType = ["DERIVED", "PRIMARY", "VOLUME", "NONE"]
    top.SharedFunctionalGroupsSequence = Sequence([shared])
    top.PerFrameFunctionalGroupsSequence = Sequence([per_frame])
    return details, per_frame, top


@pytest.mark.parametrize("shared", [False, True], ids=["per-frame", "shared"])
def test_frame_scope_finds_the_frames_functional_groups(shared: bool) -> None:
    scopes = list(enhanced(shared))
    original = Scoped(Equals(FRAME_TYPE, ("ORIGINAL",), 1), "frame")
    assert evaluate(original, scopes) is True
    assert evaluate(Scoped(Equals(FRAME_TYPE, ("DERIVED",), 1), "frame"), scopes) is False
    assert evaluate(Equals(FRAME_TYPE, ("ORIGINAL",), 1), scopes) is False  # not in the chain
    # Attributes of the chain itself are still found first.
    assert evaluate(Scoped(Equals(IMAGE_TYPE, ("DERIVED",), 1), "frame"), scopes) is True
    assert evaluate(Scoped(Equals(0x00189302, ("SPIRAL",)), "frame"), scopes) is True


def test_an_empty_chain_holds_nothing() -> None:
    assert evaluate(Present(IMAGE_TYPE), []) is False
    assert evaluate(Scoped(Present(IMAGE_TYPE), "dataset"), []) is False


def test_one_data_set_may_be_given_instead_of_a_chain() -> None:
    assert evaluate(Present(IMAGE_TYPE), image()) is True  # type: ignore[arg-type]


def test_plain_mappings_work_as_scopes() -> None:
    scopes: list[dict[int, object]] = [{0x00080060: "MR"}, {IMAGE_TYPE: ["ORIGINAL", "PRIMARY"]}]
    assert evaluate(
        All((Equals(0x00080060, ("MR",)), Equals(IMAGE_TYPE, ("ORIGINAL",), 1))), scopes
    )


# -- Kleene logic -----------------------------------------------------------------------------
TRUE = Present(IMAGE_TYPE)
FALSE = Present(0x7FE00010)


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        (All((TRUE, TRUE)), True),
        (All((TRUE, FALSE)), False),
        (All((FALSE, UNKNOWN)), False),
        (All((UNKNOWN, FALSE)), False),
        (All((TRUE, UNKNOWN)), None),
        (Any((FALSE, FALSE)), False),
        (Any((FALSE, TRUE)), True),
        (Any((UNKNOWN, TRUE)), True),
        (Any((FALSE, UNKNOWN)), None),
        (Not(UNKNOWN), None),
        (Not(TRUE), False),
        (Not(FALSE), True),
        (UNKNOWN, None),
        (Scoped(UNKNOWN, "frame"), None),
    ],
)
def test_kleene_logic(node: Node, expected: bool | None) -> None:
    assert evaluate(node, [image()]) is expected


def kleene_trees() -> st.SearchStrategy[Node]:
    leaves: st.SearchStrategy[Node] = st.sampled_from([TRUE, FALSE, UNKNOWN])
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            children.map(Not),
            st.lists(children, min_size=1, max_size=3).map(lambda n: All(tuple(n))),
            st.lists(children, min_size=1, max_size=3).map(lambda n: Any(tuple(n))),
        ),
        max_leaves=8,
    )


def reference(node: Node) -> float:
    """Kleene logic as numbers: 0 false, 0.5 unknown, 1 true; and is min, or is max."""
    if node is TRUE:
        return 1
    if node is FALSE:
        return 0
    if isinstance(node, Unverifiable):
        return 0.5
    if isinstance(node, Not):
        return 1 - reference(node.node)
    assert isinstance(node, (All, Any))
    values = [reference(n) for n in node.nodes]
    return min(values) if isinstance(node, All) else max(values)


@given(kleene_trees())
def test_evaluation_is_kleene_logic(node: Node) -> None:
    expected = {0: False, 0.5: None, 1: True}[reference(node)]
    assert evaluate(node, [image()]) is expected


# -- conditions -----------------------------------------------------------------------------------
def test_outcomes() -> None:
    ds = [image()]
    assert Condition(TRUE, None, "t").outcome(ds) == "required"
    assert Condition(FALSE, None, "t").outcome(ds) == "unspecified"
    assert Condition(FALSE, "may", "t").outcome(ds) == "optional"
    assert Condition(FALSE, "shall-not", "t").outcome(ds) == "forbidden"
    assert Condition(UNKNOWN, "may", "t").outcome(ds) == "unknown"
    # "May be present otherwise only if …"
    assert Condition(FALSE, "may", "t", otherwise_if=TRUE).outcome(ds) == "optional"
    assert Condition(FALSE, "may", "t", otherwise_if=FALSE).outcome(ds) == "forbidden"
    assert Condition(FALSE, "may", "t", otherwise_if=UNKNOWN).outcome(ds) == "unknown"
    assert Condition(TRUE, "may", "t", otherwise_if=FALSE).outcome(ds) == "required"
    # "Shall not be present if …"
    assert Condition(UNKNOWN, None, "t", forbidden_if=TRUE).outcome(ds) == "forbidden"
    assert Condition(UNKNOWN, None, "t", forbidden_if=FALSE).outcome(ds) == "unknown"
    assert Condition(FALSE, "may", "t", forbidden_if=UNKNOWN).outcome(ds) == "unknown"
    assert Condition(TRUE, None, "t").evaluate(ds) is True
    # A text stating only a prohibition is never required by itself.
    assert Condition(Any(()), None, "t", forbidden_if=FALSE).outcome(ds) == "unspecified"
    assert Condition(Any(()), None, "t", forbidden_if=TRUE).outcome(ds) == "forbidden"


def test_verifiability() -> None:
    partial = All((TRUE, Not(UNKNOWN)))
    assert unverifiable_parts(partial) == (UNKNOWN.text,)
    assert not is_verifiable(partial)
    assert is_verifiable(All((TRUE, Scoped(FALSE, "frame"))))
    assert Condition(TRUE, None, "t").verifiable
    assert not Condition(TRUE, None, "t", forbidden_if=UNKNOWN).verifiable


def test_nodes_check_their_arguments() -> None:
    with pytest.raises(ValueError, match="at least one value"):
        Equals(IMAGE_TYPE, ())
    with pytest.raises(ValueError, match="1-based"):
        Equals(IMAGE_TYPE, ("ORIGINAL",), 0)
    with pytest.raises(ValueError, match="at least one code"):
        HasCode(0x00089215, ())
    assert Compare(0x00280002, ">", 1) == Compare(0x00280002, ">", 1.0)


def test_describe_writes_the_standards_phrasing() -> None:
    names = {IMAGE_TYPE: "Image Type", 0x00181700: "Collimator Shape", 0x00280002: "Samples"}
    node = All(
        (
            Equals(IMAGE_TYPE, ("ORIGINAL", "MIXED"), 1),
            All((HasValue(0x00181700), Not(Equals(0x00181700, ("NONE",))))),
            Any((Not(Present(0x00280002)), Compare(0x00280002, ">", 1))),
        )
    )
    assert describe(node, names.__getitem__) == (
        "Image Type (0008,0008) Value 1 is ORIGINAL or MIXED and Collimator Shape (0018,1700) "
        "is other than NONE and (Samples (0028,0002) is not present or Samples (0028,0002) "
        "is greater than 1)"
    )
    assert describe(Equals(0x00282110, ("01",)), lambda _: "Lossy Image Compression") == (
        'Lossy Image Compression (0028,2110) is "01"'
    )
    assert describe(HasCode(0x00089215, (("113097", "DCM"),)), lambda _: "Derivation") == (
        "an Item of Derivation (0008,9215) holds (113097, DCM)"
    )
    assert describe(PointsToPrivate(0x00209165), lambda _: "Pointer") == (
        "Pointer (0020,9165) is the tag of a Private Attribute"
    )
    assert describe(Any(())) == "never (the text states no requirement)"


# -- the generated table --------------------------------------------------------------------------
@pytest.fixture
def generated_table() -> Iterator[dict[str, Condition]]:
    """A stand-in for ``dicomstd._generated.conditions``."""
    name = "dicomstd._generated.conditions"
    text = "Required if Image Type (0008,0008) Value 1 is ORIGINAL."
    table = {text: Condition(Equals(IMAGE_TYPE, ("ORIGINAL",), 1), None, text)}
    module = types.ModuleType(name)
    module.CONDITIONS = table  # type: ignore[attr-defined]
    saved = sys.modules.get(name)
    sys.modules[name] = module
    conditions._TABLE.clear()
    try:
        yield table
    finally:
        conditions._TABLE.clear()
        if saved is None:
            del sys.modules[name]
        else:
            sys.modules[name] = saved


def test_for_text_looks_the_text_up_in_the_generated_table(
    generated_table: dict[str, Condition],
) -> None:
    text = next(iter(generated_table))
    found = for_text(text)
    assert found is not None
    assert found.evaluate([image()]) is True
    assert for_text("Required if the moon is full.") is None


# -- the nodes of counts, items, frames, modules and character sets ------------------------------
def test_count_counts_values_and_items_and_an_absent_attribute_holds_none() -> None:
    # "Conceptual Volume Category Code Sequence (3010,0067) sequence contains one Item."
    ds = Dataset()
    ds.ConceptualVolumeCategoryCodeSequence = Sequence([code_item("1", "DCM")])
    one = Count(0x30100067, "==", 1)
    assert evaluate(one, [ds]) is True
    ds.ConceptualVolumeCategoryCodeSequence.append(code_item("2", "DCM"))
    assert evaluate(one, [ds]) is False
    assert evaluate(Count(0x30100067, ">", 1), [ds]) is True
    # "Mask Frame Numbers (0028,6110) specifies more than one frame (i.e., is multi-valued)."
    ds.MaskFrameNumbers = [1, 2]
    assert evaluate(Count(0x00286110, ">", 1), [ds]) is True
    ds.MaskFrameNumbers = 1
    assert evaluate(Count(0x00286110, ">", 1), [ds]) is False
    ds.add_new(0x00286110, "US", None)  # empty: no value
    assert evaluate(Count(0x00286110, "==", 0), [ds]) is True
    assert evaluate(Count(0x00701801, ">", 1), [ds]) is False  # absent


def protocol(*codes: tuple[str, str]) -> Dataset:
    """A Performed Protocol Code Sequence item whose Content Item Modifier Sequence holds
    ``codes``."""
    item = code_item("P1", "99LOCAL")
    item.ContentItemModifierSequence = Sequence([code_item(v, s) for v, s in codes])
    return item


def test_in_items_looks_in_some_or_every_item() -> None:
    # "Content Item Modifier Sequence (0040,0441) within Performed Protocol Code Sequence
    # (0040,0260) contains an Item with the value (261004008, SCT, "Diagnostic")."
    diagnostic = HasCode(0x00400441, (("261004008", "SCT"),))
    ds = Dataset()
    ds.PerformedProtocolCodeSequence = Sequence([protocol(("360156006", "SCT"))])
    some = InItems(0x00400260, diagnostic)
    every = InItems(0x00400260, diagnostic, every=True)
    assert evaluate(some, [ds]) is False
    ds.PerformedProtocolCodeSequence.append(protocol(("261004008", "SCT")))
    assert evaluate(some, [ds]) is True
    assert evaluate(every, [ds]) is False
    ds.PerformedProtocolCodeSequence = Sequence([protocol(("261004008", "SCT"))])
    assert evaluate(every, [ds]) is True
    ds.PerformedProtocolCodeSequence = Sequence()
    assert evaluate(some, [ds]) is False  # no item holds it
    assert evaluate(every, [ds]) is True  # every one of no items does
    assert evaluate(InItems(0x00400260, UNKNOWN), [image()]) is False
    ds.PerformedProtocolCodeSequence = Sequence([protocol()])
    assert evaluate(InItems(0x00400260, UNKNOWN), [ds]) is None


def plan() -> tuple[Dataset, Dataset]:
    """pydicom's rtplan.dcm: Beam Sequence > Control Point Sequence (two items, the second
    without Gantry Angle: a static beam, PS3.3 C.8.8.14.5)."""
    ds = pydicom.dcmread(get_testdata_file("rtplan.dcm"))
    return ds, ds.BeamSequence[0]


CONTROL_POINT_SEQUENCE = 0x300A0111
GANTRY_ANGLE = 0x300A011E


def test_item_position_is_the_place_of_the_item_in_its_sequence() -> None:
    # "Required for first Item of Control Point Sequence, or if Gantry Angle changes during Beam."
    ds, beam = plan()
    first, second = beam.ControlPointSequence
    node = ItemPosition("first", CONTROL_POINT_SEQUENCE)
    assert evaluate(node, [first, beam, ds]) is True
    assert evaluate(node, [second, beam, ds]) is False
    assert evaluate(ItemPosition("last"), [second, beam, ds]) is True
    assert evaluate(ItemPosition("last"), [first, beam, ds]) is False
    # An item nested deeper: the enclosing item of the Control Point Sequence counts.
    position = second.BeamLimitingDevicePositionSequence = Sequence([Dataset()])
    assert evaluate(node, [position[0], second, beam, ds]) is False
    # Not in an item of that sequence: unknown, never a guess.
    assert evaluate(node, [ds]) is None
    assert evaluate(ItemPosition("first", 0x300A03A8), [first, beam, ds]) is None


def test_a_value_changes_when_two_control_points_give_different_values() -> None:
    ds, beam = plan()
    first, second = beam.ControlPointSequence
    changes = Varies(GANTRY_ANGLE)
    # Control Point 1 does not repeat Gantry Angle: it stays (C.8.8.14.5, static delivery).
    assert evaluate(changes, [second, beam, ds]) is False
    required = Any((ItemPosition("first", CONTROL_POINT_SEQUENCE), changes))
    assert evaluate(required, [first, beam, ds]) is True
    assert evaluate(required, [second, beam, ds]) is False
    # An arc: the angle changes, so "All parameters that change at any control point of a given
    # beam shall be specified explicitly at all control points" (C.8.8.14.5).
    beam.ControlPointSequence.append(Dataset())
    beam.ControlPointSequence[2].GantryAngle = "90"
    assert evaluate(required, [second, beam, ds]) is True
    assert evaluate(Varies(GANTRY_ANGLE, CONTROL_POINT_SEQUENCE), [second, beam, ds]) is True
    # Values that are sequences are not compared; a value no item gives may be in their items.
    assert evaluate(Varies(0x300A011A), [second, beam, ds]) is None
    assert evaluate(Varies(0x300A0118), [second, beam, ds]) is None  # Wedge Position
    assert evaluate(changes, [ds]) is None
    # Kept for the data set (the validator's facts): the same answers, the sequence read once.
    facts = Facts(memo={})
    for item in beam.ControlPointSequence:
        expected = evaluate(required, [item, beam, ds])
        assert evaluate(required, [item, beam, ds], facts) is expected
        assert evaluate(required, [item, beam, ds], facts) is expected


def test_scoped_to_the_item_of_a_named_sequence() -> None:
    # Spatial Fiducials: Contour Data is in the Fiducial Sequence's items; "Required if Frame of
    # Reference UID (0020,0052) is present in this Item of the Fiducial Set Sequence (0070,031C)".
    fiducial = Dataset()
    fiducial_set = Dataset()
    fiducial_set.FiducialSequence = Sequence([fiducial])
    top = Dataset()
    top.FrameOfReferenceUID = "1.2.3"  # the top level's: not the one asked about
    top.FiducialSetSequence = Sequence([fiducial_set])
    node = Scoped(Present(0x00200052), "item", 0x0070031C)
    scopes = [fiducial, fiducial_set, top]
    assert evaluate(node, scopes) is False
    fiducial_set.FrameOfReferenceUID = "1.2.4"
    assert evaluate(node, scopes) is True
    assert evaluate(Scoped(Present(0x00200052), "item"), scopes) is False  # the innermost only
    assert evaluate(node, [top]) is None


def any_frame(node: Node) -> Node:
    frame = Scoped(node, "frame")
    return Scoped(Any((InItems(0x52009229, frame), InItems(0x52009230, frame))), "dataset")


def test_a_functional_group_is_present_in_the_shared_item_or_some_frame() -> None:
    # "Required if Derivation Image Functional Group (C.7.6.16.2.6) is present": its sequence,
    # Derivation Image Sequence (0008,9124), in the shared or a per-frame item (C.7.6.16).
    details, per_frame, top = enhanced(frame_type_shared=False)
    derivation = any_frame(Present(0x00089124))
    assert evaluate(derivation, [top]) is False
    second = Dataset()
    second.DerivationImageSequence = Sequence([Dataset()])
    top.PerFrameFunctionalGroupsSequence.append(second)
    assert evaluate(derivation, [top]) is True
    assert evaluate(derivation, [details, per_frame, top]) is True  # from inside a frame too
    del top.PerFrameFunctionalGroupsSequence[1]
    top.SharedFunctionalGroupsSequence[0].DerivationImageSequence = Sequence([Dataset()])
    assert evaluate(derivation, [top]) is True  # shared by every frame
    # "Acquisition Contrast (0008,9209) in any MR Image Frame Type Functional Group in the SOP
    # Instance equals DIFFUSION"
    contrast = any_frame(InItems(0x00189226, Equals(0x00089209, ("DIFFUSION",))))
    assert evaluate(contrast, [top]) is False
    frame_type = Dataset()
    frame_type.AcquisitionContrast = "DIFFUSION"
    top.SharedFunctionalGroupsSequence[0].MRImageFrameTypeSequence = Sequence([frame_type])
    assert evaluate(contrast, [top]) is True


def test_module_presence_comes_from_the_facts() -> None:
    # "Required if the Palette Color Lookup Table Module is not present."
    node = Not(ModulePresent("table_C.7-22", "Palette Color Lookup Table Module"))
    assert evaluate(node, [image()]) is None  # no facts: unknown
    facts = Facts(module_present=lambda source: source == "table_C.7-22")
    assert evaluate(node, [image()], facts) is False
    assert evaluate(node, [image()], Facts(module_present=lambda source: False)) is True
    condition = Condition(node, None, "t")
    assert condition.outcome([image()], facts) == "unspecified"
    assert condition.outcome([image()]) == "unknown"


def test_what_the_iod_requires_comes_from_the_facts() -> None:
    # General Image Module (C.7-9), Patient Orientation: "Required if image does not require
    # Image Orientation (Patient) (0020,0037) and Image Position (Patient) (0020,0032)."
    node = All((Not(IodRequires(0x00200037)), Not(IodRequires(0x00200032))))
    assert evaluate(node, [image()]) is None  # no facts: unknown
    plane = Facts(requires=lambda tag: tag in (0x00200037, 0x00200032))
    assert evaluate(node, [image()], plane) is False
    assert evaluate(node, [image()], Facts(requires=lambda tag: False)) is True
    assert evaluate(node, [image()], Facts(requires=lambda tag: None)) is None
    assert describe(Not(IodRequires(0x00200037))) == (
        "the IOD does not require Image Orientation (Patient) (0020,0037)"
    )
    assert describe(IodRequires(0x00200032)) == (
        "the IOD requires Image Position (Patient) (0020,0032)"
    )


def test_patient_orientation_is_required_where_the_iod_does_not_place_the_image(
    ct: Dataset,
) -> None:
    # CT Image IOD (A.3-1): the Image Plane Module is M, its Image Orientation (Patient) and
    # Image Position (Patient) are Type 1 (C.7-10): the CT image requires them, so Patient
    # Orientation is not required ("May be present otherwise").
    ds = ct.copy()
    if "PatientOrientation" in ds:
        del ds.PatientOrientation
    assert findings_for(validate(ds), "PatientOrientation") == []


def test_pixel_aspect_ratio_is_not_sent_with_a_pixel_spacing(ct: Dataset) -> None:
    # Image Pixel Description Macro, Pixel Aspect Ratio (0028,0034), Type 1C: "Required if the
    # aspect ratio values do not have a ratio of 1:1 and the physical pixel spacing is not
    # specified by Pixel Spacing (0028,0030), or Imager Pixel Spacing (0018,1164) or Nominal
    # Scanned Pixel Spacing (0018,2010) …" and nothing permits it otherwise (PS3.5 7.4: a Type 1C
    # attribute is not included when its condition does not hold).
    ds = ct.copy()
    ds.PixelAspectRatio = [1, 1]
    assert "PixelSpacing" in ds
    assert findings_for(validate(ds), "PixelAspectRatio") == ["condition-not-met-present"]
    # Without a spacing, whether the ratio is 1:1 decides, and that is this attribute's value.
    del ds.PixelSpacing
    assert findings_for(validate(ds), "PixelAspectRatio") == []


def test_patient_orientation_of_a_secondary_capture_image(full_build: Path) -> None:
    # Secondary Capture Image IOD (A.8.1): no Image Plane Module, so the image does not require
    # Image Orientation (Patient) nor Image Position (Patient), and Patient Orientation (Type 2C,
    # C.7-9) is required. SC_rgb_jpeg.dcm has none.
    path = Path(str(get_testdata_file("SC_rgb_jpeg.dcm")))
    assert "PatientOrientation" not in pydicom.dcmread(path, stop_before_pixels=True)
    found = validate_with_build(full_build, path)
    assert [f["code"] for f in found if f["keyword"] == "PatientOrientation"] == ["type2c-missing"]


def test_a_frame_of_a_single_frame_sop_class_is_no_reference(
    full_build: Path, tmp_path: Path
) -> None:
    # Image SOP Instance Reference Macro (10-3), Referenced Frame Number (0008,1160): "Required if
    # the Referenced SOP Instance is a multi-frame image and the reference does not apply to all
    # frames …"; the CT Image IOD (A.3-1) has no Multi-frame Module: a CT Image Storage instance
    # is no multi-frame image, the condition does not hold and the text does not permit it
    # otherwise. test-SR.dcm references CT Image Storage instances with a frame number.
    path = Path(str(get_testdata_file("test-SR.dcm")))
    found = [
        f for f in validate_with_build(full_build, path) if f["keyword"] == "ReferencedFrameNumber"
    ]
    assert [f["code"] for f in found] == ["condition-not-met-present"]
    ds = pydicom.dcmread(path)
    item = ds.ContentSequence[4].ReferencedSOPSequence[0]
    assert item.ReferencedSOPClassUID == "1.2.840.10008.5.1.4.1.1.2"
    item.ReferencedSOPClassUID = "1.2.840.10008.5.1.4.1.1.12.1"  # X-Ray Angiographic: may be
    changed = tmp_path / "xa.dcm"
    ds.save_as(changed)
    found = [
        f
        for f in validate_with_build(full_build, changed)
        if f["keyword"] == "ReferencedFrameNumber"
    ]
    assert [f["code"] for f in found] == []


def test_an_expanded_character_set_is_declared_or_in_the_bytes() -> None:
    # SOP Common (C.12-1): Specific Character Set "Required if an expanded or replacement
    # character set is used"; without it only the default repertoire, ISO-IR 6, is used.
    used = ExtendedCharacters()
    ds = image()
    assert evaluate(used, [ds]) is False  # every text value is ASCII
    ds.SpecificCharacterSet = "ISO_IR 100"
    assert evaluate(used, [ds]) is True  # declared
    ds.SpecificCharacterSet = "ISO_IR 6"
    assert evaluate(used, [ds]) is False
    del ds.SpecificCharacterSet
    ds.PatientName = "Buc^Jérôme"
    assert evaluate(used, [ds]) is True
    # In an item too, and in the raw bytes of a file read without Specific Character Set.
    ds.PatientName = "Doe^John"
    item = Dataset()
    item.CodeMeaning = "Kontrastmittel ä"
    ds.ReferencedImageSequence = Sequence([item])
    assert evaluate(used, [ds]) is True


def test_the_bytes_of_a_file_are_read_without_decoding() -> None:
    path = next(p for p in get_charset_files() if p.endswith("chrFren.dcm"))
    ds = pydicom.dcmread(path)  # ISO_IR 100, a name with Latin-1 letters
    assert evaluate(ExtendedCharacters(), [ds]) is True
    del ds[0x00080005]
    raw = ds._dict[0x00100010]
    assert raw.is_raw  # not decoded: the bytes decide
    assert evaluate(ExtendedCharacters(), [ds]) is True


def test_an_item_of_a_raw_implicit_vr_sequence_is_read_too(tmp_path: Path) -> None:
    """A file in Implicit VR Little Endian keeps its sequences raw, without a VR: the text of
    their items is looked at as in any other item (it was not, before the sequence was read)."""
    ds = image()
    item = Dataset()
    item.CodeMeaning = "Kontrastmittel \xe4"  # a Latin-1 letter: outside ISO-IR 6
    ds.ReferencedImageSequence = Sequence([item])
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2"  # Implicit VR Little Endian
    ds.file_meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    ds.file_meta.MediaStorageSOPInstanceUID = "1.2.3"
    path = tmp_path / "implicit.dcm"
    ds.save_as(path, enforce_file_format=True)
    read = pydicom.dcmread(path)
    assert read._dict[0x00081140].VR is None and read._dict[0x00081140].is_raw
    assert evaluate(ExtendedCharacters(), [read]) is True
    item.CodeMeaning = "Kontrastmittel"
    ds.save_as(path, enforce_file_format=True)
    assert evaluate(ExtendedCharacters(), [pydicom.dcmread(path)]) is False


def test_describe_writes_the_new_nodes() -> None:
    names = {0x30100067: "Category", 0x300A011E: "Gantry Angle", 0x300A0111: "Control Points"}
    assert describe(Count(0x30100067, "==", 1), names.__getitem__) == (
        "the number of values of Category (3010,0067) is 1"
    )
    assert describe(Varies(0x300A011E), names.__getitem__) == (
        "Gantry Angle (300A,011E) changes between the Items of its Sequence"
    )
    assert describe(ItemPosition("first", 0x300A0111), names.__getitem__) == (
        "this is the first Item of Control Points (300A,0111)"
    )
    assert describe(Not(ModulePresent("table_C.7-16", "Mask Module"))) == (
        "the Mask Module is not present"
    )
    assert describe(ExtendedCharacters()) == "an expanded or replacement character set is used"


# -- what the validator reports -------------------------------------------------------------------
def findings_for(result: object, keyword: str) -> list[str]:
    return [f.code for f in result.findings if f.keyword == keyword]  # type: ignore[attr-defined]


def test_patient_position_may_be_present_for_other_sop_classes() -> None:
    # General Series Module (C.7-5a), Patient Position (0018,5100): "Required for images where
    # Patient Orientation Code Sequence (0054,0410) is not present and whose SOP Class is one of
    # the following: CT … Storage SOP Classes. May be present for other SOP Classes if Patient
    # Orientation Code Sequence (0054,0410) is not present."
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.7"  # Secondary Capture: not one of those listed
    assert "PatientPosition" in ds
    codes = findings_for(validate(ds, iod="CT Image"), "PatientPosition")
    assert "condition-not-met-present" not in codes
    ds.PatientOrientationCodeSequence = Sequence([code_item("F-10450", "SRT", "recumbent")])
    codes = findings_for(validate(ds, iod="CT Image"), "PatientPosition")
    assert codes == ["condition-not-met-present"]  # neither required nor permitted
    del ds.PatientPosition
    assert findings_for(validate(ds, iod="CT Image"), "PatientPosition") == []


def test_specific_character_set_is_required_when_the_bytes_need_it() -> None:
    # SOP Common (C.12-1): Specific Character Set (0008,0005) is Type 1C, "Required if an
    # expanded or replacement character set is used."
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))  # ISO_IR 100, ASCII text
    assert findings_for(validate(ds), "SpecificCharacterSet") == []  # declared, so used
    del ds.SpecificCharacterSet
    assert findings_for(validate(ds), "SpecificCharacterSet") == []  # ASCII only: not used
    ds.PatientName = "Buc^Jérôme"
    assert findings_for(validate(ds), "SpecificCharacterSet") == ["type1c-missing"]


def validate_with_build(build: Path, path: Path) -> list[dict[str, str]]:
    """The findings of ``dicomstd validate`` on one file with another generated build."""
    env = {**os.environ, "DICOMSTD_BUILD": str(build)}
    done = subprocess.run(
        [sys.executable, "-m", "dicomstd", "validate", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    findings: list[dict[str, str]] = json.loads(done.stdout)["files"][0]["findings"]
    return findings


def test_control_point_conditions_are_decided_with_the_whole_standard(
    full_build: Path, tmp_path: Path
) -> None:
    # RT Beams Module (C.8-50), Control Point Sequence: Gantry Angle (300A,011E) 1C "Required for
    # first Item of Control Point Sequence, or if Gantry Angle changes during Beam."
    ds, beam = plan()
    static = tmp_path / "static.dcm"
    ds.save_as(static)
    gantry = [f for f in validate_with_build(full_build, static) if f["keyword"] == "GantryAngle"]
    assert gantry == []  # Control Point 1 keeps the angle of Control Point 0: decided, not needed
    # An arc: Control Point 2 turns the gantry, so every control point gives the angle
    # (C.8.8.14.5); Control Point 1 does not.
    beam.ControlPointSequence.append(Dataset())
    beam.ControlPointSequence[2].ControlPointIndex = 2
    beam.ControlPointSequence[2].GantryAngle = "270"
    beam.NumberOfControlPoints = 3
    arc = tmp_path / "arc.dcm"
    ds.save_as(arc)
    gantry = [f for f in validate_with_build(full_build, arc) if f["keyword"] == "GantryAngle"]
    assert [(f["code"], f["path"]) for f in gantry] == [
        ("type1c-missing", "BeamSequence[0].ControlPointSequence[1].GantryAngle")
    ]
