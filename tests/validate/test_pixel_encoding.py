"""Pixel Data related attributes against the transfer syntax (PS3.5 section 8.2 tables).

PS3.5 2020c, 8.2.1: "The requirements when using a Standard Photometric Interpretation … are
specified in Table 8.2.1-1 and Table 8.2.1-2. No other Standard Photometric Interpretation values
shall be used." Table 8.2.1-1 (JPEG Lossy), for JPEG Baseline 1.2.840.10008.1.2.4.50:

    MONOCHROME1, MONOCHROME2   Samples 1  Planar absent  Pixel Rep. 0  Bits 8/8/7
    YBR_FULL_422, RGB          Samples 3  Planar 0       Pixel Rep. 0  Bits 8/8/7

Table 8.2.2-1 (RLE, "This transfer Syntax is identified by the UID value "1.2.840.10008.1.2.5"",
A.4.2), row 1: MONOCHROME1, MONOCHROME2, Samples 1, Planar absent, Pixel Representation "0 or 1",
Bits Allocated "8 or 16", Bits Stored "1-16", High Bit "0-15".

The pinned build reads PS3.5 2015b, which has no such tables (nothing is checked there); the files
made here are validated with the build of the whole standard (PS3.5 2020c).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pydicom.dataset import Dataset
from pydicom.encaps import encapsulate
from pydicom.uid import ExplicitVRLittleEndian, JPEGBaseline8Bit, RLELossless

from dicomstd import pixel_encoding
from dicomstd.validation.engine import validate_dataset
from tests.conftest import validate_with_build
from tests.validate.conftest import read_pydicom_file

PHOTOMETRIC, SAMPLES, PLANAR = "(0028,0004)", "(0028,0002)", "(0028,0006)"
BITS_ALLOCATED, BITS_STORED, HIGH_BIT = "(0028,0100)", "(0028,0101)", "(0028,0102)"


def _image(
    transfer_syntax: str,
    photometric: str,
    *,
    samples: int = 1,
    planar: int | None = None,
    bits: tuple[int, int, int] = (8, 8, 7),
    encapsulated: bool = True,
) -> Dataset:
    """CT_small.dcm with its pixel attributes and transfer syntax set as given, and Pixel Data
    encapsulated (one fragment; its content is not read) or native of the right length."""
    dataset = read_pydicom_file("CT_small.dcm")
    dataset.file_meta.TransferSyntaxUID = transfer_syntax
    dataset.PhotometricInterpretation = photometric
    dataset.SamplesPerPixel = samples
    if planar is None:
        if "PlanarConfiguration" in dataset:
            del dataset.PlanarConfiguration
    else:
        dataset.PlanarConfiguration = planar
    dataset.BitsAllocated, dataset.BitsStored, dataset.HighBit = bits
    dataset.PixelRepresentation = 0
    if encapsulated:
        dataset.PixelData = encapsulate([b"\xff\xd8\xff\xd9"])
        dataset["PixelData"].VR = "OB"
    else:
        size = dataset.Rows * dataset.Columns * samples * bits[0] // 8
        dataset.PixelData = b"\0" * size
        dataset["PixelData"].VR = "OB" if bits[0] <= 8 else "OW"
    return dataset


def _save(dataset: Dataset, path: Path) -> Path:
    dataset.save_as(path, enforce_file_format=True)
    return path


def _pixel_encoding_findings(build: Path, paths: list[Path]) -> dict[str, list[tuple[str, str]]]:
    """(tag, reference) of each pixel-encoding finding, per file, from the whole standard's
    build."""
    return {
        Path(result["path"]).name: sorted(
            (f["tag"], f["reference"]) for f in result["findings"] if f["code"] == "pixel-encoding"
        )
        for result in validate_with_build(build, paths)
    }


def test_pixel_encodings_against_the_tables_of_ps3_5_2020c(
    full_build: Path, tmp_path: Path
) -> None:
    files = {
        # YBR_FULL is in no row of table 8.2.1-1: "No other … values shall be used".
        "ybr_full_jpeg.dcm": _image(JPEGBaseline8Bit, "YBR_FULL", samples=3, planar=0),
        # Row 4 of table 8.2.1-1: YBR_FULL_422, 3 samples, Planar Configuration 0, 8/8/7.
        "ybr_full_422_jpeg.dcm": _image(JPEGBaseline8Bit, "YBR_FULL_422", samples=3, planar=0),
        # Row 1 of table 8.2.1-1: MONOCHROME2 needs Planar Configuration "absent".
        "mono_planar_jpeg.dcm": _image(JPEGBaseline8Bit, "MONOCHROME2", planar=0),
        # Row 1 of table 8.2.2-1: Bits Allocated "8 or 16", Bits Stored "1-16", High Bit "0-15".
        "mono_32bit_rle.dcm": _image(RLELossless, "MONOCHROME2", bits=(32, 32, 31)),
        "mono_16bit_rle.dcm": _image(RLELossless, "MONOCHROME2", bits=(16, 12, 11)),
        # Native: no table of 8.2 lists Explicit VR Little Endian.
        "ybr_full_native.dcm": _image(
            ExplicitVRLittleEndian, "YBR_FULL", samples=3, planar=0, encapsulated=False
        ),
        # 8.2: "If Pixel Data (7FE0,0010) is sent in a Native Format, then the Photometric
        # Interpretation (0028,0004) shall be other than: YBR_RCT, YBR_ICT, YBR_PARTIAL_420".
        "ybr_partial_420_native.dcm": _image(
            ExplicitVRLittleEndian, "YBR_PARTIAL_420", samples=3, planar=0, encapsulated=False
        ),
        "ybr_full_422_native.dcm": _image(
            ExplicitVRLittleEndian, "YBR_FULL_422", samples=3, planar=0, encapsulated=False
        ),
    }
    paths = [_save(dataset, tmp_path / name) for name, dataset in files.items()]
    found = _pixel_encoding_findings(full_build, paths)
    assert found["ybr_full_jpeg.dcm"] == [(PHOTOMETRIC, "PS3.5 table 8.2.1-1")]
    assert found["ybr_full_422_jpeg.dcm"] == []
    assert found["mono_planar_jpeg.dcm"] == [(PLANAR, "PS3.5 table 8.2.1-1 row 1")]
    row = "PS3.5 table 8.2.2-1 row 1"
    assert found["mono_32bit_rle.dcm"] == [
        (BITS_ALLOCATED, row),
        (BITS_STORED, row),
        (HIGH_BIT, row),
    ]
    assert found["mono_16bit_rle.dcm"] == []
    assert found["ybr_full_native.dcm"] == []
    assert found["ybr_partial_420_native.dcm"] == [(PHOTOMETRIC, "PS3.5 8.2")]
    assert found["ybr_full_422_native.dcm"] == []


def test_a_build_without_the_tables_checks_nothing() -> None:
    # The pinned build reads PS3.5 2015b, which has no section 8.2 tables.
    assert pixel_encoding.rules() == {}
    dataset = _image(JPEGBaseline8Bit, "YBR_FULL", samples=3, planar=0)
    result = validate_dataset(dataset)
    assert not [f for f in result.findings if f.code == "pixel-encoding"]


@pytest.mark.parametrize(
    ("text", "values", "absent"),
    [
        ("absent", (), True),
        ("1", ((1, 1),), False),
        ("0 or 1", ((0, 0), (1, 1)), False),
        ("1-16", ((1, 16),), False),
        ("8, 16, 24, 32 or 40", ((8, 8), (16, 16), (24, 24), (32, 32), (40, 40)), False),
    ],
)
def test_cells_of_the_tables(text: str, values: tuple[tuple[int, int], ...], absent: bool) -> None:
    assert pixel_encoding.allowed(text) == pixel_encoding.Allowed(absent, values)


@pytest.mark.parametrize("text", ["", "eight", "16-1", "8 or", "1 to 16"])
def test_cells_that_are_not_value_lists(text: str) -> None:
    assert pixel_encoding.allowed(text) is None


def test_allowed_values() -> None:
    bits = pixel_encoding.allowed("8 or 16")
    assert bits is not None and bits.admits(16) and not bits.admits(12) and not bits.admits(None)
    absent = pixel_encoding.allowed("absent")
    assert absent is not None and absent.admits(None) and not absent.admits(0)
