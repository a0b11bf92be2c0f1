"""The generated attrs classes of IODs and modules: reading pydicom datasets and writing them back.

Real data: pydicom's own test files CT_small.dcm (CT Image Storage) and rtdose.dcm (RT Dose
Storage). What each IOD holds comes from PS3.3 2016c (tables A.3-1 and A.18.3-1); what each
element holds in the files was read with pydicom.
"""

from __future__ import annotations

import warnings
from typing import Any

import attrs
import pytest
from pydicom import dcmread
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from dicomstd import Tag, iods
from dicomstd.errors import UnknownIODError
from dicomstd.iods import CTImage, EnhancedCTImage, RTDose, for_sop_class
from dicomstd.model import DatasetModel, IodModel, module_class
from dicomstd.modules import ImagePixelModule, PatientModule

CT = "1.2.840.10008.5.1.4.1.1.2"
ENHANCED_CT = "1.2.840.10008.5.1.4.1.1.2.1"
RT_DOSE = "1.2.840.10008.5.1.4.1.1.481.2"
ENHANCED_XA = "1.2.840.10008.5.1.4.1.1.12.1.1"


def read(name: str) -> Dataset:
    path = get_testdata_file(name)
    assert path is not None, f"pydicom's test file {name} is missing"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rtdose.dcm holds a UID pydicom warns about
        return dcmread(path)


@pytest.fixture(scope="module")
def ct_dataset() -> Dataset:
    return read("CT_small.dcm")


@pytest.fixture(scope="module")
def dose_dataset() -> Dataset:
    return read("rtdose.dcm")


# -- classes by SOP Class ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("uid", "name"),
    [
        (CT, "CTImage"),
        (ENHANCED_CT, "EnhancedCTImage"),
        (RT_DOSE, "RTDose"),
        (ENHANCED_XA, "EnhancedXRayAngiographicImage"),
    ],
)
def test_for_sop_class_gives_the_iod_class(uid: str, name: str) -> None:
    cls = for_sop_class(uid)
    assert cls.__name__ == name
    assert issubclass(cls, IodModel)
    assert list(cls.SOP_CLASS_UIDS) == [uid]
    assert getattr(iods, name) is cls
    assert for_sop_class(f"{uid}\0") is cls  # padded to even length


@pytest.mark.parametrize("uid", ["1.2.840.10008.5.1.4.1.1.4", "1.2.3", "", "CT Image"])
def test_an_unknown_sop_class_raises_a_key_error_naming_it(uid: str) -> None:
    with pytest.raises(UnknownIODError) as caught:
        for_sop_class(uid)
    assert isinstance(caught.value, KeyError)
    assert caught.value.key == uid
    assert repr(uid) in str(caught.value)


def test_names_and_unknown_attributes_of_the_package() -> None:
    assert iods.names() == (
        "CTImage",
        "EnhancedCTImage",
        "EnhancedXRayAngiographicImage",
        "RTDose",
    )
    with pytest.raises(AttributeError, match="MRImage"):
        _ = iods.MRImage


# -- round trips of real files -----------------------------------------------------------------
def defined_tags(cls: type[IodModel]) -> set[int]:
    """Every top-level tag the IOD's modules define."""
    tags: set[int] = set()
    for field in attrs.fields(cls):
        module = module_class(field.metadata["module_key"], field.metadata["module_class"])
        tags |= {f.metadata["tag"] for f in attrs.fields(module) if "tag" in f.metadata}
    return tags


def compare(original: Dataset, written: Dataset, where: str = "") -> None:
    """Every element of ``written`` equals the one of ``original`` (VR and value, recursively)."""
    for element in written:
        assert element.tag in original, f"{where}{element.tag} was invented"
        source = original[element.tag]
        assert element.VR == source.VR, f"{where}{element.tag} {element.keyword}"
        if element.VR == "SQ":
            assert len(element.value) == len(source.value)
            for number, (ours, theirs) in enumerate(zip(element.value, source.value, strict=True)):
                compare(theirs, ours, f"{where}{element.keyword}[{number}].")
        else:
            assert element.value == source.value, f"{where}{element.tag} {element.keyword}"


