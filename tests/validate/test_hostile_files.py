"""Damaged and hostile files, each made from one of pydicom's real files: every one gives one
result with findings that say what is wrong and where, never an exception.

Encoding facts from PS3.5: an explicit VR element header is tag (4 bytes), VR (2), then a 2-byte
length, or 2 reserved bytes and a 4-byte length for OB, OD, OF, OL, OV, OW, SQ, SV, UC, UN, UR,
UT, UV (7.1.2); an implicit VR header is tag and a 4-byte length (7.1.3); items and delimiters are
(FFFE,E000), (FFFE,E00D), (FFFE,E0DD) with a 4-byte length (7.5). PS3.10 7.1: a file is a
128-byte preamble, "DICM", then File Meta Information in explicit VR little endian.
"""

from __future__ import annotations

import struct
from collections import Counter
from pathlib import Path

import pytest

from dicomstd.validation import validate_file
from dicomstd.validation.findings import Finding, Severity, ValidationResult
from dicomstd.validation.limits import CappedFindings
from tests.validate.conftest import pydicom_file

ITEM_DELIMITATION = b"\xfe\xff\x0d\xe0\x00\x00\x00\x00"
PIXEL_DATA_OW = b"\xe0\x7f\x10\x00OW\x00\x00"  # (7FE0,0010), explicit VR little endian


def _bytes(name: str) -> bytes:
    return pydicom_file(name).read_bytes()


def _write(tmp_path: Path, data: bytes, name: str = "case.dcm") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _codes(result: ValidationResult) -> set[str]:
    return {f.code for f in result.findings}


def _with_code(result: ValidationResult, code: str) -> list[str]:
    return [f"{f.tag_text} {f.message}" for f in result.findings if f.code == code]


def test_item_delimiter_after_the_end_of_the_data_set(tmp_path: Path) -> None:
    result = validate_file(_write(tmp_path, _bytes("CT_small.dcm") + ITEM_DELIMITATION))
    found = _with_code(result, "encoding-invalid")
    assert len(found) == 1 and found[0].startswith("(FFFE,E00D)"), found
    assert "after the end of the data set" in found[0]
    assert result.iod == "CT Image"  # the data set before it is validated


def test_file_meta_element_with_an_unknown_vr_code(tmp_path: Path) -> None:
    data = _bytes("CT_small.dcm")
    at = data.index(b"\x02\x00\x10\x00UI")  # Transfer Syntax UID (0002,0010)
    result = validate_file(_write(tmp_path, data[: at + 4] + b"ZZ" + data[at + 6 :]))
    found = _with_code(result, "encoding-invalid")
    assert found and found[0].startswith("(0002,0010)") and "'ZZ'" in found[0], found


def test_element_with_an_unknown_vr_code_in_the_data_set(tmp_path: Path) -> None:
    data = _bytes("CT_small.dcm")
    at = data.index(b"\x10\x00\x10\x00PN")  # Patient's Name (0010,0010)
    result = validate_file(_write(tmp_path, data[: at + 4] + b"QQ" + data[at + 6 :]))
    found = _with_code(result, "encoding-invalid")
    assert found and found[0].startswith("(0010,0010)") and "'QQ'" in found[0], found
    # The data set is read up to that element: what came before is checked.
    assert result.iod == "CT Image"


def test_corrupted_element_length(tmp_path: Path) -> None:
    data = _bytes("CT_small.dcm")
    at = data.index(b"\x10\x00\x10\x00PN")
    damaged = data[: at + 6] + struct.pack("<H", 0x7FFF) + data[at + 8 :]
    result = validate_file(_write(tmp_path, damaged))
    assert result.status in ("errors", "unreadable")
    assert _codes(result) & {"encoding-invalid", "truncated"}, result.findings


