"""Reports of validation results: text for people, JSON for tools.

JSON (``dicomstd validate --format json``)::

    {"files": [{"path", "sop_class_uid", "iod", "status",
                "findings": [{"severity", "code", "tag", "keyword", "path", "module",
                              "message", "reference"}]}],
     "summary": {"files", "ok", "warnings", "unchecked", "errors", "unreadable",
                 "findings": {"error": n, "warning": n, "notice": n}, "codes": {code: n}}}

``status`` is ``ok`` (checked against its IOD: no error, no warning), ``warnings``, ``unchecked``
(no IOD in this build to check it against), ``errors`` or ``unreadable``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from dicomstd.validation.findings import Severity, ValidationResult

__all__ = ["as_json", "summary", "text"]


def summary(results: Sequence[ValidationResult]) -> dict[str, Any]:
    statuses = Counter(r.status for r in results)
    severities = Counter(str(f.severity) for r in results for f in r.findings)
    codes = Counter(f.code for r in results for f in r.findings)
    return {
        "files": len(results),
        "ok": statuses.get("ok", 0),
        "warnings": statuses.get("warnings", 0),
        "unchecked": statuses.get("unchecked", 0),
        "errors": statuses.get("errors", 0),
        "unreadable": statuses.get("unreadable", 0),
        "findings": {s.value: severities.get(s.value, 0) for s in Severity},
        "codes": dict(sorted(codes.items())),
    }


def as_json(results: Sequence[ValidationResult]) -> str:
    document = {"files": [r.as_json() for r in results], "summary": summary(results)}
    return json.dumps(document, indent=2, ensure_ascii=False)


def _sop_class_name(uid: str | None) -> str:
    if not uid:
        return ""
    from dicomstd import uid as registry

    info = registry.get(uid)
    return f"{info.name} ({uid})" if info is not None else uid


def text(results: Sequence[ValidationResult], *, notices: bool = True) -> Iterable[str]:
    for result in results:
        counts = Counter(str(f.severity) for f in result.findings)
        parts = [
            f"{counts[s.value]} {s.value}{'s' if counts[s.value] != 1 else ''}"
            for s in Severity
            if counts[s.value]
        ]
        what = result.iod or _sop_class_name(result.sop_class_uid) or "IOD unknown"
        yield f"{result.path or '<dataset>'}: {what}: {result.status}" + (
            f" ({', '.join(parts)})" if parts else ""
        )
        for finding in result.findings:
            if finding.severity is Severity.NOTICE and not notices:
                continue
            where = " ".join(x for x in (finding.tag, finding.path or finding.keyword) if x)
            reference = f" [{finding.reference}]" if finding.reference else ""
            module = f" {finding.module}:" if finding.module else ""
            label = f"{finding.severity.value:<7} {finding.code:<26}"
            yield f"  {label} {where}{module} {finding.message}{reference}"
    total = summary(results)
    yield (
        f"{total['files']} file(s): {total['ok']} ok, {total['warnings']} with warnings, "
        + (f"{total['unchecked']} unchecked (no IOD in this build), " if total["unchecked"] else "")
        + f"{total['errors']} with errors, {total['unreadable']} unreadable"
    )
