"""How the attribute tables of PS3.3 become trees, for the generator and the runtime alike.

* :func:`build` reads a table row by row: each row is placed by its ``>`` marks
  (:class:`dicomstd.nesting.Nesting`) and gives entries (an attribute, a placeholder, or the
  entries of an included table, spliced in place). Rows one level deeper right after an Include
  belong in the items of the included table's last attribute (the Image Reference Macro's rows
  go into the Referenced SOP Sequence that the Composite Object Reference Macro defines).
* :func:`recursive_includes` finds the Include rows that lead back to the including table, which
  are kept as back-references instead of expanded.
* :func:`place_functional_groups` puts an IOD's functional group macros where a table says
  "Include one or more Functional Group Macros", at any depth.

The entries are the caller's own records (the generator's attributes, the runtime's
:class:`dicomstd.spec.AttributeSpec`); a :class:`Shape` says how to read and rebuild them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Generic, NamedTuple, Protocol, TypeVar

from dicomstd.nesting import Nesting, Placement

__all__ = [
    "Branch",
    "Read",
    "Shape",
    "build",
    "include",
    "place_functional_groups",
    "recursive_includes",
    "single",
]

E = TypeVar("E")
R = TypeVar("R")


class Branch(Generic[E]):
    """An entry rows may still be added under (the entries of an Include that none can be added
    under stay as they are)."""

    __slots__ = ("children", "entry")

    def __init__(self, entry: E) -> None:
        self.entry = entry
        self.children: list[Branch[E] | E] = []


class Read(NamedTuple, Generic[E]):
    """What one row gives: its entries, and which of them (an index) rows one level deeper
    attach to (None: nothing holds them)."""

    entries: Sequence[E]
    opens: int | None


def single(entry: E | None, *, opens: bool) -> Read[E]:
    """A row that gives one entry (or none): an attribute opens, a placeholder does not."""
    if entry is None:
        return Read((), None)
    return Read((entry,), 0 if opens else None)


def include(entries: Sequence[E], is_attribute: Callable[[E], bool]) -> Read[E]:
    """The entries of an included table: rows one level deeper right after the Include go into
    the items of its last attribute."""
    last = next((i for i in range(len(entries) - 1, -1, -1) if is_attribute(entries[i])), None)
    return Read(entries, last)


def build(
    rows: Iterable[R],
    depth: Callable[[R], int],
    read: Callable[[R, Placement[Branch[E]]], Read[E]],
    attach: Callable[[E, list[E]], E],
) -> list[E]:
    """The entries of a table's rows as a tree.

    ``read`` gives each row's entries once it is placed (the placement says where, and whether
    the marks had to be corrected); ``attach`` returns an entry with the entries placed under
    it added after its own items.
    """
    root: list[Branch[E] | E] = []
    nesting = Nesting[Branch[E]]()
    for row in rows:
        placement = nesting.place(depth(row))
        container = placement.parent.children if placement.parent is not None else root
        entries, opens = read(row, placement)
        if opens is None:
            container.extend(entries)
            nesting.open(None)
            continue
        opened = Branch(entries[opens])
        container.extend(entries[:opens])
        container.append(opened)
        container.extend(entries[opens + 1 :])
        nesting.open(opened)
    return _frozen(root, attach)


def _frozen(nodes: list[Branch[E] | E], attach: Callable[[E, list[E]], E]) -> list[E]:
    out: list[E] = []
    for node in nodes:
        if isinstance(node, Branch):
            children = _frozen(node.children, attach)
            out.append(attach(node.entry, children) if children else node.entry)
        else:
            out.append(node)
    return out


def recursive_includes(edges: Mapping[str, Iterable[str]]) -> set[tuple[str, str]]:
    """Include edges (table, target) whose target leads back to the including table.

    Expanding such an edge would never end; it is kept as a back-reference instead. The rule
    depends only on the tables, so every expansion agrees.
    """
    reach: dict[str, set[str]] = {}

    def reachable(start: str) -> set[str]:
        if start not in reach:
            seen: set[str] = set()
            todo = [start]
            while todo:
                for following in edges.get(todo.pop(), ()):
                    if following not in seen:
                        seen.add(following)
                        todo.append(following)
            reach[start] = seen
        return reach[start]

    return {
        (source, target)
        for source, targets in edges.items()
        for target in targets
        if target == source or source in reachable(target)
    }


class Shape(Protocol[E]):
    """How :func:`place_functional_groups` reads and rebuilds the caller's entries."""

    def children(self, entry: E) -> Sequence[E]:
        """The entries under an entry (a sequence's item attributes and placeholders)."""

    def with_children(self, entry: E, children: Sequence[E]) -> E:
        """The entry with these entries under it instead."""

    def is_slot(self, entry: E) -> bool:
        """Whether the entry is an "Include one or more Functional Group Macros" row."""

    def in_group(self, entry: E, name: str) -> E:
        """The entry marked as belonging to the functional group macro ``name``."""


def place_functional_groups(
    entries: Sequence[E], groups: Sequence[tuple[str, Sequence[E]]], shape: Shape[E]
) -> list[E] | None:
    """``entries`` with every functional-groups slot, at any depth, replaced by the entries of
    the IOD's functional group macros (``groups``: name and entries, in the IOD's order), each
    marked with its macro; None when there is no slot."""
    out: list[E] = []
    placed = False
    for entry in entries:
        if shape.is_slot(entry):
            for name, macro in groups:
                out.extend(shape.in_group(e, name) for e in macro)
            placed = True
            continue
        children = shape.children(entry)
        if children:
            inner = place_functional_groups(children, groups, shape)
            if inner is not None:
                entry = shape.with_children(entry, inner)
                placed = True
        out.append(entry)
    return out if placed else None
