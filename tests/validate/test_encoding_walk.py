"""The walk of a file's encoding gives the same result with and without its quick way through
the common top-level elements (``encoding.QUICK``): on every file of pydicom's test-file folder
and on 600 of them mutated (cut, bytes flipped, lengths and VR codes edited, items inserted),
the same elements, offsets, sequences, findings and stop."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from dicomstd.validation import encoding
from dicomstd.validation.limits import Limits
from tests.fuzz.cases import random_case
from tests.validate.pydicom_files import DCM_FILES


def _inputs() -> Iterator[bytes]:
    for path in DCM_FILES:
        yield path.read_bytes()
    rng = random.Random(20261129)
    for _ in range(600):
        yield random_case(rng)


def _walked(data: bytes, quick: bool, limits: Limits) -> encoding.Scan:
    encoding.QUICK = quick
    try:
        return encoding.scan(data, limits)
    finally:
        encoding.QUICK = True


@pytest.mark.parametrize("limits", [Limits(), Limits(elements=40)], ids=["default", "40 elements"])
def test_the_quick_way_walks_as_the_general_one(limits: Limits) -> None:
    walked = quick_top = 0
    for data in _inputs():
        general = _walked(data, False, limits)
        quick = _walked(data, True, limits)
        assert quick == general
        walked += 1
        quick_top += len(quick.top)
    assert walked > 600 and quick_top > 10_000
