"""JUnit XML reports: one test case per file, for CI systems that show test results.

A file whose result fails the run (``--fail-on``) is a ``<failure>`` — an ``<error>`` when it could
not be validated at all (status ``unreadable``); its findings are the failure's text. Other files
pass, their findings (if any) in ``<system-out>``. The suite's counts come first in the XML but
are known only at the end, so test cases are kept in a temporary file (spilled to disk when
large) until the report closes: memory stays flat. The XML is written by the standard library's
streaming writer (``xml.sax.saxutils.XMLGenerator``); every control character is escaped, as XML
1.0 cannot carry most of them.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any, cast
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesImpl

from dicomstd.validation.findings import Severity, ValidationResult

if TYPE_CHECKING:
    from dicomstd.validation.report import Summary

__all__ = ["JUnitWriter"]

SUITE = "dicomstd validate"
_SPILL = 4 * 1024 * 1024


def _reaches_error(result: ValidationResult) -> bool:
    return result.reaches(Severity.ERROR)


class JUnitWriter:
    def __init__(
        self,
        out: IO[str],
        fails: Callable[[ValidationResult], bool] = _reaches_error,
        **_: Any,
    ) -> None:
        self.out = out
        self.fails = fails
        self.cases = tempfile.SpooledTemporaryFile(_SPILL, mode="w+b")  # noqa: SIM115 - closed in close()
        self.xml = XMLGenerator(self.cases, encoding="utf-8", short_empty_elements=True)
        self.failures = 0
        self.errors = 0

    def add(self, result: ValidationResult) -> None:
        from dicomstd.validation.report import finding_line, printable

        path = printable(result.path or "<dataset>")
        lines = [finding_line(f) for f in result.findings]
        self.xml.ignorableWhitespace("\n    ")
        self.xml.startElement(
            "testcase", _attributes(classname="dicomstd", name=path, file=path, time="0")
        )
        if self.fails(result):
            kind = "error" if result.status == "unreadable" else "failure"
            if kind == "error":
                self.errors += 1
            else:
                self.failures += 1
            what = result.iod or result.sop_class_uid or "IOD unknown"
            message = printable(f"{what}: {result.status} ({len(result.findings)} findings)")
            self.xml.startElement(kind, _attributes(message=message, type=result.status))
            self.xml.characters("\n".join(lines))
            self.xml.endElement(kind)
        elif lines:
            self.xml.startElement("system-out", _attributes())
            self.xml.characters("\n".join(lines))
            self.xml.endElement("system-out")
        self.xml.endElement("testcase")

    def close(self, summary: Summary) -> None:
        counts = {
            "tests": str(summary.files),
            "failures": str(self.failures),
            "errors": str(self.errors),
            "skipped": "0",
        }
        head = XMLGenerator(cast(io.TextIOBase, self.out), "utf-8")
        head.startDocument()
        head.startElement("testsuites", _attributes(name=SUITE, **counts))
        head.ignorableWhitespace("\n  ")
        head.startElement("testsuite", _attributes(name=SUITE, **counts))
        self.cases.seek(0)
        with io.TextIOWrapper(self.cases, encoding="utf-8") as cases:
            shutil.copyfileobj(cases, self.out)
        head.ignorableWhitespace("\n  ")
        head.endElement("testsuite")
        head.ignorableWhitespace("\n")
        head.endElement("testsuites")
        head.ignorableWhitespace("\n")
        self.out.flush()


def _attributes(**values: str) -> AttributesImpl[str]:
    return AttributesImpl(values)
