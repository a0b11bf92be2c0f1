"""What PS3.3 requires, as words of one vocabulary: module Usage, attribute Type, and the
Enumerated Values or Defined Terms given for an attribute.

Defined once here, for the runtime (:mod:`dicomstd.spec`, the validator) and the generator
(``dicomstd.codegen``) alike: a transcribed vocabulary written twice is two vocabularies the day
one of them changes.
"""

from __future__ import annotations

import enum
from typing import Literal

import attrs

__all__ = ["AttributeType", "Usage", "ValueList"]


class Usage(enum.StrEnum):
    """Module usage in an IOD (PS3.3 section A.1.3)."""

    MANDATORY = "M"
    CONDITIONAL = "C"
    USER_OPTION = "U"


class AttributeType(enum.StrEnum):
    """Attribute Type (PS3.5 section 7.4)."""

    TYPE_1 = "1"
    TYPE_1C = "1C"
    TYPE_2 = "2"
    TYPE_2C = "2C"
    TYPE_3 = "3"

    @property
    def conditional(self) -> bool:
        return self.value.endswith("C")


@attrs.frozen(slots=True)
class ValueList:
    """Enumerated Values or Defined Terms given for an attribute (PS3.3 section 5.4)."""

    kind: Literal["enumerated", "defined"]
    values: tuple[str, ...]
    value_index: int | None = None
    """1-based value number the list applies to; None when it applies to every value."""
    qualifier: str = ""
    """When the list applies, if the standard narrows it (``when Dose Type … = ERROR``); empty
    when always."""
