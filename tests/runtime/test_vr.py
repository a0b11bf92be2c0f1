"""VR: the Value Representations of PS3.5 table 6.2-1 with their limits as data.

Expected limits are those of the 2015b table (the edition of the committed package), read row by
row in the XML (Length of Value column).
"""

from __future__ import annotations

import pytest

from dicomstd.vr import VR, VRSpec, bare_text

CODES_2015B = (
    "AE AS AT CS DA DS DT FL FD IS LO LT OB OD OF OW PN SH SL SQ SS ST TM UC UI UL UN UR US UT"
).split()


def test_every_row_is_a_member() -> None:
    assert sorted(vr.value for vr in VR) == sorted(CODES_2015B)
    assert len(VR) == 30


@pytest.mark.parametrize(
    ("vr", "max_length", "fixed", "unit"),
    [
        (VR.AE, 16, False, "bytes"),  # 16 bytes maximum
        (VR.AS, 4, True, "bytes"),  # 4 bytes fixed
        (VR.AT, 4, True, "bytes"),
        (VR.CS, 16, False, "bytes"),
        (VR.DA, 8, True, "bytes"),  # 8 bytes fixed (18 in a range query)
        (VR.DS, 16, False, "bytes"),
        (VR.DT, 26, False, "bytes"),
        (VR.FL, 4, True, "bytes"),
        (VR.FD, 8, True, "bytes"),
        (VR.IS, 12, False, "bytes"),
        (VR.LO, 64, False, "chars"),  # 64 chars maximum
        (VR.LT, 10240, False, "chars"),
        (VR.OD, 2**32 - 8, False, "bytes"),  # 2^32-8 bytes maximum
        (VR.OF, 2**32 - 4, False, "bytes"),
        (VR.PN, 64, False, "chars"),  # 64 chars maximum per component group
        (VR.SH, 16, False, "chars"),
        (VR.SL, 4, True, "bytes"),
        (VR.SS, 2, True, "bytes"),
        (VR.ST, 1024, False, "chars"),
        (VR.TM, 14, False, "bytes"),  # 14 in 2015b (16 in 2013)
        (VR.UC, 2**32 - 2, False, "bytes"),
        (VR.UI, 64, False, "bytes"),
        (VR.UL, 4, True, "bytes"),
        (VR.UR, 2**32 - 2, False, "bytes"),
        (VR.US, 2, True, "bytes"),
        (VR.UT, 2**32 - 2, False, "bytes"),
    ],
)
def test_length_limits(vr: VR, max_length: int, fixed: bool, unit: str) -> None:
    assert (vr.max_length, vr.fixed_length, vr.length_unit) == (max_length, fixed, unit)


@pytest.mark.parametrize("vr", [VR.OB, VR.OW, VR.SQ, VR.UN])
def test_no_length_limit(vr: VR) -> None:
    # OB, OW: "see Transfer Syntax definition"; SQ: "not applicable"; UN: "Any length valid …"
    assert (vr.max_length, vr.fixed_length, vr.length_unit) == (None, False, None)


def test_person_name_limit_is_per_component_group() -> None:
    assert VR.PN.spec.per_component_group
    assert not any(vr.spec.per_component_group for vr in VR if vr is not VR.PN)


@pytest.mark.parametrize(("vr", "query"), [(VR.DA, 18), (VR.DT, 54), (VR.TM, 28)])
def test_range_query_lengths(vr: VR, query: int) -> None:
    assert vr.spec.query_max_length == query


def test_spec_row() -> None:
    spec = VR.PN.spec
    assert isinstance(spec, VRSpec)
    assert (spec.code, spec.name, spec.source) == ("PN", "Person Name", "table_6.2-1")
    assert VR.UI.spec.name == "Unique Identifier (UID)"
    assert VR.OD.spec.length_text.startswith("2^32-8 bytes maximum")


def test_members_are_their_codes() -> None:
    assert VR("PN") is VR.PN
    assert VR.PN == "PN" and str(VR.PN) == "PN"
    with pytest.raises(ValueError):
        VR("XX")


def test_kinds() -> None:
    assert VR.PN.is_string and not VR.PN.is_text
    assert VR.LT.is_text and VR.ST.is_text and VR.UT.is_text and VR.LT.is_string
    assert not VR.US.is_string and not VR.OB.is_string
    assert VR.SQ.is_sequence and not VR.SQ.is_string
    assert {vr for vr in VR if vr.is_sequence} == {VR.SQ}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b"1.2.840.10008.1.2\x00", "1.2.840.10008.1.2"),  # UI padded with NUL
        ("ORIGINAL ", "ORIGINAL"),  # CS padded with SPACE
        (" \x00", ""),
        (None, ""),
        (b"Caf\xe9", "Café"),  # the default repertoire's Latin-1 reading
        (512, "512"),
    ],
)
def test_bare_text_strips_the_padding_of_ps3_5_6_2(value: object, expected: str) -> None:
    assert bare_text(value) == expected
