"""Parse every condition text of PS3.3 once and store the trees on the model
(:attr:`~dicomstd.codegen.model.Standard.conditions`), for the emitter and the report."""

from __future__ import annotations

import attrs

from dicomstd.codegen.conditions import parse_all
from dicomstd.codegen.model import Standard


def run(standard: Standard) -> Standard:
    if standard.part03 is None:
        return standard
    return attrs.evolve(standard, conditions=parse_all(standard))
