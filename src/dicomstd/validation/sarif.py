"""SARIF 2.1.0 reports (OASIS Static Analysis Results Interchange Format), for code-scanning views.

One run; one rule per finding code (:data:`~dicomstd.validation.findings.CODES`: its meaning and
severity); one result per finding, located in the file (an artifact URI relative to the working
folder when the file is below it) and at the attribute (a logical location: the attribute's path
in the data set). A DICOM file has no lines: results point at line 1, the least a region may say,
so that views placing results on lines accept them. Results are written as they arrive.
"""

from __future__ import annotations

import json
import os
import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

from dicomstd.validation.findings import CODES, Finding, Severity, ValidationResult

if TYPE_CHECKING:
    from dicomstd.validation.report import Summary

__all__ = ["SCHEMA", "SarifWriter"]

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTICE: "note"}
_INSTANCE = re.compile(r"^(?P<file>.+\.json)\[(?P<index>\d+)\]$", re.IGNORECASE)
_CODE_ORDER = {code: index for index, code in enumerate(sorted(CODES))}


def _version() -> str:
    try:
        return version("dicomstd")
    except PackageNotFoundError:
        return "0"


def _rules() -> list[dict[str, Any]]:
    return [
        {
            "id": code,
            "name": "".join(word.capitalize() for word in code.split("-")),
            "shortDescription": {"text": meaning},
            "defaultConfiguration": {"level": _LEVEL[severity]},
        }
        for code, (severity, meaning) in sorted(CODES.items())
    ]


def artifact_uri(path: str) -> str:
    """The URI of a file: relative to the working folder when it is below it, else a file URI;
    bytes that are not UTF-8 are percent-encoded as they are."""
    match = _INSTANCE.match(path)
    if match is not None:  # an instance of a DICOM JSON array: the file holding it
        path = match["file"]
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(Path.cwd())
    except ValueError:
        return "file://" + quote(os.fsencode(absolute.as_posix()))
    return quote(os.fsencode(relative.as_posix()))


class SarifWriter:
    """A SARIF log with one run, written result by result."""

    def __init__(self, out: IO[str], **_: Any) -> None:
        self.out = out
        self.count = 0
        driver = {
            "name": "dicomstd",
            "informationUri": "https://pypi.org/project/dicomstd/",
            "version": _version(),
            "rules": _rules(),
        }
        self.out.write(
            f'{{\n  "$schema": {json.dumps(SCHEMA)},\n  "version": "2.1.0",\n  "runs": [\n    {{\n'
            f'      "tool": {{"driver": {json.dumps(driver)}}},\n      "results": ['
        )

    def add(self, result: ValidationResult) -> None:
        for finding in result.findings:
            record = json.dumps(self._result(result, finding), ensure_ascii=False)
            self.out.write(("," if self.count else "") + "\n        " + record)
            self.count += 1

    def _result(self, result: ValidationResult, finding: Finding) -> dict[str, Any]:
        path = result.path or "<dataset>"
        where = finding.path or finding.keyword
        location: dict[str, Any] = {
            "physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(path)},
                "region": {"startLine": 1},
            }
        }
        instance = _INSTANCE.match(path)
        names = [f"[{instance['index']}]"] if instance is not None else []
        if where:
            names.append(where)
        if names:
            location["logicalLocations"] = [
                {"fullyQualifiedName": ".".join(names), "kind": "member"}
            ]
        tag = str(finding.tag) if finding.tag is not None else ""
        from dicomstd.validation.sources import display

        return {
            "ruleId": finding.code,
            "ruleIndex": _CODE_ORDER[finding.code],
            "level": _LEVEL[finding.severity],
            "message": {"text": finding.message},
            "locations": [location],
            "partialFingerprints": {
                "dicomstdFinding/v1": "|".join((display(path), finding.code, tag, where))
            },
            "properties": {
                "tag": tag,
                "keyword": finding.keyword,
                "module": finding.module,
                "reference": finding.reference,
                "iod": result.iod or "",
                "sopClassUID": result.sop_class_uid or "",
            },
        }

    def close(self, summary: Summary) -> None:
        invocation = {"executionSuccessful": True, "properties": {"summary": summary.as_json()}}
        body = json.dumps([invocation], indent=2).replace("\n", "\n      ")
        closing = "\n      " if self.count else ""
        self.out.write(f'{closing}],\n      "invocations": {body}\n    }}\n  ]\n}}\n')
        self.out.flush()
