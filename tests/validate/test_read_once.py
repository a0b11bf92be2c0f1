"""A file is parsed once: the reader builds the data set from the elements the encoding walk
found (:func:`dicomstd.validation.readers._built`) instead of letting pydicom parse the file a
second time. The data set must be the one pydicom's own ``read_partial`` gives, element for
element: the same tags in the same order, raw elements with the same VR, length, value, offset
and encoding, the same File Meta Information (compared by value: pydicom converts two of its
elements while reading, the reader leaves them raw when :mod:`dicomstd.rawvalue` decodes them to
the same value), the same undefined-length sequences (their items with every attribute pydicom
gives them) and the same original encoding. Differential
against pydicom, on every file of its test-file folder.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from pydicom.data import get_testdata_file
from pydicom.dataelem import RawDataElement, convert_raw_data_element
from pydicom.dataset import Dataset

from dicomstd.validation import readers
from dicomstd.validation.limits import limits


def _folder() -> Path:
    path = get_testdata_file("CT_small.dcm")
    assert path is not None
    return Path(path).parent


FILES = sorted(p for p in _folder().rglob("*") if p.is_file())


def _element(element: Any) -> tuple[object, ...]:
    if isinstance(element, RawDataElement):
        return ("raw", *tuple(element))
    value = element.value
    if element.VR == "SQ":
        value = [_item(item) for item in value]
    return ("converted", int(element.tag), element.VR, value, element.file_tell,
            element.is_undefined_length)  # fmt: skip


def _item(item: Dataset) -> tuple[object, ...]:
    """An item of a sequence read with the data set: its elements and every attribute pydicom
    gives it (offsets in the file, encodings, how its length was encoded)."""
    state = {name: value for name, value in item.__dict__.items() if name != "_dict"}
    return _dataset(item), sorted(state.items(), key=lambda pair: pair[0])


def _dataset(dataset: Dataset) -> tuple[object, ...]:
    return (
        [int(tag) for tag in dataset._dict],
        [_element(element) for element in dataset._dict.values()],
        dataset.original_encoding,
        dataset._character_set,
        dataset.is_undefined_length_sequence_item,
    )


def _meta(meta: Dataset) -> tuple[object, ...]:
    """The File Meta Information by value: every element converted, as pydicom converts it."""
    converted = []
    for tag, element in meta._dict.items():
        if isinstance(element, RawDataElement):
            element = convert_raw_data_element(element, ds=meta)
        converted.append((int(tag), element.VR, element.value, element.is_undefined_length))
    return (converted, meta.original_encoding, meta._character_set)


def _file(dataset: Any) -> tuple[object, ...]:
    return (
        _dataset(dataset),
        _meta(dataset.file_meta),
        dataset.preamble,
        dataset.filename,
        dataset.fileobj_type,
        dataset.timestamp,
        dataset._read_implicit,
        dataset._read_little,
    )


def _both(path: Path) -> tuple[Any, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, built = readers._scanned(path, limits())
        theirs, _ = readers._read(path, None)
    return built, theirs


@pytest.mark.parametrize("whole_up_to", [0, 1 << 40], ids=["mapped", "read-whole"])
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_built_data_set_is_pydicoms(
    path: Path, whole_up_to: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file mapped and read whole (the reader reads small files whole)."""
    monkeypatch.setattr(readers, "_READ_WHOLE", whole_up_to)
    built, theirs = _both(path)
    if built is None:
        return  # not built: pydicom reads it, as before
    assert theirs is not None
    assert _file(built) == _file(theirs)


def test_most_files_are_read_once() -> None:
    built = [p.name for p in FILES if _both(p)[0] is not None]
    assert "CT_small.dcm" in built  # implicit VR little endian
    assert "rtdose.dcm" in built  # a sequence of defined length
    assert "MR_small.dcm" in built  # explicit VR little endian
    # The files it is not built for are those pydicom reads with a guess or a repair (no
    # preamble, a truncated or deflated file, a VR to look up): a small part of the folder.
    assert len(built) >= 0.8 * len(FILES)


def test_undefined_length_sequence_and_pixel_data() -> None:
    """An explicit VR undefined-length sequence and encapsulated Pixel Data are read by
    pydicom's own functions from the offsets the walk found, and end where the walk says."""
    path = get_testdata_file("JPEG-lossy.dcm")
    assert path is not None
    built, theirs = _both(Path(path))
    assert built is not None
    assert _file(built) == _file(theirs)
    assert built._dict[0x7FE00010].length == 0xFFFFFFFF
    sequences = [e for e in built._dict.values() if e.VR == "SQ" and e.is_undefined_length]
    assert sequences
