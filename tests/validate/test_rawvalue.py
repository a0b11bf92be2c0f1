""":mod:`dicomstd.rawvalue` decodes raw elements to the values pydicom's conversion gives.

Differential against pydicom (``convert_raw_data_element``, what ``dataset[tag]`` runs) on every
raw element of every file of pydicom's test-file folder, at every depth, and on hand-made
elements of each decoded VR; and pydicom's conversion is used whenever pydicom is not in its
default configuration.
"""

from __future__ import annotations

import importlib.util
import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydicom import config, dcmread
from pydicom.dataelem import RawDataElement, convert_raw_data_element
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.tag import BaseTag

from dicomstd import conditions, rawvalue
from tests.validate.pydicom_files import DCM_FILES, each, elements


def _same(ours: object, theirs: object) -> bool:
    """The same value: several values as a list or pydicom's MultiValue (a list-like, not a
    list), each the same; a string as a plain ``str``; anything else of the same class, equal
    and written the same (an IS or DS keeps the string it was read from)."""
    if isinstance(theirs, list | MultiValue):
        return (
            isinstance(ours, list | MultiValue)
            and len(ours) == len(theirs) > 1
            and all(_same(a, b) for a, b in zip(ours, theirs, strict=True))
        )
    if isinstance(theirs, str):
        return ours.__class__ is str and ours == str(theirs)
    return type(ours) is type(theirs) and ours == theirs and str(ours) == str(theirs)


def _raw_elements() -> Iterator[tuple[Path, Dataset, int, RawDataElement]]:
    """Every raw element of pydicom's test files, File Meta Information included, at every
    depth, with the file and the data set holding it."""
    for path, dataset in each(DCM_FILES):
        found = [*elements(dataset)]
        if dataset.get("file_meta") is not None:
            found += [*elements(dataset.file_meta)]
        for scope, tag, element in found:
            if isinstance(element, RawDataElement):
                yield path, scope, tag, element


def test_every_decoded_element_of_pydicoms_files_is_pydicoms_value() -> None:
    decoded: Counter[str] = Counter()
    left: Counter[str] = Counter()
    for path, scope, tag, element in _raw_elements():
        if not rawvalue.decodable(tag, element):
            left[str(element.VR)] += 1
            continue
        ours = rawvalue.value(scope, tag, element)
        theirs = scope[tag].value  # pydicom converts it (and keeps the result)
        assert _same(ours, theirs), (path.name, hex(tag), element.VR, ours, theirs)
        decoded[str(element.VR)] += 1
    # Every decoded kind is met in the folder (implicit VR elements count under None).
    for vr in ("US", "UL", "FD", "CS", "UI", "DA", "TM", "OB", "OW", "AE", "IS", "DS", "AT", None):
        assert decoded[str(vr)] > 0, (vr, decoded)
    # The text VRs (SH, LO, PN …) and sequences are left.
    assert sum(decoded.values()) > 0.5 * (sum(decoded.values()) + sum(left.values())), left


@pytest.mark.parametrize(
    ("vr", "raw", "little", "expected"),
    [
        ("US", b"\x01\x02", True, 0x0201),  # PS3.5 7.3: little endian, low byte first
        ("US", b"\x01\x02", False, 0x0102),
        ("SS", b"\xff\xff", True, -1),
        ("US", b"\x01\x00\x02\x00", True, [1, 2]),
        ("FL", b"\x00\x00\x80\x3f", True, 1.0),
        ("CS", b"ORIGINAL", True, "ORIGINAL"),
        ("CS", b" AXIAL  ", True, " AXIAL"),  # pydicom strips trailing padding only
        ("CS", b"ORIGINAL\\PRIMARY ", True, ["ORIGINAL", "PRIMARY"]),
        ("AE", b" A \\B ", True, ["A", "B"]),
        ("UI", b"1.2.840.10008.1.2\x00", True, "1.2.840.10008.1.2"),
        ("AE", b" STORESCP ", True, "STORESCP"),  # AE: leading spaces too (PS3.5 6.2)
        # IS (PS3.5 6.2): an optional sign, digits, leading and trailing spaces allowed
        ("IS", b"15", True, 15),
        ("IS", b" 15 ", True, 15),
        ("IS", b"+4", True, 4),
        ("IS", b"-0003", True, -3),
        ("IS", b"2147483647", True, 2147483647),
        ("IS", b"1\\2 ", True, [1, 2]),
        ("OB", b"\x00\x01", True, b"\x00\x01"),
        ("IS", b"5 ", True, 5),  # PS3.5 6.2: IS, an integer string, padded to even length
        ("IS", b"-12\\+3 ", True, [-12, 3]),
        ("DS", b" 1.5\\2e1", True, [1.5, 20.0]),  # DS: leading and trailing spaces allowed
        ("AT", b"\x08\x00\x16\x00", True, 0x00080016),  # PS3.5 6.2: group, then element
        ("AT", b"\x00\x08\x00\x16", False, 0x00080016),
    ],
)
def test_decoded_as_pydicom_decodes(vr: str, raw: bytes, little: bool, expected: object) -> None:
    tag = BaseTag(0x00091001)  # any tag: the VR decides
    element = RawDataElement(tag, vr, len(raw), raw, 0, False, little)
    assert rawvalue.decodable(int(tag), element)
    ours = rawvalue.value(Dataset(), int(tag), element)
    assert ours == expected
    assert _same(ours, convert_raw_data_element(element).value)


