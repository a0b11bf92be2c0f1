"""Valid control data sets of the four IODs of the pinned PS3.3 excerpt, and single-defect
variants of them, each with the finding the standard's text calls for.

The controls: CT Image from pydicom's ``CT_small.dcm``; RT Dose from pydicom's ``rtdose.dcm``,
made valid (below); Enhanced CT Image and Enhanced X-Ray Angiographic Image written here from
their IOD tables (PS3.3 A.38-1 and A.47-1 with the modules and functional group macros they
list). A control has no error from dicomstd nor from dciodvfy.

A :class:`Defect` is one change to one control, with the finding dicomstd must report (code, tag,
path) and the sentence of the standard that makes it a defect. The Enhanced X-Ray Angiographic
Image IOD of the excerpt lacks modules (../shared/standard/README.md), so its control and its
defects are validated with the build of the whole standard (``build = "full"``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Literal

import attrs
from pydicom import dcmread
from pydicom.data import get_testdata_file
from pydicom.dataelem import DataElement, RawDataElement
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset, validate_file_meta
from pydicom.sequence import Sequence
from pydicom.tag import Tag as PydicomTag
from pydicom.uid import UID, ExplicitVRLittleEndian

__all__ = ["CONTROLS", "DEFECTS", "Control", "Defect", "Expected"]

Build = Literal["pinned", "full"]

# Fixed UIDs under the 2.25 root (PS3.5 B.2), so the files are the same on every run.
_ROOT = "2.25.1861420712403152394851637280347102"


def _uid(n: int) -> str:
    return f"{_ROOT}{n:02d}"


def _code(value: str, scheme: str, meaning: str) -> Dataset:
    item = Dataset()
    item.CodeValue = value
    item.CodingSchemeDesignator = scheme
    item.CodeMeaning = meaning
    return item


def _item(**values: object) -> Dataset:
    item = Dataset()
    for keyword, value in values.items():
        setattr(item, keyword, value)
    return item


def _file(dataset: Dataset) -> FileDataset:
    """``dataset`` as a PS3.10 file in Explicit VR Little Endian, its File Meta Information made
    from its SOP Class and Instance UIDs."""
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = dataset.SOPClassUID
    meta.MediaStorageSOPInstanceUID = dataset.SOPInstanceUID
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.ImplementationClassUID = UID(_uid(99))
    validate_file_meta(meta, enforce_standard=True)  # adds File Meta Information Version
    meta.FileMetaInformationGroupLength = 0  # pydicom writes the length when the element is there
    out = FileDataset("", Dataset(), file_meta=meta, preamble=b"\0" * 128)
    out.update(dataset)
    return out


# -- controls --------------------------------------------------------------------------------------


def ct_image() -> FileDataset:
    """pydicom's CT_small.dcm, as it is: neither dicomstd nor dciodvfy reports an error on it."""
    path = get_testdata_file("CT_small.dcm")
    assert path is not None
    dataset = dcmread(path)
    assert isinstance(dataset, FileDataset)
    return dataset


def rt_dose() -> FileDataset:
    """pydicom's rtdose.dcm made valid: its three errors corrected, its Bits Allocated 32
    (allowed, C.8.8.3.4) lowered to 16, on which dciodvfy does not abort, and written in Explicit
    VR Little Endian (it is Implicit VR), where an element can be sent as UN.

    - Media Storage SOP Instance UID differs from SOP Instance UID (PS3.10 7.1): made equal.
    - Operators' Name (0008,1070) is Type 2 in the RT Series Module (table C.8-37): added empty.
    - A Referenced SOP Instance UID with a component '0123' (PS3.5 9.1: "the first digit of each
      component shall not be zero unless the component is a single digit"): replaced.
    """
    path = get_testdata_file("rtdose.dcm")
    assert path is not None
    dataset = dcmread(path)
    assert isinstance(dataset, FileDataset)
    dataset.file_meta.MediaStorageSOPInstanceUID = dataset.SOPInstanceUID
    dataset.OperatorsName = ""
    dataset.ReferencedRTPlanSequence[0].ReferencedSOPInstanceUID = _uid(10)
    frames = int(dataset.NumberOfFrames)
    pixels = dataset.Rows * dataset.Columns * frames
    dataset.BitsAllocated = 16
    dataset.BitsStored = 16
    dataset.HighBit = 15
    dataset.PixelData = bytes(2 * pixels)
    dataset.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    return dataset


def _enhanced_common(dataset: Dataset) -> None:
    """Patient, General Study, General Series, General and Enhanced General Equipment, SOP
    Common: the modules both enhanced controls share."""
    dataset.PatientName = "Defect^Control"
    dataset.PatientID = "DEFECT-1"
    dataset.PatientBirthDate = "19700101"
    dataset.PatientSex = "O"
    dataset.StudyInstanceUID = _uid(1)
    dataset.StudyDate = "20200102"
    dataset.StudyTime = "101500"
    dataset.ReferringPhysicianName = ""
    dataset.StudyID = "1"
    dataset.AccessionNumber = "A1"
    dataset.SeriesInstanceUID = _uid(2)
    dataset.SeriesNumber = 1
    dataset.Manufacturer = "dicomstd"
    dataset.ManufacturerModelName = "control"
    dataset.DeviceSerialNumber = "1"
    dataset.SoftwareVersions = "1"
    dataset.ContentDate = "20200102"
    dataset.ContentTime = "101500"
    dataset.InstanceNumber = 1
    dataset.AcquisitionContextSequence = Sequence()


