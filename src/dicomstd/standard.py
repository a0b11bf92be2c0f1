"""``dicomstd standard``: which build of the standard is in use, and building another one.

``dicomstd standard [show] [--json]`` describes the generated build the runtime uses (the
installed ``dicomstd._generated``, or the folder ``DICOMSTD_BUILD`` names): the edition and
SHA-256 of each part it was generated from, how many IODs, modules and macros it has, and the SOP
Classes whose files it can check. It reads only what the build records.

``dicomstd standard build (--edition E | --from DIR) [--part NN=FILE ...]`` generates a build
of the whole standard into the installed package (or ``--out DIR``) with the generator of
``dicomstd.codegen``: the same pipeline, checks and report as ``make generate``, written to a
staging folder and swapped in whole. ``--edition`` downloads the parts into the download cache
(``DICOMSTD_CACHE_DIR``, else the user's cache folder, else ``standard/cache`` of a project
checkout); ``--from`` reads ``partNN.xml`` files of a folder, with no network.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

__all__ = [
    "GENERATOR_MODULES",
    "BuildInfo",
    "BuildPart",
    "SopClass",
    "add_parser",
    "build_info",
    "installed_build",
]

GENERATOR_MODULES = ("lxml", "jinja2", "ruff", "platformdirs")
"""What ``standard build`` imports (the ``gen`` extra): the parser, the templates, the formatter of
the generated code, the user's folders; and ``requests`` to download an edition."""
DOWNLOAD_MODULES = ("requests",)

GEN_EXTRA = "pip install 'dicomstd[gen]'"


# -- the build in use ----------------------------------------------------------------------------
@attrs.frozen
class BuildPart:
    part: str
    """``PS3.3`` …"""
    edition: str
    sha256: str


@attrs.frozen
class SopClass:
    uid: str
    name: str
    iod: str
    """The name of the IOD its files are checked against."""


@attrs.frozen
class BuildInfo:
    location: Path
    """The folder of the generated package."""
    selected_by: str | None
    """``DICOMSTD_BUILD`` when that variable chose the build, else None (the installed one)."""
    parts: tuple[BuildPart, ...]
    iods: int
    modules: int
    macros: int
    sop_classes: tuple[SopClass, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "location": str(self.location),
            "selected_by": self.selected_by,
            "parts": [attrs.asdict(p) for p in self.parts],
            "counts": {"iods": self.iods, "modules": self.modules, "macros": self.macros},
            "sop_classes": [attrs.asdict(s) for s in self.sop_classes],
        }

    def text(self) -> str:
        how = f"chosen by {self.selected_by}" if self.selected_by else "installed"
        lines = [f"build in use: {self.location} ({how})"]
        lines += [f"  {p.part} {p.edition}  sha256 {p.sha256}" for p in self.parts]
        lines.append(
            f"{self.iods} IODs, {self.modules} modules, {self.macros} macros; "
            f"{len(self.sop_classes)} SOP Classes can be validated:"
        )
        width = max((len(s.uid) for s in self.sop_classes), default=0)
        lines += [f"  {s.uid:<{width}}  {s.name} ({s.iod})" for s in self.sop_classes]
        return "\n".join(lines)


def installed_build() -> Path:
    """The folder of the installed package's generated build (whatever DICOMSTD_BUILD says)."""
    import dicomstd

    return Path(dicomstd.__file__).resolve().parent / "_generated"


def build_info() -> BuildInfo:
    """What the build the runtime uses records about itself."""
    from dicomstd import _build

    _build.select()
    import dicomstd._generated as generated
    from dicomstd._generated import spec as generated_spec

    location = Path(generated.__file__ or "").resolve().parent
    chosen = os.environ.get(_build.ENVIRONMENT_VARIABLE)
    kinds = [kind for _, kind, _ in generated_spec.TABLES.values()]
    sop_classes = sorted(
        (
            SopClass(uid, name, entry.name)
            for entry in generated_spec.IODS.values()
            for uid, name in entry.sop_classes
        ),
        key=lambda s: (s.name, s.uid),
    )
    return BuildInfo(
        location=location,
        selected_by=_build.ENVIRONMENT_VARIABLE if chosen else None,
        parts=tuple(BuildPart(*part) for part in generated.PARTS),
        iods=len(generated_spec.IODS),
        modules=kinds.count("module"),
        macros=kinds.count("macro"),
        sop_classes=tuple(sop_classes),
    )


