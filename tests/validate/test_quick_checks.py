"""The engine's quick checks of values (``engine._quick_check``) answer as ``_check_value``
does: for every element of every file of pydicom's test-file folder (at every depth), in both
encodings and with and without decoding of text, a quick answer (empty, or nothing to report)
is the one ``_check_value`` gives, and ``_check_value`` reports nothing then. Values built to
fail (a bad character, too many values, a length that is no whole number of values) are left
to ``_check_value``."""

from __future__ import annotations

from typing import Any

import pytest
from pydicom.dataelem import RawDataElement
from pydicom.dataset import Dataset
from pydicom.tag import BaseTag

from dicomstd.validation import engine
from tests.validate.pydicom_files import DCM_FILES, each, elements


def _answered(
    where: str, dataset: Dataset, tag: int, element: Any, explicit: bool, decoding: bool
) -> bool:
    """Whether the quick check of ``element`` answers; when it does, its answer is asserted to
    be ``_check_value``'s, and ``_check_value`` to report nothing."""
    info = engine._info(tag)
    if info is None or element.VR in ("SQ", "UN"):
        return False
    quick = engine._quick_check(info, element.VR)
    if quick is None:
        return False
    answer = quick(element, engine._Context(explicit, decoding))
    if answer is None:
        return False
    full = engine._Context(explicit, decoding)
    empty = engine._check_value(tag, element, info, dataset, info.keyword, full)
    assert answer == empty, (where, hex(tag), element)
    assert list(full.findings) == [], (where, hex(tag), list(full.findings))
    return True


def test_quick_answers_are_check_values_answers() -> None:
    answered = 0
    for path, dataset in each(DCM_FILES):
        for scope, tag, element in elements(dataset):
            for explicit in (False, True):
                for decoding in (False, True):
                    answered += _answered(path.name, scope, tag, element, explicit, decoding)
    assert answered > 5000


def test_quick_answers_on_converted_values_are_check_values_answers() -> None:
    """The same on every element converted by pydicom (``dataset[tag]``): numbers as IS and DS
    objects, several values as MultiValue, names as PersonName."""
    answered: dict[str, int] = {}
    for path, dataset in each(DCM_FILES):
        for scope, tag, element in elements(dataset):
            if element.VR in ("SQ", "UN"):
                continue
            try:
                converted = scope[tag]
            except Exception:
                continue
            if isinstance(converted.value, bytes | str):
                continue
            for decoding in (False, True):
                if _answered(path.name, scope, tag, converted, True, decoding):
                    kind = type(converted.value).__name__
                    answered[kind] = answered.get(kind, 0) + 1
    for kind in ("DSfloat", "IS", "MultiValue", "PersonName"):
        assert answered.get(kind, 0) > 20, answered


@pytest.mark.parametrize(
    ("tag", "vr", "raw"),
    [
        (0x00080060, "CS", b"ct"),  # lower case: not a CS character (PS3.5 table 6.2-1)
        (0x00080060, "CS", b"CT\\MR"),  # Modality: VM 1
        (0x00280010, "US", b"\x01\x00\x02\x00"),  # Rows: VM 1, two values
        (0x00280010, "US", b"\x01\x00\x02"),  # no whole number of 2-byte values
        (0x00200032, "DS", b"1\\2"),  # Image Position (Patient): VM 3
        (0x00080008, "CS", b"ORIGINAL\\PRIMARY\\axial"),
        (0x00100010, "PN", b"A" * 65),  # a component group longer than 64
    ],
)
def test_faults_are_left_to_check_value(tag: int, vr: str, raw: bytes) -> None:
    element = RawDataElement(BaseTag(tag), vr, len(raw), raw, 0, False, True)
    info = engine._info(tag)
    assert info is not None
    quick = engine._quick_check(info, vr)
    assert quick is not None
    assert quick(element, engine._Context(True, False)) is None
    ctx = engine._Context(True, False)
    engine._check_value(tag, element, info, Dataset(), info.keyword, ctx)
    assert ctx.findings  # and _check_value reports it


def test_what_is_kept_per_tag_stays_bounded() -> None:
    """Tags come from the files: what the engine and the decoding keep per tag has a bound, so
    that an archive of files full of unknown tags does not grow the process."""
    from dicomstd import conditions, rawvalue

    unknown = [(0x7FF0 << 16) | number for number in range(1, 0x10000)] + [
        (0x7FEE << 16) | number for number in range(1, 0x2000)
    ]
    for tag in unknown:
        engine._info(tag)
        engine._keyword(tag)
        rawvalue._implicit_vr(tag)
        conditions._kind(tag)
    assert sum(info is None for info in engine._INFO.values()) <= engine._UNKNOWN_KEPT
    assert engine._keyword.cache_info().currsize <= 4096
    assert rawvalue._implicit_vr.cache_info().currsize <= 8192
    assert len(conditions._KINDS) <= 65536
