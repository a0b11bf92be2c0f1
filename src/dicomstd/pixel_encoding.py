"""Valid values of the Pixel Data related attributes per transfer syntax (PS3.5 section 8.2).

PS3.5 (2020c) gives, for each compressed transfer syntax, a table "Valid Values of Pixel Data
Related Attributes for … using Standard Photometric Interpretations" (tables 8.2.1-1, 8.2.1-2,
8.2.2-1, 8.2.3-1, 8.2.4-1), and says after each: "No other Standard Photometric Interpretation
values shall be used." A row names the Photometric Interpretations it covers, the transfer
syntaxes, and the values Samples per Pixel, Planar Configuration, Pixel Representation, Bits
Allocated, Bits Stored and High Bit may have, written ``1``, ``absent``, ``0 or 1``, ``1-16`` or
``8, 16, 24, 32 or 40``.

PS3.5 8.2 (2020c) also says: "If Pixel Data (7FE0,0010) is sent in a Native Format, then the
Photometric Interpretation (0028,0004) shall be other than: YBR_RCT, YBR_ICT, YBR_PARTIAL_420"
(:func:`native_excluded`).

The rows are generated (``dicomstd._generated.pixel_encodings``); this module holds the record of
one row and reads its cells, for the generator (which reports a cell it cannot read) and the
validator alike. An edition without these tables gives no rows.
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from typing import Any, NamedTuple

__all__ = [
    "ABSENT",
    "ATTRIBUTES",
    "Allowed",
    "PixelEncoding",
    "allowed",
    "native_excluded",
    "rules",
    "tables",
]

ABSENT = "absent"
"""What a cell says of an attribute that shall not be present."""

ATTRIBUTES: tuple[tuple[str, str, int], ...] = (
    ("samples_per_pixel", "Samples per Pixel", 0x00280002),
    ("planar_configuration", "Planar Configuration", 0x00280006),
    ("pixel_representation", "Pixel Representation", 0x00280103),
    ("bits_allocated", "Bits Allocated", 0x00280100),
    ("bits_stored", "Bits Stored", 0x00280101),
    ("high_bit", "High Bit", 0x00280102),
)
"""(field of :class:`PixelEncoding`, column header of the tables, tag) of each value column."""

_RANGE = re.compile(r"(\d+)\s*-\s*(\d+)")
_SEPARATORS = re.compile(r"\s*(?:,|\bor\b)\s*")


class Allowed(NamedTuple):
    """The values a cell allows: ``ranges`` of integers (inclusive), or none when ``absent``."""

    absent: bool
    ranges: tuple[tuple[int, int], ...]

    def admits(self, value: int | None) -> bool:
        if value is None:
            return self.absent
        return any(low <= value <= high for low, high in self.ranges)


def allowed(text: str) -> Allowed | None:
    """``absent``, ``1``, ``0 or 1``, ``1-16``, ``8, 16, 24, 32 or 40``; None for other text."""
    text = " ".join(text.split())
    if text.lower() == ABSENT:
        return Allowed(True, ())
    ranges: list[tuple[int, int]] = []
    for word in _SEPARATORS.split(text):
        if word.isdigit():
            ranges.append((int(word), int(word)))
            continue
        match = _RANGE.fullmatch(word)
        if match is None or int(match.group(1)) > int(match.group(2)):
            return None
        ranges.append((int(match.group(1)), int(match.group(2))))
    return Allowed(False, tuple(ranges)) if ranges else None


class PixelEncoding(NamedTuple):
    """One row of a PS3.5 section 8.2 table, its value cells as the table writes them."""

    photometric: tuple[str, ...]
    transfer_syntaxes: tuple[str, ...]
    """The Transfer Syntax UIDs the row applies to."""
    samples_per_pixel: str
    planar_configuration: str
    pixel_representation: str
    bits_allocated: str
    bits_stored: str
    high_bit: str
    source: str
    """The PS3.5 table id."""
    row: int
    """The body row of the table (1-based)."""

    def cell(self, field: str) -> str:
        text: str = getattr(self, field)
        return text

    def allows(self, field: str) -> Allowed:
        found = allowed(self.cell(field))
        if found is None:  # the generator keeps only rows whose cells it reads
            raise ValueError(f"{self.source} row {self.row}: {field} {self.cell(field)!r}")
        return found


class Table(NamedTuple):
    """A PS3.5 section 8.2 table: id, label (``8.2.1-1``) and caption."""

    id: str
    label: str
    caption: str


@cache
def _module() -> Any:
    try:
        return importlib.import_module("dicomstd._generated.pixel_encodings")
    except ModuleNotFoundError as error:  # a build generated without PS3.5
        if error.name != "dicomstd._generated.pixel_encodings":
            raise
        return None


def _generated() -> tuple[tuple[PixelEncoding, ...], tuple[Table, ...]]:
    module = _module()
    return (module.RULES, module.TABLES) if module is not None else ((), ())


def native_excluded() -> tuple[str, frozenset[str]]:
    """(section id, terms): the Photometric Interpretations Pixel Data in a Native Format shall
    not have (PS3.5 8.2); no terms when the build's PS3.5 does not say."""
    module = _module()
    if module is None:
        return "", frozenset()
    return module.NATIVE_SOURCE, frozenset(module.NATIVE_EXCLUDED)


@cache
def rules() -> dict[str, tuple[PixelEncoding, ...]]:
    """The rows of the build, by Transfer Syntax UID."""
    found: dict[str, list[PixelEncoding]] = {}
    for rule in _generated()[0]:
        for uid in rule.transfer_syntaxes:
            found.setdefault(uid, []).append(rule)
    return {uid: tuple(rows) for uid, rows in found.items()}


@cache
def tables() -> dict[str, Table]:
    """The tables of the build, by id."""
    return {table.id: table for table in _generated()[1]}