@pytest.mark.parametrize("into", [1, 3, 4, 6, 8, 11])
def test_file_cut_inside_an_element_header(tmp_path: Path, into: int) -> None:
    data = _bytes("CT_small.dcm")
    at = data.index(PIXEL_DATA_OW)  # a 12-byte header
    result = validate_file(_write(tmp_path, data[: at + into]))
    found = _with_code(result, "truncated")
    assert found and "header" in found[0], result.findings


def test_every_odd_length_cut_is_truncated_or_unreadable(tmp_path: Path) -> None:
    data = _bytes("rtplan.dcm")  # sequences of defined and undefined length
    start = 132 + 200
    for size in range(start | 1, len(data), 14):  # odd lengths, through the whole file
        result = validate_file(_write(tmp_path, data[:size]))
        assert _codes(result) & {"truncated", "unreadable"}, (size, result.findings)


def test_pixel_data_length_beyond_the_end_of_the_file(tmp_path: Path) -> None:
    data = _bytes("CT_small.dcm")
    at = data.index(PIXEL_DATA_OW)
    claimed = 0xFFFFFFF0  # about 4 GB in a file of 39 KB
    damaged = data[: at + 8] + struct.pack("<I", claimed) + data[at + 12 :]
    result = validate_file(_write(tmp_path, damaged))
    found = _with_code(result, "truncated")
    assert found and found[0].startswith("(7FE0,0010)"), result.findings


def test_implicit_vr_data_set_in_an_explicit_vr_transfer_syntax() -> None:
    # SC_rgb_jpeg.dcm says JPEG Baseline (explicit VR) but its data set is implicit VR: its first
    # element (0008,0008) is followed by a 4-byte length 0x18, not by a VR.
    data = _bytes("SC_rgb_jpeg.dcm")
    assert data[0x164:0x16C] == b"\x08\x00\x08\x00\x18\x00\x00\x00"
    result = validate_file(pydicom_file("SC_rgb_jpeg.dcm"))
    assert any("implicit VR" in m for m in _with_code(result, "encoding-invalid"))


def test_a_nul_in_the_path_is_unreadable() -> None:
    result = validate_file("CT_small\0.dcm")
    assert result.status == "unreadable"
    assert "NUL" in result.findings[0].message


def test_an_exception_of_the_validator_is_an_internal_error_of_that_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dicomstd.validation import engine

    def broken(*args: object, **kwargs: object) -> ValidationResult:
        raise ZeroDivisionError("a fault")

    monkeypatch.setattr(engine, "validate_dataset", broken)
    result = validate_file(pydicom_file("CT_small.dcm"))
    assert [f.code for f in result.findings] == ["internal-error"]
    assert "ZeroDivisionError: a fault" in result.findings[0].message
    assert result.path == str(pydicom_file("CT_small.dcm"))


def test_findings_are_capped_with_a_count_of_those_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = pydicom_file("CT_small.dcm")
    whole = validate_file(path).findings
    assert len(whole) > 4
    monkeypatch.setenv("DICOMSTD_MAX_FINDINGS", "3")
    capped = validate_file(path).findings
    assert capped[:3] == whole[:3]
    assert [f.code for f in capped[3:]] == ["findings-left-out"]
    assert f"{len(whole) - 3} more findings are left out" in capped[3].message
    # Each code left out is counted (the findings past the cap are counted, not made).
    counts = Counter(f.code for f in whole[3:])
    listed = ", ".join(f"{count} {code}" for code, count in sorted(counts.items()))
    assert f"({listed})" in capped[3].message
    worst = max(f.severity.rank for f in whole[3:])
    assert capped[3].severity.rank == worst


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (10**400, "outside the range of US, 0 to 65535"),
        (-5, "outside the range of US, 0 to 65535"),
        ("12", "is a JSON String"),
        (1.5, "not a whole number"),
        (True, "is a JSON true/false"),
    ],
)
def test_dicom_json_values_of_the_wrong_json_type(value: object, words: str) -> None:
    # PS3.18 F.2.3: US values are JSON Numbers; PS3.5 table 6.2-1: US is 0 to 2^16 - 1.
    from dicomstd.validation import validate_json

    document = {"00280010": {"vr": "US", "Value": [value]}}  # Rows
    result = validate_json(document)
    found = [
        f for f in result.findings if f.code == "value-invalid" and f.tag_text == "(0028,0010)"
    ]
    assert len(found) == 1 and words in found[0].message, result.findings


