"""Typed building and round trips: ``Tag`` by keyword, IOD classes that refuse a data set of
another SOP Class, report modules that disagree, keep what the IOD does not define, write File
Meta Information, and skeletons of a SOP Class.

Expected values are read from the standard: PS3.3 2016c (the module tables quoted at each test),
PS3.4 2016c B.5 (SOP Classes), PS3.5 2015b, PS3.6 2015b (keywords), PS3.10 7.1 (File Meta
Information). The data sets are pydicom's own test files.
"""

from __future__ import annotations

import copy
import io
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import attrs
import pytest
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.tag import Tag as PydicomTag

from dicomstd import Tag
from dicomstd.errors import UnknownIODError
from dicomstd.iods import CTImage, EnhancedCTImage, EnhancedXRayAngiographicImage, RTDose
from dicomstd.model import (
    IMPLEMENTATION_CLASS_UID,
    Conflict,
    ConflictError,
    IodModel,
    SOPClassMismatchError,
    file_meta_for,
)
from dicomstd.modules import (
    CodeSequenceMacro,
    CTImageModule,
    GeneralImageModule,
    ImagePixelModule,
    PatientModule,
    RTDoseModule,
)
from dicomstd.skeleton import Skeleton, resolve_sop_class, skeleton
from dicomstd.tag import UnknownKeywordError
from dicomstd.validation import validate
from tests.validate.conftest import read_pydicom_file

# PS3.4 2016c table B.5-1
CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4"
RT_DOSE_STORAGE = "1.2.840.10008.5.1.4.1.1.481.2"
ENHANCED_CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2.1"
# PS3.6 2015b table A-1
EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1"


def read(name: str) -> Dataset:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rtdose.dcm holds a UID pydicom warns about
        return read_pydicom_file(name)


# -- Tag by keyword ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("keyword", "tag"),
    [
        # PS3.6 2015b table 6-1: keyword and tag of each
        ("PatientName", 0x00100010),
        ("SOPClassUID", 0x00080016),
        ("StudyInstanceUID", 0x0020000D),
        ("PixelData", 0x7FE00010),
        ("PerFrameFunctionalGroupsSequence", 0x52009230),
    ],
)
def test_a_keyword_gives_its_tag_as_pydicom_does(keyword: str, tag: int) -> None:
    assert Tag(keyword) == tag == PydicomTag(keyword)
    assert isinstance(Tag(keyword), Tag)
    text = f"({tag >> 16:04X},{tag & 0xFFFF:04X})"
    assert Tag(keyword) == Tag(text) == Tag(text[1:5] + text[6:10]) == Tag(tag)
    assert Tag(f" {keyword} ") == tag


@pytest.mark.parametrize(
    ("typed", "meant"), [("PatientNmae", "PatientName"), ("patientname", "PatientName")]
)
def test_an_unknown_keyword_is_a_value_error_naming_close_matches(typed: str, meant: str) -> None:
    with pytest.raises(ValueError, match=f"close matches: .*{meant}") as caught:
        Tag(typed)
    assert isinstance(caught.value, UnknownKeywordError)
    assert meant in caught.value.close_matches
    assert repr(typed) in str(caught.value)


def test_a_keyword_with_nothing_close_says_so_and_a_repeating_group_names_its_pattern() -> None:
    with pytest.raises(ValueError) as caught:
        Tag("Qqqqqqqqqqq")
    assert "close matches" not in str(caught.value)
    # PS3.6 2015b table 6-1: Overlay Data (60xx,3000), a repeating group: no single tag
    with pytest.raises(ValueError, match=r"\(60xx,3000\)"):
        Tag("OverlayData")


# -- the SOP Class of a data set --------------------------------------------------------------
def test_a_data_set_of_another_sop_class_is_refused_with_what_each_is() -> None:
    mr = read("MR_small.dcm")
    with pytest.raises(SOPClassMismatchError) as caught:
        CTImage.from_dataset(mr)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.found == MR_IMAGE_STORAGE
    assert error.expected == (CT_IMAGE_STORAGE,)
    message = str(error)
    for part in (
        MR_IMAGE_STORAGE,
        "MR Image Storage",
        CT_IMAGE_STORAGE,
        "CT Image Storage",
        "table A.3-1",  # the CT Image IOD
        "PS3.4 B.5",
        "strict=False",
    ):
        assert part in message, part


