"""Findings of a validation and the result of one dataset.

Every finding has a stable ``code`` (listed in :data:`CODES` with its severity and meaning), the
tag and keyword it concerns, the path of the attribute in the dataset
(``SharedFunctionalGroupsSequence[0].PixelMeasuresSequence[0].PixelSpacing``), the module, a
message, and the reference in the standard (a PS3.3 table id, or a PS3.5/PS3.6 section).
"""

from __future__ import annotations

import enum
from collections import Counter
from typing import Literal, TypedDict, get_args

import attrs

from dicomstd.tag import Tag

__all__ = [
    "CODES",
    "STATUSES",
    "Code",
    "Finding",
    "FindingJSON",
    "ResultJSON",
    "Severity",
    "SeverityName",
    "Status",
    "ValidationResult",
]


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.NOTICE: 0, Severity.WARNING: 1, Severity.ERROR: 2}

SeverityName = Literal["error", "warning", "notice"]
"""A :class:`Severity` as JSON writes it."""

Code = Literal[
    "unreadable",
    "truncated",
    "encoding-invalid",
    "file-meta-missing",
    "file-meta-mismatch",
    "sop-class-missing",
    "sop-class-unknown",
    "iod-not-available",
    "module-missing",
    "type1-missing",
    "type1-empty",
    "type2-missing",
    "type1c-missing",
    "type1c-empty",
    "type2c-missing",
    "condition-not-met-present",
    "functional-group-missing",
    "functional-group-in-both",
    "functional-group-shared",
    "frame-count-mismatch",
    "vm-mismatch",
    "item-count",
    "vr-mismatch",
    "vr-un",
    "value-invalid",
    "uid-reused",
    "pixel-data-length",
    "pixel-encoding",
    "evidence-reference",
    "enum-value",
    "defined-term",
    "retired",
    "group-length",
    "unknown-element",
    "private-creator-missing",
    "private-creator-empty",
    "private-creator-duplicate",
    "private-reserved",
    "not-in-iod",
    "nesting-too-deep",
    "unverifiable-condition",
    "unverifiable-include",
    "internal-error",
    "worker-died",
    "limit-exceeded",
    "findings-left-out",
]
"""Every finding code: the keys of :data:`CODES`, as a type (a misspelt code is a mypy error)."""

