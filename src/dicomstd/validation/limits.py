"""The resource limits of validation: what one file may cost, whatever its bytes say.

A file crafted (or damaged) to be expensive — a 4 GB Pixel Data, a million sequence items, a
deflated data set that inflates a thousandfold, sequences nested thousands deep, a fault on
every element — costs at most these, and says so in a ``limit-exceeded`` (or, for findings,
``findings-left-out``) finding. Each limit is read from an environment variable when a file is
validated, so a run can raise it: ``DICOMSTD_MAX_FINDINGS=10000 dicomstd validate big.dcm``.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from typing import Final

import attrs
from mypy_extensions import mypyc_attr

from dicomstd.validation.findings import CODES, Code, Finding, Severity

__all__ = ["ENVIRONMENT", "CappedFindings", "Limits", "limit", "limits"]

MIB: Final = 1024 * 1024


@mypyc_attr(native_class=False)
@attrs.frozen(slots=True)
class Limits:
    findings: int = 1000
    """Findings kept per file; the rest are counted in one ``findings-left-out`` finding."""
    value_bytes: int = 4 * MIB
    """Bytes read for one value; a longer value stays on disk (Pixel Data always does)."""
    depth: int = 64
    """Sequences nested deeper than this are not read."""
    elements: int = 150_000
    """Data elements and items read from one file (at every depth); the rest are not read."""
    inflated_bytes: int = 256 * MIB
    """Bytes a deflated data set (Deflated Explicit VR Little Endian) may inflate to."""


ENVIRONMENT: Final[dict[str, str]] = {
    "findings": "DICOMSTD_MAX_FINDINGS",
    "value_bytes": "DICOMSTD_MAX_VALUE_BYTES",
    "depth": "DICOMSTD_MAX_DEPTH",
    "elements": "DICOMSTD_MAX_ELEMENTS",
    "inflated_bytes": "DICOMSTD_MAX_INFLATED_BYTES",
}
"""The environment variable that overrides each limit (a positive whole number)."""


def limits() -> Limits:
    """The limits in force: the defaults, overridden by the environment variables that are set
    to a positive whole number (others are ignored)."""
    given: dict[str, int] = {}
    for name in ENVIRONMENT:
        number = _given(name)
        if number is not None:
            given[name] = number
    return Limits(**given)


_DEFAULTS: Final = Limits()


def limit(name: str) -> int:
    """One limit in force (``limits()`` reads every variable; a validation needs one)."""
    number = _given(name)
    return getattr(_DEFAULTS, name) if number is None else number


def _given(name: str) -> int | None:
    text = os.environ.get(ENVIRONMENT[name], "").strip().replace("_", "")
    return int(text) if text.isdigit() and int(text) > 0 else None


@mypyc_attr(native_class=False)
class CappedFindings(list[Finding]):
    """A list of findings that keeps the first ``cap`` and counts the rest by code, so that a
    file with a fault on every element costs neither memory nor a huge report."""

    __slots__ = ("cap", "counted", "dropped", "worst")

    def __init__(self, cap: int | None = None) -> None:
        super().__init__()
        self.cap = limit("findings") if cap is None else cap
        # Plain dicts: every validation makes two, and a Counter takes 9 times as long to make.
        self.dropped: dict[str, int] = {}  # findings appended past the cap, by code
        self.counted: dict[Code, int] = {}  # findings not made (left_out), by code
        self.worst = Severity.NOTICE  # of the findings dropped

    def append(self, finding: Finding) -> None:
        if len(self) < self.cap:
            super().append(finding)
        else:
            dropped = self.dropped
            dropped[finding.code] = dropped.get(finding.code, 0) + 1
            if finding.severity.rank > self.worst.rank:
                self.worst = finding.severity

    def left_out(self, code: Code) -> bool:
        """Whether a finding of ``code`` (of the severity :data:`CODES` gives it) would only be
        counted, the cap being reached; it is then counted, as :meth:`append` counts it, so
        that the finding need not be made (its severity is taken into account when the
        findings are closed)."""
        if len(self) < self.cap:
            return False
        counted = self.counted
        counted[code] = counted.get(code, 0) + 1
        return True

    def extend(self, findings: Iterable[Finding]) -> None:
        for finding in findings:
            self.append(finding)

    def closed(self) -> tuple[Finding, ...]:
        """The findings kept, and one ``findings-left-out`` finding when some were not."""
        if not self.dropped and not self.counted:
            return tuple(self)
        dropped = Counter(self.dropped)
        dropped.update(self.counted)
        worst = max((self.worst, *(CODES[code][0] for code in self.counted)), key=_rank)
        total = sum(dropped.values())
        codes = ", ".join(f"{count} {code}" for code, count in sorted(dropped.items()))
        message = (
            f"{total} more findings are left out ({codes}): a file keeps at most {self.cap} "
            f"findings; set {ENVIRONMENT['findings']} to keep more"
        )
        left_out = attrs.evolve(Finding.of("findings-left-out", message), severity=worst)
        return (*self, left_out)


def _rank(severity: Severity) -> int:
    return severity.rank
