"""Values the reader leaves in the file, and sequences' emptiness, judged as in memory.

The reader leaves a value longer than ``readers.DEFER_SIZE`` (64 KiB) in the file until a check
asks for it (pydicom's ``defer_size``). Such a value is not empty: a Type 1 element with one is
present with a value (PS3.5 7.4.1), and its value is checked as any other. A sequence has no
Items when its value holds none, whether the data set was read from a file (raw, by its length)
or made in memory (an empty ``Sequence``): PS3.5 7.4.1 asks a Type 1 sequence for one or more
Items. Each case is validated from a file and in memory, and both must agree.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pydicom import dcmread
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from dicomstd.validation import ValidationResult, validate, validate_file
from dicomstd.validation.readers import DEFER_SIZE
from tests.validate.conftest import read_pydicom_file

pytestmark = pytest.mark.filterwarnings("ignore:The value length")  # pydicom's, on writing

PER_FRAME_FUNCTIONAL_GROUPS = "(5200,9230)"
OVERLAY_DATA = "(6000,3000)"


def _shown(result: ValidationResult) -> set[tuple[str, str, str]]:
    return {(f.code, str(f.tag or ""), f.message) for f in result.findings}


def _codes_of(result: ValidationResult, tag: str) -> set[str]:
    return {f.code for f in result.findings if str(f.tag or "") == tag or tag in f.message}


def _with_overlay(ds: Dataset, rows: int, columns: int) -> Dataset:
    """An Overlay Plane (PS3.3 C.9.2, Table C.9-2): Overlay Data (60xx,3000) is Type 1, one bit
    per pixel of Overlay Rows x Overlay Columns."""
    ds.add_new(0x60000010, "US", rows)
    ds.add_new(0x60000011, "US", columns)
    ds.add_new(0x60000040, "CS", "G")
    ds.add_new(0x60000050, "SS", [1, 1])
    ds.add_new(0x60000100, "US", 1)
    ds.add_new(0x60000102, "US", 0)
    ds.add_new(0x60003000, "OW", b"\x00" * (rows * columns // 8))
    return ds


def test_a_long_type1_value_left_in_the_file_is_not_empty(tmp_path: Path) -> None:
    ds = _with_overlay(read_pydicom_file("CT_small.dcm"), 512, 2048)  # 128 KiB of Overlay Data
    assert len(ds[0x60003000].value) > DEFER_SIZE
    path = tmp_path / "overlay.dcm"
    ds.save_as(path)
    from_file = validate_file(path)
    assert "type1-empty" not in _codes_of(from_file, OVERLAY_DATA)
    assert _shown(from_file) == _shown(validate(dcmread(path)))


def test_a_long_sequence_left_in_the_file_has_items(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.bench.multiframe import enhanced_ct

    ds = enhanced_ct(400)  # a Per-frame Functional Groups Sequence of defined length > 64 KiB
    path = tmp_path / "frames.dcm"
    ds.save_as(path, enforce_file_format=True)
    raw = dcmread(path)._dict[0x52009230]
    assert raw.length > DEFER_SIZE and raw.length != 0xFFFFFFFF
    from_file = validate_file(path)
    assert "type1-empty" not in _codes_of(from_file, PER_FRAME_FUNCTIONAL_GROUPS)
    assert _shown(from_file) == _shown(validate(ds))


def test_an_empty_type1_sequence_in_memory_has_no_items(tmp_path: Path) -> None:
    from tests.bench.multiframe import enhanced_ct

    ds = enhanced_ct(3)
    ds.PerFrameFunctionalGroupsSequence = Sequence([])
    in_memory = validate(ds)
    assert "type1-empty" in _codes_of(in_memory, PER_FRAME_FUNCTIONAL_GROUPS)
    path = tmp_path / "no-frames.dcm"
    ds.save_as(path, enforce_file_format=True)
    assert "type1-empty" in _codes_of(validate_file(path), PER_FRAME_FUNCTIONAL_GROUPS)


def _long_comment(tmp_path: Path) -> Path:
    """Image Comments (0020,4000), LT, of 70,000 characters: over LT's 10,240 (PS3.5 Table
    6.2-1), and too long for the 16-bit length of LT in explicit VR, so pydicom writes it as UN
    (PS3.5 6.2.2), a value longer than the defer size."""
    ds = read_pydicom_file("CT_small.dcm")
    ds.ImageComments = "x" * 70_000
    path = tmp_path / "comment.dcm"
    with pytest.warns(UserWarning):
        ds.save_as(path)
    return path


def test_a_long_value_left_in_the_file_is_checked(tmp_path: Path) -> None:
    path = _long_comment(tmp_path)
    from_file = validate_file(path)
    invalid = [f for f in from_file.findings if f.code == "value-invalid"]
    assert any("70000 characters" in f.message for f in invalid), invalid
    assert _shown(from_file) == _shown(validate(dcmread(path)))


def test_a_value_over_the_limit_is_named_not_checked_nor_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _long_comment(tmp_path)
    monkeypatch.setenv("DICOMSTD_MAX_VALUE_BYTES", "65536")
    result = validate_file(path)
    limited = [f for f in result.findings if f.code == "limit-exceeded"]
    assert len(limited) == 1
    assert "(0020,4000) has a value of 70000 bytes" in limited[0].message
    assert "DICOMSTD_MAX_VALUE_BYTES" in limited[0].message
    assert not any(
        f.code == "value-invalid" and "(0020,4000)" in f.message for f in result.findings
    )


def test_a_value_whose_file_is_gone_is_named(tmp_path: Path) -> None:
    path = _long_comment(tmp_path)
    ds = dcmread(path, defer_size=1024)
    path.unlink()
    result = validate(ds)
    named = [f for f in result.findings if f.code == "unreadable" and f.path == "ImageComments"]
    assert len(named) == 1
    assert "Image Comments (0020,4000) cannot be read from the file" in named[0].message
    assert "is missing" in named[0].message


def test_a_value_cut_short_by_the_end_of_the_file_is_named_once_not_empty(tmp_path: Path) -> None:
    """PS3.5 7.1: a value is as long as its Value Length says; a file that ends before is cut
    short (``truncated``), and what follows the header is not the element's value."""
    whole = _long_comment(tmp_path).read_bytes()
    start = whole.index(b"x" * 64)  # the value of Image Comments
    path = tmp_path / "cut.dcm"
    path.write_bytes(whole[: start + 1000])
    for result in (validate_file(path), validate(dcmread(path, defer_size=1024))):
        about = [f for f in result.findings if str(f.tag or "") == "(0020,4000)"]
        assert [f.code for f in about] == ["truncated"], about
        assert "the file ends 69000 bytes before the end of the value of (0020,4000)" in (
            about[0].message
        )
