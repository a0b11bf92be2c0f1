"""'Every frame is encoded as a single fragment', read from the Item headers of encapsulated Pixel
Data.

PS3.3 2020 C.7.6.3 (Image Pixel Module), Extended Offset Table Lengths (7FE0,0002), Type 1C:
"Required if Extended Offset Table (7FE0,0001) is present and every frame is encoded as a single
fragment." PS3.5 A.4: encapsulated Pixel Data is a Sequence of Items, the first the Basic Offset
Table, then the fragments, each an Item (FFFE,E000) of defined length, ended by a Sequence
Delimitation Item (FFFE,E0DD).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom.dataset import Dataset
from pydicom.encaps import encapsulate, generate_frames

from dicomstd.codegen.conditions import parse
from dicomstd.conditions import All, FramesInOneFragment, Present, describe, evaluate
from tests.conftest import validate_with_build
from tests.validate.conftest import read_pydicom_file

EXTENDED_OFFSET_TABLE = 0x7FE00001
TEXT = (
    "Required if Extended Offset Table (7FE0,0001) is present and every frame is encoded as a "
    "single fragment."
)


def _encapsulated(
    frames: int, fragments_per_frame: int, *, number_of_frames: bool = True
) -> Dataset:
    dataset = Dataset()
    if number_of_frames:
        dataset.NumberOfFrames = frames
    frame = bytes(range(16))
    dataset.PixelData = encapsulate([frame] * frames, fragments_per_frame=fragments_per_frame)
    dataset["PixelData"].VR = "OB"
    return dataset


def test_the_phrase_is_read() -> None:
    condition = parse(TEXT, {"extended offset table": EXTENDED_OFFSET_TABLE})
    assert condition.verifiable
    assert condition.requirement == All((Present(EXTENDED_OFFSET_TABLE), FramesInOneFragment()))
    assert describe(FramesInOneFragment()) == "every frame is encoded as a single fragment"


@pytest.mark.parametrize(
    ("frames", "fragments_per_frame", "expected"),
    [(1, 1, True), (3, 1, True), (3, 2, False), (1, 4, False)],
)
def test_one_fragment_per_frame(frames: int, fragments_per_frame: int, expected: bool) -> None:
    dataset = _encapsulated(frames, fragments_per_frame)
    assert evaluate(FramesInOneFragment(), [dataset]) is expected


def test_without_number_of_frames_one_frame_is_one_fragment() -> None:
    # PS3.3 C.7.6.6 Multi-frame Module: a data set without Number of Frames holds one frame.
    assert evaluate(FramesInOneFragment(), [_encapsulated(1, 1, number_of_frames=False)]) is True
    assert evaluate(FramesInOneFragment(), [_encapsulated(1, 2, number_of_frames=False)]) is False


def test_the_top_level_pixel_data_decides_inside_an_item() -> None:
    item = Dataset()
    assert evaluate(FramesInOneFragment(), [item, _encapsulated(2, 1)]) is True


def test_native_pixel_data_has_no_fragments() -> None:
    dataset = Dataset()
    dataset.NumberOfFrames = 1
    dataset.PixelData = bytes(16)
    assert evaluate(FramesInOneFragment(), [dataset]) is False


def test_no_pixel_data_or_broken_items_is_unknown() -> None:
    assert evaluate(FramesInOneFragment(), [Dataset()]) is None
    broken = _encapsulated(2, 1)
    # The last fragment's length runs past the end of the value.
    broken.PixelData = broken.PixelData[:-4]
    assert evaluate(FramesInOneFragment(), [broken]) is None


def _errors_on(build: Path, path: Path, tag: str) -> list[str]:
    (result,) = validate_with_build(build, [path])
    return [f["code"] for f in result["findings"] if f["tag"] == tag]


def test_extended_offset_table_lengths_in_the_whole_standard(
    full_build: Path, tmp_path: Path
) -> None:
    # SC_rgb_rle_2frame.dcm: two frames of RLE Lossless, each one fragment (PS3.5 G.2).
    dataset = read_pydicom_file("SC_rgb_rle_2frame.dcm")
    dataset.ExtendedOffsetTable = bytes(16)  # 2 frames, a 64-bit offset each
    one_each = tmp_path / "one-fragment-each.dcm"
    dataset.save_as(one_each)
    assert _errors_on(full_build, one_each, "(7FE0,0002)") == ["type1c-missing"]
    # The same frames in two fragments each: the lengths are not required.
    frames = [bytes(f) for f in generate_frames(dataset.PixelData, number_of_frames=2)]
    dataset.PixelData = encapsulate(frames, fragments_per_frame=2)
    split = tmp_path / "two-fragments-each.dcm"
    dataset.save_as(split)
    assert _errors_on(full_build, split, "(7FE0,0002)") == []
