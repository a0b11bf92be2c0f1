"""What ``dicomstd validate`` reads: folders with other files, nothing at all, standard input,
DICOM JSON, DICOMDIR, unreadable folders, file names that are not UTF-8, hostile names and
values; and how it explains a bad ``--iod``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file

from dicomstd.cli import main


def _source(name: str) -> Path:
    found = get_testdata_file(name)
    assert found is not None
    return Path(found)


def _json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(["validate", *args, "--format", "json"])
    out = capsys.readouterr().out
    return code, (json.loads(out) if out else {})


def test_folder_without_dicom_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path)]) == 2
    assert "no DICOM files" in capsys.readouterr().err
    (tmp_path / "README.txt").write_text("notes")
    (tmp_path / "data.json").write_text('{"name": "not DICOM JSON"}')
    shutil.copyfile(_source("zipMR.gz"), tmp_path / "zipMR.gz")
    code = main(["validate", str(tmp_path), "--format", "json"])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert "3 file(s) skipped" in captured.err


def test_walk_skips_other_files_but_a_named_file_is_validated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copyfile(_source("CT_small.dcm"), tmp_path / "CT_small.dcm")
    (tmp_path / "README.txt").write_text("notes")
    _, document = _json([str(tmp_path)], capsys)
    assert [Path(f["path"]).name for f in document["files"]] == ["CT_small.dcm"]
    assert document["summary"]["skipped"] == 1
    code, document = _json([str(tmp_path / "README.txt")], capsys)
    assert document["files"][0]["status"] == "unreadable" and code == 1


def test_raw_data_sets_and_files_without_extension_are_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A data set without preamble and File Meta Information (PS3.10 7.1 absent), explicit VR.
    shutil.copyfile(_source("ExplVR_LitEndNoMeta.dcm"), tmp_path / "IM0001")
    shutil.copyfile(_source("CT_small.dcm"), tmp_path / "IM0002")
    _, document = _json([str(tmp_path)], capsys)
    statuses = {Path(f["path"]).name: f for f in document["files"]}
    assert set(statuses) == {"IM0001", "IM0002"}
    codes = [f["code"] for f in statuses["IM0001"]["findings"]]
    assert "file-meta-missing" in codes


def test_standard_input(capsys: pytest.CaptureFixture[str]) -> None:
    ct = _source("CT_small.dcm")
    with ct.open("rb") as stdin:
        done = subprocess.run(
            [sys.executable, "-m", "dicomstd", "validate", "-", "--format", "json"],
            stdin=stdin,
            capture_output=True,
            check=False,
        )
    document = json.loads(done.stdout)
    assert [f["path"] for f in document["files"]] == ["-"]
    assert document["files"][0]["iod"] == "CT Image"
    assert done.returncode == 0


def _dicom_json(name: str) -> dict:  # type: ignore[type-arg]
    dataset = pydicom.dcmread(_source(name))
    del dataset.PixelData
    return dataset.to_json_dict()


def test_dicom_json_file_and_wado_rs_array(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = _dicom_json("CT_small.dcm")
    (tmp_path / "ct.json").write_text(json.dumps(one))
    (tmp_path / "metadata.json").write_text(json.dumps([one, _dicom_json("rtdose.dcm")]))
    _, document = _json([str(tmp_path)], capsys)
    paths = [Path(f["path"]).name for f in document["files"]]
    assert paths == ["ct.json", "metadata.json[0]", "metadata.json[1]"]
    iods = [f["iod"] for f in document["files"]]
    assert iods == ["CT Image", "CT Image", "RT Dose"]


def test_validate_json_gives_one_result_per_instance() -> None:
    from dicomstd import validate_json

    instances = [_dicom_json("CT_small.dcm"), _dicom_json("rtdose.dcm")]
    results = validate_json(instances)
    assert [r.iod for r in results] == ["CT Image", "RT Dose"]
    from_text = validate_json(json.dumps(instances))
    assert isinstance(from_text, list) and len(from_text) == 2
    single = validate_json(json.dumps(instances[0]))
    assert not isinstance(single, list) and single.iod == "CT Image"


def _dicomdir_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "media"
    shutil.copytree(_source("DICOMDIR").parent, folder)
    return folder / "DICOMDIR"


def test_dicomdir_is_not_a_file_without_sop_class(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dicomdir = _dicomdir_copy(tmp_path)
    _, document = _json([str(dicomdir)], capsys)
    (result,) = document["files"]
    codes = [f["code"] for f in result["findings"]]
    # A DICOMDIR's SOP Class is Media Storage Directory Storage (PS3.4 I.4-1), given only in its
    # File Meta Information: its Basic Directory IOD (PS3.3 F.3) has no SOP Common Module.
    assert "sop-class-missing" not in codes
    assert result["sop_class_uid"] == "1.2.840.10008.1.3.10"
    # The pinned PS3.3 2016c excerpt holds four IODs, not the Basic Directory IOD.
    absent = [f for f in result["findings"] if f["code"] == "iod-not-available"]
    assert absent and "Media Storage Directory Storage" in absent[0]["message"]
    assert result["status"] == "unchecked"


@pytest.mark.standard
def test_dicomdir_with_the_whole_standard(tmp_path: Path, full_build: Path) -> None:
    dicomdir = _dicomdir_copy(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "dicomstd", "validate", str(dicomdir), "--format", "json"],
        env={**os.environ, "DICOMSTD_BUILD": str(full_build)},
        capture_output=True,
        text=True,
        check=False,
    )
    (result,) = json.loads(done.stdout)["files"]
    codes = [f["code"] for f in result["findings"]]
    assert "sop-class-missing" not in codes
    from dicomstd.validation.sources import MEDIA_STORAGE_DIRECTORY

    probe = subprocess.run(
        [sys.executable, "-c", f"from dicomstd import spec; spec.iod({MEDIA_STORAGE_DIRECTORY!r})"],
        env={**os.environ, "DICOMSTD_BUILD": str(full_build)},
        capture_output=True,
        check=False,
    )
    if probe.returncode == 0:  # the build has the Basic Directory IOD: checked against it
        assert result["iod"] and "iod-not-available" not in codes
    else:  # the stand-in PS3.3 lacks table F.3-1 (Basic Directory IOD Modules)
        assert result["iod"] is None and "iod-not-available" in codes


def test_follow_dicomdir_validates_the_referenced_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dicomdir = _dicomdir_copy(tmp_path)
    dataset = pydicom.dcmread(dicomdir)
    referenced = {
        os.path.join(*record.ReferencedFileID)
        for record in dataset.DirectoryRecordSequence
        if "ReferencedFileID" in record
    }
    _, document = _json([str(dicomdir), "--follow-dicomdir"], capsys)
    paths = [f["path"] for f in document["files"]]
    assert paths[0] == str(dicomdir)
    assert {os.path.relpath(p, dicomdir.parent) for p in paths[1:]} == referenced
    # Walking the folder as well validates every file once.
    _, walked = _json([str(dicomdir.parent), "--follow-dicomdir"], capsys)
    walked_paths = [f["path"] for f in walked["files"]]
    assert len(walked_paths) == len(set(walked_paths))
    assert set(paths) <= set(walked_paths)


def test_unlistable_folder_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.walk's error for a folder it cannot list becomes a result (injected: permissions do
    not stop root, who runs the tests here)."""
    shutil.copyfile(_source("CT_small.dcm"), tmp_path / "CT_small.dcm")
    (tmp_path / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, document = _json([str(tmp_path)], capsys)
    results = {Path(f["path"]).name: f for f in document["files"]}
    assert results["locked"]["status"] == "unreadable"
    assert "Permission denied" in results["locked"]["findings"][0]["message"]
    assert code == 1


def test_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.dcm")  # Latin-1 bytes: not UTF-8
    shutil.copyfile(_source("CT_small.dcm"), tmp_path / name)
    outputs = {}
    for output_format in ("text", "json", "sarif", "junit"):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "dicomstd",
                "validate",
                str(tmp_path),
                "--format",
                output_format,
            ],
            capture_output=True,
            check=False,
            env={**os.environ, "PYTHONIOENCODING": "ascii", "LC_ALL": "C"},
        )
        assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
        outputs[output_format] = done.stdout
    assert b"caf\\xe9.dcm: CT Image" in outputs["text"]
    assert json.loads(outputs["json"])["files"][0]["path"].endswith("caf\\xe9.dcm")
    sarif = json.loads(outputs["sarif"])["runs"][0]["results"][0]
    assert sarif["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "caf%E9.dcm"
    )
    assert b'name="' + str(tmp_path).encode() + b'/caf\\xe9.dcm"' in outputs["junit"]


