"""dicomstd.spec: the requirements of PS3.3 2016c at run time (IODs, modules, attribute trees).

Expected values were read by hand from the standard's XML (PS3.3 2016c; PS3.4 2016c table B.5-1
for SOP Classes); each names the table and row it comes from. The generated tables these tests
read are committed, so no XML is needed to run them.
"""

from __future__ import annotations

import pickle
import re

import pytest

from dicomstd import spec
from dicomstd._generated.spec import TABLES
from dicomstd.errors import UnknownIODError, UnknownModuleError
from dicomstd.tag import Tag
from dicomstd.vm import VM
from dicomstd.vr import VR
from tests.codegen.test_part03 import CT_CONTRAST_CONDITION, CT_IMAGE_MODULES

CT = "1.2.840.10008.5.1.4.1.1.2"
ENHANCED_CT = "1.2.840.10008.5.1.4.1.1.2.1"
RT_DOSE = "1.2.840.10008.5.1.4.1.1.481.2"
ENHANCED_XA = "1.2.840.10008.5.1.4.1.1.12.1.1"


def key_of(source: str) -> str:
    """The module key of a PS3.3 table id."""
    (key,) = [k for k, (_, _, table) in TABLES.items() if table == source]
    return key


def by_tag(attributes: tuple[spec.AttributeSpec, ...], tag: int) -> spec.AttributeSpec:
    (found,) = [a for a in attributes if int(a.tag) == tag]
    return found


def module_of(iod: str, name: str) -> spec.ModuleSpec:
    found = spec.iod(iod).module(name).module
    assert found is not None
    return found


# -- finding IODs --------------------------------------------------------------------------------
def test_iods_lists_the_four_iods_of_the_excerpt() -> None:
    assert [(i.name, i.source) for i in spec.iods()] == [
        ("CT Image", "table_A.3-1"),
        ("Enhanced CT Image", "table_A.38-1"),
        ("Enhanced X-Ray Angiographic Image", "table_A.47-1"),
        ("RT Dose", "table_A.18.3-1"),
    ]


@pytest.mark.parametrize(
    ("uid", "name", "sop_name"),
    [
        (CT, "CT Image", "CT Image Storage"),
        (ENHANCED_CT, "Enhanced CT Image", "Enhanced CT Image Storage"),
        (RT_DOSE, "RT Dose", "RT Dose Storage"),
        (ENHANCED_XA, "Enhanced X-Ray Angiographic Image", "Enhanced XA Image Storage"),
    ],
)
def test_an_iod_by_sop_class_uid_and_by_name(uid: str, name: str, sop_name: str) -> None:
    by_uid = spec.iod(uid)
    assert by_uid.name == name
    assert by_uid.sop_classes == ((uid, sop_name),)
    assert spec.iod(name) is by_uid
    assert spec.iod(sop_name) is by_uid
    assert spec.iod(by_uid.source) is by_uid


@pytest.mark.parametrize(
    "key",
    [
        "CT Image",
        "ct image",
        "CT IMAGE",
        "  CT Image  ",
        "CT  Image",
        "ct-image",
        "ct_image",
        "CT Image Storage",
        CT,
        f" {CT} ",
        f"{CT}\0",  # a UI value padded to even length
    ],
)
def test_spelling_variants_of_a_key(key: str) -> None:
    assert spec.iod(key).name == "CT Image"


@pytest.mark.parametrize(
    "key", ["MR Image", "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.5.1.4.1.1", "", "CT"]
)
def test_an_unknown_key_raises_naming_it(key: str) -> None:
    with pytest.raises(UnknownIODError) as caught:
        spec.iod(key)
    assert isinstance(caught.value, KeyError)
    assert caught.value.key == key
    assert repr(key) in str(caught.value)


# -- IOD module tables ---------------------------------------------------------------------------
def test_ct_image_modules_ies_usages_and_condition() -> None:
    iod = spec.iod(CT)
    assert [(m.ie, m.name, m.usage.value) for m in iod.modules] == CT_IMAGE_MODULES
    assert [m.row for m in iod.modules] == list(range(1, 21))
    conditions = {m.name: m.condition for m in iod.modules if m.condition is not None}
    assert conditions == {"Contrast/Bolus": CT_CONTRAST_CONDITION}
    assert all(m.module is not None for m in iod.modules)
    assert iod.module("Contrast/Bolus").usage is spec.Usage.CONDITIONAL
    assert iod.module("Patient Module") is iod.modules[0]  # by the module's own name too
    assert iod.functional_groups == ()
    with pytest.raises(KeyError, match="no module 'Pixel Measures'"):
        iod.module("Pixel Measures")


