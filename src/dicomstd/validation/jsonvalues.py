"""The JSON types of DICOM JSON values (PS3.18 F.2.3): what pydicom would store unchecked.

PS3.18 table F.2.3-1 gives each VR the JSON type of its values: the binary numbers (SS, US, SL,
UL, FL, FD) are JSON Numbers. A JSON string ``"12"``, ``true`` or a fraction where a US value
belongs, or a number outside the range of the VR (PS3.5 table 6.2-1: US is 0 to 2^16 - 1), is a
``value-invalid`` finding that names the tag and the value. The items of sequences are checked
too, down to the depth limit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dicomstd.tag import tag_text
from dicomstd.validation.findings import Finding

__all__ = ["json_value_findings"]

# PS3.5 table 6.2-1: the range of each binary integer VR.
_INTEGER_RANGES: dict[str, tuple[int, int]] = {
    "US": (0, 2**16 - 1),
    "SS": (-(2**15), 2**15 - 1),
    "UL": (0, 2**32 - 1),
    "SL": (-(2**31), 2**31 - 1),
}
_FLOATS = frozenset({"FL", "FD"})
_SHOWN = 40


def json_value_findings(data: Mapping[str, Any], depth_limit: int) -> list[Finding]:
    """The findings on the JSON types of the values of a DICOM JSON object and its items."""
    found: list[Finding] = []
    _object(data, "", 0, depth_limit, found)
    return found


def _object(
    data: Mapping[str, Any], path: str, depth: int, limit: int, found: list[Finding]
) -> None:
    for key, attribute in data.items():
        if not isinstance(attribute, Mapping):
            continue  # pydicom's reader says what is wrong with the attribute itself
        vr = attribute.get("vr")
        values = attribute.get("Value")
        if not isinstance(values, list):
            continue
        where = f"{path}.{key}" if path else key
        if vr == "SQ":
            if depth < limit:
                for index, item in enumerate(values):
                    if isinstance(item, Mapping):
                        _object(item, f"{where}[{index}]", depth + 1, limit, found)
            continue
        if vr in _INTEGER_RANGES or vr in _FLOATS:
            for index, value in enumerate(values):
                problem = _number_problem(vr, value)
                if problem is not None:
                    found.append(_finding(key, f"{where}[{index}]", vr, value, problem))


def _number_problem(vr: str, value: object) -> str | None:
    if value is None:
        return None  # an empty value (PS3.18 F.2.5)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"is a JSON {_json_type(value)}; {vr} values are JSON Numbers (PS3.18 F.2.3)"
    if vr in _FLOATS:
        return None
    if isinstance(value, float) and not value.is_integer():
        return f"is not a whole number, which {vr} values are (PS3.5 table 6.2-1)"
    low, high = _INTEGER_RANGES[vr]
    if not low <= value <= high:
        return f"is outside the range of {vr}, {low} to {high} (PS3.5 table 6.2-1)"
    return None


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        return "String"
    if isinstance(value, list):
        return "Array"
    if isinstance(value, Mapping):
        return "Object"
    return type(value).__name__


def _finding(key: str, path: str, vr: str, value: object, problem: str) -> Finding:
    shown = repr(value)
    if len(shown) > _SHOWN:
        shown = f"{shown[:_SHOWN]}… ({len(shown)} characters)"
    try:
        tag = tag_text(int(key, 16)) if len(key) == 8 else ""
    except ValueError:
        tag = ""
    return Finding.of(
        "value-invalid",
        f"the {vr} value {shown} of {tag or key} {problem}",
        tag=tag,
        path=path,
        reference="PS3.18 F.2.3",
    )
