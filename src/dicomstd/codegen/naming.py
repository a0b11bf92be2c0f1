"""Naming rules: how names of the standard become Python identifiers. One place, unit-tested.

UID keywords, where an edition has no keyword column, are derived from the UID Name the way
PS3.6 derives data element keywords from their names:

1. drop what follows a colon (``Implicit VR Little Endian: Default Transfer Syntax for DICOM``),
   the ``(Retired)`` mark and a trailing ``SOP Class``; other parenthesised words stay
   (``JPEG Extended (Process 3 & 5)`` -> ``JPEGExtendedProcess35``);
2. split into words at every character that is not a letter or digit (``'`` is dropped inside a
   word: ``Physician's`` -> ``Physicians``);
3. upper-case the first letter of each word, keep the rest as written (``CT``, ``mm``), join;
4. a leading number is spelt out (``12-lead ECG`` -> ``TwelveLeadECG``) so the keyword is an
   identifier.
"""

from __future__ import annotations

import keyword as _python_keywords
import re

_NUMBERS = (
    "Zero One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen Fourteen "
    "Fifteen Sixteen Seventeen Eighteen Nineteen"
).split()
_TENS = ["_", "_", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"]


def number_words(value: int) -> str:
    if value < 20:
        return _NUMBERS[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        return _TENS[tens] + (_NUMBERS[ones] if ones else "")
    return "N" + str(value)


def words(text: str) -> list[str]:
    text = re.sub(r"(?<=\w)['’](?=\w)", "", text)
    return [w for w in re.split(r"[^A-Za-z0-9]+", text) if w]


def camel(text: str) -> str:
    """``Patient's Name`` -> ``PatientsName``; ``12-lead ECG`` -> ``TwelveLeadECG``."""
    parts = words(text)
    if not parts:
        return ""
    out = "".join(p[0].upper() + p[1:] for p in parts)
    match = re.match(r"^(\d+)(.*)$", out)
    if match:
        rest = match.group(2)
        out = number_words(int(match.group(1))) + (rest[0].upper() + rest[1:] if rest else "")
    if _python_keywords.iskeyword(out):  # "None", "True", "False": not usable as a name
        out += "_"
    return out


def uid_keyword(name: str) -> str:
    text = name.split(":", 1)[0]
    text = re.sub(r"\(\s*Retired\s*\)", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"\bSOP Class\s*$", "", text.strip())
    return camel(text)


def snake(text: str) -> str:
    """``CT Image`` -> ``ct_image``; ``Contrast/Bolus`` -> ``contrast_bolus``."""
    parts = words(text)
    out = "_".join(p.lower() for p in parts)
    if not out:
        return "_"
    if out[0].isdigit():
        out = "_" + out
    if _python_keywords.iskeyword(out):
        out += "_"
    return out


def class_name(text: str) -> str:
    """``Plane Position (Patient) Macro`` -> ``PlanePositionPatientMacro``."""
    name = camel(text)
    return name or "Unnamed"


def table_key(table_id: str) -> str:
    """``table_C.7.6.16-2`` -> ``c_7_6_16_2`` (a module file name)."""
    label = table_id.removeprefix("table_")
    return snake(label.replace(".", "_").replace("-", "_"))


def unique_key(name: str, table_id: str, used: set[str]) -> str:
    """``snake(name)``, or with the table's key appended when ``used`` has it; added to
    ``used``."""
    key = snake(name)
    if key in used:
        key = f"{key}_{table_key(table_id)}"
    used.add(key)
    return key