@pytest.mark.filterwarnings("ignore:Invalid value for VR UI")  # a UID of rtdose.dcm
@pytest.mark.parametrize(("name", "cls"), [("CT_small.dcm", CTImage), ("rtdose.dcm", RTDose)])
def test_a_round_trip_keeps_every_attribute_the_iod_defines(name: str, cls: type[IodModel]) -> None:
    original = read(name)
    assert for_sop_class(original.SOPClassUID) is cls
    obj = cls.from_dataset(original)
    written = obj.to_dataset()
    defined = defined_tags(cls)
    # every element comes back: the IOD's from the typed fields, the others kept from the source
    assert {int(e.tag) for e in written} == {int(e.tag) for e in original}
    assert {int(e.tag) for e in obj.extra_elements()} == {
        int(e.tag) for e in original if int(e.tag) not in defined
    }
    compare(original, written)
    again = cls.from_dataset(written)
    assert again == obj
    assert again.to_dataset() == written


def test_the_ct_round_trip_keeps_private_and_foreign_attributes_apart(ct_dataset: Dataset) -> None:
    ct = CTImage.from_dataset(ct_dataset)
    written = ct.to_dataset()
    kept = {int(e.tag) for e in ct.extra_elements()}
    assert [e for e in written if e.tag.is_private]
    # in no module of table A.3-1: (0018,0088) Spacing Between Slices and (FFFC,FFFC) Data Set
    # Trailing Padding (PS3.10 7.2); they are kept, not typed, as the private elements are
    assert {tag for tag in kept if not Tag(tag).is_private} == {0x00180088, 0xFFFCFFFC}
    assert 0x00180088 in ct_dataset and 0x00180088 in written
    assert len([e for e in written if int(e.tag) not in kept]) == 77


@pytest.mark.filterwarnings("ignore:Invalid value for VR UI")
def test_empty_type_2_attributes_stay_present_and_empty(
    ct_dataset: Dataset, dose_dataset: Dataset
) -> None:
    # Type 2 in PS3.3: Accession Number and Referring Physician's Name (General Study, table
    # C.7-3), Patient's Birth Date (Patient, C.7-1); Slice Thickness (Image Plane),
    # Position Reference Indicator (Frame of Reference)
    ct = CTImage.from_dataset(ct_dataset)
    assert ct.general_study.AccessionNumber is None
    assert {0x00080050, 0x00080090} <= ct.general_study.empty_tags
    assert 0x00100030 in ct.patient.empty_tags
    dose = RTDose.from_dataset(dose_dataset)
    assert dose.image_plane is not None and 0x00180050 in dose.image_plane.empty_tags
    assert 0x00201040 in dose.frame_of_reference.empty_tags
    for obj, tags in (
        (ct, (0x00080050, 0x00080090, 0x00100030)),
        (dose, (0x00180050, 0x00201040, 0x00200013, 0x00100030)),
    ):
        written = obj.to_dataset()
        for tag in tags:
            assert tag in written, hex(tag)
            assert written[tag].is_empty, hex(tag)


