"""Character repertoires of the string VRs (PS3.5 6.1 and table 6.2-1) as compiled patterns.

Each ``BAD_*`` pattern finds the first character a VR does not allow; ``search`` returning None
means the whole value is inside the repertoire. Values arrive decoded (``str``), so the patterns
speak of code points: the Default Character Repertoire (ISO-IR 6, PS3.5 6.1.2.1) is U+0020 to
U+007E, the five DICOM control characters (PS3.5 6.1.3) are TAB, LF, FF, CR and ESC, DELETE
(U+007F) is never allowed (PS3.5 6.1.2.3) and C1 controls (U+0080 to U+009F) shall not be used
(PS3.5 6.1.1).
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "BAD_AE",
    "BAD_AS",
    "BAD_CS",
    "BAD_DA",
    "BAD_DS",
    "BAD_DT",
    "BAD_IS",
    "BAD_STRING",
    "BAD_TEXT",
    "BAD_TM",
    "BAD_UI",
    "BAD_UR",
    "BAD_URI_PERCENT",
    "ESCAPE_SEQUENCE",
    "char_count",
    "describe",
]

# Table 6.2-1, column "Character Repertoire"; the SPACE of padding is allowed where the VR's
# definition allows padding (AS, DA and UI are checked with their padding removed first).
# AE: ISO-IR 6 minus BACKSLASH and controls.
BAD_AE: Final[re.Pattern[str]] = re.compile(r"[^\x20-\x5b\x5d-\x7e]")
BAD_AS: Final[re.Pattern[str]] = re.compile(r"[^0-9DWMY]")
BAD_CS: Final[re.Pattern[str]] = re.compile(r"[^A-Z0-9 _]")
BAD_DA: Final[re.Pattern[str]] = re.compile(r"[^0-9]")
BAD_DS: Final[re.Pattern[str]] = re.compile(r"[^0-9+\-Ee. ]")
BAD_DT: Final[re.Pattern[str]] = re.compile(r"[^0-9+\-. ]")
BAD_IS: Final[re.Pattern[str]] = re.compile(r"[^0-9+\- ]")
BAD_TM: Final[re.Pattern[str]] = re.compile(r"[^0-9. ]")
BAD_UI: Final[re.Pattern[str]] = re.compile(r"[^0-9.]")
# SH, LO, UC, PN: any graphic character of the (possibly extended) repertoire, no BACKSLASH, no
# control character except ESC (PS3.5 6.1.2.3, 6.1.3, table 6.2-1).
BAD_STRING: Final[re.Pattern[str]] = re.compile(r"[\x00-\x1a\x1c-\x1f\x7f-\x9f\\]")
# ST, LT, UT: BACKSLASH allowed; controls TAB, LF, FF, CR and ESC allowed (PS3.5 6.1.3 lists
# TAB since 2015b; the ST/LT/UT definitions still name only CR, LF, FF and ESC).
BAD_TEXT: Final[re.Pattern[str]] = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
# UR: RFC 3986 section 2 (unreserved, reserved and "%" of percent-encoding) plus SPACE, which
# the value check allows only as trailing padding (PS3.5 6.2.3, table 6.2-1).
BAD_UR: Final[re.Pattern[str]] = re.compile(r"[^A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=% ]")
BAD_URI_PERCENT: Final[re.Pattern[str]] = re.compile(r"%(?![0-9A-Fa-f]{2})")

# An ISO 2022 escape sequence: ESC, intermediate bytes 02/00-02/15, one final byte 03/00-07/14.
# Escape sequences are not counted as characters (PS3.5 6.2, note under the VR lengths).
ESCAPE_SEQUENCE: Final[re.Pattern[str]] = re.compile(r"\x1b[\x20-\x2f]*[\x30-\x7e]")

_NAMES: Final = {
    "\x00": "NUL",
    "\t": "TAB",
    "\n": "LF",
    "\x0c": "FF",
    "\r": "CR",
    "\x1b": "ESC",
    " ": "SPACE",
    "\\": "BACKSLASH",
    "\x7f": "DELETE",
}


def describe(char: str) -> str:
    """A readable name for one character: ``'a'``, ``U+000A (LF)``, ``U+0085 (control)``."""
    name = _NAMES.get(char)
    code = ord(char)
    if name is not None:
        return f"U+{code:04X} ({name})"
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"U+{code:04X} (control)"
    return repr(char)


def char_count(value: str) -> int:
    """Characters of ``value`` as PS3.5 counts them: ISO 2022 escape sequences excluded."""
    if "\x1b" not in value:
        return len(value)
    return len(value) - sum(len(match) for match in ESCAPE_SEQUENCE.findall(value))
