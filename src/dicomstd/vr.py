"""Value Representations (PS3.5 section 6.2) with their limits as data.

``VR`` itself is generated from PS3.5 table 6.2-1 (``dicomstd._generated.vrs``); this module
holds the behaviour every member shares and the :class:`VRSpec` record of one table row.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Literal, NamedTuple

__all__ = [
    "BYTES_VRS",
    "FLOAT_VRS",
    "INT_VRS",
    "PADDING",
    "STRING_VRS",
    "VR",
    "VRSpec",
    "bare_text",
]


class VRSpec(NamedTuple):
    """One row of PS3.5 table 6.2-1."""

    code: str
    name: str
    definition: str
    repertoire: str
    length_text: str
    max_length: int | None
    """Longest value allowed, in ``length_unit`` (bytes or characters), or None without a limit."""
    fixed_length: bool
    length_unit: Literal["bytes", "chars"] | None
    per_component_group: bool
    """True for PN: the limit applies to each component group, not to the whole value."""
    query_max_length: int | None
    source: str
    row: int = 0
    """The body row of the table (1-based)."""


_BINARY = frozenset(
    {"AT", "FL", "FD", "OB", "OD", "OF", "OL", "OV", "OW", "SL", "SS", "SV", "UL", "UN", "US", "UV"}
)
_TEXT = frozenset({"LT", "ST", "UT"})

# The Python type a value of each VR has in the typed classes: str, float, int or bytes (SQ holds
# items). dicomstd.model converts and the generator annotates through these same sets.
STRING_VRS = frozenset(
    {"AE", "AS", "CS", "DA", "DT", "LO", "LT", "PN", "SH", "ST", "TM", "UC", "UI", "UR", "UT"}
)
FLOAT_VRS = frozenset({"DS", "FL", "FD"})
INT_VRS = frozenset({"IS", "SL", "SS", "UL", "US", "SV", "UV", "AT"})
BYTES_VRS = frozenset({"OB", "OD", "OF", "OL", "OV", "OW", "UN"})


PADDING = " \x00"
"""What pads a value to even length: SPACE, or NUL for UI (PS3.5 6.2)."""


def bare_text(value: object) -> str:
    """A value as text without its padding: bytes decoded as ISO-IR 6/Latin-1 (the default
    repertoire), None as empty, anything else through ``str()``; SPACE and NUL stripped from both
    ends."""
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray):
        return value.decode("latin-1").strip(PADDING)
    return str(value).strip(PADDING)


class VRBehaviour:
    """Methods every generated ``VR`` member has."""

    value: str

    @cached_property
    def spec(self) -> VRSpec:
        from dicomstd._generated.vrs import SPECS

        return SPECS[self.value]

    @property
    def max_length(self) -> int | None:
        return self.spec.max_length

    @property
    def fixed_length(self) -> bool:
        return self.spec.fixed_length

    @property
    def length_unit(self) -> Literal["bytes", "chars"] | None:
        return self.spec.length_unit

    @property
    def is_string(self) -> bool:
        """Values are character strings (backslash separates multiple values, except text VRs)."""
        return self.value not in _BINARY and self.value != "SQ"

    @property
    def is_text(self) -> bool:
        """LT, ST, UT: a single value that may contain backslashes."""
        return self.value in _TEXT

    @property
    def is_sequence(self) -> bool:
        return self.value == "SQ"


if TYPE_CHECKING:
    from dicomstd._generated.vrs import VR
else:

    def __getattr__(name: str) -> object:
        if name == "VR":
            from dicomstd._generated.vrs import VR

            return VR
        raise AttributeError(name)