def test_the_refusal_names_the_class_that_reads_the_data_set() -> None:
    with pytest.raises(SOPClassMismatchError, match=r"dicomstd\.iods\.CTImage"):
        RTDose.from_dataset(read("CT_small.dcm"))


def test_strict_false_reads_any_data_set_and_loses_nothing() -> None:
    mr = read("MR_small.dcm")
    image = CTImage.from_dataset(mr, strict=False)
    assert image.patient.PatientName == str(mr.PatientName)
    assert_same(mr, image.to_dataset())


@pytest.mark.filterwarnings("ignore:Invalid value for VR UI")  # the NUL this test pads with
def test_a_data_set_without_sop_class_or_with_a_padded_one_is_read() -> None:
    ds = Dataset()
    ds.PatientName = "Doe^Jane"
    assert CTImage.from_dataset(ds).patient.PatientName == "Doe^Jane"
    ds.add_new(0x00080016, "UI", CT_IMAGE_STORAGE + "\0")  # padded to even length
    assert CTImage.from_dataset(ds).sop_common.SOPClassUID == CT_IMAGE_STORAGE + "\0"


# -- modules that disagree --------------------------------------------------------------------
def conflicting_ct() -> CTImage:
    # Samples per Pixel (0028,0002) is in the Image Pixel Module (table C.7-11b, Type 1) and in
    # the CT Image Module (table C.8-3, Type 1), both M in table A.3-1
    return CTImage(
        image_pixel=ImagePixelModule(SamplesPerPixel=1, Rows=4),
        ct_image=CTImageModule(SamplesPerPixel=3, KVP=120.0),
    )


def test_different_values_of_one_attribute_are_an_error_listing_tag_modules_and_values() -> None:
    image = conflicting_ct()
    expected = Conflict(
        Tag(0x00280002),
        "SamplesPerPixel",
        "SamplesPerPixel",
        (("image_pixel", 1), ("ct_image", 3)),
    )
    assert image.conflicts() == (expected,)
    with pytest.raises(ConflictError) as caught:
        image.to_dataset()
    assert caught.value.conflicts == (expected,)
    message = str(caught.value)
    for part in ("SamplesPerPixel", "(0028,0002)", "image_pixel: 1", "ct_image: 3"):
        assert part in message, part


def test_strict_false_writes_the_first_module_of_the_table() -> None:
    # table A.3-1 lists Image Pixel before CT Image
    written = conflicting_ct().to_dataset(strict=False)
    assert written.SamplesPerPixel == 1
    assert written.Rows == 4 and written.KVP == 120.0


def test_empty_in_one_module_and_a_value_in_another_disagree_absent_does_not() -> None:
    empty = ImagePixelModule(empty_tags=frozenset({0x00280100}))  # Bits Allocated
    image = CTImage(image_pixel=empty, ct_image=CTImageModule(BitsAllocated=16))
    (conflict,) = image.conflicts()
    assert conflict.values == (("image_pixel", None), ("ct_image", 16))
    assert "image_pixel: empty" in str(conflict)
    agreeing = CTImage(ct_image=CTImageModule(BitsAllocated=16))
    assert agreeing.conflicts() == ()
    assert agreeing.to_dataset().BitsAllocated == 16


def test_items_of_a_sequence_two_modules_define_are_compared_and_merged() -> None:
    # Derivation Code Sequence (0008,9215) and Referenced Instance Sequence (0008,114A): General
    # Image Module (table C.7-9) and RT Dose Module (table C.8-39), both in RT Dose (A.18.3-1)
    derived = CodeSequenceMacro(CodeValue="113072", CodingSchemeDesignator="DCM")
    other = CodeSequenceMacro(CodeValue="113076", CodingSchemeDesignator="DCM")
    dose = RTDose(
        general_image=GeneralImageModule(DerivationCodeSequence=(derived,)),
        rt_dose=RTDoseModule(DerivationCodeSequence=(other,)),
    )
    (conflict,) = dose.conflicts()
    assert conflict.path == "DerivationCodeSequence[0].CodeValue"
    assert conflict.values == (("general_image", "113072"), ("rt_dose", "113076"))
    longer = attrs.evolve(dose.rt_dose, DerivationCodeSequence=(derived, other))
    (conflict,) = attrs.evolve(dose, rt_dose=longer).conflicts()
    assert conflict.path == "DerivationCodeSequence"
    assert "general_image: 1 item(s); rt_dose: 2 item(s)" in str(conflict)


