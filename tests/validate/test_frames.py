"""Frames of enhanced multi-frame images: the per-frame item count and "of this frame".

PS3.3 C.7.6.16 (table C.7.6.16-1), Per-frame Functional Groups Sequence (5200,9230): "The first
Item corresponds with the first frame, and so on. [...] The number of Items shall be the same as
the number of frames in the Multi-frame image." A frame's attributes are those of all its
functional group items and of the shared item, so a condition on "Frame Type (0008,9007) Value 1
of this frame" or on Acquisition Type (0018,9302) finds them in the sibling macros' items.

The data set is pydicom's CT_small.dcm made an Enhanced CT Image (table A.38-1) whose functional
groups (table A.38-2) carry its own values: CT Image Frame Type (table C.8-117), CT Acquisition
Type (table C.8-118) and CT Acquisition Details (table C.8-119) in the per-frame items.
"""

from __future__ import annotations

import copy
import gc
import sys
from pathlib import Path

import pytest
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from dicomstd.validation import ValidationResult, validate, validate_file


def _item(**values: object) -> Dataset:
    item = Dataset()
    for keyword, value in values.items():
        setattr(item, keyword, value)
    return item


def _frame(ct: Dataset, acquisition_type: str | None, *, details: bool = True) -> Dataset:
    frame = Dataset()
    frame.FrameContentSequence = Sequence([_item(FrameAcquisitionNumber=1)])
    frame.CTImageFrameTypeSequence = Sequence([_item(FrameType=["ORIGINAL", "PRIMARY", "AXIAL"])])
    if acquisition_type is not None:
        frame.CTAcquisitionTypeSequence = Sequence([_item(AcquisitionType=acquisition_type)])
    if details:
        frame.CTAcquisitionDetailsSequence = Sequence(
            [_item(RotationDirection="CW", RevolutionTime=1.0, SingleCollimationWidth=1.0)]
        )
    return frame


def _enhanced(ct: Dataset, frames: list[Dataset], number: int | None = None) -> Dataset:
    dataset = copy.deepcopy(ct)
    dataset.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2.1"  # Enhanced CT Image Storage
    if number is not None:
        dataset.NumberOfFrames = number
    measures = _item(PixelSpacing=ct.PixelSpacing, SliceThickness=ct.SliceThickness)
    shared = Dataset()
    shared.PixelMeasuresSequence = Sequence([measures])
    dataset.SharedFunctionalGroupsSequence = Sequence([shared])
    dataset.PerFrameFunctionalGroupsSequence = Sequence(frames)
    return dataset


def _at(result: ValidationResult, code: str, tag: str) -> list[str]:
    return [f.path for f in result.findings if f.code == code and f.tag_text == tag]


def test_per_frame_items_match_the_number_of_frames(ct: Dataset) -> None:
    two = [_frame(ct, "SPIRAL"), _frame(ct, "SPIRAL")]
    assert not _at(validate(_enhanced(ct, two, 2)), "frame-count-mismatch", "(5200,9230)")
    found = [
        f for f in validate(_enhanced(ct, two, 3)).findings if f.code == "frame-count-mismatch"
    ]
    assert [(f.tag_text, f.severity.value) for f in found] == [("(5200,9230)", "error")]
    assert "2 Item(s)" in found[0].message and "3 frame(s)" in found[0].message


def test_without_number_of_frames_the_pixel_data_counts(ct: Dataset) -> None:
    # CT_small's native Pixel Data holds one frame of 128 x 128 x 16 bits.
    dataset = _enhanced(ct, [_frame(ct, "SPIRAL"), _frame(ct, "SPIRAL")])
    found = [f.message for f in validate(dataset).findings if f.code == "frame-count-mismatch"]
    assert len(found) == 1 and "Pixel Data gives 1 frame(s)" in found[0]


@pytest.mark.parametrize("tag", ["(0018,1140)", "(0018,9305)"])
def test_acquisition_type_is_found_in_the_sibling_item(ct: Dataset, tag: str) -> None:
    # Rotation Direction (0018,1140) and Revolution Time (0018,9305), CT Acquisition Details
    # Macro: "Required if Frame Type (0008,9007) Value 1 of this frame is ORIGINAL and
    # Acquisition Type (0018,9302) is other than CONSTANT_ANGLE." No "may be present otherwise":
    # when the condition does not hold they shall not be present (PS3.5 7.4.2).
    spiral = validate(_enhanced(ct, [_frame(ct, "SPIRAL")], 1))
    assert not _at(spiral, "condition-not-met-present", tag)
    assert not _at(spiral, "type1c-missing", tag)
    constant = validate(_enhanced(ct, [_frame(ct, "CONSTANT_ANGLE")], 1))
    prefix = "PerFrameFunctionalGroupsSequence[0].CTAcquisitionDetailsSequence[0]."
    assert [p.startswith(prefix) for p in _at(constant, "condition-not-met-present", tag)] == [True]


def test_a_required_attribute_of_this_frame_is_missing(ct: Dataset) -> None:
    frame = _frame(ct, "SPIRAL")
    del frame.CTAcquisitionDetailsSequence[0].RotationDirection
    result = validate(_enhanced(ct, [frame], 1))
    assert _at(result, "type1c-missing", "(0018,1140)")


@pytest.mark.parametrize(
    ("acquisition_type", "reported"), [("SPIRAL", False), ("CONSTANT_ANGLE", True)]
)
def test_acquisition_type_in_the_shared_item_is_the_frame_s(
    ct: Dataset, acquisition_type: str, reported: bool
) -> None:
    dataset = _enhanced(ct, [_frame(ct, None)], 1)
    shared = dataset.SharedFunctionalGroupsSequence[0]
    shared.CTAcquisitionTypeSequence = Sequence([_item(AcquisitionType=acquisition_type)])
    result = validate(dataset)
    assert bool(_at(result, "condition-not-met-present", "(0018,1140)")) is reported


@pytest.mark.parametrize(
    ("acquisition_type", "reported"), [("SPIRAL", False), ("CONSTANT_ANGLE", True)]
)
def test_a_shared_macro_sees_what_every_frame_has(
    ct: Dataset, acquisition_type: str, reported: bool
) -> None:
    # CT Acquisition Details in the shared item: "this frame" is every frame, and both frames
    # are ORIGINAL with the same Acquisition Type.
    frames = [_frame(ct, acquisition_type, details=False) for _ in range(2)]
    dataset = _enhanced(ct, frames, 2)
    details = _item(RotationDirection="CW", RevolutionTime=1.0, SingleCollimationWidth=1.0)
    dataset.SharedFunctionalGroupsSequence[0].CTAcquisitionDetailsSequence = Sequence([details])
    found = _at(validate(dataset), "condition-not-met-present", "(0018,1140)")
    path = "SharedFunctionalGroupsSequence[0].CTAcquisitionDetailsSequence[0].RotationDirection"
    assert found == ([path] if reported else [])


def test_a_validation_leaves_no_cycle_holding_the_frames(tmp_path: Path) -> None:
    """The index of the frames is let go at the end of a validation: nothing of the data set is
    left for Python's cyclic collector (which, off during a validation, would otherwise keep
    every frame's items of every file until a full collection)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.bench.multiframe import enhanced_ct

    ds = enhanced_ct(20, "mixed")
    path = tmp_path / "frames.dcm"
    ds.save_as(path, enforce_file_format=True)
    validate(ds)  # what is made once (the plan, the reader's templates) is kept: not garbage
    validate_file(path)
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        validate(ds)
        validate_file(path)
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()
