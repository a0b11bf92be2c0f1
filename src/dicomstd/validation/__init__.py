"""Validating DICOM data against the standard: ``validate``, ``validate_file``, ``validate_json``,
and ``validate_many`` for many files (in processes here, or on a Dask cluster).

>>> result = validate_file("CT_small.dcm")          # doctest: +SKIP
>>> result.status, [f.code for f in result.errors]  # doctest: +SKIP
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, overload

import attrs

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
    "validate_many",
]


def validate(dataset: Dataset, *, iod: str | None = None) -> ValidationResult:
    """Validate a pydicom dataset against its IOD (chosen by SOP Class UID, or by ``iod``).

    ``iod`` is an IOD name (``"CT Image"``) or a SOP Class UID; an unknown one raises
    :class:`~dicomstd.errors.UnknownIODError`.
    """
    from dicomstd.validation.engine import validate_dataset

    return _collector_off(lambda: validate_dataset(dataset, iod=iod))


def validate_file(path: str | os.PathLike[str], *, iod: str | None = None) -> ValidationResult:
    """Read and validate one DICOM file. Bad input gives an ``unreadable`` result, never an
    exception (except an unknown ``iod`` argument); an exception of the validator itself gives
    an ``internal-error`` result that names it."""
    return _collector_off(lambda: _validate_file(path, iod))


def _collector_off(run: Callable[[], ValidationResult]) -> ValidationResult:
    """``run()`` with Python's cyclic garbage collector off (unless it is off already).

    Reading and validating allocate thousands of objects that live as long as the data set
    (and an enhanced multi-frame data set holds thousands more): each run of the collector
    would walk all of them again (the time of a file of 1,000 frames grew with the square of
    its frames). What the run leaves behind is freed by reference counting when it returns,
    before the collector is on again; cycles left are collected later."""
    if not gc.isenabled():
        return run()
    gc.disable()
    try:
        return run()
    finally:
        gc.enable()


def _validate_file(path: str | os.PathLike[str], iod: str | None) -> ValidationResult:
    from dicomstd.errors import UnknownIODError
    from dicomstd.validation.engine import validate_dataset
    from dicomstd.validation.readers import read

    name = _path_text(path)
    try:
        reading = read(path)
        if reading.dataset is None:
            return ValidationResult(tuple(reading.findings), path=name)
        result = validate_dataset(reading.dataset, iod=iod, path=name, findings=reading.findings)
        return _unread_not_missing(result, reading.unread_from)
    except UnknownIODError:
        raise
    except Exception as error:  # a fault of the validator: one file's result
        return ValidationResult((_internal_error(error),), path=name)


def _internal_error(error: Exception) -> Finding:
    text = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
    message = f"validating raised {type(error).__name__}" + (f": {text}" if text else "")
    return Finding.of("internal-error", message)


_MISSING = frozenset({"type1-missing", "type2-missing", "type1c-missing", "type2c-missing"})


def _unread_not_missing(result: ValidationResult, unread_from: int | None) -> ValidationResult:
    """Without the findings that call top-level attributes missing which are only not read:
    from ``unread_from`` on (an element the encoding walk could not get past, or beyond a
    limit), the data set is not read, as a finding of the reading says."""
    if unread_from is None:
        return result
    kept = tuple(
        f
        for f in result.findings
        if not (
            f.code in _MISSING
            and f.tag is not None
            and f.tag >= unread_from
            and "." not in f.path
            and "[" not in f.path
        )
    )
    return attrs.evolve(result, findings=kept)


def _path_text(path: str | os.PathLike[str]) -> str:
    try:
        return os.fspath(path)
    except TypeError:
        return str(path)


@overload
def validate_json(document: Mapping[str, Any], *, iod: str | None = None) -> ValidationResult: ...
@overload
def validate_json(
    document: Sequence[Mapping[str, Any]], *, iod: str | None = None
) -> list[ValidationResult]: ...
@overload
def validate_json(
    document: str | bytes, *, iod: str | None = None
) -> ValidationResult | list[ValidationResult]: ...
def validate_json(
    document: str | bytes | Mapping[str, Any] | Sequence[Mapping[str, Any]],
    *,
    iod: str | None = None,
) -> ValidationResult | list[ValidationResult]:
    """Validate DICOM JSON (PS3.18 annex F): one object gives its result; an array of objects
    (a WADO-RS metadata response) gives one result per instance, in order. Text is parsed first:
    the text of an array gives a list, anything else one result (``unreadable`` when it is not
    a DICOM JSON object)."""
    import json

    data: object = document
    if isinstance(document, str | bytes):
        try:
            data = json.loads(document)
        except (ValueError, RecursionError):
            data = document  # the reader says what is wrong with it
    if isinstance(data, list):
        return [_json_instance(instance, iod) for instance in data]
    return _json_instance(data, iod)


def _json_instance(data: object, iod: str | None) -> ValidationResult:
    from dicomstd.errors import UnknownIODError
    from dicomstd.validation.engine import validate_dataset
    from dicomstd.validation.readers import read_json

    try:
        dataset, findings = read_json(data)  # type: ignore[arg-type]  # the reader checks it
        if dataset is None:
            return ValidationResult(tuple(findings))
        return validate_dataset(dataset, iod=iod, explicit_vr=True, findings=findings)
    except UnknownIODError:
        raise
    except Exception as error:  # a fault of the validator: one instance's result
        return ValidationResult((_internal_error(error),))


def validate_many(
    paths: Iterable[str | os.PathLike[str]],
    client: Any = None,
    *,
    iod: str | None = None,
    jobs: int | None = 1,
    follow_dicomdir: bool = False,
) -> Iterator[ValidationResult]:
    """Validate files and folders, one result per file in the order they are found, each as
    soon as it is done: in ``jobs`` processes here (None: as many as useful), or on a Dask
    cluster through ``client`` (a ``distributed.Client``; ``pip install 'dicomstd[dask]'``).
    Folders are walked recursively; files there that are not DICOM are skipped."""
    from dicomstd.validation.run import results
    from dicomstd.validation.sources import Walk

    walk = Walk([os.fspath(p) for p in paths], follow_dicomdir=follow_dicomdir)
    return results(walk, iod=iod, jobs=jobs, client=client)