def test_the_items_of_one_sequence_in_two_modules_are_written_as_their_union() -> None:
    general = GeneralImageModule()
    dose_module = RTDoseModule()
    general_item = type(general).ReferencedInstanceSequenceItem(
        ReferencedSOPClassUID=CT_IMAGE_STORAGE
    )
    dose_item = type(dose_module).ReferencedInstanceSequenceItem(ReferencedSOPInstanceUID="1.2.3.4")
    dose = RTDose(
        general_image=attrs.evolve(general, ReferencedInstanceSequence=(general_item,)),
        rt_dose=attrs.evolve(dose_module, ReferencedInstanceSequence=(dose_item,)),
    )
    assert dose.conflicts() == ()
    (item,) = dose.to_dataset().ReferencedInstanceSequence
    assert item.ReferencedSOPClassUID == CT_IMAGE_STORAGE
    assert item.ReferencedSOPInstanceUID == "1.2.3.4"


@pytest.mark.filterwarnings("ignore:Invalid value for VR UI")  # a UID of rtdose.dcm
def test_a_file_read_has_no_conflicts() -> None:
    assert CTImage.from_dataset(read("CT_small.dcm")).conflicts() == ()
    assert RTDose.from_dataset(read("rtdose.dcm")).conflicts() == ()


# -- what the IOD does not define, and round trips --------------------------------------------
def assert_same(original: Dataset, written: Dataset, where: str = "", *, syntax: str = "") -> None:
    """The same elements at every depth, with the same VR and value.

    Left out: the retired Group Length elements (gggg,0000) of groups above 0006, which pydicom
    does not write (PS3.5 7.2). Encapsulated Pixel Data is OB (PS3.5 A.4) whatever VR the
    original gave it."""

    def tags(ds: Dataset) -> set[int]:
        return {int(e.tag) for e in ds if e.tag.element or e.tag.group <= 6}

    assert tags(written) == tags(original), f"{where}: {sorted(tags(written) ^ tags(original))}"
    for element in written:
        if int(element.tag) not in tags(original):
            continue
        source = original[element.tag]
        name = f"{where}{element.keyword or element.tag}"
        if element.tag == 0x7FE00010 and syntax and syntax_is_encapsulated(syntax):
            assert element.VR == "OB", name
        else:
            assert element.VR == source.VR, name
        if element.VR == "SQ":
            assert len(element.value) == len(source.value), name
            for index, (ours, theirs) in enumerate(zip(element.value, source.value, strict=True)):
                assert_same(theirs, ours, f"{name}[{index}].", syntax=syntax)
        else:
            assert element.value == source.value, name


def syntax_is_encapsulated(uid: str) -> bool:
    from pydicom.uid import UID

    return bool(UID(uid).is_encapsulated)


def written_and_read(dataset: Dataset) -> Dataset:
    buffer = io.BytesIO()
    dataset.save_as(buffer, enforce_file_format=True)
    return dcmread(io.BytesIO(buffer.getvalue()))


@pytest.mark.filterwarnings("ignore:Invalid value for VR UI")  # a UID of the rtdose files
@pytest.mark.parametrize(
    ("name", "cls", "syntax"),
    [
        # each file's Transfer Syntax UID (PS3.6 A-1) is kept
        ("CT_small.dcm", CTImage, "1.2.840.10008.1.2.1"),  # Explicit VR Little Endian
        ("693_J2KI.dcm", CTImage, "1.2.840.10008.1.2.4.91"),  # JPEG 2000
        ("rtdose.dcm", RTDose, "1.2.840.10008.1.2"),  # Implicit VR Little Endian
        ("rtdose_expb.dcm", RTDose, "1.2.840.10008.1.2.2"),  # Explicit VR Big Endian
        ("rtdose_rle.dcm", RTDose, "1.2.840.10008.1.2.5"),  # RLE Lossless
    ],
)
def test_a_file_written_back_loses_no_element(name: str, cls: type[IodModel], syntax: str) -> None:
    original = read(name)
    image = cls.from_dataset(original)
    assert image.transfer_syntax == syntax
    written = image.to_dataset(file_meta=True)
    again = written_and_read(written)
    assert_same(original, again, syntax=syntax)
    meta = again.file_meta
    # PS3.10 table 7.1-1
    assert meta.FileMetaInformationVersion == b"\x00\x01"
    assert meta.MediaStorageSOPClassUID == original.SOPClassUID
    assert meta.MediaStorageSOPInstanceUID == original.SOPInstanceUID
    assert meta.TransferSyntaxUID == syntax
    assert meta.ImplementationClassUID == IMPLEMENTATION_CLASS_UID
    assert str(meta.ImplementationVersionName).startswith("DICOMSTD")
    assert len(str(meta.ImplementationVersionName)) <= 16  # SH