@pytest.mark.parametrize(
    ("vr", "raw"),
    [
        ("UI", b"1.2\\1.3"),  # more than one UID: pydicom makes each a UID
        ("US", b"\x01\x02\x03"),  # not a whole number of values: pydicom raises or makes it UN
        ("IS", b"five"),  # pydicom's IS converter raises: pydicom retries other VRs
        ("DS", b"1,5"),
        ("LO", b"name"),  # a text VR: decoded with the Specific Character Set
        ("UN", b"\x01\x02"),  # pydicom may look a known VR up
        ("US", b""),  # empty: pydicom's empty value of the VR
    ],
)
@pytest.mark.filterwarnings("ignore:Invalid value for VR")  # pydicom's, on "five" and "1,5"
def test_left_to_pydicom(vr: str, raw: bytes) -> None:
    element = RawDataElement(BaseTag(0x00091001), vr, len(raw), raw, 0, False, True)
    assert not rawvalue.decodable(0x00091001, element)


def test_integer_strings_as_pydicom_configured() -> None:
    """With ``use_IS_numpy`` pydicom gives numpy integers: its converter decides."""
    element = RawDataElement(BaseTag(0x00280008), "IS", 2, b"15", 0, False, True)
    assert type(rawvalue.value(Dataset(), 0x00280008, element)).__name__ == "IS"
    config.use_IS_numpy = True
    try:
        if importlib.util.find_spec("numpy") is None:
            assert not rawvalue.decodable(0x00280008, element)  # the converter raises
        else:
            value = rawvalue.value(Dataset(), 0x00280008, element)
            assert type(value).__name__ == "int64"
    finally:
        config.use_IS_numpy = False


def test_pydicom_configured_otherwise_converts() -> None:
    """Date and time conversion on: DA is left to pydicom, which gives a ``DA`` value."""
    element = RawDataElement(BaseTag(0x00080020), "DA", 8, b"20201231", 0, False, True)
    assert rawvalue.decodable(0x00080020, element)
    config.datetime_conversion = True
    try:
        assert not rawvalue.decodable(0x00080020, element)
        dataset = Dataset()
        dataset._dict[BaseTag(0x00080020)] = element
        value: Any = rawvalue.value(dataset, 0x00080020, element)
        assert value.__class__.__name__ == "DA"
    finally:
        config.datetime_conversion = False
    original = config.settings.reading_validation_mode
    config.settings.reading_validation_mode = config.RAISE
    try:
        assert not rawvalue.decodable(0x00080020, element)
    finally:
        config.settings.reading_validation_mode = original


# -- whether a raw element has a value, from its bytes --------------------------------------------
def _pydicoms_has_value(scope: Dataset, tag: int) -> bool:
    """What the conditions' interpreter answers: pydicom's value, not empty."""
    return not conditions._empty(scope[tag].value)


def test_has_value_of_pydicoms_files_is_the_interpreters() -> None:
    told: Counter[bool] = Counter()
    for path, scope, tag, element in _raw_elements():
        known = rawvalue.has_value(tag, element)
        if known is None:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert known is _pydicoms_has_value(scope, tag), (path.name, hex(tag), element)
        told[known] += 1
    assert told[True] > 1000, told


