"""Standard data elements encoded with VR UN.

PS3.5 6.2.2: UN "shall only be used for Private Attribute Data Elements and Standard Data
Elements previously encoded as some DICOM VR other than UN using the DICOM Default Transfer
Syntax (Implicit VR Little Endian), and whose Value Representation is currently unknown"; "If at
some point an application knows the actual VR for an Attribute of VR UN [...], it can assume
that the Value Field of the Attribute is encoded in Little Endian byte ordering with implicit VR
encoding, irrespective of the current Transfer Syntax." The validator knows the VR from the data
dictionary: it warns (vr-un) and checks the element as that VR, sequences included.

pydicom's rtdose_rle.dcm (RLE Lossless) carries 35 standard elements with VR UN, Referenced RT
Plan Sequence (300C,0002) among them; rtdose.dcm has the same data set with their real VRs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from dicomstd.validation import Severity, ValidationResult, validate, validate_file
from tests.validate.conftest import pydicom_file


def _codes(result: ValidationResult, severity: Severity) -> set[tuple[str, str]]:
    return {(f.code, f.tag_text) for f in result.findings if f.severity is severity}


@pytest.fixture(scope="module")
def rle() -> ValidationResult:
    return validate_file(pydicom_file("rtdose_rle.dcm"))


def test_every_known_element_sent_as_un_is_reported() -> None:
    # The data set as pydicom reads it, elements raw: the file reader of the validator has
    # pydicom convert empty elements before the walk, which then no longer shows their UN.
    raw = dcmread(pydicom_file("rtdose_rle.dcm"))
    sent_as_un = {f"({t >> 16:04X},{t & 0xFFFF:04X})" for t, e in raw._dict.items() if e.VR == "UN"}
    assert len(sent_as_un) == 35
    result = validate(raw)
    reported = {f.tag_text for f in result.findings if f.code == "vr-un"}
    assert reported == sent_as_un
    assert all(f.severity is Severity.WARNING for f in result.findings if f.code == "vr-un")


def test_a_un_sequence_is_walked_like_any_sequence(rle: ValidationResult) -> None:
    # Inside Referenced RT Plan Sequence, decoded as implicit VR little endian: the Referenced
    # SOP Instance UID 1.2.123.456.78.9.0123.… has a component with a leading zero, which PS3.5
    # 9.1 forbids; rtdose.dcm, where the sequence has VR SQ, gets the same finding.
    errors = {(f.code, f.tag_text, f.path) for f in rle.errors}
    path = "ReferencedRTPlanSequence[0].ReferencedSOPInstanceUID"
    assert ("value-invalid", "(0008,1155)", path) in errors
    plain = validate_file(pydicom_file("rtdose.dcm"))
    assert ("value-invalid", "(0008,1155)", path) in {
        (f.code, f.tag_text, f.path) for f in plain.errors
    }


def _patched(tmp_path: Path, name: str, old: bytes, new: bytes) -> Path:
    data = pydicom_file(name).read_bytes()
    assert data.count(old) == 1
    out = tmp_path / name
    out.write_bytes(data.replace(old, new))
    return out


@pytest.mark.parametrize(
    ("tag", "sent", "changed", "finding"),
    [
        (b"\x04\x30\x02\x00", b"RELATIVE", b"GRAY    ", ("enum-value", "(3004,0002)")),
        (b"\x04\x30\x04\x00", b"PHYSICAL", b"PHYSICAX", ("defined-term", "(3004,0004)")),
    ],
)
def test_values_of_un_elements_are_checked(
    tmp_path: Path, tag: bytes, sent: bytes, changed: bytes, finding: tuple[str, str]
) -> None:
    # RT Dose Module (table C.8-39): Dose Units (3004,0002) "Enumerated Values: GY, RELATIVE"
    # (an error otherwise); Dose Type (3004,0004) "Defined Terms: PHYSICAL, EFFECTIVE, ERROR" (a
    # warning otherwise, PS3.5 6.3). Both are UN in the file.
    header = tag + b"UN\x00\x00\x08\x00\x00\x00"
    path = _patched(tmp_path, "rtdose_rle.dcm", header + sent, header + changed)
    assert finding in {(f.code, f.tag_text) for f in validate_file(path).findings}


@pytest.mark.parametrize(("value", "reported"), [(b"\x01\x00", False), (b"\x00\x01", True)])
def test_un_values_are_little_endian_whatever_the_transfer_syntax(
    tmp_path: Path, value: bytes, reported: bool
) -> None:
    # ExplVR_BigEnd.dcm is Explicit VR Big Endian. Pixel Representation (0028,0103), US, sent
    # as UN keeps the little endian bytes of its implicit VR encoding (PS3.5 6.2.2): 01 00 is 1,
    # one of the Enumerated Values 0000H, 0001H of the Image Pixel Macro (table C.7-11b); 00 01
    # is 256, not one of them.
    path = _patched(
        tmp_path,
        "ExplVR_BigEnd.dcm",
        b"\x00\x28\x01\x03US\x00\x02\x00\x00",
        b"\x00\x28\x01\x03UN\x00\x00\x00\x00\x00\x02" + value,
    )
    result = validate_file(path, iod="CT Image")
    assert ("vr-un", "(0028,0103)") in _codes(result, Severity.WARNING)
    assert (("enum-value", "(0028,0103)") in _codes(result, Severity.ERROR)) is reported


def test_the_data_set_is_left_as_it_was() -> None:
    dataset = dcmread(pydicom_file("rtdose_rle.dcm"))
    validate(dataset)
    assert dataset._dict[0x300C0002].VR == "UN"


def test_un_elements_in_functional_groups_are_checked_once_and_left_as_they_were(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The elements of a frame's items are indexed for the frame's conditions before the walk
    of the items, which takes the same copy: an element read as UN there is checked as its
    real VR by the walk (vr-un) while the index, the conditions and the data set keep it as
    it was. The findings are those of a walk that makes every copy itself."""
    from pydicom.dataelem import RawDataElement
    from pydicom.tag import BaseTag

    def un(item: Dataset, tag: int, value: bytes) -> None:  # as read: pydicom keeps it UN
        item._dict[BaseTag(tag)] = RawDataElement(
            BaseTag(tag), "UN", len(value), value, 0, False, True
        )

    from dicomstd.validation import engine
    from dicomstd.validation.frames import Frames
    from tests.bench.multiframe import enhanced_ct

    dataset = enhanced_ct(3, "mixed")
    frame = dataset.PerFrameFunctionalGroupsSequence[1]
    # Slice Thickness (0018,0050), DS, as UN in the frame's Pixel Measures item, and Frame
    # Content Sequence's Frame Acquisition Number (0020,9156), US, as UN with a value.
    measures = Dataset()
    measures.PixelSpacing = [0.5, 0.5]
    un(measures, 0x00180050, b"0.5 ")
    frame.PixelMeasuresSequence = Sequence([measures])
    un(frame.FrameContentSequence[0], 0x00209156, b"\x07\x00")
    # Frame 2's Plane Position (Patient) Sequence (0020,9113) as UN: one item of implicit VR
    # little endian holding Image Position (Patient) (0020,0032), DS.
    position = b"\x20\x00\x32\x00\x06\x00\x00\x001\\2\\3 "
    item = b"\xfe\xff\x00\xe0" + len(position).to_bytes(4, "little") + position
    un(dataset.PerFrameFunctionalGroupsSequence[2], 0x00209113, item)

    def run() -> ValidationResult:  # as an explicit VR data set (UN is one of its VRs)
        return engine.validate_dataset(dataset, iod="Enhanced CT Image", explicit_vr=True)

    shared = run()
    monkeypatch.setattr(engine, "Frames", lambda data, top, copies: Frames(data, top))
    unshared = run()
    assert shared.findings == unshared.findings
    warned = _codes(shared, Severity.WARNING)
    assert ("vr-un", "(0018,0050)") in warned
    assert ("vr-un", "(0020,9156)") in warned
    assert ("vr-un", "(0020,9113)") in warned
    assert frame.PixelMeasuresSequence[0]._dict[0x00180050].VR == "UN"
