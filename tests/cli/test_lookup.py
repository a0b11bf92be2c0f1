"""``dicomstd lookup X [--format text|json]``: tags, keywords and UIDs of the standard.

Expected values are PS3.6 2015b's (the edition of the committed package).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from dicomstd import cli
from tests.conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "dicomstd", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


def lookup_json(capsys: pytest.CaptureFixture[str], query: str) -> dict[str, object]:
    assert cli.main(["lookup", query, "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    data = json.loads(captured.out)
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    "query", ["PatientName", "(0010,0010)", "0010,0010", "00100010", "0x00100010", " PatientName "]
)
def test_every_tag_form(capsys: pytest.CaptureFixture[str], query: str) -> None:
    data = lookup_json(capsys, query)
    assert data == {
        "kind": "data element",
        "tag": "(0010,0010)",
        "keyword": "PatientName",
        "name": "Patient's Name",
        "vr": ["PN"],
        "vm": "1",
        "retired": False,
        "source": "table_6-1",
        "note": "",
    }


def test_repeating_group_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = lookup_json(capsys, "(60xx,3000)")
    assert (data["tag"], data["keyword"], data["vr"]) == (
        "(60xx,3000)",
        "OverlayData",
        ["OB", "OW"],
    )
    assert lookup_json(capsys, "60023000")["keyword"] == "OverlayData"
    curve = lookup_json(capsys, "(5010,3000)")
    assert (curve["tag"], curve["retired"]) == ("(50xx,3000)", True)


def test_element_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["lookup", "GrayLookupTableData"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "(0028,1200)  GrayLookupTableData  (retired)"
    assert out[1] == "  Gray Lookup Table Data"
    assert "VR: " in out[2] and "VM: 1-n or 1" in out[2] and "source: PS3.6 table_6-1" in out[2]
    assert sorted(out[2].split("VR: ")[1].split("   ")[0].split(" or ")) == ["OW", "SS", "US"]


def test_element_without_vr_or_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["lookup", "(0018,9445)"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "(0018,9445)  -  (retired)"
    assert "VR: -" in out and "VM: -" in out and "note: RET - See Note 3" in out


def test_uid_by_value_and_keyword(capsys: pytest.CaptureFixture[str]) -> None:
    expected = {
        "kind": "uid",
        "uid": "1.2.840.10008.1.2",
        "keyword": "ImplicitVRLittleEndian",
        "name": "Implicit VR Little Endian: Default Transfer Syntax for DICOM",
        "type": "Transfer Syntax",
        "part": "PS3.5",
        "retired": False,
        "source": "table_A-1",
    }
    assert lookup_json(capsys, "1.2.840.10008.1.2") == expected
    assert lookup_json(capsys, "ImplicitVRLittleEndian") == expected


def test_uid_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["lookup", "1.2.840.10008.5.1.4.1.1.6"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "1.2.840.10008.5.1.4.1.1.6  UltrasoundImageStorageRetired  (retired)"
    assert out[1] == "  Ultrasound Image Storage (Retired)"
    assert out[2] == "  type: SOP Class   part: PS3.4   source: PS3.6 table_A-1"


@pytest.mark.parametrize("query", ["PatientNmae", "1.2.3.4", "(0011,0010)", "hello world", "1.2"])
def test_unknown_input_exits_1_with_a_message(
    capsys: pytest.CaptureFixture[str], query: str
) -> None:
    assert cli.main(["lookup", query]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == (
        f"dicomstd: {query!r} is not a tag, keyword or UID of the standard"
    )


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([]) == 2
    assert cli.main(["lookup"]) == 2
    assert cli.main(["lookup", "PatientName", "--format", "xml"]) == 2
    assert "usage" in capsys.readouterr().err


def test_subprocess_json() -> None:
    result = run("lookup", "0x00280030", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    # table 6-1 row 1554: (0028,0030) Pixel Spacing, DS, VM 2
    assert (data["tag"], data["keyword"], data["vr"], data["vm"]) == (
        "(0028,0030)",
        "PixelSpacing",
        ["DS"],
        "2",
    )


def test_subprocess_text_uid() -> None:
    result = run("lookup", "1.2.840.10008.5.1.4.1.1.2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "1.2.840.10008.5.1.4.1.1.2  CTImageStorage",
        "  CT Image Storage",
    ]


def test_subprocess_unknown() -> None:
    result = run("lookup", "PatientNmae")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "'PatientNmae' is not a tag, keyword or UID of the standard" in result.stderr