def test_absent_modules_of_usage_c_and_u_are_none(
    ct_dataset: Dataset, dose_dataset: Dataset
) -> None:
    ct = CTImage.from_dataset(ct_dataset)
    # CT_small.dcm has none of their attributes
    for name in (
        "clinical_trial_subject",
        "clinical_trial_study",
        "clinical_trial_series",
        "device",
        "specimen",
        "overlay_plane",
        "voi_lut",
        "common_instance_reference",
    ):
        assert getattr(ct, name) is None, name
    # Contrast/Bolus (usage C) is there: Contrast/Bolus Agent and Route
    assert ct.contrast_bolus is not None
    assert ct.contrast_bolus.ContrastBolusAgent == "ISOVUE300/100"
    assert ct.patient_study is not None  # Patient's Weight, usage U
    dose = RTDose.from_dataset(dose_dataset)
    for name in (
        "rt_dvh",
        "roi_contour",
        "rt_dose_roi",
        "overlay_plane",
        "multi_frame_overlay",
        "modality_lut",
        "frame_extraction",
        "clinical_trial_subject",
        # its only attribute in rtdose.dcm is an empty Instance Number, which SOP Common (M)
        # holds too: no Structure Set Label, Date or Time, so no Structure Set
        "structure_set",
    ):
        assert getattr(dose, name) is None, name
    assert dose.multi_frame is not None and dose.multi_frame.NumberOfFrames == 15
    # mandatory modules are always there, even empty
    assert CTImage.from_dataset(Dataset()).patient == PatientModule()


def test_values_are_converted_by_vr(ct_dataset: Dataset, dose_dataset: Dataset) -> None:
    ct = CTImage.from_dataset(ct_dataset)
    assert ct.ct_image.KVP == 120.0 and type(ct.ct_image.KVP) is float  # DS
    assert ct.general_series.SeriesNumber == 1 and type(ct.general_series.SeriesNumber) is int
    assert ct.general_image.ImageType == ("ORIGINAL", "PRIMARY", "AXIAL")  # CS 2-n
    assert ct.image_plane.PixelSpacing == (0.661468, 0.661468)  # DS 2
    assert all(type(v) is float for v in ct.image_plane.PixelSpacing)
    assert ct.patient.PatientName == "CompressedSamples^CT1"  # PN
    assert type(ct.patient.PatientName) is str
    assert ct.image_pixel.Rows == 128 and type(ct.image_pixel.Rows) is int  # US
    assert isinstance(ct.image_pixel.PixelData, bytes)
    other = ct.patient.OtherPatientIDsSequence
    assert isinstance(other, tuple) and len(other) == 2
    assert [(i.PatientID, i.TypeOfPatientID) for i in other] == [
        ("ABCD1234", "TEXT"),
        ("1234ABCD", "TEXT"),
    ]
    assert isinstance(other[0], DatasetModel)
    dose = RTDose.from_dataset(dose_dataset)
    assert dose.rt_dose.DoseGridScaling == 1e-06
    assert dose.rt_dose.GridFrameOffsetVector == tuple(float(v) for v in range(0, 75, 5))
    assert dose.multi_frame is not None
    assert dose.multi_frame.FrameIncrementPointer == (0x3004000C,)  # AT 1-n
    (plan,) = dose.rt_dose.ReferencedRTPlanSequence or ()
    assert plan.ReferencedSOPClassUID == "1.2.840.10008.5.1.4.1.1.481.5"
    (group,) = plan.ReferencedFractionGroupSequence or ()
    assert group.ReferencedFractionGroupNumber == 1
    (beam,) = group.ReferencedBeamSequence or ()
    assert beam.ReferencedBeamNumber == 1 and type(beam.ReferencedBeamNumber) is int


def test_a_single_value_of_a_multi_valued_attribute_is_a_tuple_of_one() -> None:
    ds = Dataset()
    ds.ImageType = "DERIVED"
    ds.PixelSpacing = "0.5"
    ct = CTImage.from_dataset(ds)
    assert ct.general_image.ImageType == ("DERIVED",)
    assert ct.image_plane.PixelSpacing == (0.5,)
    written = ct.to_dataset()
    assert written.ImageType == "DERIVED"


# -- writing VRs the dictionary leaves open ----------------------------------------------------
def pixel_dataset(bits: int, representation: int, smallest: int) -> Dataset:
    ds = Dataset()
    ds.BitsAllocated = bits
    ds.PixelRepresentation = representation
    ds.add_new(0x00280106, "SS" if representation else "US", smallest)
    ds.add_new(0x7FE00010, "OW" if bits > 8 else "OB", b"\x00\x01" * 4)
    return ds


