"""UIDs: generated constants, registry lookups by value or keyword, the UID type.

Expected values are those of PS3.6 2015b annex A (the edition of the committed package), read in
the XML; keywords are derived from the names by the documented rule (2015b has no keyword column).
"""

from __future__ import annotations

import pytest

from dicomstd import uids
from dicomstd.errors import UnknownUIDError
from dicomstd.uid import UID, UidInfo


def test_constants_are_uid_values() -> None:
    # table A-1 rows 125, 2, 1
    assert uids.CTImageStorage == "1.2.840.10008.5.1.4.1.1.2"
    assert uids.ImplicitVRLittleEndian == "1.2.840.10008.1.2"
    assert uids.Verification == "1.2.840.10008.1.1"
    assert isinstance(uids.CTImageStorage, UID)
    assert isinstance(uids.CTImageStorage, str)


def test_lookup_by_value_and_keyword_agree() -> None:
    by_value = uids.lookup("1.2.840.10008.5.1.4.1.1.2")
    assert by_value == uids.lookup("CTImageStorage") == uids.lookup(uids.CTImageStorage)
    assert isinstance(by_value, UidInfo)
    assert (by_value.name, by_value.keyword, by_value.type, by_value.part) == (
        "CT Image Storage",
        "CTImageStorage",
        "SOP Class",
        "PS3.4",
    )
    assert (by_value.retired, by_value.source) == (False, "table_A-1")


def test_uid_type_looks_itself_up() -> None:
    ct = UID("1.2.840.10008.5.1.4.1.1.2")
    assert (ct.name, ct.keyword, ct.is_retired) == ("CT Image Storage", "CTImageStorage", False)
    assert ct.info is not None and ct.info.type == "SOP Class"
    unknown = UID("1.2.3.4")
    assert (unknown.name, unknown.keyword, unknown.is_retired, unknown.info) == (
        "",
        "",
        False,
        None,
    )


@pytest.mark.parametrize(
    ("value", "keyword", "retired"),
    [
        ("1.2.840.10008.1.2.2", "ExplicitVRBigEndian", True),  # A-1 row 5
        ("1.2.840.10008.5.1.4.1.1.6", "UltrasoundImageStorageRetired", True),  # A-1 row 136
        ("1.2.840.10008.5.1.4.1.1.6.1", "UltrasoundImageStorage", False),  # A-1 row 137
        ("1.2.840.10008.5.1.4.1.1.9.1.1", "TwelveLeadECGWaveformStorage", False),  # row 147
        ("1.2.840.10008.1.2.4.52", "JPEGExtendedProcess35", True),
    ],
)
def test_keywords_and_retirement(value: str, keyword: str, retired: bool) -> None:
    info = uids.lookup(value)
    assert (info.keyword, info.retired) == (keyword, retired)
    assert getattr(uids, keyword) == value
    assert UID(value).is_retired is retired


def test_frames_of_reference_context_groups_and_templates() -> None:
    # A-1 row 40 and A-2 row 1: kept once, from A-1
    frame = uids.lookup("1.2.840.10008.1.4.1.1")
    assert (frame.name, frame.type, frame.source) == (
        "Talairach Brain Atlas Frame of Reference",
        "Well-known frame of reference",
        "table_A-1",
    )
    # A-3 row 1: only a link to CID 2 in 2015b
    group = uids.lookup("1.2.840.10008.6.1.1")
    assert (group.name, group.type, group.keyword) == ("CID 2", "Context Group Name", "")
    # A-4 row 1: the name only links into PS3.20: no keyword, no constant
    template = uids.lookup("1.2.840.10008.9.1")
    assert (template.type, template.keyword, template.source) == (
        "Document TemplateID",
        "",
        "table_A-4",
    )
    assert not any(name.startswith("PS320") for name in dir(uids))


@pytest.mark.parametrize(
    "padded", ["1.2.840.10008.1.2\0", " 1.2.840.10008.1.2 ", "1.2.840.10008.1.2 \0"]
)
def test_padded_values_as_read_from_files(padded: str) -> None:
    assert uids.lookup(padded).keyword == "ImplicitVRLittleEndian"


@pytest.mark.parametrize("key", ["1.2.3.4", "CTImageStorag", "", "PatientName"])
def test_unknown_uids_raise_a_key_error_naming_them(key: str) -> None:
    with pytest.raises(UnknownUIDError) as caught:
        uids.lookup(key)
    assert isinstance(caught.value, KeyError)
    assert repr(key) in str(caught.value)
    assert uids.get(key) is None


def test_entries_hold_each_uid_once() -> None:
    entries = uids.entries()
    # 358 + 20 + 927 + 24 rows in tables, the 20 of A-2 also in A-1
    assert len(entries) == 1309
    assert len({info.value for info in entries}) == 1309
    keywords = [info.keyword for info in entries if info.keyword]
    assert len(keywords) == len(set(keywords))
