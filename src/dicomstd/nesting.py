"""Where a row of a PS3.3 attribute table goes in the tree its ``>`` marks describe.

A row with *d* marks belongs in the items of the last sequence opened at depth *d* - 1. The
standard's tables are not always that regular, and the generator and the runtime must read them
alike, so the rule lives here once:

* a row deeper than any open sequence (a mark too many) is placed one level below the deepest;
* a row under something that holds no items (a placeholder, an Include of nothing) is placed
  under the nearest open sequence above it;
* a row right after an Include, one level deeper, belongs in the items of the included table's
  last attribute: the caller opens that attribute for it.
"""

from __future__ import annotations

from typing import Generic, NamedTuple, TypeVar

__all__ = ["Nesting", "Placement"]

N = TypeVar("N")


class Placement(NamedTuple, Generic[N]):
    """Where one row goes (a tuple: one is made per row of every table read)."""

    depth: int
    """The depth the row is placed at (its marks, unless corrected)."""
    parent: N | None
    """What it goes under: the node holding its sequence, or None at the top level."""
    deeper: int | None = None
    """The depth of the deepest open node, when the row was marked deeper than that plus one."""
    climbed: bool = False
    """True when the row was placed higher than marked because nothing there holds items."""


class Nesting(Generic[N]):
    """The open nodes of a table read row by row: ``place`` a row, then ``open`` what rows one
    level deeper attach to (None when nothing can hold them)."""

    def __init__(self) -> None:
        self._open: list[N | None] = []

    def place(self, depth: int) -> Placement[N]:
        deeper = None
        if depth > len(self._open):
            deeper = len(self._open) - 1
            depth = len(self._open)
        climbed = False
        while depth > 0 and self._open[depth - 1] is None:
            depth -= 1
            climbed = True
        parent = self._open[depth - 1] if depth > 0 else None
        del self._open[depth:]
        return Placement(depth, parent, deeper, climbed)

    def open(self, node: N | None) -> None:
        """What a row one level deeper than the one just placed attaches to."""
        self._open.append(node)
