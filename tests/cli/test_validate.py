"""``dicomstd validate``: files and folders, text and JSON, exit status, parallel jobs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dicomstd.cli import main
from tests.cli import copy_testdata


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    (folder / "nested").mkdir(parents=True)
    copy_testdata("CT_small.dcm", folder)
    copy_testdata("rtdose.dcm", folder / "nested")
    (folder / "nested" / "notes.txt").write_text("not DICOM")
    return folder


def _json(capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, dict[str, object]]:
    code = main(["validate", *args, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_folder_recursive_json_shape(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, document = _json(capsys, [str(corpus)])
    files = document["files"]
    assert isinstance(files, list)
    names = [Path(f["path"]).name for f in files]
    assert names == ["CT_small.dcm", "rtdose.dcm"]  # sorted walk, nested last; notes.txt skipped
    statuses = {Path(f["path"]).name: f["status"] for f in files}
    assert statuses == {"CT_small.dcm": "warnings", "rtdose.dcm": "errors"}
    assert set(files[0]) == {"path", "sop_class_uid", "iod", "status", "findings"}
    finding = files[0]["findings"][0]
    assert set(finding) == {
        "severity",
        "code",
        "tag",
        "keyword",
        "path",
        "module",
        "message",
        "reference",
    }
    summary = document["summary"]
    assert isinstance(summary, dict)
    assert (
        summary["files"],
        summary["ok"],
        summary["warnings"],
        summary["errors"],
        summary["unreadable"],
        summary["skipped"],
    ) == (2, 0, 1, 1, 0, 1)
    assert code == 1  # rtdose has errors


def test_fail_on(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ct = corpus / "CT_small.dcm"
    assert main(["validate", str(ct)]) == 0  # a warning only
    assert main(["validate", str(ct), "--fail-on", "warning"]) == 1
    capsys.readouterr()


def test_text_report(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["validate", str(corpus / "nested" / "rtdose.dcm"), "--no-notices"])
    out = capsys.readouterr().out
    assert "RT Dose: errors" in out
    assert "type2-missing" in out and "(0008,1070)" in out and "[table_C.8-37]" in out
    assert "unverifiable-condition" not in out
    assert out.rstrip().endswith("1 file(s): 0 ok, 0 with warnings, 1 with errors, 0 unreadable")
    assert out.index("RT Dose: errors") < out.index("type2-missing")


def test_parallel_jobs_give_the_same_results(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, serial = _json(capsys, [str(corpus)])
    _, parallel = _json(capsys, [str(corpus), "--jobs", "2"])
    assert parallel == serial


def test_usage_errors(capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    assert main(["validate"]) == 2
    assert main(["validate", str(corpus), "--jobs", "0"]) == 2
    assert main(["validate", str(corpus), "--iod", "No Such IOD"]) == 2
    assert "No Such IOD" in capsys.readouterr().err


def test_missing_path_is_a_result_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, document = _json(capsys, [str(tmp_path / "absent.dcm")])
    files = document["files"]
    assert isinstance(files, list) and files[0]["status"] == "unreadable"
    assert code == 1


def test_console_entry_point(corpus: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "dicomstd", "validate", str(corpus / "CT_small.dcm")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0
    assert "CT Image: warnings" in completed.stdout
    assert "Traceback" not in completed.stderr
