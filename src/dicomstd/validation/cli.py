"""``dicomstd validate``: check DICOM files against their IOD."""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from dicomstd._pydicom_import import import_pydicom
from dicomstd.validation.config import ConfigError, Selection, Settings, find, load
from dicomstd.validation.findings import STATUSES, Severity, ValidationResult

__all__ = ["add_parser", "run"]

DESCRIPTION = """\
Check DICOM files against the IOD of their SOP Class (or the one --iod names).

PATH is a file, a folder (walked recursively, in sorted order) or - for standard input.
Files named are always validated; in folders, files that are not DICOM or DICOM JSON
(README.txt, .gz, other JSON) are skipped and counted. DICOM JSON (PS3.18 F) gives one
result per instance. Each file's result is written as soon as it is done.

Exit status: 0 when no result fails (see --fail-on), 1 when one does, 2 for a usage
error: an unknown option, code or IOD, a bad settings file, or no DICOM file at all.

Settings are read from the nearest dicomstd.toml, or pyproject.toml with a
[tool.dicomstd] table, in the working folder or above it (keys: select, ignore,
per-path-ignores, fail-on, format, jobs, no-notices, follow-dicomdir, iod); options
given here replace them.
"""

FAIL_ON_SEVERITIES = {s.value: s for s in Severity}


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "validate",
        help="check DICOM files against their IOD",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="DICOM files, folders, or - (standard input)"
    )
    parser.add_argument(
        "--format",
        choices=("text", "json", "jsonl", "sarif", "junit"),
        help="report format: text (default), json (one document), jsonl (one line per file, "
        "then a summary line), sarif (SARIF 2.1.0), junit (JUnit XML, one test case per file)",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout"
    )
    parser.add_argument(
        "--iod",
        metavar="NAME",
        help='validate against this IOD (a name such as "CT Image", or a SOP Class UID) '
        "instead of the SOP Class of each file",
    )
    parser.add_argument(
        "--fail-on",
        metavar="LIST",
        help="comma-separated severities (error, warning, notice: a finding that severe or "
        f"worse) and statuses ({', '.join(s for s in STATUSES if s != 'ok')}) that make a "
        "result fail and the run exit 1 (default: error)",
    )
    parser.add_argument(
        "--select",
        metavar="CODES",
        help="report only findings of these comma-separated codes or code prefixes "
        "(e.g. type1,vr-mismatch; default: all)",
    )
    parser.add_argument(
        "--ignore",
        metavar="CODES",
        help="leave out findings of these comma-separated codes or code prefixes",
    )
    parser.add_argument(
        "--no-notices",
        action="store_true",
        default=None,
        help="leave notices out of the report, in every format",
    )
    parser.add_argument(
        "--jobs",
        metavar="N",
        help="validate in N processes, or auto: as many as the CPUs and the number of files "
        "make useful; never more than the CPUs (default 1)",
    )
    parser.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="validate on the Dask cluster whose scheduler is at ADDRESS "
        "(e.g. tcp://scheduler:8786; needs dicomstd[dask]); its workers must see the files "
        "at the same paths",
    )
    parser.add_argument(
        "--follow-dicomdir",
        action="store_true",
        default=None,
        help="also validate the files each DICOMDIR references",
    )
    parser.add_argument(
        "--config", metavar="FILE", help="read settings from FILE instead of looking for one"
    )
    parser.add_argument("--isolated", action="store_true", help="read no settings file")
    parser.add_argument(
        "--print-schema",
        action="store_true",
        help="print the JSON Schema of the json report (of one jsonl line with "
        "--format jsonl) and exit",
    )
    parser.set_defaults(run=run)


class UsageError(Exception):
    """A usage error: exit status 2 with this message."""


