"""Apply the corrections of ``errata.toml`` (beside this package) to the parsed PS3.3 tables,
reporting each."""

from __future__ import annotations

import tomllib
from pathlib import Path

import attrs

from dicomstd.codegen.diagnostics import InputError
from dicomstd.codegen.model import (
    AttributeRow,
    AttributeTable,
    Erratum,
    IncludeRow,
    Standard,
    TagSpec,
)

ERRATA_FILE = Path(__file__).resolve().parent.parent / "errata.toml"


def load(path: Path = ERRATA_FILE) -> tuple[Erratum, ...]:
    if not path.is_file():
        return ()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InputError(str(path), f"not valid TOML: {error}") from None
    errata: list[Erratum] = []
    for index, entry in enumerate(data.get("erratum", []), start=1):
        try:
            action = entry["action"]
            if action not in ("nest", "drop-include"):
                raise ValueError(f"unknown action {action!r}")
            errata.append(
                Erratum(
                    table=str(entry["table"]),
                    editions=tuple(str(e) for e in entry["editions"]),
                    action=action,
                    reason=" ".join(str(entry["reason"]).split()),
                    after=str(entry.get("after", "")),
                    tags=tuple(str(t) for t in entry.get("tags", ())),
                    target=str(entry.get("target", "")),
                )
            )
        except (KeyError, ValueError, TypeError) as error:
            raise InputError(str(path), f"erratum {index}: {error}") from None
    return tuple(errata)


def _nest(table: AttributeTable, erratum: Erratum) -> AttributeTable | str:
    rows = list(table.rows)
    after = TagSpec.parse(erratum.after)
    wanted = [TagSpec.parse(t) for t in erratum.tags]
    for index, row in enumerate(rows):
        if not (isinstance(row, AttributeRow) and row.tag == after):
            continue
        following = rows[index + 1 : index + 1 + len(wanted)]
        if len(following) == len(wanted) and all(
            isinstance(r, AttributeRow) and r.tag == tag and r.depth == row.depth
            for r, tag in zip(following, wanted, strict=True)
        ):
            for offset in range(len(wanted)):
                moved = rows[index + 1 + offset]
                assert isinstance(moved, AttributeRow)
                rows[index + 1 + offset] = attrs.evolve(moved, depth=moved.depth + 1)
            return attrs.evolve(table, rows=tuple(rows))
        return f"the rows after {erratum.after} are not {', '.join(erratum.tags)} at its depth"
    return f"no row {erratum.after}"


def _drop_include(table: AttributeTable, erratum: Erratum) -> AttributeTable | str:
    kept = tuple(
        r for r in table.rows if not (isinstance(r, IncludeRow) and r.target == erratum.target)
    )
    if len(kept) == len(table.rows):
        return f"no Include row of {erratum.target}"
    return attrs.evolve(table, rows=kept)


def run(standard: Standard) -> Standard:
    part03 = standard.part03
    info = standard.part(3)
    if part03 is None or info is None or not standard.errata:
        return standard
    tables = dict(part03.tables)
    found = standard.diagnostics_for(3)
    for erratum in standard.errata:
        if info.edition not in erratum.editions:
            continue
        table = tables.get(erratum.table)
        if table is None:
            result: AttributeTable | str = "the table is not in this document"
        elif erratum.action == "nest":
            result = _nest(table, erratum)
        else:
            result = _drop_include(table, erratum)
        if isinstance(result, str):
            found.warn(
                "erratum-does-not-match",
                f"erratum ({erratum.action}) not applied: {result}",
                table=erratum.table,
            )
            continue
        tables[erratum.table] = result
        what = (
            f"{erratum.after}: {', '.join(erratum.tags)} nested"
            if erratum.action == "nest"
            else f"Include of {erratum.target} removed"
        )
        found.info(
            "erratum-applied",
            f"corrected ({what}) per src/dicomstd/codegen/errata.toml: {erratum.reason}",
            table=erratum.table,
        )
    return attrs.evolve(
        standard,
        part03=attrs.evolve(part03, tables=tables),
        diagnostics=standard.diagnostics + tuple(found),
    )
