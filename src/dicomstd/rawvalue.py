"""Values of raw elements as pydicom gives them, decoded here for the common cases.

pydicom converts a raw element when its value is first asked for (``dataset[tag]``): the VR and
value hooks, a ``DataElement`` validated and stored back into the data set. That costs 5-8 us
an element, and a validation asks for a dozen values of raw elements (Rows, Photometric
Interpretation, the inputs of conditions, the UIDs of the File Meta Information): a sixth of
reading and validating a small file. :func:`value` gives the same value for the cases whose
decoding is plain and cannot fail, without converting the element (the data set keeps it raw):

* a binary number (US, SS, UL, SL, FL, FD, UV, SV) whose length is a whole number of values:
  ``struct`` in the element's byte order, one value as a number, more as a list (pydicom's
  ``convert_numbers``);
* the bytes of OB, OD, OF, OL, OV and OW (and of "OB or OW", which is one of them), as they
  are (pydicom's ``convert_OBvalue``);
* AE, AS, CS, DA, DT, TM and UI: the bytes as ISO 8859-1 (pydicom's ``default_encoding``, used
  for these VRs whatever Specific Character Set says), without the padding pydicom strips
  (``convert_string``, ``convert_UI``, ``convert_AE_string``), one value as a string, more as
  a list of strings (pydicom's MultiValue holds the same; more than one UI value is left to
  pydicom, which makes each a UID);
* IS, DS and AT: pydicom's own converter of the VR (``pydicom.values.converters``), called as
  ``convert_value`` calls it, without the hooks and the ``DataElement`` around it (pydicom
  stores its result as it is: ``already_converted``). When the converter raises, pydicom
  retries other VRs: that is left to pydicom. One IS value of digits (with a sign and spaces
  at most) is made here as ``IS(text)`` makes it, without pydicom's validation, which it passes.

A raw sequence (SQ of defined length) is parsed here into the items pydicom's
``read_sequence`` makes, and converted in the data set as pydicom converts it
(``Dataset.__getitem__``): the same elements, the same item data sets. Items may have an
undefined length, and sequences of undefined length inside them are read at once, as pydicom
reads them; :func:`file_sequence` reads a top-level sequence of undefined length from the file
for the reader. Anything unusual (an element of undefined length that is no sequence, an item that
switches its encoding, a Specific Character Set in an item, a tag other than Item) is left to
pydicom.

Everything else is converted by pydicom, and everything is with a pydicom other than 3.x (whose
reading the differential tests compare with) or one not in its default configuration (other hooks,
a data element callback, date and time conversion, raising on invalid values), which could make
its values differ or its conversion fail.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any, Final, cast

from dicomstd.vr import STRING_VRS

__all__ = [
    "RAW",
    "Memo",
    "decodable",
    "default_pydicom",
    "file_sequence",
    "has_value",
    "new_dataset",
    "raw_tuple",
    "read_left",
    "value",
]

_NUMBERS: Final = {
    "US": ("H", 2),
    "SS": ("h", 2),
    "UL": ("L", 4),
    "SL": ("l", 4),
    "FL": ("f", 4),
    "FD": ("d", 8),
    "UV": ("Q", 8),
    "SV": ("q", 8),
}
_STRINGS: Final = frozenset({"AS", "CS", "UI"})
_DATES: Final = frozenset({"DA", "DT", "TM"})
_BYTES: Final = frozenset({"OB", "OD", "OF", "OL", "OV", "OW", "OB or OW"})
_CONVERTED: Final = frozenset({"IS", "DS", "AT"})
_SLOW: Final = object()
_LATIN_1: Final = "latin-1"  # pydicom's default_encoding "iso8859" is this codec


Memo = dict[tuple[int, ...], object]
"""Values decoded during one validation, by ``(RAW, id(element))``: the data set holds its
elements meanwhile, so an identity stands for one element."""
RAW: Final = -3  # no id() is negative: apart from every other key of a memo


def value(scope: Any, tag: int, element: Any, memo: Memo | None = None) -> object:
    """The value of ``element`` of ``scope`` under ``tag``: its value when pydicom converted it
    already; for a raw one, decoded here when :func:`_quick` can, else converted by pydicom
    (``scope[tag].value``), and decoded once when ``memo`` (of one validation) is given."""
    if not element.is_raw:
        return element.value
    if memo is not None:
        key = (RAW, id(element))
        found = memo.get(key, _SLOW)
        if found is _SLOW:
            found = memo[key] = value(scope, tag, element)
        return found
    found = _quick(tag, element)
    if found is _SLOW:
        items = _sequence(scope, tag, element)
        return scope[tag].value if items is None else items
    return found


def decodable(tag: int, element: Any) -> bool:
    """Whether the raw ``element`` is decoded here, so that pydicom's conversion of it cannot
    fail either (see the module's description)."""
    return _quick(tag, element) is not _SLOW


def _raw(tag: int, element: Any) -> tuple[bytes, str] | None:
    """The bytes of a raw element and its VR (a public element's, by the dictionary, when it was
    read without one), when pydicom is in its default configuration; None otherwise (no bytes,
    an empty value, no VR known, pydicom configured otherwise)."""
    raw = element.value
    if raw.__class__ is not bytes or not raw or not default_pydicom():
        return None
    vr = element.VR
    if vr.__class__ is not str:
        vr = _implicit_vr(tag)
        if vr is None:
            return None
    return raw, vr


def _quick(tag: int, element: Any) -> object:
    found = _raw(tag, element)
    if found is None:
        return _SLOW
    raw, vr = found
    number = _NUMBERS.get(vr)
    if number is not None:
        code, size = number
        length = len(raw)
        if length % size or tag in _lut_descriptors():
            return _SLOW
        values = _unpacker(code, length // size, element.is_little_endian)(raw)
        return values[0] if len(values) == 1 else list(values)
    if vr in _BYTES:
        return raw
    if vr in _STRINGS or (vr in _DATES and not _datetime_conversion()):
        text = raw.decode(_LATIN_1).rstrip(" \x00")
        if "\\" not in text:
            return text
        if vr == "UI":
            return _SLOW
        return text.split("\\")  # pydicom's MultiValue of str: the same strings
    if vr == "AE":
        names = [name.strip() for name in raw.decode(_LATIN_1).split("\\")]
        return names[0] if len(names) == 1 else names
    if vr in _CONVERTED:
        if vr == "IS" and not _pydicom()[0].use_IS_numpy:
            text = raw.decode(_LATIN_1).rstrip(" \x00")
            if len(text) <= 12 and _INTEGER.fullmatch(text) is not None:
                value = int.__new__(_integer_string(), text)
                value.original_string = text.strip()
                return value
        try:
            return _converters()[vr](raw, element.is_little_endian, None)
        except Exception:  # pydicom retries other VRs (convert_value): its way, not ours
            return _SLOW
    return _SLOW


_TEXT: Final = STRING_VRS | {"DS", "IS"}  # the VRs whose values are text


def has_value(tag: int, element: Any) -> bool | None:
    """Whether the raw ``element``'s value, as pydicom decodes it, is not empty (``conditions``'
    emptiness: None, a text of padding only, nothing in a list), when its bytes tell: text of
    ASCII without ESC (the same characters in every character set: a character other than SPACE
    and NUL stays in the text, and pydicom strips only those, as padding), a whole number of
    binary values, bytes. None when they do not (nothing decoded then)."""
    found = _raw(tag, element)
    if found is None:
        return None
    raw, vr = found
    if vr in _TEXT:
        if not raw.isascii() or b"\x1b" in raw:
            return None
        return bool(raw.strip(b" \x00"))
    number = _NUMBERS.get(vr)
    if number is not None:
        return None if len(raw) % number[1] else True
    if vr in _BYTES:
        return True
    return None


# One IS value pydicom accepts as it is (PS3.5 6.2: at most 12 characters, an optional sign,
# digits, leading and trailing spaces): an IS of that number holding the text without its
# spaces, as ``IS(text)`` makes it (``IS.__new__``, ``IS.__init__``); when pydicom gives numpy
# integers (``use_IS_numpy``), its converter.
_INTEGER: Final = re.compile(r" *[+\-]?[0-9]+ *")


@cache
def _integer_string() -> Any:
    from pydicom.valuerep import IS

    return IS


@cache
def _converters() -> Any:
    from pydicom.values import converters

    return converters


@lru_cache(maxsize=256)
def _unpacker(code: str, count: int, little: bool) -> Callable[[bytes], tuple[Any, ...]]:
    return struct.Struct(f"{'<' if little else '>'}{count}{code}").unpack


@cache
def _pydicom() -> tuple[Any, Any, Any, Any, Any, bool]:
    import pydicom
    from pydicom import config
    from pydicom.hooks import hooks, raw_element_value, raw_element_vr

    known = str(getattr(pydicom, "__version__", "")).split(".")[0] == "3"
    return config, hooks, raw_element_vr, raw_element_value, config.RAISE, known


def default_pydicom() -> bool:
    """Whether pydicom converts raw elements as it does out of the box: pydicom 3 (whose
    conversions and reading the differential tests compare with), in its default configuration."""
    config, hooks, vr_hook, value_hook, raise_mode, known = _pydicom()
    return (
        known
        and hooks.raw_element_vr is vr_hook
        and hooks.raw_element_value is value_hook
        and not hooks.raw_element_kwargs
        and config.data_element_callback is None
        and config.settings.reading_validation_mode != raise_mode
    )


def _datetime_conversion() -> bool:
    return bool(_pydicom()[0].datetime_conversion)


@cache
def _lut_descriptors() -> frozenset[int]:
    from pydicom.tag import _LUT_DESCRIPTOR_TAGS

    return frozenset(int(tag) for tag in _LUT_DESCRIPTOR_TAGS)


@lru_cache(maxsize=8192)  # tags come from the files: bounded
def _implicit_vr(tag: int) -> str | None:
    """The VR pydicom gives a raw element of ``tag`` read without one: its dictionary's, for a
    public element with one VR there or "OB or OW" (bytes either way); else None (converted by
    pydicom, which decides "US or SS" and the like from Pixel Representation)."""
    if tag >> 16 & 1 or not tag & 0xFFFF:
        return None
    from pydicom.datadict import dictionary_VR

    try:
        vr = dictionary_VR(tag)
    except KeyError:
        return None
    return vr if len(vr) == 2 or vr == "OB or OW" else None


# -- sequences --------------------------------------------------------------------------------
_ITEM: Final = 0xFFFEE000
_ITEM_END: Final = 0xFFFEE00D
_SEQUENCE_END: Final = 0xFFFEE0DD
_SPECIFIC_CHARACTER_SET: Final = 0x00080005
_UNDEFINED: Final = 0xFFFFFFFF


@cache
def _names() -> Any:
    """The pydicom names the parsing of sequences uses, imported once."""
    import types

    from pydicom.charset import default_encoding
    from pydicom.dataelem import DataElement, RawDataElement, empty_value_for_VR
    from pydicom.dataset import Dataset
    from pydicom.filereader import ENCODED_VR
    from pydicom.sequence import Sequence
    from pydicom.tag import BaseTag
    from pydicom.valuerep import EXPLICIT_VR_LENGTH_32

    return types.SimpleNamespace(
        default=default_encoding,
        DataElement=DataElement,
        Dataset=Dataset,
        RawDataElement=RawDataElement,
        empty_value_for_VR=empty_value_for_VR,
        encoded_vrs=ENCODED_VR,
        Sequence=Sequence,
        BaseTag=BaseTag,
        long_vrs=EXPLICIT_VR_LENGTH_32,
    )


@cache
def _headers(little: bool) -> tuple[Callable[..., tuple[Any, ...]], ...]:
    """Unpackers of an item (or implicit VR element) header, an explicit VR header and a 32-bit
    length, in one byte order."""
    order = "<" if little else ">"
    return (
        struct.Struct(f"{order}HHL").unpack_from,
        struct.Struct(f"{order}HH2sH").unpack_from,
        struct.Struct(f"{order}L").unpack_from,
    )


def _sequence(scope: Any, tag: int, element: Any) -> Any:
    """The items of the raw sequence ``element`` of the pydicom data set ``scope``, parsed here
    and converted in ``scope`` as pydicom converts it; None when pydicom must (see the module's
    description)."""
    held = getattr(scope, "_dict", None)
    if held is None or held.get(tag) is not element:
        return None  # converted already, or not in a pydicom data set: pydicom's items
    vr = element.VR
    if vr != "SQ" and not (vr is None and _implicit_vr(tag) == "SQ"):
        return None
    if not default_pydicom() or element.length in (0, _UNDEFINED):
        return None
    if element.value is None:  # left in the file: read as Dataset.__getitem__ reads it
        element = read_left(scope, element)
    raw = element.value
    if raw.__class__ is not bytes or not raw:
        return None
    names = _names()
    # What Dataset.__getitem__ gives pydicom's conversion (convert_value makes it a list).
    charset = scope.original_character_set or scope._character_set
    encodings = [charset] if isinstance(charset, str) else list(charset or [names.default])
    offset = element.value_tell
    items = _items(raw, element.is_implicit_VR, element.is_little_endian, encodings, offset)
    if items is None:
        return None
    sequence = names.Sequence(items)
    sequence.is_undefined_length = False
    key = names.BaseTag(tag)
    converted = names.DataElement(key, "SQ", sequence, offset, False, already_converted=True)
    if tag >> 16 & 1:
        scope[key] = converted  # Dataset.__setitem__ names the private creator
    else:
        held[key] = converted  # what Dataset.__setitem__ does for a public sequence, and:
        _pixel_representation(scope, items)
    return sequence


_PIXEL_REPRESENTATION: Final = 0x00280103


def _pixel_representation(scope: Any, items: list[Any]) -> None:
    """``Dataset._set_pixel_representation`` for a new sequence of ``items`` of ``scope`` (which
    ``__setitem__`` and ``__getitem__`` call): Pixel Representation (0028,0103) of the data set,
    else the one it inherited, passed to each item without one of its own."""
    state = scope.__dict__
    found: Any = None
    own = scope._dict.get(_PIXEL_REPRESENTATION)
    if own is not None:  # its value as pydicom's self[TAG_PIXREP] gives it, left raw here
        found = value(scope, _PIXEL_REPRESENTATION, own)
    elif "_pixel_rep" in state:
        found = state["_pixel_rep"]
    if found is not None:
        state["_pixel_rep"] = int(b"\x01" in found) if isinstance(found, bytes) else found
    inherited = "_pixel_rep" in state
    for item in items:
        own = item._dict.get(_PIXEL_REPRESENTATION)
        pixel = own.value if own is not None else None
        if pixel is not None:
            item.__dict__["_pixel_rep"] = (
                int(b"\x01" in pixel) if isinstance(pixel, bytes) else pixel
            )
        elif inherited:
            item.__dict__["_pixel_rep"] = state["_pixel_rep"]


def read_left(scope: Any, element: Any) -> Any:
    """The raw ``element`` of ``scope`` whose value pydicom left in the file, with its value
    read from there as ``Dataset.__getitem__`` reads a deferred one (pydicom's
    ``read_deferred_data_element``), without converting it or keeping it in ``scope``; the
    element as it is when ``scope`` has no file or buffer to read from."""
    from pydicom.filereader import read_deferred_data_element

    filename = getattr(scope, "filename", None)
    buffer = getattr(scope, "buffer", None)
    source = filename or buffer
    if filename and buffer and not getattr(buffer, "closed", False):
        source = buffer
    if source is None:
        return element  # nowhere to read it from: pydicom says what is wrong
    return read_deferred_data_element(scope.fileobj_type, source, scope.timestamp, element)


def _items(
    raw: bytes, implicit: bool, little: bool, encodings: list[str], offset: int
) -> list[Any] | None:
    """The items of a sequence value at ``offset`` of its file, each a data set of raw elements
    (their value offsets from the start of ``raw``, as pydicom's reading of the value gives
    them; the items' own offsets in the file)."""
    read = _Items(raw, implicit, little, encodings).read(0, len(raw), offset)
    return read[0] if read is not None and read[1] == len(raw) else None


def file_sequence(
    buffer: Any, start: int, implicit: bool, little: bool, encoding: Any
) -> tuple[Any, int] | None:
    """The items of a sequence of undefined length whose value starts at ``start`` of a file's
    ``buffer``, as pydicom's ``read_sequence`` reads them from the file (offsets in the file),
    and the offset after its Sequence Delimitation Item; None when pydicom must read it."""
    if not default_pydicom():
        return None
    read = _Items(buffer, implicit, little, encoding).read(start, None, 0)
    if read is None:
        return None
    items, end = read
    sequence = _names().Sequence(items)
    sequence.is_undefined_length = True
    return sequence, end


class _Items:
    """pydicom's ``read_sequence``, ``read_sequence_item`` and ``read_dataset`` over a buffer,
    for what they read plainly: Items of defined or undefined length holding elements of defined
    length and sequences of undefined length (read at once, as pydicom reads them). Anything
    else (another tag where an Item should be, an element of undefined length that is no
    sequence, an item that switches its encoding, a Specific Character Set in an item) makes
    :meth:`read` give None."""

    def __init__(self, raw: Any, implicit: bool, little: bool, encodings: Any) -> None:
        self.raw = raw
        self.size = len(raw)
        self.implicit = implicit
        self.little = little
        self.encodings = encodings
        self.names = _names()
        self.headers = _headers(little)

    def read(self, pos: int, end: int | None, base: int) -> tuple[list[Any], int] | None:
        """The items from ``pos`` to ``end``, or (``end`` None) to a Sequence Delimitation
        Item; each item's offset is ``base`` + its position. With the offset after them."""
        raw, size, implicit = self.raw, self.size, self.implicit
        item_header = self.headers[0]
        limit = size if end is None else end
        items: list[Any] = []
        while end is None or pos < end:
            if pos + 8 > limit:
                return None
            group, number, length = item_header(raw, pos)
            tag = group << 16 | number
            if end is None and tag == _SEQUENCE_END:
                return items, pos + 8
            if tag != _ITEM:
                return None
            start = pos + 8
            if not implicit and (start + 6 > limit or not _letters(raw, start + 4)):
                return None  # pydicom may read such an item in implicit VR
            if length == _UNDEFINED:
                read = self.elements(start, None)
            else:
                if start + length > limit or (length < 6 and not implicit):
                    return None
                read = self.elements(start, start + length)
            if read is None:
                return None
            found, after = read
            items.append(
                _dataset(
                    found,
                    _parent_encoding=self.encodings,
                    # set_original_encoding(implicit, little, encodings), as read_dataset does
                    _read_implicit=implicit,
                    _read_little=self.little,
                    _read_charset=self.encodings,
                    # as read_sequence_item and read_sequence set them
                    is_undefined_length_sequence_item=length == _UNDEFINED,
                    seq_item_tell=base + pos,
                    file_tell=base + pos,
                )
            )
            pos = after
        return items, pos

    def elements(self, at: int, end: int | None) -> tuple[dict[Any, Any], int] | None:
        """The elements of an item from ``at`` to ``end``, or (``end`` None) to its Item
        Delimitation Item; with the offset after them."""
        raw, size, implicit, little = self.raw, self.size, self.implicit, self.little
        names = self.names
        raw_class, base_tag = names.RawDataElement, names.BaseTag
        encoded_vrs, long_vrs = names.encoded_vrs, names.long_vrs
        _empty = cast("Callable[[str | None, bool], bytes | None]", names.empty_value_for_VR)
        new, as_tuple = tuple.__new__, raw_tuple()
        item_header, explicit_header, long_length = self.headers
        limit = size if end is None else end
        found: dict[Any, Any] = {}
        while end is None or at < end:
            if at + 8 > limit:
                return None
            vr: str | None
            if implicit:
                group, number, length = item_header(raw, at)
                vr, header = None, 8
            else:
                group, number, code, length = explicit_header(raw, at)
                if group == 0xFFFE:  # a delimiter has no VR: its length follows the tag
                    (length,) = long_length(raw, at + 4)
                    vr, header = None, 8
                elif code not in encoded_vrs:
                    return None
                else:
                    vr, header = code.decode(_LATIN_1), 8
                    if vr in long_vrs:
                        if at + 12 > limit:
                            return None
                        (length,) = long_length(raw, at + 8)
                        header = 12
            number = group << 16 | number
            value_start = at + header
            if number == _ITEM_END:
                if end is None:
                    return found, value_start
                return None
            if number == _SPECIFIC_CHARACTER_SET or group == 0xFFFE:
                return None
            key = base_tag(number)
            if length == _UNDEFINED:
                if not (vr == "SQ" or (vr is None and _implicit_vr(number) == "SQ")):
                    return None
                read = self.read(value_start, None, 0)
                if read is None:
                    return None
                sequence = names.Sequence(read[0])
                sequence.is_undefined_length = True
                found[key] = names.DataElement(
                    key, "SQ", sequence, value_start, is_undefined_length=True
                )
                at = read[1]
                continue
            if value_start + length > limit:
                return None
            value = raw[value_start : value_start + length] if length else _empty(vr, True)
            found[key] = (
                new(raw_class, (key, vr, length, value, value_start, implicit, little, True, False))
                if as_tuple
                else raw_class(key, vr, length, value, value_start, implicit, little)
            )
            at = value_start + length
        return found, at


def _letters(raw: bytes, at: int) -> bool:
    """pydicom's test of an explicit VR (``filereader._is_implicit_vr``): two upper-case letters."""
    return 0x40 < raw[at] < 0x5B and 0x40 < raw[at + 1] < 0x5B


@cache
def _blank() -> tuple[dict[str, Any], tuple[str, ...]]:
    """The attributes of a new pydicom Dataset, and those of them that are mutable containers."""
    from pydicom.dataset import Dataset

    state = dict(Dataset().__dict__)
    return state, tuple(k for k, v in state.items() if isinstance(v, dict | list | set))


def _dataset(elements: dict[Any, Any], **attributes: object) -> Any:
    """``Dataset(elements)`` with ``attributes`` set (see :func:`new_dataset`)."""
    blank, mutable = _blank()
    attributes["_dict"] = elements
    return new_dataset(_names().Dataset, blank, mutable, attributes)


def new_dataset(
    cls: type[Any], blank: dict[str, Any], mutable: tuple[str, ...], fields: dict[str, Any]
) -> Any:
    """A new ``cls``, a pydicom data set class, whose attributes are those of a new one
    (``blank``, each of ``mutable`` a new copy) with ``fields`` set at once: what its
    constructor makes, without setting each attribute through pydicom's ``__setattr__``, which
    tests every name for a DICOM keyword."""
    state = blank.copy()
    for name in mutable:
        state[name] = state[name].copy()
    state.update(fields)
    dataset = object.__new__(cls)  # pydicom's data sets define no __new__
    object.__setattr__(dataset, "__dict__", state)
    return dataset


_RAW_FIELDS: Final = (
    "tag",
    "VR",
    "length",
    "value",
    "value_tell",
    "is_implicit_VR",
    "is_little_endian",
    "is_raw",
    "is_buffered",
)


@cache
def raw_tuple() -> bool:
    """Whether a ``RawDataElement(tag, VR, length, value, value_tell, is_implicit_VR,
    is_little_endian)`` can be made as ``tuple.__new__(RawDataElement, (..., True, False))``, in
    half the time of its Python ``__new__``: its fields are those of pydicom 3, the last two
    with their defaults."""
    from pydicom.dataelem import RawDataElement

    fields = getattr(RawDataElement, "_fields", ())
    defaults = getattr(RawDataElement, "_field_defaults", {})
    return fields == _RAW_FIELDS and defaults == {"is_raw": True, "is_buffered": False}
