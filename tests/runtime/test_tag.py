from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dicomstd import Tag


@pytest.mark.parametrize(
    "value",
    [0x00100010, "(0010,0010)", "0010,0010", "00100010", "0x00100010", " (0010, 0010) "],
)
def test_tag_forms_agree(value: int | str) -> None:
    assert Tag(value) == Tag(0x0010, 0x0010) == 0x00100010


def test_tag_text_and_parts() -> None:
    tag = Tag(0x7FE0, 0x0010)
    assert str(tag) == "(7FE0,0010)"
    assert repr(tag) == "Tag(0x7FE0, 0x0010)"
    assert (tag.group, tag.element) == (0x7FE0, 0x0010)
    assert not tag.is_private
    assert Tag(0x0009, 0x0010).is_private_creator


@pytest.mark.parametrize("bad", ["(0010,001)", "PatientName", "", "0x1234567890", "(GGGG,0010)"])
def test_bad_strings_raise_value_error(bad: str) -> None:
    with pytest.raises(ValueError, match="not a tag"):
        Tag(bad)


@pytest.mark.parametrize("bad", [-1, 0x1_0000_0000])
def test_out_of_range_raises(bad: int) -> None:
    with pytest.raises(ValueError):
        Tag(bad)


def test_group_element_out_of_range() -> None:
    with pytest.raises(ValueError):
        Tag(0x10000, 0)


@given(st.integers(min_value=0, max_value=0xFFFFFFFF))
def test_round_trip_through_text(number: int) -> None:
    tag = Tag(number)
    assert Tag(str(tag)) == tag
    assert hash(tag) == hash(number)


@given(st.lists(st.integers(min_value=0, max_value=0xFFFFFFFF), max_size=20))
def test_ordering_is_numeric(numbers: list[int]) -> None:
    assert [int(t) for t in sorted(Tag(n) for n in numbers)] == sorted(numbers)
