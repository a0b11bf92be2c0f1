"""The rules of PS3.5 for the values of one data element: length, repertoire, syntax, padding.

Four functions, pure and cheap enough to run on every element of every dataset:

``split_values(vr, text)``
    Splits a decoded string on BACKSLASH, the value delimiter (PS3.5 6.4). LT, ST, UT and UR are
    never split (:data:`NEVER_SPLIT`): the text VRs may contain BACKSLASH (PS3.5 6.1.2.3) and a
    UR holds one value, in which BACKSLASH is not allowed (table 6.2-1).
``check_strings(vr, values)``
    Checks the decoded values of one string-VR element, padding *not* stripped, against the
    VR's length, character repertoire, syntax, ranges and padding rules.
``check_binary_length(vr, length)``
    Checks the length in bytes of a binary value field against the size of one value.
``value_count(vr, value)``
    Counts the values of a pydicom ``DataElement.value``.
``numeric_terms(terms)``
    The numbers the Enumerated Values or Defined Terms of a binary VR stand for.

The problems come back as a tuple of :class:`ValueProblem`; the empty tuple
:data:`NO_PROBLEMS` when all is well. Lengths come from PS3.5 table 6.2-1 as generated into
``dicomstd._generated.vrs.SPECS``; the tables built from it are made once, on first use.

Decisions where the standard leaves room:

* Lengths include padding ("An individual Value, including padding, shall not exceed the Length
  of Value", PS3.5 6.2), except that the last value of an element may be one character longer
  when that character is the SPACE that pads the whole value field to even length (PS3.5 6.4).
  UI gets no such allowance: PS3.5 9.1 counts the NUL padding inside the 64 characters.
* Lengths in characters (SH, LO, PN, ST, LT) do not count ISO 2022 escape sequences (PS3.5 6.2).
  Lengths in bytes of VRs whose repertoire can be extended (UC, UT) are checked on the number of
  characters, a lower bound of the bytes, since the encoding is not known here.
* A value that is empty once its padding is removed is not a problem of its VR: whether a value
  may be empty is a matter of the attribute's Type (PS3.3) and of Defined Terms (PS3.5 6.3).
  The exceptions are AE, where a value made only of spaces "shall not be used", and the values of
  a multi-valued UI, each of which must be a UID.
* AS and DA may carry SPACE only as the single padding character of the last value (their
  repertoires have no SPACE); UI only a single trailing NUL on its last value (PS3.5 6.4, 9.1).
  A UI padded with SPACE, padding on a value that is not the last, and padding that makes the
  value field odd are ``padding`` problems.
* Query-only forms (the ranges "<a>-<b>" of DA, TM and DT, PS3.4 C.2.2.2.5) are ``syntax``
  problems whose message says that only a query may use them.
* A DS is a decimal number as ANSI X3.9 (Fortran 77) writes real and integer constants: optional
  sign, digits with an optional "." (at least one digit), optional exponent "E"/"e" with an
  optional sign and at least one digit. Its magnitude is not limited.
* Year 0000 is accepted in DA and DT (proleptic Gregorian calendar, where it is a leap year);
  second 60 is accepted in TM and DT without checking that a leap second happened then.
* One problem per value at most: the first found in the order query form, repertoire, padding,
  length, syntax, range. A value with a character outside its repertoire is reported for that
  alone, since its syntax cannot be judged.
* ``value_index`` is the 0-based index of the value, or None when the element holds exactly
  one value (the problem then concerns the whole element).
* A value field of odd length without any padding is not reported: padding to even length is
  part of encoding (PS3.5 7.1.1), and values built in memory are padded when written.
* Rules that need other attributes are left to the caller: the repertoire named by Specific
  Character Set (0008,0005), the code points U+0000 to U+1FFF of the alphabetic PN group under
  multi-byte character sets (PS3.5 6.2.1.2), Enumerated Values and Defined Terms.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence, Sized
from typing import TYPE_CHECKING, Final, Literal, cast

import attrs
from mypy_extensions import mypyc_attr

from dicomstd.validation import _charsets as cs
from dicomstd.validation import _temporal as tm

if TYPE_CHECKING:
    from dicomstd.vr import VRSpec

__all__ = [
    "NEVER_SPLIT",
    "NO_PROBLEMS",
    "Rule",
    "ValueProblem",
    "binary_vrs",
    "check_binary_length",
    "check_strings",
    "field_tests",
    "numeric_terms",
    "split_values",
    "string_vrs",
    "value_count",
    "value_length",
    "value_sizes",
]

Rule = Literal["length", "repertoire", "syntax", "range", "padding", "binary-length"]


@mypyc_attr(native_class=False)
@attrs.frozen(slots=True)
class ValueProblem:
    """One way in which the value(s) of a data element break a rule of PS3.5."""

    rule: Rule
    """``length``, ``repertoire``, ``syntax``, ``range``, ``padding`` or ``binary-length``."""
    message: str
    """A sentence naming the VR and the offending value."""
    value_index: int | None
    """0-based index of the offending value; None when it concerns the whole element."""


NO_PROBLEMS: Final[tuple[ValueProblem, ...]] = ()
"""What every check returns when the values are fine (one shared empty tuple)."""

NEVER_SPLIT: Final = frozenset({"LT", "ST", "UT", "UR"})
"""String VRs whose text is one value, never split on BACKSLASH (PS3.5 6.1.2.3, table 6.2-1)."""

_SHOWN: Final = 40
_UNLIMITED: Final = 2**63


def _show(value: str) -> str:
    if len(value) <= _SHOWN:
        return repr(value)
    return f"{value[:_SHOWN]!r}... ({len(value)} characters)"


# --- per-VR rules -------------------------------------------------------------------------------

_Padding = Literal["both", "trailing", "space", "nul"]
"""How a VR is padded (table 6.2-1 definitions):