def test_the_group_lengths_pydicom_does_not_write_are_still_in_the_data_set() -> None:
    original = read("693_J2KI.dcm")
    lengths = {int(e.tag) for e in original if e.tag.element == 0}
    assert lengths  # (0008,0000) …: this file has them
    written = CTImage.from_dataset(original).to_dataset()
    assert lengths <= {int(e.tag) for e in written}


def test_only_encapsulated_pixel_data_is_written_as_encapsulated() -> None:
    # PS3.5 A.4: encapsulated Pixel Data is OB with undefined length, its first Item the Basic
    # Offset Table (FFFE,E000); native pixels are not, whatever transfer syntax is asked for
    jpeg_2000 = "1.2.840.10008.1.2.4.90"
    native = CTImage(image_pixel=ImagePixelModule(BitsAllocated=16, PixelData=b"\x01\x00" * 4))
    element = native.to_dataset(transfer_syntax=jpeg_2000)[0x7FE00010]
    assert (element.VR, element.is_undefined_length) == ("OW", False)
    fragments = b"\xfe\xff\x00\xe0\x00\x00\x00\x00" + b"\xfe\xff\x00\xe0\x02\x00\x00\x00\xff\xd9"
    encapsulated = CTImage(image_pixel=ImagePixelModule(BitsAllocated=16, PixelData=fragments))
    element = encapsulated.to_dataset(transfer_syntax=jpeg_2000)[0x7FE00010]
    assert (element.VR, element.is_undefined_length) == ("OB", True)


def test_a_module_read_alone_keeps_what_its_items_hold_but_not_the_rest() -> None:
    original = read("CT_small.dcm")
    original.OtherPatientIDsSequence[0].add_new(0x00090010, "LO", "ACME 1.0")
    patient = PatientModule.from_dataset(original)
    written = patient.to_dataset()
    assert 0x00090010 in written.OtherPatientIDsSequence[0]
    assert not [e for e in written if e.tag.is_private]  # CT_small's own private elements
    assert 0x7FE00010 not in written  # Pixel Data: Image Pixel Module, not Patient


def test_private_elements_of_items_are_kept() -> None:
    original = read("CT_small.dcm")
    item = original.OtherPatientIDsSequence[0]  # Patient Module, table C.7-1
    item.add_new(0x00090010, "LO", "ACME 1.0")
    item.add_new(0x00091001, "LO", "private value")
    image = CTImage.from_dataset(original)
    (first, _) = image.patient.OtherPatientIDsSequence or ()
    assert [int(e.tag) for e in first.extra_elements()] == [0x00090010, 0x00091001]
    written = image.to_dataset()
    assert written.OtherPatientIDsSequence[0][0x00091001].value == "private value"
    assert_same(original, written)


def test_a_changed_copy_keeps_the_source_elements_and_a_typed_value_wins() -> None:
    original = read("CT_small.dcm")
    image = CTImage.from_dataset(original)
    changed = image.evolve(patient=image.patient.evolve(PatientName="Doe^Jane"))
    written = changed.to_dataset()
    assert written.PatientName == "Doe^Jane"
    assert [e for e in written if e.tag.is_private] == [e for e in original if e.tag.is_private]
    # attrs.evolve makes a new object without them
    plain = attrs.evolve(image, patient=image.patient)
    assert plain.extra_elements() == ()
    assert not [e for e in plain.to_dataset() if e.tag.is_private]


def test_the_object_does_not_change_with_the_data_set_it_was_read_from() -> None:
    original = read("CT_small.dcm")
    image = CTImage.from_dataset(original)
    original[0x00180088].value = "9.0"  # Spacing Between Slices: in no module of table A.3-1
    assert image.to_dataset()[0x00180088].value == 5.0
    written = image.to_dataset()
    written[0x00180088].value = "7.0"
    assert image.to_dataset()[0x00180088].value == 5.0


