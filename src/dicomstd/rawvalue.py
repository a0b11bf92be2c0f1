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
* one value (no BACKSLASH) of AE, AS, CS, DA, DT, TM or UI: the bytes as ISO 8859-1 (pydicom's
  ``default_encoding``, used for these VRs whatever Specific Character Set says), with the
  padding pydicom strips (``convert_string``, ``convert_UI``, ``convert_AE_string``).

Everything else is converted by pydicom, as it is whenever pydicom is not in its default
configuration (other hooks, a data element callback, date and time conversion, raising on
invalid values), which could make its value differ or its conversion fail.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any, Final

__all__ = ["RAW", "Memo", "decodable", "value"]

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
_SLOW: Final = object()
_LATIN_1: Final = "latin-1"  # pydicom's default_encoding "iso8859" is this codec


Memo = dict[tuple[int, ...], object]
"""Values decoded during one validation, by ``(RAW, id(element))``: the data set holds its
elements meanwhile, so an identity stands for one element."""
RAW: Final = -3  # no id() is negative: apart from every other key of a memo


def value(scope: Any, tag: int, element: Any, memo: Memo | None = None) -> object:
    """The value of the raw ``element`` of ``scope`` under ``tag``: decoded here when
    :func:`_quick` can, else converted by pydicom (``scope[tag].value``); decoded once when
    ``memo`` (of one validation) is given."""
    if memo is not None:
        key = (RAW, id(element))
        found = memo.get(key, _SLOW)
        if found is _SLOW:
            found = memo[key] = value(scope, tag, element)
        return found
    found = _quick(tag, element)
    if found is _SLOW:
        return scope[tag].value
    return found


def decodable(tag: int, element: Any) -> bool:
    """Whether the raw ``element`` is decoded here, so that pydicom's conversion of it cannot
    fail either (see the module's description)."""
    return _quick(tag, element) is not _SLOW


def _quick(tag: int, element: Any) -> object:
    raw = element.value
    if raw.__class__ is not bytes or not raw or not _default_pydicom():
        return _SLOW
    vr = element.VR
    if vr.__class__ is not str:
        vr = _implicit_vr(tag)
        if vr is None:
            return _SLOW
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
        text = raw.decode(_LATIN_1)
        if "\\" in text:
            return _SLOW
        return text.rstrip(" \x00")
    if vr == "AE":
        text = raw.decode(_LATIN_1)
        if "\\" in text:
            return _SLOW
        return text.strip()
    return _SLOW


@lru_cache(maxsize=256)
def _unpacker(code: str, count: int, little: bool) -> Callable[[bytes], tuple[Any, ...]]:
    return struct.Struct(f"{'<' if little else '>'}{count}{code}").unpack


@cache
def _pydicom() -> tuple[Any, Any, Any, Any, Any]:
    from pydicom import config
    from pydicom.hooks import hooks, raw_element_value, raw_element_vr

    return config, hooks, raw_element_vr, raw_element_value, config.RAISE


def _default_pydicom() -> bool:
    """Whether pydicom converts raw elements as it does out of the box."""
    config, hooks, vr_hook, value_hook, raise_mode = _pydicom()
    return (
        hooks.raw_element_vr is vr_hook
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


@cache
def _implicit_vr(tag: int) -> str | None:
    """The VR pydicom gives a raw element of ``tag`` read without one: its dictionary's, for a
    public element with one VR there (else None: converted by pydicom)."""
    if tag >> 16 & 1 or not tag & 0xFFFF:
        return None
    from pydicom.datadict import dictionary_VR

    try:
        vr = dictionary_VR(tag)
    except KeyError:
        return None
    return vr if len(vr) == 2 else None