def test_an_iod_spec_pickles() -> None:
    # Specs cross to worker processes: every attribute, VM included, comes back equal.
    iod = spec.iod(CT)
    assert pickle.loads(pickle.dumps(iod)) == iod


def test_rt_dose_modules() -> None:
    iod = spec.iod(RT_DOSE)
    # table A.18.3-1, 24 rows; the Dose IE spans rows 10-24
    assert [(m.name, m.usage.value) for m in iod.modules] == [
        ("Patient", "M"),
        ("Clinical Trial Subject", "U"),
        ("General Study", "M"),
        ("Patient Study", "U"),
        ("Clinical Trial Study", "U"),
        ("RT Series", "M"),
        ("Clinical Trial Series", "U"),
        ("Frame of Reference", "M"),
        ("General Equipment", "M"),
        ("General Image", "C"),
        ("Image Plane", "C"),
        ("Image Pixel", "C"),
        ("Multi-frame", "C"),
        ("Overlay Plane", "U"),
        ("Multi-frame Overlay", "U"),
        ("Modality LUT", "U"),
        ("RT Dose", "M"),
        ("RT DVH", "U"),
        ("Structure Set", "C"),
        ("ROI Contour", "C"),
        ("RT Dose ROI", "C"),
        ("SOP Common", "M"),
        ("Common Instance Reference", "U"),
        ("Frame Extraction", "C"),
    ]
    assert [m.ie for m in iod.modules[9:]] == ["Dose"] * 15
    assert iod.module("Multi-frame").condition == (
        "Required if dose data contains grid-based doses and pixel data is multi-frame data."
    )
    assert iod.module("Structure Set").condition == (
        "Required if dose data contains dose points or isodose curves"
    )


def test_enhanced_xa_modules_and_functional_group_count() -> None:
    iod = spec.iod(ENHANCED_XA)
    # table A.47-1: 22 rows; table A.47-2: 27 functional group macros
    assert len(iod.modules) == 22
    assert len(iod.functional_groups) == 27
    ies = [m.ie for m in iod.modules]
    assert [ies.count(ie) for ie in dict.fromkeys(ies)] == [2, 3, 2, 2, 2, 11]
    assert iod.module("Frame of Reference").condition == (
        "Required if C-arm Positioner Tabletop Relationship (0018,9474) equals YES. "
        "May be present otherwise."
    )
    # table A.47-2 row 7: the xref to sect_C.7.6.4b renders as its title
    usage = next(g for g in iod.functional_groups if g.name == "Contrast/Bolus Usage")
    assert usage.condition == "Required if the Enhanced Contrast/Bolus Module is present"


# Table A.38-2 "Enhanced CT Image Functional Group Macros", rows 1-24: (name, usage, condition).
ORIGINAL_OR_MIXED = "Required if Image Type (0008,0008) Value 1 is ORIGINAL or MIXED, "
ENHANCED_CT_GROUPS = [
    ("Pixel Measures", "M", None),
    ("Frame Content", "M", None),  # "M - May not be used as a Shared Functional Group."
    ("Plane Position (Patient)", "M", None),
    ("Plane Orientation (Patient)", "M", None),
    (
        "Referenced Image",
        "C",
        "Required if the image or frame has been planned on another image or frame, may be "
        "present otherwise.",
    ),
    (
        "Derivation Image",
        "C",
        "Required if the image or frame has been derived from another SOP Instance.",
    ),
    (
        "Cardiac Synchronization",
        "C",
        "Required if Cardiac Synchronization Technique (0018,9037) equals other than NONE and "
        "if Image Type (0008,0008) Value 1 is ORIGINAL or MIXED. May be present otherwise.",
    ),
    ("Frame Anatomy", "M", None),
    ("Frame VOI LUT", "U", None),
    ("Real World Value Mapping", "U", None),
    (
        "Contrast/Bolus Usage",
        "C",
        "Required if Contrast/Bolus Agent Sequence (0018,0012) is used.",
    ),
    (
        "Respiratory Synchronization",
        "C",
        "Required if Respiratory Motion Compensation Technique (0018,9170) equals other than "
        "NONE, REALTIME or BREATH_HOLD and if Image Type (0008,0008) Value 1 is ORIGINAL or "
        "MIXED. May be present otherwise.",
    ),
    ("Irradiation Event Identification", "M", None),
    ("CT Image Frame Type", "M", None),
    ("CT Acquisition Type", "C", ORIGINAL_OR_MIXED + "may be present otherwise."),
    ("CT Acquisition Details", "C", ORIGINAL_OR_MIXED + "may be present otherwise."),
    ("CT Table Dynamics", "C", ORIGINAL_OR_MIXED + "may be present otherwise."),
    ("CT Position", "C", ORIGINAL_OR_MIXED + "may be present otherwise"),  # no full stop
    ("CT Geometry", "C", ORIGINAL_OR_MIXED + "may be present otherwise."),
    (
        "CT Reconstruction",
        "C",
        "Required if Image Type (0008,0008) Value 1 is ORIGINAL or MIXED and Acquisition Type "
        "(0018,9302) is other than CONSTANT_ANGLE, may be present otherwise.",
    ),
    ("CT Exposure", "C", ORIGINAL_OR_MIXED + "may be present otherwise."),
    ("CT X-Ray Details", "C", ORIGINAL_OR_MIXED + "may be present otherwise."),
    ("CT Pixel Value Transformation", "M", None),
    (
        "CT Additional X-Ray Source",
        "C",
        "Required if the image is reconstructed from a system with multiple X-Ray sources",
    ),
]


