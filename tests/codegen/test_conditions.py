"""The condition parser on real PS3.3 texts, its coverage command, and the emitted table.

The texts below are copied verbatim from the PS3.3 2016c excerpt (``standard.part03`` condition
fields). Each expected tree was written by reading the text, not taken from the parser.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dicomstd.codegen import conditions, emit_conditions, render
from dicomstd.codegen.conditions import normalise, parse
from dicomstd.codegen.model import (
    AttributeRow,
    AttributeTable,
    AttributeType,
    DataElementEntry,
    Part03,
    Part06,
    Standard,
    TagSpec,
)
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
    Otherwise,
    PointsToPrivate,
    Present,
    Scoped,
    Unverifiable,
    describe,
)
from tests.codegen.support import require_pinned_parts, run_codegen
from tests.conftest import ROOT

# Names the standard writes without a tag in these texts (PS3.6 names), plus a few with tags.
NAMES: dict[str, int] = {
    normalise(name): tag
    for name, tag in (
        ("Observer Type", 0x0040A084),
        ("Rescale Intercept", 0x00281052),
        ("Rescale Type", 0x00281054),
        ("Responsible Person", 0x00102297),
        ("SOP Class UID", 0x00080016),
        ("Table Column Number", 0x0040A805),
        ("Image Type", 0x00080008),
        ("Pixel Data", 0x7FE00010),
        ("Frame Type", 0x00089007),
        ("Exposure in mAs", 0x00189332),
        ("Exposure Time in ms", 0x00189328),
        ("X-Ray Tube Current in mA", 0x00189330),
    )
}

FRAME_TYPE = 0x00089007
IMAGE_TYPE = 0x00080008
SOP_CLASS_UID = 0x00080016
VALUE_TYPE = 0x0040A040


def other_than(tag: int, *values: str, index: int | None = None) -> Node:
    """How "X is other than V" / "X is not V" reads: X has a value and it is none of V."""
    return All((HasValue(tag), Not(Equals(tag, values, index))))


def frame_type_is(value: str, index: int = 1) -> Node:
    return Scoped(Equals(FRAME_TYPE, (value,), index), "frame")


# (text as published, requirement, otherwise, otherwise_if, forbidden_if)
Case = tuple[str, Node, Otherwise | None, Node | None, Node | None]

CASES: list[Case] = [
    ("Required Pixel Data (7FE0,0010) is present.", Present(0x7FE00010), None, None, None),
    (
        "Required for images where Patient Orientation Code Sequence (0054,0410) is not present "
        'and whose SOP Class is one of the following: CT ("1.2.840.10008.5.1.4.1.1.2") or MR '
        '("1.2.840.10008.5.1.4.1.1.4") or Enhanced CT ("1.2.840.10008.5.1.4.1.1.2.1") or '
        'Enhanced MR Image ("1.2.840.10008.5.1.4.1.1.4.1") or Enhanced Color MR Image '
        '("1.2.840.10008.5.1.4.1.1.4.3") or MR Spectroscopy ("1.2.840.10008.5.1.4.1.1.4.2") '
        "Storage SOP Classes.",
        All(
            (
                Not(Present(0x00540410)),
                Equals(
                    SOP_CLASS_UID,
                    (
                        "1.2.840.10008.5.1.4.1.1.2",
                        "1.2.840.10008.5.1.4.1.1.4",
                        "1.2.840.10008.5.1.4.1.1.2.1",
                        "1.2.840.10008.5.1.4.1.1.4.1",
                        "1.2.840.10008.5.1.4.1.1.4.3",
                        "1.2.840.10008.5.1.4.1.1.4.2",
                    ),
                ),
            )
        ),
        None,
        None,
        None,
    ),
    (
        "Required if Block Identifying Information Status (0008,0303) equals MIXED.",
        Equals(0x00080303, ("MIXED",)),
        None,
        None,
        None,
    ),
    (
        "Required if C-arm Positioner Tabletop Relationship (0018,9474) is present and equals "
        "YES. May be present otherwise.",
        All((Present(0x00189474), Equals(0x00189474, ("YES",)))),
        "may",
        None,
        None,
    ),
    (
        "Required if Cardiac Synchronization Technique (0018,9037) equals other than NONE and if "
        "Image Type (0008,0008) Value 1 is ORIGINAL or MIXED. May be present otherwise.",
        All((other_than(0x00189037, "NONE"), Equals(IMAGE_TYPE, ("ORIGINAL", "MIXED"), 1))),
        "may",
        None,
        None,
    ),
    (
        "Required if Cardiac Synchronization Technique (0018,9037) equals other than NONE or "
        "REALTIME. May be present otherwise.",
        other_than(0x00189037, "NONE", "REALTIME"),
        "may",
        None,
        None,
    ),
    (
        "Required if Collimator Shape (0018,1700) is CIRCULAR. Location of the center of the "
        "circular collimator expressed as effective pixel row and column. See Section "
        "C.8.7.3.1.1 and Section C.8.19.6.12.1.",
        Equals(0x00181700, ("CIRCULAR",)),
        None,
        None,
        None,
    ),
    (
        "Required if Contrast/Bolus Agent Sequence (0018,0012) is used.",
        Present(0x00180012),
        None,
        None,
        None,
    ),
    (
        "Required if DICOM Retrieval Sequence (0040,E021), WADO Retrieval Sequence (0040,E023), "
        "and WADO-RS Retrieval Sequence (0040,E025) and XDS Retrieval Sequence (0040,E024) are "
        "not present. May be present otherwise.",
        All(
            (
                Not(Present(0x0040E021)),
                Not(Present(0x0040E023)),
                Not(Present(0x0040E025)),
                Not(Present(0x0040E024)),
            )
        ),
        "may",
        None,
        None,
    ),
    (
        "Required if Data Type (0018,9808) is TISSUE_VELOCITY, FLOW_VELOCITY or DIRECTION_POWER. "
        "May be present otherwise.",
        Equals(0x00189808, ("TISSUE_VELOCITY", "FLOW_VELOCITY", "DIRECTION_POWER")),
        "may",
        None,
        None,
    ),
    (
        "Required if Distance Object to Table Top (0018,9403) is not empty.",
        HasValue(0x00189403),
        None,
        None,
        None,
    ),
    (
        "Required if Dose Summation Type (3004,000A) is BRACHY or BRACHY_SESSION. One or more "
        "Items shall be included in this Sequence.",
        Equals(0x3004000A, ("BRACHY", "BRACHY_SESSION")),
        None,
        None,
        None,
    ),
    (
        "Required if Exposure in mAs (0018,9332) is not present. May be present otherwise.",
        Not(Present(0x00189332)),
        "may",
        None,
        None,
    ),
    (
        "Required if Float Pixel Data (7FE0,0008) or Double Float Pixel Data (7FE0,0009) are "
        "present or Real World Value LUT Data (0040,9212) is not present.",
        Any((Any((Present(0x7FE00008), Present(0x7FE00009))), Not(Present(0x00409212)))),
        None,
        None,
        None,
    ),
    (
        "Required if Frame Increment Pointer (0028,0009) points to Frame Time Vector (0018,1065).",
        Equals(0x00280009, (0x00181065,)),
        None,
        None,
        None,
    ),
    (
        "Required if Frame Type (0008,9007) Value 1 of this frame is ORIGINAL and Acquisition "
        "Type (0018,9302) is CONSTANT_ANGLE.\nMay be present otherwise if Frame Type (0008,9007) "
        "Value 1 of this frame is DERIVED and Acquisition Type (0018,9302) is CONSTANT_ANGLE.",
        All((frame_type_is("ORIGINAL"), Equals(0x00189302, ("CONSTANT_ANGLE",)))),
        "may",
        All((frame_type_is("DERIVED"), Equals(0x00189302, ("CONSTANT_ANGLE",)))),
        None,
    ),
    (
        "Required if Frame Type (0008,9007) Value 1 of this frame is ORIGINAL and the SOP Class "
        'UID is not "1.2.840.10008.5.1.4.1.1.2.2" or "1.2.840.10008.5.1.4.1.1.4.4" or '
        '"1.2.840.10008.5.1.4.1.1.128.1" (Legacy Converted). May be present otherwise.',
        All(
            (
                frame_type_is("ORIGINAL"),
                other_than(
                    SOP_CLASS_UID,
                    "1.2.840.10008.5.1.4.1.1.2.2",
                    "1.2.840.10008.5.1.4.1.1.4.4",
                    "1.2.840.10008.5.1.4.1.1.128.1",
                ),
            )
        ),
        "may",
        None,
        None,
    ),
    (
        "Required if Frame Type (0008,9007) Value 1 of this frame is ORIGINAL and the value of "
        "Filter Type (0018,1160) is other than NONE. May be present otherwise.",
        All((frame_type_is("ORIGINAL"), other_than(0x00181160, "NONE"))),
        "may",
        None,
        None,
    ),
    (
        "Required if Image Type (0008,0008) Value 1 is ORIGINAL or MIXED and Acquisition Type "
        "(0018,9302) is other than CONSTANT_ANGLE, may be present otherwise.",
        All(
            (
                Equals(IMAGE_TYPE, ("ORIGINAL", "MIXED"), 1),
                other_than(0x00189302, "CONSTANT_ANGLE"),
            )
        ),
        "may",
        None,
        None,
    ),
    (
        "Required if Image Type (0008,0008) Value 1 is ORIGINAL or MIXED, may be present otherwise",
        Equals(IMAGE_TYPE, ("ORIGINAL", "MIXED"), 1),
        "may",
        None,
        None,
    ),
    (
        "Required if Image Type (0008,0008) Value 1 of this frame is ORIGINAL or MIXED and SOP "
        'Class UID is not "1.2.840.10008.5.1.4.1.1.2.2" (Legacy Converted), may be present '
        "otherwise.",
        All(
            (
                Scoped(Equals(IMAGE_TYPE, ("ORIGINAL", "MIXED"), 1), "frame"),
                other_than(SOP_CLASS_UID, "1.2.840.10008.5.1.4.1.1.2.2"),
            )
        ),
        "may",
        None,
        None,
    ),
    (
        "Required if Intervals Acquired (0018,1083) is present and has a value of 1. May be "
        "present otherwise.",
        All((Present(0x00181083), Equals(0x00181083, (1,)))),
        "may",
        None,
        None,
    ),
    (
        "Required if Local Namespace Entity ID (0040,0031) is not present; may be present "
        "otherwise.",
        Not(Present(0x00400031)),
        "may",
        None,
        None,
    ),
    (
        'Required if Lossy Image Compression (0028,2110) is "01".',
        Equals(0x00282110, ("01",)),
        None,
        None,
        None,
    ),
    (
        "Required if Measured Value Sequence (0040,A300) is empty.",
        All((Present(0x0040A300), Not(HasValue(0x0040A300)))),
        None,
        None,
        None,
    ),
    (
        "Required if Modality LUT Sequence (0028,3000) is not present. Shall not be present "
        "otherwise.",
        Not(Present(0x00283000)),
        "shall-not",
        None,
        None,
    ),
    ("Required if Observer Type value is DEV.", Equals(0x0040A084, ("DEV",)), None, None, None),
    (
        "Required if Patient Identity Removed (0012,0062) is present and has a value of YES and "
        "De-identification Method (0012,0063) is not present. May be present otherwise.",
        All(
            (
                All((Present(0x00120062), Equals(0x00120062, ("YES",)))),
                Not(Present(0x00120063)),
            )
        ),
        "may",
        None,
        None,
    ),
    (
        "Required if Photometric Interpretation (0028,0004) has a value of PALETTE COLOR or "
        "Pixel Presentation (0008,9205) at the image level equals COLOR or MIXED. See Section "
        "C.7.6.3.1.5 for further explanation.",
        Any(
            (
                Equals(0x00280004, ("PALETTE COLOR",)),
                Scoped(Equals(0x00089205, ("COLOR", "MIXED")), "dataset"),
            )
        ),
        None,
        None,
        None,
    ),
    (
        "Required if Pixel Data (7FE0,0010) or Real World Value LUT Data (0040,9212) is present "
        "or Double Float Real World Value First Value Mapped (0040,9214) is absent.",
        Any((Any((Present(0x7FE00010), Present(0x00409212))), Not(Present(0x00409214)))),
        None,
        None,
        None,
    ),
    (
        "Required if Pixel Padding Range Limit (0028,0121) is present and either Pixel Data "
        "(7FE0,0010) or Pixel Data Provider URL (0028,7FE0) is present. May be present otherwise "
        "only if Pixel Data (7FE0,0010) or Pixel Data Provider URL (0028,7FE0) is present.",
        All((Present(0x00280121), Any((Present(0x7FE00010), Present(0x00287FE0))))),
        "may",
        Any((Present(0x7FE00010), Present(0x00287FE0))),
        None,
    ),
    (
        "Required if Pixel Presentation (0008,9205) in the Enhanced CT Image Module equals COLOR "
        "or MIXED.",
        Scoped(Equals(0x00089205, ("COLOR", "MIXED")), "dataset"),
        None,
        None,
        None,
    ),
    (
        "Required if Planes in Acquisition (0018,9410) is not equal to UNDEFINED.",
        other_than(0x00189410, "UNDEFINED"),
        None,
        None,
        None,
    ),
    (
        "Required if Required if Frame Type (0008,9007) Value 4 of this frame is ENERGY_PROP_WT. "
        "May be present otherwise.",
        frame_type_is("ENERGY_PROP_WT", 4),
        "may",
        None,
        None,
    ),
    ("Required if Rescale Intercept is present.", Present(0x00281052), None, None, None),
    (
        "Required if Respiratory Motion Compensation Technique (0018,9170) equals other than "
        "NONE or REALTIME and Respiratory Trigger Type (0020,9250) is absent or has a value of "
        "TIME or BOTH.",
        All(
            (
                other_than(0x00189170, "NONE", "REALTIME"),
                Any((Not(Present(0x00209250)), Equals(0x00209250, ("TIME", "BOTH")))),
            )
        ),
        None,
        None,
        None,
    ),
    (
        "Required if Responsible Person is present and has a value.",
        All((Present(0x00102297), HasValue(0x00102297))),
        None,
        None,
        None,
    ),
    (
        "Required if STOW-RS Storage Sequence (0040,4072) or XDS Storage Sequence (0040,4074) is "
        "not present. May be present otherwise.",
        Not(Any((Present(0x00404072), Present(0x00404074)))),
        "may",
        None,
        None,
    ),
    (
        "Required if Samples per Pixel (0028,0002) has a value greater than 1. See Section "
        "C.7.6.3.1.3 for further explanation.",
        Compare(0x00280002, ">", 1),
        None,
        None,
        None,
    ),
    (
        "Required if Selector Attribute VR (0072,0050) is present and the value is DS, and "
        "Numeric Value Qualifier Code Sequence (0040,A301) is not present.",
        All(
            (
                All((Present(0x00720050), Equals(0x00720050, ("DS",)))),
                Not(Present(0x0040A301)),
            )
        ),
        None,
        None,
        None,
    ),
    (
        "Required if Type of Instances (0040,E020) is DICOM",
        Equals(0x0040E020, ("DICOM",)),
        None,
        None,
        None,
    ),
    (
        "Required if either Exposure Time in ms (0018,9328) or X-Ray Tube Current in mA "
        "(0018,9330) are not present. May be present otherwise.",
        Any((Not(Present(0x00189328)), Not(Present(0x00189330)))),
        "may",
        None,
        None,
    ),
    (
        "Required if either Patient's Birth Date in Alternative Calendar (0010,0033) or "
        "Patient's Alternative Death Date in Calendar (0010,0034) is present.",
        Any((Present(0x00100033), Present(0x00100034))),
        None,
        None,
        None,
    ),
    (
        "Required if either:\nFrame Type (0008,9007) Value 1 of this frame is ORIGINAL and "
        "Volumetric Properties (0008,9206) of this frame is other than DISTORTED\nSOP Class UID "
        'is Segmentation Storage ("1.2.840.10008.5.1.4.1.1.66.4") and Frame of Reference UID '
        "(0020,0052) is present\nMay be present otherwise.",
        Any(
            (
                All(
                    (
                        frame_type_is("ORIGINAL"),
                        Scoped(other_than(0x00089206, "DISTORTED"), "frame"),
                    )
                ),
                All(
                    (
                        Equals(SOP_CLASS_UID, ("1.2.840.10008.5.1.4.1.1.66.4",)),
                        Present(0x00200052),
                    )
                ),
            )
        ),
        "may",
        None,
        None,
    ),
    (
        "Required if the Rescale Type is not HU (Hounsfield Units). May be present otherwise.",
        other_than(0x00281054, "HU"),
        "may",
        None,
        None,
    ),
    (
        'Required if the value of Context Group Extension Flag (0008,010B) is "Y".',
        Equals(0x0008010B, ("Y",)),
        None,
        None,
        None,
    ),
    (
        "Required if the value of Dimension Index Sequence (0020,9222) exists.",
        HasValue(0x00209222),
        None,
        None,
        None,
    ),
    (
        "Required if the value of Dimension Organization Sequence (0020,9221) contains Items",
        HasValue(0x00209221),
        None,
        None,
        None,
    ),
    (
        "Required, if Spatial Transform of Dose (3004,0005) is provided and has a value of RIGID "
        "or NON_RIGID.",
        All((Present(0x30040005), Equals(0x30040005, ("RIGID", "NON_RIGID")))),
        None,
        None,
        None,
    ),
    (
        "Shall be present if Clinical Trial Subject ID (0012,0040) is absent. May be present "
        "otherwise. See Section C.7.1.3.1.7.",
        Not(Present(0x00120040)),
        "may",
        None,
        None,
    ),
    (
        "Shall be present if Code Value (0008,0100) or Long Code Value (0008,0119) is present. "
        "May be present otherwise.",
        Any((Present(0x00080100), Present(0x00080119))),
        "may",
        None,
        None,
    ),
    (
        "if and only if Value Type (0040,A040) is SCOORD3D",
        Equals(VALUE_TYPE, ("SCOORD3D",)),
        "shall-not",
        None,
        None,
    ),
    # Modality LUT Sequence (C.11-1b) states only a prohibition: never required by its own text
    # (Rescale Intercept's "Required if Modality LUT Sequence (0028,3000) is not present" is
    # what asks for one of the two).
    (
        "Shall not be present if Rescale Intercept (0028,1052) is present.",
        Any(()),
        None,
        None,
        Present(0x00281052),
    ),
    # A coded value is (Code Value, Coding Scheme Designator, "Code Meaning"); "one … Item".
    (
        "Required if one Derivation Code Sequence (0008,9215) Item value is (113097, DCM, "
        '"Multi-energy proportional weighting"). May be present otherwise.',
        HasCode(0x00089215, (("113097", "DCM"),)),
        "may",
        None,
        None,
    ),
    (
        "Required if the Dimension Index Pointer (0020,9165) value is the Data Element Tag of "
        "a Private Attribute.",
        PointsToPrivate(0x00209165),
        None,
        None,
        None,
    ),
    # The published text lacks the tag's opening bracket.
    (
        "Required if the Functional Group Pointer 0020,9167) value is the Data Element Tag of "
        "a Private Attribute.",
        PointsToPrivate(0x00209167),
        None,
        None,
        None,
    ),
    # Contrast/Bolus Agent Phase (C.7.16-13) names the Route Sequence of the *other* sequence's
    # item with the same Agent Number: a join the nodes do not express, so it stays text.
    (
        "Required if Contrast/Bolus Administration Route Sequence (0018,0014) for the "
        "Contrast/Bolus Agent Number (0018,9337) defined in the Contrast/Bolus Agent Sequence "
        '(0018,0012) is (G-D101, SRT, "Intravenous route") or (G-D101, SNM3, "Intravenous '
        'route"); may be present otherwise.',
        Unverifiable(
            "Contrast/Bolus Administration Route Sequence (0018,0014) for the Contrast/Bolus "
            "Agent Number (0018,9337) defined in the Contrast/Bolus Agent Sequence (0018,0012) is "
            '(G-D101, SRT, "Intravenous route") or (G-D101, SNM3, "Intravenous route")'
        ),
        "may",
        None,
        None,
    ),
    # -- partly parsed: the rest of the expression is certain, one clause is about the world
    (
        "Required if Value Type (0040,A040) is TEXT, NUM, CODE, DATETIME, DATE, TIME, UIDREF, "
        "TABLE or PNAME.\nRequired if Value Type (0040,A040) is CONTAINER and a heading is "
        "present, or this is the Root Content Item.\nRequired if Value Type (0040,A040) is "
        "COMPOSITE, IMAGE, WAVEFORM, SCOORD, SCOORD3D or TCOORD, and the Purpose of Reference is "
        "conveyed in the Concept Name.",
        Any(
            (
                Equals(
                    VALUE_TYPE,
                    ("TEXT", "NUM", "CODE", "DATETIME", "DATE", "TIME", "UIDREF", "TABLE", "PNAME"),
                ),
                Unverifiable(
                    "Value Type (0040,A040) is CONTAINER and a heading is present, or this is "
                    "the Root Content Item"
                ),
                All(
                    (
                        Equals(
                            VALUE_TYPE,
                            ("COMPOSITE", "IMAGE", "WAVEFORM", "SCOORD", "SCOORD3D", "TCOORD"),
                        ),
                        Unverifiable("the Purpose of Reference is conveyed in the Concept Name"),
                    )
                ),
            )
        ),
        None,
        None,
        None,
    ),
    (
        "Required if the patient is an animal and if Patient Species Code Sequence (0010,2202) "
        "is not present. May be present otherwise.",
        All((Unverifiable("the patient is an animal"), Not(Present(0x00102202)))),
        "may",
        None,
        None,
    ),
    (
        "Required if the body part examined is a paired structure and Image Laterality "
        "(0020,0062) or Frame Laterality (0020,9072) or Measurement Laterality (0024,0113) are "
        "not sent.",
        All(
            (
                Unverifiable("the body part examined is a paired structure"),
                Not(Any((Present(0x00200062), Present(0x00209072), Present(0x00240113)))),
            )
        ),
        None,
        None,
        None,
    ),
    (
        "Required if Table Column Number is absent, or all the rows for the column specified in "
        "Table Column Number are not encoded in a single Attribute (containing multiple values) "
        "in this Item (i.e., with a single VR).",
        Any(
            (
                Not(Present(0x0040A805)),
                Unverifiable(
                    "all the rows for the column specified in Table Column Number are not encoded "
                    "in a single Attribute (containing multiple values) in this Item (i.e., with "
                    "a single VR)"
                ),
            )
        ),
        None,
        None,
        None,
    ),
    # -- the real world, other instances, unknown phrasing: text only
    (
        "Required if contrast media was used in this image",
        Unverifiable("contrast media was used in this image"),
        None,
        None,
        None,
    ),
    (
        "Required if Presentation State is generated during acquisition, shall not be present "
        "otherwise.",
        Unverifiable("Presentation State is generated during acquisition"),
        "shall-not",
        None,
        None,
    ),
    (
        "Required if image does not require Image Orientation (Patient) (0020,0037) and Image "
        "Position (Patient) (0020,0032). May be present otherwise. See Section C.7.6.1.1.1 for "
        "further explanation.",
        Unverifiable(
            "image does not require Image Orientation (Patient) (0020,0037) and Image Position "
            "(Patient) (0020,0032)"
        ),
        "may",
        None,
        None,
    ),
    (
        "Required if the value of Referenced SOP Class UID (0008,1150) of the referenced image "
        "is 1.2.840.10008.5.1.4.1.1.77.1.6 (VL Whole Slide Microscopy Image). May be present "
        "otherwise.",
        Unverifiable(
            "the value of Referenced SOP Class UID (0008,1150) of the referenced image is "
            "1.2.840.10008.5.1.4.1.1.77.1.6 (VL Whole Slide Microscopy Image)"
        ),
        "may",
        None,
        None,
    ),
    (
        "Required if the value is not TIME, may be present otherwise.",
        Unverifiable("the value is not TIME"),
        "may",
        None,
        None,
    ),
    (
        "Shall be present if Code Value (0008,0100) is not present and the Code Value is a URN or "
        "URL.",
        Unverifiable("Code Value (0008,0100) is not present and the Code Value is a URN or URL"),
        None,
        None,
        None,
    ),
    (
        "if the Target Content Item is included by-value in the Source Content Item. The Macro "
        "shall not be present if the relationship is by-reference",
        Unverifiable("the Target Content Item is included by-value in the Source Content Item"),
        None,
        None,
        Unverifiable("the relationship is by-reference"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0][:60] for c in CASES])
def test_real_condition_texts_parse_to_the_trees_a_reader_sees(case: Case) -> None:
    text, requirement, otherwise, otherwise_if, forbidden_if = case
    expected = Condition(requirement, otherwise, text, otherwise_if, forbidden_if)
    assert parse(text, NAMES) == expected


def test_there_are_at_least_forty_hand_read_cases() -> None:
    assert len(CASES) >= 40
    assert len({c[0] for c in CASES}) == len(CASES)


# -- references -----------------------------------------------------------------------------------
def test_a_known_name_written_before_another_tag_is_not_trusted() -> None:
    # "Pixel Data" names (7FE0,0010): before (0028,0010) one of the two is wrong.
    condition = parse("Required if Pixel Data (0028,0010) is present.", NAMES)
    assert condition.requirement == Unverifiable("Pixel Data (0028,0010) is present")


def test_a_name_variant_before_its_tag_is_accepted() -> None:
    condition = parse("Required if Real Word Value Intercept (0040,9224) is present.", NAMES)
    assert condition.requirement == Present(0x00409224)


def test_names_without_a_tag_must_be_written_as_names() -> None:
    # Lower case "image type" is prose, not the attribute.
    condition = parse("Required if image type is ORIGINAL.", NAMES)
    assert condition.requirement == Unverifiable("image type is ORIGINAL")


def test_value_n_of_x_and_numeric_comparisons() -> None:
    text = "Required if Value 3 of Image Type (0008,0008) is LOCALIZER."
    assert parse(text, NAMES).requirement == Equals(IMAGE_TYPE, ("LOCALIZER",), 3)
    text = "Required if Rows (0028,0010) is greater than or equal to 256."
    assert parse(text, NAMES).requirement == Compare(0x00280010, ">=", 256)
    text = "Required if Rows (0028,0010) is less than 1.5 and Columns (0028,0011) is 0."
    assert parse(text, NAMES).requirement == All(
        (Compare(0x00280010, "<", 1.5), Equals(0x00280011, (0,)))
    )


def test_mixed_and_or_at_one_level_stays_text() -> None:
    text = (
        "Required if Rows (0028,0010) is present and Columns (0028,0011) is present or "
        "Pixel Data (7FE0,0010) is present."
    )
    condition = parse(text, NAMES)
    assert condition.requirement == Unverifiable(text.removeprefix("Required if ").rstrip("."))


def test_an_unknown_lead_keeps_the_whole_text() -> None:
    text = "Present only when the moon is full."
    assert parse(text, NAMES).requirement == Unverifiable(text)


def test_lead_variants_are_rules_not_texts() -> None:
    # what the sentence is about named first; "Required for <words> where"; a doubled lead
    text = "The Sequence shall not be present if Rescale Intercept is present."
    assert parse(text, NAMES).forbidden_if == Present(0x00281052)
    text = "Required for multi-frame images where Rescale Intercept is present."
    assert parse(text, NAMES).requirement == Present(0x00281052)
    text = "Required if required if Rescale Intercept is present."
    assert parse(text, NAMES).requirement == Present(0x00281052)
    # a subject before "Required" is not a lead
    text = "The Sequence required if Rescale Intercept is present."
    assert parse(text, NAMES).requirement == Unverifiable(text)


# -- round trips --------------------------------------------------------------------------------
ATTRIBUTES = {
    0x00080008: "Image Type",
    0x00180060: "KVP",
    0x00280002: "Samples per Pixel",
    0x00120062: "Patient Identity Removed",
    0x00189302: "Acquisition Type",
    0x0040A040: "Value Type",
    0x00209161: "Concatenation UID",
}
ROUND_TRIP_NAMES = {normalise(name): tag for tag, name in ATTRIBUTES.items()}
tags = st.sampled_from(sorted(ATTRIBUTES))
codes = st.lists(
    st.sampled_from(
        ["ORIGINAL", "DERIVED", "MIXED", "YES", "NO", "CONSTANT_ANGLE", "PALETTE COLOR"]
    ),
    min_size=1,
    max_size=3,
    unique=True,
).map(tuple)
indexes = st.one_of(st.none(), st.integers(min_value=1, max_value=4))
leaves: st.SearchStrategy[Node] = st.one_of(
    tags.map(Present),
    tags.map(lambda t: Not(Present(t))),
    tags.map(HasValue),
    st.builds(Equals, tags, codes, indexes),
    st.builds(
        lambda t, v, i: All((HasValue(t), Not(Equals(t, v, i)))),
        tags,
        codes,
        indexes,
    ),
    st.builds(
        Compare,
        tags,
        st.sampled_from([">", ">=", "<", "<="]),
        st.integers(min_value=0, max_value=4096),
        indexes,
    ),
)
trees: st.SearchStrategy[Node] = st.one_of(
    leaves,
    st.lists(leaves, min_size=2, max_size=4).map(lambda parts: All(tuple(parts))),
    st.lists(leaves, min_size=2, max_size=4).map(lambda parts: Any(tuple(parts))),
)


@settings(max_examples=300, deadline=None)
@given(tree=trees, otherwise=st.sampled_from([None, "may", "shall-not"]))
def test_described_trees_parse_back_to_themselves(tree: Node, otherwise: Otherwise | None) -> None:
    tail = {
        None: "",
        "may": " May be present otherwise.",
        "shall-not": " Shall not be present otherwise.",
    }[otherwise]
    text = f"Required if {describe(tree, ATTRIBUTES.__getitem__)}.{tail}"
    assert parse(text, ROUND_TRIP_NAMES) == Condition(tree, otherwise, text)


CLAUSES: list[tuple[str, Node]] = [
    ("Pixel Data (7FE0,0010) is present", Present(0x7FE00010)),
    (
        "Image Type (0008,0008) Value 1 is ORIGINAL or MIXED",
        Equals(IMAGE_TYPE, ("ORIGINAL", "MIXED"), 1),
    ),
    ("Exposure in mAs (0018,9332) is not present", Not(Present(0x00189332))),
    ("Samples per Pixel (0028,0002) has a value greater than 1", Compare(0x00280002, ">", 1)),
    (
        "Acquisition Type (0018,9302) is other than CONSTANT_ANGLE",
        other_than(0x00189302, "CONSTANT_ANGLE"),
    ),
    ("Rescale Intercept is present", Present(0x00281052)),
    ("Observer Type value is DEV", Equals(0x0040A084, ("DEV",))),
    ("Concatenation UID (0020,9161) is not empty", HasValue(0x00209161)),
]


@settings(max_examples=200, deadline=None)
@given(
    chosen=st.lists(st.sampled_from(CLAUSES), min_size=2, max_size=4),
    conjunction=st.sampled_from([" and ", " or ", ", and ", " and if "]),
)
def test_known_clauses_joined_by_and_or_parse_to_all_or_any(
    chosen: list[tuple[str, Node]], conjunction: str
) -> None:
    text = "Required if " + conjunction.join(c[0] for c in chosen) + "."
    parts = tuple(c[1] for c in chosen)
    expected = Any(parts) if conjunction == " or " else All(parts)
    assert parse(text, NAMES).requirement == expected


# -- names ----------------------------------------------------------------------------------------
def _entry(tag: str, name: str, keyword: str, *, retired: bool = False) -> DataElementEntry:
    spec = TagSpec.parse(tag)
    assert spec is not None
    return DataElementEntry(spec, name, keyword, ("CS",), "CS", "1", retired, "", "table_6-1", 1)


def _row(tag: str, name: str) -> AttributeRow:
    spec = TagSpec.parse(tag)
    assert spec is not None
    return AttributeRow(0, name, spec, AttributeType.TYPE_3, "3", "", None, (), 1)


def test_names_come_from_the_dictionary_then_ps33_and_ambiguity_drops_a_name() -> None:
    part06 = Part06(
        data_elements=(
            _entry("(0008,0008)", "Image Type", "ImageType"),
            _entry("(0028,0010)", "Rows", "Rows"),
            _entry("(0028,1111)", "Twice", "TwiceOld", retired=True),
            _entry("(0028,2222)", "Twice", "TwiceNew"),
            _entry("(0028,3333)", "Both Current", "BothA"),
            _entry("(0028,4444)", "Both Current", "BothB"),
            _entry("(60xx,3000)", "Overlay Data", "OverlayData"),
        ),
        uids=(),
        counts={},
    )
    table = AttributeTable(
        "table_X",
        "X Module Attributes",
        "X Module",
        "module",
        None,
        (_row("(0018,9621)", "Functional MR Sequence"), _row("(0028,0011)", "Rows")),
    )
    part03 = Part03({"table_X": table}, (), {}, {}, {})
    names = conditions.names_from(Standard(parts=(), part06=part06, part03=part03))
    assert names["image type"] == 0x00080008
    assert names["imagetype"] == 0x00080008
    assert names["twice"] == 0x00282222  # the current entry wins over the retired one
    assert "both current" not in names  # two current tags: no name
    assert "overlay data" not in names  # repeating groups are not named
    assert names["functional mr sequence"] == 0x00189621  # newer than the dictionary
    assert names["rows"] == 0x00280010  # PS3.3 does not rename a dictionary name


# -- the real standard ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def standard() -> Standard:
    require_pinned_parts()
    from dicomstd.codegen import inputs, pipeline

    return pipeline.build(inputs.resolve({}, inputs.read_pins()))


@pytest.mark.standard
def test_collect_finds_every_distinct_text_with_where_it_occurs(standard: Standard) -> None:
    collected = dict(conditions.collect(standard))
    assert len(collected) == 291
    assert list(collected) == sorted(collected)
    contrast = collected["Required if contrast media was used in this image"]
    assert [str(loc) for loc in contrast] == [
        "table_A.3-1 row 13: module Contrast/Bolus in CT Image"
    ]
    code = collected["if and only if Value Type (0040,A040) is CODE"]
    assert {loc.kind for loc in code} == {"include"}
    samples = collected["Required if Pixel Data (7FE0,0010) is present."]
    assert any(loc.label == "(0028,0002) Samples per Pixel" for loc in samples)


@pytest.mark.standard
def test_the_hand_read_cases_parse_the_same_with_the_standards_names(standard: Standard) -> None:
    names = conditions.names_from(standard)
    collected = dict(conditions.collect(standard))
    for text, requirement, otherwise, otherwise_if, forbidden_if in CASES:
        if text.startswith(("Required if Pixel Data (0028", "Present only")):
            continue
        assert text in collected, text
        expected = Condition(requirement, otherwise, text, otherwise_if, forbidden_if)
        assert parse(text, names) == expected, text


@pytest.mark.standard
def test_coverage_counts_and_the_report_section(standard: Standard) -> None:
    result = conditions.coverage(standard)
    assert result.total == 291
    assert len(result.parsed) + len(result.partial) + len(result.unparsed) == 291
    # Measured on the 2016c excerpt: 192 whole, 14 in part; a drop is a regression.
    assert len(result.parsed) >= 192
    assert all(result.conditions[t].verifiable for t in result.parsed)
    assert not any(result.conditions[t].verifiable for t in result.partial + result.unparsed)
    section = conditions.report_section(standard)
    assert section["total"] == 291
    assert section["parsed"] == len(result.parsed)
    assert section["percent_parsed"] == round(100 * len(result.parsed) / 291, 1)
    assert section["unparsed_texts"] == sorted(result.partial + result.unparsed)
    assert "Required if the patient is an animal." in result.unparsed


@pytest.mark.standard
def test_the_conditions_command_prints_the_coverage(standard: Standard) -> None:
    result = conditions.coverage(standard)
    shown = run_codegen("conditions")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "conditions of PS3.3 2016c: 291 distinct texts"
    assert lines[1].split() == ["parsed:", str(len(result.parsed)), f"({result.percent_parsed}%)"]
    assert lines[2].split()[:2] == ["partial:", str(len(result.partial))]
    assert lines[3].split() == ["unparsed:", str(len(result.unparsed))]
    assert "contrast media" not in shown.stdout

    listed = run_codegen("conditions", "--unparsed")
    assert listed.returncode == 0, listed.stderr
    assert "- Required if contrast media was used in this image" in listed.stdout
    assert "    unverifiable: the patient is an animal" in listed.stdout

    trees = run_codegen("conditions", "--trees")
    assert trees.returncode == 0, trees.stderr
    assert (
        "Required if Pixel Data (7FE0,0010) is present.\n  requirement: Present(0x7FE00010)\n"
        in trees.stdout
    )

    as_json = run_codegen("conditions", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["total"] == 291
    assert data["parsed"] == len(result.parsed)
    assert len(data["unparsed_texts"]) == len(result.partial) + len(result.unparsed)


# -- emission -------------------------------------------------------------------------------------
def test_emitted_constructor_calls_rebuild_the_condition() -> None:
    condition = parse(CASES[1][0], NAMES)
    used: set[str] = set()
    source = emit_conditions.condition_source(condition, indent=4, used=used)
    assert all(len(line) <= 100 for line in source.splitlines())
    assert "0x00540410" in source
    namespace: dict[str, object] = {}
    exec(f"from dicomstd.conditions import {', '.join(sorted(used))}", namespace)
    assert eval(source.strip(), namespace) == condition


@pytest.mark.standard
def test_the_generated_table_imports_and_maps_texts_to_trees(
    standard: Standard, tmp_path: Path
) -> None:
    environment = render.environment()
    written = []
    for relative, template, context in emit_conditions.files(standard):
        target = tmp_path / relative
        target.write_text(environment.get_template(template).render(**context), "utf-8")
        written.append(target)
    assert [p.name for p in written] == ["conditions.py"]
    path = written[0]
    lint = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--config",
            str(ROOT / "pyproject.toml"),
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    spec = importlib.util.spec_from_file_location("generated_conditions", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    table: dict[str, Condition] = module.CONDITIONS
    assert len(table) == 291
    assert list(table) == sorted(table)
    assert table == conditions.coverage(standard).conditions  # the calls rebuild every tree
    text = (
        "Required if Samples per Pixel (0028,0002) has a value greater than 1. See Section "
        "C.7.6.3.1.3 for further explanation."
    )
    assert table[text] == Condition(Compare(0x00280002, ">", 1), None, text)
    text = "if and only if Value Type (0040,A040) is TCOORD"
    assert table[text] == Condition(Equals(VALUE_TYPE, ("TCOORD",)), "shall-not", text)
    text = "Required if the patient is an animal."
    assert table[text] == Condition(Unverifiable("the patient is an animal"), None, text)
    assert "0x00280002" in path.read_text("utf-8")
