"""The FileDataset and FileMetaDataset the reader makes from the elements the walk found
(:func:`dicomstd.validation.readers._file_dataset`, ``_meta_dataset``) are the objects pydicom's
``read_partial`` makes: the same class, the same attributes in the same order with the same
values (the file's name, ``open``, its modification time, the encodings, the preamble), the same
elements under ``BaseTag`` keys; and no mutable attribute is shared with another data set or
with the attributes they are copied from. Differential against pydicom, on every ``.dcm`` file
of its test-file folder; and the same objects when pydicom's constructors are called instead (a
pydicom other than 3, or not in its default configuration).
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path
from typing import Any

import pytest
from pydicom import config
from pydicom.charset import default_encoding
from pydicom.dataelem import RawDataElement, convert_raw_data_element
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.tag import BaseTag

from dicomstd.validation import readers
from dicomstd.validation.limits import limits
from tests.validate.pydicom_files import DCM_FILES

_CONTAINERS = (dict, list, set)


def _element(dataset: Dataset, element: Any) -> tuple[object, ...]:
    """An element by value: a raw one converted as pydicom converts it (pydicom converts some
    File Meta Information elements while reading, the reader may leave them raw)."""
    if isinstance(element, RawDataElement):
        element = convert_raw_data_element(element, ds=dataset)
    return (element.tag, element.VR, element.file_tell, element.is_undefined_length)


def _differences(ours: Any, theirs: Any, where: str = "") -> list[str]:
    """Where two data sets (or sequences) differ: class, attribute names and their order, each
    attribute's value; the elements key by key (each key a ``BaseTag``, raw elements field by
    field, other elements by tag, VR, offset and value, the items of sequences likewise)."""
    if type(ours) is not type(theirs):
        return [f"{where}: {type(ours).__name__} is not {type(theirs).__name__}"]
    found: list[str] = []
    if list(ours.__dict__) != list(theirs.__dict__):
        found.append(f"{where}: attributes {list(ours.__dict__)} != {list(theirs.__dict__)}")
    for name in sorted(set(ours.__dict__) & set(theirs.__dict__)):
        mine, other = ours.__dict__[name], theirs.__dict__[name]
        if name == "_dict":
            found.extend(_element_differences(ours, theirs, f"{where}._dict"))
        elif name == "_list":
            if len(mine) != len(other):
                found.append(f"{where}: {len(mine)} items != {len(other)}")
            for index, (item, their_item) in enumerate(zip(mine, other, strict=False)):
                found.extend(_differences(item, their_item, f"{where}[{index}]"))
        elif isinstance(mine, Dataset):
            found.extend(_differences(mine, other, f"{where}.{name}"))
        elif type(mine) is not type(other) or mine != other:
            found.append(f"{where}.{name}: {mine!r} != {other!r}")
    return found


def _element_differences(ours: Dataset, theirs: Dataset, where: str) -> list[str]:
    mine, other = ours._dict, theirs._dict
    found: list[str] = []
    if list(mine) != list(other):
        found.append(f"{where}: tags {list(mine)} != {list(other)}")
    found.extend(f"{where}: key {key!r} is no BaseTag" for key in mine if type(key) is not BaseTag)
    for tag in mine.keys() & other.keys():
        a, b = mine[tag], other[tag]
        if isinstance(a, RawDataElement) and isinstance(b, RawDataElement):
            if type(a) is not type(b) or tuple(a) != tuple(b):
                found.append(f"{where}[{tag}]: {tuple(a)!r} != {tuple(b)!r}")
            continue
        if _element(ours, a) != _element(theirs, b):
            found.append(f"{where}[{tag}]: {_element(ours, a)!r} != {_element(theirs, b)!r}")
            continue
        value, their_value = ours[tag].value, theirs[tag].value
        if isinstance(their_value, Sequence):
            found.extend(_differences(value, their_value, f"{where}[{tag}]"))
        elif type(value) is not type(their_value) or value != their_value:
            found.append(f"{where}[{tag}]: value {value!r} != {their_value!r}")
    return found


def _read(path: Path) -> tuple[Any, Any]:
    """The data set the reader builds from the walk (None when it leaves the file to pydicom),
    and the one pydicom's ``read_partial`` reads."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, built = readers._scanned(path, limits())
        theirs, _ = readers._read(path, None)
    return built, theirs


