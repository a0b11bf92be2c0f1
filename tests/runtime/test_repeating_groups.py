"""Repeating-group tags (dicomstd.tag.RepeatingGroups), the one lookup the dictionary and the
generator share. PS3.6 table 6-1: (60xx,3000) Overlay Data, (1000,xxx0) Escape Triplet,
(1000,xxx1) Run Length Triplet."""

from __future__ import annotations

from dicomstd import dictionary
from dicomstd.tag import RepeatingGroups, TagPattern


def pattern(text: str) -> tuple[int, int]:
    parsed = TagPattern.parse(text)
    return parsed.value, parsed.mask


def test_a_tag_matches_its_repeating_group_entry() -> None:
    groups = RepeatingGroups[str]()
    groups.add(*pattern("(60xx,3000)"), "OverlayData")
    groups.add(*pattern("(1000,xxx0)"), "EscapeTriplet")
    groups.add(*pattern("(1000,xxx1)"), "RunLengthTriplet")
    assert groups.match(0x60023000) == "OverlayData"
    assert groups.match(0x10000120) == "EscapeTriplet"
    assert groups.match(0x10000121) == "RunLengthTriplet"
    assert groups.match(0x60023001) is None
    assert groups.get(*pattern("(60xx,3000)")) == "OverlayData"
    assert groups.get(0x60003000, 0xFFFFFFFF) is None  # written exactly: not this entry


def test_the_most_specific_mask_wins_and_the_first_entry_of_a_pattern_is_kept() -> None:
    groups = RepeatingGroups[str]()
    groups.add(*pattern("(xxxx,3000)"), "any group")
    groups.add(*pattern("(60xx,3000)"), "overlay")
    groups.add(*pattern("(60xx,3000)"), "overlay again")
    assert groups.match(0x60023000) == "overlay"
    assert groups.match(0x70023000) == "any group"


def test_the_dictionary_looks_repeating_groups_up_through_it() -> None:
    assert dictionary.lookup(0x60023000).keyword == "OverlayData"
    element = dictionary.repeating(*pattern("(60xx,3000)"))
    assert element is not None and element.keyword == "OverlayData"