def test_file_meta_needs_the_sop_instance_uid_and_a_transfer_syntax() -> None:
    ds = Dataset()
    ds.SOPClassUID = CT_IMAGE_STORAGE
    with pytest.raises(ValueError, match=r"SOP Instance UID \(0008,0018\)"):
        file_meta_for(ds)
    ds.SOPInstanceUID = "1.2.3"
    assert file_meta_for(ds).TransferSyntaxUID == EXPLICIT_VR_LITTLE_ENDIAN
    with pytest.raises(ValueError, match="not a Transfer Syntax"):
        file_meta_for(ds, CT_IMAGE_STORAGE)


def test_the_implementation_class_uid_is_a_valid_uid() -> None:
    # PS3.5 9.1: digits and dots, at most 64 characters, no leading zero in a component;
    # B.2: a UUID-derived UID is 2.25 then the UUID as one integer
    assert len(IMPLEMENTATION_CLASS_UID) <= 64
    root, _, number = IMPLEMENTATION_CLASS_UID.partition("2.25.")
    assert root == "" and number.isdigit() and not number.startswith("0")
    assert int(number) < 2**128


# -- skeletons --------------------------------------------------------------------------------
# Type 1 attributes of the M modules of the CT Image IOD (table A.3-1), as PS3.3 2016c lists them:
CT_TYPE_1 = [
    "StudyInstanceUID",  # General Study, C.7-3: Study Instance UID (0020,000D) 1
    "Modality",  # General Series, C.7-5a: Modality (0008,0060) 1
    "SeriesInstanceUID",  # C.7-5a: Series Instance UID (0020,000E) 1
    "FrameOfReferenceUID",  # Frame of Reference, C.7-6: (0020,0052) 1
    "PixelSpacing",  # Image Plane, C.7-10: Pixel Spacing (0028,0030) 1
    "ImageOrientationPatient",  # C.7-10: (0020,0037) 1
    "ImagePositionPatient",  # C.7-10: (0020,0032) 1
    "Rows",  # Image Pixel Macro, C.7-11b: Rows (0028,0010) 1
    "Columns",  # C.7-11b: (0028,0011) 1
    "PixelRepresentation",  # C.7-11b: (0028,0103) 1
    # C.7-11b: Pixel Data (7FE0,0010) 1C, "Required if Pixel Data Provider URL (0028,7FE0) is
    # not present": a skeleton has no such URL
    "PixelData",
    "ImageType",  # CT Image, C.8-3: Image Type (0008,0008) 1
    # C.8-3 also lists these as Type 1, each "See C.8.2.1.1.2 for specialization" (… 1.1.6):
    # the CT Image Module's definitions replace those of the Image Pixel Macro (C.7-11b, Type 1
    # as well)
    "SamplesPerPixel",  # (0028,0002)
    "PhotometricInterpretation",  # (0028,0004)
    "BitsAllocated",  # (0028,0100)
    "BitsStored",  # (0028,0101)
    "HighBit",  # (0028,0102)
    "RescaleIntercept",  # C.8-3: (0028,1052) 1
    "RescaleSlope",  # C.8-3: (0028,1053) 1
    "SOPInstanceUID",  # SOP Common, C.12-1: SOP Instance UID (0008,0018) 1
]
# The Patient (C.7-1), General Equipment (C.7-8) and General Image (C.7-9) Modules have no
# Type 1 attribute at the top level. SOP Class UID (C.12-1, Type 1) is what a skeleton is of.
CT_TYPE_2 = [
    "PatientName",  # C.7-1: Patient's Name (0010,0010) 2
    "PatientID",  # C.7-1: (0010,0020) 2
    "PatientBirthDate",  # C.7-1: (0010,0030) 2
    "PatientSex",  # C.7-1: (0010,0040) 2
    "StudyDate",  # C.7-3: (0008,0020) 2
    "StudyTime",  # C.7-3: (0008,0030) 2
    "ReferringPhysicianName",  # C.7-3: (0008,0090) 2
    "StudyID",  # C.7-3: (0020,0010) 2
    "AccessionNumber",  # C.7-3: (0008,0050) 2
    "SeriesNumber",  # C.7-5a: (0020,0011) 2
    "PositionReferenceIndicator",  # C.7-6: (0020,1040) 2
    "Manufacturer",  # C.7-8: (0008,0070) 2
    "InstanceNumber",  # C.7-9: (0020,0013) 2
    "SliceThickness",  # C.7-10: (0018,0050) 2
    "KVP",  # C.8-3: (0018,0060) 2
    "AcquisitionNumber",  # C.8-3: (0020,0012) 2
]


