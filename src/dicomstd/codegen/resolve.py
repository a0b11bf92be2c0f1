"""The order of the passes. Each is a pure ``Standard -> Standard`` function."""

from __future__ import annotations

from collections.abc import Callable

from dicomstd.codegen.model import Standard
from dicomstd.codegen.passes import (
    check_vrs,
    conditions,
    duplicates,
    errata,
    expand,
    iods,
    specializations,
)

Pass = Callable[[Standard], Standard]

PASSES: tuple[Pass, ...] = (
    check_vrs.run,
    errata.run,
    duplicates.run,
    expand.run,
    iods.run,
    specializations.run,
    conditions.run,
)


def resolve(standard: Standard) -> Standard:
    for step in PASSES:
        standard = step(standard)
    return standard
