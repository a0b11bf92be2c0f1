"""Findings and results typed for applications: codes, statuses and severities as Literal and
enum types, tags as Tag, JSON as TypedDicts (mypy-checked, not executed)."""

from __future__ import annotations

from dicomstd import Tag, tags
from dicomstd.validation import Severity, ValidationResult, validate_file
from dicomstd.validation.findings import Code, FindingJSON, ResultJSON, Status


def missing_type1(result: ValidationResult) -> list[Tag]:
    return [f.tag for f in result.findings if f.code == "type1-missing" and f.tag is not None]


def first_code(result: ValidationResult) -> Code | None:
    return result.findings[0].code if result.findings else None


result = validate_file("CT_small.dcm")
status: Status = result.status
record: ResultJSON = result.as_json()
findings: list[FindingJSON] = record["findings"]
errors = [f for f in result.findings if f.severity is Severity.ERROR]
has_name = any(f.tag == tags.PatientName for f in result.findings)
