"""``dicomstd skeleton SOPCLASS -o FILE [--format text|json]``: a DICOM file of a SOP Class to
fill in, and what is still to fill.

Expected values: PS3.3 2016c (CT Image IOD, table A.3-1, and its module tables), PS3.10 7.1
(File Meta Information), PS3.5 B.2 (UUID-derived UIDs).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydicom import dcmread

from dicomstd import cli
from dicomstd.model import IMPLEMENTATION_CLASS_UID
from dicomstd.validation import validate_file
from tests.conftest import ROOT

CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2"
EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1"


def skeleton_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert cli.main(["skeleton", *args, "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    data = json.loads(captured.out)
    assert isinstance(data, dict)
    return data


def test_the_file_is_a_dicom_file_of_the_sop_class(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "ct.dcm"
    report = skeleton_json(capsys, "CT Image Storage", "-o", str(target))
    raw = target.read_bytes()
    assert raw[128:132] == b"DICM"  # PS3.10 7.1: 128-byte preamble, then the prefix
    written = dcmread(target)
    meta = written.file_meta
    assert meta.MediaStorageSOPClassUID == CT_IMAGE_STORAGE == written.SOPClassUID
    assert meta.MediaStorageSOPInstanceUID == written.SOPInstanceUID
    assert meta.TransferSyntaxUID == EXPLICIT_VR_LITTLE_ENDIAN
    assert meta.ImplementationClassUID == IMPLEMENTATION_CLASS_UID
    assert report["path"] == str(target)
    assert report["sop_class_uid"] == CT_IMAGE_STORAGE
    assert report["iod"] == "CT Image"
    filled = {item["path"]: item["value"] for item in report["filled"]}  # type: ignore[attr-defined]
    # the top-level Type 1 UIDs of table A.3-1's M modules get new UIDs: C.7-3, C.7-5a, C.7-6,
    # C.12-1
    assert set(filled) == {
        "StudyInstanceUID",
        "SeriesInstanceUID",
        "FrameOfReferenceUID",
        "SOPClassUID",
        "SOPInstanceUID",
    }
    assert filled["SOPInstanceUID"] == written.SOPInstanceUID
    assert all(
        str(value).startswith("2.25.") for key, value in filled.items() if key != "SOPClassUID"
    )


def test_the_file_validates_with_exactly_the_printed_list_to_fill(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "ct.dcm"
    report = skeleton_json(capsys, CT_IMAGE_STORAGE, "-o", str(target))
    to_fill = report["to_fill"]
    assert isinstance(to_fill, list)
    paths = {item["path"] for item in to_fill}
    # General Series C.7-5a: Modality (0008,0060) 1; CT Image C.8-3: Rescale Slope (0028,1053) 1
    assert {"Modality", "RescaleSlope"} <= paths
    modality = next(item for item in to_fill if item["path"] == "Modality")
    assert modality == {
        "tag": "(0008,0060)",
        "keyword": "Modality",
        "name": "Modality",
        "path": "Modality",
        "type": "1",
        "modules": ["General Series"],
        "source": "table_C.7-5a",
    }
    result = validate_file(target)
    serious = [f for f in result.findings if f.severity.value != "notice"]
    assert {f.code for f in serious} <= {"type1-empty", "type1c-empty"}
    assert {f.path for f in serious} == paths


def test_the_text_output_names_each_attribute_to_fill(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "ct.dcm"
    assert cli.main(["skeleton", "CT Image", "-o", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"CT Image Storage ({CT_IMAGE_STORAGE}), CT Image IOD: wrote {target}")
    assert "to fill (16 Type 1 attributes without a value):" in out
    assert "(0008,0060) Modality  (Type 1; General Series, PS3.3 C.7-5a)" in out
    assert "(7FE0,0010) PixelData  (Type 1C; Image Pixel, PS3.3 C.7-11b)" in out


def test_an_unknown_sop_class_is_exit_1_with_close_matches_and_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "x.dcm"
    assert cli.main(["skeleton", "CT Imag", "-o", str(target)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "'CT Imag' is not a SOP Class" in captured.err
    assert "close matches: CT Image" in captured.err
    assert not target.exists()


def test_a_sop_class_whose_iod_is_not_built_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["skeleton", "MRImageStorage", "-o", str(tmp_path / "mr.dcm")]) == 1
    err = capsys.readouterr().err
    assert "MR Image Storage (1.2.840.10008.5.1.4.1.1.4): its IOD is not in the PS3.3" in err
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_file_is_exit_1_and_leaves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no" / "such" / "ct.dcm"
    assert cli.main(["skeleton", "CT Image", "-o", str(missing)]) == 1
    assert f"cannot write {missing}" in capsys.readouterr().err
    folder = tmp_path / "folder.dcm"
    folder.mkdir()
    assert cli.main(["skeleton", "CT Image", "-o", str(folder)]) == 1
    assert f"cannot write {folder}" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["folder.dcm"]  # no temporary file left
    assert list(folder.iterdir()) == []


def test_an_existing_file_is_replaced_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "ct.dcm"
    target.write_bytes(b"old")
    assert cli.main(["skeleton", "CT Image", "-o", str(target)]) == 0
    capsys.readouterr()
    assert dcmread(target).SOPClassUID == CT_IMAGE_STORAGE


def test_usage_errors_are_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["skeleton", "CT Image"]) == 2  # -o is required
    assert "-o/--output" in capsys.readouterr().err
    assert cli.main(["skeleton"]) == 2


def test_the_command_runs_as_installed(tmp_path: Path) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    target = tmp_path / "dose.dcm"
    done = subprocess.run(
        [sys.executable, "-m", "dicomstd", "skeleton", "RT Dose", "-o", str(target)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "RT Dose Storage (1.2.840.10008.5.1.4.1.1.481.2), RT Dose IOD" in done.stdout
    help_text = subprocess.run(
        [sys.executable, "-m", "dicomstd", "skeleton", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert help_text.returncode == 0
    assert "SOPCLASS" in help_text.stdout and "Exit status" in help_text.stdout
    assert dcmread(target).file_meta.MediaStorageSOPClassUID == "1.2.840.10008.5.1.4.1.1.481.2"