def _pixels(dataset: Dataset, frames: int, rows: int = 4, columns: int = 4) -> None:
    dataset.SamplesPerPixel = 1
    dataset.PhotometricInterpretation = "MONOCHROME2"
    dataset.Rows = rows
    dataset.Columns = columns
    dataset.BitsAllocated = 16
    dataset.BitsStored = 12
    dataset.HighBit = 11
    dataset.PixelRepresentation = 0
    dataset.NumberOfFrames = frames
    dataset.PixelData = bytes(2 * rows * columns * frames)


def enhanced_ct_image() -> FileDataset:
    """An Enhanced CT Image (PS3.3 A.38-1) of two derived frames: Image Type DERIVED, so the CT
    acquisition functional groups, "Required if Image Type (0008,0008) Value 1 is ORIGINAL or
    MIXED", are not required (A.38-2); one stack, the frames indexed by In-Stack Position
    Number."""
    dataset = Dataset()
    dataset.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2.1"
    dataset.SOPInstanceUID = _uid(3)
    _enhanced_common(dataset)
    dataset.Modality = "CT"
    dataset.PatientPosition = "HFS"
    dataset.FrameOfReferenceUID = _uid(4)
    dataset.PositionReferenceIndicator = ""
    _pixels(dataset, 2)
    dataset.ImageType = ["DERIVED", "PRIMARY", "AXIAL", "NONE"]
    dataset.PixelPresentation = "MONOCHROME"
    dataset.VolumetricProperties = "VOLUME"
    dataset.VolumeBasedCalculationTechnique = "NONE"
    dataset.ContentQualification = "PRODUCT"
    dataset.BurnedInAnnotation = "NO"
    dataset.LossyImageCompression = "00"
    dataset.PresentationLUTShape = "IDENTITY"
    dataset.DimensionOrganizationSequence = Sequence([_item(DimensionOrganizationUID=_uid(5))])
    dataset.DimensionIndexSequence = Sequence(
        [
            _item(
                DimensionOrganizationUID=_uid(5),
                DimensionIndexPointer=0x00209057,  # In-Stack Position Number
                FunctionalGroupPointer=0x00209111,  # Frame Content Sequence
            )
        ]
    )
    shared = Dataset()
    shared.PixelMeasuresSequence = Sequence([_item(PixelSpacing=[0.5, 0.5], SliceThickness=1.0)])
    shared.PlaneOrientationSequence = Sequence([_item(ImageOrientationPatient=[1, 0, 0, 0, 1, 0])])
    anatomy = _item(FrameLaterality="U")
    anatomy.AnatomicRegionSequence = Sequence([_code("T-D3000", "SRT", "Chest")])
    shared.FrameAnatomySequence = Sequence([anatomy])
    shared.IrradiationEventIdentificationSequence = Sequence([_item(IrradiationEventUID=_uid(6))])
    shared.CTImageFrameTypeSequence = Sequence(
        [
            _item(
                FrameType=["DERIVED", "PRIMARY", "AXIAL", "NONE"],
                PixelPresentation="MONOCHROME",
                VolumetricProperties="VOLUME",
                VolumeBasedCalculationTechnique="NONE",
            )
        ]
    )
    shared.PixelValueTransformationSequence = Sequence(
        [_item(RescaleIntercept=-1024, RescaleSlope=1, RescaleType="HU")]
    )
    dataset.SharedFunctionalGroupsSequence = Sequence([shared])
    frames = []
    for number in (1, 2):
        frame = Dataset()
        frame.FrameContentSequence = Sequence(
            [_item(StackID="1", InStackPositionNumber=number, DimensionIndexValues=number)]
        )
        frame.PlanePositionSequence = Sequence([_item(ImagePositionPatient=[0, 0, float(number)])])
        frames.append(frame)
    dataset.PerFrameFunctionalGroupsSequence = Sequence(frames)
    return _file(dataset)


