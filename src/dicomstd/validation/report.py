"""Reports of validation results, written one file at a time as results arrive.

Formats: ``text`` for people; ``json`` (one document), ``jsonl`` (one line per file, then a
summary line), ``sarif`` (SARIF 2.1.0, :mod:`dicomstd.validation.sarif`) and ``junit`` (JUnit
XML, :mod:`dicomstd.validation.junit`) for tools. Every writer keeps only the running
:class:`Summary`, so memory does not grow with the number of files.

JSON (``dicomstd validate --format json``; its JSON Schema is :func:`json_schema`)::

    {"files": [{"path", "sop_class_uid", "iod", "status",
                "findings": [{"severity", "code", "tag", "keyword", "path", "module",
                              "message", "reference"}]}],
     "summary": {"files", "unreadable", "errors", "unchecked", "warnings", "ok", "skipped",
                 "findings": {"error": n, "warning": n, "notice": n}, "codes": {code: n}}}

``status`` is ``ok`` (checked against its IOD: no error, no warning), ``warnings``, ``unchecked``
(no IOD in this build to check it against), ``errors`` or ``unreadable``.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import IO, Any, Protocol, get_args

import attrs

from dicomstd.validation.findings import (
    CODES,
    STATUSES,
    Code,
    Finding,
    FindingJSON,
    ResultJSON,
    Severity,
    SeverityName,
    Status,
    ValidationResult,
)
from dicomstd.validation.sources import display

__all__ = [
    "FORMATS",
    "Summary",
    "Writer",
    "as_json",
    "finding_line",
    "json_schema",
    "printable",
    "result_json",
    "text",
    "writer",
]


# -- the summary of a run ---------------------------------------------------------------------
@attrs.define
class Summary:
    """Counts of a run, kept as results arrive: files by status, findings by severity and code,
    files skipped because they are not DICOM."""

    files: int = 0
    skipped: int = 0
    statuses: Counter[Status] = attrs.field(factory=Counter)
    severities: Counter[SeverityName] = attrs.field(factory=Counter)
    codes: Counter[Code] = attrs.field(factory=Counter)

    def add(self, result: ValidationResult) -> None:
        self.files += 1
        self.statuses[result.status] += 1
        for finding in result.findings:
            self.severities[finding.severity.value] += 1
            self.codes[finding.code] += 1

    def as_json(self) -> dict[str, Any]:
        return {
            "files": self.files,
            **{status: self.statuses[status] for status in STATUSES},
            "skipped": self.skipped,
            "findings": {name: self.severities[name] for name in get_args(SeverityName)},
            "codes": dict(sorted(self.codes.items())),
        }

    def line(self) -> str:
        """The closing line of the text report."""
        labels = {
            "warnings": "with warnings",
            "errors": "with errors",
            "unchecked": "unchecked (no IOD in this build)",
        }
        shown = [s for s in reversed(STATUSES) if s != "unchecked" or self.statuses[s]]
        counts = ", ".join(f"{self.statuses[s]} {labels.get(s, s)}" for s in shown)
        skipped = f"; {self.skipped} skipped (not DICOM)" if self.skipped else ""
        return f"{self.files} file(s): {counts}{skipped}"


def result_json(result: ValidationResult) -> ResultJSON:
    """One result as the JSON formats write it (paths that are not UTF-8 shown escaped)."""
    record = result.as_json()
    if result.path is not None:
        record["path"] = display(result.path)
    return record


# -- writers --------------------------------------------------------------------------------------
class Writer(Protocol):
    """Writes a report as results arrive: :meth:`add` per result, :meth:`close` at the end."""

    def add(self, result: ValidationResult) -> None: ...

    def close(self, summary: Summary) -> None: ...


class TextWriter:
    """One block per file (its status line, then one line per finding), printed as soon as the
    file is done; every control character of names and values is escaped."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def add(self, result: ValidationResult) -> None:
        self.out.write("\n".join(_text_block(result)) + "\n")
        self.out.flush()

    def close(self, summary: Summary) -> None:
        self.out.write(summary.line() + "\n")
        self.out.flush()


class JsonWriter:
    """One JSON document, written file by file."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.count = 0
        self.out.write('{\n  "files": [')

    def add(self, result: ValidationResult) -> None:
        record = json.dumps(result_json(result), indent=2, ensure_ascii=False)
        self.out.write(("," if self.count else "") + "\n    " + record.replace("\n", "\n    "))
        self.count += 1

    def close(self, summary: Summary) -> None:
        body = json.dumps(summary.as_json(), indent=2, ensure_ascii=False).replace("\n", "\n  ")
        self.out.write(("\n  " if self.count else "") + '],\n  "summary": ' + body + "\n}\n")
        self.out.flush()


class JsonLinesWriter:
    """JSON Lines: one object per file as soon as it is done, then ``{"summary": {...}}``."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def add(self, result: ValidationResult) -> None:
        self.out.write(json.dumps(result_json(result), ensure_ascii=False) + "\n")
        self.out.flush()

    def close(self, summary: Summary) -> None:
        self.out.write(json.dumps({"summary": summary.as_json()}, ensure_ascii=False) + "\n")
        self.out.flush()


def _sarif(out: IO[str], **options: Any) -> Writer:
    from dicomstd.validation.sarif import SarifWriter

    return SarifWriter(out, **options)


def _junit(out: IO[str], **options: Any) -> Writer:
    from dicomstd.validation.junit import JUnitWriter

    return JUnitWriter(out, **options)


