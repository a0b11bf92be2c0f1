"""Differential test: our dictionary against pydicom's, on every tag both have.

pydicom follows a later edition than the 2015b our generated code is built from, so some entries
differ for good reasons; ``pydicom_allowlist.toml`` lists each with the reason for its group. The
comparison fails on a difference not listed and on a listed entry that is no longer a difference,
and a sibling test checks every allowlisted "ours" value against the raw 2015b XML.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pydicom.datadict as datadict
import pytest

# The dictionaries pydicom.datadict uses, from the module that defines them.
from pydicom._dicom_dict import DicomDictionary, RepeatersDictionary

from dicomstd import dictionary
from dicomstd._generated import PARTS
from tests.codegen.support import raw_registry_rows
from tests.conftest import require_part

ALLOWLIST = Path(__file__).with_name("pydicom_allowlist.toml")
FIELDS = ("name", "keyword", "vr", "vm", "retired")

Key = tuple[str, str]
Value = str | bool


def load_allowlist() -> tuple[str, dict[Key, tuple[Value, Value, str]]]:
    data: dict[str, Any] = tomllib.loads(ALLOWLIST.read_text(encoding="utf-8"))
    listed: dict[Key, tuple[Value, Value, str]] = {}
    for group in data["group"]:
        assert group["name"] and group["reason"], group
        for item in group["differences"]:
            key = (item["tag"], item["field"])
            assert item["field"] in FIELDS, item
            assert key not in listed, f"{key} is listed twice"
            listed[key] = (item["ours"], item["pydicom"], group["name"])
    return data["edition"], listed


def vr_text(codes: set[str]) -> str:
    return " or ".join(sorted(codes))


def pydicom_entries() -> dict[str, tuple[str, str, str, str, str]]:
    """Tag as the standard writes it ("(60xx,3000)") -> (VR, VM, name, retired, keyword)."""
    entries: dict[str, tuple[str, str, str, str, str]] = {}
    for number, value in DicomDictionary.items():
        entries[f"({number >> 16:04X},{number & 0xFFFF:04X})"] = value
    for text, value in RepeatersDictionary.items():
        entries[f"({text[:4]},{text[4:]})"] = value
    return entries


def actual_differences() -> tuple[dict[Key, tuple[Value, Value]], int]:
    theirs = pydicom_entries()
    differences: dict[Key, tuple[Value, Value]] = {}
    compared = 0
    for element in dictionary.entries():
        other = theirs.get(element.tag_text)
        if other is None:
            continue
        compared += 1
        vr, vm, name, retired, keyword = other
        ours: dict[str, Value] = {
            "name": element.name,
            "keyword": element.keyword,
            "vr": vr_text({str(code) for code in element.vrs}),
            "vm": element.vm.text,
            "retired": element.retired,
        }
        their: dict[str, Value] = {
            "name": name,
            "keyword": keyword,
            "vr": vr,
            "vm": vm,
            "retired": retired == "Retired",
        }
        for field in FIELDS:
            same = (
                set(str(ours[field]).split(" or ")) == set(vr.split(" or "))
                if field == "vr"
                else ours[field] == their[field]
            )
            if not same:
                differences[(element.tag_text, field)] = (ours[field], their[field])
    return differences, compared


def test_the_dictionaries_are_those_pydicom_datadict_uses() -> None:
    assert vars(datadict)["DicomDictionary"] is DicomDictionary
    assert vars(datadict)["RepeatersDictionary"] is RepeatersDictionary


def test_the_allowlist_is_for_the_generated_edition() -> None:
    edition, _ = load_allowlist()
    generated = {part: edition for part, edition, _ in PARTS}
    assert generated["PS3.6"] == edition, (
        f"the generated dictionary is PS3.6 {generated['PS3.6']} but the allowlist is for "
        f"{edition}: review every difference and rewrite tests/codegen/pydicom_allowlist.toml"
    )


def test_every_difference_from_pydicom_is_listed_and_every_listed_one_exists() -> None:
    _, listed = load_allowlist()
    actual, compared = actual_differences()
    assert compared > 3800  # the tag forms of both sides line up (repeating groups included)
    new = {key: value for key, value in actual.items() if key not in listed}
    stale = sorted(key for key in listed if key not in actual)
    changed = {
        key: (value, listed[key][:2])
        for key, value in actual.items()
        if key in listed and value != listed[key][:2]
    }
    assert not new, f"differences from pydicom not in the allowlist: {new}"
    assert not stale, f"allowlist entries that are no longer differences: {stale}"
    assert not changed, f"differences whose values changed (actual, listed): {changed}"


def _codes(cell: str) -> set[str]:
    return {part for part in re.split(r"\s+or\s+", cell) if re.fullmatch(r"[A-Z]{2}", part)}


@pytest.mark.standard
def test_allowlisted_values_are_what_2015b_says() -> None:
    edition, listed = load_allowlist()
    rows = raw_registry_rows(require_part(edition, 6))
    for (tag, field), (ours, _, group) in sorted(listed.items()):
        _, cells = rows[tag.upper()]
        _, name, keyword, vr, vm, last = cells[:6]
        cell_values: dict[str, Value] = {
            "name": name,
            "keyword": "".join(keyword.split()),
            "vr": vr_text(_codes(vr)),
            "vm": vm,
            "retired": last.startswith("RET"),
        }
        said = cell_values[field]
        assert ours == said, f"{tag} {field} ({group}): allowlist says {ours!r}, XML {said!r}"


@pytest.mark.standard
def test_retirement_groups_match_the_last_column() -> None:
    """The groups that claim a 2015b retirement state agree with the raw last column."""
    edition, listed = load_allowlist()
    rows = raw_registry_rows(require_part(edition, 6))
    for (tag, field), (_, _, group) in listed.items():
        if group == "retired after 2015b":
            assert field == "retired" and rows[tag.upper()][1][5] == "", tag
        if group == "no longer retired after 2015b":
            assert field == "retired" and rows[tag.upper()][1][5].startswith("RET"), tag
