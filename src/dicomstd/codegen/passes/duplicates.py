"""Report the same tag twice at one level of one table: impossible in a dataset, so a table error
(typically lost ``>`` markers). Runs after the errata, so corrected tables stay quiet."""

from __future__ import annotations

import attrs

from dicomstd.codegen.model import AttributeRow, IncludeRow, PlaceholderRow, Standard, TagSpec


def run(standard: Standard) -> Standard:
    part03 = standard.part03
    if part03 is None:
        return standard
    found = standard.diagnostics_for(3)
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
                found.warn(
                    "duplicate-tag-at-level",
                    f"{row.tag} {row.name} is also row {seen[row.tag]} at the same level "
                    "(a dataset cannot hold one tag twice; '>' markers may be missing)",
                    table=table.id,
                    row=row.row,
                )
            else:
                seen[row.tag] = row.row
    if not found:
        return standard
    return attrs.evolve(standard, diagnostics=standard.diagnostics + tuple(found))