def test_dicom_json_values_in_range_give_no_type_finding() -> None:
    from dicomstd.validation import validate_json

    document = {
        "00280010": {"vr": "US", "Value": [65535]},
        "00189219": {"vr": "SS", "Value": [-32768]},
        "00081115": {"vr": "SQ", "Value": [{"00280011": {"vr": "US", "Value": [0]}}]},
    }
    result = validate_json(document)
    assert not [f for f in result.findings if f.reference == "PS3.18 F.2.3"]


def test_dicom_json_values_inside_items_are_checked() -> None:
    from dicomstd.validation import validate_json

    document = {"00081115": {"vr": "SQ", "Value": [{"00280011": {"vr": "US", "Value": [-1]}}]}}
    result = validate_json(document)
    found = [f for f in result.findings if f.reference == "PS3.18 F.2.3"]
    assert [f.path for f in found] == ["00081115[0].00280011[0]"]


def _nested(depth: int) -> bytes:
    """Digital Signatures Sequence (FFFA,FFFA) nested ``depth`` deep: each of undefined length
    with one item of undefined length holding the next (PS3.5 7.5.2)."""
    opening = b"\xfa\xff\xfa\xffSQ\x00\x00\xff\xff\xff\xff" + b"\xfe\xff\x00\xe0\xff\xff\xff\xff"
    closing = b"\xfe\xff\x0d\xe0\x00\x00\x00\x00" + b"\xfe\xff\xdd\xe0\x00\x00\x00\x00"
    return opening * depth + closing * depth


def test_more_elements_than_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fuzz.cases import write_empty_items

    path = tmp_path / "items.dcm"
    write_empty_items(path, count=2000)  # each item: an Item and an Item Delimitation Item
    monkeypatch.setenv("DICOMSTD_MAX_ELEMENTS", "1000")
    result = validate_file(path)
    found = _with_code(result, "limit-exceeded")
    assert len(found) == 1 and "more than 1000 data elements" in found[0], result.findings
    assert "read up to (FFFA,FFFA)" in found[0]
    assert result.iod == "CT Image"  # what comes before is validated
    monkeypatch.setenv("DICOMSTD_MAX_ELEMENTS", "100000")
    assert not _with_code(validate_file(path), "limit-exceeded")


def test_nesting_deeper_than_the_limit(tmp_path: Path) -> None:
    path = _write(tmp_path, _bytes("CT_small.dcm") + _nested(100))
    result = validate_file(path)
    found = _with_code(result, "limit-exceeded")
    assert len(found) == 1 and "nested more than 64 deep" in found[0], result.findings
    shallow = validate_file(_write(tmp_path, _bytes("CT_small.dcm") + _nested(10), "ten.dcm"))
    assert not _with_code(shallow, "limit-exceeded")


def test_an_undefined_length_sequence_without_its_delimiter(tmp_path: Path) -> None:
    cut = _nested(3)[:-8]  # the last Sequence Delimitation Item left out
    result = validate_file(_write(tmp_path, _bytes("CT_small.dcm") + cut))
    found = _with_code(result, "truncated")
    assert found and "Sequence Delimitation Item of (FFFA,FFFA)" in found[0], result.findings


def test_a_deflate_bomb_inflates_no_further_than_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.fuzz.cases import write_deflate_bomb

    path = tmp_path / "bomb.dcm"
    write_deflate_bomb(path, inflated=8 << 20)
    assert path.stat().st_size < 64 << 10
    monkeypatch.setenv("DICOMSTD_MAX_INFLATED_BYTES", str(1 << 20))
    result = validate_file(path)
    found = _with_code(result, "limit-exceeded")
    assert len(found) == 1 and f"more than {1 << 20} bytes" in found[0], result.findings
    assert result.iod == "CT Image"  # the inflated elements are validated
    monkeypatch.setenv("DICOMSTD_MAX_INFLATED_BYTES", str(64 << 20))
    assert not _with_code(validate_file(path), "limit-exceeded")