def test_enhanced_ct_modules_and_functional_group_macros() -> None:
    iod = spec.iod(ENHANCED_CT)
    assert len(iod.modules) == 27  # table A.38-1
    groups = [(g.name, g.usage.value, g.condition) for g in iod.functional_groups]
    assert groups == ENHANCED_CT_GROUPS
    assert [g.row for g in iod.functional_groups] == list(range(1, 25))
    assert all(g.module is not None and g.module.kind == "macro" for g in iod.functional_groups)
    measures = iod.functional_groups[0].module
    assert measures is not None and measures.source == "table_C.7.6.16-2"


def test_enhanced_ct_functional_groups_hold_the_macros() -> None:
    groups = module_of(ENHANCED_CT, "Multi-frame Functional Groups")
    assert groups.placeholders == ()
    shared = groups.attribute("SharedFunctionalGroupsSequence")
    per_frame = groups.attribute("PerFrameFunctionalGroupsSequence")
    for sequence in (shared, per_frame):
        assert sequence.placeholders == ()
        names = list(dict.fromkeys(a.functional_group for a in sequence.items))
        assert names == [name for name, _, _ in ENHANCED_CT_GROUPS]
    # Pixel Measures Macro, table C.7.6.16-2 row 2: >Pixel Spacing (0028,0030) Type 1C
    spacing = shared.item("PixelMeasuresSequence").item("PixelSpacing")
    assert spacing.tag == Tag(0x0028, 0x0030)
    assert spacing.type is spec.AttributeType.TYPE_1C
    assert (spacing.vrs, spacing.vm) == (frozenset({VR.DS}), VM.parse("2"))
    assert (spacing.source, spacing.row) == ("table_C.7.6.16-2", 2)
    assert spacing.condition is not None
    assert spacing.condition.startswith(
        "Required if either:\nVolumetric Properties (0008,9206) is other than DISTORTED or SAMPLED"
    )
    assert per_frame.item("PixelMeasuresSequence").item("PixelSpacing") == spacing
    path = [
        (len(parents), attribute.keyword)
        for parents, attribute in groups.walk()
        if attribute.keyword == "PixelSpacing"
    ]
    assert path == [(2, "PixelSpacing"), (2, "PixelSpacing")]
    # the module as printed, outside any IOD, keeps its placeholders
    plain = spec.module(key_of("table_C.7.6.16-1"))
    kinds = [p.kind for p in plain.attribute("SharedFunctionalGroupsSequence").placeholders]
    assert kinds == ["functional-groups"]
    assert plain.attribute("SharedFunctionalGroupsSequence").items == ()


# -- attribute trees -----------------------------------------------------------------------------
# Table 8.8-1a rows 2-7 (Code Value ... URN Code Value), 8.8-1 row 3 (Equivalent Code Sequence),
# table 8.8-1b rows 1-9 (Context Identifier ... Context Group Extension Creator UID).
CODE_SEQUENCE_ITEMS = [
    (0x00080100, "1C"),
    (0x00080102, "1C"),
    (0x00080103, "1C"),
    (0x00080104, "1"),
    (0x00080119, "1C"),
    (0x00080120, "1C"),
    (0x00080121, "3"),
    (0x0008010F, "3"),
    (0x00080117, "3"),
    (0x00080105, "1C"),
    (0x00080118, "3"),
    (0x00080122, "3"),
    (0x00080106, "1C"),
    (0x0008010B, "3"),
    (0x00080107, "1C"),
    (0x0008010D, "1C"),
]


