"""Which findings ``dicomstd validate`` reports: --select/--ignore by code and prefix, settings
from dicomstd.toml or pyproject.toml found upwards, per-path ignores, --fail-on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pydicom.data import get_testdata_file

from dicomstd.cli import main
from dicomstd.validation.config import ConfigError, find, parse_codes


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "data" / "legacy").mkdir(parents=True)
    for name, folder in (("rtdose.dcm", "data"), ("rtdose.dcm", "data/legacy")):
        source = get_testdata_file(name)
        assert source is not None
        shutil.copyfile(source, tmp_path / folder / name)
    monkeypatch.chdir(tmp_path / "data")
    return tmp_path


def _codes(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, set[str]]:
    assert main(["validate", *args, "--format", "json"]) in (0, 1)
    document = json.loads(capsys.readouterr().out)
    return {f["path"]: {x["code"] for x in f["findings"]} for f in document["files"]}


def test_prefixes_name_every_code_they_start() -> None:
    assert parse_codes(["type1"], "select") == {
        "type1-missing",
        "type1-empty",
        "type1c-missing",
        "type1c-empty",
    }
    with pytest.raises(ConfigError, match="did you mean type2-missing"):
        parse_codes(["type2-mising"], "ignore")


def test_select_and_ignore(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # rtdose.dcm: Operators' Name absent (type2-missing, RT Series table C.8-37), an invalid UID
    # (value-invalid), conditions kept as text (unverifiable-condition notices).
    everything = _codes(["rtdose.dcm"], capsys)["rtdose.dcm"]
    assert {"type2-missing", "value-invalid", "unverifiable-condition"} <= everything
    assert _codes(["rtdose.dcm", "--select", "type2,value"], capsys)["rtdose.dcm"] == {
        "type2-missing",
        "value-invalid",
    }
    ignored = _codes(["rtdose.dcm", "--ignore", "unverifiable"], capsys)["rtdose.dcm"]
    assert ignored == everything - {"unverifiable-condition", "unverifiable-include"}


def test_unknown_code_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "rtdose.dcm", "--select", "tpye1"]) == 2
    assert "'tpye1' is not a finding code" in capsys.readouterr().err


def test_settings_found_upwards_and_per_path_ignores(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.dicomstd]\nignore = ["unverifiable"]\n'
        '[tool.dicomstd.per-path-ignores]\n"data/legacy/*" = ["type2-missing"]\n'
    )
    assert find(project / "data" / "legacy") == project / "pyproject.toml"
    codes = _codes(["."], capsys)
    assert not any(c.startswith("unverifiable") for found in codes.values() for c in found)
    assert "type2-missing" in codes["./rtdose.dcm"]
    assert "type2-missing" not in codes["./legacy/rtdose.dcm"]
    # The command line replaces the file's select; --isolated reads no file.
    isolated = _codes([".", "--isolated"], capsys)
    assert "unverifiable-condition" in isolated["./rtdose.dcm"]


def test_dicomstd_toml_comes_before_pyproject(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text('[tool.dicomstd]\nselect = ["type2"]\n')
    (project / "data" / "dicomstd.toml").write_text('select = ["value"]\nno-notices = true\n')
    assert _codes(["rtdose.dcm"], capsys)["rtdose.dcm"] == {"value-invalid"}


def test_bad_settings_name_file_and_key(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = project / "data" / "dicomstd.toml"
    settings.write_text("selcet = ['type1']\n")
    assert main(["validate", "rtdose.dcm"]) == 2
    err = capsys.readouterr().err
    assert str(settings) in err and "'selcet'" in err
    settings.write_text("jobs = [2]\n")
    assert main(["validate", "rtdose.dcm"]) == 2
    assert "jobs must be" in capsys.readouterr().err


def test_fail_on_severities_and_statuses(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = get_testdata_file("CT_small.dcm")
    assert source is not None
    assert main(["validate", source]) == 0  # warnings only
    assert main(["validate", source, "--fail-on", "warning"]) == 1
    (tmp_path / "broken.dcm").write_bytes(b"\0" * 10)
    broken = str(tmp_path / "broken.dcm")
    assert main(["validate", broken, "--fail-on", "unreadable"]) == 1
    assert main(["validate", source, "--fail-on", "errors,unreadable"]) == 0
    assert main(["validate", source, "--fail-on", "bad"]) == 2
    capsys.readouterr()
