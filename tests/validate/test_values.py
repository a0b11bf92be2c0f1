"""The per-value rules of PS3.5: examples read from the standard, boundaries, properties.

Expected results come from reading PS3.5 (2015b): table 6.2-1 (VR definitions, repertoires and
lengths), 6.1 (repertoires and control characters), 6.2 (padding, lengths including padding),
6.2.1 (PN), 6.4 (multiple values, padding of the last value) and 9.1 (UID encoding).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.sequence import Sequence as PydicomSequence
from pydicom.valuerep import PersonName

from dicomstd._generated.vrs import SPECS
from dicomstd.validation import values as values_module
from dicomstd.validation.values import (
    NEVER_SPLIT,
    NO_PROBLEMS,
    ValueProblem,
    binary_vrs,
    check_binary_length,
    check_strings,
    split_values,
    string_vrs,
    value_count,
)

RULES = {"length", "repertoire", "syntax", "range", "padding", "binary-length"}

# Length of Value column of PS3.5 2015b table 6.2-1, as a person reads it.
TABLE_MAXIMA = {
    "AE": 16,
    "AS": 4,
    "CS": 16,
    "DA": 8,
    "DS": 16,
    "DT": 26,
    "IS": 12,
    "LO": 64,
    "LT": 10240,
    "PN": 64,
    "SH": 16,
    "ST": 1024,
    "TM": 14,
    "UI": 64,
    "UC": 2**32 - 2,
    "UR": 2**32 - 2,
    "UT": 2**32 - 2,
}


def rules_of(problems: Sequence[ValueProblem]) -> list[tuple[str, int | None]]:
    return [(p.rule, p.value_index) for p in problems]


# --- the table the rules are built from --------------------------------------------------------


def test_table_maxima_are_those_of_ps3_5() -> None:
    assert {code: SPECS[code].max_length for code in TABLE_MAXIMA} == TABLE_MAXIMA
    assert SPECS["AS"].fixed_length and SPECS["DA"].fixed_length
    assert SPECS["PN"].per_component_group


def test_every_string_vr_of_the_table_has_a_rule() -> None:
    strings = {c for c, s in SPECS.items() if not s.repertoire.startswith("not applicable")}
    assert string_vrs() == strings == set(TABLE_MAXIMA)


def test_limits_come_from_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    # Halve the maxima of the table: the rules follow, nothing is hard-coded.
    specs = {code: spec._replace(max_length=8) for code, spec in SPECS.items() if code in {"UT"}}
    monkeypatch.setattr(values_module, "_RULES", values_module._build_rules(specs))
    assert check_strings("UT", ["12345678"]) == NO_PROBLEMS
    assert rules_of(check_strings("UT", ["123456789"])) == [("length", None)]


# --- examples per VR ---------------------------------------------------------------------------

VALID: list[tuple[str, list[str]]] = [
    # AE: leading and trailing spaces are not significant (table 6.2-1).
    ("AE", ["STORESCP"]),
    ("AE", [" ANY-SCP "]),
    ("AE", ["A" * 16]),
    # AS: nnnD, nnnW, nnnM, nnnY; "018M" is the table's own example.
    ("AS", ["018M"]),
    ("AS", ["000D"]),
    ("AS", ["045Y", "003W "]),  # 4+1+4 = 9 bytes: the last value carries the padding (6.4)
    # CS: uppercase, digits, space, underscore.
    ("CS", ["ORIGINAL", "PRIMARY", "AXIAL"]),
    ("CS", ["ISO_IR 100"]),
    ("CS", ["", "ISO 2022 IR 87"]),  # an empty value 1 (PS3.3 Specific Character Set)
    ("CS", ["AB", "ABCDEFGHIJKLMNOP "]),  # 2+1+16 = 19: padded last value of 17 (6.4)
    # DA: YYYYMMDD of the Gregorian calendar; "19930822" is the table's example.
    ("DA", ["19930822"]),
    ("DA", ["20000229"]),
    ("DA", ["00000101"]),
    ("DA", ["20150101", "20150102 "]),
    # DS: fixed or floating point, leading/trailing spaces (table 6.2-1); 6.3's examples.
    ("DS", ["001", "1.0", "1.", "1.0000E+00"]),
    ("DS", [" -.5e-3 ", "+7", "1E5", "0"]),
    ("DS", ["1234567890123456"]),
    # DT: the table's examples.
    ("DT", ["2007-0500"]),
    ("DT", ["195308"]),
    ("DT", ["19530827111300.0"]),
    ("DT", ["20150101235960.123456+1400"]),
    ("DT", ["20150101-1200 "]),
    ("DT", ["2016"]),
    # IS: -2^31 .. 2^31-1, padded with spaces.
    ("IS", ["-2147483648", "2147483647", " +12 ", "0001"]),
    # LO, SH, UC: any character but BACKSLASH and controls other than ESC.
    ("LO", ["GE MEDICAL SYSTEMS", "  Müller  ", ""]),
    ("LO", ["\x1b$B;3ED\x1b(B"]),  # ISO 2022 escapes (6.1.2.4), not counted in the length
    ("SH", ["-0500 "]),
    ("UC", ["any length", "Ünïcödé"]),
    # LT, ST, UT: BACKSLASH and TAB, LF, FF, CR, ESC allowed.
    ("LT", ["line 1\r\nline 2\tC:\\path\x0c"]),
    ("ST", ["  leading spaces are significant"]),
    ("UT", ["x" * 100_000]),
    # PN: the examples of 6.2.1.1 and of Annex H (decoded).
    ("PN", ["Adams^John Robert Quincy^^Rev.^B.A. M.Div."]),
    ("PN", ["Morrison-Jones^Susan^^^Ph.D., Chief Executive Officer"]),
    ("PN", ["Doe^John", "Smith^Fluffy", "ABC Farms^Running on Water"]),
    ("PN", ["Yamada^Tarou=山田^太郎=やまだ^たろう"]),
    ("PN", ["=山田^太郎"]),
    ("PN", ["Wang^XiaoDong=\x1b$B2&\x1b(B^\x1b$B>.El\x1b(B="]),
    # TM: the table's examples.
    ("TM", ["070907.0705 "]),
    ("TM", ["1010"]),
    ("TM", ["00", "2359", "235960", "000000.1"]),
    # UI: 9.1, with the single trailing NUL when the UID is odd.
    ("UI", ["1.2.840.10008.1.2"]),
    ("UI", ["1.2.840.10008.1.2.1\x00"]),
    ("UI", ["1.2.840.10008.5.1.4.1.1.2", "1.2.3.0.1\x00"]),  # 25+1+9 = 35 -> NUL
    ("UI", ["0.0", "2.25.329800735698586629295641978511506172918"]),
    # UR: RFC 3986 characters, trailing spaces only.
    ("UR", ["http://example.com/a%20b?q=1#frag"]),
    ("UR", ["relative/path  "]),
]


@pytest.mark.parametrize(
    ("vr", "values"), VALID, ids=[f"{v}-{i}" for i, (v, _) in enumerate(VALID)]
)
def test_valid_values_have_no_problem(vr: str, values: list[str]) -> None:
    assert check_strings(vr, values) is NO_PROBLEMS


INVALID: list[tuple[str, list[str], list[tuple[str, int | None]]]] = [
    # AE: no backslash, no control characters, not solely spaces (table 6.2-1).
    ("AE", ["    "], [("syntax", None)]),
    ("AE", ["SCP\x01"], [("repertoire", None)]),
    ("AE", ["Ümlaut"], [("repertoire", None)]),  # AE is not extended (6.1.2.3 note)
    ("AE", ["A" * 17], [("length", None)]),
    # AS
    ("AS", ["18M"], [("length", None)]),
    ("AS", ["018m"], [("repertoire", None)]),
    ("AS", ["M018"], [("syntax", None)]),
    ("AS", ["018M "], [("padding", None)]),  # five bytes: padding that makes the field odd
    # CS
    ("CS", ["original"], [("repertoire", None)]),
    ("CS", ["A-B"], [("repertoire", None)]),
    ("CS", ["A" * 17], [("length", None)]),
    ("CS", ["A", "ABCDEFGHIJKLMNOP "], [("length", 1)]),  # 1+1+16 = 18: no padding needed
    ("CS", ["ABCDEFGHIJKLMNOP ", "A"], [("length", 0)]),  # only the last value (6.4)
    # DA
    ("DA", ["20150231"], [("range", None)]),
    ("DA", ["20150229"], [("range", None)]),
    ("DA", ["21000229"], [("range", None)]),  # 2100 is not a leap year
    ("DA", ["20151301"], [("range", None)]),
    ("DA", ["20150001"], [("range", None)]),
    ("DA", ["20150100"], [("range", None)]),
    ("DA", ["2015a101"], [("repertoire", None)]),
    ("DA", ["2015.01.01"], [("syntax", None)]),  # ACR-NEMA form, not compliant
    ("DA", ["20150101-20150201"], [("syntax", None)]),  # query range (PS3.4)
    ("DA", ["-20150201"], [("syntax", None)]),
    ("DA", ["2015010"], [("length", None)]),
    ("DA", ["201501011"], [("length", None)]),
    ("DA", ["20150101 "], [("padding", None)]),
    ("DA", ["20150101  ", "20150102"], [("padding", 0)]),
    ("DA", [" 20150101"], [("repertoire", None)]),
    # DS
    ("DS", ["nan"], [("repertoire", None)]),
    ("DS", ["inf"], [("repertoire", None)]),
    ("DS", ["1,5"], [("repertoire", None)]),
    ("DS", ["1.2.3"], [("syntax", None)]),
    ("DS", ["1 2"], [("syntax", None)]),
    ("DS", ["1e"], [("syntax", None)]),
    ("DS", ["."], [("syntax", None)]),
    ("DS", ["+-1"], [("syntax", None)]),
    ("DS", ["1.5D3"], [("repertoire", None)]),
    ("DS", ["12345678901234567"], [("length", None)]),
    ("DS", ["1", "x", "2", "3.3.3"], [("repertoire", 1), ("syntax", 3)]),
    # DT
    ("DT", ["20070101-0000"], [("range", None)]),  # -0000 is not allowed
    ("DT", ["20070101+1401"], [("range", None)]),
    ("DT", ["20070101-1201"], [("range", None)]),
    ("DT", ["20070101+0160"], [("range", None)]),
    ("DT", ["20070101240000"], [("range", None)]),
    ("DT", ["20070101235961"], [("range", None)]),
    ("DT", ["20070231"], [("range", None)]),
    ("DT", ["20071301"], [("range", None)]),
    ("DT", ["2007010"], [("syntax", None)]),
    ("DT", ["20070101."], [("syntax", None)]),
    ("DT", ["200701011200.5"], [("syntax", None)]),  # a fraction needs seconds
    ("DT", ["20070101120000.1234567"], [("syntax", None)]),  # seven fraction digits
    ("DT", ["20070101 1200"], [("syntax", None)]),
    ("DT", [" 20070101"], [("padding", None)]),
    ("DT", ["20070101-20080101"], [("syntax", None)]),
    ("DT", ["2007-"], [("syntax", None)]),
    # IS
    ("IS", ["2147483648"], [("range", None)]),
    ("IS", ["-2147483649"], [("range", None)]),
    ("IS", ["1.0"], [("repertoire", None)]),
    ("IS", ["1 2"], [("syntax", None)]),
    ("IS", ["+"], [("syntax", None)]),
    ("IS", ["1234567890123"], [("length", None)]),
    # LO, SH, UC
    ("LO", ["abc\x01"], [("repertoire", None)]),
    ("LO", ["tab\tbed"], [("repertoire", None)]),
    ("LO", ["line\r\n"], [("repertoire", None)]),
    ("LO", ["c1\x85"], [("repertoire", None)]),
    ("LO", ["del\x7f"], [("repertoire", None)]),
    ("LO", ["back\\slash"], [("repertoire", None)]),
    ("LO", ["lone\x1b"], [("repertoire", None)]),
    ("LO", ["x" * 65], [("length", None)]),
    ("SH", ["x" * 17], [("length", None)]),
    ("UC", ["a\nb"], [("repertoire", None)]),
    # LT, ST, UT
    ("LT", ["nul\x00"], [("repertoire", None)]),
    ("ST", ["bell\x07"], [("repertoire", None)]),
    ("UT", ["vt\x0b"], [("repertoire", None)]),
    ("ST", ["x" * 1025], [("length", None)]),
    ("LT", ["x" * 10241], [("length", None)]),
    # PN
    ("PN", ["A^B^C^D^E^F"], [("syntax", None)]),
    ("PN", ["A=B=C=D"], [("syntax", None)]),
    ("PN", ["A=B^C^D^E^F^G"], [("syntax", None)]),
    ("PN", ["\x1b$B;3ED\x1b(B^Tarou"], [("repertoire", None)]),  # no escapes in group 1
    ("PN", ["Doe\nJohn"], [("repertoire", None)]),
    ("PN", ["x" * 65], [("length", None)]),
    ("PN", ["x" * 64 + "=y"], [("length", None)]),  # 64 + its "=" delimiter
    ("PN", ["y=" + "x" * 65], [("length", None)]),
    # TM
    ("TM", ["021 "], [("syntax", None)]),  # the table's own invalid example
    ("TM", ["240000"], [("range", None)]),
    ("TM", ["2400"], [("range", None)]),  # midnight is 0000
    ("TM", ["1260"], [("range", None)]),
    ("TM", ["125961"], [("range", None)]),
    ("TM", ["120000."], [("syntax", None)]),
    ("TM", ["1200.5"], [("syntax", None)]),
    ("TM", ["120000.1234567"], [("syntax", None)]),
    ("TM", ["12:00:00"], [("syntax", None)]),  # ACR-NEMA form
    ("TM", ["1200-1300"], [("syntax", None)]),  # query range
    ("TM", [" 1200"], [("padding", None)]),
    ("TM", ["12 00"], [("syntax", None)]),
    ("TM", ["120000.123456  "], [("length", None)]),
    # UI
    ("UI", ["1.02.3"], [("syntax", None)]),
    ("UI", ["01.2"], [("syntax", None)]),
    ("UI", ["1.2."], [("syntax", None)]),
    ("UI", [".1.2"], [("syntax", None)]),
    ("UI", ["1..2"], [("syntax", None)]),
    ("UI", ["1.2", ""], [("syntax", 1)]),
    ("UI", ["1.2a"], [("repertoire", None)]),
    ("UI", ["1.2 3"], [("repertoire", None)]),
    ("UI", ["1.2\x003"], [("repertoire", None)]),
    ("UI", ["1.2 "], [("padding", None)]),  # padded with SPACE instead of NUL
    ("UI", ["1.23\x00"], [("padding", None)]),  # the NUL makes the field odd
    ("UI", ["1.2\x00\x00\x00"], [("padding", None)]),
    ("UI", ["1.2\x00", "1.35\x00"], [("padding", 0)]),  # only the last value is padded (6.4)
    ("UI", ["1.2\x00", "1.3\x00"], [("padding", 0), ("padding", 1)]),  # and the field is odd
    ("UI", ["1." + "2" * 63], [("length", None)]),
    # PS3.5 9: "UID = <org root>.<suffix>", the root "as defined by ISO/IEC 8824": two or more
    # components, the first of them 0, 1 or 2.
    ("UI", ["0"], [("syntax", None)]),
    ("UI", ["12345"], [("syntax", None)]),
    ("UI", ["9.8.7.6"], [("syntax", None)]),
    ("UI", ["1234567890.1998.310"], [("syntax", None)]),
    ("UI", ["1.23", "1." + "2" * 62 + "\x00"], [("length", 1)]),  # the NUL counts (9.1)
    # UR
    ("UR", [" http://x"], [("padding", None)]),
    ("UR", ["http://x/a b"], [("repertoire", None)]),
    ("UR", ["http://x/\\"], [("repertoire", None)]),
    ("UR", ["http://x/é"], [("repertoire", None)]),
    ("UR", ["http://x/%zz"], [("syntax", None)]),
]


@pytest.mark.parametrize(
    ("vr", "values", "expected"), INVALID, ids=[f"{v}-{i}" for i, (v, _, _) in enumerate(INVALID)]
)
def test_invalid_values_have_the_expected_problem(
    vr: str, values: list[str], expected: list[tuple[str, int | None]]
) -> None:
    problems = check_strings(vr, values)
    assert rules_of(problems) == expected
    for problem in problems:
        assert problem.message.startswith(f"{vr} value ")


def test_messages_name_the_value_and_truncate_long_ones() -> None:
    (problem,) = check_strings("DA", ["20150231"])
    assert problem.message.startswith("DA value '20150231' is not a valid date (YYYYMMDD)")
    (problem,) = check_strings("LO", ["x" * 70])
    assert repr("x" * 40) + "..." in problem.message
    assert "x" * 41 not in problem.message
    (problem,) = check_strings("DA", ["20150101-20150201"])
    assert "query" in problem.message


def test_empty_element_and_empty_values() -> None:
    for vr in sorted(string_vrs()):
        assert check_strings(vr, []) is NO_PROBLEMS
        assert check_strings(vr, [""]) is NO_PROBLEMS


def test_a_str_is_not_taken_for_its_characters() -> None:
    with pytest.raises(TypeError):
        check_strings("CS", "ORIGINAL")


@pytest.mark.parametrize("vr", ["US", "SQ", "UN", "OB", "US or SS", "XX"])
def test_non_string_vrs_are_refused(vr: str) -> None:
    with pytest.raises(ValueError, match="not a string VR"):
        check_strings(vr, ["1"])
    with pytest.raises(ValueError, match="not a string VR"):
        split_values(vr, "1")


# --- boundaries of table 6.2-1 -----------------------------------------------------------------

# (VR, a valid value of exactly the maximum, the same grown by one valid character)
BOUNDARIES = [
    ("AE", "A" * 16, "A" * 17),
    ("CS", "A" * 16, "A" * 17),
    ("DS", "1" * 16, "1" * 17),
    ("IS", "+00000000001", "+000000000001"),
    ("LO", "x" * 64, "x" * 65),
    ("SH", "x" * 16, "x" * 17),
    ("ST", "x" * 1024, "x" * 1025),
    ("LT", "x" * 10240, "x" * 10241),
    ("PN", "x" * 64, "x" * 65),
    ("UI", "1." + "2" * 62, "1." + "2" * 63),
    ("TM", "235959.123456 ", "235959.123456  "),
    ("DT", "20150101235959.123456+0100", "20150101235959.123456+0100 "),
    ("DA", "20150101", "201501011"),
    ("AS", "018M", "0018M"),
]


@pytest.mark.parametrize(("vr", "longest", "too_long"), BOUNDARIES)
def test_boundary_lengths(vr: str, longest: str, too_long: str) -> None:
    assert len(too_long) == len(longest) + 1
    assert check_strings(vr, [longest]) is NO_PROBLEMS
    assert rules_of(check_strings(vr, [too_long])) == [("length", None)]


def test_uid_nul_counts_in_the_64_bytes() -> None:
    # 9.1: "UIDs shall not exceed 64 total characters, including ... the NULL (00H) padding".
    assert check_strings("UI", ["1." + "2" * 61 + "\x00"]) is NO_PROBLEMS
    assert rules_of(check_strings("UI", ["1." + "2" * 63 + "\x00"])) == [("length", None)]


def test_escape_sequences_do_not_count() -> None:
    # 6.2: "Escape Sequences used for Code Extension shall not be included in the count".
    kanji = "\x1b$B" + "xx" * 8 + "\x1b(B"  # 8 two-byte characters, 16 characters counted here
    assert check_strings("SH", [kanji]) is NO_PROBLEMS
    assert rules_of(check_strings("SH", [kanji + "y"])) == [("length", None)]


# --- splitting, binary lengths, counting ------------------------------------------------------


def test_split_values() -> None:
    assert split_values("CS", "ORIGINAL\\PRIMARY\\AXIAL ") == ["ORIGINAL", "PRIMARY", "AXIAL "]
    assert split_values("CS", "") == []
    assert split_values("CS", "\\") == ["", ""]
    assert split_values("UC", "a\\b") == ["a", "b"]
    for vr in ("LT", "ST", "UT", "UR"):
        assert split_values(vr, "a\\b") == ["a\\b"]
    assert frozenset({"LT", "ST", "UT", "UR"}) == NEVER_SPLIT


@pytest.mark.parametrize(
    ("vr", "good", "bad"),
    [
        ("AT", [0, 4, 8], [2, 6]),
        ("FL", [0, 4, 12], [3, 6]),
        ("FD", [0, 8, 16], [4, 12]),
        ("SS", [0, 2, 6], [1, 3]),
        ("US", [0, 2, 6], [1, 5]),
        ("SL", [0, 4, 8], [2, 6]),
        ("UL", [0, 4, 8], [2, 7]),
        ("OW", [0, 2, 1024], [1, 1023]),
        ("OF", [0, 4, 2**32 - 4], [2, 6, 2**32]),
        ("OD", [0, 8, 2**32 - 8], [4, 12, 2**32]),
        ("OL", [0, 4, 8], [2, 6]),
        ("OB", [0, 1, 3, 2**40], []),
        ("UN", [0, 1, 7], []),
        ("SQ", [0, 5], []),
    ],
)
def test_binary_lengths(vr: str, good: list[int], bad: list[int]) -> None:
    for length in good:
        assert check_binary_length(vr, length) is NO_PROBLEMS, length
    for length in bad:
        (problem,) = check_binary_length(vr, length)
        assert (problem.rule, problem.value_index) == ("binary-length", None)
        assert problem.message.startswith(f"{vr} value field of {length} bytes")


def test_binary_vrs() -> None:
    fixed = {"AT", "FD", "FL", "SL", "SS", "UL", "US"}  # "n bytes fixed" in table 6.2-1
    assert binary_vrs() >= fixed | {"OB", "OD", "OF", "OW", "UN", "SQ"}
    assert not binary_vrs() & string_vrs()
    assert set(SPECS) <= binary_vrs() | string_vrs()


def test_binary_length_refuses_what_it_does_not_know() -> None:
    for vr in ("CS", "US or SS", "XX"):
        with pytest.raises(ValueError, match="not a binary VR"):
            check_binary_length(vr, 2)
    with pytest.raises(ValueError):
        check_binary_length("US", -2)


def test_value_count() -> None:
    assert value_count("CS", None) == 0
    assert value_count("CS", "") == 0
    assert value_count("CS", "A") == 1
    assert value_count("CS", "A\\B") == 2
    assert value_count("LT", "A\\B") == 1
    assert value_count("CS", ["A", "B", "C"]) == 3
    assert value_count("CS", MultiValue(str, ["A", "B"])) == 2
    assert value_count("US", (1, 2)) == 2
    assert value_count("US", 512) == 1
    assert value_count("FD", 0.0) == 1
    assert value_count("US", []) == 0
    assert value_count("US", b"\x00\x01\x00\x02") == 2
    assert value_count("OB", b"\x00\x01\x02") == 1
    assert value_count("OW", b"\x00\x01") == 1
    assert value_count("OB", b"") == 0
    assert value_count("UN", bytearray(b"x")) == 1
    assert value_count("FL", memoryview(b"\x00" * 8)) == 2
    assert value_count("CS", b"A\\B") == 2
    assert value_count("PN", PersonName("Doe^John")) == 1
    assert value_count("PN", PersonName("")) == 0
    assert value_count("SQ", PydicomSequence()) == 0
    assert value_count("SQ", PydicomSequence([Dataset(), Dataset()])) == 1


# --- a real file -------------------------------------------------------------------------------


def test_ct_small_has_no_problems() -> None:
    from tests.bench.values_bench import string_values

    elements = string_values(str(get_testdata_file("CT_small.dcm")))
    assert len(elements) > 100
    assert {vr for vr, _ in elements} >= {"CS", "DA", "DS", "IS", "LO", "PN", "TM", "UI"}
    assert [(vr, v) for vr, v in elements if check_strings(vr, v)] == []


# --- properties --------------------------------------------------------------------------------


def da_text(day: datetime.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def tm_text(moment: datetime.time, precision: int, digits: int) -> str:
    text = f"{moment.hour:02d}{moment.minute:02d}{moment.second:02d}"[: 2 * precision]
    if precision == 3 and digits:
        text += "." + f"{moment.microsecond:06d}"[:digits]
    return text


offsets = st.integers(-12 * 60, 14 * 60)  # -1200 to +1400 (table 6.2-1, DT)


def offset_text(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


@st.composite
def dt_values(draw: st.DrawFn) -> str:
    moment = draw(st.datetimes())
    precision = draw(st.integers(1, 6))  # YYYY, MM, DD, HH, MM, SS
    parts = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    text = f"{parts[0]:04d}" + "".join(f"{part:02d}" for part in parts[1:precision])
    if precision == 6:
        digits = draw(st.integers(0, 6))
        if digits:
            text += "." + f"{moment.microsecond:06d}"[:digits]
    if draw(st.booleans()):
        text += offset_text(draw(offsets))
    return text


uid_components = st.integers(0, 10**12).map(str)
# PS3.5 9: <org root>.<suffix>, the root an ISO/IEC 8824 object identifier (first arc 0, 1, 2).
uids = (
    st.tuples(st.sampled_from("012"), st.lists(uid_components, min_size=1, max_size=19))
    .map(lambda parts: ".".join([parts[0], *parts[1]]))
    .filter(lambda u: len(u) <= 64)
)


def padded_uid(uid: str) -> str:
    return uid + "\x00" if len(uid) % 2 else uid


@given(st.lists(st.dates(), min_size=1, max_size=4))
def test_dates_are_valid(days: list[datetime.date]) -> None:
    assert check_strings("DA", [da_text(d) for d in days]) is NO_PROBLEMS


@given(st.times(), st.integers(1, 3), st.integers(0, 6), st.integers(0, 1))
def test_times_are_valid(moment: datetime.time, precision: int, digits: int, pad: int) -> None:
    assert check_strings("TM", [tm_text(moment, precision, digits) + " " * pad]) is NO_PROBLEMS


@given(st.lists(dt_values(), min_size=1, max_size=3))
def test_date_times_are_valid(texts: list[str]) -> None:
    assert check_strings("DT", texts) is NO_PROBLEMS


@given(st.lists(uids, min_size=1, max_size=4))
def test_uids_are_valid(generated: list[str]) -> None:
    assert check_strings("UI", generated) is NO_PROBLEMS
    assert check_strings("UI", [padded_uid(generated[0])]) is NO_PROBLEMS
    encoded = split_values("UI", padded_uid("\\".join(generated)))  # the field padded (6.4)
    assume(len(encoded[-1]) <= 64)
    assert check_strings("UI", encoded) is NO_PROBLEMS


@given(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(1, 17),
    st.sampled_from(["g", "e", "E", "f"]),
)
def test_decimal_strings_are_valid(number: float, precision: int, style: str) -> None:
    text = f"{number:.{precision}{style}}"
    assume(len(text) <= 16)
    assert check_strings("DS", [text]) is NO_PROBLEMS
    assume(len(text) <= 14)
    assert check_strings("DS", [f" {text} "]) is NO_PROBLEMS


@given(st.integers(-(2**31), 2**31 - 1), st.booleans(), st.integers(0, 1))
def test_integer_strings_are_valid(number: int, plus: bool, pad: int) -> None:
    text = ("+" if plus and number >= 0 else "") + str(number) + " " * pad
    assert check_strings("IS", [text]) is NO_PROBLEMS


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _", max_size=16))
def test_code_strings_are_valid(text: str) -> None:
    assert check_strings("CS", [text]) is NO_PROBLEMS


@given(st.integers(0, 999), st.sampled_from("DWMY"))
def test_ages_are_valid(number: int, unit: str) -> None:
    assert check_strings("AS", [f"{number:03d}{unit}"]) is NO_PROBLEMS


long_string_chars = st.characters(
    codec="utf-8", exclude_characters="\\", min_codepoint=0x20
).filter(lambda c: not 0x7F <= ord(c) <= 0x9F)


@given(st.lists(st.text(long_string_chars, max_size=64), min_size=1, max_size=3))
def test_long_strings_are_valid(texts: list[str]) -> None:
    assert check_strings("LO", texts) is NO_PROBLEMS


pn_components = st.text(long_string_chars.filter(lambda c: c not in "^="), max_size=8)


@given(
    st.lists(st.lists(pn_components, min_size=1, max_size=5), min_size=1, max_size=3),
)
def test_person_names_are_valid(groups: list[list[str]]) -> None:
    assert check_strings("PN", ["=".join("^".join(g) for g in groups)]) is NO_PROBLEMS


# Targeted mutations: one change, exactly the rule it breaks.


@given(st.dates(), st.integers(0, 8), st.sampled_from("aZ/:"))
def test_a_letter_in_a_date_is_a_repertoire_problem(
    day: datetime.date, where: int, letter: str
) -> None:
    text = da_text(day)
    mutated = text[:where] + letter + text[where:]
    assert rules_of(check_strings("DA", [mutated])) == [("repertoire", None)]


@given(st.dates(), st.integers(32, 99))
def test_a_day_past_the_month_is_a_range_problem(day: datetime.date, bad_day: int) -> None:
    assert rules_of(check_strings("DA", [da_text(day)[:6] + str(bad_day)])) == [("range", None)]


@given(uids, st.data())
def test_a_leading_zero_in_a_uid_is_a_syntax_problem(uid: str, data: st.DataObject) -> None:
    components = uid.split(".")
    where = data.draw(st.integers(0, len(components) - 1))
    components[where] = "0" + str(data.draw(st.integers(0, 10**6)))
    mutated = ".".join(components)
    assume(len(mutated) <= 64)
    assert rules_of(check_strings("UI", [mutated])) == [("syntax", None)]


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", min_size=17, max_size=17))
def test_a_17_character_code_string_is_a_length_problem(text: str) -> None:
    assert rules_of(check_strings("CS", [text])) == [("length", None)]


@given(st.integers(2**31, 10**11 - 1) | st.integers(-(10**10) + 1, -(2**31) - 1))
def test_an_integer_out_of_range_is_a_range_problem(number: int) -> None:
    assert rules_of(check_strings("IS", [str(number)])) == [("range", None)]


@given(
    st.text(long_string_chars, max_size=63),
    st.integers(0, 63),
    st.sampled_from([chr(c) for c in (*range(0x1B), *range(0x1C, 0x20), *range(0x7F, 0xA0))]),
)
def test_a_control_character_in_a_long_string_is_a_repertoire_problem(
    text: str, where: int, control: str
) -> None:
    mutated = text[:where] + control + text[where:]
    assert rules_of(check_strings("LO", [mutated])) == [("repertoire", None)]


@given(st.times(), st.integers(24, 99))
def test_an_hour_past_23_is_a_range_problem(moment: datetime.time, hour: int) -> None:
    text = f"{hour:02d}{moment:%M%S}"
    assert rules_of(check_strings("TM", [text])) == [("range", None)]


@given(st.lists(st.dates(), min_size=2, max_size=5), st.data())
def test_the_index_names_the_bad_value(days: list[datetime.date], data: st.DataObject) -> None:
    texts = [da_text(d) for d in days]
    where = data.draw(st.integers(0, len(texts) - 1))
    texts[where] = texts[where][:4] + "13" + texts[where][6:]
    assert rules_of(check_strings("DA", texts)) == [("range", where)]


# Robustness: any text, any string VR: problems of the known kinds, never an exception.


@given(st.sampled_from(sorted(string_vrs())), st.text(max_size=80))
def test_any_text_gives_known_problems(vr: str, text: str) -> None:
    values = split_values(vr, text)
    if text:
        assert "\\".join(values) == text
    for problem in check_strings(vr, values):
        assert problem.rule in RULES
        assert problem.message.startswith(f"{vr} value ")
        assert problem.value_index is None or 0 <= problem.value_index < len(values)


# The fast path (one pattern per value) and the full diagnosis agree on every value.

SEEDS = {
    "DA": ["20150101", "20000229", "19000229", "20151231"],
    "TM": ["235960.123456", "0000", "12", "1200 ", "235959.123456 "],
    "DT": ["20150101235959.123456+1400", "2007-0500", "195308", "20000229-1200"],
    "UI": ["1.2.840.10008.1.2\x00", "1.2.0.3", "0", "1." + "2" * 62],
    "DS": [" -1.5E+3 ", ".5", "1.", "1234567890123456", "10.0000000000000 "],
    "IS": [" -2147483648", "+000000000001", "2147483647"],
    "AS": ["018M", "000D "],
    "PN": ["A^B^C^D^E=F^G=H", "x" * 63 + "=y"],
    "CS": ["ABC_ 1", "A" * 16],
    "AE": [" A ", "A" * 16],
    "UR": ["http://a/%20 ", "a"],
    "LO": ["\x1b$Babc\x1b(B", "x" * 64],
    "SH": ["ABC ", "x" * 16, "x" * 15 + " ", "x" * 16 + " "],
    "LT": ["a\\b", "x" * 10240, "\x1b"],
}


@st.composite
def near_valid(draw: st.DrawFn) -> tuple[str, list[str]]:
    vr = draw(st.sampled_from(sorted(SEEDS)))
    texts = draw(st.lists(st.sampled_from(SEEDS[vr]), min_size=1, max_size=3))
    mutated = []
    for text in texts:
        for _ in range(draw(st.integers(0, 2))):
            where = draw(st.integers(0, len(text)))
            char = draw(st.sampled_from("0123456789. -+\x00\x1bEa^=%:"))
            text = draw(
                st.sampled_from(
                    [text[:where] + char + text[where:], text[:where] + text[where + 1 :]]
                )
            )
        mutated.append(text)
    return vr, mutated


@given(near_valid())
def test_the_fast_path_agrees_with_the_full_check(case: tuple[str, list[str]]) -> None:
    vr, texts = case
    rule = values_module._rules()[vr]
    assert check_strings(vr, texts) == values_module._diagnose(rule, texts)


# The test of a whole value field (values joined by BACKSLASH) passes a field only when the
# values have no problem.


@given(near_valid())
def test_a_field_that_passes_its_test_has_no_problem(case: tuple[str, list[str]]) -> None:
    vr, texts = case
    text = "\\".join(texts)
    values = split_values(vr, text)
    if values_module.field_tests()[vr](text):
        assert check_strings(vr, values) == NO_PROBLEMS


@given(
    st.sampled_from(sorted(string_vrs())),
    st.text(alphabet="0123456789.-+ E\\\x00AZaz^=", max_size=40),
)
def test_any_field_that_passes_its_test_has_no_problem(vr: str, text: str) -> None:
    if values_module.field_tests()[vr](text):
        assert check_strings(vr, split_values(vr, text)) == NO_PROBLEMS


@pytest.mark.parametrize(
    ("vr", "text", "passes"),
    [
        # PS3.5 9.1: a UID padded with one trailing NUL to even length.
        ("UI", "1.2.840.10008.5.1.4.1.1.2\x00", True),
        ("UI", "1.2.840.10008.5.1.4.1.1.2\x00\x00", False),  # two NULs
        ("UI", "1.2.840.10008.1.2\\1.2.840.10008.1.2.1\x00", True),  # padded last value
        ("UI", "1.2.840.10008.1.2\x00\\1.2.840.10008.1.2.1", False),  # padding not last
        ("UI", "1." + "2" * 62, True),  # 64 characters, table 6.2-1
        ("UI", "1." + "2" * 63, False),  # 65
        ("CS", "ORIGINAL\\PRIMARY\\AXIAL", True),  # CS: 16 bytes per value
        ("CS", "ORIGINAL\\PRIMARY\\ABCDEFGHIJKLMNOPQ", False),  # 17 in the last value
        ("CS", "ORIGINAL\\primary", False),  # lower case is not in the CS repertoire
        ("DS", "0.661468\\0.661468", True),
        # PS3.5 6.4: the last value may exceed its 16 bytes by the SPACE that pads the field.
        ("DS", "10.0000000000000\\10.0000000000000 ", True),
        ("DS", "10.0000000000000 ", False),  # the field is odd: that SPACE is no padding
        ("DS", "10.0000000000000 \\10.0000000000000", False),  # not the last value
        ("DS", "1.5\\1.5.1", False),
        ("DA", "20150101 ", False),  # odd field with its padding: checked closely
        ("DA", "2015010 ", False),
        ("LO", "GE MEDICAL SYSTEMS", True),
        ("LO", "x" * 65, False),  # LO: 64 characters
    ],
)
def test_field_tests(vr: str, text: str, passes: bool) -> None:
    assert bool(values_module.field_tests()[vr](text)) is passes
    if passes:
        assert check_strings(vr, split_values(vr, text)) == NO_PROBLEMS