def items(attribute: spec.AttributeSpec) -> list[tuple[int, str]]:
    return [(int(a.tag), a.type.value if a.type else "") for a in attribute.items]


def test_a_code_sequence_macro_included_in_a_sequence_lands_in_its_items() -> None:
    patient = module_of(CT, "Patient")
    # table C.7-1 rows 24-25: Patient Species Code Sequence, >Include Table 8.8-1
    species = patient.attribute("PatientSpeciesCodeSequence")
    assert species.type is spec.AttributeType.TYPE_1C
    assert items(species) == CODE_SEQUENCE_ITEMS
    depths = {
        (len(parents), attribute.keyword)
        for parents, attribute in patient.walk()
        if parents and parents[0].keyword == "PatientSpeciesCodeSequence"
    }
    assert (1, "CodeValue") in depths
    assert (2, "CodeValue") in depths  # in the items of Equivalent Code Sequence
    # rows 29-32: Breed Registration Sequence > Breed Registry Code Sequence >> Include 8.8-1
    registry = patient.attribute("BreedRegistrationSequence").item("BreedRegistryCodeSequence")
    assert items(registry) == CODE_SEQUENCE_ITEMS
    assert registry.item("CodeMeaning").source == "table_8.8-1a"


def test_purpose_of_reference_code_sequence_at_depth_two_in_sop_common() -> None:
    sop_common = module_of(CT, "SOP Common")
    # table C.12-1 rows 28-30: Contributing Equipment Sequence > Purpose of Reference Code
    # Sequence >> Include Table 8.8-1
    purpose = sop_common.attribute("ContributingEquipmentSequence").item(
        "PurposeOfReferenceCodeSequence"
    )
    assert purpose.type is spec.AttributeType.TYPE_1
    assert items(purpose) == CODE_SEQUENCE_ITEMS
    found = [
        [p.keyword for p in parents]
        for parents, attribute in sop_common.walk()
        if attribute.keyword == "CodeValue"
    ]
    assert ["ContributingEquipmentSequence", "PurposeOfReferenceCodeSequence"] in found


def test_the_image_reference_macro_pattern() -> None:
    macro = spec.module(key_of("table_C.18.4-1"))
    # table C.18.4-1: Include C.18.3-1 (Referenced SOP Sequence), then rows one level deeper
    (sequence,) = macro.attributes
    assert sequence.keyword == "ReferencedSOPSequence"
    assert [a.keyword for a in sequence.items][:4] == [
        "ReferencedSOPClassUID",
        "ReferencedSOPInstanceUID",
        "ReferencedFrameNumber",
        "ReferencedSegmentNumber",
    ]
    assert sequence.item("ReferencedFrameNumber").source == "table_C.18.4-1"


def test_errata_are_applied() -> None:
    sop_common = module_of(CT, "SOP Common")
    assert [a for a in sop_common.attributes if int(a.tag) == 0x00080105] == []
    # table C.12-1 rows 18-22, nested per src/dicomstd/codegen/errata.toml
    groups = by_tag(sop_common.attributes, 0x00080123)
    assert (groups.name, groups.in_dictionary) == ("Context Group Identification Sequence", False)
    assert [(a.keyword, a.type) for a in groups.items] == [
        ("ContextIdentifier", spec.AttributeType.TYPE_1),
        ("ContextUID", spec.AttributeType.TYPE_3),
        ("MappingResource", spec.AttributeType.TYPE_1),
        ("ContextGroupVersion", spec.AttributeType.TYPE_1),
    ]
    resources = by_tag(sop_common.attributes, 0x00080124)
    assert [int(a.tag) for a in resources.items] == [0x00080105, 0x00080118, 0x00080122]
    # table 10-18: the self-include in Assigning Facility Sequence is dropped
    issuer = spec.module(key_of("table_10-18"))
    facility = issuer.attribute("IssuerOfPatientIDQualifiersSequence").item(
        "AssigningFacilitySequence"
    )
    assert facility.placeholders == ()
    assert [a.keyword for a in facility.items] == [
        "LocalNamespaceEntityID",
        "UniversalEntityID",
        "UniversalEntityIDType",
    ]