def _built(path: Path) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return readers._scanned(path, limits())[1]


BUILT = [path for path in DCM_FILES if _built(path) is not None]


def test_most_files_are_built() -> None:
    names = {path.name for path in BUILT}
    assert {"CT_small.dcm", "rtdose.dcm", "MR_small.dcm", "JPEG-lossy.dcm"} <= names
    assert len(BUILT) >= 0.8 * len(DCM_FILES)


def test_the_fast_path_is_taken() -> None:
    """pydicom 3 in its default configuration: the attributes are copied, not set one by one."""
    assert readers._states() is not None
    assert readers._new_states() is not None


@pytest.mark.parametrize("path", BUILT, ids=[path.name for path in BUILT])
def test_made_data_set_is_pydicoms(path: Path) -> None:
    built, theirs = _read(path)
    assert type(built) is FileDataset
    assert type(built.file_meta) is FileMetaDataset
    assert sorted(built.__dict__) == sorted(theirs.__dict__)
    assert sorted(built.file_meta.__dict__) == sorted(theirs.file_meta.__dict__)
    assert _differences(built, theirs) == []
    assert built.timestamp == theirs.timestamp == path.stat().st_mtime
    assert built.filename == theirs.filename == str(path)
    assert built.fileobj_type is theirs.fileobj_type is open
    assert built.buffer is theirs.buffer is None


@pytest.mark.parametrize("path", BUILT, ids=[path.name for path in BUILT])
def test_no_mutable_attribute_is_shared(path: Path) -> None:
    """Two data sets made one after the other share no dict, list or set with each other nor
    with the attributes they are copied from."""
    first, second = _built(path), _built(path)
    states = readers._new_states()
    assert states is not None
    meta_blank, blank, _ = states
    for made, other, template in (
        (first, second, blank),
        (first.file_meta, second.file_meta, meta_blank),
    ):
        mutable = [name for name, value in made.__dict__.items() if isinstance(value, _CONTAINERS)]
        assert {"_dict", "_private_blocks", "_pixel_array_opts", "_pixel_id"} <= set(mutable)
        for name in mutable:
            assert made.__dict__[name] is not other.__dict__[name], name
            assert made.__dict__[name] is not template[name], name
            assert made.__dict__[name] == other.__dict__[name], name
    first._pixel_array_opts["use_pdh"] = True
    first._private_blocks[(0x0009, "x")] = None
    first.file_meta._pixel_id["x"] = 1
    assert _differences(_built(path), second) == []


@pytest.mark.parametrize("name", ["CT_small.dcm", "rtdose.dcm", "JPEG-lossy.dcm"])
def test_the_comparison_sees_a_wrong_attribute(name: str) -> None:
    path = next(path for path in BUILT if path.name == name)
    built, theirs = _read(path)
    assert _differences(built, theirs) == []
    for made, attribute, wrong in (
        (built, "_read_charset", ["ISO_IR 100"]),
        (built, "_is_little_endian", None),
        (built, "timestamp", None),
        (built, "fileobj_type", type(built)),
        (built.file_meta, "_read_implicit", None),
        (built.file_meta, "_pixel_array_opts", {"use_pdh": True}),
    ):
        right = made.__dict__[attribute]
        made.__dict__[attribute] = wrong
        assert _differences(built, theirs) != [], attribute
        made.__dict__[attribute] = right
    first = next(iter(built._dict))
    built._dict[BaseTag(first)] = built._dict.pop(first)
    assert _differences(built, theirs) != []  # the order of the elements
    built._dict = {int(tag): element for tag, element in built._dict.items()}
    assert _differences(built, theirs) != []  # a key that is no BaseTag
    del built.__dict__["buffer"]
    assert _differences(built, theirs) != []


def _not_pydicom_3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "default_pydicom", lambda: False)
    assert readers._states() is None


