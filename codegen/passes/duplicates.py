"""Report the same tag twice at one level of one table: impossible in a dataset, so a table error
(typically lost ``>`` markers). Runs after the errata, so corrected tables stay quiet."""

from __future__ import annotations

from pathlib import Path

import attrs

from codegen.diagnostics import Diagnostic, Severity
from codegen.model import AttributeRow, IncludeRow, PlaceholderRow, Standard, TagSpec


def run(standard: Standard) -> Standard:
    part03 = standard.part03
    info = standard.part(3)
    if part03 is None or info is None:
        return standard
    file = Path(info.path).name
    diagnostics: list[Diagnostic] = []
    for table in part03.tables.values():
        # One "seen" set per open level: the top level, then each open sequence's items.
        levels: list[dict[TagSpec, int]] = [{}]
        for row in table.rows:
            depth = row.depth
            del levels[depth + 1 :]
            while len(levels) <= depth:
                levels.append({})
            if isinstance(row, IncludeRow | PlaceholderRow):
                continue
            assert isinstance(row, AttributeRow)
            seen = levels[depth]
            if row.tag in seen:
                diagnostics.append(
                    Diagnostic(
                        file,
                        table.id,
                        row.row,
                        "duplicate-tag-at-level",
                        Severity.WARNING,
                        f"{row.tag} {row.name} is also row {seen[row.tag]} at the same level "
                        "(a dataset cannot hold one tag twice; '>' markers may be missing)",
                    )
                )
            else:
                seen[row.tag] = row.row
    if not diagnostics:
        return standard
    return attrs.evolve(standard, diagnostics=standard.diagnostics + tuple(diagnostics))
