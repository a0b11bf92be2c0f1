"""Naming rules (dicomstd.codegen.naming): names of the standard -> Python identifiers."""

from __future__ import annotations

import keyword

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dicomstd.codegen import naming


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0, "Zero"),
        (3, "Three"),
        (12, "Twelve"),
        (19, "Nineteen"),
        (20, "Twenty"),
        (21, "TwentyOne"),
        (40, "Forty"),
        (99, "NinetyNine"),
        (100, "N100"),
    ],
)
def test_number_words(value: int, words: str) -> None:
    assert naming.number_words(value) == words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Patient's Name", ["Patients", "Name"]),
        ("Patient’s Name", ["Patients", "Name"]),
        ("JPEG Extended (Process 3 & 5)", ["JPEG", "Extended", "Process", "3", "5"]),
        ("  Multi-frame  ", ["Multi", "frame"]),
        ("'quoted'", ["quoted"]),
        ("", []),
    ],
)
def test_words(text: str, expected: list[str]) -> None:
    assert naming.words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Patient's Name", "PatientsName"),
        ("12-lead ECG", "TwelveLeadECG"),
        ("3D Mating Axes", "ThreeDMatingAxes"),
        ("Ultrasound Multi-frame Image", "UltrasoundMultiFrameImage"),
        ("CT Image Storage", "CTImageStorage"),
        ("mm per pixel", "MmPerPixel"),
        ("", ""),
        ("&", ""),
        ("None", "None_"),
        ("true", "True_"),
    ],
)
def test_camel(text: str, expected: str) -> None:
    assert naming.camel(text) == expected


@pytest.mark.parametrize(
    ("name", "keyword"),
    [
        # the examples of the rules, and names as PS3.6 2015b table A-1 writes them
        ("Implicit VR Little Endian: Default Transfer Syntax for DICOM", "ImplicitVRLittleEndian"),
        ("JPEG Extended (Process 3 & 5) (Retired)", "JPEGExtendedProcess35"),
        ("Verification SOP Class", "Verification"),
        ("Storage Commitment Push Model SOP Class", "StorageCommitmentPushModel"),
        ("Explicit VR Big Endian (Retired)", "ExplicitVRBigEndian"),
        ("Ultrasound Multi-frame Image Storage (Retired)", "UltrasoundMultiFrameImageStorage"),
        ("12-lead ECG Waveform Storage", "TwelveLeadECGWaveformStorage"),
        ("CT Image Storage", "CTImageStorage"),
        ("dicomDeviceName", "DicomDeviceName"),
        ("Physician's Report (retired)", "PhysiciansReport"),
        ("SOP Class Common Extended Negotiation", "SOPClassCommonExtendedNegotiation"),
        ("", ""),
    ],
)
def test_uid_keyword(name: str, keyword: str) -> None:
    assert naming.uid_keyword(name) == keyword


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CT Image", "ct_image"),
        ("Contrast/Bolus", "contrast_bolus"),
        ("3D Spatial Coordinates Macro", "_3d_spatial_coordinates_macro"),
        ("class", "class_"),
        ("Import", "import_"),
        ("", "_"),
        ("!!", "_"),
    ],
)
def test_snake(text: str, expected: str) -> None:
    assert naming.snake(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plane Position (Patient) Macro", "PlanePositionPatientMacro"),
        ("SOP Common Module", "SOPCommonModule"),
        ("", "Unnamed"),
    ],
)
def test_class_name(text: str, expected: str) -> None:
    assert naming.class_name(text) == expected


@pytest.mark.parametrize(
    ("table_id", "key"),
    [
        ("table_C.7.6.16-2", "c_7_6_16_2"),
        ("table_A.3-1", "a_3_1"),
        ("table_10-15", "_10_15"),
    ],
)
def test_table_key(table_id: str, key: str) -> None:
    assert naming.table_key(table_id) == key


NAMES = st.text(
    alphabet=st.characters(categories=["L", "N", "P", "Zs"], codec="utf-8"), max_size=60
)


@given(NAMES)
def test_uid_keyword_is_an_identifier_or_empty(name: str) -> None:
    result = naming.uid_keyword(name)
    assert result == "" or (result.isidentifier() and not keyword.iskeyword(result))
    assert result == "" or result.isascii()


@given(NAMES)
def test_snake_is_always_a_usable_identifier(text: str) -> None:
    result = naming.snake(text)
    assert result.isidentifier()
    assert not keyword.iskeyword(result)
    assert result == result.lower()


@given(NAMES)
def test_class_name_is_always_an_identifier(text: str) -> None:
    result = naming.class_name(text)
    assert result.isidentifier()
    assert not keyword.iskeyword(result)
    assert result[0].isupper()
