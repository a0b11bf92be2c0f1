"""``dicomstd validate PATH... [--format text|json] [--iod NAME] [--fail-on error|warning]
[--jobs N] [--no-notices]``.

Files and directories (walked recursively, in sorted order); one result per file, in the order
the files were found. A progress bar goes to stderr when it is a terminal and there are many
files. Exit 0 when no finding reaches ``--fail-on`` (default: error), 1 when one does, 2 for a
usage error (including an unknown ``--iod``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from dicomstd.validation.findings import Severity, ValidationResult

__all__ = ["add_parser", "run"]

PROGRESS_MINIMUM = 20


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "validate",
        help="check DICOM files against their IOD",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="DICOM files or directories")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--iod",
        metavar="NAME",
        help='validate against this IOD (a name such as "CT Image", or a SOP Class UID) '
        "instead of the SOP Class UID of each file",
    )
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning"),
        default="error",
        help="exit 1 when a finding of this severity or worse occurs (default: error)",
    )
    parser.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="validate in N processes (default 1)"
    )
    parser.add_argument(
        "--no-notices", action="store_true", help="leave notices out of the text report"
    )
    parser.set_defaults(run=run)


def files(paths: list[str]) -> Iterator[Path]:
    """Every file named or found below a named directory; a missing path is yielded as is."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found: list[Path] = []
            for root, dirs, names in os.walk(path):
                dirs.sort()
                found.extend(Path(root) / n for n in sorted(names))
            yield from found
        else:
            yield path


def _one(job: tuple[str, str | None]) -> ValidationResult:
    from dicomstd.validation import validate_file

    path, iod = job
    return validate_file(path, iod=iod)


def run(args: argparse.Namespace) -> int:
    from dicomstd.cli import EXIT_FOUND_PROBLEMS, EXIT_OK, EXIT_USAGE
    from dicomstd.validation import report

    if args.jobs < 1:
        print("dicomstd validate: --jobs must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if args.iod is not None:
        from dicomstd import spec

        try:
            args.iod = spec.iod(args.iod).key
        except KeyError as error:
            print(f"dicomstd validate: {error}", file=sys.stderr)
            return EXIT_USAGE
    jobs = [(str(path), args.iod) for path in files(args.paths)]
    results = list(_results(jobs, args.jobs))
    if args.format == "json":
        print(report.as_json(results))
    else:
        for line in report.text(results, notices=not args.no_notices):
            print(line)
    threshold = Severity.ERROR if args.fail_on == "error" else Severity.WARNING
    return EXIT_FOUND_PROBLEMS if any(r.reaches(threshold) for r in results) else EXIT_OK


def _results(jobs: list[tuple[str, str | None]], workers: int) -> Iterator[ValidationResult]:
    progress = None
    if sys.stderr.isatty() and len(jobs) >= PROGRESS_MINIMUM:
        from tqdm import tqdm

        progress = tqdm(total=len(jobs), unit="file", file=sys.stderr, leave=False)
    try:
        if workers == 1 or len(jobs) < 2:
            for job in jobs:
                yield _one(job)
                if progress is not None:
                    progress.update()
            return
        chunk = max(1, min(64, len(jobs) // (workers * 8)))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for result in pool.map(_one, jobs, chunksize=chunk):
                yield result
                if progress is not None:
                    progress.update()
    finally:
        if progress is not None:
            progress.close()
