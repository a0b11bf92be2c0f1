"""Evaluation of condition trees on pydicom data sets: presence, values, scopes, Kleene logic."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import pydicom
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydicom import Dataset
from pydicom.data import get_testdata_file
from pydicom.sequence import Sequence

from dicomstd import conditions
from dicomstd.conditions import (
    All,
    Any,
    Compare,
    Condition,
    Equals,
    HasCode,
    HasValue,
    Node,
    Not,
    PointsToPrivate,
    Present,
    Scoped,
    Unverifiable,
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
