"""Reading what is to be validated: DICOM files and DICOM JSON (PS3.18 annex F).

Readers never raise for bad input: a file that cannot be read gives no dataset and an
``unreadable`` finding that says why; a readable file without File Meta Information gives the
dataset and a ``file-meta-missing`` finding.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dicomstd.tag import tag_text
from dicomstd.validation.findings import Finding
from dicomstd.vr import bare_text

if TYPE_CHECKING:
    from pydicom.dataset import Dataset

__all__ = ["read_file", "read_json"]

# Values longer than this stay on disk until a check needs them (Pixel Data never does).
DEFER_SIZE = 64 * 1024


def _finding(
    code: str, message: str, *, tag: str = "", keyword: str = "", reference: str = ""
) -> Finding:
    return Finding.of(code, message, tag=tag, keyword=keyword, path=keyword, reference=reference)


def read_file(path: str | os.PathLike[str]) -> tuple[Dataset | None, list[Finding]]:
    """Read one file; (None, [unreadable]) when it is not DICOM or cannot be read."""
    from pydicom import dcmread
    from pydicom.errors import InvalidDicomError

    location = Path(path)
    try:
        size = location.stat().st_size
    except OSError as error:
        return None, [_finding("unreadable", f"cannot open: {error.strerror or error}")]
    if location.is_dir():
        return None, [_finding("unreadable", "a directory, not a file")]
    if size == 0:
        return None, [_finding("unreadable", "empty file (0 bytes)")]
    findings: list[Finding] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            dataset = dcmread(location, defer_size=DEFER_SIZE)
        except InvalidDicomError:
            try:
                dataset = dcmread(location, defer_size=DEFER_SIZE, force=True)
            except Exception as error:  # any parser failure means unreadable
                return None, [_finding("unreadable", f"not a DICOM file: {_reason(error)}")]
            if not _looks_like_dicom(dataset):
                return None, [
                    _finding(
                        "unreadable",
                        "not a DICOM file (no preamble, no DICM "
                        "prefix, and no data elements could be read)",
                    )
                ]
        except Exception as error:
            return None, [_finding("unreadable", f"cannot read as DICOM: {_reason(error)}")]
    findings.extend(_file_meta(dataset))
    findings.extend(_truncation(dataset, size))
    return dataset, findings


def _truncation(dataset: Dataset, size: int) -> list[Finding]:
    """An element whose value the file's end cuts short (pydicom reads long values lazily)."""
    for tag in dataset.keys():  # noqa: SIM118 - a Dataset iterates elements, not tags
        element = dataset.get_item(tag)
        tell = getattr(element, "value_tell", None)
        length = getattr(element, "length", None)
        if not isinstance(tell, int) or not isinstance(length, int) or length == 0xFFFFFFFF:
            continue
        if tell + length > size:
            from dicomstd import dictionary

            entry = dictionary.get(int(tag))
            keyword = entry.keyword if entry is not None else ""
            text = tag_text(int(tag))
            return [
                _finding(
                    "truncated",
                    f"the file ends {tell + length - size} bytes before the "
                    f"end of the value of {text}",
                    tag=text,
                    keyword=keyword,
                )
            ]
    return []


def _reason(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:200]


def _looks_like_dicom(dataset: Dataset) -> bool:
    try:
        tags = [int(t) for t in dataset.keys()]  # noqa: SIM118 - see _truncation
    except Exception:
        return False
    return (
        bool(tags)
        and all(0x00020000 <= t <= 0xFFFEE0DD for t in tags)
        and any(t >> 16 == 0x0008 for t in tags)
    )


def _file_meta(dataset: Dataset) -> list[Finding]:
    meta = getattr(dataset, "file_meta", None)
    if meta is None or len(meta) == 0:
        return [
            _finding(
                "file-meta-missing",
                "the file has no File Meta Information (group 0002): "
                'a DICOM file starts with a 128-byte preamble, "DICM" and group 0002 '
                "(PS3.10 7.1)",
                reference="PS3.10 7.1",
            )
        ]
    out: list[Finding] = []
    for tag, keyword in (
        (0x00020002, "MediaStorageSOPClassUID"),
        (0x00020003, "MediaStorageSOPInstanceUID"),
        (0x00020010, "TransferSyntaxUID"),
    ):
        if tag not in meta:
            out.append(
                _finding(
                    "file-meta-missing",
                    f"File Meta Information lacks {keyword}",
                    tag=tag_text(tag),
                    keyword=keyword,
                    reference="PS3.10 7.1",
                )
            )
    pairs = (
        (0x00020002, 0x00080016, "MediaStorageSOPClassUID", "SOP Class UID"),
        (0x00020003, 0x00080018, "MediaStorageSOPInstanceUID", "SOP Instance UID"),
    )
    for meta_tag, tag, keyword, name in pairs:
        if meta_tag in meta and tag in dataset:
            ours = bare_text(meta[meta_tag].value)
            theirs = bare_text(dataset.get_item(tag).value)
            if ours != theirs:
                out.append(
                    _finding(
                        "file-meta-mismatch",
                        f"{keyword} {ours!r} differs from the {name} {theirs!r} of the data set",
                        tag=tag_text(meta_tag),
                        keyword=keyword,
                        reference="PS3.10 7.1",
                    )
                )
    return out


def read_json(document: str | bytes | dict[str, Any]) -> tuple[Dataset | None, list[Finding]]:
    """Read a DICOM JSON model object (PS3.18 F.2); (None, [unreadable]) when it is not one."""
    from pydicom.dataset import Dataset

    try:
        data = json.loads(document) if isinstance(document, str | bytes) else document
        if isinstance(data, list):
            if len(data) != 1:
                return None, [
                    _finding(
                        "unreadable",
                        f"a JSON array of {len(data)} objects; "
                        "validate one DICOM JSON object at a time",
                    )
                ]
            data = data[0]
        if not isinstance(data, dict):
            return None, [_finding("unreadable", "not a DICOM JSON object (PS3.18 F.2)")]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            dataset = Dataset.from_json(data)
    except Exception as error:  # malformed JSON in any way is unreadable
        return None, [_finding("unreadable", f"not a DICOM JSON object: {_reason(error)}")]
    return dataset, []