@pytest.fixture(scope="module")
def ct_skeleton() -> Skeleton:
    return CTImage.skeleton()


def test_the_ct_skeleton_lists_each_type_1_attribute_to_fill(ct_skeleton: Skeleton) -> None:
    assert [item.path for item in ct_skeleton.to_fill] == CT_TYPE_1
    assert [item.keyword for item in ct_skeleton.to_fill] == CT_TYPE_1
    by_path = {item.path: item for item in ct_skeleton.to_fill}
    assert by_path["Modality"].tag == Tag(0x0008, 0x0060)
    assert by_path["Modality"].modules == ("General Series",)
    assert by_path["Modality"].source == "table_C.7-5a"
    assert by_path["SamplesPerPixel"].modules == ("CT Image",)  # the specialization's
    assert by_path["SamplesPerPixel"].source == "table_C.8-3"
    assert by_path["PixelData"].type == "1C"
    assert {item.type for item in ct_skeleton.to_fill} - {by_path["PixelData"].type} == {"1"}
    assert ct_skeleton.sop_class_uid == CT_IMAGE_STORAGE
    assert ct_skeleton.iod == "CT Image"
    assert ct_skeleton.filled == (("SOPClassUID", CT_IMAGE_STORAGE),)


def test_the_ct_skeleton_holds_type_1_and_2_empty_and_nothing_else(
    ct_skeleton: Skeleton,
) -> None:
    dataset = ct_skeleton.dataset
    assert dataset.SOPClassUID == CT_IMAGE_STORAGE
    for keyword in [*CT_TYPE_1, *CT_TYPE_2]:
        assert keyword in dataset, keyword
        assert dataset[keyword].is_empty, keyword
    # C.7-5a: Patient Position (0018,5100) 2C, "Required for images where Patient Orientation Code
    # Sequence (0054,0410) is not present and whose SOP Class is one of the following: CT …"
    assert dataset.PatientPosition == ""
    assert {e.keyword for e in dataset} == {
        *CT_TYPE_1,
        *CT_TYPE_2,
        "SOPClassUID",
        "PatientPosition",
    }
    # left out: Type 3 (Slice Location, C.7-10), 1C whose condition does not hold (Planar
    # Configuration, C.7-11b: "Required if Samples per Pixel (0028,0002) has a value greater
    # than 1"), modules of usage C and U (Contrast/Bolus, C.7-17)
    for absent in ("SliceLocation", "PlanarConfiguration", "ContrastBolusAgent"):
        assert absent not in dataset


def findings_of(made: Skeleton) -> tuple[set[str], list[str]]:
    """Paths of the error and warning findings, and the codes of the other findings."""
    result = validate(made.dataset)
    serious = [f for f in result.findings if f.severity.value != "notice"]
    assert {f.code for f in serious} <= {"type1-empty", "type1c-empty"}, serious
    return {f.path for f in serious}, [f.code for f in result.findings if f not in serious]


SKELETON_CLASSES = [CTImage, RTDose, EnhancedCTImage, EnhancedXRayAngiographicImage]


@pytest.mark.parametrize("cls", SKELETON_CLASSES, ids=lambda cls: cls.__name__)
def test_a_skeleton_validates_with_only_what_is_to_fill(cls: type[IodModel]) -> None:
    made = cls.skeleton()
    paths, others = findings_of(made)
    assert paths == {item.path for item in made.to_fill}
    # the other findings are notices of conditions on what is still to fill ("Required if
    # contrast media was used in this image", table A.3-1)
    assert set(others) <= {"unverifiable-condition"}


def test_a_skeleton_validates_with_exactly_what_is_to_fill() -> None:
    made = CTImage.skeleton()
    paths, _ = findings_of(made)
    assert paths == {item.path for item in made.to_fill}


