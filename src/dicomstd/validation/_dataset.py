"""Reading a pydicom data set the way the validator walks it: elements by plain ``int`` tag,
raw elements left raw until a check needs their value, sequences' items on demand."""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Final, cast

from dicomstd.rawvalue import value as raw_value

if TYPE_CHECKING:
    from pydicom.dataset import Dataset

__all__ = ["MAX_DEPTH", "elements", "items", "sequence_items"]

MAX_DEPTH: Final = 64
"""How deep the validator walks nested sequences; deeper ones are reported, not walked."""


def elements(dataset: Dataset) -> dict[int, Any]:
    """The elements of a data set by plain ``int`` tag; raw elements stay raw.

    pydicom keys its elements by ``BaseTag``, whose ``__eq__`` is Python code: every lookup with
    an ``int`` would call it. One plain copy per data set makes every later test a C-level one.
    """
    found = getattr(dataset, "_dict", None)
    if isinstance(found, dict):
        # operator.index gives an exact int, and is the quickest conversion of a BaseTag; a
        # comprehension is quicker than dict(zip(map(...))) at every size items have.
        index = operator.index
        return {index(tag): element for tag, element in found.items()}
    return {int(tag): element for tag, element in dataset.items()}


def sequence_items(dataset: Dataset, tag: int, element: Any) -> Sequence[Dataset]:
    """The items of a sequence element of ``dataset`` (a raw one is parsed now). Of a pydicom
    Sequence, the list it holds: it iterates that list through a generator."""
    value = element.value
    if value.__class__ is not _items_class():  # tested first by identity (an ABC test costs more)
        if isinstance(value, Sequence) and not isinstance(value, str | bytes):
            return cast("Sequence[Dataset]", value)
        value = raw_value(dataset, tag, element)  # a raw sequence: its items parsed now
        if value.__class__ is not _items_class():
            return value if isinstance(value, Sequence) else ()
    return cast("list[Dataset]", cast("Any", value)._list)


@cache
def _items_class() -> type:
    from pydicom.sequence import Sequence as Items

    return Items


def items(dataset: Dataset, found: Mapping[int, Any], tag: int) -> Sequence[Dataset]:
    """The items of the sequence ``tag`` of ``dataset`` (whose :func:`elements` are ``found``);
    none when it is absent or not a sequence."""
    element = found.get(tag)
    if element is None:
        return ()
    return sequence_items(dataset, tag, element)
