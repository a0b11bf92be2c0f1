"""Synthetic enhanced multi-frame data sets for benchmarks and the findings comparison.

:func:`enhanced_ct` makes pydicom's CT_small.dcm an Enhanced CT Image (PS3.3 A.38) of ``frames``
frames: a shared item with Pixel Measures (table C.7.6.16-2), and per frame Frame Content
(C.7.6.16-2), CT Image Frame Type (C.8-117), CT Acquisition Type (C.8-118) and CT Acquisition
Details (C.8-119). The ``variant`` changes the frames so that the conditions "of this frame"
take each of their outcomes somewhere:

* ``"uniform"`` — every frame ORIGINAL, SPIRAL, with its details (the benchmark's data set);
* ``"mixed"`` — Frame Type, Acquisition Type and the details differ from frame to frame, some
  frames lack an item or an attribute;
* ``"shared"`` — Acquisition Type and the details in the shared item, not in the frames;
* ``"mismatch"`` — one per-frame item fewer than Number of Frames says.
"""

from __future__ import annotations

import copy
from typing import Literal

from pydicom import dcmread
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

__all__ = ["VARIANTS", "Variant", "ct_small", "enhanced_ct"]

Variant = Literal["uniform", "mixed", "shared", "mismatch"]
VARIANTS: tuple[Variant, ...] = ("uniform", "mixed", "shared", "mismatch")
ENHANCED_CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2.1"

_FRAME_TYPES = (
    ["ORIGINAL", "PRIMARY", "AXIAL"],
    ["DERIVED", "SECONDARY", "AXIAL"],
    ["ORIGINAL", "PRIMARY", "LOCALIZER"],
)
_ACQUISITION_TYPES = ("SPIRAL", "CONSTANT_ANGLE", "SEQUENCED", "STATIONARY", "FREE", "OTHER")


def ct_small() -> Dataset:
    path = get_testdata_file("CT_small.dcm")
    assert path is not None
    return dcmread(path)


def _item(**values: object) -> Dataset:
    item = Dataset()
    for keyword, value in values.items():
        setattr(item, keyword, value)
    return item


def _details(index: int, complete: bool) -> Dataset:
    details = _item(RevolutionTime=1.0, SingleCollimationWidth=0.5, TotalCollimationWidth=20.0)
    if complete:
        details.RotationDirection = "CW" if index % 2 == 0 else "CC"
    return details


def _frame(index: int, variant: Variant) -> Dataset:
    frame = Dataset()
    frame.FrameContentSequence = Sequence(
        [_item(FrameAcquisitionNumber=1, InStackPositionNumber=index + 1, StackID="1")]
    )
    mixed = variant == "mixed"
    frame_type = _FRAME_TYPES[index % len(_FRAME_TYPES)] if mixed else _FRAME_TYPES[0]
    frame.CTImageFrameTypeSequence = Sequence([_item(FrameType=frame_type)])
    if variant == "shared":
        return frame
    if not (mixed and index % 7 == 3):
        kind = _ACQUISITION_TYPES[index % len(_ACQUISITION_TYPES)] if mixed else "SPIRAL"
        frame.CTAcquisitionTypeSequence = Sequence([_item(AcquisitionType=kind)])
    if not (mixed and index % 5 == 4):
        frame.CTAcquisitionDetailsSequence = Sequence(
            [_details(index, complete=not (mixed and index % 4 == 2))]
        )
    return frame


def enhanced_ct(
    frames: int, variant: Variant = "uniform", source: Dataset | None = None
) -> Dataset:
    """An Enhanced CT Image of ``frames`` frames made from CT_small.dcm (``source``, else read)."""
    ct = source if source is not None else ct_small()
    dataset = copy.deepcopy(ct)
    dataset.SOPClassUID = ENHANCED_CT_IMAGE_STORAGE
    dataset.file_meta.MediaStorageSOPClassUID = ENHANCED_CT_IMAGE_STORAGE
    dataset.NumberOfFrames = frames
    dataset.ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"]
    shared = Dataset()
    shared.PixelMeasuresSequence = Sequence(
        [_item(PixelSpacing=ct.PixelSpacing, SliceThickness=ct.SliceThickness)]
    )
    if variant == "shared":
        shared.CTAcquisitionTypeSequence = Sequence([_item(AcquisitionType="CONSTANT_ANGLE")])
        shared.CTAcquisitionDetailsSequence = Sequence([_details(0, complete=True)])
    dataset.SharedFunctionalGroupsSequence = Sequence([shared])
    count = frames - 1 if variant == "mismatch" else frames
    dataset.PerFrameFunctionalGroupsSequence = Sequence(
        [_frame(index, variant) for index in range(count)]
    )
    return dataset
