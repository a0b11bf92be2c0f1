"""DA, TM and DT: shapes, component ranges and the query-only range forms (PS3.5 table 6.2-1).

Each VR has a ``FAST_*`` pattern that accepts exactly the valid stored values (padding aside for
DA, whose single padding SPACE the caller handles), so the common case costs one match, and a
``*_syntax`` function that explains why a value is wrong, called only when the fast pattern
failed. The explanations return ``(rule, detail)`` where ``detail`` continues the sentence
"<VR> value '<value>' ...".
"""

from __future__ import annotations

import re
from typing import Final, Literal

__all__ = [
    "FAST_DA",
    "FAST_DT",
    "FAST_TM",
    "Later",
    "da_query_form",
    "da_syntax",
    "days_in_month",
    "dt_query_form",
    "dt_syntax",
    "tm_query_form",
    "tm_syntax",
]

TemporalRule = Literal["syntax", "range"]

# Month and day together, valid in every year; 29 February goes to the slow path (leap years).
_MONTH_DAY = (
    r"(?:(?:0[13578]|1[02])(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)(?:0[1-9]|[12][0-9]|30)"
    r"|02(?:0[1-9]|1[0-9]|2[0-8]))"
)
_DAY_OF = {
    "31": r"(?:0[1-9]|[12][0-9]|3[01])",
    "30": r"(?:0[1-9]|[12][0-9]|30)",
    "28": r"(?:0[1-9]|1[0-9]|2[0-8])",
}
# HH 00-23, MM 00-59, SS 00-60 (60 only for a leap second), fraction 1 to 6 digits.
_TIME = r"(?:[01][0-9]|2[0-3])(?:[0-5][0-9](?:(?:[0-5][0-9]|60)(?:\.[0-9]{1,6})?)?)?"
_DT_MONTH_DAY_TIME = (
    rf"(?:(?:0[13578]|1[02])(?:{_DAY_OF['31']}(?:{_TIME})?)?"
    rf"|(?:0[469]|11)(?:{_DAY_OF['30']}(?:{_TIME})?)?"
    rf"|02(?:{_DAY_OF['28']}(?:{_TIME})?)?)"
)
# &ZZXX from -1200 to +1400, minutes 00-59; -0000 is not allowed.
_OFFSET = r"(?:\+(?:(?:0[0-9]|1[0-3])[0-5][0-9]|1400)|-(?!0000)(?:(?:0[0-9]|1[01])[0-5][0-9]|1200))"

FAST_DA: Final[re.Pattern[str]] = re.compile(rf"[0-9]{{4}}{_MONTH_DAY}")
FAST_TM: Final[re.Pattern[str]] = re.compile(rf"{_TIME} *")
FAST_DT: Final[re.Pattern[str]] = re.compile(rf"[0-9]{{4}}{_DT_MONTH_DAY_TIME}?{_OFFSET}? *")


class Later:
    """A pattern compiled on its first use, for paths most runs never take (the diagnosis of a
    value the fast patterns refused, a padded or over-long last value)."""

    __slots__ = ("_compiled", "_source")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: re.Pattern[str] | None = None

    def fullmatch(self, text: str) -> re.Match[str] | None:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self._source)
        return compiled.fullmatch(text)


_TM_SHAPE: Final = Later(r"([0-9]{2})(?:([0-9]{2})(?:([0-9]{2})(?:\.([0-9]{1,6}))?)?)?")
_DT_SHAPE: Final = Later(
    r"([0-9]{4})(?:([0-9]{2})(?:([0-9]{2})(?:([0-9]{2})(?:([0-9]{2})(?:([0-9]{2})"
    r"(?:\.([0-9]{1,6}))?)?)?)?)?)?(?:([+-])([0-9]{2})([0-9]{2}))?"
)
# Range matching forms of a query (PS3.4 C.2.2.2.5): "<a>-<b>", "-<b>", "<a>-".
_DA_RANGE: Final = Later(r"(?:[0-9]{8})?-(?:[0-9]{8})?")
_TM_PART = r"[0-9]{2,6}(?:\.[0-9]{1,6})?"
_TM_RANGE: Final = Later(rf"(?:{_TM_PART})?-(?:{_TM_PART})?")
_DT_PART = r"[0-9]{4,14}(?:\.[0-9]{1,6})?(?:[+-][0-9]{4})?"
_DT_RANGE: Final = Later(rf"(?:{_DT_PART})?-(?:{_DT_PART})?")
_ACR_NEMA_DA: Final = Later(r"[0-9]{4}\.[0-9]{2}\.[0-9]{2}")
_ACR_NEMA_TM: Final = Later(r"[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]*)?)?")

_QUERY_ONLY = "is a range, a form only a query with range matching may use (PS3.4 C.2.2.2.5)"

