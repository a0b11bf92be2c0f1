"""Emit ``conditions.py``: every distinct condition text of PS3.3 with its parsed tree, as
constructor calls of :mod:`dicomstd.conditions`, sorted by text."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any as AnyType
from typing import TypeAlias

from dicomstd.codegen import render
from dicomstd.codegen.conditions.coverage import coverage
from dicomstd.codegen.model import Standard
from dicomstd.codegen.render import LINE
from dicomstd.conditions import (
    All,
    Any,
    Compare,
    Condition,
    Count,
    Equals,
    ExtendedCharacters,
    FramesInOneFragment,
    HasCode,
    HasValue,
    InItems,
    IodRequires,
    ItemPosition,
    ModulePresent,
    Node,
    Not,
    PointsToPrivate,
    Present,
    Scoped,
    Unverifiable,
    Varies,
)

Context = dict[str, AnyType]


def files(standard: Standard) -> Iterator[tuple[str, str, Context]]:
    if standard.part03 is None:
        return
    yield "conditions.py", "conditions.py.j2", context(standard)


def context(standard: Standard) -> Context:
    result = coverage(standard)
    used: set[str] = {"Condition"}
    entries = []
    for text in sorted(result.conditions):
        condition = result.conditions[text]
        entries.append(condition_source(condition, indent=4, used=used, flat=True) + ",")
    edition = render.part_label(standard, 3)
    doc = (
        f"The condition texts of {edition} as expression trees (dicomstd.conditions): "
        f"{result.total} distinct texts, {len(result.parsed)} parsed whole, "
        f"{len(result.partial)} in part, {len(result.unparsed)} kept as text (Unverifiable)."
    )
    return {
        "parts": render.header_parts(standard, (3, 6)),
        "doc": doc,
        "imports": sorted(used),
        "entries": entries,
        "long_lines": any(len(entry) > LINE for entry in entries),
    }


Part = Node | str | int | float | bool | None
"""An argument: a node (a nested call), a string, a number (tags are ints above 0xFFFF)."""
Arg: TypeAlias = Part | tuple["Arg", ...]
"""An argument or a tuple of them (nested: the codes of HasCode)."""


def condition_source(
    condition: Condition, *, indent: int, used: set[str], flat: bool = False
) -> str:
    """``Condition(requirement=…, otherwise=…, text=…)``, indented by ``indent`` (on one line,
    however long, when ``flat``: an entry of the table)."""
    fields: list[tuple[str, Part]] = [
        ("requirement", condition.requirement),
        ("otherwise", condition.otherwise),
        ("text", condition.text),
    ]
    if condition.otherwise_if is not None:
        fields.append(("otherwise_if", condition.otherwise_if))
    if condition.forbidden_if is not None:
        fields.append(("forbidden_if", condition.forbidden_if))
    return " " * indent + _call("Condition", [], fields, indent, 0, used, flat=flat)


def tree_text(node: Node) -> str:
    """A node as the constructor calls that rebuild it, on one line (tags in hex)."""
    return node_source(node, 0, 0, set(), flat=True)


def node_source(node: Node, indent: int, lead: int, used: set[str], *, flat: bool = False) -> str:
    """Constructor calls that rebuild ``node``. The first line is not indented (``lead`` columns
    precede it after the indent: ``key=``); the others are indented for ``indent``. ``flat``:
    on one line, however long."""
    name = type(node).__name__
    args: list[Arg]
    kwargs: list[tuple[str, Part]] = []
    if isinstance(node, (Present, HasValue, PointsToPrivate, IodRequires)):
        args = [node.tag]
    elif isinstance(node, HasCode):
        args = [node.tag, node.codes]
    elif isinstance(node, (Equals, Compare)):
        args = [node.tag, node.values] if isinstance(node, Equals) else [node.tag, node.op]
        if isinstance(node, Compare):
            args.append(node.number)
        if node.value_index is not None:
            kwargs.append(("value_index", node.value_index))
    elif isinstance(node, Count):
        args = [node.tag, node.op, node.number]
    elif isinstance(node, InItems):
        args = [node.tag, node.node]
        if node.every:
            kwargs.append(("every", True))
    elif isinstance(node, (ItemPosition, Varies)):
        args = [node.which] if isinstance(node, ItemPosition) else [node.tag]
        if node.sequence is not None:
            args.append(node.sequence)
    elif isinstance(node, (ExtendedCharacters, FramesInOneFragment)):
        args = []
    elif isinstance(node, ModulePresent):
        args = [node.source, node.name]
    elif isinstance(node, Not):
        args = [node.node]
    elif isinstance(node, Scoped):
        args = [node.node, node.level]
        if node.sequence is not None:
            args.append(node.sequence)
    elif isinstance(node, (All, Any)):
        args = [node.nodes]
    else:
        assert isinstance(node, Unverifiable)
        args = [node.text, node.reason]
    return _call(name, args, kwargs, indent, lead, used, flat=flat)


def _call(
    name: str,
    args: Sequence[Arg],
    kwargs: Sequence[tuple[str, Part]],
    indent: int,
    lead: int,
    used: set[str],
    *,
    flat: bool = False,
) -> str:
    used.add(name)
    parts = [_flat(a, used) for a in args] + [f"{k}={_flat(v, used)}" for k, v in kwargs]
    one = f"{name}({', '.join(parts)})"
    if flat or indent + lead + len(one) + 1 <= LINE:
        return one
    inner = indent + 4
    pad = " " * inner
    lines = [f"{name}("]
    lines += [f"{pad}{_part(a, inner, 0, used)}," for a in args]
    lines += [f"{pad}{k}={_part(v, inner, len(k) + 1, used)}," for k, v in kwargs]
    lines.append(" " * indent + ")")
    return "\n".join(lines)


def _flat(part: Arg, used: set[str]) -> str:
    """One line, however long."""
    if isinstance(part, tuple):
        items = [_flat(p, used) for p in part]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    if part is None or isinstance(part, (str, bool)):
        return render.py(part)
    if isinstance(part, float):
        return repr(part)
    if isinstance(part, int):
        return render.hex8(part) if part > 0xFFFF else str(part)
    return node_source(part, 0, 0, used, flat=True)


def _part(part: Arg, indent: int, lead: int, used: set[str]) -> str:
    """``part`` at ``indent`` after ``lead`` columns, wrapped when it does not fit."""
    if isinstance(part, tuple):
        one = _flat(part, used)
        if indent + lead + len(one) + 1 <= LINE:
            return one
        inner = indent + 4
        body = "\n".join(f"{' ' * inner}{_part(p, inner, 0, used)}," for p in part)
        return f"(\n{body}\n{' ' * indent})"
    if isinstance(part, str):
        return render.wrapped_string(part, indent=indent, lead=lead)
    if part is None or isinstance(part, (int, float, bool)):
        return _flat(part, used)
    return node_source(part, indent, lead, used)
