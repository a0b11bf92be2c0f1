"""load -> parse -> passes -> render, and the generation report."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dicomstd.codegen import (
    docbook,
    inputs,
    output,
    part03,
    part04,
    part05,
    part06,
    render,
    resolve,
)
from dicomstd.codegen.diagnostics import Diagnostic, InputError, count_by_code
from dicomstd.codegen.model import PartInfo, Standard
from dicomstd.codegen.passes import errata, specializations

Parser = Callable[[docbook.Document], Any]


def parsers() -> dict[int, tuple[str, Parser]]:
    return {
        3: ("part03", _parse_part03),
        4: ("part04", part04.parse),
        5: ("part05", part05.parse),
        6: ("part06", part06.parse),
    }


def _parse_part03(document: docbook.Document) -> Any:
    """PS3.3's tables, and what its cells and sections say of one module's definitions
    overriding another's (read here: the sections are not in the model)."""
    return specializations.read(document, part03.parse(document))


# Rough relative cost of parsing a byte of each part (PS3.4 and 3.5 are mostly prose).
_COST = {6: 4, 3: 3, 4: 1, 5: 1}


def _cost(resolved: inputs.ResolvedPart) -> int:
    try:
        size = resolved.path.stat().st_size
    except OSError:  # loading says what is wrong with it
        size = 0
    return _COST.get(resolved.part, 1) * size


def parse_part(resolved: inputs.ResolvedPart) -> tuple[str, Any, PartInfo, list[Diagnostic]]:
    """Load and parse one part (in a worker process when several are read)."""
    known = parsers()
    if resolved.part not in known:
        raise InputError(
            str(resolved.path),
            f"PS3.{resolved.part} is not a part the generator reads (3, 4, 5, 6)",
        )
    document = docbook.load(resolved.path, expect_part=resolved.part)
    if resolved.pin is not None and document.edition != resolved.pin.edition:
        raise InputError(
            str(resolved.path),
            f"pinned as {resolved.pin.edition} but the document says {document.subtitle!r}",
        )
    name, parse = known[resolved.part]
    parsed = parse(document)
    info = PartInfo(
        resolved.part,
        inputs.display(resolved.path),
        document.edition,
        document.part_title,
        docbook.sha256_of(resolved.path),
    )
    return name, parsed, info, list(document.diagnostics)


def _parse_all(
    parts: list[inputs.ResolvedPart],
) -> list[tuple[str, Any, PartInfo, list[Diagnostic]]]:
    """Parse the parts, in parallel processes when there are several and cores to run them: the
    costliest here (its model needs no copying between processes), the others in workers,
    costliest first."""
    workers = min(len(parts), os.cpu_count() or 1)
    if workers < 2:
        return [parse_part(p) for p in parts]
    ordered = sorted(parts, key=lambda p: -_cost(p))
    first, rest = ordered[0], ordered[1:]
    with output.process_pool(workers - 1) as pool:  # workers end with this process
        futures = [pool.submit(parse_part, p) for p in rest]
        done = {id(first): parse_part(first)}
        done.update({id(p): f.result() for p, f in zip(rest, futures, strict=True)})
    return [done[id(p)] for p in parts]


def build(parts: list[inputs.ResolvedPart]) -> Standard:
    """Load and parse every part, then run the passes. Raises InputError on unusable input."""
    fields: dict[str, Any] = {}
    infos: list[PartInfo] = []
    diagnostics: list[Diagnostic] = []
    for name, parsed, info, found in _parse_all(parts):
        fields[name] = parsed
        infos.append(info)
        diagnostics.extend(found)
    loaded_errata = errata.load() if "part03" in fields else ()
    standard = Standard(
        parts=tuple(infos), diagnostics=tuple(diagnostics), errata=loaded_errata, **fields
    )
    return resolve.resolve(standard)


def counts(standard: Standard) -> dict[str, int]:
    total: Counter[str] = Counter()
    for name in ("part03", "part04", "part05", "part06"):
        part = getattr(standard, name)
        if part is not None:
            total.update(part.counts)
    return dict(sorted(total.items()))


def report(standard: Standard) -> dict[str, Any]:
    severities = Counter(str(d.severity) for d in standard.diagnostics)
    data: dict[str, Any] = {
        "parts": [
            {
                "part": p.number,
                "path": p.path,
                "edition": p.edition,
                "title": p.title,
                "sha256": p.sha256,
            }
            for p in standard.parts
        ],
        "counts": counts(standard),
        "summary": {
            "diagnostics": {s: severities.get(s, 0) for s in ("error", "warning", "info")},
            "by_code": count_by_code(standard.diagnostics),
        },
        "diagnostics": [d.as_json() for d in sorted(standard.diagnostics, key=Diagnostic.sort_key)],
    }
    if standard.part03 is not None:
        from dicomstd.codegen import conditions

        data["conditions"] = conditions.report_section(standard)
        data["unknown_attributes"] = [
            {"tag": tag, "name": name} for tag, name in standard.unknown_attributes
        ]
    return data


def write_report(standard: Standard, path: Path) -> None:
    """Write the JSON report atomically; :class:`~dicomstd.codegen.output.OutputError` when
    ``path`` cannot be written."""
    output.write_text(path, json.dumps(report(standard), indent=2, ensure_ascii=False) + "\n")


def generate(
    explicit: dict[int, Path],
    out: Path,
    report_path: Path | None,
    *,
    pins: dict[int, inputs.Pin] | None = None,
) -> tuple[Standard, int]:
    """Generate from the pinned parts (``pins``, by default those of the editions file) with the
    ``explicit`` parts in place of theirs; ``pins={}`` reads only the explicit parts."""
    resolved = inputs.resolve(explicit, inputs.read_pins() if pins is None else pins)
    standard = build(resolved)
    from dicomstd.codegen import (
        diff,
    )  # the edition-change report, when a part moved to another edition

    output.check_target(out, report_path)  # --out may be replaced, the report written
    previous = diff.generated_parts(out)
    files = render.plan(standard)

    def write_reports() -> None:  # before the package is swapped in: a failure changes nothing
        if report_path is not None:
            write_report(standard, report_path)
            diff.write_edition_change_report(previous, standard, report_path.parent)

    output.write_package(files, out, before_swap=write_reports)
    return standard, len(files)


def summary_line(standard: Standard, file_count: int, out: Path) -> str:
    severities = Counter(str(d.severity) for d in standard.diagnostics)
    sources = ", ".join(f"PS3.{p.number} {p.edition}" for p in standard.parts)
    return (
        f"generated {file_count} files into {inputs.display(out)} from {sources}: "
        f"{severities.get('error', 0)} errors, {severities.get('warning', 0)} warnings, "
        f"{severities.get('info', 0)} notes in the report"
    )


__all__ = ["build", "generate", "report", "summary_line", "write_report"]
