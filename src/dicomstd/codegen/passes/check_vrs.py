"""Every VR the dictionary names must be a Value Representation PS3.5 defines."""

from __future__ import annotations

import attrs

from dicomstd.codegen.model import Standard


def run(standard: Standard) -> Standard:
    if standard.part05 is None or standard.part06 is None:
        return standard
    known = {vr.code for vr in standard.part05.vrs}
    found = standard.diagnostics_for(6)
    elements = []
    for entry in standard.part06.data_elements:
        unknown = [code for code in entry.vrs if code not in known]
        if unknown:
            found.warn(
                "unknown-vr",
                f"{entry.tag}: VR {', '.join(unknown)} is not in PS3.5 table 6.2-1; dropped",
                table=entry.source,
                row=entry.row,
            )
            entry = attrs.evolve(entry, vrs=tuple(c for c in entry.vrs if c in known))
        elements.append(entry)
    if not found:
        return standard
    return attrs.evolve(
        standard,
        part06=attrs.evolve(standard.part06, data_elements=tuple(elements)),
        diagnostics=standard.diagnostics + tuple(found),
    )