def cmd_show(args: argparse.Namespace) -> int:
    try:
        info = build_info()
    except ImportError as error:
        print(f"dicomstd standard: the build in use cannot be read: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(info.as_json(), indent=2))
    else:
        print(info.text())
    return 0


# -- building ------------------------------------------------------------------------------------
def missing_modules(names: Sequence[str] = GENERATOR_MODULES) -> list[str]:
    """The modules of ``names`` that are not installed."""
    return [name for name in names if importlib.util.find_spec(name) is None]


def write_problem(out: Path) -> str | None:
    """Why a build cannot be swapped in at ``out`` (its folder is not writable), or None.

    Tried for real (a folder made and removed beside ``out``): permission bits do not tell
    about read-only file systems, nor about a root user."""
    parent = out.parent
    blocking = next((p for p in (parent, *parent.parents) if p.exists()), None)
    if blocking is not None and not blocking.is_dir():
        return f"{blocking} is not a folder"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        probe = tempfile.mkdtemp(prefix=".dicomstd-write-check-", dir=parent)
    except OSError as error:
        return f"{parent} is not writable ({error.strerror or error})"
    os.rmdir(probe)
    return None


def default_report() -> Path:
    """Where the generation report goes: ``reports/`` of a project checkout, as with ``make
    generate``, else the user's cache folder."""
    from dicomstd.codegen import inputs

    if inputs.CHECKOUT is not None:
        return inputs.CHECKOUT / "reports" / "generation.json"
    import platformdirs

    folder = Path(platformdirs.user_cache_dir(inputs.APP_NAME, appauthor=False))
    return folder / "reports" / "generation.json"


class BuildError(Exception):
    """The parts to build from cannot be gathered; the message says what and where."""


def parts_from_folder(
    folder: Path, wanted: Sequence[int], explicit: dict[int, Path]
) -> dict[int, Path]:
    """``partNN.xml`` of ``folder`` for every wanted part ``explicit`` does not give."""
    if not folder.is_dir():
        raise BuildError(f"--from {folder}: not a folder")
    found = dict(explicit)
    missing: list[int] = []
    for number in wanted:
        if number in found:
            continue
        candidate = folder / f"part{number:02d}.xml"
        if candidate.is_file():
            found[number] = candidate
        else:
            missing.append(number)
    if missing:
        names = ", ".join(f"part{n:02d}.xml" for n in missing)
        flags = " ".join(f"--part {n:02d}=FILE" for n in missing)
        raise BuildError(
            f"--from {folder}: no {names} there (a build reads PS3."
            + ", PS3.".join(str(n) for n in wanted)
            + f"); give the missing parts with {flags}"
        )
    return found


def parts_from_edition(
    edition: str, wanted: Sequence[int], explicit: dict[int, Path], args: argparse.Namespace
) -> dict[int, Path]:
    """Download (or find in the cache) every wanted part of ``edition`` not given explicitly."""
    from dicomstd.codegen import fetch, inputs

    cache = Path(args.cache) if args.cache else inputs.CACHE
    pins = inputs.read_pins() if inputs.EDITIONS_FILE.is_file() else {}
    todo = [n for n in wanted if n not in explicit]
    base_url = args.base_url or inputs.DEFAULT_BASE_URL
    fetched = fetch.fetch(edition, todo, base_url=base_url, cache=cache, pins=pins)
    return {**explicit, **{f.part: f.path for f in fetched}}


def cmd_build(args: argparse.Namespace) -> int:
    missing = missing_modules(GENERATOR_MODULES + (DOWNLOAD_MODULES if args.edition else ()))
    if missing:
        print(
            f"dicomstd standard build: the generator needs {', '.join(missing)}, which "
            f"{'is' if len(missing) == 1 else 'are'} not installed: {GEN_EXTRA}",
            file=sys.stderr,
        )
        return 2
    from dicomstd.codegen import fetch, inputs, pipeline
    from dicomstd.codegen.diagnostics import InputError
    from dicomstd.codegen.output import OutputError
    from dicomstd.codegen.render import GeneratedCodeError

    try:
        explicit = inputs.explicit_parts(args.part)
        if args.edition is not None:
            fetch.check_edition(args.edition)
    except ValueError as error:
        print(f"dicomstd standard build: {error}", file=sys.stderr)
        return 2
    out = (Path(args.out) if args.out else installed_build()).resolve()
    problem = write_problem(out)
    if problem is not None:
        print(
            f"dicomstd standard build: cannot write the build into {out}: {problem}. "
            "Build into a folder you can write with --out DIR and point the runtime at it "
            "with the environment variable DICOMSTD_BUILD=DIR",
            file=sys.stderr,
        )
        return 1
    wanted = sorted(pipeline.parsers())
    unread = sorted(set(explicit) - set(wanted))
    if unread:
        names = ", ".join(f"PS3.{n}" for n in unread)
        print(
            f"dicomstd standard build: --part {names}: the generator reads only PS3."
            + ", PS3.".join(str(n) for n in wanted),
            file=sys.stderr,
        )
        return 2
    report = Path(args.report) if args.report else default_report()
    try:
        if args.source is not None:
            parts = parts_from_folder(Path(args.source), wanted, explicit)
        else:
            parts = parts_from_edition(args.edition, wanted, explicit, args)
        standard, count = pipeline.generate(parts, out, report, pins={})
    except (ValueError, OutputError) as error:
        # a usage error: a bad value, or an --out or --report the build may not replace
        print(f"dicomstd standard build: {error}", file=sys.stderr)
        return 2
    except (BuildError, InputError) as error:
        print(f"dicomstd standard build: error: {error}; nothing written", file=sys.stderr)
        return 1
    except GeneratedCodeError as error:
        print(
            f"dicomstd standard build: generated code is broken, nothing written: {error}",
            file=sys.stderr,
        )
        return 1
    print(pipeline.summary_line(standard, count, out), file=sys.stderr)
    print(f"the generation report is in {inputs.display(report)}", file=sys.stderr)
    _note_other_build(out)
    return 0


def _note_other_build(out: Path) -> None:
    from dicomstd import _build
    from dicomstd.codegen import inputs

    if inputs.CHECKOUT is not None and out == installed_build():
        print(
            f"note: {inputs.display(out)} is the committed build of this checkout; "
            "`make generate` restores it",
            file=sys.stderr,
        )
    chosen = os.environ.get(_build.ENVIRONMENT_VARIABLE)
    if chosen and Path(chosen).resolve() != out:
        print(
            f"note: {_build.ENVIRONMENT_VARIABLE}={chosen} is set, so the runtime uses that build, "
            f"not {out}",
            file=sys.stderr,
        )
    elif not chosen and out != installed_build():
        print(
            f"note: use it with the environment variable {_build.ENVIRONMENT_VARIABLE}={out}",
            file=sys.stderr,
        )


# -- command line --------------------------------------------------------------------------------
BUILD_DESCRIPTION = """\
Generate a build of the whole standard (every IOD, module and SOP Class of the PS3.3, PS3.4,
PS3.5 and PS3.6 given) into the installed package, or into --out DIR. The build is checked
(every generated module imported) in a staging folder and swapped in whole: a failure leaves
the build in use as it was. Needs the generator's dependencies: pip install 'dicomstd[gen]'.

--edition downloads the parts (once: they are kept in the download cache, DICOMSTD_CACHE_DIR
or the user's cache folder); --from reads partNN.xml of a folder, offline. --part NN=FILE reads
one part from FILE instead (e.g. a PS3.6 of another edition).
"""


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "standard",
        help="the build of the standard in use; `standard build` makes another",
        description="Show the build of the standard the runtime uses (the default), or "
        "generate another with `dicomstd standard build`.",
    )
    parser.add_argument("--json", action="store_true", help="print the description as JSON")
    parser.set_defaults(run=cmd_show)
    sub = parser.add_subparsers(dest="standard_command", metavar="{show,build}")

    show = sub.add_parser("show", help="describe the build in use (the default)")
    show.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="print it as JSON"
    )
    show.set_defaults(run=cmd_show)

    build = sub.add_parser(
        "build",
        help="generate a build of the whole standard into the installed package",
        description=BUILD_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    source = build.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--edition", metavar="EDITION", help="download this edition, like 2025b, or 'current'"
    )
    source.add_argument(
        "--from", dest="source", metavar="DIR", help="read partNN.xml files of this folder"
    )
    build.add_argument(
        "--part",
        action="append",
        metavar="NN=FILE",
        help="read part NN from FILE (repeatable); the other parts come from --edition or --from",
    )
    build.add_argument(
        "--out",
        metavar="DIR",
        help="write the build here instead of the installed package, for DICOMSTD_BUILD=DIR",
    )
    build.add_argument(
        "--report",
        metavar="PATH",
        help="write the JSON generation report here (default: reports/generation.json of a "
        "project checkout, else in the user's cache folder)",
    )
    build.add_argument(
        "--cache",
        metavar="DIR",
        help="download cache (default: DICOMSTD_CACHE_DIR, else the user's cache folder)",
    )
    build.add_argument(
        "--base-url",
        metavar="URL",
        help="where the editions are published (default: the DICOM Standards Committee's site, "
        "as `python -m dicomstd.codegen fetch` says)",
    )
    build.set_defaults(run=cmd_build)
