"""Row records of the generated PS3.3 tables (``dicomstd._generated.spec``).

Each generated table file lists its rows in the standard's order, as published (after the
corrections of ``src/dicomstd/codegen/errata.toml``), one record per row:

* :class:`A` an attribute: depth (number of ``>`` marks), tag, Type, PS3.3 name, body row;
* :class:`I` an Include of another table (by module key), expanded by :mod:`dicomstd.spec`;
* :class:`P` a placeholder: "Any Attribute …" or "Include one or more Functional Group Macros";
* :class:`U` an Include of a table that is not in the generator's input;
* :class:`R` an Include that leads back to the including table (a recursive structure);
* :class:`V` Enumerated Values or Defined Terms of an attribute;
* :class:`S` an IOD's most specific definition of an attribute two of its modules define.
"""

from __future__ import annotations

from typing import NamedTuple

from dicomstd.requirements import ValueList

__all__ = ["A", "I", "IodEntry", "ModuleRow", "P", "R", "Row", "S", "U", "V"]

EXACT = 0xFFFFFFFF


V = ValueList
"""Enumerated Values or Defined Terms of an attribute: the runtime's own record, built as the
table loads."""


class A(NamedTuple):
    depth: int
    tag: int
    type: str
    """``1``, ``1C``, ``2``, ``2C``, ``3``; empty when the table has no Type."""
    name: str
    row: int
    mask: int = EXACT
    condition: str | None = None
    values: tuple[V, ...] = ()
    item_count: tuple[int, int | None] | None = None
    """For a sequence, the number of Items its description allows: (least, most), most None
    when there is no limit ("Only a single Item shall be included in this Sequence": (1, 1))."""
    item_counts: tuple[tuple[str, tuple[int, int | None]], ...] = ()
    """Numbers of Items stated under a condition: (``if …`` condition text of the generated
    conditions table, count), the first whose condition holds applying instead of
    ``item_count``."""


class I(NamedTuple):  # noqa: E742 - the one-letter names keep generated tables readable
    depth: int
    target: str
    """Module key of the included table."""
    row: int
    condition: str | None = None
    """``if and only if …`` text of the Include row."""
    note: str = ""


class P(NamedTuple):
    depth: int
    kind: str
    """``any-attribute`` or ``functional-groups``."""
    text: str
    row: int
    type: str = ""


class U(NamedTuple):
    depth: int
    target: str
    """Id of the table (or section) that is not in the input."""
    text: str
    row: int
    condition: str | None = None


class R(NamedTuple):
    depth: int
    target: str
    """Module key of the table the Include leads back to."""
    text: str
    row: int
    condition: str | None = None


Row = A | I | P | U | R


class ModuleRow(NamedTuple):
    """A row of an IOD's module table (or functional group macro table)."""

    name: str
    ie: str
    usage: str
    condition: str | None
    module: str | None
    """Key of the module's table, None when the reference did not resolve."""
    row: int
    note: str = ""
    """What the usage cell says after an M or U."""


class S(NamedTuple):
    """The module whose definition of an attribute applies in an IOD (``module``), the modules
    whose definitions give way (``replaces``) and the values it is narrowed to, if any."""

    tag: int
    module: str
    replaces: tuple[str, ...]
    source: str
    """Id of the PS3.3 table or section that says so."""
    values: tuple[V, ...] = ()


class IodEntry(NamedTuple):
    name: str
    source: str
    sop_classes: tuple[tuple[str, str], ...]
    modules: tuple[ModuleRow, ...]
    functional_groups: tuple[ModuleRow, ...]
    specializations: tuple[S, ...] = ()