@pytest.mark.parametrize(
    ("vr", "raw", "expected"),
    [
        # PS3.5 6.2: SPACE pads text values and NUL pads UI; padding alone is no value.
        ("LO", b"  ", False),
        ("SH", b" \x00", False),
        ("UI", b"\x00", False),
        ("DA", b"        ", False),
        ("IS", b" ", False),
        ("PN", b"  ", False),
        ("LO", b" A ", True),
        ("PN", b"^^", True),  # a name of empty components is a value (PS3.5 6.2.1)
        ("DS", b"\\", True),  # two empty values: pydicom's MultiValue of two
        ("CS", b"\\ ", True),
        ("DS", b"abc ", True),  # not a decimal string: pydicom keeps the text
        ("LT", b"\t", True),
        ("US", b"\x00\x00", True),  # the number 0 (PS3.5 6.2: binary, no padding)
        ("FD", bytes(8), True),
        ("OB", b"\x00\x00", True),
        ("OW", b"\x00\x00", True),
    ],
)
@pytest.mark.filterwarnings("ignore:Invalid value for VR")
def test_has_value_as_the_interpreter(vr: str, raw: bytes, expected: bool) -> None:
    tag = BaseTag(0x00091001)
    element = RawDataElement(tag, vr, len(raw), raw, 0, False, True)
    dataset = Dataset()
    dataset._dict[tag] = element
    assert rawvalue.has_value(int(tag), element) is expected
    assert _pydicoms_has_value(dataset, int(tag)) is expected


@pytest.mark.parametrize(
    ("vr", "raw"),
    [
        ("LO", b"\x1b(B"),  # an escape sequence alone: decoded, no character is left
        ("LO", b"\xe9"),  # not ASCII: the character set decides
        ("US", b"\x01\x02\x03"),  # not a whole number of values
        ("UN", b"\x01\x02"),
        ("SQ", b"\xfe\xff\x00\xe0\x00\x00\x00\x00"),
        ("LO", b""),  # empty: pydicom's empty value of the VR
    ],
)
def test_has_value_left_to_decoding(vr: str, raw: bytes) -> None:
    element = RawDataElement(BaseTag(0x00091001), vr, len(raw), raw, 0, False, True)
    assert rawvalue.has_value(0x00091001, element) is None


def test_has_value_with_pydicom_configured_otherwise() -> None:
    """Raising on invalid values: whether the bytes would decode at all is pydicom's to say."""
    element = RawDataElement(BaseTag(0x00080020), "DA", 8, b"20201231", 0, False, True)
    assert rawvalue.has_value(0x00080020, element) is True
    original = config.settings.reading_validation_mode
    config.settings.reading_validation_mode = config.RAISE
    try:
        assert rawvalue.has_value(0x00080020, element) is None
    finally:
        config.settings.reading_validation_mode = original


# -- sequences ------------------------------------------------------------------------------------
def _values(dataset: Dataset) -> list[tuple[int, object]]:
    """The elements of a data set by value (a raw one as pydicom would convert it, the data set
    left as it is): the parent of a sequence parsed here keeps Pixel Representation raw where
    pydicom converts it to read it."""
    found: list[tuple[int, object]] = []
    for tag, element in dataset._dict.items():
        if isinstance(element, RawDataElement):
            if element.value is None:  # left in the file, not read by either
                found.append((int(tag), tuple(element)))
                continue
            element = convert_raw_data_element(element, ds=dataset)
        if element.VR == "SQ":
            found.append((int(tag), [_values(item) for item in element.value]))
        else:
            found.append((int(tag), element.value))
    return found


def _parent(dataset: Dataset) -> tuple[object, ...]:
    state = {k: v for k, v in dataset.__dict__.items() if k != "_dict"}
    return state, _values(dataset)


def _state(item: Dataset) -> dict[str, object]:
    """An item as pydicom holds it: every attribute, its elements as tuples."""
    state = {k: v for k, v in item.__dict__.items() if k != "_dict"}
    state["elements"] = [
        (int(tag), tuple(e) if isinstance(e, RawDataElement) else ("converted", e.VR))
        for tag, e in item._dict.items()
    ]
    return state