def test_a_deflated_file_reads_as_pydicom_reads_it() -> None:
    from pydicom import dcmread

    path = pydicom_file("image_dfl.dcm")
    result = validate_file(path)
    assert not _codes(result) & {"unreadable", "truncated", "encoding-invalid", "internal-error"}
    assert result.sop_class_uid == dcmread(path).SOPClassUID


def test_an_exception_validating_dicom_json_is_an_internal_error_of_that_instance(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dicomstd.validation import engine, validate_json

    def broken(*args: object, **kwargs: object) -> ValidationResult:
        raise ZeroDivisionError("a fault")

    monkeypatch.setattr(engine, "validate_dataset", broken)
    results = validate_json([{"00100010": {"vr": "PN"}}, {"00100020": {"vr": "LO"}}])
    assert [[f.code for f in r.findings] for r in results] == [["internal-error"]] * 2
    assert "ZeroDivisionError: a fault" in results[0].findings[0].message


def test_a_depth_limit_beyond_what_python_can_nest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setenv("DICOMSTD_MAX_DEPTH", "1000000")
    deep = sys.getrecursionlimit() + 100
    result = validate_file(_write(tmp_path, _bytes("CT_small.dcm") + _nested(deep)))
    assert _with_code(result, "limit-exceeded"), result.findings
    assert not _with_code(result, "internal-error")


def test_hostile_files_cost_the_report_of_no_other_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from dicomstd.cli import main

    data = _bytes("CT_small.dcm")
    at = data.index(b"\x02\x00\x10\x00UI")
    files = {
        "a-good.dcm": data,
        "b-delimiter-after-end.dcm": data + ITEM_DELIMITATION,
        "c-meta-vr.dcm": data[: at + 4] + b"ZZ" + data[at + 6 :],
        "d-cut-in-header.dcm": data[: data.index(PIXEL_DATA_OW) + 5],
        "e-good.dcm": data,
    }
    for name, content in files.items():
        _write(tmp_path, content, name)
    status = main(["validate", "--format", "json", str(tmp_path)])
    document = json.loads(capsys.readouterr().out)
    assert status == 1  # findings, not a failure of the run
    assert [Path(r["path"]).name for r in document["files"]] == sorted(files)
    codes = {Path(r["path"]).name: {f["code"] for f in r["findings"]} for r in document["files"]}
    assert "encoding-invalid" in codes["b-delimiter-after-end.dcm"]
    assert "encoding-invalid" in codes["c-meta-vr.dcm"]
    assert "truncated" in codes["d-cut-in-header.dcm"]


@pytest.mark.parametrize("made", ["appended", "counted"])
def test_findings_left_out_take_the_worst_severity_whichever_way_they_are_counted(
    made: str,
) -> None:
    """A finding past the cap is either appended (and dropped) or only counted (``left_out``,
    before it is made): the ``findings-left-out`` finding is as severe as the worst of both."""
    capped = CappedFindings(cap=1)
    capped.append(Finding.of("retired", "a retired attribute"))  # kept: a warning
    capped.append(Finding.of("retired", "a retired attribute"))  # dropped
    if made == "appended":
        capped.append(Finding.of("type1-missing", "a Type 1 attribute is absent"))  # an error
    else:
        assert capped.left_out("type1-missing")
    closed = capped.closed()
    assert [f.code for f in closed] == ["retired", "findings-left-out"]
    assert closed[1].severity is Severity.ERROR
    assert "(1 retired, 1 type1-missing)" in closed[1].message
    assert not CappedFindings(cap=5).left_out("type1-missing")  # under the cap: made, not counted