CODES: dict[Code, tuple[Severity, str]] = {
    "unreadable": (Severity.ERROR, "the file or object cannot be read as DICOM"),
    "truncated": (Severity.ERROR, "the file ends inside an element's value"),
    "encoding-invalid": (
        Severity.ERROR,
        "the bytes break the encoding of the transfer syntax (PS3.5 7): an unknown VR code, an "
        "implicit VR in an explicit VR transfer syntax, an item or delimiter outside a sequence",
    ),
    "file-meta-missing": (Severity.ERROR, "a DICOM file without File Meta Information (PS3.10)"),
    "file-meta-mismatch": (Severity.ERROR, "File Meta Information disagrees with the dataset"),
    "sop-class-missing": (Severity.ERROR, "no SOP Class UID (0008,0016): the IOD is unknown"),
    "sop-class-unknown": (Severity.ERROR, "the SOP Class UID names no IOD of the standard"),
    "iod-not-available": (
        Severity.NOTICE,
        "the SOP Class is known but its IOD is not in this build: the file is unchecked",
    ),
    "module-missing": (
        Severity.ERROR,
        "a required module (M, or C whose condition holds) has none of its attributes and a "
        "requirement of it is unmet (each unmet requirement is reported too)",
    ),
    "type1-missing": (Severity.ERROR, "a Type 1 attribute is absent"),
    "type1-empty": (Severity.ERROR, "a Type 1 attribute is present without a value"),
    "type2-missing": (Severity.ERROR, "a Type 2 attribute is absent"),
    "type1c-missing": (
        Severity.ERROR,
        "a Type 1C attribute is absent although its condition holds",
    ),
    "type1c-empty": (Severity.ERROR, "a Type 1C attribute whose condition holds has no value"),
    "type2c-missing": (
        Severity.ERROR,
        "a Type 2C attribute is absent although its condition holds",
    ),
    "condition-not-met-present": (
        Severity.ERROR,
        "a 1C/2C attribute is present although its condition does not hold (PS3.5 7.4.2, 7.4.4)",
    ),
    "functional-group-missing": (
        Severity.ERROR,
        "a required functional group is in neither the shared nor the frame's per-frame item",
    ),
    "functional-group-in-both": (
        Severity.ERROR,
        "a functional group is both shared and per-frame (PS3.3 C.7.6.16.1.1)",
    ),
    "functional-group-shared": (
        Severity.ERROR,
        "a functional group the IOD does not allow to be shared is in the shared item",
    ),
    "frame-count-mismatch": (
        Severity.ERROR,
        "the Per-frame Functional Groups Sequence does not have one Item per frame "
        "(PS3.3 C.7.6.16)",
    ),
    "vm-mismatch": (Severity.ERROR, "the number of values is not one the VM allows"),
    "item-count": (
        Severity.ERROR,
        'a sequence has more or fewer Items than its description allows ("Only a single Item '
        'shall be included in this Sequence")',
    ),
    "vr-mismatch": (Severity.ERROR, "the explicit VR is not one the dictionary gives for the tag"),
    "vr-un": (
        Severity.WARNING,
        "a data element the dictionary knows is encoded with VR UN; it is checked as its own VR "
        "(PS3.5 6.2.2)",
    ),
    "value-invalid": (Severity.ERROR, "a value breaks the rules of its VR (PS3.5 6.2)"),
    "uid-reused": (
        Severity.ERROR,
        "one UID identifies two items, such as the study and its Frame of Reference (PS3.5 9)",
    ),
    "pixel-data-length": (
        Severity.ERROR,
        "native Pixel Data longer or shorter than its frames and the padding to even length "
        "(PS3.5 8.1.1)",
    ),
    "pixel-encoding": (
        Severity.ERROR,
        "Photometric Interpretation, Samples per Pixel, Planar Configuration, Pixel "
        "Representation or Bits Allocated/Stored/High Bit not among the values a PS3.5 8.2 table "
        "allows for the transfer syntax",
    ),
    "evidence-reference": (
        Severity.ERROR,
        "an instance the SR content tree references is in neither evidence sequence (Current "
        "Requested Procedure, Pertinent Other), or one instance is in both (PS3.3 C.17.2.3)",
    ),
    "enum-value": (Severity.ERROR, "a value is not one of the attribute's Enumerated Values"),
    "defined-term": (Severity.WARNING, "a value is not one of the attribute's Defined Terms"),
    "retired": (Severity.WARNING, "a retired attribute is present"),
    "group-length": (
        Severity.WARNING,
        "a Group Length element (gggg,0000) outside group 0002: retired (PS3.5 7.2)",
    ),
    "unknown-element": (
        Severity.WARNING,
        "a tag of an even group that the data dictionary of this build does not know",
    ),
    "private-creator-missing": (
        Severity.ERROR,
        "a private element whose block has no Private Creator in its data set (PS3.5 7.8.1)",
    ),
    "private-creator-empty": (
        Severity.ERROR,
        "a Private Creator element (gggg,0010-00FF) without a value; it is Type 1 (PS3.5 7.8.1)",
    ),
    "private-creator-duplicate": (
        Severity.ERROR,
        "the same Private Creator reserves two blocks of one group (PS3.5 7.8.1)",
    ),
    "private-reserved": (
        Severity.ERROR,
        "an element in a range PS3.5 7.8.1 does not allow: (gggg,0001-000F), (gggg,0100-0FFF) "
        "of an odd group, or the groups 0001, 0003, 0005, 0007, FFFF",
    ),
    "not-in-iod": (
        Severity.WARNING,
        "a standard attribute that no module of the IOD (or item) defines",
    ),
    "nesting-too-deep": (
        Severity.WARNING,
        "sequences nested deeper than the validator walks (64 levels); the rest is not checked",
    ),
    "unverifiable-condition": (
        Severity.NOTICE,
        "a condition the validator cannot evaluate; the requirement is not checked",
    ),
    "unverifiable-include": (
        Severity.NOTICE,
        "requirements of a table missing from this build (or recursive) are not checked",
    ),
    "internal-error": (
        Severity.ERROR,
        "validating the file raised an exception (a fault of dicomstd); the file is not checked",
    ),
    "worker-died": (
        Severity.ERROR,
        "the process validating the file ended before giving a result (killed, e.g. when out of "
        "memory); the file is not checked",
    ),
    "limit-exceeded": (
        Severity.WARNING,
        "the file goes beyond a resource limit of the validator (elements, nesting depth, "
        "inflated size, bytes of a value); what lies beyond is not checked",
    ),
    "findings-left-out": (
        Severity.WARNING,
        "more findings than a file keeps; says how many were left out, by code, and has the "
        "severity of the worst of them",
    ),
}
if set(CODES) != set(get_args(Code)):  # the Literal and the table name the same codes
    raise ImportError(f"Code and CODES differ: {sorted(set(CODES) ^ set(get_args(Code)))}")