def enhanced_xa_image() -> FileDataset:
    """An Enhanced X-Ray Angiographic Image (PS3.3 A.47-1) of two derived frames, monoplane:
    Image Type DERIVED, so the XA/XRF Acquisition Module and the X-Ray Collimator functional group,
    "Required if Image Type (0008,0008) Value 1 equals ORIGINAL", are not required; no C-arm
    Positioner Tabletop Relationship, so no Frame of Reference."""
    dataset = Dataset()
    dataset.SOPClassUID = "1.2.840.10008.5.1.4.1.1.12.1.1"
    dataset.SOPInstanceUID = _uid(7)
    _enhanced_common(dataset)
    dataset.Modality = "XA"
    dataset.PatientPosition = "HFS"
    _pixels(dataset, 2)
    dataset.ImageType = ["DERIVED", "PRIMARY", "SINGLE A", "NONE"]
    dataset.PlanesInAcquisition = "SINGLE PLANE"
    dataset.PlaneIdentification = "MONOPLANE"
    dataset.AcquisitionDateTime = "20200102101500"
    dataset.ContentQualification = "PRODUCT"
    dataset.BurnedInAnnotation = "NO"
    dataset.LossyImageCompression = "00"
    dataset.PresentationLUTShape = "IDENTITY"
    shared = Dataset()
    anatomy = _item(FrameLaterality="U")
    anatomy.AnatomicRegionSequence = Sequence([_code("41801008", "SCT", "Coronary artery")])
    shared.FrameAnatomySequence = Sequence([anatomy])
    shared.FrameVOILUTSequence = Sequence([_item(WindowCenter=2048, WindowWidth=4096)])
    shared.IrradiationEventIdentificationSequence = Sequence([_item(IrradiationEventUID=_uid(8))])
    shared.FramePixelDataPropertiesSequence = Sequence(
        [
            _item(
                FrameType=["DERIVED", "PRIMARY", "SINGLE A", "NONE"],
                PixelIntensityRelationship="LIN",
                PixelIntensityRelationshipSign=1,
                GeometricalProperties="UNIFORM",
                ImageProcessingApplied="NONE",
            )
        ]
    )
    dataset.SharedFunctionalGroupsSequence = Sequence([shared])
    frames = []
    for _number in (1, 2):
        frame = Dataset()
        frame.FrameContentSequence = Sequence([_item(FrameComments="control")])
        frames.append(frame)
    dataset.PerFrameFunctionalGroupsSequence = Sequence(frames)
    return _file(dataset)


# -- registry --------------------------------------------------------------------------------------


@attrs.frozen
class Control:
    name: str
    iod: str
    build: Build
    make: Callable[[], FileDataset]


CONTROLS: dict[str, Control] = {
    c.name: c
    for c in (
        Control("ct", "CT Image", "pinned", ct_image),
        Control("rtdose", "RT Dose", "pinned", rt_dose),
        Control("enhanced-ct", "Enhanced CT Image", "pinned", enhanced_ct_image),
        Control("enhanced-xa", "Enhanced X-Ray Angiographic Image", "full", enhanced_xa_image),
    )
}


@attrs.frozen
class Expected:
    code: str
    tag: str
    path: str
    """The finding's path, as dicomstd writes it (``Seq[0].Keyword``); "" when it has none (a
    module, or the bytes of the encoding as the reader reports them)."""


@attrs.frozen
class Defect:
    name: str
    control: str
    change: Callable[[FileDataset], None]
    expected: Expected
    standard: str
    """The sentence of the standard the defect breaks, with its table or section."""
    patch: Callable[[bytes], bytes] | None = None
    """A change of the written file's bytes, for a defect pydicom cannot write."""


def _set(path: str, value: object) -> Callable[[FileDataset], None]:
    """Set the attribute at ``path`` (``Seq[0].Keyword``; ``meta.Keyword`` in the File Meta
    Information) to ``value``."""

    def change(dataset: FileDataset) -> None:
        parent, keyword = _parent(dataset, path)
        setattr(parent, keyword, value)

    return change


def _delete(path: str) -> Callable[[FileDataset], None]:
    def change(dataset: FileDataset) -> None:
        parent, keyword = _parent(dataset, path)
        delattr(parent, keyword)

    return change


def _element(tag: int, vr: str, value: object) -> Callable[[FileDataset], None]:
    """Put an element of this VR at the top level, whatever the dictionary says of the tag."""

    def change(dataset: FileDataset) -> None:
        dataset[tag] = DataElement(tag, vr, value)

    return change


def _raw(tag: int, vr: str, value: bytes) -> Callable[[FileDataset], None]:
    """Put these bytes as the value of an element, unchecked by pydicom (a value that breaks
    its VR, which pydicom refuses to set)."""

    def change(dataset: FileDataset) -> None:
        implicit = dataset.file_meta.TransferSyntaxUID.is_implicit_VR
        raw = RawDataElement(PydicomTag(tag), vr, len(value), value, 0, implicit, True)
        dataset[tag] = raw  # pydicom writes a raw element as it is

    return change


def _value(tag: int, value: object) -> Callable[[FileDataset], None]:
    """Set the value of the element ``tag`` (a private one, which has no keyword)."""

    def change(dataset: FileDataset) -> None:
        dataset[tag].value = value

    return change


def _parent(dataset: FileDataset, path: str) -> tuple[Dataset, str]:
    *steps, keyword = path.split(".")
    node: Dataset = dataset
    for step in steps:
        if step == "meta":
            node = dataset.file_meta
            continue
        name, _, index = step.partition("[")
        node = getattr(node, name)[int(index.rstrip("]"))]
    return node, keyword


