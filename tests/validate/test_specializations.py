"""The most specific definition of an attribute in an IOD (dicomstd.spec.Specialization).

PS3.3 says, in the tables and in the sections their cells point to, that one module's definition
of an attribute replaces another's in the IODs that hold both, or narrows its values:

* SC Equipment Module (table C.8-24), Modality (0008,0060) Type 3: "This type definition shall
  override the definition in the General Series Module" (where Modality is Type 1);
* Enhanced General Equipment Module (C.7.5.2): "Including this module in an IOD overwrites the
  Type Designation of the General Equipment Module" (Manufacturer: Type 1 instead of 2);
* RT Dose Module (table C.8-39), Bits Allocated: "See C.8.8.3.4.3 for specialization", and
  C.8.8.3.4.3: "Enumerated Values: 16 32"; Photometric Interpretation, C.8.8.3.4.2: "Enumerated
  Values: MONOCHROME2"; Samples per Pixel, C.8.8.3.4.1: "Enumerated Values: 1".

The pinned PS3.3 (an excerpt) holds RT Dose and Enhanced CT Image, whose specializations the
generator reads; it has no Secondary Capture IOD, which is checked with specs made here and with
the build of the whole standard.
"""

from __future__ import annotations

import copy
from pathlib import Path

import attrs
import pydicom
import pytest
from pydicom.dataset import FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

from dicomstd import spec
from dicomstd.tag import Tag
from dicomstd.validation import ValidationResult
from dicomstd.validation.engine import validate_dataset
from tests.conftest import validate_with_build
from tests.validate.conftest import read_pydicom_file

MODALITY, MANUFACTURER = Tag(0x00080060), Tag(0x00080070)
SC_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.7"


def _found(result: ValidationResult) -> set[tuple[str, str, str]]:
    return {(f.code, f.tag_text, f.module) for f in result.findings if f.severity.value != "notice"}


# -- RT Dose: values narrowed (the pinned build) ------------------------------------------------
def test_the_build_gives_rt_dose_its_specializations() -> None:
    narrowed = {
        str(s.tag): (s.module, s.replaces, s.values, s.source)
        for s in spec.iod("RT Dose").specializations
    }
    assert narrowed["(0028,0100)"] == (
        "RT Dose",
        ("Image Pixel",),
        (spec.ValueList("enumerated", ("16", "32")),),
        "sect_C.8.8.3.4.3",
    )


@pytest.mark.parametrize(
    ("keyword", "value", "tag", "section"),
    [
        ("BitsAllocated", 8, "(0028,0100)", "sect_C.8.8.3.4.3"),
        ("PhotometricInterpretation", "RGB", "(0028,0004)", "sect_C.8.8.3.4.2"),
        ("SamplesPerPixel", 3, "(0028,0002)", "sect_C.8.8.3.4.1"),
    ],
)
def test_values_narrowed_for_rt_dose(keyword: str, value: object, tag: str, section: str) -> None:
    dose = read_pydicom_file("rtdose.dcm")  # Bits Allocated 32, MONOCHROME2, 1 sample: allowed
    assert not [f for f in validate_dataset(dose).errors if f.code == "enum-value"]
    changed = copy.deepcopy(dose)
    setattr(changed, keyword, value)
    found = [f for f in validate_dataset(changed).errors if f.code == "enum-value"]
    assert [(f.tag_text, f.module, f.reference) for f in found] == [(tag, "RT Dose", section)]


def test_values_narrowed_only_under_a_condition_stay_within_the_general_ones() -> None:
    # C.8.8.3.4.6 Pixel Representation: "Enumerated Values when Dose Type (3004,0004) = ERROR:
    # 0001H"; "… not ERROR: 0000H" (conditions the validator does not evaluate). The Image Pixel
    # Module's "Enumerated Values: 0000H unsigned integer, 0001H 2's complement" (C.7.6.3.1)
    # still bound the value: 2 is neither.
    dose = read_pydicom_file("rtdose.dcm")
    assert not [f for f in validate_dataset(dose).errors if f.tag_text == "(0028,0103)"]
    dose.PixelRepresentation = 2
    found = [f for f in validate_dataset(dose).errors if f.tag_text == "(0028,0103)"]
    assert [(f.code, f.module, f.reference) for f in found] == [
        ("enum-value", "RT Dose", "sect_C.8.8.3.4.6")
    ]


def test_without_the_specializations_rt_dose_accepts_bits_allocated_8() -> None:
    # The Image Pixel Module alone gives Bits Allocated no Enumerated Values: the error above
    # comes from the RT Dose Module's specialization.
    dose = read_pydicom_file("rtdose.dcm")
    dose.BitsAllocated = 8
    plain = attrs.evolve(spec.iod("RT Dose"), specializations=())
    assert not [f for f in validate_dataset(dose, iod=plain).errors if f.code == "enum-value"]