``both``      leading and trailing spaces allowed (AE, CS, DS, IS, LO, SH)
``trailing``  trailing spaces allowed (DT, LT, PN, ST, TM, UC, UR, UT); leading spaces are
              part of the value, or forbidden where ``leading_spaces`` is False
``space``     no SPACE in the repertoire: one trailing SPACE on the last value only (AS, DA)
``nul``       one trailing NUL on the last value only (UI)
"""

_SyntaxCheck = Callable[[str], "tuple[Rule, str] | None"]
"""Given a value without its padding: None, or the rule broken and the rest of the sentence."""


@mypyc_attr(native_class=False)
@attrs.frozen(slots=True)
class _Behaviour:
    """What PS3.5 table 6.2-1 says of one string VR beyond its length."""

    fast: re.Pattern[str]
    """Matches (``fullmatch``) every valid value, length aside; with ``search``, finds something
    in every value that needs a closer look."""
    bad: re.Pattern[str]
    repertoire: str
    padding: _Padding
    search: bool = False
    leading_spaces: bool = True
    esc: bool = False
    """ESC may appear, as the start of ISO 2022 escape sequences (PS3.5 6.1.2.4, 6.1.2.5)."""
    syntax: _SyntaxCheck | None = None
    query_form: Callable[[str], str | None] | None = None


@mypyc_attr(native_class=False)
@attrs.frozen(slots=True)
class _StringRule:
    vr: str
    limit: int
    """The fast path accepts a value only when ``len(value) <= limit``."""
    fast: Callable[[str], object]
    """``fullmatch`` (truthy when valid) or, when ``fast_is_search``, ``search`` (None when
    valid). Says nothing about length; a good answer settles everything else."""
    fast_is_search: bool
    max_length: int | None
    fixed: bool
    chars: bool
    per_group: bool
    bad: re.Pattern[str]
    repertoire: str
    padding: _Padding
    leading_spaces: bool
    esc: bool
    syntax: _SyntaxCheck | None
    query_form: Callable[[str], str | None] | None


_DS_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[Ee][+-]?[0-9]+)?"
_DS_FAST: Final = re.compile(rf" *{_DS_NUMBER} *")
_DS_CORE: Final = re.compile(_DS_NUMBER)
_IS_FAST: Final = re.compile(r" *[+-]?[0-9]{1,9} *")  # nine digits are always within -2^31..2^31-1
_IS_CORE: Final = re.compile(r"[+-]?[0-9]+")
_UI_FAST: Final = re.compile(r"[012](?:\.(?:[1-9][0-9]*+|0))++")  # PS3.5 9, 9.1
_AS_CORE: Final = re.compile(r"[0-9]{3}[DWMY]")
_AE_FAST: Final = re.compile(r"(?: *[\x21-\x5b\x5d-\x7e][\x20-\x5b\x5d-\x7e]*)?")
_UR_FAST: Final = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})* *")
_PN_CHAR = r"[^\x00-\x1f\x7f-\x9f\\=^]*"
_PN_GROUP = rf"{_PN_CHAR}(?:\^{_PN_CHAR}){{0,4}}"
_PN_FAST: Final = re.compile(rf"{_PN_GROUP}(?:={_PN_GROUP}){{0,2}}")
# ESC too: its length needs a closer look
_STRING_FAST: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")
_TEXT_FAST: Final = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1  # IS range, PS3.5 table 6.2-1
_PN_MAX_GROUPS: Final = 3  # alphabetic, ideographic, phonetic (PS3.5 6.2.1.2)
_PN_MAX_COMPONENTS: Final = 5  # PS3.5 table 6.2-1


def _ds_syntax(core: str) -> tuple[Rule, str] | None:
    if " " in core:
        return "syntax", "has an embedded space, which DS does not allow"
    if _DS_CORE.fullmatch(core) is None:
        return "syntax", "is not a decimal number (fixed point, or floating point as in ANSI X3.9)"
    return None


def _is_syntax(core: str) -> tuple[Rule, str] | None:
    if " " in core:
        return "syntax", "has an embedded space, which IS does not allow"
    if _IS_CORE.fullmatch(core) is None:
        return "syntax", "is not an integer (optional sign and digits 0-9)"
    if not _INT_MIN <= int(core) <= _INT_MAX:
        return "range", "is outside the IS range -2^31 to 2^31-1"
    return None


def _ui_syntax(core: str) -> tuple[Rule, str] | None:
    components = core.split(".")
    if "" in components:
        return "syntax", (
            "has an empty component: UID components are digits separated by single '.', "
            "with no '.' at either end (PS3.5 9.1)"
        )
    for component in components:
        if len(component) > 1 and component[0] == "0":
            return "syntax", (
                f"has the component {component!r} with a leading zero; only the component "
                "'0' itself may start with 0 (PS3.5 9.1)"
            )
    if len(components) < 2:
        return "syntax", "has one component; a UID is <org root>.<suffix> (PS3.5 9)"
    if components[0] not in _OID_ROOTS:
        return "syntax", (
            f"starts with {components[0]!r}: the <org root> of a UID is an ISO/IEC 8824 object "
            "identifier, whose first component is 0, 1 or 2 (PS3.5 9)"
        )
    return None


# The top arcs of the object identifier tree: itu-t (0), iso (1), joint-iso-itu-t (2).
_OID_ROOTS: Final = frozenset({"0", "1", "2"})


def _as_syntax(core: str) -> tuple[Rule, str] | None:
    if _AS_CORE.fullmatch(core) is None:
        return "syntax", "is not an age of the form nnnD, nnnW, nnnM or nnnY"
    return None


def _ur_syntax(core: str) -> tuple[Rule, str] | None:
    if " " in core:
        return (
            "repertoire",
            "contains SPACE before its end; UR allows SPACE only as trailing padding",
        )
    if cs.BAD_URI_PERCENT.search(core) is not None:
        return "syntax", "has a '%' not followed by two hexadecimal digits (RFC 3986 section 2.1)"
    return None


def _pn_syntax(core: str) -> tuple[Rule, str] | None:
    groups = core.split("=")
    if len(groups) > _PN_MAX_GROUPS:
        return "syntax", (
            f"has {len(groups)} component groups; PN allows at most {_PN_MAX_GROUPS} "
            "(alphabetic, ideographic, phonetic; PS3.5 6.2.1.2)"
        )
    for number, group in enumerate(groups, start=1):
        components = group.count("^") + 1
        if components > _PN_MAX_COMPONENTS:
            return "syntax", (
                f"has {components} components in component group {number}; PN allows at most "
                f"{_PN_MAX_COMPONENTS} (PS3.5 table 6.2-1)"
            )
    if "\x1b" in groups[0]:
        return "repertoire", (
            "has an ISO 2022 escape sequence in its alphabetic component group, where code "
            "extension shall not be used (PS3.5 6.2.1.2)"
        )
    return None


_STRING: Final = "no BACKSLASH and no control character except ESC"
_TEXT: Final = "no control character except TAB, LF, FF, CR and ESC"

_BEHAVIOURS: Final[dict[str, _Behaviour]] = {
    "AE": _Behaviour(
        _AE_FAST, cs.BAD_AE, "characters of ISO-IR 6 except BACKSLASH and controls", "both"
    ),
    "AS": _Behaviour(
        _AS_CORE, cs.BAD_AS, '"0"-"9", "D", "W", "M" and "Y"', "space", syntax=_as_syntax
    ),
    "CS": _Behaviour(
        cs.BAD_CS, cs.BAD_CS, 'uppercase letters, "0"-"9", SPACE and "_"', "both", search=True
    ),
    "DA": _Behaviour(
        tm.FAST_DA,
        cs.BAD_DA,
        '"0"-"9"',
        "space",
        syntax=tm.da_syntax,
        query_form=tm.da_query_form,
    ),
    "DS": _Behaviour(
        _DS_FAST, cs.BAD_DS, '"0"-"9", "+", "-", "E", "e", "." and SPACE', "both", syntax=_ds_syntax
    ),
    "DT": _Behaviour(
        tm.FAST_DT,
        cs.BAD_DT,
        '"0"-"9", "+", "-", "." and SPACE',
        "trailing",
        leading_spaces=False,
        syntax=tm.dt_syntax,
        query_form=tm.dt_query_form,
    ),
    "IS": _Behaviour(_IS_FAST, cs.BAD_IS, '"0"-"9", "+", "-" and SPACE', "both", syntax=_is_syntax),
    "LO": _Behaviour(_STRING_FAST, cs.BAD_STRING, _STRING, "both", search=True, esc=True),
    "LT": _Behaviour(_TEXT_FAST, cs.BAD_TEXT, _TEXT, "trailing", search=True, esc=True),
    "PN": _Behaviour(_PN_FAST, cs.BAD_STRING, _STRING, "trailing", esc=True, syntax=_pn_syntax),
    "SH": _Behaviour(_STRING_FAST, cs.BAD_STRING, _STRING, "both", search=True, esc=True),
    "ST": _Behaviour(_TEXT_FAST, cs.BAD_TEXT, _TEXT, "trailing", search=True, esc=True),
    "TM": _Behaviour(
        tm.FAST_TM,
        cs.BAD_TM,
        '"0"-"9", "." and SPACE',
        "trailing",
        leading_spaces=False,
        syntax=tm.tm_syntax,
        query_form=tm.tm_query_form,
    ),
    "UC": _Behaviour(_STRING_FAST, cs.BAD_STRING, _STRING, "trailing", search=True, esc=True),
    "UI": _Behaviour(_UI_FAST, cs.BAD_UI, '"0"-"9" and "."', "nul", syntax=_ui_syntax),
    "UR": _Behaviour(
        _UR_FAST,
        cs.BAD_UR,
        "the URI characters of RFC 3986 section 2, SPACE only as trailing padding",
        "trailing",
        leading_spaces=False,
        syntax=_ur_syntax,
    ),
    "UT": _Behaviour(_TEXT_FAST, cs.BAD_TEXT, _TEXT, "trailing", search=True, esc=True),
}
"""Every string VR of PS3.5 table 6.2-1 (editions 2015b and later), by code."""


def _build_rules(specs: Mapping[str, VRSpec]) -> dict[str, _StringRule]:
    """The rule of every string VR of ``specs`` (rows of PS3.5 table 6.2-1)."""
    rules: dict[str, _StringRule] = {}
    for code, spec in specs.items():
        behaviour = _BEHAVIOURS.get(code)
        if behaviour is None:
            continue
        fast = behaviour.fast
        rules[code] = _StringRule(
            vr=code,
            limit=spec.max_length if spec.max_length is not None else _UNLIMITED,
            fast=fast.search if behaviour.search else fast.fullmatch,
            fast_is_search=behaviour.search,
            max_length=spec.max_length,
            fixed=spec.fixed_length,
            chars=spec.length_unit == "chars",
            per_group=spec.per_component_group,
            bad=behaviour.bad,
            repertoire=behaviour.repertoire,
            padding=behaviour.padding,
            leading_spaces=behaviour.leading_spaces,
            esc=behaviour.esc,
            syntax=behaviour.syntax,
            query_form=behaviour.query_form,
        )
    return rules


_RULES: dict[str, _StringRule] = {}


def _rules() -> dict[str, _StringRule]:
    if not _RULES:
        from dicomstd._generated.vrs import SPECS

        _RULES.update(_build_rules(SPECS))
    return _RULES


def string_vrs() -> frozenset[str]:
    """The VRs :func:`check_strings` and :func:`split_values` accept."""
    return frozenset(_rules())


def _unknown_string_vr(vr: str) -> ValueError:
    return ValueError(f"{vr!r} is not a string VR of PS3.5 table 6.2-1")


# --- the slow path: which rule, which value, which words ---------------------------------------


def _field_even(values: Sequence[str]) -> bool:
    """Whether the value field (values and BACKSLASH delimiters) has an even length in bytes.

    Only exact for ASCII; with other characters the bytes depend on the character set, and the
    answer is True so that nothing is reported that cannot be shown.
    """
    total = len(values) - 1
    for value in values:
        if not value.isascii():
            return True
        total += len(value)
    return total % 2 == 0


def _may_exceed_by_padding(values: Sequence[str], index: int) -> bool:
    """PS3.5 6.4: the last value may exceed its maximum by the one SPACE that pads the field."""
    return index == len(values) - 1 and values[index].endswith(" ") and _field_even(values)


def _padding_problem(rule: _StringRule, values: Sequence[str], index: int) -> str | None:
    """For AS, DA (one SPACE) and UI (one NUL): a message when the padding is not allowed."""
    value = values[index]
    vr = rule.vr
    core = value.rstrip("\x00 ") if rule.padding == "nul" else value.rstrip(" ")
    tail = value[len(core) :]
    if not tail:
        return None
    pad = "NUL" if rule.padding == "nul" else "SPACE"
    if rule.padding == "nul" and " " in tail:
        return "is padded with SPACE; UI values are padded with a single trailing NUL (PS3.5 9.1)"
    if len(tail) > 1:
        return (
            f"ends with {len(tail)} {pad} characters; {vr} allows a single trailing {pad} to "
            "make the value field even (PS3.5 6.2, 6.4)"
        )
    if index != len(values) - 1:
        return (
            f"is padded with {pad}, but only the last value of a multi-valued element may be "
            "padded (PS3.5 6.4)"
        )
    if not _field_even(values):
        return f"has a trailing {pad} that leaves the value field odd in length (PS3.5 6.2, 6.4)"
    return None


def _group_length_problem(
    rule: _StringRule, values: Sequence[str], index: int, maximum: int
) -> str | None:
    """PN: at most ``maximum`` characters per component group, its "=" delimiter included
    (PS3.5 table 6.2-1, 6.2.1.2), escape sequences not counted (PS3.5 6.2)."""
    groups = values[index].split("=")
    last = len(groups)
    for number, group in enumerate(groups, start=1):
        length = cs.char_count(group) + (number < last)
        if length > maximum and not (
            number == last and length == maximum + 1 and _may_exceed_by_padding(values, index)
        ):
            return (
                f"has {length} characters in component group {number}; {rule.vr} allows at "
                f"most {maximum} per component group, its '=' delimiter included "
                "(PS3.5 table 6.2-1, 6.2.1.2)"
            )
    return None


def _check_one(rule: _StringRule, values: Sequence[str], index: int) -> ValueProblem | None:
    value = values[index]
    vr = rule.vr
    where = None if len(values) == 1 else index

    def problem(kind: Rule, detail: str) -> ValueProblem:
        return ValueProblem(kind, f"{vr} value {_show(value)} {detail}", where)

    if rule.query_form is not None:
        query = rule.query_form(value)
        if query is not None:
            return problem("syntax", query)

    # Repertoire (PS3.5 6.1, table 6.2-1). AS, DA and UI have their padding checked below.
    if rule.padding == "nul":
        target = value.rstrip("\x00 ")
    elif rule.padding == "space":
        target = value.rstrip(" ")
    else:
        target = value
    bad = rule.bad.search(target)
    if bad is not None:
        char = bad.group()
        return problem(
            "repertoire",
            f"contains {cs.describe(char)}, which {vr} does not allow ({rule.repertoire})",
        )
    if rule.esc and "\x1b" in value and "\x1b" in cs.ESCAPE_SEQUENCE.sub("", value):
        return problem(
            "repertoire",
            "contains an ESC that does not start an ISO 2022 escape sequence (PS3.5 6.1.3)",
        )

    # Padding (PS3.5 6.2, 6.4, 9.1 and the VR definitions of table 6.2-1).
    if rule.padding in ("space", "nul"):
        message = _padding_problem(rule, values, index)
        if message is not None:
            return problem("padding", message)
        core = target
    elif rule.padding == "both":
        core = value.strip(" ")
    else:
        core = value.rstrip(" ")
        if not rule.leading_spaces and core.startswith(" "):
            return problem(
                "padding",
                f"starts with SPACE; {vr} may be padded with trailing spaces only "
                "(PS3.5 table 6.2-1)",
            )

    # Length (PS3.5 6.2, 6.4, 9.1 and table 6.2-1).
    maximum = rule.max_length
    if maximum is not None:
        if rule.per_group:
            message = _group_length_problem(rule, values, index, maximum)
            if message is not None:
                return problem("length", message)
        elif rule.fixed:
            if core and len(core) != maximum:
                return problem(
                    "length",
                    f"has {len(core)} characters; {vr} values are {maximum} bytes fixed "
                    "(PS3.5 table 6.2-1)",
                )
        else:
            length = cs.char_count(value) if rule.esc else len(value)
            if length > maximum and not (
                length == maximum + 1
                and rule.padding != "nul"
                and _may_exceed_by_padding(values, index)
            ):
                unit = "characters" if rule.chars else "bytes"
                return problem(
                    "length",
                    f"is {length} {unit} long; {vr} allows at most {maximum} {unit} "
                    "(PS3.5 table 6.2-1)",
                )

    # Empty values (see the module notes).
    if not core:
        if vr == "AE" and value:
            return problem(
                "syntax", "consists solely of spaces, which AE shall not use (PS3.5 table 6.2-1)"
            )
        if vr == "UI" and len(values) > 1:
            return problem("syntax", "is empty; each value of a multi-valued UI must be a UID")
        return None

    # Syntax and ranges.
    if rule.syntax is not None:
        found = rule.syntax(core)
        if found is not None:
            return problem(*found)
    return None


def _diagnose(rule: _StringRule, values: Sequence[str]) -> tuple[ValueProblem, ...]:
    found = [p for p in (_check_one(rule, values, i) for i in range(len(values))) if p]
    return tuple(found) if found else NO_PROBLEMS


# --- the public functions -----------------------------------------------------------------------


def check_strings(vr: str, values: Sequence[str]) -> tuple[ValueProblem, ...]:
    """Problems of the decoded values of one string-VR element, :data:`NO_PROBLEMS` if none.

    ``values`` are the element's values as :func:`split_values` gives them: split on BACKSLASH
    except for LT, ST, UT and UR (:data:`NEVER_SPLIT`), padding not stripped. An empty sequence
    is an empty element. Raises ``ValueError`` for a VR that is not a string VR of PS3.5 table
    6.2-1 (binary VRs, SQ, UN, and forms such as pydicom's "US or SS").
    """
    rule = (_RULES or _rules()).get(vr)
    if rule is None:
        raise _unknown_string_vr(vr)
    if type(values) is str:  # a str is a Sequence[str] too: one value per character
        raise TypeError("check_strings takes a sequence of values; split the text first")
    limit = rule.limit
    fast = rule.fast
    if rule.fast_is_search:
        for value in values:
            if len(value) > limit or fast(value) is not None:
                return _slow(rule, values)
    else:
        for value in values:
            if len(value) > limit or not fast(value):
                return _slow(rule, values)
    return NO_PROBLEMS


def _slow(rule: _StringRule, values: Sequence[str]) -> tuple[ValueProblem, ...]:
    """After the fast path failed: first the common padded last value of AS, DA and UI, which
    the fast patterns leave out since it depends on the whole field (PS3.5 6.4, 9.1)."""
    pad = _PAD_CHARS.get(rule.padding)
    if pad is not None and values[-1].endswith(pad) and _field_even(values):
        fast = rule.fast  # AS, DA and UI have fullmatch patterns
        # UI counts its NUL in the 64 bytes (PS3.5 9.1); AS and DA values are fixed-length and
        # their padding SPACE may exceed it (PS3.5 6.4).
        limit = rule.limit + (pad == " ")
        last = len(values) - 1
        for index, value in enumerate(values):
            if len(value) > limit or not fast(value[:-1] if index == last else value):
                return _diagnose(rule, values)
        return NO_PROBLEMS
    if _padded_one_over(rule, values):
        return NO_PROBLEMS
    return _diagnose(rule, values)


_PAD_CHARS: Final[dict[str, str]] = {"space": " ", "nul": "\x00"}


def _padded_one_over(rule: _StringRule, values: Sequence[str]) -> bool:
    """Whether the only value the fast path refused is the last one, one character over the
    maximum because of the SPACE that pads the field to even length (PS3.5 6.4: a DS such as
    ``"10.0000000000000 "``). The VRs padded with trailing SPACE whose length is one maximum per
    value: not PN (per component group), not the fixed-length ones."""
    if rule.padding not in ("both", "trailing") or rule.per_group or rule.fixed:
        return False
    last = values[-1]
    if len(last) != rule.limit + 1 or not last.endswith(" "):
        return False
    fast = rule.fast
    passes = (lambda value: fast(value) is None) if rule.fast_is_search else fast
    for value in values[:-1]:
        if len(value) > rule.limit or not passes(value):
            return False
    return bool(passes(last)) and _field_even(values)


@mypyc_attr(native_class=False)
class _FieldTests(dict[str, Callable[[str], object]]):
    """The field test of each string VR, made on its first lookup: a run compiles the patterns
    of the VRs its files use, not all of them at start."""

    def __missing__(self, vr: str) -> Callable[[str], object]:
        test = self[vr] = _field_test((_RULES or _rules())[vr])
        return test


_FIELDS: Final = _FieldTests()


def _never(text: str) -> bool:
    return False


def _field_test(rule: _StringRule) -> Callable[[str], object]:
    """One test of a whole value field, true only when :func:`check_strings` returns
    :data:`NO_PROBLEMS` on its fast paths: every value within the limit and passing the fast
    pattern, or (AS, DA, UI) so with the single padding character of the last value."""
    limit, fast = rule.limit, rule.fast
    if rule.vr in NEVER_SPLIT:
        if rule.fast_is_search:
            return lambda text: len(text) <= limit and fast(text) is None
        return lambda text: len(text) <= limit and fast(text) is not None
    pattern = cast(re.Pattern[str], getattr(fast, "__self__")).pattern  # noqa: B009
    if rule.fast_is_search:
        # The search patterns look for one character of a class: a value passes when all its
        # characters are outside the class.
        value = _outside_class(pattern)
        if value is None:
            return _never
        # Possessive: the class leaves BACKSLASH out, so a shorter run never helps.
        within = f"{{0,{limit}}}+" if limit < _UNLIMITED else "*+"
        plain = re.compile(rf"{value}{within}(?:\\{value}{within})*+").fullmatch
        if not _may_be_one_over(rule):
            return plain
        return _or_one_over(plain, rf"(?:{value}{within}\\)*+{value}{{{limit + 1}}}")
    # The fullmatch patterns never match BACKSLASH: the field matches value by value, each
    # value first checked to be within the limit.
    plain = re.compile(_values_pattern(pattern, limit)).fullmatch
    pad = _PAD_CHARS.get(rule.padding)
    if pad is None:
        if not _may_be_one_over(rule):
            return plain
        last = rf"(?=[^\\]{{{limit + 1}}}\Z)(?:{pattern})"
        return _or_one_over(plain, rf"(?:{_values_pattern(pattern, limit)}\\)?{last}")
    # As _slow: the last value may carry one padding character, which AS and DA values may
    # have beyond their length (every value then within the limit plus one).
    ending = re.escape(pad)
    padded = tm.Later(_values_pattern(pattern, limit + (pad == " "), ending) + ending).fullmatch

    def test(text: str) -> bool:
        if (
            text.endswith(pad)
            and (not text.isascii() or len(text) % 2 == 0)  # _field_even
            and padded(text) is not None
        ):
            return True
        return plain(text) is not None

    return test


def _may_be_one_over(rule: _StringRule) -> bool:
    """Whether :func:`_padded_one_over` can accept a field of ``rule`` (for a limit a pattern
    can count to: UC, UR and UT have none worth one, their fields go the longer way)."""
    return (
        rule.padding in ("both", "trailing")
        and not rule.per_group
        and not rule.fixed
        and rule.limit < 0xFFFF
    )


def _or_one_over(plain: Callable[[str], object], over_pattern: str) -> Callable[[str], object]:
    """``plain``, or as :func:`_padded_one_over`: the last value one SPACE over the limit, the
    others within it, every value passing the fast pattern, the field of even length (a
    fullmatch of ``over_pattern``, compiled when a field first needs it: most runs never do)."""
    over = tm.Later(over_pattern).fullmatch

    def test(text: str) -> object:
        if plain(text):
            return True
        if not text.endswith(" ") or (text.isascii() and len(text) % 2 != 0):  # _field_even
            return False
        return over(text)

    return test


def _values_pattern(pattern: str, limit: int, ending: str = "") -> str:
    """Values of ``pattern`` (which never matches BACKSLASH) joined by BACKSLASH, each at most
    ``limit`` characters long; the last one followed by ``ending`` (a pattern) and the end.

    Each value is matched once, in an atomic group: a value ends at BACKSLASH or at the end,
    so the first way ``pattern`` matches it up to there is the only one that can count, and a
    field that fails (a value too long, a bad character) fails at once instead of trying every
    other way of matching the values before."""
    within = rf"(?=[^\\]{{0,{limit}}}(?:\\|\Z))" if limit < _UNLIMITED else ""
    value = rf"(?>{within}(?:{pattern})(?=\\|{ending}\Z))"
    return rf"{value}(?:\\{value})*+"


def _outside_class(pattern: str) -> str | None:
    """A character class of the characters ``pattern`` (one character class) does not match,
    BACKSLASH left out; None when ``pattern`` is no plain class."""
    found = re.fullmatch(r"\[(\^?)((?:[^\]\\]|\\.)*)\]", pattern)
    if found is None:
        return None
    negated, members = found.groups()
    if not negated:
        return f"[^{members}\\\\]"
    if "\\" in members:  # escapes might name BACKSLASH
        return None
    return f"[{members}]"


def field_tests() -> Mapping[str, Callable[[str], object]]:
    """Per string VR, a test of a whole value field (values joined by BACKSLASH as encoded,
    padding kept; LT, ST, UT and UR one value): truthy only when :func:`check_strings` finds no
    problem in its values; a falsy answer says nothing (check them). Made per VR on first use;
    a VR that is not a string VR of PS3.5 table 6.2-1 is a ``KeyError``."""
    return _FIELDS


def split_values(vr: str, text: str) -> list[str]:
    """The values of a decoded string element: ``text`` split on BACKSLASH (PS3.5 6.4).

    LT, ST, UT and UR are one value whatever they contain. Empty text has no values (``[]``).
    Padding stays where it is (on the last value). Raises ``ValueError`` for a VR that is not a
    string VR of PS3.5 table 6.2-1.
    """
    if vr not in (_RULES or _rules()):
        raise _unknown_string_vr(vr)
    if not text:
        return []
    if vr in NEVER_SPLIT:
        return [text]
    return text.split("\\")


# Bytes per value of the "other" VRs, from their definitions in table 6.2-1 (OW "16-bit words",
# OF "32-bit IEEE 754 floating point words", OD "64-bit ... words"; OL "32-bit words" and OV
# "64-bit words" from later editions). Their Length of Value column gives no per-value size.
_WORD_BYTES: Final = {"OW": 2, "OF": 4, "OL": 4, "OD": 8, "OV": 8}
# No rule on the length of these (OB and UN are byte streams; SQ has items, not bytes).
_NO_LENGTH_RULE: Final = frozenset({"OB", "UN", "SQ"})

_BINARY: dict[str, tuple[int, int | None]] = {}
"""VR -> (bytes per value, maximum bytes of the value field or None)."""


def _binary() -> dict[str, tuple[int, int | None]]:
    if not _BINARY:
        from dicomstd._generated.vrs import SPECS

        strings = _RULES or _rules()
        table: dict[str, tuple[int, int | None]] = {}
        for code, spec in SPECS.items():
            if code in strings or code in _NO_LENGTH_RULE:
                continue
            if spec.fixed_length and spec.max_length is not None:
                table[code] = (spec.max_length, None)  # "4 bytes fixed" per value, VM 1-n
        for code, size in _WORD_BYTES.items():
            word_spec = SPECS.get(code)
            table[code] = (size, word_spec.max_length if word_spec is not None else None)
        _BINARY.update(table)  # in one step: a reader never sees half a table
    return _BINARY


def binary_vrs() -> frozenset[str]:
    """The VRs :func:`check_binary_length` accepts (those without a rule included)."""
    return frozenset(_BINARY or _binary()) | _NO_LENGTH_RULE


def value_sizes() -> Mapping[str, int]:
    """The binary VRs of fixed-size values (AT, FD, FL, SL, SS, SV, UL, US, UV), with the bytes
    of one value: a value field of a multiple of it has no problem for
    :func:`check_binary_length` and holds ``length // size`` values for :func:`value_count`."""
    return {
        vr: size
        for vr, (size, maximum) in (_BINARY or _binary()).items()
        if maximum is None and vr not in _WORD_BYTES
    }


def check_binary_length(vr: str, length: int) -> tuple[ValueProblem, ...]:
    """Problems of the length in bytes of a binary value field, :data:`NO_PROBLEMS` if none.

    AT, FD, FL, SL, SS, UL, US: a multiple of their fixed size in PS3.5 table 6.2-1; OW, OF, OL,
    OD, OV: a multiple of their word size and within the table's maximum; OB, UN, SQ: no rule.
    Raises ``ValueError`` for a string VR, a VR the table does not define, or a negative length.
    """
    if length < 0:
        raise ValueError(f"a length is not negative, got {length}")
    sizes = (_BINARY or _binary()).get(vr)
    if sizes is None:
        if vr in _NO_LENGTH_RULE:
            return NO_PROBLEMS
        raise ValueError(f"{vr!r} is not a binary VR of PS3.5 table 6.2-1")
    size, maximum = sizes
    if length % size:
        return (
            ValueProblem(
                "binary-length",
                f"{vr} value field of {length} bytes is not a multiple of {size} bytes, the size "
                f"of one {vr} value (PS3.5 table 6.2-1)",
                None,
            ),
        )
    if maximum is not None and length > maximum:
        return (
            ValueProblem(
                "binary-length",
                f"{vr} value field of {length} bytes exceeds the maximum of {maximum} bytes "
                "(PS3.5 table 6.2-1)",
                None,
            ),
        )
    return NO_PROBLEMS


def value_length(value: Sized) -> int:
    """The length of a value in bytes; of an ``OnDisk`` placeholder (an empty ``bytes`` that
    stands for a value left in the file), the length of that value. Compiled with mypyc, len()
    of what is known to be ``bytes`` counts its bytes (a cast to Sized too); of a ``Sized`` it
    asks the object, as here: take the length of any value that may be a placeholder here."""
    return len(value)


def value_count(vr: str, value: object) -> int:
    """How many values a pydicom ``DataElement.value`` holds (its multiplicity, PS3.5 6.4).

    None, empty strings, empty bytes and empty lists hold none. A list, tuple or pydicom
    ``MultiValue`` holds its length; a ``str`` of a VR that splits holds one value per
    BACKSLASH-separated part, other strings one. Bytes of OB, OW, OF, OD, OL, OV and UN are one
    value; bytes of a fixed-size binary VR hold ``len // size`` values; bytes of a string VR are
    split like text. A sequence (SQ) is one value when it has items and none when it has none:
    the VM of SQ is always 1 (PS3.5 6.4). Anything else (a number, a tag, a pydicom
    ``PersonName``) is one value, or none when it prints as an empty string.
    """
    if value is None:
        return 0
    if isinstance(value, str):
        if not value:
            return 0
        return 1 if vr in NEVER_SPLIT else value.count("\\") + 1
    if vr == "SQ" and isinstance(value, Sized):
        return 1 if len(value) else 0
    if isinstance(value, bytes | bytearray | memoryview):
        size = value.nbytes if isinstance(value, memoryview) else value_length(value)
        if not size:
            return 0
        sizes = (_BINARY or _binary()).get(vr)
        if sizes is not None and vr not in _WORD_BYTES:
            return size // sizes[0]
        if vr in (_RULES or _rules()) and vr not in NEVER_SPLIT:
            return bytes(value).count(b"\\") + 1  # short: string values
        return 1  # OB, OW, OF, OD, OL, OV, UN: one value however long
    if isinstance(value, Sequence):
        return len(value)
    return 1 if str(value) else 0


NUMERIC_VRS: Final = frozenset({"AT", "FD", "FL", "SL", "SS", "SV", "UL", "US", "UV"})
"""Binary VRs whose values are numbers (AT: a tag as one 32-bit number), so that Enumerated
Values and Defined Terms apply to them as numbers."""

_HEXADECIMAL: Final = re.compile(r"([0-9A-Fa-f]+)H")
_DECIMAL: Final = re.compile(r"[+-]?[0-9]+")


def _number(term: str) -> int | float | None:
    text = term.strip()
    hexadecimal = _HEXADECIMAL.fullmatch(text)
    if hexadecimal is not None:  # "0001H", "00181063H" (a tag): PS3.5 notation for hexadecimal
        return int(hexadecimal.group(1), 16)
    if _DECIMAL.fullmatch(text):
        return int(text)
    core = _DS_CORE.fullmatch(text)
    return float(text) if core is not None else None


@functools.cache
def numeric_terms(terms: tuple[str, ...]) -> frozenset[int | float] | None:
    """The numbers ``terms`` (Enumerated Values or Defined Terms of a binary VR, as PS3.3 writes
    them: "16", "+1", "0001H", "00181063H") stand for; None when one of them is not a number,
    since such a list cannot be compared with numbers."""
    numbers = [_number(term) for term in terms]
    if any(number is None for number in numbers):
        return None
    return frozenset(number for number in numbers if number is not None)
