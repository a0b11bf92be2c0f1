"""Enumerated Values and Defined Terms of attributes with binary VRs (US, SS, UL, FL, AT …).

PS3.5 6.3: "Enumerated Values are used when the specified explicit Values are the only Values
allowed for a Data Element"; "Defined Terms are used when the specified explicit Values may be
extended by implementers". PS3.3 writes the values of binary attributes as numbers ("16"),
signed numbers ("+1") or hexadecimal with an H ("0001H"); they apply to the numbers the element
holds. Expected findings are read from the PS3.3 2016c tables named in each test.
"""

from __future__ import annotations

import copy
from pathlib import Path

import attrs
import pytest
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from dicomstd import spec
from dicomstd.validation import Severity, validate, validate_file, values
from dicomstd.validation.engine import validate_dataset
from dicomstd.validation.values import numeric_terms


def _codes(findings: object) -> set[tuple[str, str]]:
    return {(f.code, f.tag_text) for f in findings}  # type: ignore[attr-defined]


def test_terms_of_binary_vrs_are_numbers() -> None:
    assert numeric_terms(("0000H", "0001H")) == {0, 1}
    assert numeric_terms(("+1", "-1")) == {1, -1}
    assert numeric_terms(("16", "32")) == {16, 32}
    assert numeric_terms(("00181063H",)) == {0x00181063}  # a tag, for AT
    assert numeric_terms(("16", "many")) is None


@pytest.mark.parametrize(("value", "reported"), [(0, False), (1, False), (2, True)])
def test_pixel_representation(ct: Dataset, value: int, reported: bool) -> None:
    # Image Pixel Macro (table C.7-11b, included by the Image Pixel Module of the CT Image
    # IOD): Pixel Representation (0028,0103), US, "Enumerated Values: 0000H unsigned integer.
    # 0001H 2's complement".
    changed = copy.deepcopy(ct)
    changed.PixelRepresentation = value
    found = ("enum-value", "(0028,0103)") in _codes(validate(changed).errors)
    assert found is reported


def test_pixel_representation_read_from_a_file(ct: Dataset, tmp_path: Path) -> None:
    # The same, with the value still raw bytes of the file when the validator reads it.
    changed = copy.deepcopy(ct)
    changed.PixelRepresentation = 2
    path = tmp_path / "signed.dcm"
    changed.save_as(path)
    assert ("enum-value", "(0028,0103)") in _codes(validate_file(path).errors)


def _enhanced_xa(ct: Dataset, sign: int) -> Dataset:
    properties = Dataset()
    properties.FrameType = ["ORIGINAL", "PRIMARY"]
    properties.PixelIntensityRelationship = "LIN"
    properties.PixelIntensityRelationshipSign = sign
    shared = Dataset()
    shared.FramePixelDataPropertiesSequence = Sequence([properties])
    changed = copy.deepcopy(ct)
    changed.SOPClassUID = "1.2.840.10008.5.1.4.1.1.12.1.1"  # Enhanced XA Image Storage
    changed.NumberOfFrames = 1
    changed.SharedFunctionalGroupsSequence = Sequence([shared])
    changed.PerFrameFunctionalGroupsSequence = Sequence([Dataset()])
    return changed


@pytest.mark.parametrize(("sign", "reported"), [(1, False), (-1, False), (2, True)])
def test_pixel_intensity_relationship_sign(ct: Dataset, sign: int, reported: bool) -> None:
    # X-Ray Frame Pixel Data Properties Macro (table C.8.19.6-4), a functional group of the
    # Enhanced XA Image IOD (table A.47-2): Pixel Intensity Relationship Sign (0028,1041), SS,
    # "Enumerated Values: +1 … -1 …".
    result = validate(_enhanced_xa(ct, sign))
    found = [f for f in result.errors if f.code == "enum-value" and f.tag_text == "(0028,1041)"]
    assert bool(found) is reported
    if reported:
        assert found[0].path.startswith("SharedFunctionalGroupsSequence[0].")
        assert "2" in found[0].message and "+1" in found[0].message


def test_defined_terms_of_a_binary_vr_give_a_warning(ct: Dataset) -> None:
    # PS3.5 6.3: a value outside the Defined Terms "shall not be considered to have an invalid
    # value": a warning. No attribute of the PS3.3 2016c excerpt with a binary VR has Defined
    # Terms, so the spec is built here: Pixel Representation with Defined Terms 0000H, 0001H.
    ct_image = spec.iod("CT Image")
    use = ct_image.module("Image Pixel")
    assert use.module is not None
    terms = (spec.ValueList("defined", ("0000H", "0001H")),)
    attributes = tuple(
        attrs.evolve(a, values=terms) if a.keyword == "PixelRepresentation" else a
        for a in use.module.attributes
    )
    module = attrs.evolve(use.module, attributes=attributes)
    modules = tuple(attrs.evolve(u, module=module) if u is use else u for u in ct_image.modules)
    defined = attrs.evolve(ct_image, modules=modules)
    changed = copy.deepcopy(ct)
    changed.PixelRepresentation = 2
    result = validate_dataset(changed, iod=defined)
    assert ("defined-term", "(0028,0103)") in _codes(
        f for f in result.findings if f.severity is Severity.WARNING
    )
    assert ("enum-value", "(0028,0103)") not in _codes(result.findings)


# PS3.5 table 6.2-1, Length of Value: AT "4 bytes fixed", FD "8 bytes fixed", FL "4 bytes
# fixed", SL "4 bytes fixed", SS "2 bytes fixed", UL "4 bytes fixed", US "2 bytes fixed".
FIXED_SIZES = {"AT": 4, "FD": 8, "FL": 4, "SL": 4, "SS": 2, "UL": 4, "US": 2}


def test_value_sizes_are_those_of_table_6_2_1() -> None:
    sizes = values.value_sizes()
    assert {vr: sizes[vr] for vr in FIXED_SIZES} == FIXED_SIZES
    assert not {"OB", "OW", "OF", "OD", "OL", "OV", "UN"} & set(sizes)  # one value however long


@pytest.mark.parametrize("vr", sorted(FIXED_SIZES))
def test_a_whole_number_of_values_agrees_with_the_length_check_and_the_count(vr: str) -> None:
    size = FIXED_SIZES[vr]
    for length in (size, 3 * size):
        assert values.check_binary_length(vr, length) == ()
        assert values.value_count(vr, b"\x01" * length) == length // size
    assert values.check_binary_length(vr, size + 1)  # not a multiple: a problem
