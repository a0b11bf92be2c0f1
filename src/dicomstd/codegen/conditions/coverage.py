"""Every condition text of PS3.3, parsed once, and how much of it the trees decide.

:func:`collect` finds each distinct text (Type 1C/2C attributes, conditional Include rows, usage C
modules and functional group macros, numbers of Items stated under a condition) with where it
occurs; :func:`parse_all` parses them into a :class:`ConditionTable`, which the conditions pass
stores on the model (:attr:`dicomstd.codegen.model.Standard.conditions`). :func:`coverage` sorts the
texts into parsed (no unverifiable part), partial and unparsed, and classes those not parsed whole
by why they cannot be decided (:data:`~dicomstd.conditions.Reason`): the class of a text is the
first reason of :data:`CLASS_ORDER` among its unverifiable parts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

import attrs

from dicomstd.codegen.conditions.names import vocabulary
from dicomstd.codegen.conditions.sentences import parse
from dicomstd.conditions import (
    All,
    Any,
    Condition,
    Node,
    Reason,
    Unverifiable,
    children,
    unverifiable,
)

if TYPE_CHECKING:
    from dicomstd.codegen.model import Standard

__all__ = [
    "CLASS_ORDER",
    "ConditionTable",
    "Coverage",
    "Location",
    "add_arguments",
    "collect",
    "coverage",
    "parse_all",
    "report_section",
    "run",
    "status",
]

CLASS_ORDER: tuple[Reason, ...] = (
    "real-world",
    "other-instance",
    "exchange",
    "section",
    "other-items",
    "ambiguous",
    "wording",
)
"""Which reason classes a text with several: a fact outside the data set decides first."""
CLASS_TITLES: dict[Reason, str] = {
    "real-world": "a fact no attribute records",
    "other-instance": "what another instance holds",
    "exchange": "the exchange, not the data set",
    "section": "stated in another section",
    "other-items": "a join between items",
    "ambiguous": "ambiguous grouping of and/or",
    "wording": "wording not read",
}


@attrs.frozen(order=True)
class Location:
    """Where a condition text occurs: table id, body row, and what it conditions."""

    source: str
    row: int
    kind: Literal["attribute", "include", "module", "functional-group", "item-count"]
    label: str

    def __str__(self) -> str:
        return f"{self.source} row {self.row}: {self.kind} {self.label}"


@attrs.frozen
class ConditionTable:
    """Each distinct condition text of PS3.3, sorted, with its :class:`Condition` and where it
    occurs."""

    conditions: dict[str, Condition]
    locations: dict[str, tuple[Location, ...]]


def collect(standard: Standard) -> list[tuple[str, tuple[Location, ...]]]:
    """Every distinct condition text of PS3.3 (1C/2C attributes, conditional Include rows, usage C
    modules and functional group macros, numbers of Items stated under a condition) with where it
    occurs, sorted by text."""
    from dicomstd.codegen.model import AttributeRow, IncludeRow

    found: dict[str, set[Location]] = {}
    part03 = standard.part03
    if part03 is None:
        return []
    for table_id, table in part03.tables.items():
        for row in table.rows:
            if isinstance(row, AttributeRow) and row.condition:
                label = f"{row.tag} {row.name}"
                found.setdefault(row.condition, set()).add(
                    Location(table_id, row.row, "attribute", label)
                )
            if isinstance(row, AttributeRow):
                for text, _ in row.item_counts:
                    location = Location(table_id, row.row, "item-count", f"{row.tag} {row.name}")
                    found.setdefault(text, set()).add(location)
            elif isinstance(row, IncludeRow) and row.condition:
                found.setdefault(row.condition, set()).add(
                    Location(table_id, row.row, "include", row.target)
                )
    for iod in part03.iods:
        for use in iod.modules:
            if use.condition:
                location = Location(iod.id, use.row, "module", f"{use.name} in {iod.name}")
                found.setdefault(use.condition, set()).add(location)
        for use in iod.functional_groups:
            if use.condition:
                location = Location(
                    iod.functional_groups_table or iod.id,
                    use.row,
                    "functional-group",
                    f"{use.name} in {iod.name}",
                )
                found.setdefault(use.condition, set()).add(location)
    return [(text, tuple(sorted(found[text]))) for text in sorted(found)]


def parse_all(standard: Standard) -> ConditionTable:
    """Parse every distinct condition text of ``standard`` with its names."""
    collected = collect(standard)
    names = vocabulary(standard)
    return ConditionTable(
        conditions={text: parse(text, names) for text, _ in collected},
        locations=dict(collected),
    )


def table_of(standard: Standard) -> ConditionTable:
    """The parsed conditions the pass stored, or (a model the passes did not run on) a fresh
    parse."""
    return standard.conditions if standard.conditions is not None else parse_all(standard)


Status = Literal["parsed", "partial", "unparsed"]


def status(condition: Condition) -> Status:
    """``parsed``: no part is Unverifiable; ``partial``: some is, but some test of the data set
    is not; ``unparsed``: nothing but text."""
    if condition.verifiable:
        return "parsed"
    return "partial" if any(_tests(n) for n in _nodes(condition)) else "unparsed"


def _nodes(condition: Condition) -> list[Node]:
    return [
        n
        for n in (condition.requirement, condition.otherwise_if, condition.forbidden_if)
        if n is not None
    ]


def _tests(node: Node) -> bool:
    """Whether some part of ``node`` tests the data set (is neither text nor only a grouping)."""
    if isinstance(node, Unverifiable):
        return False
    parts = children(node)
    if parts or isinstance(node, (All, Any)):
        return any(_tests(part) for part in parts)
    return True


def class_of(condition: Condition) -> Reason | None:
    """Why a text not parsed whole cannot be decided: the first of :data:`CLASS_ORDER` among the
    reasons of its unverifiable parts (None when it is parsed whole)."""
    reasons = {part.reason for node in _nodes(condition) for part in unverifiable(node)}
    return next((reason for reason in CLASS_ORDER if reason in reasons), None)


@attrs.frozen
class Coverage:
    conditions: dict[str, Condition]
    locations: dict[str, tuple[Location, ...]]
    parsed: tuple[str, ...]
    partial: tuple[str, ...]
    unparsed: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.conditions)

    @property
    def percent_parsed(self) -> float:
        return round(100.0 * len(self.parsed) / self.total, 1) if self.total else 100.0

    @property
    def classes(self) -> dict[Reason, tuple[str, ...]]:
        """The texts not parsed whole by class, in :data:`CLASS_ORDER`."""
        found: dict[Reason, list[str]] = {}
        for text in (*self.partial, *self.unparsed):
            reason = class_of(self.conditions[text])
            if reason is not None:
                found.setdefault(reason, []).append(text)
        return {reason: tuple(found[reason]) for reason in CLASS_ORDER if reason in found}


def coverage(standard: Standard) -> Coverage:
    """The parsed conditions of ``standard`` sorted by :func:`status`."""
    table = table_of(standard)
    by_status: dict[Status, list[str]] = {"parsed": [], "partial": [], "unparsed": []}
    for text, condition in table.conditions.items():
        by_status[status(condition)].append(text)
    return Coverage(
        conditions=table.conditions,
        locations=table.locations,
        parsed=tuple(by_status["parsed"]),
        partial=tuple(by_status["partial"]),
        unparsed=tuple(by_status["unparsed"]),
    )


def report_section(standard: Standard) -> dict[str, object]:
    """The conditions part of the generation report."""
    return _section(coverage(standard))


def _section(result: Coverage) -> dict[str, object]:
    return {
        "parsed": len(result.parsed),
        "partial": len(result.partial),
        "unparsed": len(result.unparsed),
        "total": result.total,
        "percent_parsed": result.percent_parsed,
        "classes": {reason: len(texts) for reason, texts in result.classes.items()},
        "unparsed_texts": sorted(result.partial + result.unparsed),
    }


# -- command line ---------------------------------------------------------------------------------
def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default text)"
    )
    parser.add_argument(
        "--unparsed",
        action="store_true",
        help="list every text not fully parsed, by class, with its unverifiable parts",
    )
    parser.add_argument(
        "--trees", action="store_true", help="print every text with the tree it parses to"
    )
    from dicomstd.codegen import inputs

    inputs.add_part_option(parser)


def run(args: argparse.Namespace) -> int:
    from dicomstd.codegen import inputs, pipeline

    standard = pipeline.build(inputs.resolve(inputs.explicit_parts(args.part), inputs.read_pins()))
    result = coverage(standard)
    if args.format == "json":
        data = _section(result)
        data["partial_texts"] = list(result.partial)
        data["unparsed_only_texts"] = list(result.unparsed)
        data["class_texts"] = {reason: list(texts) for reason, texts in result.classes.items()}
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    for line in _summary(standard, result):
        print(line)
    if args.unparsed:
        for line in _listing(result):
            print(line)
    if args.trees:
        for line in _trees(result):
            print(line)
    return 0


def _summary(standard: Standard, result: Coverage) -> Iterator[str]:
    from dicomstd.codegen.render import part_label

    yield f"conditions of {part_label(standard, 3)}: {result.total} distinct texts"
    yield f"  parsed:   {len(result.parsed):4d} ({result.percent_parsed:.1f}%)"
    yield f"  partial:  {len(result.partial):4d} (some part unverifiable)"
    yield f"  unparsed: {len(result.unparsed):4d}"
    yield "not parsed whole, by why they cannot be decided:"
    for reason, texts in result.classes.items():
        yield f"  {reason + ':':16s}{len(texts):4d} ({CLASS_TITLES[reason]})"


def _listing(result: Coverage) -> Iterator[str]:
    partial = set(result.partial)
    for reason, texts in result.classes.items():
        yield ""
        yield f"{reason} ({len(texts)}): {CLASS_TITLES[reason]}"
        for text in texts:
            mark = "partly parsed" if text in partial else "not parsed"
            yield f"- [{mark}] " + text.replace("\n", "\n  ")
            for node in _nodes(result.conditions[text]):
                for part in unverifiable(node):
                    if text in partial or part.text != text.strip():
                        yield f"    {part.reason}: {part.text}"


def _trees(result: Coverage) -> Iterator[str]:
    from dicomstd.codegen.emit_conditions import tree_text

    for text, condition in result.conditions.items():
        yield ""
        yield text
        yield f"  requirement: {tree_text(condition.requirement)}"
        if condition.otherwise is not None:
            yield f"  otherwise: {condition.otherwise}"
        if condition.otherwise_if is not None:
            yield f"  otherwise_if: {tree_text(condition.otherwise_if)}"
        if condition.forbidden_if is not None:
            yield f"  forbidden_if: {tree_text(condition.forbidden_if)}"
