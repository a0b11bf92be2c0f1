"""Dimension Index Values against the Dimension Index Sequence (PS3.3 C.7.6.17, Multi-frame
Dimension Module).

The Frame Content Macro (PS3.3 C.7.6.16.2.2) says of Dimension Index Values (0020,9157): "The
number of values is equal to the number of Items of the Dimension Index Sequence and shall be
applied in the same order." A frame whose Dimension Index Values has another number of values
gets a ``vm-mismatch`` finding; the frames are reported in one finding, at the first of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from dicomstd.validation._dataset import elements, items
from dicomstd.validation.findings import Finding
from dicomstd.validation.frames import PER_FRAME_FUNCTIONAL_GROUPS

if TYPE_CHECKING:
    from pydicom.dataset import Dataset

__all__ = ["dimension_index_problems"]

DIMENSION_INDEX_SEQUENCE = 0x00209222
FRAME_CONTENT_SEQUENCE = 0x00209111
DIMENSION_INDEX_VALUES = 0x00209157


def dimension_index_problems(
    dataset: Dataset, found: Mapping[int, Any], reference: str
) -> list[Finding]:
    """``found``: the data set's elements by int tag; ``reference``: the table of the Frame
    Content Macro in the build."""
    wanted = len(items(dataset, found, DIMENSION_INDEX_SEQUENCE))
    if not wanted:
        return []
    wrong: list[tuple[int, int]] = []
    for number, frame in enumerate(items(dataset, found, PER_FRAME_FUNCTIONAL_GROUPS)):
        frame_elements = elements(frame)
        for content in items(frame, frame_elements, FRAME_CONTENT_SEQUENCE)[:1]:
            element = elements(content).get(DIMENSION_INDEX_VALUES)
            if element is None:
                continue  # absent: a matter of its Type 1C condition
            value = content[DIMENSION_INDEX_VALUES].value
            count = 0 if value is None else len(value) if isinstance(value, list) else 1
            if count and count != wanted:
                wrong.append((number, count))
    if not wrong:
        return []
    number, count = wrong[0]
    more = f" (and {len(wrong) - 1} more frames)" if len(wrong) > 1 else ""
    return [
        Finding.of(
            "vm-mismatch",
            f"Dimension Index Values has {count} values in frame {number + 1}{more}; the "
            f"Dimension Index Sequence has {wanted} Items, and the number of values is equal to "
            "the number of its Items",
            tag=DIMENSION_INDEX_VALUES,
            keyword="DimensionIndexValues",
            path=f"PerFrameFunctionalGroupsSequence[{number}].FrameContentSequence[0]"
            ".DimensionIndexValues",
            module="Multi-frame Functional Groups",
            reference=reference,
        )
    ]
