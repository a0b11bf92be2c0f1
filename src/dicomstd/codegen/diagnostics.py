"""Diagnostics: every shape of the standard the generator does not take as written is reported.

A diagnostic names what and where (file, table id, body row) so a maintainer can open the XML and
look. Two kinds of trouble exist:

* :class:`InputError` — the input is unusable (missing file, not XML, wrong part, a table the
  parser cannot read). Generation stops and nothing is written.
* :class:`Diagnostic` — a row or reference the parser handled in a documented way (kept with a
  marker, corrected by an erratum, left as a placeholder). Generation goes on and the report
  lists it.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

import attrs


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@attrs.frozen
class Diagnostic:
    """One reported shape: severity, a stable code, and where it is."""

    file: str
    table: str | None
    row: int | None
    code: str
    severity: Severity
    message: str

    def sort_key(self) -> tuple[str, str, int, str, str]:
        return (self.file, self.table or "", self.row or 0, self.code, self.message)

    def location(self) -> str:
        parts = [self.file]
        if self.table:
            parts.append(self.table)
        if self.row is not None:
            parts.append(f"row {self.row}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.severity}: {self.location()}: [{self.code}] {self.message}"

    def as_json(self) -> dict[str, object]:
        return {
            "severity": str(self.severity),
            "code": self.code,
            "file": self.file,
            "table": self.table,
            "row": self.row,
            "message": self.message,
        }


class InputError(Exception):
    """The input cannot be used; the message names file, table id and row where known."""

    def __init__(
        self, file: str, message: str, *, table: str | None = None, row: int | None = None
    ) -> None:
        self.file = file
        self.table = table
        self.row = row
        self.message = message
        super().__init__(str(self))

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt with its keywords when it crosses a process boundary (parallel parsing).
        return (_input_error, (self.file, self.message, self.table, self.row))

    def __str__(self) -> str:
        where = self.file
        if self.table:
            where += f", {self.table}"
        if self.row is not None:
            where += f", row {self.row}"
        return f"{where}: {self.message}"


def _input_error(file: str, message: str, table: str | None, row: int | None) -> InputError:
    return InputError(file, message, table=table, row=row)


@attrs.define
class Diagnostics:
    """An append-only collector, one per input file."""

    file: str
    items: list[Diagnostic] = attrs.field(factory=list)

    def add(
        self,
        code: str,
        message: str,
        *,
        table: str | None = None,
        row: int | None = None,
        severity: Severity = Severity.WARNING,
    ) -> None:
        self.items.append(Diagnostic(self.file, table, row, code, severity, message))

    def info(
        self, code: str, message: str, *, table: str | None = None, row: int | None = None
    ) -> None:
        self.add(code, message, table=table, row=row, severity=Severity.INFO)

    def warn(
        self, code: str, message: str, *, table: str | None = None, row: int | None = None
    ) -> None:
        self.add(code, message, table=table, row=row, severity=Severity.WARNING)

    def error(
        self, code: str, message: str, *, table: str | None = None, row: int | None = None
    ) -> None:
        self.add(code, message, table=table, row=row, severity=Severity.ERROR)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def count_by_code(diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    return dict(sorted(Counter(d.code for d in diagnostics).items()))
