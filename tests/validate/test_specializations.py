"""The most specific definition of an attribute in an IOD (dicomstd.spec.Specialization).

PS3.3 says, in the tables and in the sections their cells point to, that one module's definition
of an attribute replaces another's in the IODs that hold both, or narrows its values:

* SC Equipment Module (table C.8-24), Modality (0008,0060) Type 3: "This type definition shall
  override the definition in the General Series Module" (where Modality is Type 1);
* Enhanced General Equipment Module (C.7.5.2): "Including this module in an IOD overwrites the
  Type Designation of the General Equipment Module" (Manufacturer: Type 1 instead of 2);
* RT Dose Module (table C.8-39), Bits Allocated: "See C.8.8.3.4.3 for specialization", and
  C.8.8.3.4.3: "Enumerated Values: 16 32"; Photometric Interpretation, C.8.8.3.4.2: "Enumerated
  Values: MONOCHROME2".

The generator does not read these yet, so the specs here are the build's own with the
specializations added in code, as the generator is to emit them.
"""

from __future__ import annotations

import copy

import attrs
import pytest

from dicomstd import spec
from dicomstd.tag import Tag
from dicomstd.validation import ValidationResult
from dicomstd.validation.engine import validate_dataset
from tests.validate.conftest import read_pydicom_file

MODALITY, MANUFACTURER = Tag(0x00080060), Tag(0x00080070)
BITS_ALLOCATED, PHOTOMETRIC = Tag(0x00280100), Tag(0x00280004)


def _found(result: ValidationResult) -> set[tuple[str, str, str]]:
    return {(f.code, f.tag_text, f.module) for f in result.findings if f.severity.value != "notice"}


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


def test_a_stricter_definition_replaces_the_general_one() -> None:
    dataset = read_pydicom_file("CT_small.dcm")
    dataset.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2.1"  # Enhanced CT Image Storage
    del dataset.Manufacturer
    enhanced = spec.iod("Enhanced CT Image")
    both = {f for f in _found(validate_dataset(dataset, iod=enhanced)) if f[1] == "(0008,0070)"}
    assert both == {
        ("type2-missing", "(0008,0070)", "General Equipment"),
        ("type1-missing", "(0008,0070)", "Enhanced General Equipment"),
    }
    overwrite = spec.Specialization(
        MANUFACTURER, "Enhanced General Equipment", ("General Equipment",), (), "sect_C.7.5.2"
    )
    specialized = attrs.evolve(enhanced, specializations=(overwrite,))
    found = {f for f in _found(validate_dataset(dataset, iod=specialized)) if f[1] == "(0008,0070)"}
    assert found == {("type1-missing", "(0008,0070)", "Enhanced General Equipment")}


def _rt_dose() -> spec.IodSpec:
    narrowed = (
        spec.Specialization(
            BITS_ALLOCATED,
            "RT Dose",
            ("Image Pixel",),
            (spec.ValueList("enumerated", ("16", "32")),),
            "sect_C.8.8.3.4.3",
        ),
        spec.Specialization(
            PHOTOMETRIC,
            "RT Dose",
            ("Image Pixel",),
            (spec.ValueList("enumerated", ("MONOCHROME2",)),),
            "sect_C.8.8.3.4.2",
        ),
    )
    return attrs.evolve(spec.iod("RT Dose"), specializations=narrowed)


@pytest.mark.parametrize(
    ("keyword", "value", "tag", "section"),
    [
        ("BitsAllocated", 8, "(0028,0100)", "sect_C.8.8.3.4.3"),
        ("PhotometricInterpretation", "RGB", "(0028,0004)", "sect_C.8.8.3.4.2"),
    ],
)
def test_values_narrowed_for_the_iod(keyword: str, value: object, tag: str, section: str) -> None:
    dose = read_pydicom_file("rtdose.dcm")  # Bits Allocated 32, MONOCHROME2: both allowed
    assert not [f for f in validate_dataset(dose, iod=_rt_dose()).errors if f.code == "enum-value"]
    changed = copy.deepcopy(dose)
    setattr(changed, keyword, value)
    # Without the specialization the build's RT Dose accepts the value (Image Pixel gives no
    # Enumerated Values for it) …
    plain = validate_dataset(changed, iod=spec.iod("RT Dose"))
    assert not [f for f in plain.errors if f.code == "enum-value" and f.tag_text == tag]
    # … with it, the value is not one of the RT Dose Module's, as the section says.
    found = [f for f in validate_dataset(changed, iod=_rt_dose()).errors if f.code == "enum-value"]
    assert [(f.tag_text, f.module, f.reference) for f in found] == [(tag, "RT Dose", section)]


def test_a_specialization_naming_no_module_of_the_iod_is_an_error() -> None:
    wrong = spec.Specialization(MODALITY, "SC Equipment", ("General Series",), (), "table_C.8-24")
    broken = attrs.evolve(spec.iod("CT Image"), specializations=(wrong,))
    with pytest.raises(ValueError, match="SC Equipment"):
        validate_dataset(read_pydicom_file("CT_small.dcm"), iod=broken)