def _converted(dataset: Dataset, tag: int, ours: bool) -> Any:
    element = dataset._dict[BaseTag(tag)]
    if ours:
        items = rawvalue._sequence(dataset, tag, element)
        if items is None:
            return None
    converted = dataset[tag]
    return converted, [_state(item) for item in converted.value]


def _raw_sequences(dataset: Dataset, depth: int = 0) -> Iterator[tuple[tuple[int, ...], int]]:
    """Paths (item indexes through sequence tags) to every raw sequence, as pydicom reads it."""
    for tag, element in list(dataset._dict.items()):
        if element.VR != "SQ" and not (element.VR is None and rawvalue._implicit_vr(tag) == "SQ"):
            continue
        if isinstance(element, RawDataElement):
            yield (), int(tag)
        if depth < 3:
            for index, item in enumerate(dataset[tag].value):
                for path, inner in _raw_sequences(item, depth + 1):
                    yield (int(tag), index, *path), inner


def _follow(dataset: Dataset, path: tuple[int, ...]) -> Dataset:
    for at in range(0, len(path), 2):
        dataset = dataset[path[at]].value[path[at + 1]]
    return dataset


@pytest.mark.parametrize("defer", [None, 64])
def test_sequences_are_pydicoms(defer: int | None) -> None:
    """Every raw sequence of pydicom's files, parsed here and converted by pydicom, each in its
    own reading of the file: the same element, the same items, the same parent afterwards. Also
    with values longer than 64 bytes left in the file (read when asked for, as pydicom does)."""
    parsed = left = 0
    for path in DCM_FILES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                found = list(_raw_sequences(dcmread(path, force=True, defer_size=defer)))
            except Exception:
                continue
            for where, tag in found:
                mine = dcmread(path, force=True, defer_size=defer)
                theirs = dcmread(path, force=True, defer_size=defer)
                scope, reference = _follow(mine, where), _follow(theirs, where)
                ours = _converted(scope, tag, ours=True)
                if ours is None:
                    left += 1
                    continue
                element, items = ours
                expected, expected_items = _converted(reference, tag, ours=False)
                assert items == expected_items, (path.name, where, hex(tag))
                assert (element.VR, element.file_tell, element.is_undefined_length) == (
                    expected.VR,
                    expected.file_tell,
                    expected.is_undefined_length,
                )
                undefined = getattr(element.value, "is_undefined_length", None)
                assert undefined == getattr(expected.value, "is_undefined_length", None)
                assert _parent(scope) == _parent(reference), (path.name, where, hex(tag))
                parsed += 1
    assert parsed > 20
    assert parsed > left


@pytest.mark.parametrize("syntax", ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1"])
def test_pixel_representation_passes_to_items(tmp_path: Path, syntax: str) -> None:
    """pydicom passes Pixel Representation down to the items of a sequence it converts (for
    the VR of US or SS elements in them); an item with its own keeps its own."""
    from pydicom.dataset import FileMetaDataset
    from pydicom.sequence import Sequence

    ds = Dataset()
    ds.PixelRepresentation = 1
    own, inherits = Dataset(), Dataset()
    own.PixelRepresentation = 0
    own.CodeValue = "1"
    inherits.CodeValue = "2"
    ds.ReferencedImageSequence = Sequence([own, inherits])
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = syntax
    ds.file_meta.MediaStorageSOPClassUID = "1.2.3"
    ds.file_meta.MediaStorageSOPInstanceUID = "1.2.3.4"
    path = tmp_path / "items.dcm"
    ds.save_as(path, enforce_file_format=True)
    mine, theirs = dcmread(path), dcmread(path)
    ours = _converted(mine, 0x00081140, ours=True)
    assert ours is not None
    expected = _converted(theirs, 0x00081140, ours=False)
    assert ours[1] == expected[1]
    assert [item._pixel_rep for item in ours[0].value] == [0, 1]
    assert _parent(mine) == _parent(theirs)


def test_another_pydicom_converts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pydicom other than 3.x reads and converts as it will: nothing is decoded here."""
    element = RawDataElement(BaseTag(0x00280010), "US", 2, b"\x01\x00", 0, False, True)
    assert rawvalue.decodable(0x00280010, element)
    *rest, _known = rawvalue._pydicom()
    monkeypatch.setattr(rawvalue, "_pydicom", lambda: (*rest, False))
    assert not rawvalue.decodable(0x00280010, element)