def test_unresolved_includes_leave_placeholders() -> None:
    # README of the excerpt; rows read from the XML
    for source, row, target in [
        ("table_C.7.6.20-1", 1, "table_10-15"),
        ("table_C.8.19.2-1", 38, "table_10.41-1"),
        ("table_C.8.19.5-1", 1, "table_C.8-71b"),
    ]:
        module = spec.module(key_of(source))
        holes = [p for p in module.placeholders if p.kind == "unresolved-include"]
        assert [(p.source, p.row, p.target) for p in holes] == [(source, row, target)], source
    # the Patient Orientation Module consists of that one Include
    orientation = spec.module(key_of("table_C.7.6.20-1"))
    assert orientation.attributes == ()
    # the X-Ray Detector Module's own rows follow the hole
    detector = spec.module(key_of("table_C.8.19.5-1"))
    assert int(detector.attributes[0].tag) == 0x00189429  # row 2, Physical Detector Size


def test_a_recursive_include_is_a_placeholder_naming_the_table() -> None:
    relationship = spec.module(key_of("table_C.17-6"))
    content = relationship.attribute("ContentSequence")
    (back,) = [p for p in content.placeholders if p.kind == "recursive-include"]
    assert (back.target, back.source, back.row) == (key_of("table_C.17-6"), "table_C.17-6", 5)
    assert back.include_condition is not None
    assert back.include_condition.startswith("if the Target Content Item is included by-value")


def test_attributes_the_dictionary_lacks_keep_name_and_tag() -> None:
    patient = module_of(CT, "Patient")
    # table C.7-1 row 7: Patient's Alternative Calendar (0010,0035) Type 1C
    calendar = by_tag(patient.attributes, 0x00100035)
    assert (calendar.name, calendar.keyword, calendar.in_dictionary) == (
        "Patient's Alternative Calendar",
        "",
        False,
    )
    assert calendar.vrs == frozenset()
    assert calendar.type is spec.AttributeType.TYPE_1C
    assert calendar.condition is not None and calendar.condition.startswith("Required if")
    # a known one for contrast
    assert patient.attribute("PatientName").in_dictionary


# -- value lists ---------------------------------------------------------------------------------
def values_of(attribute: spec.AttributeSpec) -> list[tuple[str, tuple[str, ...], str]]:
    return [(v.kind, v.values, v.qualifier) for v in attribute.values]


def test_enumerated_values() -> None:
    patient = module_of(CT, "Patient")
    sop_common = module_of(CT, "SOP Common")
    groups = module_of(ENHANCED_CT, "Multi-frame Functional Groups")
    enumerated = [
        # table C.7-1 row 8, row 11, row 46
        (patient.attribute("PatientSex"), ("M", "F", "O")),
        (patient.attribute("QualityControlSubject"), ("YES", "NO")),
        (patient.attribute("PatientIdentityRemoved"), ("YES", "NO")),
        # table C.12-1 rows 48, 67, 68, 71
        (sop_common.attribute("SOPInstanceStatus"), ("NS", "OR", "AO", "AC")),
        (
            sop_common.attribute("LongitudinalTemporalInformationModified"),
            ("UNMODIFIED", "MODIFIED", "REMOVED"),
        ),
        (sop_common.attribute("QueryRetrieveView"), ("CLASSIC", "ENHANCED")),
        (sop_common.attribute("ContentQualification"), ("PRODUCT", "RESEARCH", "SERVICE")),
        # table C.7.6.16-1 row 9: Stereo Pairs Present (0022,0028), not in the 2015b dictionary
        (by_tag(groups.attributes, 0x00220028), ("YES", "NO")),
    ]
    for attribute, values in enumerated:
        assert values_of(attribute) == [("enumerated", values, "")], attribute.name


def test_defined_terms() -> None:
    patient = module_of(CT, "Patient")
    sop_common = module_of(CT, "SOP Common")
    # table C.7-1 row 19: >Type of Patient ID
    kind = patient.attribute("OtherPatientIDsSequence").item("TypeOfPatientID")
    assert values_of(kind) == [("defined", ("TEXT", "RFID", "BARCODE"), "")]
    # table C.12-1 row 60: >Reason for the Attribute Modification
    reason = sop_common.attribute("OriginalAttributesSequence").item(
        "ReasonForTheAttributeModification"
    )
    assert values_of(reason) == [("defined", ("COERCE", "CORRECT"), "")]
    # table C.7.6.16-11 row 4: >Window Center & Width Explanation, "Defined Terms for CT:"
    voi = spec.module(key_of("table_C.7.6.16-11"))
    explanation = voi.attribute("FrameVOILUTSequence").item("WindowCenterWidthExplanation")
    assert values_of(explanation) == [
        ("defined", ("BRAIN", "SOFT_TISSUE", "LUNG", "BONE"), "for CT")
    ]


