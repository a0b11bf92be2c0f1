"""Validating DICOM data against the standard: ``validate``, ``validate_file``, ``validate_json``.

>>> result = validate_file("CT_small.dcm")          # doctest: +SKIP
>>> result.status, [f.code for f in result.errors]  # doctest: +SKIP
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from dicomstd.validation.findings import CODES, Finding, Severity, ValidationResult

if TYPE_CHECKING:
    from pydicom.dataset import Dataset

__all__ = [
    "CODES",
    "Finding",
    "Severity",
    "ValidationResult",
    "validate",
    "validate_file",
    "validate_json",
]


def validate(dataset: Dataset, *, iod: str | None = None) -> ValidationResult:
    """Validate a pydicom dataset against its IOD (chosen by SOP Class UID, or by ``iod``).

    ``iod`` is an IOD name (``"CT Image"``) or a SOP Class UID; an unknown one raises
    :class:`~dicomstd.errors.UnknownIODError`.
    """
    from dicomstd.validation.engine import validate_dataset

    return validate_dataset(dataset, iod=iod)


def validate_file(path: str | os.PathLike[str], *, iod: str | None = None) -> ValidationResult:
    """Read and validate one DICOM file. Bad input gives an ``unreadable`` result, never an
    exception (except an unknown ``iod`` argument)."""
    from dicomstd.validation.engine import validate_dataset
    from dicomstd.validation.readers import read_file

    dataset, findings = read_file(path)
    if dataset is None:
        return ValidationResult(tuple(findings), path=os.fspath(path))
    return validate_dataset(dataset, iod=iod, path=os.fspath(path), findings=findings)


def validate_json(
    document: str | bytes | dict[str, Any], *, iod: str | None = None
) -> ValidationResult:
    """Validate a DICOM JSON model object (PS3.18 annex F): a dict, or its JSON text."""
    from dicomstd.validation.engine import validate_dataset
    from dicomstd.validation.readers import read_json

    dataset, findings = read_json(document)
    if dataset is None:
        return ValidationResult(tuple(findings))
    return validate_dataset(dataset, iod=iod, explicit_vr=True, findings=findings)
