"""Settings of ``dicomstd validate`` from a file, and which findings a run reports.

The settings file is the first found going up from the working folder: a ``dicomstd.toml``
(settings at its top level), or a ``pyproject.toml`` with a ``[tool.dicomstd]`` table (a
``pyproject.toml`` without one is passed over)::

    [tool.dicomstd]
    select = ["type1", "type2", "vr-mismatch"]   # codes or code prefixes; default: every code
    ignore = ["retired", "defined-term"]
    fail-on = ["error", "unreadable"]
    format = "text"                              # text, json, jsonl, sarif, junit
    jobs = "auto"                                # or a number
    no-notices = true
    follow-dicomdir = false
    iod = "CT Image"

    [tool.dicomstd.per-path-ignores]             # glob, relative to the settings file's folder
    "legacy/**" = ["not-in-iod", "retired"]
    "*.json" = ["file-meta-missing"]

Options given on the command line replace the file's.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from dicomstd.validation.findings import CODES, Code, Severity, ValidationResult

__all__ = ["ConfigError", "Selection", "Settings", "find", "load", "parse_codes"]

FILE_NAME = "dicomstd.toml"

_KEYS = {
    "select": "a list of finding codes or code prefixes",
    "ignore": "a list of finding codes or code prefixes",
    "per-path-ignores": "a table of glob = list of codes",
    "fail-on": "a list of severities and statuses",
    "format": "a report format",
    "jobs": 'a number or "auto"',
    "no-notices": "true or false",
    "follow-dicomdir": "true or false",
    "iod": "an IOD name or SOP Class UID",
}


class ConfigError(ValueError):
    """A settings file or option that cannot be used; the message says what and where."""


@attrs.frozen
class Settings:
    """What a settings file says (None: not said); ``source`` is the file."""

    source: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fail_on: tuple[str, ...] | None = None
    format: str | None = None
    jobs: str | None = None
    no_notices: bool | None = None
    follow_dicomdir: bool | None = None
    iod: str | None = None

    @property
    def root(self) -> Path:
        """The folder per-path patterns are relative to."""
        return self.source.parent if self.source is not None else Path.cwd()


def find(start: Path) -> Path | None:
    """The settings file for ``start``: the nearest ``dicomstd.toml``, or ``pyproject.toml`` with
    a ``[tool.dicomstd]`` table, in ``start`` or a folder above it."""
    for folder in (start, *start.parents):
        own = folder / FILE_NAME
        if own.is_file():
            return own
        project = folder / "pyproject.toml"
        if project.is_file() and "dicomstd" in _read(project).get("tool", {}):
            return project
    return None


def _read(path: Path) -> dict[str, Any]:
    import tomllib  # only where there is a file to read

    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None


def load(path: Path) -> Settings:
    """The settings of one file; :class:`ConfigError` naming the file and key when a value is
    not what the key takes."""
    data = _read(path)
    table = data.get("tool", {}).get("dicomstd", {}) if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.dicomstd] must be a table")
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        raise ConfigError(f"{path}: unknown setting {unknown[0]!r}; settings: {', '.join(_KEYS)}")

    def value(key: str, kind: type | tuple[type, ...]) -> Any:
        found = table.get(key)
        if found is not None and not isinstance(found, kind):
            raise ConfigError(f"{path}: {key} must be {_KEYS[key]}, not {found!r}")
        return found

    def strings(key: str) -> tuple[str, ...] | None:
        found = value(key, (list, str))
        if found is None:
            return None
        items = [found] if isinstance(found, str) else found
        if not all(isinstance(item, str) for item in items):
            raise ConfigError(f"{path}: {key} must be {_KEYS[key]}, not {found!r}")
        return tuple(items)

    ignores = value("per-path-ignores", dict) or {}
    per_path = []
    for pattern, codes in ignores.items():
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise ConfigError(f"{path}: per-path-ignores {pattern!r} must be a list of codes")
        per_path.append((pattern, tuple(codes)))
    jobs = value("jobs", (int, str))
    return Settings(
        source=path,
        select=strings("select"),
        ignore=strings("ignore"),
        per_path_ignores=tuple(per_path),
        fail_on=strings("fail-on"),
        format=value("format", str),
        jobs=str(jobs) if jobs is not None else None,
        no_notices=value("no-notices", bool),
        follow_dicomdir=value("follow-dicomdir", bool),
        iod=value("iod", str),
    )


def parse_codes(selectors: Iterable[str], what: str) -> frozenset[Code]:
    """The codes ``selectors`` name: each a code or a prefix of codes (``type1`` is every
    ``type1…`` code). :class:`ConfigError` for one that names none, with close matches."""
    chosen: set[Code] = set()
    for selector in selectors:
        text = selector.strip()
        if not text:
            continue
        matched = [code for code in CODES if code.startswith(text)]
        if not matched:
            import difflib  # only to suggest a code

            close = difflib.get_close_matches(text, list(CODES), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise ConfigError(f"{what}: {text!r} is not a finding code or prefix of codes{hint}")
        chosen.update(matched)
    return frozenset(chosen)


@attrs.frozen
class Selection:
    """Which findings a run reports: the selected codes (all when ``select`` is None) minus
    the ignored ones, minus those ignored for the file's path, minus notices when asked."""

    select: frozenset[Code] | None = None
    ignore: frozenset[Code] = frozenset()
    per_path: tuple[tuple[str, frozenset[Code]], ...] = ()
    root: Path = attrs.field(factory=Path.cwd)
    notices: bool = True

    @classmethod
    def from_options(
        cls,
        *,
        select: Iterable[str] | None,
        ignore: Iterable[str],
        per_path: Mapping[str, Iterable[str]] | Iterable[tuple[str, Iterable[str]]] = (),
        root: Path | None = None,
        notices: bool = True,
    ) -> Selection:
        pairs = per_path.items() if isinstance(per_path, Mapping) else per_path
        return cls(
            select=parse_codes(select, "select") if select is not None else None,
            ignore=parse_codes(ignore, "ignore"),
            per_path=tuple(
                (pattern, parse_codes(codes, f"per-path-ignores {pattern!r}"))
                for pattern, codes in pairs
            ),
            root=root or Path.cwd(),
            notices=notices,
        )

    def _dropped(self, path: str | None) -> frozenset[Code]:
        dropped = set(self.ignore)
        if path and self.per_path:
            relative = _relative(path, self.root)
            name = relative.rsplit("/", 1)[-1]
            for pattern, codes in self.per_path:
                if fnmatch.fnmatchcase(relative, pattern) or (
                    "/" not in pattern and fnmatch.fnmatchcase(name, pattern)
                ):
                    dropped |= codes
        return frozenset(dropped)

    def apply(self, result: ValidationResult) -> ValidationResult:
        """``result`` with only the findings this selection reports."""
        dropped = self._dropped(result.path)
        kept = tuple(
            f
            for f in result.findings
            if (self.select is None or f.code in self.select)
            and f.code not in dropped
            and (self.notices or f.severity is not Severity.NOTICE)
        )
        if len(kept) == len(result.findings):
            return result
        return attrs.evolve(result, findings=kept)


def _relative(path: str, root: Path) -> str:
    absolute = os.path.abspath(path)
    try:
        return Path(absolute).relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(absolute).as_posix()
