"""Pixel Data related attributes against the transfer syntax (PS3.5 section 8.2 tables).

PS3.5 8.2.1 (and 8.2.2, 8.2.3, 8.2.4 alike): "The requirements when using a Standard Photometric
Interpretation (i.e., a Defined Term from PS3.3 Section C.7.6.3.1.2) are specified in Table
8.2.1-1 and Table 8.2.1-2. No other Standard Photometric Interpretation values shall be used."

PS3.5 8.2: "If Pixel Data (7FE0,0010) is sent in a Native Format, then the Photometric
Interpretation (0028,0004) shall be other than:" YBR_RCT, YBR_ICT, YBR_PARTIAL_420 (2020c).

For a data set with encapsulated Pixel Data (7FE0,0010) in a transfer syntax these tables list: its
Photometric Interpretation must be one a row for that transfer syntax names, and Samples per
Pixel, Planar Configuration, Pixel Representation, Bits Allocated, Bits Stored and High Bit must
have the values of one such row ("absent": not present). A Photometric Interpretation that PS3.5
8.2 of the build does not name is not taken for a Standard one (the Defined Terms of PS3.3
C.7.6.3.1.2 are not among what the generator reads): it is not checked. An attribute the row
needs a value of but the data set lacks is left to the module's requirements, which report it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from dicomstd import dictionary, pixel_encoding
from dicomstd.pixel_encoding import ATTRIBUTES, PixelEncoding
from dicomstd.rawvalue import Memo
from dicomstd.tag import tag_text
from dicomstd.uid import transfer_syntax
from dicomstd.validation.findings import Finding
from dicomstd.validation.pixels import PIXEL_DATA, is_native, number, text

if TYPE_CHECKING:
    from pydicom.dataset import Dataset

__all__ = ["pixel_encoding_problems"]

PHOTOMETRIC_INTERPRETATION = 0x00280004


@cache
def _named() -> frozenset[str]:
    """Every Photometric Interpretation PS3.5 8.2 of the build names: in its tables and in the
    list a Native Format excludes."""
    rules = pixel_encoding.rules().values()
    terms = {term for rows in rules for rule in rows for term in rule.photometric}
    return frozenset(terms | pixel_encoding.native_excluded()[1])


def _table(rule: PixelEncoding) -> str:
    table = pixel_encoding.tables().get(rule.source)
    label = table.label if table is not None else rule.source
    return f"PS3.5 table {label}"


def _finding(tag: int, message: str, path: str, reference: str) -> Finding:
    entry = dictionary.get(tag)
    keyword = entry.keyword if entry is not None else tag_text(tag)
    return Finding.of(
        "pixel-encoding",
        message,
        tag=tag,
        keyword=keyword,
        path=f"{path}.{keyword}" if path else keyword,
        reference=reference,
    )


def _mismatches(
    rule: PixelEncoding, values: Mapping[int, int | None], present: Mapping[int, bool]
) -> list[tuple[str, str, int]]:
    """(field, column name, tag) of each attribute whose value the row does not allow."""
    out = []
    for field, name, tag in ATTRIBUTES:
        allowed = rule.allows(field)
        if allowed.absent:
            if present[tag]:
                out.append((field, name, tag))
        elif present[tag] and not allowed.admits(values[tag]):
            out.append((field, name, tag))
    return out


def pixel_encoding_problems(
    dataset: Dataset, top: Mapping[int, Any], path: str = "", memo: Memo | None = None
) -> Iterator[Finding]:
    """Findings on the Pixel Data related attributes of a data set with Pixel Data, against the
    rows of the PS3.5 8.2 tables for its transfer syntax (none when no table lists it)."""
    photometric = top.get(PHOTOMETRIC_INTERPRETATION)
    pixels = top.get(PIXEL_DATA)
    if photometric is None or pixels is None:
        return
    term = text(dataset, photometric, memo).strip()
    if not term or term not in _named():
        return
    if is_native(pixels):
        section, excluded = pixel_encoding.native_excluded()
        if term in excluded:
            label = section.removeprefix("sect_")
            yield _finding(
                PHOTOMETRIC_INTERPRETATION,
                f"Photometric Interpretation {term} with Pixel Data in a Native Format: PS3.5 "
                f"{label}, 'If Pixel Data (7FE0,0010) is sent in a Native Format, then the "
                f"Photometric Interpretation (0028,0004) shall be other than: "
                f"{', '.join(sorted(excluded))}'",
                path,
                f"PS3.5 {label}",
            )
        return
    uid = transfer_syntax(dataset)
    rows = pixel_encoding.rules().get(uid) if uid is not None else None
    if not rows or uid is None:
        return
    matching = [rule for rule in rows if term in rule.photometric]
    if not matching:
        tables = sorted({_table(rule) for rule in rows})
        allowed = sorted({t for rule in rows for t in rule.photometric})
        yield _finding(
            PHOTOMETRIC_INTERPRETATION,
            f"Photometric Interpretation {term} is not one {' and '.join(tables)} allows for "
            f"transfer syntax {uid} ({', '.join(allowed)}): 'No other Standard Photometric "
            "Interpretation values shall be used'",
            path,
            ", ".join(tables),
        )
        return
    present = {tag: tag in top for _, _, tag in ATTRIBUTES}
    values = {tag: number(dataset, top, tag, memo) for _, _, tag in ATTRIBUTES}
    found = [(rule, _mismatches(rule, values, present)) for rule in matching]
    if any(not wrong for _, wrong in found):
        return
    rule, wrong = min(found, key=lambda pair: len(pair[1]))
    where = f"{_table(rule)} row {rule.row}"
    for field, name, tag in wrong:
        cell = rule.cell(field)
        value = values[tag]
        shown = "present" if value is None else str(value)
        yield _finding(
            tag,
            f"{name} is {shown}; {where} ({term}, transfer syntax {uid}) allows {cell}",
            path,
            where,
        )
