"""Native (unencapsulated) Pixel Data: the frames it holds and the length its value field has.

PS3.5 8.1.1: the Value Field of Pixel Data "shall be an even number of bytes in length"; "If
needed, the padding bits shall be appended to the end of the Value Field, and shall be used only
to extend the data to the next even byte increment of length." So a native value field holds
exactly Rows x Columns x Samples per Pixel x Bits Allocated bits per frame, then at most the
padding to an even length. Bits are packed (Bits Allocated 1 takes one bit, PS3.5 8.1.1).
YBR_FULL_422 (and the retired YBR_PARTIAL_422) hold two samples per pixel on average: "the
values of Cb and Cr are shared by two horizontally adjacent pixels" (PS3.3 C.7.6.3.1.2).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from dicomstd.rawvalue import Memo
from dicomstd.rawvalue import value as raw_value
from dicomstd.validation.findings import Finding
from dicomstd.vr import bare_text

if TYPE_CHECKING:
    from pydicom.dataset import Dataset

__all__ = ["PIXEL_DATA", "frame_count", "is_native", "length_problem", "number", "text"]

PIXEL_DATA: Final = 0x7FE00010
NUMBER_OF_FRAMES: Final = 0x00280008
_ROWS, _COLUMNS, _SAMPLES, _BITS_ALLOCATED = 0x00280010, 0x00280011, 0x00280002, 0x00280100
_PHOTOMETRIC: Final = 0x00280004
_UNDEFINED: Final = 0xFFFFFFFF
_ITEM: Final = b"\xfe\xff\x00\xe0"  # an encapsulated value starts with an Item tag (PS3.5 A.4)
_SUBSAMPLED: Final = frozenset({"YBR_FULL_422", "YBR_PARTIAL_422"})


def _native_length(element: Any) -> int | None:
    """The length of a native Pixel Data value field; None when encapsulated, empty or absent."""
    length = getattr(element, "length", None)
    value = element.value
    if getattr(element, "is_undefined_length", False) or length == _UNDEFINED:
        return None
    if isinstance(value, bytes | bytearray):
        if bytes(value[:4]) == _ITEM:
            return None
        length = len(value)
    return length if isinstance(length, int) and length > 0 else None


def number(
    dataset: Dataset, top: Mapping[int, Any], tag: int, memo: Memo | None = None
) -> int | None:
    element = top.get(tag)
    if element is None:
        return None
    value = element.value
    if isinstance(value, bytes):  # raw: decoded as pydicom decodes it
        value = raw_value(dataset, tag, element, memo)
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def text(dataset: Dataset, element: Any, memo: Memo | None = None) -> str:
    value = element.value
    if isinstance(value, bytes):  # raw: decoded as pydicom decodes it
        value = raw_value(dataset, element.tag, element, memo)
    return bare_text(str(value)) if value is not None else ""


def is_native(element: Any) -> bool:
    """Whether a Pixel Data element holds a native (not encapsulated), non-empty value."""
    return _native_length(element) is not None


def _frame_bits(dataset: Dataset, top: Mapping[int, Any], memo: Memo | None) -> int | None:
    """Bits of one frame of native Pixel Data; None when an attribute it needs is missing."""
    bits = 1
    for tag in (_ROWS, _COLUMNS, _SAMPLES, _BITS_ALLOCATED):
        value = number(dataset, top, tag, memo)
        if value is None or value <= 0:
            return None
        bits *= value
    photometric = top.get(_PHOTOMETRIC)
    if photometric is not None and text(dataset, photometric, memo) in _SUBSAMPLED:
        bits = bits * 2 // 3
    return bits


def frame_count(dataset: Dataset, top: Mapping[int, Any], memo: Memo | None = None) -> int | None:
    """The number of frames: Number of Frames (0028,0008) when it is an integer; without it,
    what native Pixel Data holds; None when neither tells."""
    if NUMBER_OF_FRAMES in top:
        return number(dataset, top, NUMBER_OF_FRAMES, memo)
    pixels = top.get(PIXEL_DATA)
    length = _native_length(pixels) if pixels is not None else None
    bits = _frame_bits(dataset, top, memo) if length is not None else None
    return (length * 8) // bits if length is not None and bits else None


def length_problem(
    dataset: Dataset, top: Mapping[int, Any], path: str, memo: Memo | None = None
) -> Finding | None:
    """A finding when native Pixel Data is not as long as its frames and even padding make it."""
    pixels = top.get(PIXEL_DATA)
    length = _native_length(pixels) if pixels is not None else None
    bits = _frame_bits(dataset, top, memo) if length is not None else None
    frames = number(dataset, top, NUMBER_OF_FRAMES, memo) if NUMBER_OF_FRAMES in top else 1
    if length is None or not bits or frames is None or frames < 1:
        return None
    data = (bits * frames + 7) // 8
    expected = data + data % 2
    if length == expected:
        return None
    return Finding.of(
        "pixel-data-length",
        f"Pixel Data has {length} bytes; {frames} frame(s) of Rows x Columns x Samples per "
        f"Pixel x Bits Allocated take {data} bytes, {expected} with the padding to even length",
        tag=PIXEL_DATA,
        keyword="PixelData",
        path=f"{path}.PixelData" if path else "PixelData",
        reference="PS3.5 8.1.1",
    )