def run(args: argparse.Namespace) -> int:
    from dicomstd.cli import EXIT_FOUND_PROBLEMS, EXIT_OK, EXIT_USAGE

    # The cyclic collector is off until the first file is validated (_tune_memory turns it
    # back on): loading pydicom, the tables of the standard and the first IOD's plan makes
    # hundreds of thousands of objects that live to the end, and the collector walked them
    # again and again (74 collections, 16-18 ms of a one-file run; now about 3 ms).
    global _COLLECTOR_ON
    _COLLECTOR_ON = gc.isenabled()
    gc.disable()
    try:
        if args.dask is None:
            import_pydicom()  # without what validating never uses
        return EXIT_FOUND_PROBLEMS if _run(args) else EXIT_OK
    except (UsageError, ConfigError) as error:
        print(f"dicomstd validate: {error}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        if _COLLECTOR_ON:
            gc.enable()


def _settings(args: argparse.Namespace) -> Settings:
    if args.isolated:
        return Settings()
    if args.config is not None:
        return load(Path(args.config))
    found = find(Path.cwd())
    return load(found) if found is not None else Settings()


def _codes(option: str | None) -> tuple[str, ...] | None:
    return None if option is None else tuple(c for c in option.split(",") if c.strip())


def _run(args: argparse.Namespace) -> bool:
    """Validate; True when a result fails the run."""
    settings = _settings(args)
    output_format = args.format or settings.format or "text"
    if output_format not in ("text", "json", "jsonl", "sarif", "junit"):
        raise UsageError(f"{settings.source}: format {output_format!r} is not a report format")
    if args.print_schema:
        import json

        from dicomstd.validation.report import json_schema

        print(json.dumps(json_schema(lines=output_format == "jsonl"), indent=2))
        return False
    if not args.paths:
        raise UsageError("give at least one PATH (a file, a folder, or - for standard input)")
    if args.paths.count("-") > 1:
        raise UsageError("standard input (-) can be read once")
    fails = _fail_on(_codes(args.fail_on) or settings.fail_on or ("error",))
    selection = Selection.from_options(
        select=_codes(args.select) if args.select is not None else settings.select,
        ignore=(*(settings.ignore or ()), *(_codes(args.ignore) or ())),
        per_path=settings.per_path_ignores,
        root=settings.root,
        notices=not (args.no_notices or settings.no_notices),
    )
    iod = _iod(args.iod or settings.iod)
    jobs = _jobs(args.jobs or settings.jobs or "1")
    follow = bool(args.follow_dicomdir or settings.follow_dicomdir)
    return _validate(args, output_format, iod, jobs, follow, selection, fails)


def _fail_on(names: tuple[str, ...]) -> Callable[[ValidationResult], bool]:
    severities = []
    statuses = set()
    for name in (n.strip() for n in names):
        if name in FAIL_ON_SEVERITIES:
            severities.append(FAIL_ON_SEVERITIES[name])
        elif name in STATUSES and name != "ok":
            statuses.add(name)
        else:
            choices = [*FAIL_ON_SEVERITIES, *(s for s in STATUSES if s != "ok")]
            raise UsageError(f"--fail-on: {name!r} is not one of {', '.join(choices)}")
    threshold = min(severities, key=lambda s: s.rank) if severities else None

    def fails(result: ValidationResult) -> bool:
        return result.status in statuses or (threshold is not None and result.reaches(threshold))

    return fails


def _iod(name: str | None) -> str | None:
    """The key of the IOD ``--iod`` names; a usage error listing the IODs (closest first)."""
    if name is None:
        return None
    from dicomstd import spec
    from dicomstd._generated.spec import IODS

    try:
        return spec.iod(name).key
    except KeyError:
        names = sorted(entry[0] for entry in IODS.values())
        import difflib  # only to suggest an IOD

        close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise UsageError(
            f"--iod {name!r} is no IOD (name or SOP Class UID) of this build{hint}\n"
            f"IODs of this build: {', '.join(names)}"
        ) from None


def _jobs(text: str) -> int | None:
    if text == "auto":
        return None
    try:
        jobs = int(text)
    except ValueError:
        raise UsageError(f"--jobs must be a number or auto, not {text!r}") from None
    if jobs < 1:
        raise UsageError("--jobs must be at least 1")
    return jobs


def _validate(
    args: argparse.Namespace,
    output_format: str,
    iod: str | None,
    jobs: int | None,
    follow: bool,
    selection: Selection,
    fails: Callable[[ValidationResult], bool],
) -> bool:
    from itertools import chain

    from dicomstd.validation import report, run
    from dicomstd.validation.sources import Walk

    walk = Walk(args.paths, follow_dicomdir=follow)
    items = iter(walk)
    first = next(items, None)
    if first is None:
        skipped = f" ({walk.skipped} file(s) skipped: not DICOM)" if walk.skipped else ""
        raise UsageError(f"no DICOM files in {', '.join(args.paths)}{skipped}")
    with _client(args.dask) as client, _output(args.output, output_format) as out:
        summary = report.Summary()
        writer = report.writer(output_format, out, fails=fails)
        failed = False
        found = run.results(chain([first], items), iod=iod, jobs=jobs, client=client)
        for result in _progress(found, args.output is not None or not sys.stdout.isatty()):
            if summary.files == 0:  # what the first file needed is loaded: it stays
                _tune_memory()
            shown = selection.apply(result)
            summary.add(shown)
            writer.add(shown)
            failed = fails(shown) or failed
        summary.skipped = walk.skipped
        writer.close(summary)
    return failed


_COLLECTOR_ON = True
"""Whether the cyclic collector was on when the command started (it is on again after the
first file then)."""


def _tune_memory() -> None:
    """The objects loaded so far (modules, tables of the standard, the first IOD's plan) live
    to the end: move them out of the cyclic collector's sight (before workers are forked, so
    their pages stay shared), and collect less often. No full collection first: it finds a
    handful of unreachable objects and costs every run (one file too) several milliseconds;
    what is frozen is also left alone by the collection at exit."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    if _COLLECTOR_ON:
        gc.enable()  # before any worker is forked: the workers collect as usual


def _progress(results: Iterator[ValidationResult], shown: bool) -> Iterator[ValidationResult]:
    """A progress bar on stderr when it is a terminal and the report goes elsewhere, after a
    second of work."""
    if not (shown and sys.stderr.isatty()):
        yield from results
        return
    from tqdm import tqdm

    with tqdm(unit="file", file=sys.stderr, leave=False, delay=1.0) as bar:
        for result in results:
            yield result
            bar.update()


@contextmanager
def _output(path: str | None, output_format: str) -> Iterator[IO[str]]:
    """Where the report goes. Text to stdout in its encoding, machine formats in UTF-8; what
    the encoding cannot represent is escaped, never a crash. A file is written whole or not at
    all (a temporary file renamed at the end)."""
    if path is None:
        if output_format == "text":
            sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        else:
            sys.stdout.reconfigure(encoding="utf-8", errors="backslashreplace")  # type: ignore[union-attr]
        yield sys.stdout
        return
    target = Path(path)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{target.name}-", suffix=".tmp", dir=target.parent or "."
    )
    try:
        with open(descriptor, "w", encoding="utf-8", errors="backslashreplace") as file:
            yield file
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def _client(address: str | None) -> Iterator[Any]:
    if address is None:
        yield None
        return
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(
            "--dask needs Dask's distributed scheduler: pip install 'dicomstd[dask]'"
        ) from None
    try:
        client = Client(address, timeout="30s")  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as error:
        raise UsageError(f"--dask: cannot reach the scheduler at {address}: {error}") from None
    with client:
        yield client
