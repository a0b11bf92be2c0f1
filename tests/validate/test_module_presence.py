"""Module presence: a module is present only when an attribute no other module of the IOD
defines is present; a required module is checked attribute by attribute.

PS3.3 A.1.3 gives each module of an IOD a usage: M (mandatory), C (conditional), U (user option).
An attribute two modules of the IOD define (Instance Number: General Image and SOP Common) shows
neither to be present; a required module's Type 1 and Type 2 attributes (PS3.5 7.4.1, 7.4.3)
are reported one by one, each naming its module. The files are pydicom's CT_small.dcm (CT Image
IOD, table A.3-1) and rtdose.dcm (RT Dose IOD, table A.18.3-1), read against PS3.3 2016c.
"""

from __future__ import annotations

import copy

from pydicom.dataset import Dataset

from dicomstd import spec
from dicomstd.validation import ValidationResult, validate
from tests.validate.conftest import read_pydicom_file


def _without(dataset: Dataset, iod: str, module: str, *, keep: tuple[str, ...] = ()) -> Dataset:
    """A copy of ``dataset`` without the attributes ``module`` of ``iod`` defines, but ``keep``."""
    changed = copy.deepcopy(dataset)
    use = spec.iod(iod).module(module)
    assert use.module is not None
    for attribute in use.module.attributes:
        if attribute.keyword not in keep:
            changed.pop(int(attribute.tag), None)
    return changed


def _found(result: ValidationResult) -> set[tuple[str, str, str]]:
    return {(f.code, f.tag_text, f.module) for f in result.findings}


def test_a_shared_attribute_keeps_a_mandatory_module_satisfied(ct: Dataset) -> None:
    # General Image Module (table C.7-9, M in table A.3-1): its only Type 1 or 2 attribute is
    # Instance Number (0020,0013), Type 2, which the SOP Common Module (table C.12-1) defines
    # too. Without any other General Image attribute the module's requirement is still met.
    result = validate(_without(ct, "CT Image", "General Image", keep=("InstanceNumber",)))
    assert not [
        f for f in result.findings if f.module == "General Image" and f.severity != "notice"
    ]


def test_a_mandatory_module_is_checked_attribute_by_attribute(ct: Dataset) -> None:
    # Without Instance Number too, the General Image Module misses its Type 2 attribute. The
    # module is not "absent" as a whole: Image Type and Acquisition Number, which the CT Image
    # Module also defines, are still there.
    shared = ("ImageType", "AcquisitionNumber")
    result = validate(_without(ct, "CT Image", "General Image", keep=shared))
    found = _found(result)
    assert ("type2-missing", "(0020,0013)", "General Image") in found
    assert not any(code == "module-missing" for code, _, _ in found)


def test_an_absent_mandatory_module_is_reported_with_its_requirements(ct: Dataset) -> None:
    # General Equipment Module (table C.7-8, M): Manufacturer (0008,0070) Type 2. With none of
    # its attributes in the data set the module is absent and its requirement unmet.
    result = validate(_without(ct, "CT Image", "General Equipment"))
    found = _found(result)
    assert ("module-missing", "", "General Equipment") in found
    assert ("type2-missing", "(0008,0070)", "General Equipment") in found


def test_a_shared_attribute_does_not_make_a_conditional_module_present() -> None:
    # RT Dose IOD (table A.18.3-1): the Structure Set Module is C ("Required if dose data
    # contains dose points or isodose curves"); of its attributes (table C.8-41) rtdose.dcm has
    # only Instance Number, which General Image, RT Dose and SOP Common define too. The module
    # is not present, so its Type 1 Structure Set Label (3006,0002) is not required.
    result = validate(read_pydicom_file("rtdose.dcm"))
    assert not [f for f in result.errors if f.module == "Structure Set"]
    assert ("unverifiable-condition", "", "Structure Set") in _found(result)


def test_a_module_without_type_1_or_2_attributes_is_never_absent(ct: Dataset) -> None:
    # Enhanced X-Ray Angiographic Image IOD (table A.47-1): Cardiac Synchronization Module M;
    # its attributes (table C.7.6.18-1) are all Type 1C or 3, so it is never missing as a
    # whole. Its requirements still apply one by one: Cardiac Synchronization Technique is
    # "Required if Image Type (0008,0008) Value 1 is ORIGINAL or MIXED", and CT_small's Image
    # Type is ORIGINAL\PRIMARY\AXIAL.
    changed = copy.deepcopy(ct)
    changed.SOPClassUID = "1.2.840.10008.5.1.4.1.1.12.1.1"  # Enhanced XA Image Storage
    result = validate(changed)
    assert result.iod == "Enhanced X-Ray Angiographic Image"
    found = {(f.code, f.tag_text) for f in result.errors if f.module == "Cardiac Synchronization"}
    assert found == {("type1c-missing", "(0018,9037)")}


def test_enhanced_general_equipment_and_general_equipment_share_manufacturer(ct: Dataset) -> None:
    # Enhanced CT Image IOD (table A.38-1): General Equipment (Manufacturer Type 2) and Enhanced
    # General Equipment (table C.7-8b, Manufacturer Type 1) are both M. Manufacturer present
    # satisfies both; General Equipment is not absent although its own attributes are.
    changed = _without(ct, "Enhanced CT Image", "General Equipment", keep=("Manufacturer",))
    changed.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2.1"  # Enhanced CT Image Storage
    result = validate(changed)
    found = _found(result)
    assert not any(tag == "(0008,0070)" for _, tag, _ in found)
    assert not any(
        code == "module-missing" and module.endswith("General Equipment")
        for code, _, module in found
    )