# -- conditions ----------------------------------------------------------------------------------
def every_condition() -> list[str]:
    texts: list[str] = []
    for iod in spec.iods():
        for use in iod.modules + iod.functional_groups:
            texts.extend(filter(None, [use.condition]))
            if use.module is not None:
                for _, attribute in use.module.walk():
                    texts.extend(filter(None, [attribute.condition, attribute.include_condition]))
    for key in TABLES:
        for _, attribute in spec.module(key).walk():
            texts.extend(filter(None, [attribute.condition]))
    return texts


def test_cross_references_in_conditions_are_rendered() -> None:
    palette = spec.iod(ENHANCED_CT).module("Supplemental Palette Color Lookup Table")
    # table A.38-1 row 19, the xref to sect_C.8.15.2 ("Enhanced CT Image Module")
    assert palette.condition == (
        "Required if Pixel Presentation (0008,9205) in the Enhanced CT Image Module equals "
        "COLOR or MIXED."
    )
    texts = every_condition()
    assert len(texts) > 500
    for text in texts:
        assert "  " not in text, text
        assert not re.search(r"\bthe +(equals|is|or|and)\b", text), text
        assert text == text.strip(), text


def test_module_and_attribute_lookups_raise_key_errors() -> None:
    patient = module_of(CT, "Patient")
    with pytest.raises(KeyError, match="has no attribute 'PatientNmae'"):
        patient.attribute("PatientNmae")
    with pytest.raises(KeyError, match="has no item attribute 'Nothing'"):
        patient.attribute("OtherPatientIDsSequence").item("Nothing")
    with pytest.raises(KeyError, match="no module or macro 'not_a_module'"):
        spec.module("not_a_module")
    assert patient.attribute("OtherPatientIDsSequence").is_sequence
    assert not patient.attribute("PatientName").is_sequence


def test_modules_lists_every_module_and_macro() -> None:
    every = spec.modules()
    assert sorted(m.key for m in every) == sorted(TABLES)
    assert [m.name for m in every] == sorted(m.name for m in every)
    names = {m.name for m in every}
    # PS3.3 2016c: table C.7-1 Patient Module, table 8.8-1 Code Sequence Macro
    assert {"Patient Module", "Code Sequence Macro"} <= names
    assert {m.kind for m in every} >= {"module", "macro"}


def test_a_module_is_found_by_key_name_short_name_or_table_id() -> None:
    # PS3.3 2016c table C.7-1 "Patient Module Attributes"
    patient = spec.module("patient_module")
    assert patient.source == "table_C.7-1"
    for name in ("Patient Module", "Patient", "patient module", "table_C.7-1", "C.7-1"):
        assert spec.module(name) is patient, name
    # table 8.8-1 "Code Sequence Macro Attributes"
    assert spec.module("Code Sequence Macro").source == "table_8.8-1"


def test_an_unknown_module_names_the_closest_matches() -> None:
    with pytest.raises(UnknownModuleError, match=r"close: .*'Patient Module'") as raised:
        spec.module("Patient Modul")
    assert isinstance(raised.value, KeyError)
    with pytest.raises(KeyError, match="no module or macro 'Nothing Like It'"):
        spec.module("Nothing Like It")


def test_what_an_iod_requires() -> None:
    # "Required if image does not require Image Orientation (Patient) (0020,0037) …" (General
    # Image Module, Patient Orientation) asks this of the IOD.
    orientation, slide = 0x00200037, 0x00480102
    absent = lambda source: False  # noqa: E731
    present = lambda source: True  # noqa: E731
    # CT Image IOD (A.3-1): the Image Plane Module is M, its Image Orientation (Patient) Type 1.
    ct = spec.iod("CT Image")
    assert ct.requires(orientation, absent) is True
    # No module of it defines Image Orientation (Slide).
    assert ct.requires(slide, present) is False
    # RT Dose IOD (A.18.3-1): the Image Plane Module is C ("Required if dose data contains
    # grid-based doses"): required when the module is there, unknown otherwise.
    dose = spec.iod("RT Dose")
    assert dose.requires(orientation, present) is True
    assert dose.requires(orientation, absent) is None
    # Enhanced CT Image IOD (A.38-2): in the Plane Orientation (Patient) functional group, M.
    assert spec.iod("Enhanced CT Image").requires(orientation, absent) is True