@pytest.mark.parametrize("path", BUILT, ids=[path.name for path in BUILT])
def test_pydicoms_constructors_make_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _built(path)
    _not_pydicom_3(monkeypatch)
    slow = _built(path)
    assert _differences(fast, slow) == []
    assert fast.timestamp == slow.timestamp


def test_future_pydicom_uses_its_constructors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "_use_future", True)
    assert readers._states() is None
    path = next(path for path in BUILT if path.name == "CT_small.dcm")
    built, theirs = _read(path)
    assert "_is_little_endian" not in built.__dict__
    assert _differences(built, theirs) == []


def test_other_attributes_use_the_constructors(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pydicom whose new data sets have other attributes than those expected."""
    monkeypatch.setattr(readers, "_FILE_STATE", (*readers._FILE_STATE, "extra"))
    assert readers._new_states.__wrapped__() is None
    monkeypatch.undo()
    monkeypatch.setattr(readers, "_DATASET_STATE", readers._DATASET_STATE[1:])
    assert readers._new_states.__wrapped__() is None


def _file_meta_elements() -> dict[BaseTag, Any]:
    path = next(path for path in BUILT if path.name == "CT_small.dcm")
    built = _built(path)
    return dict(built.file_meta._dict)


@pytest.mark.parametrize("fast", [True, False])
def test_file_meta_of_another_group_is_refused(fast: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """A tag of another group than 0002 raises ValueError, as ``FileMetaDataset`` raises it, and
    the file is then left to pydicom."""
    if not fast:
        _not_pydicom_3(monkeypatch)
    found = _file_meta_elements()
    meta = readers._meta_dataset(found)
    assert meta._dict is found
    assert (meta._read_implicit, meta._read_little, meta._read_charset) == (
        False,
        True,
        default_encoding,
    )
    tag = BaseTag(0x00080016)
    found[tag] = RawDataElement(tag, "UI", 2, b"1\0", 0, False, True)
    with pytest.raises(ValueError, match="group 2"):
        readers._meta_dataset(found)

    path = next(path for path in BUILT if path.name == "CT_small.dcm")
    with open(path, "rb") as file:
        data = file.read()
        scanned = readers.scan(data, limits())
        assert readers._built(file, data, scanned) is not None
        header = scanned.meta[-1]
        scanned.meta.append((0x00080016, b"UI", 0, header[3], header[4]))
        assert readers._built(file, data, scanned) is None


def test_a_file_object_of_another_class(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that is no ``io.BufferedReader`` is given to ``FileDataset`` (which keeps it as
    its buffer)."""
    path = next(path for path in BUILT if path.name == "CT_small.dcm")
    data = path.read_bytes()
    stream = io.BytesIO(data)
    scanned = readers.scan(data, limits())
    made = readers._built(stream, data, scanned)
    assert made is not None
    assert made.buffer is stream
    assert made.fileobj_type is io.BytesIO
    assert made.filename is None
    assert made.timestamp is None


def test_timestamp_is_the_modification_time(tmp_path: Path) -> None:
    """``os.stat(filename).st_mtime``: not the time of another change of the file."""
    source = next(path for path in BUILT if path.name == "CT_small.dcm")
    path = tmp_path / source.name
    path.write_bytes(source.read_bytes())
    os.utime(path, (1_000_000_000.5, 1_200_000_000.25))
    built, theirs = _read(path)
    assert built.timestamp == theirs.timestamp == 1_200_000_000.25
    assert path.stat().st_ctime != 1_200_000_000.25


@pytest.mark.parametrize("fast", [True, False])
def test_no_timestamp_when_the_name_is_gone(
    fast: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose name no longer exists has no modification time (``os.path.exists``)."""
    if not fast:
        _not_pydicom_3(monkeypatch)
    source = next(path for path in BUILT if path.name == "CT_small.dcm")
    path = tmp_path / source.name
    path.write_bytes(source.read_bytes())
    with open(path, "rb") as file:
        data = file.read()
        scanned = readers.scan(data, limits())
        path.unlink()
        made = readers._built(file, data, scanned)
    assert made is not None
    assert made.filename == str(path)
    assert made.timestamp is None