_DAYS: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """Days of a month of the proleptic Gregorian calendar (year 0 is a leap year)."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS[month - 1]


def _date_problem(year: int, month: int | None, day: int | None) -> str | None:
    if month is None:
        return None
    if not 1 <= month <= 12:
        return f"month {month:02d} is out of range 01-12"
    if day is not None and not 1 <= day <= days_in_month(year, month):
        return f"{year:04d}-{month:02d} has no day {day:02d}"
    return None


def _time_problem(hour: int | None, minute: int | None, second: int | None) -> str | None:
    if hour is not None and hour > 23:
        return f"hour {hour:02d} is out of range 00-23"
    if minute is not None and minute > 59:
        return f"minute {minute:02d} is out of range 00-59"
    if second is not None and second > 60:
        return f"second {second:02d} is out of range 00-60"
    return None


def _int(text: str | None) -> int | None:
    return None if text is None else int(text)


def da_query_form(value: str) -> str | None:
    """A message when ``value`` is a DA query range or the ACR-NEMA ``YYYY.MM.DD`` form."""
    core = value.strip(" ")
    if "-" in core and core != "-" and _DA_RANGE.fullmatch(core):
        return _QUERY_ONLY
    if _ACR_NEMA_DA.fullmatch(core):
        return "uses the ACR-NEMA form YYYY.MM.DD, which is not compliant (PS3.5 table 6.2-1)"
    return None


def tm_query_form(value: str) -> str | None:
    """A message when ``value`` is a TM query range or the ACR-NEMA ``HH:MM:SS`` form."""
    core = value.strip(" ")
    if "-" in core and core != "-" and _TM_RANGE.fullmatch(core):
        return _QUERY_ONLY
    if _ACR_NEMA_TM.fullmatch(core):
        return "uses the ACR-NEMA form HH:MM:SS.frac, which is not compliant (PS3.5 table 6.2-1)"
    return None


def dt_query_form(value: str) -> str | None:
    """A message when ``value`` is a DT query range (and not a DT with a UTC offset)."""
    core = value.strip(" ")
    if "-" not in core or core == "-" or _DT_SHAPE.fullmatch(core):
        return None
    return _QUERY_ONLY if _DT_RANGE.fullmatch(core) else None


def da_syntax(core: str) -> tuple[TemporalRule, str] | None:
    """Why eight digits are not a date of the Gregorian calendar (PS3.5 table 6.2-1, DA)."""
    if len(core) != 8 or not core.isdigit():
        return "syntax", "is not a date of the form YYYYMMDD"
    problem = _date_problem(int(core[:4]), int(core[4:6]), int(core[6:]))
    if problem is None:
        return None
    return "range", f"is not a valid date (YYYYMMDD): {problem}"


def tm_syntax(core: str) -> tuple[TemporalRule, str] | None:
    """Why a value (trailing padding removed) is not a time (PS3.5 table 6.2-1, TM)."""
    if " " in core:
        return "syntax", "has an embedded space, which TM does not allow"
    match = _TM_SHAPE.fullmatch(core)
    if match is None:
        return "syntax", "is not a time of the form HH, HHMM, HHMMSS or HHMMSS.F (1-6 digits F)"
    hour, minute, second, _ = match.groups()
    problem = _time_problem(_int(hour), _int(minute), _int(second))
    return None if problem is None else ("range", f"is not a valid time: {problem}")


def dt_syntax(core: str) -> tuple[TemporalRule, str] | None:
    """Why a value (trailing padding removed) is not a date-time (PS3.5 table 6.2-1, DT)."""
    if " " in core:
        return "syntax", "has an embedded space, which DT does not allow"
    match = _DT_SHAPE.fullmatch(core)
    if match is None:
        return "syntax", "is not a date-time of the form YYYY[MM[DD[HH[MM[SS[.F]]]]]][&ZZXX]"
    year, month, day, hour, minute, second, _, sign, zz, xx = match.groups()
    problem = _date_problem(int(year), _int(month), _int(day)) or _time_problem(
        _int(hour), _int(minute), _int(second)
    )
    if problem is None and sign is not None:
        problem = _offset_problem(sign, int(zz), int(xx))
    return None if problem is None else ("range", f"is not a valid date-time: {problem}")


def _offset_problem(sign: str, hours: int, minutes: int) -> str | None:
    text = f"{sign}{hours:02d}{minutes:02d}"
    if minutes > 59:
        return f"offset {text} has minutes out of range 00-59"
    if sign == "-" and hours == 0 and minutes == 0:
        return "offset -0000 is not allowed (UTC is +0000)"
    total = hours * 60 + minutes
    if (sign == "+" and total > 14 * 60) or (sign == "-" and total > 12 * 60):
        return f"offset {text} is outside -1200 to +1400"
    return None