def test_an_enhanced_skeleton_gives_type_1_sequences_an_item() -> None:
    made = EnhancedCTImage.skeleton()
    dataset = made.dataset
    paths = {item.path for item in made.to_fill}
    # Multi-frame Dimension Module, table C.7.6.17-1: Dimension Organization Sequence (0020,9221)
    # 1, >Dimension Organization UID (0020,9164) 1; Dimension Index Sequence (0020,9222) 1,
    # >Dimension Index Pointer (0020,9165) 1
    assert len(dataset.DimensionOrganizationSequence) == 1
    assert "DimensionOrganizationSequence[0].DimensionOrganizationUID" in paths
    assert "DimensionIndexSequence[0].DimensionIndexPointer" in paths
    # >Dimension Organization UID (0020,9164) of the Dimension Index Sequence is 1C, "Required
    # if the value of Dimension Organization Sequence (0020,9221) contains Items": it does
    assert "DimensionIndexSequence[0].DimensionOrganizationUID" in paths
    # Multi-frame Functional Groups, C.7.6.16-1: Shared and Per-frame Functional Groups
    # Sequence 1, Number of Frames (0028,0008) 1. Table A.38-2: Pixel Measures M, in the shared
    # item; Frame Content "M - May not be used as a Shared Functional Group", per frame
    (shared,) = dataset.SharedFunctionalGroupsSequence
    (frame,) = dataset.PerFrameFunctionalGroupsSequence
    assert "PixelMeasuresSequence" in shared and "PixelMeasuresSequence" not in frame
    assert "FrameContentSequence" in frame and "FrameContentSequence" not in shared
    assert "NumberOfFrames" in paths


def test_new_uids_are_given_to_the_top_level_uids_only() -> None:
    made = CTImage.skeleton(new_uids=True)
    given = dict(made.filled)
    uid_keywords = ["StudyInstanceUID", "SeriesInstanceUID", "FrameOfReferenceUID"]
    assert set(given) == {*uid_keywords, "SOPClassUID", "SOPInstanceUID"}
    values = [given[k] for k in [*uid_keywords, "SOPInstanceUID"]]
    assert len(set(values)) == 4
    assert all(v.startswith("2.25.") and len(v) <= 64 for v in values)  # PS3.5 B.2
    assert [item.path for item in made.to_fill] == [
        k for k in CT_TYPE_1 if k not in {*uid_keywords, "SOPInstanceUID"}
    ]
    assert made.dataset.SOPInstanceUID == given["SOPInstanceUID"]
    again = CTImage.skeleton(new_uids=True)
    assert again.dataset.SOPInstanceUID != made.dataset.SOPInstanceUID


def test_a_skeleton_is_filled_through_the_typed_classes_and_saved() -> None:
    made = CTImage.skeleton(new_uids=True)
    image = CTImage.from_dataset(made.dataset)
    filled = image.evolve(general_series=image.general_series.evolve(Modality="CT"))
    written = written_and_read(filled.to_dataset(file_meta=True))
    assert written.Modality == "CT"
    assert written.file_meta.MediaStorageSOPInstanceUID == made.dataset.SOPInstanceUID
    assert "Modality" not in {f.path for f in validate(written).findings}
    assert "PatientName" in written and written.PatientName == ""  # Type 2 stays, empty


def test_each_skeleton_is_a_new_data_set() -> None:
    one, two = CTImage.skeleton(), CTImage.skeleton()
    one.dataset.Modality = "CT"
    assert two.dataset.Modality == ""
    assert copy.deepcopy(one.dataset) == one.dataset


@pytest.mark.parametrize(
    "text",
    [
        CT_IMAGE_STORAGE,
        CT_IMAGE_STORAGE + "\0",
        "CTImageStorage",  # PS3.6 A-1 keyword
        "CT Image Storage",  # PS3.6 A-1 name
        "ct image storage",
        "CT Image",  # the IOD's name, PS3.3 A.3
        "CTImage",  # the class
    ],
)
def test_a_sop_class_is_named_by_uid_keyword_or_name_or_by_its_iod(text: str) -> None:
    uid, iod = resolve_sop_class(text)
    assert (uid, iod.name) == (CT_IMAGE_STORAGE, "CT Image")
    assert skeleton(text).sop_class_uid == CT_IMAGE_STORAGE


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("CT Imag", "close matches: CT Image"),
        ("MR Image Storage", "its IOD is not in the PS3.3 this build"),
        (MR_IMAGE_STORAGE, "its IOD is not in the PS3.3 this build"),
        ("ExplicitVRLittleEndian", "a Transfer Syntax UID (Explicit VR Little Endian), not a SOP"),
        ("1.2.3", "is not a SOP Class UID"),
    ],
)
def test_what_names_no_iod_of_this_build_is_a_clear_error(text: str, fragment: str) -> None:
    with pytest.raises(UnknownIODError) as caught:
        skeleton(text)
    assert isinstance(caught.value, KeyError)
    assert fragment in str(caught.value)


