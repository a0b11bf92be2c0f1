from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dicomstd import Tag, TagPattern


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


@pytest.mark.parametrize("bad", ["(0010,001)", "PatientNmae", "", "0x1234567890", "(GGGG,0010)"])
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


# -- repeating-group patterns ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value", "mask"),
    [
        ("(60xx,3000)", 0x60003000, 0xFF00FFFF),
        ("(50xx,xxxx)", 0x50000000, 0xFF000000),
        ("(0020,31xx)", 0x00203100, 0xFFFFFF00),
        ("(1000,xxx0)", 0x10000000, 0xFFFF000F),
        ("(7Fxx,0010)", 0x7F000010, 0xFF00FFFF),
        ("60xx,3000", 0x60003000, 0xFF00FFFF),
        ("(60XX,3000)", 0x60003000, 0xFF00FFFF),
        ("(60xx, 3000)", 0x60003000, 0xFF00FFFF),
        ("(0010,0010)", 0x00100010, 0xFFFFFFFF),
    ],
)
def test_tag_pattern_parse(text: str, value: int, mask: int) -> None:
    pattern = TagPattern.parse(text)
    assert (pattern.value, pattern.mask) == (value, mask)
    assert pattern.repeating == (mask != 0xFFFFFFFF)
    assert pattern == TagPattern(value, mask)
    assert hash(pattern) == hash(TagPattern(value, mask))
    assert TagPattern.parse(str(pattern)) == pattern


def test_tag_pattern_matches() -> None:
    overlay = TagPattern.parse("(60xx,3000)")
    assert str(overlay) == "(60xx,3000)"
    assert overlay.matches(0x60003000) and overlay.matches(0x60FE3000)
    assert not overlay.matches(0x60003001) and not overlay.matches(0x61003000)
    escape = TagPattern.parse("(1000,xxx0)")
    assert escape.matches(0x10001230) and not escape.matches(0x10001231)
    assert repr(escape) == "TagPattern.parse('(1000,xxx0)')"


def test_tag_pattern_keeps_only_fixed_bits() -> None:
    assert TagPattern(0x60123000, 0xFF00FFFF).value == 0x60003000


@pytest.mark.parametrize("bad", ["(60yy,3000)", "(600,3000)", "PatientName", ""])
def test_tag_pattern_rejects(bad: str) -> None:
    with pytest.raises(ValueError, match="not a tag pattern"):
        TagPattern.parse(bad)


def test_tag_rejects_non_integers() -> None:
    with pytest.raises(TypeError):
        Tag(True)
    with pytest.raises(TypeError):
        Tag("0010", 0x0010)


def test_tag_of_a_tag_is_the_same_tag() -> None:
    tag = Tag(0x00100010)
    assert Tag(tag) is tag
    assert f"{tag}" == "(0010,0010)" and f"{tag:08X}" == "00100010"
    assert Tag(0x0011, 0x0010).is_private_creator and not Tag(0x0011, 0x1000).is_private_creator


@pytest.mark.parametrize("bad", [1.5, 16.0])
def test_a_float_is_not_a_tag(bad: float) -> None:
    with pytest.raises(TypeError):
        Tag(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Tag(0x0010, bad)  # type: ignore[arg-type]