FORMATS: dict[str, Callable[..., Writer]] = {
    "text": lambda out, **_: TextWriter(out),
    "json": lambda out, **_: JsonWriter(out),
    "jsonl": lambda out, **_: JsonLinesWriter(out),
    "sarif": _sarif,
    "junit": _junit,
}
"""Every report format by its ``--format`` name."""


def writer(name: str, out: IO[str], **options: Any) -> Writer:
    """The writer of format ``name`` (a key of :data:`FORMATS`) on ``out``; ``options`` are
    what a format may use (``fails``: which results count as failed, for JUnit)."""
    return FORMATS[name](out, **options)


def write(name: str, results: Iterable[ValidationResult], out: IO[str], **options: Any) -> Summary:
    """Write every result in format ``name``, then the summary; return the summary."""
    summary = Summary()
    report = writer(name, out, **options)
    for result in results:
        summary.add(result)
        report.add(result)
    report.close(summary)
    return summary


def as_json(results: Iterable[ValidationResult]) -> str:
    """The JSON report of ``results`` as one string."""
    out = io.StringIO()
    write("json", results, out)
    return out.getvalue()


def text(results: Iterable[ValidationResult]) -> str:
    """The text report of ``results`` as one string."""
    out = io.StringIO()
    write("text", results, out)
    return out.getvalue()


# -- text -----------------------------------------------------------------------------------------
# C0 and C1 controls, DEL, and the bidirectional controls that reorder what a terminal shows.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every control character escaped (``\\x1b``, ``\\r``, ``\\u202e``): file
    names and values cannot clear a terminal or forge a report line."""
    text = display(text)
    return _CONTROL.sub(lambda m: _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
        f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    )


def _sop_class_name(uid: str | None) -> str:
    if not uid:
        return ""
    from dicomstd import uid as registry

    info = registry.get(uid)
    return f"{info.name} ({uid})" if info is not None else uid


def _text_block(result: ValidationResult) -> Iterable[str]:
    counts = Counter(f.severity for f in result.findings)
    parts = [f"{counts[s]} {s.value}{'s' if counts[s] != 1 else ''}" for s in Severity if counts[s]]
    what = result.iod or _sop_class_name(result.sop_class_uid) or "IOD unknown"
    yield printable(f"{result.path or '<dataset>'}: {what}: {result.status}") + (
        f" ({', '.join(parts)})" if parts else ""
    )
    for finding in result.findings:
        yield "  " + finding_line(finding)


def finding_line(finding: Finding) -> str:
    """One finding on one line: severity, code, tag and path, module, message, reference."""
    tag = str(finding.tag) if finding.tag is not None else ""
    where = " ".join(x for x in (tag, finding.path or finding.keyword) if x)
    reference = f" [{finding.reference}]" if finding.reference else ""
    module = f" {finding.module}:" if finding.module else ""
    label = f"{finding.severity.value:<7} {finding.code:<26}"
    return printable(f"{label} {where}{module} {finding.message}{reference}")


# -- the JSON Schema ------------------------------------------------------------------------------
def json_schema(lines: bool = False) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the ``json`` report, or with ``lines`` of one line of
    the ``jsonl`` report. Codes, statuses and severities come from :data:`CODES` and
    :class:`ValidationResult`, so the schema always names those of this version."""
    text_field: dict[str, Any] = {"type": "string"}
    finding = {
        "type": "object",
        "additionalProperties": False,
        "required": list(FindingJSON.__annotations__),
        "properties": {
            "severity": {"enum": list(get_args(SeverityName))},
            "code": {"enum": sorted(CODES)},
            "tag": {"type": "string", "pattern": r"^(\([0-9A-F]{4},[0-9A-F]{4}\))?$"},
            "keyword": text_field,
            "path": text_field,
            "module": text_field,
            "message": text_field,
            "reference": text_field,
        },
    }
    file = {
        "type": "object",
        "additionalProperties": False,
        "required": list(ResultJSON.__annotations__),
        "properties": {
            "path": {"type": ["string", "null"]},
            "sop_class_uid": {"type": ["string", "null"]},
            "iod": {"type": ["string", "null"]},
            "status": {"enum": list(STATUSES)},
            "findings": {"type": "array", "items": {"$ref": "#/$defs/finding"}},
        },
    }
    count: dict[str, Any] = {"type": "integer", "minimum": 0}
    summary: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["files", *STATUSES, "skipped", "findings", "codes"],
        "properties": {
            "files": count,
            **{status: count for status in STATUSES},
            "skipped": count,
            "findings": {
                "type": "object",
                "additionalProperties": False,
                "required": list(get_args(SeverityName)),
                "properties": {name: count for name in get_args(SeverityName)},
            },
            "codes": {
                "type": "object",
                "propertyNames": {"enum": sorted(CODES)},
                "additionalProperties": count,
            },
        },
    }
    defs = {"finding": finding, "file": file, "summary": summary}
    header = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$defs": defs,
    }
    if lines:
        return {
            **header,
            "title": "dicomstd validate --format jsonl: one line",
            "oneOf": [
                {"$ref": "#/$defs/file"},
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["summary"],
                    "properties": {"summary": {"$ref": "#/$defs/summary"}},
                },
            ],
        }
    return {
        **header,
        "title": "dicomstd validate --format json",
        "type": "object",
        "additionalProperties": False,
        "required": ["files", "summary"],
        "properties": {
            "files": {"type": "array", "items": {"$ref": "#/$defs/file"}},
            "summary": {"$ref": "#/$defs/summary"},
        },
    }