@pytest.mark.parametrize(
    ("bits", "representation", "smallest", "pixel_vr", "smallest_vr"),
    [
        (16, 1, 5, "OW", "SS"),  # PS3.5 A.2: OW when Bits Allocated > 8; signed: SS
        (16, 1, -5, "OW", "SS"),
        (16, 0, 5, "OW", "US"),
        (8, 0, 5, "OB", "US"),
    ],
)
def test_ambiguous_vrs_are_settled_from_the_dataset(
    bits: int, representation: int, smallest: int, pixel_vr: str, smallest_vr: str
) -> None:
    original = pixel_dataset(bits, representation, smallest)
    module = ImagePixelModule.from_dataset(original)
    assert module.SmallestImagePixelValue == smallest
    written = module.to_dataset()
    vrs = [written[tag].VR for tag in (0x7FE00010, 0x00280106)]
    assert vrs == [pixel_vr, smallest_vr]
    compare(original, written)
    ct = CTImage.from_dataset(original)
    compare(original, ct.to_dataset())


def test_without_what_decides_the_value_does() -> None:
    module = ImagePixelModule(SmallestImagePixelValue=-3, PixelData=b"\x00\x01")
    written = module.to_dataset()
    assert written[0x00280106].VR == "SS"
    assert written[0x7FE00010].VR in ("OB", "OW")
    assert ImagePixelModule(SmallestImagePixelValue=3).to_dataset()[0x00280106].VR == "US"


# -- classes built in code ---------------------------------------------------------------------
def test_an_enhanced_ct_image_with_functional_groups_round_trips() -> None:
    groups_class: Any = attrs.fields_dict(EnhancedCTImage)["multi_frame_functional_groups"]
    module: Any = module_class(
        groups_class.metadata["module_key"], groups_class.metadata["module_class"]
    )
    shared_item = module.SharedFunctionalGroupsSequenceItem
    measures = shared_item.PixelMeasuresSequenceItem(PixelSpacing=(0.5, 0.25), SliceThickness=1.0)
    groups = module(
        SharedFunctionalGroupsSequence=(shared_item(PixelMeasuresSequence=(measures,)),),
        InstanceNumber=7,
    )
    image = EnhancedCTImage(patient=PatientModule(PatientName="Doe^Jane"))
    image = attrs.evolve(image, multi_frame_functional_groups=groups)
    written = image.to_dataset()
    assert written.PatientName == "Doe^Jane"
    assert written.InstanceNumber == 7
    (item,) = written.SharedFunctionalGroupsSequence
    assert isinstance(written.SharedFunctionalGroupsSequence, Sequence)
    (pixel_measures,) = item.PixelMeasuresSequence
    assert list(pixel_measures.PixelSpacing) == [0.5, 0.25]
    assert pixel_measures["PixelSpacing"].VR == "DS"
    again = EnhancedCTImage.from_dataset(written)
    assert again.multi_frame_functional_groups == groups
    assert again.patient == image.patient
    # Instance Number is an attribute of SOP Common too: read into every module defining it
    assert again.sop_common.InstanceNumber == 7
    assert again.to_dataset() == written


def test_equality_hash_and_repr_of_generated_classes() -> None:
    one = PatientModule(PatientName="A^B", PatientID="1")
    two = PatientModule(PatientID="1", PatientName="A^B")
    assert one == two and hash(one) == hash(two)
    assert one != PatientModule(PatientName="A^B")
    assert one != PatientModule(PatientName="A^B", PatientID="1", empty_tags=frozenset({0x10}))
    assert repr(one) == "PatientModule(PatientName='A^B', PatientID='1')"
    assert PatientModule().is_empty()
    assert not PatientModule(empty_tags=frozenset({0x00100010})).is_empty()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        one.PatientName = "C^D"  # type: ignore[misc]
