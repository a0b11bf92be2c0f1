"""Every VR the dictionary names must be a Value Representation PS3.5 defines."""

from __future__ import annotations

import attrs

from codegen.diagnostics import Diagnostic, Severity
from codegen.model import Standard


def run(standard: Standard) -> Standard:
    if standard.part05 is None or standard.part06 is None:
        return standard
    known = {vr.code for vr in standard.part05.vrs}
    part = standard.part(6)
    file = part.path.rsplit("/", 1)[-1] if part else "part06.xml"
    diagnostics: list[Diagnostic] = []
    elements = []
    for entry in standard.part06.data_elements:
        unknown = [code for code in entry.vrs if code not in known]
        if unknown:
            diagnostics.append(
                Diagnostic(
                    file,
                    entry.source,
                    entry.row,
                    "unknown-vr",
                    Severity.WARNING,
                    f"{entry.tag}: VR {', '.join(unknown)} is not in PS3.5 table 6.2-1; dropped",
                )
            )
            entry = attrs.evolve(entry, vrs=tuple(c for c in entry.vrs if c in known))
        elements.append(entry)
    if not diagnostics:
        return standard
    return attrs.evolve(
        standard,
        part06=attrs.evolve(standard.part06, data_elements=tuple(elements)),
        diagnostics=standard.diagnostics + tuple(diagnostics),
    )