def test_an_iod_class_refuses_another_sop_class() -> None:
    with pytest.raises(ValueError, match="not a SOP Class of CTImage"):
        CTImage.skeleton(ENHANCED_CT_IMAGE_STORAGE)
    assert CTImage.skeleton(CT_IMAGE_STORAGE).sop_class_uid == CT_IMAGE_STORAGE


def test_type_2_sequences_are_empty() -> None:
    # Acquisition Context Module (table C.7.6.14-1), M in the Enhanced X-Ray Angiographic Image
    # IOD (A.47-1): Acquisition Context Sequence (0040,0555) 2
    made = EnhancedXRayAngiographicImage.skeleton()
    assert made.dataset.AcquisitionContextSequence == Sequence([])


# -- every SOP Class of the whole standard ----------------------------------------------------
WHOLE_STANDARD = r"""
import json, re
from dicomstd import spec
from dicomstd.skeleton import skeleton
from dicomstd.validation import validate

def type_1_elsewhere(iod, keyword):
    # another M module of the IOD defines the attribute as Type 1 at the top level
    return any(
        a.keyword == keyword and a.type is spec.AttributeType.TYPE_1
        for use in iod.modules if use.usage is spec.Usage.MANDATORY and use.module is not None
        for a in use.module.attributes
    )

problems, count = [], 0
for iod in spec.iods():
    for uid, name in iod.sop_classes:
        count += 1
        made = skeleton(uid)
        fill = {item.path for item in made.to_fill}
        unknown = {item.path for item in made.to_fill if not item.keyword}
        reported = set()
        for f in validate(made.dataset).findings:
            if f.code in ("type1-empty", "type1c-empty") and f.path in fill:
                reported.add(f.path)
            elif f.code == "unknown-element" and re.search(r"\(\w{4},\w{4}\)$", f.path):
                pass  # an attribute of this PS3.3 that the build's PS3.6 lacks
            elif f.code == "condition-not-met-present" and type_1_elsewhere(iod, f.path):
                pass  # a 1C of one module specialising a Type 1 of another
            elif f.severity.value != "notice":
                problems.append([name, f.code, f.path])
        for path in sorted(fill - reported - unknown):
            problems.append([name, "not reported", path])
print(json.dumps({"count": count, "problems": problems}))
"""


def test_every_sop_class_of_the_whole_standard_has_a_skeleton_that_validates(
    full_build: Path,
) -> None:
    env = {**os.environ, "DICOMSTD_BUILD": str(full_build)}
    done = subprocess.run(
        [sys.executable, "-c", WHOLE_STANDARD],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    # PS3.4 2020c B.5-1 lists well over a hundred Storage SOP Classes with an IOD of PS3.3
    assert found["count"] > 100
    assert found["problems"] == []


BLENDING = """
import json
from dicomstd.skeleton import skeleton
made = skeleton("1.2.840.10008.5.1.4.1.1.11.4")  # Blending Softcopy Presentation State Storage
items = made.dataset.BlendingSequence
paths = sorted({i.path.split(".")[0] for i in made.to_fill if i.path.startswith("Blending")})
print(json.dumps({"items": len(items), "paths": paths}))
"""


def test_a_skeleton_sequence_gets_the_items_its_description_asks_for(full_build: Path) -> None:
    # PS3.3 table C.11.14-1 (Presentation State Blending Module), Blending Sequence (0070,0402),
    # Type 1: "Two Items shall be included in this Sequence"; both are filled alike.
    env = {**os.environ, "DICOMSTD_BUILD": str(full_build)}
    done = subprocess.run(
        [sys.executable, "-c", BLENDING], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found == {"items": 2, "paths": ["BlendingSequence[0]", "BlendingSequence[1]"]}