Status = Literal["unreadable", "errors", "unchecked", "warnings", "ok"]
"""The status of one result, worst first (see :attr:`ValidationResult.status`)."""

STATUSES: tuple[Status, ...] = get_args(Status)


class FindingJSON(TypedDict):
    """One finding as JSON reports write it."""

    severity: SeverityName
    code: Code
    tag: str
    keyword: str
    path: str
    module: str
    message: str
    reference: str


class ResultJSON(TypedDict):
    """One result as JSON reports write it."""

    path: str | None
    sop_class_uid: str | None
    iod: str | None
    status: Status
    findings: list[FindingJSON]


def _tag(value: Tag | int | str | None) -> Tag | None:
    """The tag of a finding: a :class:`Tag`, or None (also from "") when there is none."""
    if value is None or value == "":
        return None
    return Tag(value)


@attrs.frozen(slots=True)
class Finding:
    severity: Severity
    code: Code
    tag: Tag | None = attrs.field(converter=_tag)
    """The attribute's tag (a :class:`Tag`; also given as an int or ``"(gggg,eeee)"``), None
    when the finding is not about one attribute."""
    keyword: str
    path: str
    module: str
    message: str
    reference: str
    """Where the requirement is stated: a PS3.3 table id (``table_C.7-1``) or a section."""

    @classmethod
    def of(
        cls,
        code: Code,
        message: str,
        *,
        tag: Tag | int | str | None = None,
        keyword: str = "",
        path: str = "",
        module: str = "",
        reference: str = "",
    ) -> Finding:
        """A finding with the severity :data:`CODES` gives its code."""
        return cls(CODES[code][0], code, tag, keyword, path, module, message, reference)

    @property
    def tag_text(self) -> str:
        """The tag as ``(gggg,eeee)``, empty when the finding is not about one attribute."""
        return str(self.tag) if self.tag is not None else ""

    def as_json(self) -> FindingJSON:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "tag": self.tag_text,
            "keyword": self.keyword,
            "path": self.path,
            "module": self.module,
            "message": self.message,
            "reference": self.reference,
        }


@attrs.frozen(slots=True)
class ValidationResult:
    findings: tuple[Finding, ...]
    sop_class_uid: str | None = None
    iod: str | None = None
    path: str | None = None

    @property
    def checked(self) -> bool:
        """Whether the data set was checked against an IOD: False when no IOD applied (the SOP
        Class is unknown, missing, or its IOD is not in this build) or the file is unreadable."""
        return self.iod is not None

    @property
    def status(self) -> Status:
        """One of :data:`STATUSES`, the first that applies: ``unreadable``, ``errors``,
        ``unchecked`` (no IOD was checked), ``warnings``, ``ok``. So ``ok`` means checked."""
        if any(f.code == "unreadable" for f in self.findings):
            return "unreadable"
        worst = max((f.severity.rank for f in self.findings), default=-1)
        if worst >= Severity.ERROR.rank:
            return "errors"
        if not self.checked:
            return "unchecked"
        if worst >= Severity.WARNING.rank:
            return "warnings"
        return "ok"

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    def codes(self) -> Counter[Code]:
        return Counter(f.code for f in self.findings)

    def reaches(self, threshold: Severity) -> bool:
        return any(f.severity.rank >= threshold.rank for f in self.findings)

    def as_json(self) -> ResultJSON:
        return {
            "path": self.path,
            "sop_class_uid": self.sop_class_uid,
            "iod": self.iod,
            "status": self.status,
            "findings": [f.as_json() for f in self.findings],
        }
