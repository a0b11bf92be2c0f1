"""The validation engine on real files and on mutated copies of them.

Expected findings were worked out by reading the files (pydicom's dump) against PS3.3 2016c and
PS3.5/PS3.6 2015b, as the comments say; they are not captured from a run of the validator.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from dicomstd import spec
from dicomstd.errors import UnknownIODError
from dicomstd.validation import Severity, ValidationResult, validate, validate_file, validate_json
from tests.validate.conftest import pydicom_file


def _codes(result: ValidationResult, severity: Severity | None = None) -> set[tuple[str, str]]:
    return {
        (f.code, f.as_json()["tag"])
        for f in result.findings
        if severity is None or f.severity is severity
    }


def _with(dataset: Dataset, **changes: object) -> Dataset:
    changed = copy.deepcopy(dataset)
    for keyword, value in changes.items():
        if value is None:
            delattr(changed, keyword)
        else:
            setattr(changed, keyword, value)
    return changed


# -- real files ---------------------------------------------------------------------------------
def test_ct_small(ct: Dataset) -> None:
    result = validate(ct)
    assert result.iod == "CT Image"
    assert result.sop_class_uid == "1.2.840.10008.5.1.4.1.1.2"
    # Every Type 1 and Type 2 attribute of the CT Image IOD's M modules is in the file.
    assert result.errors == ()
    # Spacing Between Slices (0018,0088) is in PS3.3 2016c only in the Pixel Measures Macro
    # (table C.7.6.16-2), a functional group macro the CT Image IOD (table A.3-1) does not use.
    assert _codes(result, Severity.WARNING) == {("not-in-iod", "(0018,0088)")}


def test_rtdose(dose: Dataset) -> None:
    result = validate(dose)
    assert result.iod == "RT Dose"
    errors = {(f.code, f.as_json()["tag"], f.path) for f in result.errors}
    # RT Series Module (table C.8-37) has Operators' Name (0008,1070) Type 2; the file lacks it.
    assert ("type2-missing", "(0008,1070)", "OperatorsName") in errors
    # The referenced RT Plan's UID 1.2.123.456.78.9.0123.… has the component "0123": PS3.5 9.1
    # forbids a leading zero in a component.
    assert (
        "value-invalid",
        "(0008,1155)",
        "ReferencedRTPlanSequence[0].ReferencedSOPInstanceUID",
    ) in errors
    assert not {code for code, _, _ in errors} & {"type1-missing", "module-missing"}


def test_rtdose_file_meta(dose: Dataset) -> None:
    path = pydicom_file("rtdose.dcm")
    result = validate_file(path)
    # Media Storage SOP Instance UID 1.2.999.… differs from SOP Instance UID 1.9.999.… in the file.
    # PS3.10 7.1: it "uniquely identifies the SOP Instance associated with the Data Set placed in
    # the file" — a file that names another instance breaks a requirement: an error.
    assert ("file-meta-mismatch", "(0002,0003)") in _codes(result, Severity.ERROR)
    assert result.path == str(path)


# -- mutations of a valid dataset ---------------------------------------------------------------
def test_missing_type1_names_module_path_and_table(ct: Dataset) -> None:
    result = validate(_with(ct, Modality=None))
    found = [f for f in result.findings if f.code == "type1-missing"]
    assert len(found) == 1
    finding = found[0]
    assert (str(finding.tag), finding.keyword, finding.path) == (
        "(0008,0060)",
        "Modality",
        "Modality",
    )
    assert finding.module == "General Series"
    assert finding.reference == "table_C.7-5a"
    assert finding.severity is Severity.ERROR


def test_empty_type2_is_fine_empty_type1_is_not(ct: Dataset) -> None:
    assert validate(_with(ct, PatientName="")).errors == ()
    result = validate(_with(ct, SeriesInstanceUID=""))
    assert ("type1-empty", "(0020,000E)") in _codes(result)


def test_backslashes_alone_do_not_satisfy_type1(ct: Dataset) -> None:
    # PS3.5 7.4.1: delimiters without any value do not satisfy the Type 1 requirement.
    result = validate(_with(ct, ImageType=["", ""]))
    assert ("type1-empty", "(0008,0008)") in _codes(result)


def test_enumerated_value(ct: Dataset) -> None:
    # Patient's Sex (0010,0040): Enumerated Values M, F, O (table C.7-1).
    result = validate(_with(ct, PatientSex="X"))
    assert ("enum-value", "(0010,0040)") in _codes(result, Severity.ERROR)


def test_value_syntax_and_vm(ct: Dataset) -> None:
    result = validate(_with(ct, StudyDate="20150231", ImageOrientationPatient=[1, 0, 0, 0, 1]))
    codes = _codes(result)
    assert ("value-invalid", "(0008,0020)") in codes  # 31 February is no date (PS3.5 DA)
    assert ("vm-mismatch", "(0020,0037)") in codes  # VM 6 (PS3.6)


def test_retired_attribute(ct: Dataset) -> None:
    changed = copy.deepcopy(ct)
    changed.add_new(0x00080010, "SH", "RC")  # Recognition Code: RET in PS3.6 table 6-1
    assert ("retired", "(0008,0010)") in _codes(validate(changed), Severity.WARNING)


def test_item_requirements_and_paths(ct: Dataset) -> None:
    changed = copy.deepcopy(ct)
    del changed.OtherPatientIDsSequence[1].PatientID
    found = [f for f in validate(changed).findings if f.code == "type1-missing"]
    # Patient ID is Type 1 in the items of Other Patient IDs Sequence (table C.7-1).
    assert [(f.as_json()["tag"], f.path) for f in found] == [
        ("(0010,0020)", "OtherPatientIDsSequence[1].PatientID")
    ]


def test_sop_class_missing_and_unknown(ct: Dataset) -> None:
    assert ("sop-class-missing", "(0008,0016)") in _codes(validate(_with(ct, SOPClassUID=None)))
    assert ("sop-class-unknown", "(0008,0016)") in _codes(validate(_with(ct, SOPClassUID="1.2.3")))


def test_directory_is_unchecked_not_an_error() -> None:
    # A DICOMDIR has no SOP Class UID in its data set: the Basic Directory IOD (PS3.3 F.3) has no
    # SOP Common Module. Its Media Storage SOP Class UID (0002,0002) is Media Storage Directory
    # Storage (PS3.4 annex F); the IOD is not one of this build's, so the file is unchecked.
    path = pydicom_file("DICOMDIR")
    result = validate_file(path)
    assert result.sop_class_uid == "1.2.840.10008.1.3.10"
    assert not result.checked
    assert result.status == "unchecked"
    assert [f.code for f in result.findings if f.code.startswith("sop-class")] == []


def test_explicit_iod(dose: Dataset) -> None:
    result = validate(dose, iod="CT Image")
    assert result.iod == "CT Image"
    # The CT Image Module (table C.8-3, M in table A.3-1) is checked attribute by attribute: an
    # RT Dose has neither its Type 1 Image Type (0008,0008) nor its Type 2 KVP (0018,0060). It
    # is not "absent" as a whole: Samples per Pixel and the other pixel attributes it shares
    # with the Image Pixel Module are there.
    found = {(f.code, f.tag_text, f.module) for f in result.errors}
    assert ("type1-missing", "(0008,0008)", "CT Image") in found
    assert ("type2-missing", "(0018,0060)", "CT Image") in found
    assert not any(f.code == "module-missing" for f in result.findings)
    with pytest.raises(UnknownIODError, match="Nonsense"):
        validate(dose, iod="Nonsense IOD")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_dropping_type1_attributes_reports_each(ct: Dataset, data: st.DataObject) -> None:
    iod = spec.iod("CT Image")
    # Without SOP Class UID the IOD is unknown: that is sop-class-missing, tested above.
    mandatory = [
        attribute
        for use in iod.modules
        if use.usage is spec.Usage.MANDATORY and use.module is not None
        for attribute in use.module.attributes
        if attribute.type is spec.AttributeType.TYPE_1
        and int(attribute.tag) in ct
        and attribute.keyword != "SOPClassUID"
    ]
    chosen = data.draw(
        st.lists(st.sampled_from(mandatory), min_size=1, max_size=4, unique_by=lambda a: int(a.tag))
    )
    changed = copy.deepcopy(ct)
    for attribute in chosen:
        del changed[int(attribute.tag)]
    missing = {f.as_json()["tag"] for f in validate(changed).findings if f.code == "type1-missing"}
    assert {str(a.tag) for a in chosen} <= missing


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_emptying_type2_attributes_changes_nothing(ct: Dataset, data: st.DataObject) -> None:
    iod = spec.iod("CT Image")
    type2 = sorted(
        {
            int(attribute.tag)
            for use in iod.modules
            if use.module is not None
            for attribute in use.module.attributes
            if attribute.type is spec.AttributeType.TYPE_2
            and int(attribute.tag) in ct
            and not attribute.is_sequence
        }
    )
    chosen = data.draw(st.lists(st.sampled_from(type2), min_size=1, max_size=5, unique=True))
    changed = copy.deepcopy(ct)
    for tag in chosen:
        changed[tag].value = None
    before = _codes(validate(ct))
    assert _codes(validate(changed)) == before


# -- bad input ------------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(st.binary(min_size=0, max_size=2048))
def test_random_bytes_never_raise(tmp_path_factory: pytest.TempPathFactory, blob: bytes) -> None:
    path = tmp_path_factory.mktemp("random") / "blob.dcm"
    path.write_bytes(blob)
    result = validate_file(path)
    assert result.status in {"unreadable", "errors", "warnings", "ok"}
    assert result.path == str(path)


def test_preamble_then_garbage(tmp_path: Path) -> None:
    path = tmp_path / "garbage.dcm"
    path.write_bytes(b"\0" * 128 + b"DICM" + bytes(range(256)) * 4)
    result = validate_file(path)
    # "DICM" but no group 0002 after it: not a DICOM file (PS3.10 7.1), whatever pydicom makes
    # of the bytes that follow.
    codes = {f.code for f in result.errors}
    assert codes & {"unreadable", "file-meta-missing"}


@pytest.mark.parametrize("name", ["", "missing.dcm"])
def test_unreadable_paths(tmp_path: Path, name: str) -> None:
    target = tmp_path / name if name else tmp_path
    result = validate_file(target)
    assert result.status == "unreadable"
    assert result.findings[0].code == "unreadable"


def test_empty_and_truncated_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.dcm"
    empty.write_bytes(b"")
    assert "empty" in validate_file(empty).findings[0].message
    source = pydicom_file("CT_small.dcm")
    data = Path(source).read_bytes()
    cut = tmp_path / "cut.dcm"
    cut.write_bytes(data[: len(data) - 1000])  # inside Pixel Data, the last element
    assert ("truncated", "(7FE0,0010)") in _codes(validate_file(cut))
    header_only = tmp_path / "header.dcm"
    header_only.write_bytes(data[:700])
    assert validate_file(header_only).status in {"unreadable", "errors"}


def test_deeply_nested_sequences_do_not_crash(ct: Dataset) -> None:
    changed = copy.deepcopy(ct)
    inner = Dataset()
    inner.CodeValue = "1"
    for _ in range(100):
        outer = Dataset()
        outer.ContentSequence = Sequence([inner])
        inner = outer
    changed.ContentSequence = Sequence([inner])
    result = validate(changed)
    assert any("nested more than 64 deep" in f.message for f in result.findings)


def test_huge_sequence(ct: Dataset) -> None:
    changed = copy.deepcopy(ct)
    items = []
    for number in range(5000):
        item = Dataset()
        item.PatientID = f"ID{number}"
        item.TypeOfPatientID = "TEXT"
        items.append(item)
    changed.OtherPatientIDsSequence = Sequence(items)
    result = validate(changed)
    assert result.errors == ()


def test_bad_decimal_string_from_a_file(tmp_path: Path) -> None:
    source = pydicom_file("CT_small.dcm")
    data = Path(source).read_bytes()
    # KVP (0018,0060) is written explicit VR little endian: tag, "DS", length 4, "120 ".
    element = b"\x18\x00\x60\x00DS\x04\x00120 "
    assert data.count(element) == 1
    path = tmp_path / "bad_ds.dcm"
    path.write_bytes(data.replace(element, element[:-4] + b"12O "))  # letter O: not a DS
    assert ("value-invalid", "(0018,0060)") in _codes(validate_file(path))


# -- DICOM JSON -------------------------------------------------------------------------------
def test_json_model(ct: Dataset) -> None:
    document = ct.to_json_dict(
        bulk_data_threshold=1, bulk_data_element_handler=lambda _: "http://x"
    )
    result = validate_json(document)
    assert result.iod == "CT Image"
    assert result.errors == ()
    broken = validate_json('{"00080016": {"vr": "UI", "Value": [')
    assert broken.status == "unreadable"


def test_a_value_given_by_bulk_data_uri_is_not_empty(ct: Dataset) -> None:
    # PS3.18 F.2.6: a BulkDataURI gives the value by reference; Pixel Data (7FE0,0010) is Type 1C
    # in C.7-11b, "Required if Pixel Data Provider URL (0028,7FE0) is not present"
    document = ct.to_json_dict(
        bulk_data_threshold=1, bulk_data_element_handler=lambda _: "http://x/pixels"
    )
    assert "BulkDataURI" in document["7FE00010"]
    assert ("type1c-empty", "(7FE0,0010)") not in _codes(validate_json(document))
    del document["7FE00010"]["BulkDataURI"]
    assert ("type1c-empty", "(7FE0,0010)") in _codes(validate_json(document))


def test_an_empty_pixel_data_is_reported_without_reading_pixel_data(
    ct: Dataset, tmp_path: Path
) -> None:
    # C.7-11b: Pixel Data (7FE0,0010) 1C, required (no Pixel Data Provider URL): a zero-length
    # value is "no value" (PS3.5 7.4)
    emptied = copy.deepcopy(ct)
    emptied.PixelData = b""
    path = tmp_path / "empty-pixels.dcm"
    emptied.save_as(path)
    assert ("type1c-empty", "(7FE0,0010)") in _codes(validate_file(path))
    assert ("type1c-empty", "(7FE0,0010)") in _codes(validate(emptied))
    assert ("type1c-empty", "(7FE0,0010)") not in _codes(
        validate_file(pydicom_file("CT_small.dcm"))
    )


# -- functional groups ----------------------------------------------------------------------------
def _frame_content() -> Dataset:
    content = Dataset()
    content.FrameAcquisitionNumber = 1
    item = Dataset()
    item.FrameContentSequence = Sequence([content])
    return item


def _enhanced_ct(shared: Dataset, frames: list[Dataset]) -> Dataset:
    dataset = Dataset()
    dataset.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2.1"  # Enhanced CT Image Storage (PS3.4 B.5-1)
    dataset.SOPInstanceUID = "1.2.3.4"
    dataset.NumberOfFrames = len(frames)
    dataset.SharedFunctionalGroupsSequence = Sequence([shared])
    dataset.PerFrameFunctionalGroupsSequence = Sequence(frames)
    return dataset


def test_functional_groups_frame_by_frame() -> None:
    # Table A.38-2: Pixel Measures M, Frame Content "M - May not be used as a Shared Functional
    # Group", Plane Position (Patient) M, …
    measures = Dataset()
    measures.PixelSpacing = [0.5, 0.5]
    measures.SliceThickness = 1
    shared = Dataset()
    shared.PixelMeasuresSequence = Sequence([measures])
    frames = [_frame_content(), _frame_content()]
    result = validate(_enhanced_ct(shared, frames))
    codes = {(f.code, f.message.split(" functional group")[0]) for f in result.findings}
    assert ("functional-group-missing", "Pixel Measures") not in codes  # shared covers both
    assert ("functional-group-missing", "Frame Content") not in codes  # in each frame
    assert ("functional-group-missing", "Plane Position (Patient)") in codes

    both = copy.deepcopy(shared)
    both.FrameContentSequence = _frame_content().FrameContentSequence
    result = validate(_enhanced_ct(both, frames))
    codes = {(f.code, f.message.split(" functional group")[0]) for f in result.findings}
    assert ("functional-group-shared", "Frame Content") in codes
    assert ("functional-group-in-both", "Frame Content") in codes


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(samples=st.sampled_from([1, 3, 4]), planar=st.sampled_from([None, 0, 1]))
def test_flipping_a_condition_input(ct: Dataset, samples: int, planar: int | None) -> None:
    # Image Pixel Macro (table C.7-11b): Planar Configuration (0028,0006) is Type 1C,
    # "Required if Samples per Pixel (0028,0002) has a value greater than 1." It says nothing
    # about "otherwise", so PS3.5 7.4.2 applies: not required means not included.
    changed = copy.deepcopy(ct)
    changed.SamplesPerPixel = samples
    if planar is None:
        changed.pop(0x00280006, None)
    else:
        changed.PlanarConfiguration = planar
    codes = _codes(validate(changed))
    assert (("type1c-missing", "(0028,0006)") in codes) == (samples > 1 and planar is None)
    assert (("condition-not-met-present", "(0028,0006)") in codes) == (
        samples == 1 and planar is not None
    )