# -- Enhanced General Equipment over General Equipment (the pinned build) -------------------------
def test_a_stricter_definition_replaces_the_general_one() -> None:
    dataset = read_pydicom_file("CT_small.dcm")
    dataset.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2.1"  # Enhanced CT Image Storage
    del dataset.Manufacturer
    enhanced = spec.iod("Enhanced CT Image")
    found = {f for f in _found(validate_dataset(dataset, iod=enhanced)) if f[1] == "(0008,0070)"}
    assert found == {("type1-missing", "(0008,0070)", "Enhanced General Equipment")}
    # Both definitions, without the one C.7.5.2 gives precedence:
    both = attrs.evolve(enhanced, specializations=())
    assert {f for f in _found(validate_dataset(dataset, iod=both)) if f[1] == "(0008,0070)"} == {
        ("type2-missing", "(0008,0070)", "General Equipment"),
        ("type1-missing", "(0008,0070)", "Enhanced General Equipment"),
    }


# -- SC Equipment over General Series ----------------------------------------------------------
def _with_sc_equipment(iod: spec.IodSpec, *specializations: spec.Specialization) -> spec.IodSpec:
    modality = spec.AttributeSpec(
        MODALITY, "Modality", "Modality", spec.AttributeType.TYPE_3, None, source="table_C.8-24"
    )
    module = spec.ModuleSpec(
        "sc_equipment_module", "SC Equipment", "module", "table_C.8-24", (modality,)
    )
    use = spec.ModuleUse("SC Equipment", "Equipment", spec.Usage.MANDATORY, None, module, 99)
    return attrs.evolve(iod, modules=(*iod.modules, use), specializations=specializations)


def test_a_looser_definition_overrides_the_general_one() -> None:
    ct = read_pydicom_file("CT_small.dcm")
    del ct.Modality
    plain = _with_sc_equipment(spec.iod("CT Image"))
    assert ("type1-missing", "(0008,0060)", "General Series") in _found(
        validate_dataset(ct, iod=plain)
    )
    override = spec.Specialization(
        MODALITY, "SC Equipment", ("General Series",), (), "table_C.8-24"
    )
    specialized = _with_sc_equipment(spec.iod("CT Image"), override)
    assert not [f for f in _found(validate_dataset(ct, iod=specialized)) if f[1] == "(0008,0060)"]


def test_a_specialization_naming_no_module_of_the_iod_is_an_error() -> None:
    wrong = spec.Specialization(MODALITY, "SC Equipment", ("General Series",), (), "table_C.8-24")
    broken = attrs.evolve(spec.iod("CT Image"), specializations=(wrong,))
    with pytest.raises(ValueError, match="SC Equipment"):
        validate_dataset(read_pydicom_file("CT_small.dcm"), iod=broken)


def _secondary_capture(path: Path, *, modality: str | None, series: bool = True) -> Path:
    """A Secondary Capture Image file made with pydicom: the SC Equipment Module's Conversion
    Type, no Modality unless given, Series Instance UID unless ``series`` is false."""
    dataset = pydicom.Dataset()
    dataset.SOPClassUID = SC_IMAGE_STORAGE
    dataset.SOPInstanceUID = generate_uid()
    dataset.StudyInstanceUID = generate_uid()
    if series:
        dataset.SeriesInstanceUID = generate_uid()
    dataset.PatientName = "SC^Test"
    dataset.PatientID = "1"
    dataset.ConversionType = "WSD"
    if modality is not None:
        dataset.Modality = modality
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SC_IMAGE_STORAGE
    meta.MediaStorageSOPInstanceUID = dataset.SOPInstanceUID
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    dataset.file_meta = meta
    dataset.save_as(path, enforce_file_format=True)
    return path


def _errors_on(build: Path, path: Path, tag: str) -> list[tuple[str, str]]:
    (result,) = validate_with_build(build, [path])
    assert result["status"] != "unchecked", result
    return [
        (f["code"], f["module"])
        for f in result["findings"]
        if f["severity"] == "error" and f["tag"] == tag
    ]


def test_secondary_capture_without_modality_in_the_whole_standard(
    full_build: Path, tmp_path: Path
) -> None:
    without = _secondary_capture(tmp_path / "sc.dcm", modality=None)
    assert _errors_on(full_build, without, "(0008,0060)") == []
    # The General Series Module is still checked: only its Modality gives way.
    no_series = _secondary_capture(tmp_path / "sc-no-series.dcm", modality=None, series=False)
    assert _errors_on(full_build, no_series, "(0020,000E)") == [("type1-missing", "General Series")]