def _unchanged(dataset: FileDataset) -> None:
    """No change to the data set: the defect is in the bytes (:attr:`Defect.patch`)."""


def _implicit_patient_name(data: bytes) -> bytes:
    """Patient's Name's explicit VR header (tag, "PN", 2-byte length) written as an implicit VR
    one (tag, 4-byte length): the same 8 bytes, the rest of the file as it was."""
    header = b"\x10\x00\x10\x00PN"
    at = data.index(header)
    length = data[at + 6 : at + 8]
    return data[:at] + b"\x10\x00\x10\x00" + length + b"\x00\x00" + data[at + 8 :]


def _drop_last_frame_item(dataset: FileDataset) -> None:
    del dataset.PerFrameFunctionalGroupsSequence[-1]


def _share_frame_content(dataset: FileDataset) -> None:
    first = dataset.PerFrameFunctionalGroupsSequence[0]
    dataset.SharedFunctionalGroupsSequence[0].FrameContentSequence = copy.deepcopy(
        first.FrameContentSequence
    )


def _second_pixel_measures_item(dataset: FileDataset) -> None:
    measures = dataset.SharedFunctionalGroupsSequence[0].PixelMeasuresSequence
    measures.append(copy.deepcopy(measures[0]))


def _two_plans(dataset: FileDataset) -> None:
    plans = dataset.ReferencedRTPlanSequence
    plans.append(copy.deepcopy(plans[0]))


_SHARED = "SharedFunctionalGroupsSequence[0]"
_FRAME2 = "PerFrameFunctionalGroupsSequence[1]"