def test_findings_the_terminal_encoding_cannot_show(tmp_path: Path) -> None:
    dataset = pydicom.dcmread(_source("CT_small.dcm"))
    dataset.SpecificCharacterSet = "ISO_IR 192"
    dataset.PatientName = "Ünïcødé^名前"
    dataset.StudyDescription = "\u0416" * 80  # LO holds 64 characters (PS3.5 table 6.2-1)
    path = tmp_path / "utf8.dcm"
    dataset.save_as(path)
    done = subprocess.run(
        [sys.executable, "-m", "dicomstd", "validate", str(path)],
        capture_output=True,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
    )
    assert b"Traceback" not in done.stderr
    assert b"value-invalid" in done.stdout and b"\\u0416" in done.stdout


def test_text_report_escapes_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = "evil\x1b]0;owned\x07\x1b[2J\r\n0 file(s): 0 ok.dcm"
    dataset = pydicom.dcmread(_source("CT_small.dcm"))
    dataset.SOPClassUID = "1.2.3\r\n9 file(s): 9 ok"  # not a UID: reported with its value
    dataset.save_as(tmp_path / hostile)
    main(["validate", str(tmp_path)])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\r" not in out and "\x07" not in out
    assert "\\x1b]0;owned\\x07\\x1b[2J\\r\\n" in out
    lines = out.splitlines()
    assert [line for line in lines if "file(s):" in line and not line.startswith(" ")][-1] == lines[
        -1
    ]
    assert sum(line.endswith("unreadable") for line in lines if "file(s)" in line) == 1


def test_iod_error_lists_iods_and_close_matches(capsys: pytest.CaptureFixture[str]) -> None:
    ct = str(_source("CT_small.dcm"))
    assert main(["validate", ct, "--iod", "CT Imag"]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'CT Image'" in err
    # The pinned build's four IODs (PS3.3 2016c excerpt: A.3-1, A.18.3-1, A.38-1, A.47-1).
    for name in ("CT Image", "RT Dose", "Enhanced CT Image", "Enhanced X-Ray Angiographic Image"):
        assert name in err


def test_help_documents_every_option_without_markup() -> None:
    from dicomstd.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    validate = commands.choices["validate"]  # type: ignore[index]
    text = validate.format_help()
    assert "``" not in text and ":func:" not in text and ":data:" not in text
    for action in validate._actions:
        if action.dest in ("help", "paths"):
            continue
        assert action.help, f"--{action.dest} has no help"
        assert action.option_strings[-1] in text