DEFECTS: list[Defect] = [
    # -- CT Image (A.3-1), pydicom's CT_small.dcm ---------------------------------------------
    Defect(
        "ct-type1-missing",
        "ct",
        _delete("StudyInstanceUID"),
        Expected("type1-missing", "(0020,000D)", "StudyInstanceUID"),
        "General Study Module, table C.7-3: Study Instance UID (0020,000D), Type 1.",
    ),
    Defect(
        "ct-type1-empty",
        "ct",
        _set("ImageType", ""),
        Expected("type1-empty", "(0008,0008)", "ImageType"),
        "CT Image Module, table C.8-3: Image Type (0008,0008), Type 1; PS3.5 7.4.1: 'The Length "
        "of the Value Field shall not be zero.'",
    ),
    Defect(
        "ct-type2-missing",
        "ct",
        _delete("PatientName"),
        Expected("type2-missing", "(0010,0010)", "PatientName"),
        "Patient Module, table C.7-1: Patient's Name (0010,0010), Type 2.",
    ),
    Defect(
        "ct-type1c-missing",
        "ct",
        _set("PatientIdentityRemoved", "YES"),
        Expected("type1c-missing", "(0012,0063)", "DeidentificationMethod"),
        "Patient Module, table C.7-1: De-identification Method (0012,0063), Type 1C, 'Required "
        "if Patient Identity Removed (0012,0062) is present and has a value of YES and "
        "De-identification Method Code Sequence (0012,0064) is not present.'",
    ),
    Defect(
        "ct-type1c-condition-fails",
        "ct",
        _set("PlanarConfiguration", 0),
        Expected("condition-not-met-present", "(0028,0006)", "PlanarConfiguration"),
        "Image Pixel Module, table C.7-11a: Planar Configuration (0028,0006), Type 1C, "
        "'Required if Samples per Pixel (0028,0002) has a value greater than 1.' Samples per "
        "Pixel is 1 and the text does not say it may be present otherwise (PS3.5 7.4.2).",
    ),
    Defect(
        "ct-enumerated-string",
        "ct",
        _set("PatientSex", "X"),
        Expected("enum-value", "(0010,0040)", "PatientSex"),
        "Patient Module, table C.7-1: Patient's Sex (0010,0040), 'Enumerated Values: M F O'.",
    ),
    Defect(
        "ct-enumerated-binary",
        "ct",
        _set("PixelRepresentation", 2),
        Expected("enum-value", "(0028,0103)", "PixelRepresentation"),
        "Image Pixel Module, table C.7-11a: Pixel Representation (0028,0103), 'Enumerated "
        "Values: 0000H unsigned integer. 0001H 2's complement'.",
    ),
    Defect(
        "ct-date",
        "ct",
        _set("StudyDate", "20201340"),
        Expected("value-invalid", "(0008,0020)", "StudyDate"),
        "PS3.5 table 6.2-1, DA: 'YYYYMMDD; where … MM shall contain the month … interpreted as "
        "a date of the Gregorian calendar system'; there is no month 13.",
    ),
    Defect(
        "ct-time",
        "ct",
        _set("StudyTime", "256000"),
        Expected("value-invalid", "(0008,0030)", "StudyTime"),
        'PS3.5 table 6.2-1, TM: \'HHMMSS.FFFFFF; where HH contains hours (range "00" - "23")\'.',
    ),
    Defect(
        "ct-uid",
        "ct",
        _set("SeriesInstanceUID", "1.2.840.abc"),
        Expected("value-invalid", "(0020,000E)", "SeriesInstanceUID"),
        "PS3.5 table 6.2-1, UI: 'A character string containing a UID … composed of a series of "
        "numeric components … separated by the period'; PS3.5 9.1: components are digits.",
    ),
    Defect(
        "ct-code-string-characters",
        "ct",
        _set("PatientPosition", "hfs"),
        Expected("value-invalid", "(0018,5100)", "PatientPosition"),
        'PS3.5 table 6.2-1, CS: \'Uppercase characters, "0"-"9", the SPACE character, and '
        'underscore "_"\'.',
    ),
    Defect(
        "ct-value-too-long",
        "ct",
        _set("StudyID", "ABCDEFGHIJKLMNOPQ"),
        Expected("value-invalid", "(0020,0010)", "StudyID"),
        "PS3.5 table 6.2-1, SH: '16 chars maximum'; this Study ID has 17.",
    ),
    Defect(
        "ct-value-multiplicity",
        "ct",
        _set("ImageOrientationPatient", [1, 0, 0, 0, 1]),
        Expected("vm-mismatch", "(0020,0037)", "ImageOrientationPatient"),
        "PS3.6 table 6-1: Image Orientation (Patient) (0020,0037), VM 6; five values are sent.",
    ),
    Defect(
        "ct-private-without-creator",
        "ct",
        _element(0x00131010, "LO", "no creator"),
        Expected("private-creator-missing", "(0013,1010)", "(0013,1010)"),
        "PS3.5 7.8.1: 'Private Creator Data Elements numbered (gggg,0010-00FF) … shall be used "
        "to reserve a block of Elements'; (0013,1010) lies in the block of (0013,0010), which is "
        "absent.",
    ),
    Defect(
        "ct-media-storage-sop-instance-uid",
        "ct",
        _set("meta.MediaStorageSOPInstanceUID", _uid(20)),
        Expected("file-meta-mismatch", "(0002,0003)", "MediaStorageSOPInstanceUID"),
        "PS3.10 7.1 (table 7.1-1): Media Storage SOP Instance UID (0002,0003) identifies the SOP "
        "Instance of the Data Set in the file, which is its SOP Instance UID (0008,0018).",
    ),
    Defect(
        "ct-file-meta-group-length-missing",
        "ct",
        _delete("meta.FileMetaInformationGroupLength"),
        Expected("file-meta-missing", "(0002,0000)", "FileMetaInformationGroupLength"),
        "PS3.10 table 7.1-1: File Meta Information Group Length (0002,0000), Type 1.",
    ),
    Defect(
        "ct-un-enumerated",
        "ct",
        _element(0x00100040, "UN", b"X "),
        Expected("enum-value", "(0010,0040)", "PatientSex"),
        "PS3.5 6.2.2: a known element may be sent as UN; its value is that of its own VR, CS. "
        "Patient Module, table C.7-1: Patient's Sex, 'Enumerated Values: M F O'; 'X' is none.",
    ),
    Defect(
        "ct-vr-contradicts-dictionary",
        "ct",
        _element(0x00100010, "LO", "Doe^John"),
        Expected("vr-mismatch", "(0010,0010)", "PatientName"),
        "PS3.6 table 6-1: Patient's Name (0010,0010), VR PN; PS3.5 7.1.2: in an explicit VR "
        "encoding the VR field holds the Data Element's VR. It is sent as LO.",
    ),
    Defect(
        "ct-private-creator-empty",
        "ct",
        _value(0x00090010, ""),
        Expected("private-creator-empty", "(0009,0010)", "(0009,0010)"),
        "PS3.5 7.8.1: 'Private Creator Data Element (gggg,0010), is a Type 1 Data Element'; "
        "CT_small.dcm's GEMS_IDEN_01 creator is emptied, its block (0009,10xx) kept.",
    ),
    Defect(
        "ct-private-reserved-range",
        "ct",
        _element(0x00130005, "LO", "reserved"),
        Expected("private-reserved", "(0013,0005)", "(0013,0005)"),
        "PS3.5 7.8.1, note: 'The requirements of this section do not allow any use of elements "
        "in the ranges (gggg,0001-000F) and (gggg,0100-0FFF) where gggg is odd.'",
    ),
    Defect(
        "ct-type1-missing-rescale",
        "ct",
        _delete("RescaleIntercept"),
        Expected("type1-missing", "(0028,1052)", "RescaleIntercept"),
        "CT Image Module, table C.8-3: Rescale Intercept (0028,1052), Type 1.",
    ),
    Defect(
        "ct-implicit-vr-element",
        "ct",
        _unchanged,
        Expected("encoding-invalid", "(0010,0010)", ""),
        "PS3.5 7.1.2 (Data Element Structure with Explicit VR) in the Explicit VR Little Endian "
        "Transfer Syntax of the file (PS3.5 A.2): every element has its VR field; Patient's "
        "Name (0010,0010) is written with an implicit VR header (7.1.3).",
        patch=_implicit_patient_name,
    ),
    # -- RT Dose (A.18.3-1), pydicom's rtdose.dcm made valid ----------------------------------
    Defect(
        "rtdose-type1-missing",
        "rtdose",
        _delete("DoseUnits"),
        Expected("type1-missing", "(3004,0002)", "DoseUnits"),
        "RT Dose Module, table C.8-39: Dose Units (3004,0002), Type 1.",
    ),
    Defect(
        "rtdose-enumerated-string",
        "rtdose",
        _set("DoseUnits", "CGY"),
        Expected("enum-value", "(3004,0002)", "DoseUnits"),
        "RT Dose Module, table C.8-39: Dose Units (3004,0002), 'Enumerated Values: GY RELATIVE'.",
    ),
    Defect(
        "rtdose-specialized-enumerated",
        "rtdose",
        _set("PhotometricInterpretation", "MONOCHROME1"),
        Expected("enum-value", "(0028,0004)", "PhotometricInterpretation"),
        "C.8.8.3.4.2, the RT Dose specialization of the Image Pixel Module: Photometric "
        "Interpretation 'Enumerated Values: MONOCHROME2'.",
    ),
    Defect(
        "rtdose-specialized-bits-allocated",
        "rtdose",
        _set("BitsAllocated", 8),
        Expected("enum-value", "(0028,0100)", "BitsAllocated"),
        "C.8.8.3.4.3, the RT Dose specialization of the Image Pixel Module: Bits Allocated "
        "'Enumerated Values: 16 32'.",
    ),
    Defect(
        "rtdose-grid-frame-offset-vector-vm",
        "rtdose",
        _set("GridFrameOffsetVector", [0.0]),
        Expected("vm-mismatch", "(3004,000C)", "GridFrameOffsetVector"),
        "PS3.6 table 6-1: Grid Frame Offset Vector (3004,000C), VM 2-n; one value is sent.",
    ),
    Defect(
        "rtdose-item-attribute-missing",
        "rtdose",
        _delete("ReferencedRTPlanSequence[0].ReferencedSOPClassUID"),
        Expected(
            "type1-missing", "(0008,1150)", "ReferencedRTPlanSequence[0].ReferencedSOPClassUID"
        ),
        "RT Dose Module, table C.8-39: '>Referenced SOP Class UID (0008,1150)', Type 1 in each "
        "Item of Referenced RT Plan Sequence.",
    ),
    Defect(
        "rtdose-too-many-items",
        "rtdose",
        _two_plans,
        Expected("item-count", "(300C,0002)", "ReferencedRTPlanSequence"),
        "RT Dose Module, table C.8-39, Referenced RT Plan Sequence (300C,0002): 'Only a single "
        "Item shall be included in this Sequence, unless Dose Summation Type (3004,000A) is "
        "MULTI_PLAN' (Dose Summation Type is PLAN).",
    ),
    Defect(
        "rtdose-decimal-string",
        "rtdose",
        _raw(0x3004000E, "DS", b"abc "),
        Expected("value-invalid", "(3004,000E)", "DoseGridScaling"),
        'PS3.5 table 6.2-1, DS: \'"0"-"9", "+", "-", "E", "e", "." and the SPACE character\'.',
    ),
    Defect(
        "rtdose-un-enumerated",
        "rtdose",
        _element(0x30040002, "UN", b"CGY "),
        Expected("enum-value", "(3004,0002)", "DoseUnits"),
        "PS3.5 6.2.2: a known element sent as UN is decoded as its own VR. RT Dose Module, "
        "table C.8-39: Dose Units (3004,0002), 'Enumerated Values: GY RELATIVE'.",
    ),
    # -- Enhanced CT Image (A.38-1, functional groups A.38-2) ---------------------------------
    Defect(
        "enhanced-ct-frame-count",
        "enhanced-ct",
        _drop_last_frame_item,
        Expected("frame-count-mismatch", "(5200,9230)", "PerFrameFunctionalGroupsSequence"),
        "Multi-frame Functional Groups Module, table C.7.6.16-1: Per-frame Functional Groups "
        "Sequence, 'The number of Items shall be the same as the number of frames in the Multi-"
        "frame image.' Number of Frames is 2, the sequence has 1 Item.",
    ),
    Defect(
        "enhanced-ct-functional-group-missing",
        "enhanced-ct",
        _delete(f"{_SHARED}.PixelMeasuresSequence"),
        Expected(
            "functional-group-missing",
            "(0028,9110)",
            "PerFrameFunctionalGroupsSequence[0].PixelMeasuresSequence",
        ),
        "Enhanced CT Image Functional Group Macros, table A.38-2: Pixel Measures, M; it is in "
        "neither the shared Item nor the frames' Items.",
    ),
    Defect(
        "enhanced-ct-not-shared",
        "enhanced-ct",
        _share_frame_content,
        Expected("functional-group-shared", "(0020,9111)", f"{_SHARED}.FrameContentSequence"),
        "Table A.38-2: Frame Content, 'May not be used as a Shared Functional Group.'",
    ),
    Defect(
        "enhanced-ct-item-attribute-missing",
        "enhanced-ct",
        _delete(f"{_SHARED}.PixelValueTransformationSequence[0].RescaleType"),
        Expected(
            "type1-missing",
            "(0028,1054)",
            f"{_SHARED}.PixelValueTransformationSequence[0].RescaleType",
        ),
        "CT Pixel Value Transformation Macro, table C.8-126: '>Rescale Type (0028,1054)', Type 1.",
    ),
    Defect(
        "enhanced-ct-enumerated-in-item",
        "enhanced-ct",
        _set(f"{_SHARED}.FrameAnatomySequence[0].FrameLaterality", "X"),
        Expected("enum-value", "(0020,9072)", f"{_SHARED}.FrameAnatomySequence[0].FrameLaterality"),
        "Frame Anatomy Macro, table C.7.6.16-9: '>Frame Laterality (0020,9072)', "
        "'Enumerated Values: R L U B'.",
    ),
    Defect(
        "enhanced-ct-type1c-in-frame",
        "enhanced-ct",
        _delete(f"{_FRAME2}.FrameContentSequence[0].DimensionIndexValues"),
        Expected(
            "type1c-missing",
            "(0020,9157)",
            f"{_FRAME2}.FrameContentSequence[0].DimensionIndexValues",
        ),
        "Frame Content Macro, table C.7.6.16-3: '>Dimension Index Values (0020,9157)', Type 1C, "
        "'Required if the value of Dimension Index Sequence (0020,9222) exists.'",
    ),
    Defect(
        "enhanced-ct-enumerated-in-section-table",
        "enhanced-ct",
        _set("VolumetricProperties", "FLAT"),
        Expected("enum-value", "(0008,9206)", "VolumetricProperties"),
        "Common CT/MR Image Description Macro, table C.8-131: Volumetric Properties "
        "(0008,9206), 'See Section C.8.16.2.1.2'; C.8.16.2.1.2: 'Table C.8-85 specifies the "
        "Enumerated Values for Volumetric Properties': VOLUME, SAMPLED, DISTORTED, MIXED.",
    ),
    Defect(
        "enhanced-ct-enumerated-lossy",
        "enhanced-ct",
        _set("LossyImageCompression", "02"),
        Expected("enum-value", "(0028,2110)", "LossyImageCompression"),
        "Enhanced CT Image Module, table C.8-114: Lossy Image Compression (0028,2110), "
        "'Enumerated Values: 00 … 01'.",
    ),
    Defect(
        "enhanced-ct-condition-of-this-frame",
        "enhanced-ct",
        _set(
            f"{_SHARED}.CTImageFrameTypeSequence[0].FrameType",
            ["ORIGINAL", "PRIMARY", "AXIAL", "NONE"],
        ),
        Expected(
            "type1c-missing",
            "(0018,9074)",
            "PerFrameFunctionalGroupsSequence[0].FrameContentSequence[0].FrameAcquisitionDateTime",
        ),
        "Frame Content Macro, table C.7.6.16-3: '>Frame Acquisition DateTime (0018,9074)', Type "
        "1C, 'Required if Frame Type (0008,9007) Value 1 of this frame is ORIGINAL and the SOP "
        "Class UID is not …' (Legacy Converted). Frame Type is in the frame's CT Image Frame Type "
        "functional group (here shared): ORIGINAL.",
    ),
    Defect(
        "enhanced-ct-concatenation",
        "enhanced-ct",
        _set("ConcatenationUID", _uid(30)),
        Expected("type1c-missing", "(0020,9228)", "ConcatenationFrameOffsetNumber"),
        "Multi-frame Functional Groups Module, table C.7.6.16-1: Concatenation Frame Offset "
        "Number (0020,9228), Type 1C, 'Required if Concatenation UID (0020,9161) is present.'",
    ),
    Defect(
        "enhanced-ct-dimension-index-values-count",
        "enhanced-ct",
        _set(f"{_FRAME2}.FrameContentSequence[0].DimensionIndexValues", [2, 1]),
        Expected(
            "vm-mismatch",
            "(0020,9157)",
            f"{_FRAME2}.FrameContentSequence[0].DimensionIndexValues",
        ),
        "Frame Content Macro, table C.7.6.16-3: '>Dimension Index Values (0020,9157)': 'The "
        "number of values is equal to the number of Items of the Dimension Index Sequence' (one "
        "Item; two values are sent).",
    ),
    Defect(
        "enhanced-ct-character-set-missing",
        "enhanced-ct",
        _raw(0x00100010, "PN", "Müller^Hans".encode("latin-1") + b" "),
        Expected("type1c-missing", "(0008,0005)", "SpecificCharacterSet"),
        "SOP Common Module, table C.12-1: Specific Character Set (0008,0005), Type 1C, 'Required "
        "if an expanded or replacement character set is used.' Patient's Name holds the byte "
        "FCH (ü in ISO-IR 100), outside the default repertoire (PS3.5 6.1.2.1).",
    ),
    Defect(
        "enhanced-ct-specialized-enumerated",
        "enhanced-ct",
        _set("PhotometricInterpretation", "MONOCHROME1"),
        Expected("enum-value", "(0028,0004)", "PhotometricInterpretation"),
        "Enhanced CT Image Module, table C.8-114: Photometric Interpretation (0028,0004), "
        "'Enumerated Values: MONOCHROME2'.",
    ),
    Defect(
        "enhanced-ct-empty-type1-sequence",
        "enhanced-ct",
        _set("DimensionOrganizationSequence", Sequence()),
        Expected("type1-empty", "(0020,9221)", "DimensionOrganizationSequence"),
        "Multi-frame Dimension Module, table C.7.6.17-1: Dimension Organization Sequence "
        "(0020,9221), Type 1; PS3.5 7.4.1: 'A Type 1 Sequence Data Element will contain one or "
        "more Items'.",
    ),
    Defect(
        "enhanced-ct-too-many-items",
        "enhanced-ct",
        _second_pixel_measures_item,
        Expected("item-count", "(0028,9110)", f"{_SHARED}.PixelMeasuresSequence"),
        "Pixel Measures Macro, table C.7.6.16-2: Pixel Measures Sequence (0028,9110), 'Only a "
        "single Item shall be included in this Sequence.'",
    ),
    # -- Enhanced X-Ray Angiographic Image (A.47-1, A.47-2), build of the whole standard ------
    Defect(
        "enhanced-xa-enumerated-binary",
        "enhanced-xa",
        _set(f"{_SHARED}.FramePixelDataPropertiesSequence[0].PixelIntensityRelationshipSign", 2),
        Expected(
            "enum-value",
            "(0028,1041)",
            f"{_SHARED}.FramePixelDataPropertiesSequence[0].PixelIntensityRelationshipSign",
        ),
        "X-Ray Frame Pixel Data Properties Macro, table C.8.19.6-4: '>Pixel Intensity "
        "Relationship Sign (0028,1041)', 'Enumerated Values: +1 … -1'.",
    ),
    Defect(
        "enhanced-xa-specialized-type1",
        "enhanced-xa",
        _set("SeriesNumber", None),
        Expected("type1-empty", "(0020,0011)", "SeriesNumber"),
        "XA/XRF Series Module, table C.8.19.1-1: Series Number (0020,0011), Type 1 (Type 2 in "
        "the General Series Module).",
    ),
    Defect(
        "enhanced-xa-functional-group-missing",
        "enhanced-xa",
        _delete(f"{_SHARED}.FrameVOILUTSequence"),
        Expected(
            "functional-group-missing",
            "(0028,9132)",
            "PerFrameFunctionalGroupsSequence[0].FrameVOILUTSequence",
        ),
        "Enhanced XA Image Functional Group Macros, table A.47-2: Frame VOI LUT, M.",
    ),
    Defect(
        "enhanced-xa-type1c-missing",
        "enhanced-xa",
        _set("PlanesInAcquisition", "BIPLANE"),
        Expected("type1c-missing", "(0008,9410)", "ReferencedOtherPlaneSequence"),
        "Enhanced XA/XRF Image Module, table C.8.19.2-1: Referenced Other Plane Sequence "
        "(0008,9410), Type 1C, 'Required if Planes in Acquisition (0018,9410) is BIPLANE.'",
    ),
    Defect(
        "enhanced-xa-type2c-condition-fails",
        "enhanced-xa",
        _set(f"{_SHARED}.FramePixelDataPropertiesSequence[0].GeometricMaximumDistortion", 0.5),
        Expected(
            "condition-not-met-present",
            "(0028,9445)",
            f"{_SHARED}.FramePixelDataPropertiesSequence[0].GeometricMaximumDistortion",
        ),
        "X-Ray Frame Pixel Data Properties Macro, table C.8.19.6-4: '>Geometric Maximum "
        "Distortion (0028,9445)', Type 2C, 'Required if Geometrical Properties (0028,9444) "
        "equals NON_UNIFORM'; it is UNIFORM, and the text does not say it may be present "
        "otherwise (PS3.5 7.4.4).",
    ),
    Defect(
        "enhanced-xa-datetime",
        "enhanced-xa",
        _set("AcquisitionDateTime", "20201302101500"),
        Expected("value-invalid", "(0008,002A)", "AcquisitionDateTime"),
        "PS3.5 table 6.2-1, DT: 'YYYYMMDDHHMMSS.FFFFFF&ZZXX … YYYY = Year, MM = Month'; there "
        "is no month 13.",
    ),
    Defect(
        "enhanced-xa-type2-missing",
        "enhanced-xa",
        _delete("PatientID"),
        Expected("type2-missing", "(0010,0020)", "PatientID"),
        "Patient Module, table C.7-1: Patient ID (0010,0020), Type 2.",
    ),
]
